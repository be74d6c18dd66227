"""Words a reader sees for the tables' codes: one place for every category and column label.

Measures never take labels (they work on the codes of `kil_analysis.schema`); charts, tables and
sentences translate codes to these words at the last step.
"""

from __future__ import annotations

ORG_TYPE_LABELS = {
    "vcse": "VCSE",
    "private": "Private",
    "public": "Public sector",
    "individual": "Individuals (redacted)",
    "unknown": "Unknown",
}
LOCALITY_LABELS = {
    "in_area": "In the council area",
    "in_region": "Elsewhere in the region",
    "outside": "Outside the region",
    "unknown": "Unknown",
}
SHARE_LABELS = {
    "vcse_share": "VCSE share",
    "local_share": "Local share",
    "top10_share": "Top-10 supplier share",
    "located_share": "Location known",
    "redacted_share": "Redacted share",
}
COLUMN_LABELS = {
    "financial_year": "Financial year",
    "total_spend_gbp": "Net spend",
    "total_gbp": "Net spend",
    "spend_gbp": "Net spend",
    "spend_pence": "Net spend",
    "total_pence": "Net spend",
    "payments": "Payments",
    "suppliers": "Suppliers",
    "redacted_share": "Redacted share",
    "vcse_share": "VCSE share",
    "local_share": "Local share",
    "located_share": "Location known",
    "months": "Months",
    "top10_share": "Top-10 share",
    "share": "Share of spend",
    "share_of_spend": "Share of spend",
    "supplier_name": "Supplier",
    "org_type": "Type",
    "vcse_form": "VCSE form",
    "locality": "Based",
    "service_area": "Service area",
    "method": "How identified",
    "rank": "Rank",
    "reason": "Reason",
    "rows": "Rows",
    "example": "Example",
    "grants": "Grants",
    "recipients": "Recipients",
    "median_pence": "Median grant",
    "recipient_name": "Recipient",
    "grant_pence": "Grants total",
    "also_a_supplier": "Also a supplier",
    "supplier_spend_pence": "Paid as supplier",
}
