"""Comparing councils: the headline figures of every published case study side by side.

Each council's run writes ``reports/<slug>/summary.json`` (headline measures per financial year
plus the run manifest). :func:`load_summaries` reads them into one table, one row per council
and financial year; the functions below turn that table into what
``notebooks/compare_councils.ipynb`` shows: the latest year per council, sentences, the caveats
a reader needs before comparing, and the charts.

Council names and financial years come from data: every one of them is escaped
(``narrative.escape_markdown``, ``display.table``, ``house_style.safe_label``) before it reaches
Markdown, HTML or a chart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kil_analysis import paths
from kil_analysis.labels import SHARE_LABELS
from kil_analysis.present.narrative import escape_markdown, listing, pct
from kil_analysis.reporting.summary import year_number_fields

SUMMARY_FILE = "summary.json"
FAILED_FILE = "failed.json"
NO_REPORTS = "No case-study reports yet: run `kil report --all`."
# The headline measures every summary carries per financial year (numbers; shares are 0–1),
# as defined once by the summary's JSON Schema (``reporting/summary.schema.json``).
MEASURES = year_number_fields()
COLUMNS = (
    "council",
    "council_name",
    "is_demo",
    "local_definition",
    "period_start",
    "period_end",
    "financial_year",
    "total_spend",
    *MEASURES,
)
LOCAL_DEFINITIONS = {"council": "the council's own area", "region": "the council's region"}


def reports_root(reports_dir: str) -> Path:
    """The notebook's ``reports_dir`` parameter as a folder: empty means ``reports/``."""
    return Path(reports_dir).resolve() if reports_dir.strip() else paths.reports_dir()


def parse_councils(councils: str) -> list[str] | None:
    """The notebook's ``councils`` parameter ("bristol, newcastle") as slugs; empty → None (all)."""
    slugs = [s.strip() for s in councils.split(",") if s.strip()]
    return list(dict.fromkeys(slugs)) or None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def summary_rows(slug: str, summary: Any) -> list[dict[str, Any]]:
    """One row per financial year of a council's ``summary.json`` (already parsed), or [] when
    it is not in the agreed shape (not an object, no ``headline`` list, a year without
    ``financial_year``). Missing or non-numeric measures become NaN (e.g. ``local_share`` is
    null when the local share was not measurable)."""
    if not isinstance(summary, Mapping) or not isinstance(summary.get("headline"), list):
        return []
    headline = summary["headline"]
    if not headline or not all(
        isinstance(r, Mapping) and r.get("financial_year") not in (None, "") for r in headline
    ):
        return []
    manifest = summary.get("manifest")
    parameters = manifest.get("parameters") if isinstance(manifest, Mapping) else None
    local = parameters.get("local_definition") if isinstance(parameters, Mapping) else None
    period = summary.get("period")
    period = period if isinstance(period, list) and len(period) == 2 else [None, None]
    common = {
        "council": slug,
        "council_name": str(summary.get("council_name") or slug),
        "is_demo": bool(summary.get("is_demo")),
        "local_definition": None if local is None else str(local),
        "period_start": None if period[0] is None else str(period[0]),
        "period_end": None if period[1] is None else str(period[1]),
    }
    rows = []
    for r in headline:
        row = {**common, "financial_year": str(r["financial_year"])}
        spend = r.get("total_spend")
        row["total_spend"] = None if spend is None else str(spend)
        for measure in MEASURES:
            row[measure] = r.get(measure)
        rows.append(row)
    return rows


def load_summaries(reports_root: Path, councils: Sequence[str] | None = None) -> pd.DataFrame:
    """Every council's headline figures from ``reports_root/<slug>/summary.json``: one row per
    council × financial year (columns :data:`COLUMNS`), sorted by council and year.

    ``councils`` limits the table to those slugs (default: every folder). A folder is skipped
    when it has no readable ``summary.json`` in the agreed shape, or when its latest run failed
    (``failed.json`` beside it: the summary there is from an earlier run). Shares are 0–1 and
    NaN where not measured; ``total_spend`` is the exact decimal string, ``total_spend_gbp``
    its float (for display only); ``months`` is how many months of payments the year holds.
    """
    root = Path(reports_root)
    if councils is None:
        folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    else:
        folders = [root / slug for slug in dict.fromkeys(councils)]
    rows: list[dict[str, Any]] = []
    for folder in folders:
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        if (folder / FAILED_FILE).exists():
            continue
        rows += summary_rows(folder.name, _read_json(folder / SUMMARY_FILE))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for measure in MEASURES:
        df[measure] = pd.to_numeric(df[measure], errors="coerce").astype("float64")
    df["is_demo"] = df["is_demo"].astype(bool)
    return df.sort_values(["council", "financial_year"], kind="stable").reset_index(drop=True)


def latest_years(summaries: pd.DataFrame) -> pd.DataFrame:
    """Each council's latest financial year (one row per council, sorted by council name)."""
    if summaries.empty:
        return summaries.copy()
    latest = summaries.sort_values(["council", "financial_year"]).groupby("council").tail(1)
    return latest.sort_values(["council_name", "council"], kind="stable").reset_index(drop=True)


def is_demo(summaries: pd.DataFrame) -> bool:
    """True when any council's figures are built on the generated demo data."""
    return bool(summaries["is_demo"].any()) if not summaries.empty else False


def council_names(summaries: pd.DataFrame) -> list[str]:
    """Council names (as published, unescaped), one per council, in the table's order."""
    return summaries.drop_duplicates("council")["council_name"].tolist()


def title(summaries: pd.DataFrame) -> str:
    """The report's Markdown title, saying DEMO DATA when any council's data is demo."""
    from kil_analysis.present.titles import report_title

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
    """A paragraph comparing the councils' latest years (Markdown; names escaped)."""
    if latest.empty:
        return NO_REPORTS
    names = listing([escape_markdown(n) for n in latest["council_name"]])
    parts = [
        f"This report compares {len(latest)} "
        f"{'council' if len(latest) == 1 else 'councils'}: {names}. "
        "Figures are each council's latest financial year in its own case study."
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


def latest_year_table(latest: pd.DataFrame):
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
        total_spend_gbp=lambda d: d["total_spend_gbp"].map(
            lambda v: "—" if pd.isna(v) else f"£{v / 1e6:,.1f}m"
        ),
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


def share_chart(summaries: pd.DataFrame, measure: str, source: str):
    """The ``measure`` share by financial year, one line per council, ready to display; a
    sentence instead when no council has the measure (e.g. the local share not measured)."""
    from kil_analysis.present import plots
    from kil_analysis.present.display import figure, markdown

    if summaries.empty:
        return markdown("Nothing to chart yet: there are no case-study reports to compare.")
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
    """What a reader must know before comparing (Markdown lines; names escaped): part years,
    different periods, what "local" means per council, shares not measured, demo data."""
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
            "**Part years** (fewer than 12 months of payments) — compare shares, not totals: "
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
