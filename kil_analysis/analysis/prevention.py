"""Prevention and early intervention: how much spend goes there, how much of it to VCSE groups.

A payment line is *prevention* when its service area matches one of the service keywords or its
expense type one of the expense keywords (a council's config sets them, else the package
defaults in ``kil_analysis/data/prevention_keywords.yml``; the report prints the words used).
A keyword matches at the start of a word, case-insensitively: ``prevent`` matches "Homelessness
Prevention". Caveat: this finds what the council's own coding names as prevention; spend on
preventive work coded to a broad service (e.g. "Adult Social Care") is not found, so the share
is a floor, not an estimate of all preventive spend.

Shares are of net third-party spend (credit notes negative; not-a-supplier lines such as payroll
left out, as in every headline share) and are compared over full financial years only (a year
with fewer than 12 months of payments is partial: shown, marked, never in a trend). The
principles scorecard's early-intervention indicator is this share (one definition).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from kil_analysis.analysis.spend_lines import third_party_mask
from kil_analysis.analysis.years import financial_year, year_coverage

if TYPE_CHECKING:
    from kil_analysis.config import CouncilConfig


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any keyword at the start of a word.

    (None if no keywords). Spaces in a phrase match any run of spaces, hyphens or ampersands'
    surroundings.
    """
    parts = [
        r"\b" + r"[\s\-]+".join(re.escape(w) for w in k.split()) for k in keywords if k.strip()
    ]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _matches(
    values: pd.Series | None, index: pd.Index, pattern: re.Pattern[str] | None
) -> pd.Series:
    if pattern is None or values is None:
        return pd.Series(False, index=index)
    text = values.astype("string").fillna("")
    codes, uniques = pd.factorize(text)
    hits = pd.Series([bool(pattern.search(u)) for u in uniques], dtype=bool)
    return pd.Series(hits.to_numpy()[codes], index=values.index)


def prevention_mask(
    spend: pd.DataFrame, service_keywords: Iterable[str], expense_keywords: Iterable[str]
) -> pd.Series:
    """True for payment lines whose service area or expense type names prevention.

    A file without a service-area or expense-type column matches on the other one only.
    """
    by_service = _matches(spend.get("service_area"), spend.index, keyword_pattern(service_keywords))
    by_expense = _matches(spend.get("expense_type"), spend.index, keyword_pattern(expense_keywords))
    return by_service | by_expense


def council_keywords(config: CouncilConfig) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The prevention keywords a council's report uses: (service, expense, from its config).

    A council's config may set ``prevention_service_keywords`` and/or
    ``prevention_expense_keywords``; otherwise (or for the one it leaves out) the package
    defaults in ``kil_analysis/data/prevention_keywords.yml`` apply.
    """
    from kil_analysis.readers.reference_figures import load_prevention_keywords

    defaults = load_prevention_keywords()
    service = config.prevention_service_keywords or defaults["service_keywords"]
    expense = config.prevention_expense_keywords or defaults["expense_keywords"]
    from_config = bool(config.prevention_service_keywords or config.prevention_expense_keywords)
    return service, expense, from_config


def council_prevention_mask(spend: pd.DataFrame, config: CouncilConfig) -> pd.Series:
    """:func:`prevention_mask` with the council's keywords (:func:`council_keywords`)."""
    service, expense, _ = council_keywords(config)
    return prevention_mask(spend, service, expense)


def prevention_by_year(spend: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """Per financial year.

    ``months``, ``partial``, ``total_pence``, ``prevention_pence``, ``prevention_share`` (of net
    third-party spend), ``prevention_vcse_pence`` and ``vcse_share_within`` (VCSE share of
    prevention spend; NaN when there is no prevention spend — not 0%), and
    ``classified_share_within`` (share of prevention spend whose supplier type is known).
    """
    fy = financial_year(spend["payment_date"])
    third = third_party_mask(spend)
    mask = mask & third
    pence = spend["amount_pence"].astype("int64").where(third, 0)
    frame = pd.DataFrame(
        {
            "financial_year": fy,
            "total": pence,
            "prevention": pence.where(mask, 0),
            "vcse": pence.where(mask & (spend["org_type"] == "vcse"), 0),
            "classified": pence.where(mask & ~spend["org_type"].isin(["unknown"]), 0),
        }
    )
    g = frame.groupby("financial_year").sum()
    months = year_coverage(spend).set_index("financial_year")
    out = pd.DataFrame(
        {
            "months": months["months"].reindex(g.index).astype(int),
            "partial": months["is_partial"].reindex(g.index).astype(bool),
            "total_pence": g["total"].astype("int64"),
            "prevention_pence": g["prevention"].astype("int64"),
            "prevention_vcse_pence": g["vcse"].astype("int64"),
        }
    )
    total = out["total_pence"].astype(float)
    prevention = out["prevention_pence"].astype(float)
    out["prevention_share"] = prevention / total.where(total != 0)
    out["vcse_share_within"] = out["prevention_vcse_pence"] / prevention.where(prevention != 0)
    out["classified_share_within"] = g["classified"] / prevention.where(prevention != 0)
    return out.reset_index().sort_values("financial_year", ignore_index=True)


def full_year_trend(by_year: pd.DataFrame, column: str = "prevention_share") -> dict | None:
    """First and last *full* year's value of ``column`` and the change between them.

    None with fewer than two full years measured.
    """
    full = by_year[~by_year["partial"].astype(bool)].dropna(subset=[column])
    if len(full) < 2:
        return None
    first, last = full.iloc[0], full.iloc[-1]
    return {
        "first_year": first["financial_year"],
        "last_year": last["financial_year"],
        "first": float(first[column]),
        "last": float(last[column]),
        "change": float(last[column] - first[column]),
    }


def matched_lines(spend: pd.DataFrame, mask: pd.Series, top: int = 15) -> pd.DataFrame:
    """The service areas and expense types that matched, with their net spend and lines.

    Largest first — so a reader can check what was counted as prevention.
    """
    hits = spend[mask].assign(
        service_area=lambda d: d["service_area"].fillna("(not stated)").str.strip(),
        expense_type=lambda d: d["expense_type"].fillna("(not stated)").str.strip(),
    )
    out = hits.groupby(["service_area", "expense_type"], dropna=False).agg(
        lines=("amount_pence", "size"), total_pence=("amount_pence", "sum")
    )
    out = out.reset_index().sort_values(["total_pence", "service_area"], ascending=[False, True])
    return out.head(top).reset_index(drop=True)
