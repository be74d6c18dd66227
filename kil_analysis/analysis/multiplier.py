"""Local Multiplier 3 (LM3) scenarios: a *model* of what spend is worth to the local economy.

The New Economics Foundation's LM3: ``LM3 = (R1 + R2 + R3) / R1``, where R1 is the council's
spend with suppliers, R2 the part of it that suppliers re-spend locally (wages of staff who live
in the area, purchases from local firms) and R3 the part of R2 re-spent locally again. The
modelled local economic value of the spend is ``R1 + R2 + R3``. Every figure here is modelled
from published re-spend rates, never measured; reports must say so.

**Supplier groups** (per payment, from the enrichment): ``local_sme`` (based locally, size
micro/small/medium), ``local_large`` (based locally, large), ``local_size_unknown``,
``non_local`` (located, not local), and for scenarios ``local_vcse`` (a local VCSE organisation).
"Local" follows the report's ``local_definition`` (``council``: in the council's area;
``region``: in its region too). Payments to individuals (redacted), to finance-system accounts
(``not_a_supplier``) and to suppliers whose location is unknown are left out of R1, and the
report says how much: the model is applied only to spend whose supplier location is known, and
not at all when too little is located (:data:`MIN_LOCATED_SHARE`).

**Rates** (share of each pound re-spent locally) come from ``kil_analysis/data/
lm3_coefficients.csv``: Northumberland County Council (2005) — local suppliers 0.76, non-local
0.36; FSB/CLES (2013) — local SME 0.63, large local firm 0.40. Each study's group applies to
the kil groups in :data:`STUDY_GROUPS`; a kil group's *low* and *high* rates are the lowest and
highest published rates that apply to it and *central* their midpoint (so the sensitivity range
is the spread between the studies, not a statistical interval). R3 applies the rates of a local
recipient of unknown size (:data:`R3_GROUP`): round-two money reaches local people and firms.
A council's own survey, then its config's ``multiplier_rates``, replace the published rates
group by group (:func:`rates_with_overrides`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from kil_analysis.analysis.measures import local_localities

if TYPE_CHECKING:
    from kil_analysis.config import RateRange

GROUPS = ("local_sme", "local_large", "local_size_unknown", "non_local", "local_vcse")
# Which kil supplier groups each published study group applies to.
STUDY_GROUPS: dict[str, tuple[str, ...]] = {
    "local": ("local_sme", "local_large", "local_size_unknown", "local_vcse"),
    "local_sme": ("local_sme", "local_size_unknown", "local_vcse"),
    "local_large": ("local_large", "local_size_unknown"),
    "non_local": ("non_local",),
}
R3_GROUP = "local_size_unknown"
SCENARIO_TARGET = "local_vcse"
SCENARIO_SOURCE = "non_local"
MIN_LOCATED_SHARE = 0.5
BOUNDS = ("low", "central", "high")
SMALL_SIZES = ("micro", "small", "medium")
EXCLUDED_ORG_TYPES = ("individual", "not_a_supplier")


@dataclass(frozen=True)
class GroupRates:
    """Low / central / high local re-spend rates of one supplier group, and where they came from.

    (``origin``: 'published studies', 'council survey (n responses)', 'council config').
    """

    low: Decimal
    central: Decimal
    high: Decimal
    origin: str


def published_rates(coefficients: pd.DataFrame) -> dict[str, GroupRates]:
    """Rates per kil supplier group from the published studies.

    (``study``, ``supplier_group``, ``respend_local`` rows; see the module docstring). A group no
    study covers is absent.
    """
    applicable: dict[str, list[Decimal]] = {g: [] for g in GROUPS}
    for r in coefficients.itertuples():
        for group in STUDY_GROUPS.get(str(r.supplier_group), ()):
            applicable[group].append(Decimal(str(r.respend_local)))
    out = {}
    for group, values in applicable.items():
        if values:
            low, high = min(values), max(values)
            out[group] = GroupRates(low, (low + high) / 2, high, "published studies")
    return out


def rates_with_overrides(
    published: Mapping[str, GroupRates],
    config: Mapping[str, RateRange] | None = None,
    survey: Mapping[str, GroupRates] | None = None,
) -> dict[str, GroupRates]:
    """Published rates, replaced group by group by the config's ``multiplier_rates``.

    (objects with low/central/high) and then by the council's own survey (which wins).
    """
    out = dict(published)
    for group, r in (config or {}).items():
        out[group] = GroupRates(
            Decimal(str(r.low)), Decimal(str(r.central)), Decimal(str(r.high)), "council config"
        )
    out.update(survey or {})
    return out


def supplier_group(spend: pd.DataFrame, local_definition: str = "council") -> pd.Series:
    """The LM3 supplier group of each payment row (:data:`GROUPS`).

    ``location_unknown`` when the supplier's location is unknown, or ``excluded`` (redacted
    individuals, finance-system accounts).
    """
    local = spend["locality"].isin(local_localities(local_definition))
    size = spend["size"].fillna("unknown")
    group = pd.Series("non_local", index=spend.index, dtype=object)
    group[local & size.isin(SMALL_SIZES)] = "local_sme"
    group[local & (size == "large")] = "local_large"
    group[local & ~size.isin([*SMALL_SIZES, "large"])] = "local_size_unknown"
    group[spend["locality"].fillna("unknown") == "unknown"] = "location_unknown"
    excluded = spend["org_type"].isin(EXCLUDED_ORG_TYPES) | spend["is_redacted"].astype(bool)
    group[excluded] = "excluded"
    return group


def spend_by_group(spend: pd.DataFrame, local_definition: str = "council") -> dict[str, int]:
    """Net spend in pence per supplier group.

    (every group of :data:`GROUPS`, plus ``location_unknown`` and ``excluded``), summed exactly.
    """
    totals = spend["amount_pence"].groupby(supplier_group(spend, local_definition)).sum()
    keys = (*GROUPS, "location_unknown", "excluded")
    return {k: int(totals.get(k, 0)) for k in keys}


def located_share(groups: Mapping[str, int]) -> float:
    """Share of named suppliers' spend (excluded groups left out) whose location is known."""
    located = sum(groups.get(g, 0) for g in GROUPS)
    named = located + groups.get("location_unknown", 0)
    return located / named if named else 0.0


def _pence(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def lm3(
    groups: Mapping[str, int], rates: Mapping[str, GroupRates], bound: str = "central"
) -> dict[str, Any]:
    """R1, R2, R3 (pence, R2/R3 rounded to whole pence), ``lm3`` (Decimal) and ``value``.

    (R1 + R2 + R3) for spend per supplier group at the ``bound`` ('low'/'central'/'high') rates. R1
    is the located spend (:data:`GROUPS`); a group with spend but no rate raises.
    """
    r1 = sum(groups.get(g, 0) for g in GROUPS)
    r2 = Decimal(0)
    for group in GROUPS:
        pence = groups.get(group, 0)
        if not pence:
            continue
        if group not in rates:
            raise ValueError(f"no local re-spend rate for supplier group {group!r}")
        r2 += Decimal(pence) * getattr(rates[group], bound)
    r3 = r2 * getattr(rates[R3_GROUP], bound)
    r2_p, r3_p = _pence(r2), _pence(r3)
    ratio = (Decimal(r1 + r2_p + r3_p) / Decimal(r1)) if r1 else Decimal("NaN")
    return {"r1": r1, "r2": r2_p, "r3": r3_p, "lm3": ratio, "value": r1 + r2_p + r3_p}


def shift_to_local_vcse(groups: Mapping[str, int], share: float) -> tuple[dict[str, int], int]:
    """The spend per group if ``share`` of the located spend moved to local VCSE organisations.

    The pence move from non-local suppliers (capped at the non-local spend there is); returns
    the new groups and the pence moved.
    """
    r1 = sum(groups.get(g, 0) for g in GROUPS)
    moved = min(_pence(Decimal(r1) * Decimal(str(share))), max(groups.get(SCENARIO_SOURCE, 0), 0))
    out = dict(groups)
    out[SCENARIO_SOURCE] = out.get(SCENARIO_SOURCE, 0) - moved
    out[SCENARIO_TARGET] = out.get(SCENARIO_TARGET, 0) + moved
    return out, moved


def lm3_scenarios(
    groups: Mapping[str, int],
    rates: Mapping[str, GroupRates],
    shares: tuple[float, ...] = (0.10,),
) -> pd.DataFrame:
    """Today's spend and each shift scenario at low / central / high rates.

    One row per scenario × bound with ``scenario`` ('today' or 'shift 10%'), ``share_moved``,
    ``moved_pence``, ``bound``, ``r1``, ``r2``, ``r3``, ``lm3`` (float), ``value_pence`` and
    ``extra_value_pence`` (over today's value at the same bound).
    """
    cases = [("today", 0.0, dict(groups), 0)]
    for share in shares:
        shifted, moved = shift_to_local_vcse(groups, share)
        cases.append((f"shift {share:.0%}", share, shifted, moved))
    rows = []
    base = {b: lm3(groups, rates, b)["value"] for b in BOUNDS}
    for name, share, g, moved in cases:
        for bound in BOUNDS:
            result = lm3(g, rates, bound)
            rows.append(
                {
                    "scenario": name,
                    "share_moved": share,
                    "moved_pence": moved,
                    "bound": bound,
                    "r1": result["r1"],
                    "r2": result["r2"],
                    "r3": result["r3"],
                    "lm3": float(result["lm3"]),
                    "value_pence": result["value"],
                    "extra_value_pence": result["value"] - base[bound],
                }
            )
    return pd.DataFrame(rows)
