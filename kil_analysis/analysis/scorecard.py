"""The six Keep it Local principles as a scorecard.

For each, the indicator the published data can show, its value in the latest full year and its
change since the first full year — or that it cannot be measured.

Principles (Locality, *Keep it Local*), as codes (words in ``labels.PRINCIPLE_LABELS``):

* ``whole_system`` (think whole system) — proxy: share of spend paid to other public bodies
(NHS, other councils, schools), where pooled and joint arrangements show up in spend files.
* ``neighbourhood`` (coordinate at neighbourhood level) — not in published spend data: the files
say who was paid, not where a service was delivered.
* ``local_spend`` (increase local spend) — the local share.
* ``early_intervention`` (invest in early intervention) — proxy: the prevention share
(``analysis.prevention``: third-party spend on lines whose service area or expense type names
prevention, early help or public health; keywords from the council config or the defaults).
* ``community`` (commit to community and support local organisations) — the local VCSE share,
or the VCSE share when where suppliers are based is not known well enough.
* ``commission_simply`` (commission simply and collaboratively) — not in published spend data:
how a contract was let is not in the files (Contracts Finder notices can show it).

``status`` is ``measured``, ``coverage_too_low`` (the indicator exists but too little of the
spend is classified or located) or ``not_in_published_data``.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.analysis.prevention import prevention_by_year
from kil_analysis.analysis.spend_lines import coverage_masks, named_supplier_mask, third_party_mask
from kil_analysis.analysis.years import financial_year, full_years

PRINCIPLES = (
    "whole_system",
    "neighbourhood",
    "local_spend",
    "early_intervention",
    "community",
    "commission_simply",
)
MEASURED = "measured"
COVERAGE_TOO_LOW = "coverage_too_low"
NOT_IN_DATA = "not_in_published_data"
COLUMNS = (
    "principle",
    "indicator",
    "status",
    "year",
    "year_is_partial",
    "value",
    "first_year",
    "first_value",
    "change",
)


def indicator_by_year(
    spend: pd.DataFrame,
    indicator: str,
    prevention_lines: pd.Series | None = None,
    min_coverage: float = 0.5,
) -> pd.Series:
    """The proxy indicators that are not headline columns, per financial year.

    (share of third-party spend; NaN where not measured): ``public_body_share`` (needs classified
    coverage) and ``early_intervention_share`` (the prevention share of
    :func:`kil_analysis.analysis.prevention.prevention_by_year` over ``prevention_lines``, a
    boolean mask such as ``prevention.council_prevention_mask``).
    """
    if indicator == "early_intervention_share":
        if prevention_lines is None:
            raise ValueError("early_intervention_share needs the prevention lines (a mask)")
        table = prevention_by_year(spend, prevention_lines).set_index("financial_year")
        return table["prevention_share"].astype("float64").sort_index()
    fy = financial_year(spend["payment_date"]).to_numpy()
    third = third_party_mask(spend)
    pence = spend["amount_pence"]
    if indicator == "public_body_share":
        named = named_supplier_mask(spend)
        part = named & (spend["org_type"] == "public")
        classified = coverage_masks(spend)["classified"]
    else:
        raise ValueError(f"unknown indicator {indicator!r}")

    lines = {"third": third, "part": part, "named": named, "classified": classified}
    # pence per year on each kind of line, in one pass (the year labels factorized once)
    sums = pd.DataFrame({k: pence.where(mask, 0) for k, mask in lines.items()}).groupby(fy).sum()
    whole, named_pence = sums["third"], sums["named"]
    values = (sums["part"] / whole.where(whole != 0)).astype("float64")
    coverage = sums["classified"] / named_pence.where(named_pence != 0)
    values = values.where(coverage >= min_coverage).rename(pence.name)
    values.index = values.index.astype(str)
    return values.sort_index()


def _row(principle: str, indicator: str | None, values: pd.Series | None, partial: dict) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(principle=principle, indicator=indicator)
    if values is None:
        row["status"] = NOT_IN_DATA
        return row
    full = [y for y in values.index if not partial.get(y, True)]
    years = full or list(values.index[-1:])
    if not years:
        row["status"] = COVERAGE_TOO_LOW
        return row
    latest = years[-1]
    row.update(year=latest, year_is_partial=bool(partial.get(latest, True)))
    row["value"] = float(values[latest])
    row["status"] = MEASURED if pd.notna(row["value"]) else COVERAGE_TOO_LOW
    if len(full) >= 2 and pd.notna(values[full[0]]) and pd.notna(row["value"]):
        row.update(first_year=full[0], first_value=float(values[full[0]]))
        row["change"] = float(values[latest]) - float(values[full[0]])
    return row


def keep_it_local_scorecard(
    headline: pd.DataFrame,
    spend: pd.DataFrame,
    prevention_lines: pd.Series | None = None,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """One row per principle (:data:`PRINCIPLES`, in order), columns :data:`COLUMNS`.

    ``headline`` is ``measures.headline_by_year`` of the same ``spend``. ``value`` is the
    indicator in the latest full year (the latest year, flagged ``year_is_partial``, when there
    is no full year); ``change`` is in share points from the first full year, given only
    when both years are full and measured. ``prevention_lines`` (a boolean mask over ``spend``,
    e.g. ``prevention.council_prevention_mask(spend, config)``) gives the early-intervention
    indicator; without it that principle reads not measurable.
    """
    h = headline.set_index("financial_year")
    partial = h["is_partial"].astype(bool).to_dict()
    full = full_years(headline)
    latest = full[-1] if full else (h.index[-1] if len(h) else None)
    local_vcse_known = latest is not None and pd.notna(h.at[latest, "local_vcse_share"])
    community = "local_vcse_share" if local_vcse_known else "vcse_share"
    public = indicator_by_year(spend, "public_body_share", min_coverage=min_coverage)
    early = (
        indicator_by_year(spend, "early_intervention_share", prevention_lines)
        if prevention_lines is not None
        else None
    )
    rows = [
        _row("whole_system", "public_body_share", public, partial),
        _row("neighbourhood", None, None, partial),
        _row("local_spend", "local_share", h["local_share"], partial),
        _row(
            "early_intervention",
            "early_intervention_share",
            early,
            partial,
        ),
        _row("community", community, h[community], partial),
        _row("commission_simply", None, None, partial),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))
