"""Concentration and scale of a council's supplier base.

All measures count **named suppliers** only (see ``spend_lines``): redacted and not-a-supplier
lines are never a supplier. Money is integer pence.

* ``top_n_share`` — share of third-party spend taken by the n largest suppliers.
* ``herfindahl_hirschman_index`` — the sum of squared market shares (in %) of suppliers'
  positive net spend: 10,000 is one supplier taking everything; under 1,500 is usually read as
  unconcentrated, over 2,500 as highly concentrated (the competition authorities' bands).
* ``suppliers_for_share`` — how many of the largest suppliers together hold a share (80% by
  default) of named suppliers' positive net spend.
* ``spend_size_profile`` — suppliers and spend by the band of their annual net spend from the
  council (not organisation size), split by org type.
* ``service_area_dominance`` — Locality's test that no supplier holds more than 20% of a
  service area's spend, per financial year, with the breaches.
* ``supplier_churn`` — suppliers (and spend) gained and lost between two years.

Caveat: suppliers with a net credit over a period (refunds larger than payments) are left out
of the HHI and the 80% count, which work on positive spend.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kil_analysis.analysis.spend_lines import (
    lines_with,
    named_supplier_mask,
    service_area,
    share_of,
    supplier_year_totals,
    third_party_mask,
)
from kil_analysis.analysis.years import financial_year, year_start

# (lower bound in pence, band code): annual net spend with one supplier.
SPEND_SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "under_25k"),
    (25_000_00, "25k_100k"),
    (100_000_00, "100k_1m"),
    (1_000_000_00, "1m_5m"),
    (5_000_000_00, "over_5m"),
)
DOMINANCE_CAP = 0.20


def _positive_supplier_pence(spend: pd.DataFrame) -> np.ndarray:
    named = lines_with(spend, named_supplier_mask(spend), ("supplier_key", "amount_pence"))
    return named.groupby("supplier_key", observed=True)["amount_pence"].sum().to_numpy("int64")


def top_pence(supplier_pence: np.ndarray, n: int) -> int:
    """Combined net spend (pence) of the n largest of some suppliers' totals."""
    values = np.sort(np.asarray(supplier_pence, dtype="int64"))[::-1]
    return int(values[:n].sum())


def hhi_of(supplier_pence: np.ndarray) -> float:
    """HHI (0–10,000) of suppliers' positive totals in pence, exact: 10,000 × Σ pᵢ² / (Σ pᵢ)².

    NaN when there is no positive spend.
    """
    pence = [int(v) for v in np.asarray(supplier_pence, dtype="int64") if v > 0]
    whole = sum(pence)
    return 10_000 * sum(p * p for p in pence) / (whole * whole) if whole else float("nan")


def count_holding(supplier_pence: np.ndarray, share: float) -> int:
    """How many of the largest positive totals together reach ``share`` of their sum."""
    values = np.asarray(supplier_pence, dtype="int64")
    values = np.sort(values[values > 0])[::-1]
    if not len(values):
        return 0
    return int(np.argmax(np.cumsum(values) >= share * values.sum())) + 1


def top_n_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Share of third-party spend that went to the n largest named suppliers (NaN if none)."""
    third_party = int(spend.loc[third_party_mask(spend), "amount_pence"].sum())
    return share_of(top_pence(_positive_supplier_pence(spend), n), third_party)


def herfindahl_hirschman_index(spend: pd.DataFrame) -> float:
    """HHI of named suppliers' positive net spend, 0–10,000 (NaN when there is none)."""
    return hhi_of(_positive_supplier_pence(spend))


def suppliers_for_share(spend: pd.DataFrame, share: float = 0.8) -> int:
    """How many of the largest named suppliers together hold ``share`` of their spend.

    The spend counted is named suppliers' positive net spend; 0 when there is none.
    """
    return count_holding(_positive_supplier_pence(spend), share)


def spend_size_band(annual_pence: pd.Series) -> pd.Series:
    """Band code of each supplier's annual net spend (:data:`SPEND_SIZE_BANDS`).

    A net credit falls in the lowest band.
    """
    edges = np.asarray([b for b, _ in SPEND_SIZE_BANDS[1:]], dtype="int64")
    codes = np.asarray([c for _, c in SPEND_SIZE_BANDS], dtype=object)
    idx = np.searchsorted(edges, annual_pence.to_numpy(dtype="int64"), side="right")
    return pd.Series(codes[idx], index=annual_pence.index)


def spend_size_profile(
    spend: pd.DataFrame, *, per_supplier: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Suppliers and net spend per financial year, annual-spend band and org type.

    Columns: financial_year, band (code from :data:`SPEND_SIZE_BANDS`), org_type, suppliers,
    total_pence. A supplier's band is set by its net spend in that year; in a partial year the
    bands understate annual spend.

    ``per_supplier`` is ``spend_lines.supplier_year_totals(spend)`` when the caller has already
    computed it for several measures (it must be of this same ``spend``); else it is computed here.
    """
    columns = ["financial_year", "band", "org_type", "suppliers", "total_pence"]
    if per_supplier is None:
        per_supplier = supplier_year_totals(spend)
    per_supplier = per_supplier.copy()  # the caller's table is shared: add columns to a copy
    if per_supplier.empty:
        return pd.DataFrame(columns=columns)
    if "org_type" not in per_supplier:
        per_supplier["org_type"] = "unknown"
    per_supplier["band"] = spend_size_band(per_supplier["total_pence"])
    out = (
        per_supplier.groupby(["financial_year", "band", "org_type"], observed=True)
        .agg(suppliers=("supplier_key", "size"), total_pence=("total_pence", "sum"))
        .reset_index()
    )
    order = {code: i for i, (_, code) in enumerate(SPEND_SIZE_BANDS)}
    out = out.assign(_o=out["band"].map(order)).sort_values(["financial_year", "_o", "org_type"])
    return out[columns].reset_index(drop=True)


def service_area_dominance(spend: pd.DataFrame, cap: float = DOMINANCE_CAP) -> pd.DataFrame:
    """Locality's 20% test per financial year and service area.

    The largest named supplier's share of the area's third-party spend, and whether it exceeds
    ``cap``.

    Columns: financial_year, service_area, area_pence, suppliers, supplier_key, supplier_name,
    supplier_pence, supplier_share, breach. Areas with no positive spend are left out. Rows
    sorted by year, then area spend (largest first).
    """
    used = ("payment_date", "service_area", "amount_pence", "supplier_key", "supplier_name")
    third = lines_with(spend, third_party_mask(spend), (*used, "org_type", "is_redacted"))
    third = third.assign(
        financial_year=financial_year(third["payment_date"]), _area=service_area(third)
    )
    area_pence = third.groupby(["financial_year", "_area"], observed=True)["amount_pence"].sum()
    named = third[named_supplier_mask(third)]
    per_supplier = (
        named.groupby(["financial_year", "_area", "supplier_key"], observed=True)
        .agg(supplier_pence=("amount_pence", "sum"), supplier_name=("supplier_name", "first"))
        .reset_index()
        .sort_values(
            ["financial_year", "_area", "supplier_pence", "supplier_key"],
            ascending=[True, True, False, True],
        )
    )
    counts = per_supplier.groupby(["financial_year", "_area"])["supplier_key"].size()
    largest = per_supplier.drop_duplicates(["financial_year", "_area"]).set_index(
        ["financial_year", "_area"]
    )
    out = largest.join(area_pence.rename("area_pence"), how="inner")
    out["suppliers"] = counts.reindex(out.index).fillna(0).astype(int)
    out = out[out["area_pence"] > 0].reset_index()
    out["supplier_share"] = out["supplier_pence"] / out["area_pence"]
    out["breach"] = out["supplier_share"] > cap
    out = out.rename(columns={"_area": "service_area"}).sort_values(
        ["financial_year", "area_pence", "service_area"], ascending=[True, False, True]
    )
    columns = [
        "financial_year",
        "service_area",
        "area_pence",
        "suppliers",
        "supplier_key",
        "supplier_name",
        "supplier_pence",
        "supplier_share",
        "breach",
    ]
    return out[columns].reset_index(drop=True)


def supplier_churn(
    spend: pd.DataFrame, years: Sequence[str], *, per_supplier: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Suppliers gained and lost between each pair of consecutive years in ``years``.

    Pass full years only (a partial year loses suppliers it simply has not reached yet).
    Columns: from_year, to_year, adjacent (the two years follow each other), continuing,
    gained, lost (supplier counts), gained_pence (the new suppliers' spend in ``to_year``),
    lost_pence (the departed suppliers' spend in ``from_year``), from_suppliers, to_suppliers.

    ``per_supplier`` is ``spend_lines.supplier_year_totals(spend)`` when the caller has already
    computed it for several measures (it must be of this same ``spend``); else it is computed here.
    """
    table = supplier_year_totals(spend) if per_supplier is None else per_supplier
    by_year = {
        y: table.loc[table["financial_year"] == y].set_index("supplier_key")["total_pence"]
        for y in years
    }
    rows = []
    ordered = sorted(years)
    for a, b in zip(ordered, ordered[1:], strict=False):
        before, after = by_year[a], by_year[b]
        gained = after.index.difference(before.index)
        lost = before.index.difference(after.index)
        rows.append(
            {
                "from_year": a,
                "to_year": b,
                "adjacent": year_start(b) - year_start(a) == 1,
                "continuing": len(after.index.intersection(before.index)),
                "gained": len(gained),
                "lost": len(lost),
                "gained_pence": int(after.reindex(gained).sum()),
                "lost_pence": int(before.reindex(lost).sum()),
                "from_suppliers": len(before),
                "to_suppliers": len(after),
            }
        )
    columns = [
        "from_year",
        "to_year",
        "adjacent",
        "continuing",
        "gained",
        "lost",
        "gained_pence",
        "lost_pence",
        "from_suppliers",
        "to_suppliers",
    ]
    return pd.DataFrame(rows, columns=columns)
