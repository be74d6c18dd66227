"""The comparison page's prose, tables and charts (``notebooks/compare_councils.ipynb``).

Council names and financial years come from data: every one is escaped
(``narrative.escape_markdown``, ``display.table``, ``house_style.safe_label``) before it reaches
Markdown, HTML or a chart. Measures: :mod:`kil_analysis.analysis.comparison`.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from kil_analysis.analysis.comparison import (
    SHARE_COVERAGE,
    council_names,
    is_demo,
    not_full_years,
)
from kil_analysis.labels import SHARE_LABELS
from kil_analysis.present.narrative import escape_markdown, listing, pct
from kil_analysis.present.titles import report_title

NO_REPORTS = "No case-study reports yet: run `kil report --all`."
LOCAL_DEFINITIONS = {"council": "the council's own area", "region": "the council's region"}
SHARE_NAMES = {
    **SHARE_LABELS,
    "sme_share": "SME share",
    "local_vcse_share": "Local VCSE share",
    "classified_share": "Type known",
    "size_known_share": "Size known",
}


def title(summaries: pd.DataFrame) -> str:
    """The report's Markdown title, saying DEMO DATA when any council's data is demo."""
    return f"# {report_title(is_demo(summaries))}"


def source_line(summaries: pd.DataFrame) -> str:
    """The source line under every comparison chart (plain text for matplotlib)."""
    names = council_names(summaries)
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    what = (
        "includes DEMO DATA — synthetic, not real spend"
        if is_demo(summaries)
        else "published spend data"
    )
    return f"Source: case-study reports for {shown} ({what}); kil analysis."


def _extremes(latest: pd.DataFrame, measure: str) -> str | None:
    rows = latest.dropna(subset=[measure])
    if rows.empty:
        return None
    label = SHARE_LABELS[measure]
    if len(rows) == 1:
        r = rows.iloc[0]
        return (
            f"{label}: {pct(r[measure])} in {escape_markdown(r['council_name'])} "
            f"({escape_markdown(r['financial_year'])})."
        )
    ordered = rows.sort_values([measure, "council"], ascending=[False, True], kind="stable")
    high, low = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"{label} is highest in {escape_markdown(high['council_name'])} "
        f"({pct(high[measure])} in {escape_markdown(high['financial_year'])}) and lowest in "
        f"{escape_markdown(low['council_name'])} ({pct(low[measure])} in "
        f"{escape_markdown(low['financial_year'])})."
    )


def overview(latest: pd.DataFrame) -> str:
    """A paragraph comparing the councils' latest full years (Markdown; names escaped)."""
    if latest.empty:
        return NO_REPORTS
    names = listing([escape_markdown(n) for n in latest["council_name"]])
    parts = [
        f"This report compares {len(latest)} "
        f"{'council' if len(latest) == 1 else 'councils'}: {names}. "
        "Figures are each council's latest full financial year in its own case study."
    ]
    parts += [
        s for m in ("vcse_share", "local_share", "top10_share") if (s := _extremes(latest, m))
    ]
    if latest["local_share"].isna().any():
        missing = latest[latest["local_share"].isna()]["council_name"]
        parts.append(
            "The local share is not measured for "
            + listing([escape_markdown(n) for n in missing])
            + "."
        )
    if is_demo(latest):
        parts.append(
            "**Demo data:** figures built on synthetic data are not real council spend and must "
            "not be quoted as evidence."
        )
    return " ".join(parts)


def _gbp_m(v: float) -> str:
    return "—" if pd.isna(v) else f"£{v / 1e6:,.1f}m"


def latest_year_table(latest: pd.DataFrame) -> HTML:
    """The latest year per council as an escaped HTML table with readable labels."""
    from kil_analysis.present.display import table

    columns = [
        "council_name",
        "financial_year",
        "months",
        "total_spend_gbp",
        "suppliers",
        "vcse_share",
        "local_share",
        "top10_share",
        "local_definition",
        "is_demo",
    ]
    shown = latest.reindex(columns=columns).assign(
        months=lambda d: d["months"].map(lambda v: "—" if pd.isna(v) else f"{int(v)}"),
        total_spend_gbp=lambda d: d["total_spend_gbp"].map(_gbp_m),
        suppliers=lambda d: d["suppliers"].map(lambda v: "—" if pd.isna(v) else f"{int(v):,}"),
        local_definition=lambda d: d["local_definition"].map(
            lambda v: LOCAL_DEFINITIONS.get(v, v), na_action="ignore"
        ),
    )
    shown = shown.rename(
        columns={
            "council_name": "Council",
            "local_definition": "Local means",
            "is_demo": "Demo data",
        }
    )
    formats = {m: "pct" for m in ("vcse_share", "local_share", "top10_share")}
    return table(shown, formats, empty=NO_REPORTS)


def _share_with_coverage(row: pd.Series, share: str) -> str:
    coverage = SHARE_COVERAGE.get(share)
    value = row.get(share)
    text = "not measured" if pd.isna(value) else pct(value)
    if coverage is None:
        return text
    cov = row.get(coverage)
    known = (
        "coverage not recorded" if pd.isna(cov) else f"{pct(cov)} {SHARE_NAMES[coverage].lower()}"
    )
    return f"{text} ({known})"


def side_by_side_table(rows: pd.DataFrame, benchmarks: pd.DataFrame) -> HTML:
    """Latest full year per council: spend, per resident, each share beside its coverage.

    And the published England-wide benchmarks as a last row (their own definitions).
    """
    from kil_analysis.present.display import table

    shares = ["vcse_share", "local_share", "sme_share", "top10_share"]
    out = []
    for _, r in rows.iterrows():
        line = {
            "Council": r["council_name"],
            "Full year": r["financial_year"],
            "Net spend": _gbp_m(r["total_spend_gbp"]),
            "Per resident": "—"
            if pd.isna(r["spend_per_resident_gbp"])
            else f"£{r['spend_per_resident_gbp']:,.0f}",
            "VCSE per resident": "—"
            if pd.isna(r["vcse_per_resident_gbp"])
            else f"£{r['vcse_per_resident_gbp']:,.0f}",
        }
        for share in shares:
            line[SHARE_NAMES[share]] = _share_with_coverage(r, share)
        out.append(line)
    if len(benchmarks):
        b = benchmarks.set_index("measure")["value"]
        year = int(benchmarks["year"].iloc[0])
        line = {"Council": f"England, {year} (published benchmark)", "Full year": str(year)}
        line |= {"Net spend": "—", "Per resident": "—", "VCSE per resident": "—"}
        for share in shares:
            line[SHARE_NAMES[share]] = pct(b[share], 0) if share in b else "—"
        out.append(line)
    return table(pd.DataFrame(out), empty="No council has a full financial year to compare.")


def benchmark_note(benchmarks: pd.DataFrame) -> str:
    """Where the benchmarks come from and why they are not targets (Markdown)."""
    if benchmarks.empty:
        return ""
    items = "; ".join(
        f"{SHARE_NAMES[r.measure]} {pct(r.value, 0)} — {escape_markdown(r.definition)}"
        for r in benchmarks.itertuples()
    )
    source = escape_markdown(benchmarks["source"].iloc[0])
    return (
        f"**Published benchmarks** ({source}): {items}. They use the Index's own supplier "
        "classification and definition of local, so they stand beside kil's figures for "
        "context, not as targets or as like-for-like comparisons."
    )


def population_note(rows: pd.DataFrame) -> str:
    """The population behind each per-resident figure, with its source (Markdown)."""
    parts = []
    for _, r in rows.drop_duplicates("council").iterrows():
        if pd.isna(r.get("population")):
            parts.append(f"{escape_markdown(r['council_name'])}: no population in its config")
        else:
            parts.append(
                f"{escape_markdown(r['council_name'])} {int(r['population']):,} "
                f"({int(r['population_year'])}; {escape_markdown(r['population_source'])})"
            )
    return "**Residents** used for per-resident figures: " + "; ".join(parts) + "." if parts else ""


def full_years_note(summaries: pd.DataFrame, common: list[str]) -> str:
    """Which years are compared and which were left out as part years (Markdown)."""
    left = not_full_years(summaries)
    text = "**Full years only.** " + (
        f"Every council has full years {listing([escape_markdown(y) for y in common])}."
        if common
        else "No financial year is a full year for every council."
    )
    if len(left):
        parts = [
            f"{escape_markdown(r.council_name)} {escape_markdown(r.financial_year)} ("
            + ("months not recorded" if pd.isna(r.months) else f"{int(r.months)} months")
            + ")"
            for r in left.itertuples()
        ]
        text += " Left out of the comparison: " + "; ".join(parts) + "."
    return text


def share_chart(summaries: pd.DataFrame, measure: str, source: str):
    """The ``measure`` share by financial year, one line per council, ready to display.

    A sentence instead when no council has the measure (e.g. the local share not measured).
    """
    from kil_analysis.present import plots
    from kil_analysis.present.display import figure, markdown

    if summaries.empty:
        return markdown("Nothing to chart yet: there are no full years to compare.")
    if summaries[measure].isna().all():
        return markdown(f"{SHARE_LABELS[measure]} is not measured for any council compared.")
    return figure(plots.shares_by_council(summaries, measure, source))


def _local_meaning(definition: str | None) -> str:
    """What a ``local_definition`` parameter means, in words (Markdown; data escaped)."""
    if definition is None:
        return "not recorded"
    return LOCAL_DEFINITIONS.get(definition) or escape_markdown(definition)


def _by_council(summaries: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(str(g["council_name"].iloc[0]), g) for _, g in summaries.groupby("council", sort=True)]


def caveats(summaries: pd.DataFrame) -> list[str]:
    """What a reader must know before comparing (Markdown lines; names escaped): part years.

    Different periods, what "local" means per council, shares not measured, demo data.
    """
    if summaries.empty:
        return [NO_REPORTS]
    lines = []
    part = []
    unknown = []
    for name, g in _by_council(summaries):
        short = g[g["months"] < 12]
        if not short.empty:
            years = ", ".join(
                f"{escape_markdown(r.financial_year)} ({int(r.months)} months)"
                for r in short.itertuples()
            )
            part.append(f"{escape_markdown(name)}: {years}")
        if g["months"].isna().any():
            unknown.append(escape_markdown(name))
    if part:
        lines.append(
            "**Part years** (fewer than 12 months of payments) — left out of the comparison: "
            + "; ".join(part)
            + "."
        )
    if unknown:
        lines.append(
            "**Months covered not recorded** for "
            + listing(unknown)
            + " (summaries from an older run): re-run their reports to check for part years."
        )
    periods = summaries.drop_duplicates("council")
    spans = {
        (r.period_start, r.period_end) for r in periods.itertuples() if r.period_start is not None
    }
    described = "; ".join(
        f"{escape_markdown(r.council_name)} {escape_markdown(r.period_start)} to "
        f"{escape_markdown(r.period_end)}"
        for r in periods.itertuples()
        if r.period_start is not None
    )
    if len(spans) > 1:
        lines.append(f"**Different periods**: {described}. Compare the same financial years.")
    elif spans:
        start, end = next(iter(spans))
        lines.append(
            f"**Period**: every report covers {escape_markdown(start)} to {escape_markdown(end)}."
        )
    meanings = [(r.council_name, _local_meaning(r.local_definition)) for r in periods.itertuples()]
    if len({m for _, m in meanings}) == 1:
        lines.append(f'**What "local" means**: in every report, {meanings[0][1]}.')
    else:
        each = "; ".join(f"{escape_markdown(name)}: {m}" for name, m in meanings)
        lines.append(
            f'**What "local" means differs by report** — compare local shares with care: {each}.'
        )
    not_measured = [
        f"{escape_markdown(name)} ({', '.join(escape_markdown(y) for y in years)})"
        for name, g in _by_council(summaries)
        if (years := g[g["local_share"].isna()]["financial_year"].tolist())
    ]
    if not_measured:
        lines.append(
            "**Local share not measured** (no supplier locations: no postcodes in the files "
            "and no register extracts loaded) for " + "; ".join(not_measured) + "."
        )
    demo = [escape_markdown(n) for n in council_names(summaries[summaries["is_demo"]])]
    if demo:
        lines.append(
            "**Demo data**: the figures for "
            + listing(demo)
            + " are computed from synthetic data generated by `kil demo`; they are not real "
            "council spend and must not be quoted as evidence."
        )
    return lines
