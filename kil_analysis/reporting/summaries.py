"""Reading every council's published ``reports/<slug>/summary.json`` into one table.

And the council facts the comparison needs beside it (population with its source, from the configs).

:func:`load_summaries` gives one row per council and financial year; the pure comparison
measures are in :mod:`kil_analysis.analysis.comparison` and the page's prose and charts in
:mod:`kil_analysis.present.comparison`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kil_analysis import paths
from kil_analysis.reporting.summary import year_number_fields

SUMMARY_FILE = "summary.json"
FAILED_FILE = "failed.json"
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
POPULATION_COLUMNS = ("council", "population", "population_year", "population_source")


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
    """One row per financial year of a council's ``summary.json`` (already parsed).

    Or [] when it is not in the agreed shape (not an object, no ``headline`` list, a year without
    ``financial_year``). Missing or non-numeric measures become NaN (e.g. ``local_share`` is null
    when the local share was not measurable).
    """
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
    """Every council's headline figures from ``reports_root/<slug>/summary.json``.

    One row per council × financial year (columns :data:`COLUMNS`), sorted by council and year.

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


def council_populations(slugs: Sequence[str]) -> pd.DataFrame:
    """Population with its year and source per council, from the configs.

    (columns :data:`POPULATION_COLUMNS`; NA where a council has no config or no population).
    """
    from kil_analysis.config import ConfigError, load_council

    rows = []
    for slug in dict.fromkeys(slugs):
        try:
            population = load_council(slug).population
        except ConfigError:
            population = None
        rows.append(
            {
                "council": slug,
                "population": population.count if population else pd.NA,
                "population_year": population.year if population else pd.NA,
                "population_source": population.source if population else pd.NA,
            }
        )
    return pd.DataFrame(rows, columns=list(POPULATION_COLUMNS))
