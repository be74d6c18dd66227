"""Which payment lines count for what.

Third-party spend, named suppliers, and the categories (VCSE, local, local VCSE, SME) whose shares
the case study reports.

Definitions used by every measure (the one place they are written down):

* **Total spend** — every kept payment line, net (credit notes negative), in integer pence. It
reconciles to the ingest report.
* **Not-a-supplier lines** (``org_type == "not_a_supplier"``: finance-system accounts, bulk
payment runs, internal recharges) are kept in total spend but are not third-party spend: they
are left out of every share's denominator, every supplier count and every ranking, and shown
apart.
* **Third-party spend** — total spend less not-a-supplier lines. Shares are of this.
* **Named suppliers** — third-party lines that are not redacted. Redacted lines (individuals,
mostly care) are third-party spend but never a supplier in counts, rankings or concentration.
* **Coverage** — of named suppliers' spend, the share whose org type is known (classified),
whose location is known (located) or whose size is known.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

NOT_A_SUPPLIER = "not_a_supplier"
UNKNOWN = "unknown"
SME_SIZES = ("micro", "small", "medium")
LOCAL_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "council": ("in_area",),
    "region": ("in_area", "in_region"),
}
# The category shares of the headline, each with the coverage it depends on.
CATEGORY_SHARES = ("vcse_share", "local_share", "local_vcse_share", "sme_share")


def local_localities(local_definition: str) -> tuple[str, ...]:
    """Which ``locality`` values count as local under a definition ('council' or 'region')."""
    try:
        return LOCAL_DEFINITIONS[local_definition]
    except KeyError:
        known = ", ".join(LOCAL_DEFINITIONS)
        raise ValueError(f"unknown local_definition {local_definition!r} (use {known})") from None


def _column(spend: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name not in spend:
        return pd.Series(default, index=spend.index, dtype=object)
    column = spend[name]
    return column.fillna(default) if column.isna().any() else column


def not_a_supplier_mask(spend: pd.DataFrame) -> pd.Series:
    """True on not-a-supplier lines (finance accounts, payment runs, internal recharges)."""
    return _column(spend, "org_type", UNKNOWN) == NOT_A_SUPPLIER


def third_party_mask(spend: pd.DataFrame) -> pd.Series:
    """True on third-party lines: every line except not-a-supplier ones (redacted included)."""
    return ~not_a_supplier_mask(spend)


def named_supplier_mask(spend: pd.DataFrame) -> pd.Series:
    """True on lines paid to a named supplier: third-party and not redacted."""
    return third_party_mask(spend) & ~spend["is_redacted"].astype(bool)


def line_masks(spend: pd.DataFrame, local_definition: str = "council") -> dict[str, pd.Series]:
    """Every kind of line the measures count, computed in one pass (boolean Series).

    ``not_a_supplier``, ``third_party``, ``redacted`` (third-party), ``named``; the coverage masks
    ``classified``, ``located``, ``sized`` (named lines whose org type, location or size is known);
    and the category shares of :data:`CATEGORY_SHARES` (named lines counted by each: VCSE; local
    under ``local_definition``; local VCSE; micro/small/medium).
    """
    org = _column(spend, "org_type", UNKNOWN)
    locality = _column(spend, "locality", UNKNOWN)
    size = _column(spend, "size", UNKNOWN)
    not_a_supplier = org == NOT_A_SUPPLIER
    third = ~not_a_supplier
    redacted = third & spend["is_redacted"].astype(bool)
    named = third & ~redacted
    vcse = org == "vcse"
    local = locality.isin(local_localities(local_definition))
    return {
        "not_a_supplier": not_a_supplier,
        "third_party": third,
        "redacted": redacted,
        "named": named,
        "classified": named & (org != UNKNOWN),
        "located": named & (locality != UNKNOWN),
        "sized": named & (size != UNKNOWN),
        "vcse_share": named & vcse,
        "local_share": named & local,
        "local_vcse_share": named & vcse & local,
        "sme_share": named & size.isin(SME_SIZES),
    }


def category_mask(spend: pd.DataFrame, share: str, local_definition: str = "council") -> pd.Series:
    """True on the named-supplier lines counted by a category share (see ``line_masks``).

    ``vcse_share``, ``local_share``, ``local_vcse_share`` or ``sme_share``.
    """
    if share not in CATEGORY_SHARES:
        raise ValueError(f"unknown share {share!r} (use {', '.join(CATEGORY_SHARES)})")
    return line_masks(spend, local_definition)[share]


def coverage_masks(spend: pd.DataFrame) -> dict[str, pd.Series]:
    """Named-supplier lines whose org type, location or size is known.

    Columns ``classified``, ``located`` and ``sized``.
    """
    masks = line_masks(spend)
    return {k: masks[k] for k in ("classified", "located", "sized")}


# Which coverage each category share needs (all of them must reach the minimum).
SHARE_COVERAGE: dict[str, tuple[str, ...]] = {
    "vcse_share": ("classified",),
    "local_share": ("located",),
    "local_vcse_share": ("classified", "located"),
    "sme_share": ("sized",),
}


NOT_STATED = "(not stated)"


def service_area(spend: pd.DataFrame) -> pd.Series:
    """Each line's service area as published, stripped; blank → '(not stated)'."""
    areas = spend["service_area"].astype("category")  # clean each distinct name once
    names = areas.cat.categories.astype(str).str.strip()
    names = np.where(names == "", NOT_STATED, names).astype(object)
    codes = areas.cat.codes.to_numpy()
    values = np.where(codes < 0, NOT_STATED, names[np.maximum(codes, 0)] if len(names) else "")
    return pd.Series(values, index=spend.index, dtype=object)


def share_of(part: int | float, whole: int | float) -> float:
    """Part / whole as a float, NaN when the whole is zero (nothing to take a share of)."""
    return float(part) / float(whole) if whole else float("nan")


ENRICHMENT = ("org_type", "vcse_form", "size", "locality")


def lines_with(spend: pd.DataFrame, mask: pd.Series, columns: Iterable[str]) -> pd.DataFrame:
    """The lines where ``mask`` is True, with only those of ``columns`` that ``spend`` has.

    Copying the few columns a measure reads, not all twenty of the spend table, is most of what
    selecting lines costs on a large council.
    """
    return spend.loc[mask, [c for c in dict.fromkeys(columns) if c in spend.columns]]


def _named_lines(spend: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The named-supplier lines, with only ``columns`` and the enrichment columns present."""
    return lines_with(spend, named_supplier_mask(spend), (*columns, *ENRICHMENT))


def supplier_year_totals(spend: pd.DataFrame) -> pd.DataFrame:
    """Net spend per financial year and named supplier, with the supplier's enrichment.

    One small table that the per-year rankings (CLES top-N, concentration, size bands, churn) share
    instead of regrouping every payment line.

    Columns: financial_year, supplier_key, supplier_name (first published spelling that
    year), payments, total_pence, and the enrichment columns present in ``spend``; sorted by
    year, then spend (largest first), then key.
    """
    from kil_analysis.analysis.years import financial_year

    named = _named_lines(spend, ["payment_date", "supplier_key", "supplier_name", "amount_pence"])
    extra = [c for c in ENRICHMENT if c in named.columns]
    keys = [financial_year(named["payment_date"]).rename("financial_year"), named["supplier_key"]]
    out = (
        named.groupby(keys, observed=True, sort=False)
        .agg(
            supplier_name=("supplier_name", "first"),
            payments=("amount_pence", "size"),
            total_pence=("amount_pence", "sum"),
        )
        .reset_index()
    )
    if extra:  # the enrichment is one value per supplier (joined from the supplier table)
        attributes = named.drop_duplicates("supplier_key")[["supplier_key", *extra]]
        out = out.merge(attributes, on="supplier_key", how="left")
    out["total_pence"] = out["total_pence"].astype("int64")
    out = out.sort_values(
        ["financial_year", "total_pence", "supplier_key"], ascending=[True, False, True]
    )
    return out.reset_index(drop=True)


def supplier_totals(spend: pd.DataFrame) -> pd.DataFrame:
    """Net spend per named supplier (redacted and not-a-supplier lines excluded), largest first.

    Columns: supplier_key, supplier_name (the most frequent published spelling), payments,
    total_pence (exact), total_gbp, share (of third-party spend: redacted included,
    not-a-supplier lines excluded), cumulative_share, and the enrichment columns when present.
    """
    total = int(spend.loc[third_party_mask(spend), "amount_pence"].sum())
    named = _named_lines(spend, ["supplier_key", "supplier_name", "amount_pence"])
    names = (
        named.groupby(["supplier_key", "supplier_name"], sort=False, observed=True)
        .size()
        .reset_index(name="n")
        .sort_values(["supplier_key", "n", "supplier_name"], ascending=[True, False, True])
        .drop_duplicates("supplier_key")
        .set_index("supplier_key")["supplier_name"]
    )
    grouped = named.groupby("supplier_key", observed=True).agg(
        payments=("amount_pence", "size"), total_pence=("amount_pence", "sum")
    )
    extra = [c for c in ("org_type", "vcse_form", "size", "locality") if c in named.columns]
    if extra:
        grouped = grouped.join(named.groupby("supplier_key", observed=True)[extra].first())
    out = grouped.join(names).reset_index()
    out = out.sort_values(["total_pence", "supplier_key"], ascending=[False, True])
    out["total_pence"] = out["total_pence"].astype("int64")
    out["total_gbp"] = out["total_pence"] / 100
    out["share"] = out["total_pence"] / total if total else float("nan")
    out["cumulative_share"] = out["share"].cumsum()
    cols = ["supplier_key", "supplier_name", "payments", "total_pence", "total_gbp", "share"]
    return out[cols + ["cumulative_share"] + extra].reset_index(drop=True)
