"""Column contracts of the canonical tables (see DESIGN.md). One place, imported by every stage."""

from __future__ import annotations

# Canonical spend table: one row per published payment line.
# `amount` is GBP as published (net where the council publishes net; credit notes negative),
# rounded to the penny; `amount_pence` is the same value as an exact integer, used for every sum.
SPEND_REQUIRED = [
    "council",
    "source_file",
    "source_row",
    "payment_date",
    "amount",
    "amount_pence",
    "supplier_name",
    "supplier_key",
    "is_redacted",
    "service_area",
    "expense_type",
    "transaction_ref",
]
SPEND_OPTIONAL = [
    "supplier_id",
    "company_number",
    "charity_number",
    "vat_number",
    "postcode",
    "cap_rev",
]
SPEND_COLUMNS = SPEND_REQUIRED + SPEND_OPTIONAL

REJECT_COLUMNS = ["source_file", "source_row", "reason", "detail", "raw"]

# Rejection reasons (keys of `rows_rejected` in the ingest report).
REJECT_TOTALS_ROW = "totals_row"
REJECT_BAD_AMOUNT = "unparseable_amount"
REJECT_BAD_DATE = "unparseable_date"
REJECT_IMPLAUSIBLE_DATE = "implausible_date"
REJECT_NO_SUPPLIER = "missing_supplier"
REJECT_MISSING_AMOUNT = "missing_amount"
REJECT_MISSING_DATE = "missing_date"

# Enrichment: one row per supplier_key.
# not_a_supplier: finance-system accounts, bulk payment runs, internal recharges, suspense
# accounts — kept in total spend, shown as their own line, left out of supplier counts, top-N
# lists and concentration.
ORG_TYPES = ("vcse", "public", "private", "individual", "not_a_supplier", "unknown")
NOT_A_SUPPLIER = "not_a_supplier"
SIZES = ("micro", "small", "medium", "large", "unknown")
LOCALITIES = ("in_area", "in_region", "outside", "unknown")
SUPPLIER_COLUMNS = [
    "supplier_key",
    "supplier_name",
    "org_type",
    "org_type_evidence",
    "org_type_confidence",
    "vcse_form",
    "size",
    "size_rule",
    "size_evidence",
    "size_confidence",
    "locality",
    "locality_evidence",
    "locality_confidence",
    "postcode",
    "register_id",
    "match_method",
    "overridden",
    "operates_in_area",  # nullable bool: Charity Commission area of operation names the council
    "operates_evidence",
    # additive (issue 7): what kind of public body; where the postcode came from and where it is
    "public_kind",
    # override / published with payments / grants or contracts / registered address
    "postcode_source",
    "council_code",  # ONS code of the council area the postcode (or public body) is in
    "ward_code",  # ward (OS Code-Point Open), where known
    "easting",  # British National Grid, metres (nullable)
    "northing",
]
