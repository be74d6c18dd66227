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
    "not_a_supplier": "Not a supplier (finance accounts, recharges)",
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
    "local_vcse_share": "Local VCSE share",
    "sme_share": "SME share",
    "classified_share": "Type known",
    "size_known_share": "Size known",
    "not_a_supplier_share": "Not-a-supplier share",
    "top_n_share": "CLES top-N share",
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

# Annual spend with one supplier (``analysis.concentration.SPEND_SIZE_BANDS``).
SPEND_BAND_LABELS = {
    "under_25k": "under £25k",
    "25k_100k": "£25k–£100k",
    "100k_1m": "£100k–£1m",
    "1m_5m": "£1m–£5m",
    "over_5m": "over £5m",
}

# The six Keep it Local principles (Locality) and what the scorecard shows for each.
PRINCIPLE_LABELS = {
    "whole_system": "Think whole system",
    "neighbourhood": "Coordinate at neighbourhood level",
    "local_spend": "Increase local spend",
    "early_intervention": "Invest in early intervention",
    "community": "Commit to community and support local organisations",
    "commission_simply": "Commission simply and collaboratively",
}
INDICATOR_LABELS = {
    "public_body_share": "Share of spend paid to other public bodies (NHS, councils, schools), "
    "where pooled and joint arrangements show: a proxy",
    "local_share": "Share of spend with suppliers based locally",
    "early_intervention_share": "Share of spend on lines whose service area or expense type is "
    "named for prevention, early help or public health (the prevention section's share): a proxy",
    "local_vcse_share": "Share of spend with local VCSE organisations",
    "vcse_share": "Share of spend with VCSE organisations (where they are based is not known "
    "well enough for the local VCSE share)",
    "none_neighbourhood": "Spend files say who was paid, not where a service was delivered",
    "none_commission_simply": "How contracts were let is not in spend files (Contracts Finder "
    "notices can show procedures)",
}
SCORECARD_STATUS = {
    "measured": "measured",
    "coverage_too_low": "not measured: too little of the spend is classified or located",
    "not_in_published_data": "not measurable from published data",
}
# The report's measure beside a published figure.
PUBLISHED_MEASURE_LABELS = {
    "vcse_share": "VCSE share of net spend",
    "vcse_spend": "Net spend with VCSE organisations",
    "local_share": "Local share of net spend",
    "local_spend": "Net spend with local suppliers",
    "sme_vcse_share": "SME or VCSE share of net spend (not computed: needs size evidence)",
}
