"""Financial years with their coverage: which years hold all twelve months of payments.

A UK financial year runs 1 April – 31 March. A year whose data covers fewer than 12 calendar
months is *partial*: its totals are not comparable with a full year's, so trend lines and
"rose/fell" sentences in the sections beyond the spend ledger use full years only.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.analysis.measures import financial_year

MONTHS_IN_A_YEAR = 12


def months_by_year(dates: pd.Series) -> pd.DataFrame:
    """Per financial year: ``months`` (distinct calendar months with at least one dated row),
    ``missing_months`` (the absent months as ``YYYY-MM`` text, comma-separated) and ``partial``
    (fewer than 12 months). Sorted by year; undated rows are ignored."""
    d = pd.to_datetime(pd.Series(dates)).dropna()
    if d.empty:
        return pd.DataFrame(columns=["financial_year", "months", "missing_months", "partial"])
    frame = pd.DataFrame({"financial_year": financial_year(d), "month": d.dt.to_period("M")})
    rows = []
    for fy, g in frame.groupby("financial_year", sort=True):
        start = pd.Period(f"{int(str(fy)[:4])}-04", freq="M")
        every = [start + i for i in range(MONTHS_IN_A_YEAR)]
        present = set(g["month"])
        missing = [str(m) for m in every if m not in present]
        rows.append(
            {
                "financial_year": str(fy),
                "months": len(present),
                "missing_months": ", ".join(missing),
                "partial": len(present) < MONTHS_IN_A_YEAR,
            }
        )
    return pd.DataFrame(rows)


def full_years(dates: pd.Series) -> list[str]:
    """The financial years (``'2021/22'``) in which every one of the 12 months has data."""
    table = months_by_year(dates)
    return table.loc[~table["partial"].astype(bool), "financial_year"].tolist()
