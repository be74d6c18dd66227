"""The case study's tables: measures formatted for people (escaped HTML via ``display.table``)."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from kil_analysis.analysis import measures, quality
from kil_analysis.labels import LOCALITY_LABELS, ORG_TYPE_LABELS
from kil_analysis.present.display import table

SHARES = {
    "vcse_share": "pct",
    "local_share": "pct",
    "located_share": "pct",
    "top10_share": "pct",
    "redacted_share": "pct",
}


def ingest_files(report: dict) -> HTML:
    """Per published file: rows and pounds read, kept and rejected; encoding; date range."""
    formats = {"£ read": "gbp", "£ rejected": "gbp"}
    formats |= {c: "int" for c in ("rows read", "rows kept", "rows rejected")}
    return table(quality.ingest_file_table(report), formats)


def files_not_read(report: dict) -> HTML:
    """Files that could not be read (left out of every figure) or were skipped, and why."""
    return table(quality.files_not_read(report), empty="Every file given was read.")


def rejects(rejected: pd.DataFrame) -> HTML:
    """Rejected rows by reason, with an example file and line."""
    return table(quality.rejects_by_reason(rejected), empty="No rows were rejected.")


def identification(spend: pd.DataFrame, suppliers: pd.DataFrame) -> HTML:
    """How suppliers were identified, by number and by share of spend."""
    coverage = quality.identification_coverage(spend, suppliers)
    return table(coverage, {"spend_pence": "pence", "share_of_spend": "pct"})


def headline(headline_by_year: pd.DataFrame) -> HTML:
    """The headline measures per financial year."""
    formats = {
        "months": "int",
        "total_spend_gbp": "gbp_m",
        "payments": "int",
        "suppliers": "int",
        **SHARES,
    }
    return table(headline_by_year.drop(columns=["total_pence"]), formats)


def vcse_forms(spend: pd.DataFrame) -> HTML:
    """Spend with VCSE organisations by form (charity, CIC, co-operative, …)."""
    forms = measures.vcse_spend_by_form(spend)
    return table(forms, {"total_pence": "pence"}, empty="No spend with VCSE organisations.")


def top_suppliers(top: pd.DataFrame, n: int = 25) -> HTML:
    """The n largest suppliers with their type, form and location."""
    cols = ["rank", "supplier_name", "org_type", "vcse_form", "locality", "payments"]
    shown = top.head(n)[[*cols, "total_gbp", "share"]].assign(
        org_type=lambda d: d["org_type"].map(ORG_TYPE_LABELS).fillna(d["org_type"]),
        locality=lambda d: d["locality"].map(LOCALITY_LABELS).fillna(d["locality"]),
    )
    return table(
        shown,
        {"total_gbp": "gbp", "share": "pct", "payments": "int"},
    )


def service_areas(spend: pd.DataFrame, n: int = 12) -> HTML:
    """The n largest service areas with their VCSE and local shares."""
    areas = measures.spend_by_service_area(spend, n)
    cols = ["service_area", "total_pence", "vcse_share", "local_share"]
    return table(areas[cols], {"total_pence": "pence", **SHARES})


def grants_by_year(grants: pd.DataFrame) -> HTML:
    """Grants per financial year of award."""
    formats = {
        "grants": "int",
        "recipients": "int",
        "total_pence": "pence",
        "median_pence": "pence",
    }
    return table(measures.grants_by_year(grants), formats)


def grant_recipients(recipients: pd.DataFrame, n: int = 15) -> HTML:
    """The n largest grant recipients, and whether they were also paid as suppliers."""
    cols = ["recipient_name", "grants", "grant_pence", "also_a_supplier", "supplier_spend_pence"]
    formats = {"grant_pence": "pence", "supplier_spend_pence": "pence", "grants": "int"}
    return table(recipients.head(n)[cols], formats)
