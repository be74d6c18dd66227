"""Keep it Local measures: pure functions from the enriched spend table to small tables.

Input is the canonical spend table (see ``schema.SPEND_COLUMNS``) with the supplier enrichment
joined on (``org_type``, ``locality``, ``size``, ``vcse_form``). Money is summed exactly in
integer pence (``amount_pence``); shares are floats in [0, 1] for display. Amounts are as the
council published them (net of VAT where it publishes net) and credit notes are negative, so
every total is *net* spend. Which lines count for what (third-party spend, named suppliers,
not-a-supplier lines, coverage) is defined once in ``spend_lines``; financial years and their
coverage in ``years``; concentration in ``concentration``; the CLES top-N in ``cles``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kil_analysis.analysis import concentration
from kil_analysis.analysis.spend_lines import (
    CATEGORY_SHARES,
    LOCAL_DEFINITIONS,
    SHARE_COVERAGE,
    line_masks,
    local_localities,
    share_of,
    supplier_totals,
    supplier_year_totals,
)
from kil_analysis.analysis.years import financial_year, year_coverage

__all__ = [
    "LOCAL_DEFINITIONS",
    "financial_year",
    "local_localities",
    "supplier_totals",
    "supplier_year_totals",
]

# Below this share of named suppliers' spend classified / located / sized, the share that
# depends on it reads "not measured" (NaN), never a number that only reflects missing data.
MIN_COVERAGE = 0.5
TOP_CONCENTRATION = 10
CONCENTRATION_SHARE = 0.8
# Columns of ``headline_by_year``, in order (summary.json's per-year fields follow these).
HEADLINE_COLUMNS = (
    "financial_year",
    "months",
    "is_partial",
    "missing_months",
    "total_pence",
    "total_spend_gbp",
    "third_party_pence",
    "payments",
    "suppliers",
    "redacted_pence",
    "redacted_share",
    "not_a_supplier_pence",
    "not_a_supplier_share",
    "classified_share",
    "located_share",
    "size_known_share",
    "vcse_pence",
    "vcse_share",
    "local_pence",
    "local_share",
    "local_vcse_pence",
    "local_vcse_share",
    "sme_pence",
    "sme_share",
    "top10_share",
    "hhi",
    "suppliers_for_80pc",
)


def in_period(
    spend: pd.DataFrame,
    period_start: str | None,
    period_end: str | None,
    column: str = "payment_date",
) -> pd.Series:
    """Boolean mask of rows whose ``column`` (a date) lies within [period_start, period_end]."""
    mask = pd.Series(True, index=spend.index)
    if period_start:
        mask &= spend[column] >= pd.Timestamp(period_start)
    if period_end:
        mask &= spend[column] <= pd.Timestamp(period_end)
    return mask


def _with_year(spend: pd.DataFrame) -> pd.DataFrame:
    return spend.assign(financial_year=financial_year(spend["payment_date"]))


def top_suppliers(
    spend: pd.DataFrame, n: int = 300, *, totals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The CLES-style top-N named suppliers by net spend (see ``supplier_totals``).

    Ranked from 1. ``totals`` is ``supplier_totals(spend)`` when the caller already has it.
    """
    out = (supplier_totals(spend) if totals is None else totals).head(n)
    return out.assign(rank=np.arange(1, len(out) + 1))


def top_n_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Share of third-party net spend that went to the n largest named suppliers."""
    return concentration.top_n_share(spend, n)


def suppliers_for_half_of_spend(spend: pd.DataFrame) -> int:
    """How many of the largest named suppliers together take half of their positive spend."""
    return concentration.suppliers_for_share(spend, 0.5)


def _sums_by_year(spend: pd.DataFrame, local_definition: str) -> pd.DataFrame:
    """Pence per financial year on each kind of line (one pass over the payment lines)."""
    pence = spend["amount_pence"]
    masks = line_masks(spend, local_definition)
    third, named = masks["third_party"], masks["named"]
    lines = {
        "total_pence": pd.Series(True, index=spend.index),
        "third_party_pence": third,
        "named_pence": named,
        "redacted_pence": masks["redacted"],
        "not_a_supplier_pence": masks["not_a_supplier"],
        **{f"{k}_pence": masks[k] for k in ("classified", "located", "sized")},
        **{share.removesuffix("_share") + "_pence": masks[share] for share in CATEGORY_SHARES},
    }
    fy = financial_year(spend["payment_date"]).to_numpy()
    frame = pd.DataFrame({name: pence.where(mask, 0) for name, mask in lines.items()})
    sums = frame.groupby(fy).sum()
    sums["payments"] = third.groupby(fy).sum()
    sums["suppliers"] = spend.loc[named, "supplier_key"].groupby(fy[named.to_numpy()]).nunique()
    return sums.fillna(0).astype("int64")


def _year_headline(sums: pd.Series, supplier_pence: np.ndarray, min_coverage: float) -> dict:
    """The headline measures of one financial year from its sums.

    (``_sums_by_year``) and its net spend per named supplier (see ``headline_by_year``).
    """
    third, named = int(sums["third_party_pence"]), int(sums["named_pence"])
    row: dict = {
        k: int(sums[k])
        for k in (
            "total_pence",
            "third_party_pence",
            "payments",
            "suppliers",
            "redacted_pence",
            "not_a_supplier_pence",
        )
    }
    row["redacted_share"] = share_of(row["redacted_pence"], third)
    row["not_a_supplier_share"] = share_of(row["not_a_supplier_pence"], row["total_pence"])
    coverage = {
        k: share_of(int(sums[f"{k}_pence"]), named) for k in ("classified", "located", "sized")
    }
    row["classified_share"] = coverage["classified"]
    row["located_share"] = coverage["located"]
    row["size_known_share"] = coverage["sized"]
    for share in CATEGORY_SHARES:
        stem = share.removesuffix("_share")
        part_pence = int(sums[f"{stem}_pence"])
        enough = all(coverage[c] >= min_coverage for c in SHARE_COVERAGE[share])
        row[f"{stem}_pence"] = part_pence
        row[share] = share_of(part_pence, third) if enough else float("nan")
    top10 = concentration.top_pence(supplier_pence, TOP_CONCENTRATION)
    row["top10_share"] = share_of(top10, third)
    row["hhi"] = concentration.hhi_of(supplier_pence)
    row["suppliers_for_80pc"] = concentration.count_holding(supplier_pence, CONCENTRATION_SHARE)
    return row


def headline_by_year(
    spend: pd.DataFrame,
    local_definition: str = "council",
    min_coverage: float = MIN_COVERAGE,
    *,
    per_supplier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The headline Keep it Local measures per financial year (columns :data:`HEADLINE_COLUMNS`).

    * ``months`` / ``is_partial`` / ``missing_months``: how much of the year the data covers
      (``years.year_coverage``); partial years must not be compared with full ones.
    * ``total_pence``: every kept line (reconciles to the ingest report);
      ``third_party_pence``: less not-a-supplier lines, the denominator of every share;
      ``payments``: third-party lines; ``suppliers``: distinct named suppliers.
    * ``redacted_*`` (share of third-party spend) and ``not_a_supplier_*`` (share of total
      spend) are shown apart from the supplier measures.
    * Coverage, of named suppliers' spend: ``classified_share`` (org type known),
      ``located_share`` (location known), ``size_known_share`` (size known from registers).
    * ``vcse_share``, ``local_share`` (``locality`` per ``local_definition``),
      ``local_vcse_share``, ``sme_share``: shares of third-party spend, NaN ("not measured")
      when a coverage they depend on is below ``min_coverage``; their ``*_pence`` are always
      given (a lower bound when coverage is partial).
    * Concentration: ``top10_share`` (of third-party spend), ``hhi`` (0–10,000) and
      ``suppliers_for_80pc`` (see ``concentration``).

    ``per_supplier`` is ``spend_lines.supplier_year_totals(spend)`` when the caller has already
    computed it for several measures (it must be of this same ``spend``); else it is computed here.
    """
    local_localities(local_definition)  # a clear error for an unknown definition
    sums = _sums_by_year(spend, local_definition)
    if per_supplier is None:
        per_supplier = supplier_year_totals(spend)
    pence = {y: g["total_pence"].to_numpy() for y, g in per_supplier.groupby("financial_year")}
    empty = np.zeros(0, dtype="int64")
    rows = [
        {
            "financial_year": str(year),
            **_year_headline(sums.loc[year], pence.get(year, empty), min_coverage),
        }
        for year in sorted(sums.index)
    ]
    coverage = year_coverage(spend).set_index("financial_year")
    out = pd.DataFrame(rows, columns=[c for c in HEADLINE_COLUMNS if c not in coverage.columns])
    out = out.join(coverage[["months", "is_partial", "missing_months"]], on="financial_year")
    out["total_spend_gbp"] = out["total_pence"] / 100
    out = out[list(HEADLINE_COLUMNS)].sort_values("financial_year", ignore_index=True)
    for col in ("months", "total_pence", "third_party_pence", "payments", "suppliers"):
        out[col] = out[col].astype("int64")
    return out


def spend_by_year_and(spend: pd.DataFrame, column: str, categories: Sequence[str] | None = None):
    """Net spend in pence per financial year (rows) and category of ``column`` (columns)."""
    s = _with_year(spend[list(dict.fromkeys(["payment_date", column, "amount_pence"]))])
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


def spend_by_service_area(
    spend: pd.DataFrame, top: int = 12, local_definition: str = "council"
) -> pd.DataFrame:
    """Third-party spend per service area with VCSE and local shares.

    (local per ``local_definition``), largest ``top`` areas first; see
    ``opportunities.service_area_shares``.
    """
    from kil_analysis.analysis.opportunities import service_area_shares

    return service_area_shares(spend, local_definition, MIN_COVERAGE, top)


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


def grants_in_period(grants: pd.DataFrame, period: tuple[str, str]) -> pd.DataFrame:
    """The grants awarded within the report period (inclusive ``(start, end)`` ISO dates)."""
    return grants[in_period(grants, period[0], period[1], column="award_date")]


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
    """Grant recipients with their grant total, and what they were also paid as suppliers.

    Recipients are matched to the spend data on the normalised name key; largest grants first.

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
