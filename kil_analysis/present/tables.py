"""The case study's tables: measures formatted for people (escaped HTML via ``display.table``).

Partial years are marked in every table ("2018/19 (9 months)"); a share that is not measured
reads "not measured (x% of spend located)", never 0%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import HTML

from kil_analysis.analysis import measures, quality
from kil_analysis.analysis.concentration import SPEND_SIZE_BANDS
from kil_analysis.analysis.measures import MIN_COVERAGE
from kil_analysis.labels import (
    INDICATOR_LABELS,
    LOCALITY_LABELS,
    ORG_TYPE_LABELS,
    PRINCIPLE_LABELS,
    PUBLISHED_MEASURE_LABELS,
    SCORECARD_STATUS,
    SHARE_LABELS,
    SPEND_BAND_LABELS,
)
from kil_analysis.present.display import details, table
from kil_analysis.present.narrative import gbp, pct, share_text, year_name

SHARES = {
    "vcse_share": "pct",
    "local_share": "pct",
    "located_share": "pct",
    "top10_share": "pct",
    "redacted_share": "pct",
}
HEADLINE_SHARES = ("vcse_share", "local_share", "local_vcse_share", "sme_share")


def ingest_files(report: dict) -> HTML:
    """Per published file: rows and pounds read, kept and rejected; encoding; date range.

    Folded away under a one-line summary (the panel above it says what matters).
    """
    formats = {"£ read": "gbp", "£ rejected": "gbp"}
    formats |= {c: "int" for c in ("rows read", "rows kept", "rows rejected")}
    files = quality.ingest_file_table(report)
    return details(
        f"Every published file read ({len(files):,} files): rows and pounds read, kept and "
        "rejected",
        table(files, formats),
    )


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
    """The headline measures per financial year, each share beside its coverage.

    Partial years named with their months.
    """
    rows = []
    for r in headline_by_year.to_dict("records"):
        rows.append(
            {
                "Financial year": year_name(r),
                "Third-party spend": f"£{r['third_party_pence'] / 1e8:,.2f}m",
                "Suppliers": f"{int(r['suppliers']):,}",
                "VCSE share": share_text(r, "vcse_share"),
                "Type known": pct(r["classified_share"]),
                "Local share": share_text(r, "local_share"),
                "Local VCSE share": share_text(r, "local_vcse_share"),
                "Location known": pct(r["located_share"]),
                "SME share": share_text(r, "sme_share"),
                "Size known": pct(r["size_known_share"]),
                "Top-10 share": pct(r["top10_share"]),
                "Redacted": pct(r["redacted_share"]),
                "Not a supplier": gbp(r["not_a_supplier_pence"]),
            }
        )
    return table(pd.DataFrame(rows))


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


def service_areas(spend: pd.DataFrame, local_definition: str = "council", n: int = 12) -> HTML:
    """The n largest service areas with their VCSE and local shares.

    (local per ``local_definition``, as in the headline) beside their coverage.
    """
    areas = measures.spend_by_service_area(spend, n, local_definition)
    rows = [
        {
            "Service area": r["service_area"],
            "Third-party spend": f"£{r['total_pence'] / 100:,.0f}",
            "VCSE share": share_text(r, "vcse_share"),
            "Type known": pct(r["classified_share"]),
            "Local share": share_text(r, "local_share"),
            "Location known": pct(r["located_share"]),
        }
        for r in areas.to_dict("records")
    ]
    return table(pd.DataFrame(rows), empty="No service areas.")


def cles_top_n(by_year: pd.DataFrame, by_locality: pd.DataFrame, headline: pd.DataFrame) -> HTML:
    """CLES top-N per year.

    Suppliers ranked, share of spend covered, and the split of their spend by where they are based.
    """
    months = headline.set_index("financial_year")[["months"]].to_dict("index")
    split = by_locality.pivot_table(
        index="financial_year", columns="locality", values="share", aggfunc="sum"
    )
    rows = []
    for r in by_year.to_dict("records"):
        row = {
            "Financial year": year_name({**r, **months.get(r["financial_year"], {"months": 12})}),
            "Suppliers ranked": f"{int(r['suppliers']):,}",
            "Share of spend": pct(r["covered_share"]),
        }
        unknown = split.at[r["financial_year"], "unknown"] if "unknown" in split else 1.0
        located = 1.0 - float(unknown) if pd.notna(unknown) else 0.0
        for code, label in LOCALITY_LABELS.items():
            value = split.at[r["financial_year"], code] if code in split else float("nan")
            if code != "unknown" and located < MIN_COVERAGE:
                row[label] = f"not measured ({pct(located)} of their spend located)"
            else:
                row[label] = pct(value)
        rows.append(row)
    return table(pd.DataFrame(rows))


def share_changes(changes: pd.DataFrame) -> HTML:
    """Year-on-year and first-to-last changes of each share between full years.

    (first to last shown only when it spans more than one step).
    """
    steps = {
        (r["from_year"], r["to_year"])
        for r in changes.to_dict("records")
        if r["kind"] == "year_on_year"
    }
    rows = [
        {
            "Share": SHARE_LABELS.get(r["share"], r["share"]),
            "Between full years": f"{r['from_year']} and {r['to_year']}"
            + (" (first to last)" if r["kind"] == "first_to_last" else ""),
            "From": pct(r["from_value"]),
            "To": pct(r["to_value"]),
            "Change (points)": "not measured"
            if pd.isna(r["change"])
            else f"{r['change'] * 100:+.1f}",
        }
        for r in changes.to_dict("records")
        if r["kind"] == "year_on_year" or (r["from_year"], r["to_year"]) not in steps
    ]
    return table(pd.DataFrame(rows), empty="Changes need two full years of payments.")


def top_n_by_org_type(by_type: pd.DataFrame, year: str) -> HTML:
    """One year's top-N suppliers by organisation type: suppliers, spend and share."""
    part = by_type[(by_type["financial_year"] == year) & (by_type["suppliers"] > 0)]
    rows = [
        {
            "Type": ORG_TYPE_LABELS.get(r["org_type"], r["org_type"]),
            "Suppliers": f"{int(r['suppliers']):,}",
            "Spend": gbp(r["total_pence"]),
            "Share of top-N spend": pct(r["share"]),
        }
        for r in part.to_dict("records")
    ]
    return table(pd.DataFrame(rows), empty="No suppliers.")


def spend_size_profile(profile: pd.DataFrame, year: str) -> HTML:
    """One year's suppliers and spend by annual-spend band, and who holds each band."""
    part = profile[profile["financial_year"] == year]
    rows = []
    for _, code in SPEND_SIZE_BANDS:
        band = part[part["band"] == code]
        if band.empty:
            continue
        total = int(band["total_pence"].sum())
        holders = band.sort_values("total_pence", ascending=False)
        rows.append(
            {
                "Annual spend with the supplier": SPEND_BAND_LABELS[code],
                "Suppliers": f"{int(band['suppliers'].sum()):,}",
                "Spend": gbp(total),
                "Held by": ", ".join(
                    f"{ORG_TYPE_LABELS.get(h.org_type, h.org_type)} "
                    f"{pct(h.total_pence / total if total else None)}"
                    for h in holders.itertuples()
                    if h.total_pence > 0
                ),
            }
        )
    return table(pd.DataFrame(rows), empty="No suppliers.")


def dominance_breaches(dominance: pd.DataFrame, year: str, n: int = 10) -> HTML:
    """The largest service areas (by spend) where one supplier holds more than 20%."""
    part = dominance[(dominance["financial_year"] == year) & dominance["breach"]].head(n)
    rows = [
        {
            "Service area": r["service_area"],
            "Area spend": gbp(r["area_pence"]),
            "Suppliers": f"{int(r['suppliers']):,}",
            "Largest supplier": r["supplier_name"],
            "Its share": pct(r["supplier_share"]),
        }
        for r in part.to_dict("records")
    ]
    return table(pd.DataFrame(rows), empty="No service area breaches the 20% test.")


def churn(churn_table: pd.DataFrame) -> HTML:
    """Suppliers gained and lost between full years."""
    rows = [
        {
            "From": r["from_year"],
            "To": r["to_year"],
            "Continuing": f"{int(r['continuing']):,}",
            "New": f"{int(r['gained']):,}",
            "New suppliers' spend": gbp(r["gained_pence"]),
            "No longer paid": f"{int(r['lost']):,}",
            "Their earlier spend": gbp(r["lost_pence"]),
        }
        for r in churn_table.to_dict("records")
    ]
    return table(pd.DataFrame(rows), empty="Churn needs two full years.")


def opportunities(table_: pd.DataFrame, n: int = 10) -> HTML:
    """Ranked commissioning opportunities with their largest suppliers."""
    rows = [
        {
            "Service area": r["service_area"],
            "Field": r["field"],
            "Area spend": gbp(r["area_pence"]),
            "Private, not known local or small": gbp(r["opportunity_pence"]),
            "Share of area": pct(r["opportunity_share"]),
            "Confirmed large and non-local": gbp(r["confirmed_pence"]),
            "Largest such suppliers": "; ".join(
                f"{name} ({gbp(pence)})" for name, pence in r["largest_suppliers"]
            ),
        }
        for r in table_.head(n).to_dict("records")
    ]
    return table(pd.DataFrame(rows), empty="No opportunities found.")


def commissioning_fields(fields: Mapping[str, Sequence[str]]) -> HTML:
    """The fields and keywords used to find community-deliverable service areas."""
    frame = pd.DataFrame(
        {
            "Field": list(fields),
            "Keywords (start of a word)": [", ".join(k) for k in fields.values()],
        }
    )
    return table(frame)


def _indicator_value(r: Mapping) -> str:
    if r["status"] == "not_in_published_data":
        return SCORECARD_STATUS["not_in_published_data"]
    if r["status"] == "coverage_too_low":
        return SCORECARD_STATUS["coverage_too_low"]
    suffix = " (partial year)" if r["year_is_partial"] else ""
    return f"{pct(r['value'])} in {r['year']}{suffix}"


def _indicator_trend(r: Mapping) -> str:
    if r["status"] != "measured":
        return "—"
    if pd.isna(r["change"]):
        return "needs two full measured years"
    return f"{r['change'] * 100:+.1f} points since {r['first_year']} ({pct(r['first_value'])})"


def scorecard(card: pd.DataFrame) -> HTML:
    """The six Keep it Local principles: indicator, value and trend, or why not measurable."""
    rows = [
        {
            "Principle": PRINCIPLE_LABELS[r["principle"]],
            "What the published data can show": INDICATOR_LABELS.get(r["indicator"] or "", "—")
            if r["indicator"]
            else INDICATOR_LABELS["none_" + r["principle"]],
            "Value": _indicator_value(r),
            "Trend": _indicator_trend(r),
        }
        for r in card.to_dict("records")
    ]
    return table(pd.DataFrame(rows))


def _figure_value(value: float, high: float, unit: str) -> str:
    if unit == "gbp":
        return f"£{value / 1e6:,.0f}m"
    text = f"{value * 100:.0f}%"
    if pd.notna(high):
        text = f"{value * 100:.0f}–{high * 100:.0f}%"
    return text


def published_figures(side_by_side: pd.DataFrame) -> HTML:
    """Published figures beside this report's nearest measure.

    They are labelled as different definitions, with their source.
    """
    rows = []
    for r in side_by_side.to_dict("records"):
        ours = r["our_value"]
        if r["our_year"] is None:
            our_text = "no data for that year"
        elif pd.isna(ours):
            our_text = "not measured (or a different local definition)"
        elif str(r["our_measure"]).endswith("_spend"):
            our_text = f"£{ours / 1e6:,.1f}m"
        else:
            our_text = pct(ours)
        if r["our_year"] is not None and r["our_year_is_partial"]:
            our_text += f" ({r['our_year']}, partial year)"
        elif r["our_year"] is not None:
            our_text += f" ({r['our_year']})"
        rows.append(
            {
                "Published figure": f"{r['kind'].capitalize()}: {r['definition']}",
                "Period": r["period"],
                "Value": _figure_value(r["value"], r["value_high"], r["unit"]),
                "This report": PUBLISHED_MEASURE_LABELS.get(r["our_measure"], r["our_measure"])
                + ": "
                + our_text,
                "Same definition?": "no — different definition",
                "Source": r["source_title"],
            }
        )
    return table(pd.DataFrame(rows), empty="No published figures are recorded for this council.")


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
