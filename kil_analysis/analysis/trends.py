"""How the headline shares moved between full financial years, and which suppliers moved them.

Only full years (12 months of payments) are compared: a partial year's shares can differ from a
full year's simply because of which months it holds (care packages paid annually, capital
works in March). A share that was not measured (NaN: coverage too low) in either year gives no
change. Changes are in share points (0.012 = 1.2 percentage points).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kil_analysis.analysis.spend_lines import (
    CATEGORY_SHARES,
    category_mask,
    lines_with,
    third_party_mask,
)
from kil_analysis.analysis.years import financial_year, full_years

TREND_SHARES = (*CATEGORY_SHARES, "top10_share")


def share_changes(headline: pd.DataFrame, shares: Sequence[str] = TREND_SHARES) -> pd.DataFrame:
    """Year-on-year and first-to-last changes of each share across a table's full years.

    The table is a headline table (``measures.headline_by_year``).

    Columns: share, kind (``"year_on_year"`` between consecutive full years, ``"first_to_last"``
    from the first to the last full year), from_year, to_year, from_value, to_value, change
    (NaN when either value is not measured). No rows when there are fewer than two full years.
    """
    years = full_years(headline)
    rows = []
    h = headline.set_index("financial_year")
    pairs = [("year_on_year", a, b) for a, b in zip(years, years[1:], strict=False)]
    if len(years) >= 2:
        pairs.append(("first_to_last", years[0], years[-1]))
    for share in shares:
        for kind, a, b in pairs:
            before, after = float(h.at[a, share]), float(h.at[b, share])
            rows.append(
                {
                    "share": share,
                    "kind": kind,
                    "from_year": a,
                    "to_year": b,
                    "from_value": before,
                    "to_value": after,
                    "change": after - before,
                }
            )
    columns = ["share", "kind", "from_year", "to_year", "from_value", "to_value", "change"]
    return pd.DataFrame(rows, columns=columns)


def share_movers(
    spend: pd.DataFrame,
    share: str,
    from_year: str,
    to_year: str,
    local_definition: str = "council",
    n: int = 5,
) -> pd.DataFrame:
    """The suppliers whose spend moved a category share most between two years.

    A supplier in the category contributes ``to_pence / third_party(to_year) −
    from_pence / third_party(from_year)``; the contributions of all suppliers in the category
    add up exactly to the change in the share. ``share`` is a category share
    (``vcse_share``, ``local_share``, ``local_vcse_share``, ``sme_share``). Returns the ``n``
    largest contributions by size: supplier_key, supplier_name, from_pence, to_pence, contribution.
    """
    fy = financial_year(spend["payment_date"])
    third = {
        y: int(spend.loc[third_party_mask(spend) & (fy == y), "amount_pence"].sum())
        for y in (from_year, to_year)
    }
    mask = category_mask(spend, share, local_definition)
    rows = lines_with(
        spend,
        mask & fy.isin([from_year, to_year]),
        ("supplier_key", "supplier_name", "amount_pence"),
    ).assign(financial_year=fy)
    table = rows.pivot_table(
        index="supplier_key",
        columns="financial_year",
        values="amount_pence",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    ).reindex(columns=[from_year, to_year], fill_value=0)
    names = rows.groupby("supplier_key", observed=True)["supplier_name"].first()
    out = pd.DataFrame(
        {
            "supplier_key": table.index,
            "supplier_name": names.reindex(table.index).to_numpy(),
            "from_pence": table[from_year].astype("int64").to_numpy(),
            "to_pence": table[to_year].astype("int64").to_numpy(),
        }
    )

    def per(year: str) -> float:
        return 1 / third[year] if third[year] else float("nan")

    out["contribution"] = out["to_pence"] * per(to_year) - out["from_pence"] * per(from_year)
    out = out.assign(_size=out["contribution"].abs()).sort_values(
        ["_size", "supplier_key"], ascending=[False, True]
    )
    return out.drop(columns="_size").head(n).reset_index(drop=True)
