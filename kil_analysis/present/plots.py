"""Charts for the case study. Each takes a small table from ``measures`` and returns a Figure in
the house style, with a title that states the finding, axis units, a source line and alt text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_analysis.analysis.concentration import SPEND_SIZE_BANDS
from kil_analysis.analysis.years import full_years
from kil_analysis.labels import LOCALITY_LABELS, ORG_TYPE_LABELS, SHARE_LABELS, SPEND_BAND_LABELS
from kil_analysis.present import house_style as hs
from kil_analysis.present.narrative import (
    LOCAL_PLACES,
    change_phrase,
    not_measured,
    pct,
    year_name,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _months(table: pd.DataFrame, months: Mapping[str, int] | None) -> list[int]:
    return [int((months or {}).get(str(fy), 12)) for fy in table.index]


def _stacked_bars(
    table: pd.DataFrame, colours: dict, labels: dict, ax, months: Mapping[str, int] | None
) -> None:
    bottom_pos = np.zeros(len(table))
    bottom_neg = np.zeros(len(table))
    x = np.arange(len(table))
    held = _months(table, months)
    hatches = [hs.PARTIAL_HATCH if m < 12 else "" for m in held]
    for col in table.columns:
        values = table[col].to_numpy(dtype="float64")
        if not values.any():
            continue
        base = np.where(values >= 0, bottom_pos, bottom_neg)
        bars = ax.bar(
            x,
            values,
            bottom=base,
            color=colours.get(col),
            label=labels.get(col, col),
            width=0.6,
            edgecolor="white",
            linewidth=0.5,
        )
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        bottom_pos += np.where(values >= 0, values, 0)
        bottom_neg += np.where(values < 0, values, 0)
    ax.set_xticks(x, [hs.year_tick(str(fy), m) for fy, m in zip(table.index, held, strict=True)])


def _stacked_spend_chart(
    table: pd.DataFrame,
    colours: dict,
    labels: dict,
    *,
    title: str,
    what: str,
    source: str,
    months: Mapping[str, int] | None = None,
) -> Figure:
    """Stacked net spend (£m) per financial year, one band per column of ``table``; partial
    years hatched and their months in the tick label.
    """
    fig, ax = hs.new_figure()
    _stacked_bars(table, colours, labels, ax, months)
    hs.pounds_millions(ax)
    ax.set_ylabel("Net spend (£m)")
    ax.set_xlabel("Financial year (hatched: partial year)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    held = _months(table, months)
    alt = f"Stacked bar chart of net spend per financial year by {what}. " + "; ".join(
        f"{fy}{'' if m >= 12 else f' (partial: {m} months)'}: "
        + ", ".join(f"{labels.get(c, c)} £{v / 1e8:,.1f}m" for c, v in row.items() if v)
        for (fy, row), m in zip(table.iterrows(), held, strict=True)
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def _lead_year(table: pd.DataFrame, months: Mapping[str, int] | None) -> str:
    """The latest full year of a year-indexed table (the latest year if none is full)."""
    full = [fy for fy, m in zip(table.index, _months(table, months), strict=True) if m >= 12]
    return str(full[-1] if full else table.index[-1])


def _share_in(table: pd.DataFrame, year: str, columns: Sequence[str]) -> float:
    row = table.loc[year]
    whole = row.sum()
    return float(row.reindex(list(columns), fill_value=0).sum() / whole) if whole else 0.0


def spend_by_org_type(
    by_type: pd.DataFrame, source: str, months: Mapping[str, int] | None = None
) -> Figure:
    """Stacked net spend (£m) per financial year by organisation type; the title states the
    VCSE share of the latest full year.
    """
    year = _lead_year(by_type, months)
    third = by_type.drop(columns=["not_a_supplier"], errors="ignore")
    title = (
        f"VCSE organisations received {pct(_share_in(third, year, ['vcse']))} of spend in {year}"
    )
    return _stacked_spend_chart(
        by_type,
        hs.ORG_TYPE_COLOURS,
        ORG_TYPE_LABELS,
        title=title,
        what="organisation type",
        source=source,
        months=months,
    )


def spend_by_locality(
    by_locality: pd.DataFrame,
    source: str,
    headline: pd.DataFrame,
    local_definition: str = "council",
) -> Figure:
    """Stacked net spend (£m) per financial year by where the supplier is based. The title
    states the local share (per ``local_definition``) of the latest full year — or that it is
    not measured, with how much of the spend was located.
    """
    months = dict(zip(headline["financial_year"], headline["months"], strict=True))
    year = _lead_year(by_locality, months)
    row = headline.set_index("financial_year").loc[year].to_dict()
    row["financial_year"] = year
    where = LOCAL_PLACES.get(local_definition, "the area")
    if pd.isna(row["local_share"]):
        title = f"Local share in {year}: {not_measured(row, 'local_share')}"
    else:
        title = f"{pct(row['local_share'])} of spend in {year} went to suppliers based in {where}"
    return _stacked_spend_chart(
        by_locality,
        hs.LOCALITY_COLOURS,
        LOCALITY_LABELS,
        title=title,
        what="supplier location",
        source=source,
        months=months,
    )


def keep_it_local_shares(headline: pd.DataFrame, source: str) -> Figure:
    """VCSE, local and top-ten shares of net spend per financial year (%): full years joined by
    a line, partial years as hollow markers off the line; shares not measured are left out.
    """
    fig, ax = hs.new_figure()
    series = {
        "vcse_share": ("VCSE share", hs.ORG_TYPE_COLOURS["vcse"]),
        "local_share": ("Local share", hs.OKABE_ITO["sky_blue"]),
        "local_vcse_share": ("Local VCSE share", hs.OKABE_ITO["purple"]),
        "sme_share": ("SME share", hs.OKABE_ITO["orange"]),
        "top10_share": ("Top-10 supplier share", hs.OKABE_ITO["vermillion"]),
    }
    x = np.arange(len(headline))
    full = ~headline["is_partial"].astype(bool).to_numpy()
    shown = []
    for col, (label, colour) in series.items():
        values = headline[col].to_numpy(dtype="float64")
        if np.isnan(values).all():
            continue
        shown.append(col)
        ax.plot(x[full], values[full], marker="o", label=label, color=colour, linewidth=2)
        ax.plot(
            x[~full],
            values[~full],
            marker="o",
            linestyle="none",
            color=colour,
            markerfacecolor="white",
            markeredgewidth=1.5,
        )
    ax.set_xticks(
        x,
        [hs.year_tick(r.financial_year, int(r.months)) for r in headline.itertuples()],
    )
    hs.percent(ax)
    values = headline[shown].to_numpy(dtype="float64") if shown else np.zeros(1)
    ax.set_ylim(0, max(0.1, float(np.nanmax(values)) * 1.15 if np.isfinite(values).any() else 0.1))
    ax.set_ylabel("Share of net spend")
    ax.set_xlabel("Financial year (hollow markers: partial years, not joined)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    years = full_years(headline)
    h = headline.set_index("financial_year")
    if (
        len(years) >= 2
        and pd.notna(h.at[years[0], "vcse_share"])
        and pd.notna(h.at[years[-1], "vcse_share"])
    ):
        change = change_phrase(h.at[years[0], "vcse_share"], h.at[years[-1], "vcse_share"])
        title = f"VCSE share {change} between {years[0]} and {years[-1]} (full years)"
    elif years and pd.notna(h.at[years[-1], "vcse_share"]):
        title = f"VCSE share was {pct(h.at[years[-1], 'vcse_share'])} in {years[-1]}"
    else:
        title = "Keep it Local shares by year (no two full years to compare)"
    missing = [series[c][0] for c in series if c not in shown]
    alt = "Line chart of shares of net spend per financial year. " + "; ".join(
        f"{year_name(r)}: " + ", ".join(f"{series[c][0]} {pct(r[c])}" for c in shown)
        for r in headline.to_dict("records")
    )
    if missing:
        alt += ". Not measured in any year: " + ", ".join(missing) + "."
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def spend_size_profile(profile: pd.DataFrame, year: str, source: str) -> Figure:
    """Spend per annual-spend band in one year (£m), stacked by organisation type."""
    part = profile[profile["financial_year"] == year]
    table = part.pivot_table(
        index="band", columns="org_type", values="total_pence", aggfunc="sum", fill_value=0
    ).reindex([code for _, code in SPEND_SIZE_BANDS], fill_value=0)
    counts = part.groupby("band")["suppliers"].sum()
    fig, ax = hs.new_figure()
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for col in [c for c in hs.ORG_TYPE_COLOURS if c in table.columns]:
        values = table[col].to_numpy(dtype="float64")
        ax.bar(
            x,
            values,
            bottom=bottom,
            color=hs.ORG_TYPE_COLOURS[col],
            width=0.6,
            label=ORG_TYPE_LABELS.get(col, col),
        )
        bottom += values
    ax.set_xticks(
        x,
        [f"{SPEND_BAND_LABELS[c]}\n{int(counts.get(c, 0)):,} suppliers" for c in table.index],
    )
    hs.pounds_millions(ax)
    ax.set_ylabel("Net spend (£m)")
    ax.set_xlabel(f"Annual spend with each supplier in {year}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    totals = table.sum(axis=1)
    big = totals.idxmax() if totals.any() else table.index[0]
    share = totals[big] / totals.sum() if totals.sum() else 0.0
    title = (
        f"Suppliers paid {SPEND_BAND_LABELS[big]} a year took {pct(share)} of spend in {year}, "
        f"though they were {int(counts.get(big, 0)):,} of {int(counts.sum()):,} suppliers"
    )
    alt = f"Bar chart of net spend in {year} by annual spend per supplier: " + "; ".join(
        f"{SPEND_BAND_LABELS[c]}: {int(counts.get(c, 0)):,} suppliers, £{totals[c] / 1e8:,.1f}m"
        for c in table.index
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def top_suppliers(top: pd.DataFrame, source: str, n: int = 15) -> Figure:
    """Horizontal bars of the n largest suppliers' net spend (£m), coloured by org type."""
    head = top.head(n).iloc[::-1]
    fig, ax = hs.new_figure(figsize=(8.0, 0.32 * len(head) + 1.6))
    colours = [hs.ORG_TYPE_COLOURS.get(t, hs.OKABE_ITO["grey"]) for t in head.get("org_type", [])]
    y = np.arange(len(head))
    ax.barh(y, head["total_pence"], color=colours or None)
    ax.set_yticks(y, [hs.safe_label(s) for s in head["supplier_name"]])
    hs.pounds_millions(ax, axis="x")
    ax.grid(axis="x", color="#DDDDDD")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Net spend (£m)")
    present = [t for t in hs.ORG_TYPE_COLOURS if t in set(head.get("org_type", []))]
    handles = [
        ax.bar(0, 0, color=hs.ORG_TYPE_COLOURS[t], label=ORG_TYPE_LABELS[t]) for t in present
    ]
    if handles:
        ax.legend(handles=handles, loc="lower right")
    ax.tick_params(axis="x", labelrotation=0)
    share = top.head(n)["share"].sum()
    title = f"The {len(head)} largest suppliers took {pct(share)} of net spend in the period"
    alt = f"Bar chart of the {len(head)} largest suppliers by net spend: " + "; ".join(
        f"{r.supplier_name} £{r.total_pence / 1e8:,.2f}m" for r in top.head(n).itertuples()
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def concentration_curve(totals: pd.DataFrame, source: str) -> Figure:
    """Cumulative share of net spend against number of suppliers (largest first, log scale)."""
    fig, ax = hs.new_figure()
    ranks = np.arange(1, len(totals) + 1)
    ax.plot(ranks, totals["cumulative_share"], color=hs.OKABE_ITO["blue"], linewidth=2)
    ax.set_xscale("log")
    hs.percent(ax)
    ax.set_xlabel("Number of suppliers (largest first, log scale)")
    ax.set_ylabel("Cumulative share of net spend")
    half = int(np.argmax(totals["cumulative_share"].to_numpy() >= 0.5)) + 1 if len(totals) else 0
    ax.axhline(0.5, color=hs.OKABE_ITO["grey"], linestyle="--", linewidth=1)
    title = f"Half of all spend went to just {half:,} of {len(totals):,} suppliers"
    alt = (
        f"Cumulative share of net spend by supplier rank: the largest {half} suppliers take "
        f"half; the largest 10 take {pct(totals['share'].head(10).sum())}."
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def monthly_spend(by_month: pd.DataFrame, source: str, title: str | None = None) -> Figure:
    """Net spend (£m) per month, one line per column of ``by_month`` (from spend_by_month)."""
    fig, ax = hs.new_figure()
    for col in by_month.columns:
        ax.plot(by_month.index, by_month[col], label=hs.safe_label(col), linewidth=1.8)
    hs.pounds_millions(ax)
    ax.set_ylabel("Net spend per month (£m)")
    if len(by_month.columns) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    peak = by_month.sum(axis=1)
    title = title or f"Monthly spend peaked at £{peak.max() / 1e8:,.1f}m in {peak.idxmax():%B %Y}"
    alt = "Line chart of net spend per month: " + ", ".join(
        f"{m:%b %Y} £{v / 1e8:,.2f}m" for m, v in peak.items()
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


COUNCIL_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def _plain_name(text: object, limit: int = 40) -> str:
    """A council name for a title (one line, short; ``finish`` escapes '$')."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def shares_by_council(summaries: pd.DataFrame, measure: str, source: str) -> Figure:
    """One council per line: ``measure`` (a share of net spend, 0–1) per financial year.

    ``summaries`` is ``comparison.load_summaries``' table (``council``, ``council_name``,
    ``financial_year``, the share columns). Years where a council's share was not measured
    (NaN) are left out of its line. The title names the council with the highest share in its
    latest measured year; ``source`` should say DEMO DATA when any council's data is demo.
    """
    label = SHARE_LABELS.get(measure, measure)
    data = summaries.dropna(subset=[measure])
    years = sorted(data["financial_year"].astype(str).unique())
    position = {fy: i for i, fy in enumerate(years)}
    fig, ax = hs.new_figure()
    alt_parts, latest = [], []
    for i, (_, g) in enumerate(data.groupby("council", sort=True)):
        g = g.sort_values("financial_year")
        name = str(g["council_name"].iloc[0])
        x = [position[str(fy)] for fy in g["financial_year"]]
        ax.plot(
            x,
            g[measure].to_numpy(dtype="float64"),
            marker=COUNCIL_MARKERS[i % len(COUNCIL_MARKERS)],
            color=hs.SERIES_COLOURS[i % len(hs.SERIES_COLOURS)],
            linewidth=2,
            label=hs.safe_label(name),
        )
        alt_parts.append(
            f"{name}: "
            + ", ".join(f"{r.financial_year} {pct(r[measure])}" for _, r in g.iterrows())
        )
        latest.append((float(g[measure].iloc[-1]), name, str(g["financial_year"].iloc[-1])))
    ax.set_xticks(range(len(years)), [hs.safe_label(fy) for fy in years])
    hs.percent(ax)
    top = float(np.nanmax(data[measure].to_numpy(dtype="float64"))) if len(data) else 0.0
    ax.set_ylim(0, max(0.1, top * 1.15))
    ax.set_ylabel(f"{label} of net spend")
    ax.set_xlabel("Financial year")
    if latest:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if not latest:
        title = f"{label}: not measured for any council"
    elif len(latest) == 1:
        share, name, fy = latest[0]
        title = f"{label} in {_plain_name(name)}: {pct(share)} in {_plain_name(fy, 12)}"
    else:
        share, name, fy = max(latest, key=lambda t: (t[0], t[1]))
        title = f"{label} is highest in {_plain_name(name)}: {pct(share)} in {_plain_name(fy, 12)}"
    alt = (
        f"Line chart of {label.lower()} of net spend per financial year, one line per council. "
        + ("; ".join(alt_parts) or "No council has this measure.")
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)
