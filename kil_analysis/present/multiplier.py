"""The local multiplier section's sentences, tables and chart — every figure labelled modelled."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from IPython.display import HTML

from kil_analysis.analysis.multiplier import GROUPS, MIN_LOCATED_SHARE, GroupRates
from kil_analysis.present import house_style as hs
from kil_analysis.present.display import table
from kil_analysis.present.narrative import escape_markdown, gbp, pct

GROUP_LABELS = {
    "local_sme": "Local SME",
    "local_large": "Local large firm",
    "local_size_unknown": "Local, size unknown",
    "non_local": "Not local",
    "local_vcse": "Local VCSE (scenario)",
}
MODELLED = (
    "**Modelled, not measured.** These figures apply re-spend rates from published studies "
    "(or the council's own survey) to the council's spend; nobody traced where the money went."
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def not_applicable(located: float) -> str:
    """Why the model is not applied when too little spend is located (Markdown)."""
    return (
        f"**The local multiplier model cannot be applied**: the location of only {pct(located)} "
        f"of named suppliers' spend is known (at least {pct(MIN_LOCATED_SHARE, 0)} is needed). "
        "The model needs to know which suppliers are local; kil does not assume it. Supplier "
        "postcodes (in the spend file or from register extracts) make it measurable."
    )


def rates_table(rates: dict[str, GroupRates], coefficients: pd.DataFrame) -> HTML:
    """The re-spend rate of each supplier group (low / central / high) and where it comes from."""
    rows = [
        {
            "Supplier group": GROUP_LABELS[g],
            "Low": f"{float(rates[g].low):.0%}",
            "Central": f"{float(rates[g].central):.1%}",
            "High": f"{float(rates[g].high):.0%}",
            "From": rates[g].origin,
        }
        for g in GROUPS
        if g in rates
    ]
    return table(pd.DataFrame(rows))


def sources_list(coefficients: pd.DataFrame) -> str:
    """The published studies behind the default rates, as a Markdown list."""
    lines = [
        f"- {escape_markdown(r.source)}: {escape_markdown(r.definition)} — "
        f"{float(r.respend_local):.0%}."
        for r in coefficients.itertuples()
    ]
    return "Published local re-spend rates used by default:\n\n" + "\n".join(lines)


def coverage_sentence(groups: dict[str, int]) -> str:
    """What spend the model covers and what it leaves out (pence, exact sums)."""
    located = sum(groups.get(g, 0) for g in GROUPS)
    return (
        f"The model covers {gbp(located)} of spend with suppliers whose location is known. It "
        f"leaves out {gbp(groups.get('location_unknown', 0))} with suppliers whose location is "
        f"unknown and {gbp(groups.get('excluded', 0))} paid to individuals or finance-system "
        "accounts."
    )


def scenarios_table(scenarios: pd.DataFrame) -> HTML:
    """Modelled local value today and under each scenario, low / central / high."""
    shown = scenarios.assign(
        scenario=scenarios["scenario"].str.replace("shift", "move", regex=False),
        lm3=scenarios["lm3"].map(lambda v: f"{v:.2f}"),
    )[["scenario", "bound", "r1", "r2", "r3", "lm3", "value_pence", "extra_value_pence"]]
    shown = shown.rename(
        columns={
            "scenario": "Scenario",
            "bound": "Rates",
            "r1": "R1 spend",
            "r2": "R2 re-spent locally",
            "r3": "R3 re-spent again",
            "lm3": "LM3 (modelled)",
            "value_pence": "Local value (modelled)",
            "extra_value_pence": "Extra vs today (modelled)",
        }
    )
    money = ["R1 spend", "R2 re-spent locally", "R3 re-spent again"]
    money += ["Local value (modelled)", "Extra vs today (modelled)"]
    return table(shown, dict.fromkeys(money, "pence"))


def scenario_sentence(scenarios: pd.DataFrame, year: str) -> str:
    """The central finding in words, with its low–high range, labelled modelled."""
    central = scenarios[scenarios["bound"] == "central"].set_index("scenario")
    low = scenarios[scenarios["bound"] == "low"].set_index("scenario")
    high = scenarios[scenarios["bound"] == "high"].set_index("scenario")
    today = central.loc["today"]
    text = (
        f"Modelled with the NEF Local Multiplier 3, the {gbp(today['r1'])} the council spent in "
        f"{year} with located suppliers is worth about {gbp(today['value_pence'])} to the local "
        f"economy (LM3 {today['lm3']:.2f}; range {low.loc['today', 'lm3']:.2f}–"
        f"{high.loc['today', 'lm3']:.2f} across the published rates)."
    )
    for name in [s for s in central.index if s != "today"]:
        row = central.loc[name]
        text += (
            f" If a further {row['share_moved']:.0%} of that spend ({gbp(row['moved_pence'])}) "
            f"went to local VCSE organisations instead of suppliers outside the area, the model "
            f"adds about {gbp(row['extra_value_pence'])} (range "
            f"{gbp(low.loc[name, 'extra_value_pence'])}–"
            f"{gbp(high.loc[name, 'extra_value_pence'])})."
        )
    return text + " These are modelled figures, not measurements."


def scenario_chart(scenarios: pd.DataFrame, source: str) -> Figure:
    """Bars: modelled local value today and per scenario (central), low–high as error bars."""
    central = scenarios[scenarios["bound"] == "central"].reset_index(drop=True)
    low = scenarios[scenarios["bound"] == "low"]["value_pence"].to_numpy(dtype=float)
    high = scenarios[scenarios["bound"] == "high"]["value_pence"].to_numpy(dtype=float)
    mid = central["value_pence"].to_numpy(dtype=float)
    fig, ax = hs.new_figure()
    x = np.arange(len(central))
    ax.bar(x, mid, color=hs.OKABE_ITO["green"], width=0.55, label="Central rates")
    ax.errorbar(x, mid, yerr=[mid - low, high - mid], fmt="none", ecolor="#333333", capsize=6)
    labels = ["Today" if s == "today" else s.replace("shift", "Move") for s in central["scenario"]]
    ax.set_xticks(x, labels)
    hs.pounds_millions(ax)
    ax.set_ylabel("Modelled local value (£m)")
    extra = central["extra_value_pence"].iloc[-1] if len(central) > 1 else 0
    title = (
        f"Modelled: moving spend to local VCSE groups adds about {gbp(extra)} locally"
        if len(central) > 1
        else "Modelled local value of today's spend"
    )
    alt = "Bar chart of modelled local economic value (NEF LM3): " + "; ".join(
        f"{lab} £{m / 1e8:,.1f}m (low £{lo / 1e8:,.1f}m, high £{hi / 1e8:,.1f}m)"
        for lab, m, lo, hi in zip(labels, mid, low, high, strict=True)
    )
    return hs.finish(fig, ax, title=title, source=source + " Modelled, not measured.", alt=alt)


def survey_note(rejects: list[str], responses: int) -> str:
    """What the council's survey added, and any rows it could not use (Markdown)."""
    text = f"The council's re-spend survey gave {responses:,} usable responses."
    if rejects:
        text += " Rows not used: " + "; ".join(escape_markdown(r) for r in rejects[:10])
        text += f" (and {len(rejects) - 10} more)." if len(rejects) > 10 else "."
    return text
