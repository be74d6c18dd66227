"""Figures a council published about itself, beside the same measure computed here.

The published figures (``kil_analysis/data/published_figures.csv``, read by
``present.published.load_published_figures``) use their own definitions — "influenceable
spend", "contract spend", "procurement spend" — which are not this report's net spend over the
publication threshold. They are put side by side, never merged: ``same_definition`` is always
False for them, and the report says so.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = (
    "figure",
    "period",
    "kind",
    "value",
    "value_high",
    "unit",
    "definition",
    "source_title",
    "source_url",
    "our_year",
    "our_year_is_partial",
    "our_value",
    "our_measure",
    "our_local_definition",
    "same_definition",
)


def side_by_side(
    figures: pd.DataFrame, headline: pd.DataFrame, local_definition: str
) -> pd.DataFrame:
    """Each published figure with this report's nearest measure (columns :data:`COLUMNS`).

    ``compare_with`` in the figures names a headline measure (``vcse_share``, ``local_share``,
    ``local_spend``, ...; money as ``*_spend`` is taken from ``*_pence``, and is NaN where the
    matching share is not measured). Our value is from the figure's financial year when the
    data holds it, else NaN (``our_year`` None). A local
    measure is given only when the figure's ``local_definition`` is the report's (else NaN:
    the report would need ``local_definition`` set to the figure's to compare).
    """
    h = headline.set_index("financial_year") if not headline.empty else headline
    rows = []
    for f in figures.to_dict("records"):
        measure = str(f.get("compare_with") or "")
        column = (
            measure.removesuffix("_spend") + "_pence" if measure.endswith("_spend") else measure
        )
        year = f.get("financial_year")
        year = None if pd.isna(year) else str(year)
        wanted_local = f.get("local_definition")
        wanted_local = None if pd.isna(wanted_local) else str(wanted_local)
        ours = float("nan")
        partial = None
        has_year = year is not None and not headline.empty and year in h.index
        if has_year:
            partial = bool(h.at[year, "is_partial"])
        if has_year and column in h.columns and wanted_local in (None, local_definition):
            value = h.at[year, column]
            # money is given only where its share is measured: £0 of unlocated spend is
            # "not measured", not zero
            share = column.removesuffix("_pence") + "_share"
            measured = share not in h.columns or pd.notna(h.at[year, share])
            if pd.notna(value) and measured:
                ours = float(value) / 100 if column.endswith("_pence") else float(value)
        rows.append(
            {
                **{k: f.get(k) for k in COLUMNS[:9]},
                "our_year": year if has_year else None,
                "our_year_is_partial": partial,
                "our_value": ours,
                "our_measure": measure or None,
                "our_local_definition": wanted_local,
                "same_definition": False,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
