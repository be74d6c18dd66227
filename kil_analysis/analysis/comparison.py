"""Comparing councils with the same definitions: pure measures over the summaries table.

Input is :func:`kil_analysis.reporting.summaries.load_summaries`' table (one row per council ×
financial year). Comparisons use **full years only** (12 months of payments; a year with fewer,
or whose months were not recorded, is left out and listed), put each share beside its
**coverage** (:data:`SHARE_COVERAGE`: the share of spend classified, located or sized) and
express spend **per resident** with the population (and its source) from each council's config.
Published benchmarks (``readers.reference_figures.load_benchmarks``) stand beside, with their own
definitions. Prose and charts: :mod:`kil_analysis.present.comparison`.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.analysis.years import MONTHS_IN_YEAR

# Each share and the coverage that stands beside it (None: a share of all spend, no coverage).
SHARE_COVERAGE: dict[str, str | None] = {
    "vcse_share": "classified_share",
    "local_share": "located_share",
    "local_vcse_share": "located_share",
    "sme_share": "size_known_share",
    "top10_share": None,
}
BENCHMARKED = ("vcse_share", "local_share", "sme_share")


def latest_years(summaries: pd.DataFrame) -> pd.DataFrame:
    """Each council's latest financial year (one row per council, sorted by council name)."""
    if summaries.empty:
        return summaries.copy()
    latest = summaries.sort_values(["council", "financial_year"]).groupby("council").tail(1)
    return latest.sort_values(["council_name", "council"], kind="stable").reset_index(drop=True)


def full_years(summaries: pd.DataFrame) -> pd.DataFrame:
    """The rows of full financial years (12 months of payments recorded)."""
    return summaries[summaries["months"] == MONTHS_IN_YEAR].reset_index(drop=True)


def not_full_years(summaries: pd.DataFrame) -> pd.DataFrame:
    """The rows left out of full-year comparisons: part years and years with months unknown."""
    return summaries[summaries["months"] != MONTHS_IN_YEAR].reset_index(drop=True)


def common_full_years(summaries: pd.DataFrame) -> list[str]:
    """Financial years that are full years for every council compared (sorted)."""
    full = full_years(summaries)
    councils = summaries["council"].nunique()
    counts = full.groupby("financial_year")["council"].nunique()
    return sorted(counts[counts == councils].index) if councils else []


def is_demo(summaries: pd.DataFrame) -> bool:
    """True when any council's figures are built on the generated demo data."""
    return bool(summaries["is_demo"].any()) if not summaries.empty else False


def council_names(summaries: pd.DataFrame) -> list[str]:
    """Council names (as published, unescaped), one per council, in the table's order."""
    return summaries.drop_duplicates("council")["council_name"].tolist()


def per_resident(rows: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``population``, ``population_year``.

    ``population_source`` joined by council and ``spend_per_resident_gbp`` (net spend ÷ residents)
    and ``vcse_per_resident_gbp`` (VCSE share × net spend ÷ residents); NaN without a population.
    """
    out = rows.merge(populations, on="council", how="left")
    residents = pd.to_numeric(out["population"], errors="coerce").astype("float64")
    out["spend_per_resident_gbp"] = out["total_spend_gbp"] / residents
    out["vcse_per_resident_gbp"] = out["total_spend_gbp"] * out["vcse_share"] / residents
    return out


def side_by_side(summaries: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """Each council's latest full year.

    With per-resident spend and every share beside its coverage (one row per council, sorted by
    name); councils with no full year are absent.
    """
    latest = latest_years(full_years(summaries))
    return per_resident(latest, populations)


def benchmark_rows(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The published benchmarks of the shares compared.

    (``measure``, ``value``, ``scope``, ``year``, ``definition``, ``source``) in :data:`BENCHMARKED`
    order.
    """
    rows = benchmarks[benchmarks["measure"].isin(BENCHMARKED)].set_index("measure")
    return rows.reindex([m for m in BENCHMARKED if m in rows.index]).reset_index()
