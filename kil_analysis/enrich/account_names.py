"""Finance-system accounts standing as the payee: the one list of what a ledger names so.

A council's ledger pays some lines to an account, not to a supplier: a "payee" that pools many
payees, a cash float, a clearing or suspense account, a payroll or pay account, a journal, a
treasury line, a scheme paid out to many recipients under one name. Any finance officer knows
these names; none is one council's. Each class below says what it catches; the classifier reads
them once, as the first name rule (:data:`kil_analysis.enrich.name_rules.RULES`, rule 0 "finance-
system account", strong: precedence step 3 of :mod:`kil_analysis.enrich.classify`), so such a
line gets org type ``not_a_supplier`` (it stays in total spend). PAYE and National Insurance
paid as such are HMRC's (:data:`PAYE_PATTERN`, the rule after it: ``public``).

An account never carries a company's or charity's legal form (:data:`LEGAL_FORMS`: "SUNDRY
SUPPLIES LTD" is a company). A supplier record merely retired "(DO NOT USE)" is its
organisation, not an account: the tail is stripped first
(:func:`kil_analysis.enrich.name_rules.rule_text`); a name that is *only* the marker is one.
The patterns read the names as the rules read them (upper case, "&" as AND, punctuation
dropped, abbreviations expanded).
"""

from __future__ import annotations

# A company's or charity's legal form in a name: an account or a public body never carries one.
LEGAL_FORMS = r"\b(?:LTD|LIMITED|PLC|LLP|CIC|CIO)\b"
_METHOD = r"(?:BACS|CHQ|CHQS|CHEQUE|CHEQUES|CHAPS)"
# What a budget pays out, as ledgers name a payment run by it ("EVENTS BACS"): plural nouns of
# payments and of the people or bodies paid in bulk, never a firm's own word.
_PAID_FOR = (
    r"(?:EVENTS|ELECTIONS|GRANTS|REFUNDS|REBATES|ALLOWANCES|EXPENSES|FEES|DEPOSITS|CLAIMS|"
    r"BENEFITS|PENSIONS|SCHOOLS|CLIENTS|RESIDENTS|TENANTS|STUDENTS|PUPILS|COUNCILLORS|"
    r"MEMBERS|MILEAGE|COMPENSATION|DISBURSEMENTS|AWARDS|BURSARIES|SUBSISTENCE)"
)

# (what the class catches, its pattern). A pattern matches anywhere in the name unless it is
# anchored (^ … $: the whole name).
ACCOUNT_CLASSES: tuple[tuple[str, str], ...] = (
    (
        "a payee that pools many payees, a cash float, a suspense account "
        "(MISCELLANEOUS PAYMENTS BACS, SUNDRY CREDITORS, PETTY CASH, IMPREST)",
        r"\bMISCELLANEOUS\b|\bSUNDRY\b|\bSUNDRIES\b|\bSUSPENSE\b|\bPETTY CASH\b|\bIMPREST\b",
    ),
    (
        "a payment run, or a payment method with payments (PAYMENT RUN, BACS PAYMENTS, "
        "PAYMENTS CHQ)",
        r"\bPAYMENT RUNS?\b|\b(?:BACS|CHQ|CHEQUE|CHAPS) (?:RUN|PAYMENTS?)\b|"
        r"\bPAYMENTS? (?:BACS|CHQ|CHEQUE|CHAPS)\b",
    ),
    (
        "a payment method standing as the payee: telegraphic (foreign) transfers",
        r"^(?:TELEGRAPHIC|FOREIGN|OVERSEAS) (?:TRANSFERS?|PAYMENTS)$",
    ),
    (
        "a one-off, temporary or various payee record (ONE TIME VENDOR, VARIOUS CREDITORS)",
        r"\bONE ?(?:OFF|TIME) (?:VENDOR|SUPPLIER|PAYEE)S?\b|"
        r"\bTEMPORARY (?:VENDOR|SUPPLIER)S?\b|\bVARIOUS (?:PAYEES|SUPPLIERS|CREDITORS)\b",
    ),
    (
        "a clearing, control, holding or contra account, an internal recharge or inter-company "
        "line, a journal transfer",
        r"\bCLEARING ACCOUNT\b|\bCONTROL ACCOUNT\b|\bHOLDING ACCOUNT\b|\bINTERNAL RECHARGES?\b|"
        r"\bINTER ?COMPANY\b|\bJOURNAL TRANSFER\b|\bCONTRA ACCOUNT\b",
    ),
    ("a name that is only the retired-record marker (DO NOT USE)", r"^(?:DO NOT USE|DNU)$"),
    (
        "a placeholder where the payee's name should be (UNKNOWN, N/A, VARIOUS - TOTAL "
        "EXPENSES): the ledger does not say who was paid",
        r"^(?:UNKNOWN|NOT KNOWN|NA|NOT APPLICABLE|NONE|TBC|TO BE CONFIRMED)$|"
        r"^VARIOUS(?: (?:TOTAL|EXPENSES?|PAYMENTS?|PAYEES|SUPPLIERS|CREDITORS|CLAIMANTS|"
        r"RECIPIENTS))*$",
    ),
    (
        "a treasury-management line named only by what it is (LOAN INVESTMENT/REPAYMENTS, "
        "LOANS AND INVESTMENTS): borrowing and lending",
        r"^(?=.*\b(?:LOANS?|INVESTMENTS?|BORROWINGS?|TREASURY)\b)(?:LOANS?|INVESTMENTS?|"
        r"REPAYMENTS?|BORROWINGS?|INTEREST|TREASURY|DEPOSITS?|PAYMENTS?|RECEIPTS?)"
        r"(?: (?:AND )?(?:LOANS?|INVESTMENTS?|REPAYMENTS?|BORROWINGS?|INTEREST|TREASURY|"
        r"DEPOSITS?|PAYMENTS?|RECEIPTS?))*$",
    ),
    (
        "a scheme paid out to many recipients under one name (ENERGY REBATE GRANTS, HOMECARE "
        "REFUNDS - BSS ONLY: a ledger's restriction to one system), not a charity or trust",
        r"^(?!.*\b(?:CHARITY|TRUST)\b).*\b(?:GRANTS|REFUNDS?|REBATES?)(?: (?:PAYMENTS?|SCHEME))?"
        r"(?: [A-Z]{2,4} ONLY)?$",
    ),
    (
        "a benefit paid out to claimants under one name (HOUSING BENEFIT, COUNCIL TAX "
        "REDUCTION, DISCRETIONARY HOUSING PAYMENTS), business rates standing as the payee "
        "(NNDR)",
        r"\bHOUSING BENEFITS?\b|\bCOUNCIL TAX (?:BENEFITS?|REDUCTION|SUPPORT)\b|"
        r"\bDISCRETIONARY HOUSING PAYMENTS?\b|"
        # rates paid into a council's own rates account ("NNDR - NORTH TYNESIDE COUNCIL")
        r"^(?:NNDR|NON DOMESTIC RATES|BUSINESS RATES)(?: (?:[A-Z]+ ){0,3}COUNCIL)?$",
    ),
    (
        "bulk payments, a debtors' account standing as a vendor, loads onto prepaid cards",
        r"\bBULK PAYMENTS?\b|\bDEBTORS? (?:VENDOR|ACCOUNT|CONTROL)\b|\bPRE ?PAID CARDS?\b",
    ),
    (
        "a pay or payroll account (SALARIES, NET PAY, PAYROLL DEDUCTIONS, WAGES CONTROL)",
        r"^(?:NET PAY|PAY|PAYROLL|SALARIES|SALARY|WAGES)(?: (?:AND )?(?:ACCOUNT|CONTROL|"
        r"DEDUCTIONS?|RUN|PAYMENTS?|" + _METHOD + r"))*$|"
        r"^(?:PAYROLL|SALARY|SALARIES|WAGES|PAY) (?:DEDUCTIONS?|ADVANCES?|RECHARGES?)\b",
    ),
    (
        "cash, journals and transfers as the payee (CASH OFFICE, JOURNALS, BANK TRANSFERS)",
        r"^CASH(?: (?:ACCOUNT|PAYMENTS?|OFFICE|BOOK|OFFICE PAYMENTS))?$|"
        r"^(?:JOURNALS?|JOURNAL ENTRY|JOURNAL ADJUSTMENTS?)$|"
        r"^(?:BANK|INTERNAL|INTER ACCOUNT) TRANSFERS?$",
    ),
    (
        "a tax or ledger control account standing as the payee (VAT CONTROLLER, VAT CONTROL, "
        "CIS CONTROL, CREDITORS CONTROL): the balance a ledger clears, not a payee",
        r"^(?:VAT|CIS|TAX|CREDITORS?|DEBTORS?|BANK|CASH|INCOME|PAYROLL|SALARIES|WAGES)"
        r"(?: (?:ACCOUNT|LEDGER|INPUT|OUTPUT))? (?:CONTROL|CONTROLLER|CONTROLS)$",
    ),
    (
        "a council's directorate as the payee (CHIEF EXECUTIVE DIRECTORATE (HOMES)): an "
        "internal line between the council's own budgets",
        r"^(?!.*\b(?:NHS|TRUST|GOVERNMENT|SCOTTISH|WELSH|UNIVERSITY|COLLEGE|POLICE|FIRE|"
        r"DEFENCE|INFRASTRUCTURE)\b).*\bDIRECTORATES?\b",
    ),
    (
        "a council's own service by the council's initials, perhaps with a ledger code (SCC "
        "COMMUNITY CARE (SP), SCC NEIGHBOURHOODS (SP)): an internal recharge. The initials "
        "end in CC or MBC (county, city or metropolitan borough council: one or two letters "
        "before them, not a police and crime commissioner's PCC; BC and DC end too many firms' "
        "initials, HSBC, ABC, BBC); only a council service follows, not a trade (D C C "
        "CLEANING, H D C TRAINING are firms)",
        r"^(?!PCC )[A-Z]{1,2}(?:CC|MBC) (?:COMMUNITY CARE|NEIGHBOURHOODS?|HOUSING(?: SERVICES)?|"
        r"ADULTS?(?: SOCIAL CARE| SERVICES)?|CHILDRENS?(?: SERVICES)?|SOCIAL (?:CARE|SERVICES)|"
        r"EDUCATION|HIGHWAYS|FINANCE|CORPORATE(?: SERVICES)?|REVENUES?|BENEFITS|PUBLIC HEALTH|"
        r"RESOURCES|PEOPLE|PLACE|COMMUNITIES)(?: [A-Z]{1,3})?$",
    ),
    (
        "court fees or costs standing as the payee (NTC - FOREST HALL COURT COSTS ACCOUNT, "
        "CHP COURT FEES CORPORATE SERVICES): the council's court-costs account, not a court",
        r"\bCOURT (?:FEES|COSTS)\b",
    ),
    (
        "a general ledger line (GENERAL INVOICES - BSS ONLY, GENERAL PAYMENTS)",
        r"^GENERAL (?:INVOICES?|PAYMENTS?|BACS|CHEQUES?|CREDITORS?|LEDGER|SUPPLIERS?|"
        r"EXPENSES|REFUNDS?|ACCOUNT)(?: [A-Z]{2,4} ONLY)?$",
    ),
    (
        "a payment method standing as the payee after what the payments are for, the whole "
        "name (EVENTS BACS, GRANTS CHAPS, SCHOOLS CHQ): a budget's payment run, not a payee; a "
        "firm's name before the method is a firm's account (BRITISH TELECOM BT BACS)",
        r"^(?:[A-Z]+ )?" + _PAID_FOR + r" " + _METHOD + r"$",
    ),
    (
        "a ledger's proceeds account (NBS RE INSPIRE PROCEEDS AC, SALE PROCEEDS): receipts "
        "held or passed on, not a payee",
        r"\bPROCEEDS (?:ACCOUNT|AC|ACC)$|^(?:SALE|SALES|CAPITAL|LAND SALE) PROCEEDS$",
    ),
    (
        "a payment run named by its method at the end (HOUSING PAYMENTS RETAINED CHQ)",
        r"^(?:[A-Z]+ ){1,3}(?:PAYMENTS? )?(?:RETAINED )" + _METHOD + r"$",
    ),
)

ACCOUNT_PATTERN = (
    r"^(?!.*" + LEGAL_FORMS + r")(?:.*(?:" + "|".join(p for _, p in ACCOUNT_CLASSES) + r"))"
)

# PAYE and National Insurance paid as such ("PAYE AND NIC", "TAX AND NI DEDUCTIONS"): HMRC's.
PAYE_PATTERN = (
    r"^(?:PAYE|PAYE AND NIC|PAYE AND NI|PAYE NIC|PAYE NI|TAX AND NI|TAX AND NIC"
    r"|NATIONAL INSURANCE(?: CONTRIBUTIONS)?)(?: (?:PAYMENTS?|DEDUCTIONS?|ACCOUNT))?$"
)
