"""The community asset map: the ward map, its table and the sentences around them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from IPython.display import HTML

from kil_analysis.present import house_style as hs
from kil_analysis.present.display import table
from kil_analysis.present.narrative import escape_markdown, gbp

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SOURCE_MARKERS = {
    "Co-operatives UK": ("o", hs.OKABE_ITO["orange"]),
    "Charity register (UKCAT)": ("s", hs.OKABE_ITO["blue"]),
    "Grant recipient": ("^", hs.OKABE_ITO["purple"]),
    "VCSE supplier": ("D", hs.OKABE_ITO["vermillion"]),
}


def _draw(ax, geometry, colour: str | tuple[float, ...]) -> None:
    polys = getattr(geometry, "geoms", [geometry])
    for poly in polys:
        x, y = poly.exterior.xy
        ax.fill(x, y, facecolor=colour, edgecolor="#555555", linewidth=0.6)


def asset_map(
    wards: pd.DataFrame, placed: pd.DataFrame, counts: pd.DataFrame, vintage: str, source: str
) -> Figure:
    """Wards shaded by the number of community organisations, with each organisation a point.

    (marker per source). Longitude is scaled by cos(latitude) so the map is not stretched.
    """
    import matplotlib

    fig, ax = hs.new_figure(figsize=(8.0, 7.0))
    by_code = counts.set_index("code")["organisations"]
    top = max(int(by_code.max()) if len(by_code) else 0, 1)
    cmap = matplotlib.colormaps["Greens"]
    for code, geometry in zip(wards["code"], wards["geometry"], strict=True):
        n = int(by_code.get(code, 0))
        _draw(ax, geometry, cmap(0.08 + 0.72 * n / top))
    for src, (marker, colour) in SOURCE_MARKERS.items():
        pts = placed[placed["source"] == src]
        if len(pts):
            ax.scatter(
                pts["lon"],
                pts["lat"],
                s=14,
                marker=marker,
                color=colour,
                edgecolor="white",
                linewidth=0.4,
                label=f"{src} ({len(pts)})",
                zorder=3,
            )
    lat = float(np.nanmean([g.centroid.y for g in wards["geometry"]]))
    ax.set_aspect(1 / np.cos(np.radians(lat)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        title="Organisations (points);\nwards darker where more",
    )
    leader = counts.iloc[0] if len(counts) else None
    title = (
        f"Most community organisations found are in {leader['name']} ward "
        f"({int(leader['organisations'])})"
        if leader is not None and leader["organisations"]
        else "No community organisations could be placed in a ward"
    )
    alt = (
        f"Map of {len(wards)} wards ({vintage}) shaded by the number of community organisations "
        f"placed in each: "
        + "; ".join(f"{r.name} {int(r.organisations)}" for r in counts.itertuples())
    )
    return hs.finish(fig, ax, title=title, source=f"{source} Wards: {vintage}.", alt=alt)


def ward_table(counts: pd.DataFrame, area_label: str = "Ward", n: int = 40) -> HTML:
    """Organisations per ward (or district) by source, beside VCSE spend and grants there."""
    shown = (
        counts.head(n)
        .drop(columns=["code"])
        .rename(
            columns={
                "name": area_label,
                "organisations": "All organisations",
                "vcse_spend_pence": "VCSE spend (suppliers based there)",
                "grant_pence": "Grants (recipients based there)",
            }
        )
    )
    money = ["VCSE spend (suppliers based there)", "Grants (recipients based there)"]
    return table(shown, dict.fromkeys(money, "pence"), empty="No organisation could be placed.")


def placing_note(counts: dict[str, int], lookup: str, method: str) -> str:
    """How the organisations were placed, and how many could not be (Markdown)."""
    return (
        f"{counts['with_postcode']:,} organisations have a postcode; {counts['placed']:,} are in "
        f"the council area by {escape_markdown(lookup)}, {counts['outside_council']:,} are "
        f"elsewhere and {counts['not_in_lookup']:,} have postcodes the lookup does not hold. "
        f"{method} A registered postcode is where an organisation is registered, not "
        "necessarily where it works."
    )


def summary(counts: pd.DataFrame, area_word: str) -> str:
    """Sentence: where organisations are densest, beside where VCSE spend goes."""
    if counts.empty or not counts["organisations"].sum():
        return "No community organisation could be placed in the council area."
    most = counts.iloc[0]
    spend = counts.sort_values("vcse_spend_pence", ascending=False).iloc[0]
    text = (
        f"{int(counts['organisations'].sum()):,} community organisations were placed in "
        f"{int((counts['organisations'] > 0).sum())} {area_word}s; the most are in "
        f"{escape_markdown(most['name'])} ({int(most['organisations'])})."
    )
    if spend["vcse_spend_pence"] > 0:
        text += (
            f" The council's VCSE spend goes most to suppliers based in "
            f"{escape_markdown(spend['name'])} ({gbp(spend['vcse_spend_pence'])})."
        )
    else:
        text += " None of the council's VCSE suppliers could be placed (no postcodes known)."
    return text


def social_housing_note(housing: pd.DataFrame | None, paid: int) -> str | None:
    """Registered providers of social housing: counted as suppliers, not mapped (no addresses)."""
    if housing is None:
        return None
    return (
        f"The register of social housing providers lists {len(housing):,} providers but no "
        f"addresses, so they are not on the map; {paid:,} of them are paid by the council as "
        "suppliers (matched by name)."
    )
