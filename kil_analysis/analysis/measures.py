"""Keep it Local measures: pure functions from the enriched spend table to small tables.

Input is the canonical spend table (see ``schema.SPEND_COLUMNS``) with the supplier enrichment
joined on (``org_type``, ``locality``, ``size``, ``vcse_form``). Money is summed exactly in
integer pence (``amount_pence``); shares are floats in [0, 1] for display. Amounts are as the
council published them (net of VAT where it publishes net) and credit notes are negative, so
every total is *net* spend. Redacted payments (individuals, mostly care) count in the total
spend denominator but are never a "supplier" in counts or top-N rankings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

LOCAL_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "council": ("in_area",),
    "region": ("in_area", "in_region"),
}


def financial_year(dates: pd.Series) -> pd.Series:
    """UK public-sector financial year (1 April – 31 March) of each date, as '2023/24'."""
    d = pd.to_datetime(dates)
    start = d.dt.year - (d.dt.month < 4).astype(int)
    label = (
        start.astype("Int64").astype(str)
        + "/"
        + ((start + 1) % 100).astype("Int64").astype(str).str.zfill(2)
    )
    return label.where(d.notna())


def local_localities(local_definition: str) -> tuple[str, ...]:
    """Which ``locality`` values count as local under a definition ('council' or 'region')."""
    try:
        return LOCAL_DEFINITIONS[local_definition]
    except KeyError:
        known = ", ".join(LOCAL_DEFINITIONS)
        raise ValueError(f"unknown local_definition {local_definition!r} (use {known})") from None


def in_period(spend: pd.DataFrame, period_start: str | None, period_end: str | None) -> pd.Series:
    """Boolean mask of rows whose payment_date lies within [period_start, period_end]."""
    mask = pd.Series(True, index=spend.index)
    if period_start:
        mask &= spend["payment_date"] >= pd.Timestamp(period_start)
    if period_end:
        mask &= spend["payment_date"] <= pd.Timestamp(period_end)
    return mask


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole = whole.astype("float64")
    return (part.astype("float64") / whole.where(whole != 0)).fillna(0.0)


def _with_year(spend: pd.DataFrame) -> pd.DataFrame:
    return spend.assign(financial_year=financial_year(spend["payment_date"]))


def supplier_totals(spend: pd.DataFrame) -> pd.DataFrame:
    """Net spend per supplier (redacted rows excluded), largest first.

    Columns: supplier_key, supplier_name (the most frequent published spelling), payments,
    total_pence, total_gbp, share (of all net spend including redacted), cumulative_share, and
    the enrichment columns when present.
    """
    total = int(spend["amount_pence"].sum())
    named = spend[~spend["is_redacted"]]
    names = (
        named.groupby(["supplier_key", "supplier_name"], sort=False)
        .size()
        .reset_index(name="n")
        .sort_values(["supplier_key", "n", "supplier_name"], ascending=[True, False, True])
        .drop_duplicates("supplier_key")
        .set_index("supplier_key")["supplier_name"]
    )
    grouped = named.groupby("supplier_key").agg(
        payments=("amount_pence", "size"), total_pence=("amount_pence", "sum")
    )
    extra = [c for c in ("org_type", "vcse_form", "size", "locality") if c in named.columns]
    if extra:
        grouped = grouped.join(named.groupby("supplier_key")[extra].first())
    out = grouped.join(names).reset_index()
    out = out.sort_values(["total_pence", "supplier_key"], ascending=[False, True])
    out["total_gbp"] = out["total_pence"] / 100
    out["share"] = out["total_pence"] / total if total else 0.0
    out["cumulative_share"] = out["share"].cumsum()
    cols = ["supplier_key", "supplier_name", "payments", "total_pence", "total_gbp", "share"]
    return out[cols + ["cumulative_share"] + extra].reset_index(drop=True)


def top_suppliers(spend: pd.DataFrame, n: int = 300) -> pd.DataFrame:
    """The CLES-style top-N suppliers by net spend (see ``supplier_totals``), ranked from 1."""
    out = supplier_totals(spend).head(n)
    return out.assign(rank=np.arange(1, len(out) + 1))


def top_n_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Share of all net spend that went to the n largest (non-redacted) suppliers."""
    totals = supplier_totals(spend)
    return float(totals["share"].head(n).sum()) if len(totals) else 0.0


def suppliers_for_half_of_spend(spend: pd.DataFrame) -> int:
    """How many of the largest suppliers together take half of all net spend."""
    totals = supplier_totals(spend)
    reached = totals.index[totals["cumulative_share"] >= 0.5]
    return int(reached[0] + 1) if len(reached) else len(totals)


def headline_by_year(spend: pd.DataFrame, local_definition: str = "council") -> pd.DataFrame:
    """The headline Keep it Local measures per financial year.

    Columns: financial_year, months (calendar months with payments: fewer than 12 means a part
    year), total_pence (exact), total_spend_gbp, payments, suppliers (distinct named suppliers),
    redacted_share, vcse_share, located_share, local_share, top10_share. Shares are of total net
    spend in that year; ``local_share`` counts ``locality`` values per ``local_definition``.
    ``located_share`` is the share of named suppliers' spend whose location is known; when it is
    zero (no postcodes and no registers) ``local_share`` is NaN — not measurable, not 0%.
    """
    local = local_localities(local_definition)
    s = _with_year(spend)
    s = s.assign(
        _vcse=s["amount_pence"].where(s["org_type"] == "vcse", 0),
        _local=s["amount_pence"].where(s["locality"].isin(local), 0),
        _redacted=s["amount_pence"].where(s["is_redacted"], 0),
        _named=s["amount_pence"].where(~s["is_redacted"], 0),
        _located=s["amount_pence"].where(~s["is_redacted"] & (s["locality"] != "unknown"), 0),
        _month=s["payment_date"].dt.to_period("M"),
    )
    g = s.groupby("financial_year")
    out = g.agg(
        total_pence=("amount_pence", "sum"),
        payments=("amount_pence", "size"),
        vcse_pence=("_vcse", "sum"),
        local_pence=("_local", "sum"),
        redacted_pence=("_redacted", "sum"),
        named_pence=("_named", "sum"),
        located_pence=("_located", "sum"),
        months=("_month", "nunique"),
    )
    out["suppliers"] = s[~s["is_redacted"]].groupby("financial_year")["supplier_key"].nunique()
    out["suppliers"] = out["suppliers"].fillna(0).astype(int)
    out["top10_share"] = [top_n_share(part, 10) for _, part in g]
    out["total_spend_gbp"] = out["total_pence"] / 100
    out["vcse_share"] = _share(out["vcse_pence"], out["total_pence"])
    out["local_share"] = _share(out["local_pence"], out["total_pence"])
    out["redacted_share"] = _share(out["redacted_pence"], out["total_pence"])
    out["located_share"] = _share(out["located_pence"], out["named_pence"])
    out["local_share"] = out["local_share"].where(out["located_pence"] != 0)
    cols = [
        "months",
        "total_pence",
        "total_spend_gbp",
        "payments",
        "suppliers",
        "redacted_share",
        "vcse_share",
        "located_share",
        "local_share",
        "top10_share",
    ]
    return out[cols].reset_index().sort_values("financial_year").reset_index(drop=True)


def spend_by_year_and(spend: pd.DataFrame, column: str, categories: Sequence[str] | None = None):
    """Net spend in pence per financial year (rows) and category of ``column`` (columns)."""
    s = _with_year(spend)
    table = s.pivot_table(
        index="financial_year",
        columns=column,
        values="amount_pence",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    if categories is not None:
        table = table.reindex(columns=list(categories), fill_value=0)
    return table.sort_index()


def spend_by_service_area(spend: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """Net spend per service area with its VCSE and local shares, largest ``top`` areas first."""
    s = spend.assign(
        service_area=spend["service_area"].fillna("(not stated)").str.strip(),
        _vcse=spend["amount_pence"].where(spend["org_type"] == "vcse", 0),
        _local=spend["amount_pence"].where(spend["locality"] == "in_area", 0),
    )
    g = s.groupby("service_area").agg(
        total_pence=("amount_pence", "sum"),
        vcse_pence=("_vcse", "sum"),
        local_pence=("_local", "sum"),
    )
    g["vcse_share"] = _share(g["vcse_pence"], g["total_pence"])
    g["local_share"] = _share(g["local_pence"], g["total_pence"])
    g = g.sort_values(["total_pence"], ascending=False).head(top)
    return g.reset_index()


def vcse_spend_by_form(spend: pd.DataFrame) -> pd.DataFrame:
    """Net spend with VCSE suppliers by legal/organisational form, with supplier counts."""
    v = spend[spend["org_type"] == "vcse"].assign(
        vcse_form=lambda d: d["vcse_form"].fillna("unspecified").replace("", "unspecified")
    )
    out = v.groupby("vcse_form").agg(
        suppliers=("supplier_key", "nunique"), total_pence=("amount_pence", "sum")
    )
    return out.sort_values("total_pence", ascending=False).reset_index()


def spend_by_month(spend: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Net spend in pence per calendar month (rows), optionally split by a column."""
    month = spend["payment_date"].dt.to_period("M").dt.to_timestamp()
    if by is None:
        return spend.groupby(month)["amount_pence"].sum().rename_axis("month").to_frame()
    return spend.pivot_table(
        index=month.rename("month"), columns=by, values="amount_pence", aggfunc="sum", fill_value=0
    )


def payments_matching(spend: pd.DataFrame, text: str) -> pd.DataFrame:
    """Payments whose published supplier name contains ``text`` (case-insensitive, literal)."""
    mask = spend["supplier_name"].str.contains(text, case=False, regex=False, na=False)
    return spend[mask].sort_values(["payment_date", "source_file", "source_row"])


def grants_by_year(grants: pd.DataFrame) -> pd.DataFrame:
    """360Giving grants per financial year of award: number, recipients, total and median (pence).

    Grants are a separate route from payments to suppliers; a council's grant file and its spend
    file may overlap (a grant paid is also a payment line), so the two are never added together.
    """
    g = grants.assign(financial_year=financial_year(grants["award_date"]))
    out = g.groupby("financial_year").agg(
        grants=("amount_pence", "size"),
        recipients=("recipient_key", "nunique"),
        total_pence=("amount_pence", "sum"),
        median_pence=("amount_pence", "median"),
    )
    return out.reset_index().sort_values("financial_year", ignore_index=True)


def grant_recipients_paid_as_suppliers(grants: pd.DataFrame, spend: pd.DataFrame) -> pd.DataFrame:
    """Grant recipients with their grant total and whether (and how much) they were also paid
    as suppliers in the spend data, matched on the normalised name key. Largest grants first.

    Recipients funded by grants but never commissioned are candidates for Keep it Local
    commissioning conversations.
    """
    paid = spend[~spend["is_redacted"]].groupby("supplier_key")["amount_pence"].sum()
    by_recipient = grants.groupby("recipient_key").agg(
        recipient_name=("recipient_name", "first"),
        grants=("amount_pence", "size"),
        grant_pence=("amount_pence", "sum"),
    )
    by_recipient["supplier_spend_pence"] = paid.reindex(by_recipient.index).fillna(0).astype(int)
    by_recipient["also_a_supplier"] = by_recipient.index.isin(paid.index)
    out = by_recipient.reset_index().sort_values(
        ["grant_pence", "recipient_key"], ascending=[False, True], ignore_index=True
    )
    return out
