"""Which published column holds which canonical field: a synonyms table, matched by meaning.

Headers are compared after normalising (BOMs — including a double-encoded ``ï»¿`` — removed,
lower-cased, everything but letters and digits dropped), so ``Supplier Name``, ``SUPPLIER_NAME``
and `` supplier name `` are one header. Each canonical field lists its synonyms in order of
preference: when a file has several candidates the earliest synonym wins (e.g. ``PaymentDate``
over ``EffectiveDate``; ``Transaction Number`` over ``Invoice Number``), then the leftmost column.

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

IGNORED = "ignored"

SYNONYMS: dict[str, list[str]] = {
    "supplier_name": [
        "suppliername", "supplier", "beneficiaryname", "beneficiary", "vendorname", "vendor",
        "payeename", "payee", "creditorname", "creditor", "merchantname", "merchant",
        "suppliernamepayee", "recipientname", "recipient", "paidto",
    ],
    "amount": [
        "amount", "netamount", "amountexcludingvat", "amountexcvat", "amountexclvat",
        "amountexvat", "totalexcludesvat", "totalexcludingvat", "totalexvat", "grandtotal",
        "total", "value", "netvalue", "amountgbp", "amountpaid", "paymentamount", "lineamount",
        "transactionamount", "netamountgbp", "amountexcludingvatgbp",
    ],
    "payment_date": [
        "paymentdate", "paiddate", "datepaid", "dateofpayment", "transactiondate",
        "invoicepaymentdate", "date", "effectivedate", "postingdate",
    ],
    "service_area": [
        "servicearea", "expensearea", "organisationalunit", "serviceareacategorisation",
        "servicelabel", "service", "department", "directorate", "organisationunit", "division",
    ],
    "expense_type": [
        "expensetype", "purpose", "proclasslabel", "proclass", "expensedescription",
        "description", "servicedivision", "groupdescription", "expensecategory",
        "subjective", "subjectivedescription", "category", "spendcategory",
    ],
    "transaction_ref": [
        "transactionnumber", "transactionno", "transactionid", "internalref",
        "transactionref", "transactionreference", "reference", "paymentreference",
        "documentnumber", "invoicenumber", "invoiceno", "invoiceref",
    ],
    "supplier_id": [
        "supplierid", "beneficiaryotherid", "suppliercode", "supplierno", "suppliernumber",
        "vendorid", "vendornumber", "creditornumber", "creditorid", "supplierref",
    ],
    "company_number": [
        "companynumber", "companieshousenumber", "companyregistrationnumber", "companyno",
        "companiesregnumber", "crn",
    ],
    "charity_number": ["charitynumber", "charityregistrationnumber", "charityno", "charityregno"],
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


def clean_header(header: object) -> str:
    """A published header as text, without BOMs and surrounding spaces (for the report)."""
    text = "" if header is None else str(header)
    for bom in _BOMS:
        text = text.replace(bom, "")
    return text.strip()


def header_key(header: object) -> str:
    """Comparison key of a header: ``" Total (excludes VAT) "`` → ``totalexcludesvat``."""
    return re.sub(r"[^a-z0-9]", "", clean_header(header).lower())


def canonical_field(header: object, overrides: Mapping[str, str] | None = None) -> str | None:
    """The canonical field a header means, or None. Overrides (published header → field) win."""
    if overrides:
        wanted = {header_key(k): v for k, v in overrides.items()}
        if header_key(header) in wanted:
            return wanted[header_key(header)]
    hit = _RANK.get(header_key(header))
    return hit[0] if hit else None


def map_columns(
    headers: Sequence[object], overrides: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Choose, for each canonical field, the column position that best holds it.

    Returns ``{field: position}``. An override to a field beats every synonym; otherwise the
    earliest synonym in :data:`SYNONYMS`, then the leftmost column. An override value of
    ``"ignored"`` makes a column unmapped.
    """
    wanted = {header_key(k): v for k, v in (overrides or {}).items()}
    best: dict[str, tuple[int, int]] = {}
    for pos, header in enumerate(headers):
        key = header_key(header)
        if key in wanted:
            field, rank = wanted[key], -1
            if field == IGNORED or field not in SYNONYMS:
                continue
        elif key in _RANK:
            field, rank = _RANK[key]
        else:
            continue
        if field not in best or (rank, pos) < best[field]:
            best[field] = (rank, pos)
    return {field: pos for field, (_, pos) in best.items()}


def looks_like_header(cells: Sequence[object], overrides: Mapping[str, str] | None = None) -> bool:
    """A header maps at least 3 canonical fields, including amount and supplier or date."""
    found = map_columns(cells, overrides)
    return (
        len(found) >= 3
        and "amount" in found
        and ("supplier_name" in found or "payment_date" in found)
    )
