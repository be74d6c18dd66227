"""Charts for the case study. Each takes a small table from ``measures`` and returns a Figure in
the house style, with a title that states the finding, axis units, a source line and alt text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from kil_analysis.labels import LOCALITY_LABELS, ORG_TYPE_LABELS, SHARE_LABELS
from kil_analysis.present import house_style as hs
from kil_analysis.present.narrative import change_phrase, pct


def _stacked_bars(table: pd.DataFrame, colours: dict, labels: dict, ax) -> None:
    bottom_pos = np.zeros(len(table))
    bottom_neg = np.zeros(len(table))
    x = np.arange(len(table))
    for col in table.columns:
        values = table[col].to_numpy(dtype="float64")
        base = np.where(values >= 0, bottom_pos, bottom_neg)
        ax.bar(
            x, values, bottom=base, color=colours.get(col), label=labels.get(col, col), width=0.6
        )
        bottom_pos += np.where(values >= 0, values, 0)
        bottom_neg += np.where(values < 0, values, 0)
    ax.set_xticks(x, [str(i) for i in table.index])


def _stacked_spend_chart(
    table: pd.DataFrame, colours: dict, labels: dict, *, title: str, what: str, source: str
) -> Figure:
    """Stacked net spend (£m) per financial year, one band per column of ``table``."""
    fig, ax = hs.new_figure()
    _stacked_bars(table, colours, labels, ax)
    hs.pounds_millions(ax)
    ax.set_ylabel("Net spend (£m)")
    ax.set_xlabel("Financial year")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    alt = f"Stacked bar chart of net spend per financial year by {what}. " + "; ".join(
        f"{fy}: " + ", ".join(f"{labels.get(c, c)} £{v / 1e8:,.1f}m" for c, v in row.items())
        for fy, row in table.iterrows()
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def _latest_share(table: pd.DataFrame, column: str) -> float:
    last = table.iloc[-1]
    return float(last.get(column, 0) / last.sum()) if last.sum() else 0.0


def spend_by_org_type(by_type: pd.DataFrame, source: str) -> Figure:
    """Stacked net spend (£m) per financial year by organisation type."""
    share = _latest_share(by_type, "vcse")
    title = f"VCSE organisations received {pct(share)} of spend in {by_type.index[-1]}"
    return _stacked_spend_chart(
        by_type,
        hs.ORG_TYPE_COLOURS,
        ORG_TYPE_LABELS,
        title=title,
        what="organisation type",
        source=source,
    )


def spend_by_locality(by_locality: pd.DataFrame, source: str) -> Figure:
    """Stacked net spend (£m) per financial year by where the supplier is based."""
    share = _latest_share(by_locality, "in_area")
    title = f"{pct(share)} of spend in {by_locality.index[-1]} went to suppliers based locally"
    return _stacked_spend_chart(
        by_locality,
        hs.LOCALITY_COLOURS,
        LOCALITY_LABELS,
        title=title,
        what="supplier location",
        source=source,
    )


def keep_it_local_shares(headline: pd.DataFrame, source: str) -> Figure:
    """VCSE, local and top-ten shares of net spend per financial year (lines, %)."""
    fig, ax = hs.new_figure()
    series = {
        "vcse_share": ("VCSE share", hs.ORG_TYPE_COLOURS["vcse"]),
        "local_share": ("Local share", hs.OKABE_ITO["sky_blue"]),
        "top10_share": ("Top-10 supplier share", hs.OKABE_ITO["vermillion"]),
    }
    years = headline["financial_year"].tolist()
    for col, (label, colour) in series.items():
        ax.plot(years, headline[col], marker="o", label=label, color=colour, linewidth=2)
    hs.percent(ax)
    ax.set_ylim(
        0, max(0.1, float(np.nanmax(headline[list(series)].to_numpy(dtype="float64"))) * 1.15)
    )
    ax.set_ylabel("Share of net spend")
    ax.set_xlabel("Financial year")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    first, last = headline.iloc[0], headline.iloc[-1]
    title = f"VCSE share {change_phrase(first['vcse_share'], last['vcse_share'])}"
    if len(headline) > 1:
        title += f" ({first['financial_year']} to {last['financial_year']})"
    alt = "Line chart of shares of net spend per financial year. " + "; ".join(
        f"{r.financial_year}: VCSE {pct(r.vcse_share)}, local {pct(r.local_share)}, "
        f"top ten {pct(r.top10_share)}"
        for r in headline.itertuples()
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
    share = top.head(n)["share"].sum()
    title = f"The {len(head)} largest suppliers took {pct(share)} of net spend"
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
