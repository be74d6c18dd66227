"""What a published header says a column holds: known names, then the words inside the name.

Headers are compared after normalising (BOMs — including a double-encoded ``ï»¿`` — removed,
lower-cased, everything but letters and digits dropped), so ``Supplier Name``, ``SUPPLIER_NAME``
and `` supplier name `` are one header. Finance-system type suffixes (``Supplier ID(T)``,
``Amount(N)``, ``[D]``) are dropped first: they say how the system stores the field, not what
it means.

Two levels of evidence, each a score between 0 and 1 (see :func:`header_scores`):

- **A known name** (:data:`SYNONYMS`, score 1.0 less a little for each later synonym): each
  canonical field lists the names councils publish in order of preference, so ``PaymentDate``
  beats ``EffectiveDate`` and ``Transaction Number`` beats ``Invoice Number``.
- **Words inside the name** (score 0.3–0.7): the header is split into words (``TransNo`` →
  trans, no; ``cipfsubj`` → cipf, subj), each shortening finance systems commonly use is
  expanded (:data:`ABBREVIATIONS`), and the words are matched against what each field is about
  (:data:`FIELD_WORDS`): a supplier word with ``id``/``code``/``number`` says supplier id; with
  neither, supplier name; a bare ``Name`` (nothing else in the header) is the payee's name;
  ``VAT`` alone is not the amount; ``gross`` is weaker than ``net``; a ledger's ``Debit`` is
  the amount and its ``Credit`` the credits beside it.

The header alone never decides the essential columns: `kil_analysis.readers.spend.column_choice`
weighs these scores against what the column's values look like.

Choices worth knowing:
- Newcastle's ``Group Description`` (Revenue Expenditure / Revenue Income / Capital Expenditure)
  is the file's only description of what the money is for, so it maps to ``expense_type``;
  ``Cost Centre``/``Cost Centre Name`` are organisational and are left unmapped (ignored).
- ``Directorate``/``Department`` map to ``service_area`` only when no finer ``Service Area``,
  ``Expense Area`` or ``OrganisationalUnit`` column exists.
- ``Body``/``Name of Body``/``OrganisationLabel`` (the council itself) are ignored: the council's
  ONS code is stamped from the caller instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

IGNORED = "ignored"
# Not a canonical column: an accounting period (``201904``), used for the date only when a file
# has no payment date (see `kil_analysis.readers.spend.column_choice`).
PERIOD = "period"
# Not a canonical column: a ledger's ``Credit`` column beside its ``Debit`` (the amount), whose
# values are credits, read as negative amounts (see `kil_analysis.readers.spend.column_choice`).
CREDIT = "credit"

SYNONYMS: dict[str, list[str]] = {
    "supplier_name": [
        "suppliername", "supplier", "beneficiaryname", "beneficiary", "vendorname", "vendor",
        "payeename", "payee", "creditorname", "creditor", "merchantname", "merchant",
        "suppliernamepayee", "recipientname", "recipient", "paidto", "supplierfullname",
        "tradingname", "contractorname", "contractor",
        "name1",  # SAP's vendor master name field (NAME1), beside a numeric "Vendor" code
    ],
    "amount": [
        "amount", "netamount", "amountexcludingvat", "amountexcvat", "amountexclvat",
        "amountexvat", "totalexcludesvat", "totalexcludingvat", "totalexvat", "grandtotal",
        "total", "value", "netvalue", "amountgbp", "amountpaid", "paymentamount", "lineamount",
        "transactionamount", "netamountgbp", "amountexcludingvatgbp", "net", "nettotal",
        "invoicelineamount", "valueexvat", "valueexcludingvat", "expenditure", "spend",
    ],
    "payment_date": [
        "paymentdate", "paiddate", "datepaid", "dateofpayment", "transactiondate",
        "invoicepaymentdate", "date", "effectivedate", "postingdate", "paydate",
        "paymentrundate", "chequedate", "datepaymentmade",
    ],
    "service_area": [
        "servicearea", "expensearea", "organisationalunit", "serviceareacategorisation",
        "servicelabel", "service", "department", "directorate", "organisationunit", "division",
        "servicedivisionlabel", "portfolio", "serviceunit", "businessunit",
    ],
    "expense_type": [
        "expensetype", "purpose", "proclasslabel", "proclass", "expensedescription",
        "description", "servicedivision", "groupdescription", "expensecategory",
        "subjective", "subjectivedescription", "category", "spendcategory",
        "expenditurecategory", "accountdescription", "expensetypedescription",
        "subjectivename", "merchantcategory",
    ],
    "transaction_ref": [
        "transactionnumber", "transactionno", "transactionid", "internalref",
        "transactionref", "transactionreference", "reference", "paymentreference",
        "documentnumber", "invoicenumber", "invoiceno", "invoiceref", "transno",
        "documentno", "paymentnumber", "voucherno", "vouchernumber",
    ],
    "supplier_id": [
        "supplierid", "beneficiaryotherid", "suppliercode", "supplierno", "suppliernumber",
        "vendorid", "vendornumber", "creditornumber", "creditorid", "supplierref",
        "suppliercodeid", "vendorcode", "payeeid",
    ],
    "company_number": [
        "companynumber", "companieshousenumber", "companyregistrationnumber", "companyno",
        "companiesregnumber", "crn", "companyregno",
    ],
    "charity_number": [
        "charitynumber", "charityregistrationnumber", "charityno", "charityregno",
    ],
    "vat_number": [
        "vatregno", "vatregistrationnumber", "vatnumber", "vatno", "vatreg", "vatregnumber",
    ],
    "postcode": ["postcode", "supplierpostcode", "beneficiarypostcode", "postalcode"],
    "cap_rev": [
        "caprev", "capitalrevenue", "capitalorrevenue", "revenuecapital", "capitalrevenueflag",
        "expendituretype",
    ],
}  # fmt: skip

ESSENTIAL = {"payment_date": "date", "supplier_name": "supplier", "amount": "amount"}
CANONICAL = tuple(SYNONYMS)
_RANK = {syn: (field, i) for field, syns in SYNONYMS.items() for i, syn in enumerate(syns)}
_BOMS = ("\ufeff", "ï»¿", "\u00ef\u00bb\u00bf")
# A finance system's type tag at the end of a header: ``(T)`` text, ``(N)`` number, ``[D]`` date.
_TYPE_SUFFIX = re.compile(r"\s*[\(\[][A-Za-z]{1,2}[\)\]]\s*$")

# How UK finance systems (Agresso/Unit4, Oracle, SAP, Civica, Integra) shorten header words.
# General shortenings only: each is how the word is commonly abbreviated in any ledger export.
ABBREVIATIONS: dict[str, str] = {
    "amt": "amount", "val": "value", "tot": "total", "ttl": "total",
    "no": "number", "num": "number", "nbr": "number", "nr": "number", "nos": "number",
    "ref": "reference", "refno": "reference",
    "txn": "transaction", "trans": "transaction", "tran": "transaction", "trx": "transaction",
    "dt": "date", "pd": "paid", "pymt": "payment", "pmt": "payment", "paymt": "payment",
    "pay": "payment",
    "supp": "supplier", "supl": "supplier", "suppl": "supplier", "splr": "supplier",
    "sup": "supplier", "vend": "vendor", "ben": "beneficiary", "benef": "beneficiary",
    "cred": "creditor",
    "apar": "supplier",  # Unit4 Agresso: the accounts payable/receivable party (Apar id, name)
    "desc": "description", "descr": "description", "dsc": "description",
    "dept": "department", "dep": "department", "dir": "directorate", "dirate": "directorate",
    "svc": "service", "serv": "service", "srv": "service",
    "exp": "expense", "expn": "expense", "expend": "expenditure",
    "subj": "subjective", "cipf": "cipfa", "cat": "category", "grp": "group",
    "acc": "account", "acct": "account", "ac": "account",
    "cc": "costcentre", "inv": "invoice", "doc": "document",
    "org": "organisation", "orgn": "organisation", "organization": "organisation",
    "co": "company", "coy": "company", "reg": "registration", "regn": "registration",
    "chy": "charity", "chty": "charity", "pcode": "postcode", "pc": "postcode",
    "excl": "excluding", "exc": "excluding", "ex": "excluding", "excludes": "excluding",
    "incl": "including", "inc": "including", "includes": "including",
    "cap": "capital", "rev": "revenue", "id": "id", "code": "code",
}  # fmt: skip

_SUPPLIER_WORDS = {
    "supplier", "vendor", "payee", "beneficiary", "creditor", "merchant", "recipient",
    "contractor", "provider",
}  # fmt: skip
_ID_WORDS = {"id", "code", "number", "reference", "key", "identifier", "account"}
_MONEY_WORDS = {
    "amount", "value", "total", "net", "gross", "sum", "spend", "expenditure", "gbp", "debit",
}  # fmt: skip
_DATE_WORDS = {"date", "paid", "posted", "updated", "processed", "cleared"}
_SERVICE_WORDS = {
    "service", "directorate", "department", "division", "portfolio", "unit", "area",
}  # fmt: skip
_EXPENSE_WORDS = {
    "expense", "purpose", "subjective", "category", "proclass", "description", "cipfa",
    "nature", "type", "group",
}  # fmt: skip
_LEDGER_WORDS = {"account", "ledger", "nominal", "gl"}
_REF_WORDS = {"transaction", "invoice", "document", "voucher", "reference", "cheque", "payment"}
# Words that segment run-together headers (``paiddate``, ``cipfsubj``) besides the above.
_VOCABULARY = (
    set(ABBREVIATIONS)
    | set(ABBREVIATIONS.values())
    | _SUPPLIER_WORDS
    | _ID_WORDS
    | _MONEY_WORDS
    | _DATE_WORDS
    | _SERVICE_WORDS
    | _EXPENSE_WORDS
    | _REF_WORDS
    | _LEDGER_WORDS
    | {"name", "vat", "postcode", "period", "month", "year", "company", "charity", "other"}
    | {"credit"}
)


def clean_header(header: object) -> str:
    """A published header as text, without BOMs and surrounding spaces (for the report)."""
    text = "" if header is None else str(header)
    for bom in _BOMS:
        text = text.replace(bom, "")
    return text.strip()


def header_key(header: object) -> str:
    """Comparison key of a header: ``" Total (excludes VAT) "`` → ``totalexcludesvat``.

    A finance system's type suffix is dropped: ``Supplier ID(T)`` → ``supplierid``.
    """
    return re.sub(r"[^a-z0-9]", "", _TYPE_SUFFIX.sub("", clean_header(header)).lower())


def _segment(run: str) -> list[str]:
    """Split a run-together lower-case word into known words (``paiddate`` → paid, date).

    Dynamic programming over :data:`_VOCABULARY`, preferring fewer, longer words; a run that
    cannot be covered entirely is returned whole, except that a known word at its start is split
    off (``cipfsubs`` → cipf, subs).
    """
    n = len(run)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 14), end):
            if best[start] is not None and run[start:end] in _VOCABULARY:
                candidate = best[start] + [run[start:end]]  # type: ignore[operator]
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
    if best[n] is not None:
        return best[n]  # type: ignore[return-value]
    for cut in range(min(n - 1, 14), 1, -1):
        if run[:cut] in _VOCABULARY:
            return [run[:cut], run[cut:]]
    return [run]


@lru_cache(maxsize=4096)
def header_words(header: str) -> tuple[str, ...]:
    """The words of a header, abbreviations expanded: ``TransNo`` → (transaction, number)."""
    text = _TYPE_SUFFIX.sub("", clean_header(header))
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # camelCase → camel Case
    words: list[str] = []
    for part in re.findall(r"[a-z]+|\d+", text.lower()):
        for word in _segment(part) if part.isalpha() else [part]:
            words.append(ABBREVIATIONS.get(word, word))
    return tuple(words)


def _names_ledger_account(w: set[str]) -> bool:
    """Whether header words name a ledger account's text, which says what a payment buys.

    ``G/L Description``, ``Nominal Description``, ``Expenditure Account`` (SAP's name for the
    G/L account's text); not the account's code (``Account Code``, ``Expenditure Account Code``).
    """
    ledger = bool(w & _LEDGER_WORDS) or {"g", "l"} <= w
    return ledger and (
        "description" in w or ("expenditure" in w and not w & (_ID_WORDS - {"account"}))
    )


def _word_scores(words: tuple[str, ...]) -> dict[str, float]:
    """Scores (0.3–0.7) from the words inside a header; see the module docstring."""
    w = set(words)
    scores: dict[str, float] = {}
    about_supplier, ids = bool(w & _SUPPLIER_WORDS), bool(w & _ID_WORDS)
    # "Creditor Type", "Supplier Category": about the supplier, neither its name nor its id.
    supplier = about_supplier and not w & {"type", "category", "class", "form", "status"}
    if supplier and not ids:
        scores["supplier_name"] = 0.7
    elif w == {"name"}:
        scores["supplier_name"] = 0.6  # a payments list's bare "Name" column is the payee's
    elif supplier:
        scores["supplier_id"] = 0.7
        scores["supplier_name"] = 0.4  # some systems put the name in the "Supplier ID" field
    if w & _MONEY_WORDS and not (w & _DATE_WORDS and "value" not in w):
        score = 0.6
        if "vat" in w and not w & {"net", "excluding"}:
            score = 0.2  # a VAT column, not the payment
        elif w & {"gross", "including"}:
            score = 0.4  # gross beside net: net is taken
        scores["amount"] = score
    if "date" in w or w & {"paid", "posted"}:
        scores["payment_date"] = 0.7 if w & {"payment", "paid"} else 0.5
        if w & {"invoice", "effective", "created", "received", "due", "raised"}:
            scores["payment_date"] = 0.3
    elif w & {"updated", "processed", "cleared"}:
        scores["payment_date"] = 0.3
    if w & {"period", "month"} and "date" not in w:
        scores[PERIOD] = 0.6
    if "credit" in w and not (ids or about_supplier or w & _DATE_WORDS or "note" in w):
        scores[CREDIT] = 0.6  # a ledger's credit column (beside its debit: the amount) …
        scores.pop("amount", None)  # … never the amount itself ("Credit Amount")
    if w & _SERVICE_WORDS and not about_supplier and "expense" not in w:
        scores["service_area"] = 0.5
    if w & _EXPENSE_WORDS and not about_supplier and not w & {"date"}:
        scores["expense_type"] = 0.5 if w & {"expense", "subjective", "cipfa", "purpose"} else 0.3
    if _names_ledger_account(w) and not about_supplier:
        scores["expense_type"] = 0.5  # the ledger account a payment is coded to: what it buys
    if w & _REF_WORDS and ids and not about_supplier:
        scores["transaction_ref"] = 0.5
    if "company" in w and w & ({"number", "registration"}):
        scores["company_number"] = 0.6
    if "charity" in w and w & ({"number", "registration"}):
        scores["charity_number"] = 0.6
    if "vat" in w and w & ({"number", "registration"}):
        scores["vat_number"] = 0.6
        scores.pop("amount", None)
    if "postcode" in w or {"post", "code"} <= w:
        scores["postcode"] = 0.6
    if {"capital", "revenue"} & w and not w & _MONEY_WORDS:
        scores["cap_rev"] = 0.5
    return scores


def header_scores(header: object, overrides: Mapping[str, str] | None = None) -> dict[str, float]:
    """How strongly a header names each field: ``{field: score}``, scores in 0–1 (2 = pinned).

    An override (published header → field, from a council config) pins the column: score 2.0 for
    that field and nothing else (``"ignored"`` gives no score at all). A known name scores 1.0
    less 0.01 per earlier synonym; words inside the name score 0.3–0.7.
    """
    if overrides:
        key = header_key(header)
        wanted = {header_key(k): v for k, v in overrides.items()}
        if key in wanted:
            field = wanted[key]
            return {} if field == IGNORED or field not in (*SYNONYMS, PERIOD) else {field: 2.0}
    return dict(_published_scores("" if header is None else str(header)))


@lru_cache(maxsize=8192)
def _published_scores(header: str) -> tuple[tuple[str, float], ...]:
    """`header_scores` without overrides (cached: the same headers recur in every file)."""
    key = header_key(header)
    scores = _word_scores(header_words(clean_header(header))) if key else {}
    if key in _RANK:
        field, rank = _RANK[key]
        scores[field] = max(scores.get(field, 0.0), 1.0 - 0.01 * rank)
    return tuple(scores.items())


def canonical_field(header: object, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field a header most plainly names (known names and pins only), or None."""
    scores = {f: s for f, s in header_scores(header, overrides).items() if s >= 0.9}
    return max(scores, key=lambda f: scores[f]) if scores else None


def header_evidence(row: Sequence[object], overrides: Mapping[str, str] | None = None) -> int:
    """How many distinct fields a row of cells names (header score ≥ 0.5): a header test."""
    fields: set[str] = set()
    has_money = False
    for cell in row:
        for field, score in header_scores(cell, overrides).items():
            if score >= 0.5:
                fields.add(field)
                has_money |= field == "amount"
    return len(fields) if has_money else 0


def looks_like_header(cells: Sequence[object], overrides: Mapping[str, str] | None = None) -> bool:
    """A header names at least 3 fields, one of them the amount, and a supplier or a date."""
    fields = {
        field
        for cell in cells
        for field, score in header_scores(cell, overrides).items()
        if score >= 0.5
    }
    return (
        len(fields) >= 3
        and "amount" in fields
        and bool(fields & {"supplier_name", "supplier_id", "payment_date", PERIOD})
    )
