"""The Centre for Local Economic Strategies' top-N supplier analysis, per financial year.

CLES's spend analysis takes a council's N largest suppliers in a year (N = 300 by default) and
asks how much of the council's spend they cover and where that money goes: to suppliers based
in the council area, elsewhere in the region, outside it, or unknown. Doing the same here lets
councils compare like with like. The top N are chosen per year, among named suppliers (never
redacted or not-a-supplier lines); ``covered_share`` is of third-party spend.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.analysis.spend_lines import share_of, supplier_year_totals, third_party_mask
from kil_analysis.analysis.years import financial_year
from kil_analysis.schema import LOCALITIES, ORG_TYPES

DEFAULT_TOP_N = 300


def _years(
    spend: pd.DataFrame, top_n: int, per_supplier: pd.DataFrame | None = None
) -> list[tuple[str, int, pd.DataFrame]]:
    """Per financial year: its third-party spend and its ``top_n`` largest named suppliers."""
    fy = financial_year(spend["payment_date"])
    third = spend["amount_pence"].where(third_party_mask(spend), 0).groupby(fy.to_numpy()).sum()
    ranked = supplier_year_totals(spend) if per_supplier is None else per_supplier
    tops = {y: part.head(top_n) for y, part in ranked.groupby("financial_year", sort=False)}
    empty = ranked.head(0)
    return [(str(y), int(third[y]), tops.get(y, empty)) for y in sorted(third.index)]


def top_n_by_year(
    spend: pd.DataFrame, top_n: int = DEFAULT_TOP_N, *, per_supplier: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per financial year, the top-N suppliers against third-party spend.

    How many suppliers were ranked (``suppliers``, at most ``top_n``), their net spend
    (``top_n_pence``), third-party spend (``third_party_pence``) and the share of it they cover
    (``covered_share``). ``top_n`` is recorded as asked.

    ``per_supplier`` is ``spend_lines.supplier_year_totals(spend)`` when the caller has already
    computed it for several measures (it must be of this same ``spend``); else it is computed here.
    """
    rows = []
    for year, third, top in _years(spend, top_n, per_supplier):
        covered = int(top["total_pence"].sum())
        rows.append(
            {
                "financial_year": year,
                "top_n": top_n,
                "suppliers": len(top),
                "top_n_pence": covered,
                "third_party_pence": third,
                "covered_share": share_of(covered, third),
            }
        )
    columns = [
        "financial_year",
        "top_n",
        "suppliers",
        "top_n_pence",
        "third_party_pence",
        "covered_share",
    ]
    return pd.DataFrame(rows, columns=columns)


def top_n_split(
    spend: pd.DataFrame,
    by: str,
    top_n: int = DEFAULT_TOP_N,
    *,
    per_supplier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The top-N suppliers' spend per financial year split by ``by``.

    (``"locality"``: in_area / in_region / outside / unknown; or ``"org_type"``), every category
    present (zero when none). Columns: financial_year, ``by``, suppliers, total_pence, share (of the
    top N's spend).

    ``per_supplier`` is ``spend_lines.supplier_year_totals(spend)`` when the caller has already
    computed it for several measures (it must be of this same ``spend``); else it is computed here.
    """
    categories = {"locality": LOCALITIES, "org_type": ORG_TYPES}[by]
    rows = []
    for year, _third, top in _years(spend, top_n, per_supplier):
        if by not in top:
            top = top.assign(**{by: "unknown"})
        whole = int(top["total_pence"].sum())
        # two plain reductions: a named aggregation costs more than both on a few hundred rows
        groups = top.groupby(by, observed=True)
        counts, totals = groups.size(), groups["total_pence"].sum()
        seen = list(categories) + [c for c in totals.index if c not in categories]
        for category in seen:
            pence = int(totals.get(category, 0))
            rows.append(
                {
                    "financial_year": year,
                    by: category,
                    "suppliers": int(counts.get(category, 0)),
                    "total_pence": pence,
                    "share": share_of(pence, whole),
                }
            )
    return pd.DataFrame(rows, columns=["financial_year", by, "suppliers", "total_pence", "share"])
