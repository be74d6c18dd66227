"""The prevention section's sentences, tables and chart (measures from ``analysis.prevention``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from IPython.display import HTML

from kil_analysis.present import house_style as hs
from kil_analysis.present.display import table
from kil_analysis.present.narrative import change_phrase, escape_markdown, gbp, pct

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def keywords_note(service: tuple[str, ...], expense: tuple[str, ...], origin: str) -> str:
    """The words that marked a line as prevention, and where they were set (Markdown)."""

    def words(items: tuple[str, ...]) -> str:
        return ", ".join(f"“{escape_markdown(w)}”" for w in items) or "none"

    return (
        f"A payment line counts as prevention or early intervention when its service area "
        f"starts a word with {words(service)}, or its expense type with {words(expense)} "
        f"({origin}). This finds what the council's own coding names as prevention: "
        "preventive work coded to a broad service is not found, so the share is a floor, and a "
        "change in how the council names its services moves it."
    )


def summary(by_year: pd.DataFrame, trend: dict | None) -> str:
    """Sentence: the latest full year's prevention share, its VCSE share, and the trend."""
    full = by_year[~by_year["partial"]]
    if by_year["prevention_pence"].sum() == 0:
        return "No payment line in the period matches the prevention keywords."
    if full.empty:
        return (
            "There is no full financial year of payments in the period, so prevention spend is "
            "shown per year below but not compared across years."
        )
    last = full.iloc[-1]
    text = (
        f"In {last['financial_year']}, {pct(last['prevention_share'])} of net spend "
        f"({gbp(last['prevention_pence'])}) went on lines coded as prevention or early "
        f"intervention; VCSE organisations received {pct(last['vcse_share_within'])} of it."
    )
    if trend:
        text += (
            f" Between {trend['first_year']} and {trend['last_year']} (full years) the "
            f"prevention share {change_phrase(trend['first'], trend['last'])}."
        )
    partial = by_year[by_year["partial"]]["financial_year"].tolist()
    if partial:
        text += f" Part years, shown but not compared: {', '.join(partial)}."
    return text


def by_year_table(by_year: pd.DataFrame) -> HTML:
    """Prevention spend per financial year, partial years marked."""
    shown = by_year.assign(
        financial_year=np.where(
            by_year["partial"],
            by_year["financial_year"] + " (part year)",
            by_year["financial_year"],
        )
    )[
        [
            "financial_year",
            "months",
            "prevention_pence",
            "prevention_share",
            "vcse_share_within",
            "classified_share_within",
        ]
    ]
    shown = shown.rename(
        columns={
            "prevention_pence": "Prevention spend",
            "prevention_share": "Share of net spend",
            "vcse_share_within": "VCSE share of it",
            "classified_share_within": "Supplier type known",
        }
    )
    formats = {"Prevention spend": "pence", "months": "int"}
    formats |= dict.fromkeys(
        ["Share of net spend", "VCSE share of it", "Supplier type known"], "pct"
    )
    return table(shown, formats)


def matched_table(lines: pd.DataFrame) -> HTML:
    """The service areas and expense types counted as prevention, largest first."""
    return table(
        lines.rename(columns={"expense_type": "Expense type", "lines": "Lines"}),
        {"total_pence": "pence", "Lines": "int"},
        empty="No line matched.",
    )


def trend_chart(by_year: pd.DataFrame, source: str) -> Figure:
    """Prevention share and the VCSE share within it per year; part years hollow, unjoined."""
    fig, ax = hs.new_figure()
    years = by_year["financial_year"].tolist()
    x = np.arange(len(years))
    full = ~by_year["partial"].to_numpy()
    series = (
        ("prevention_share", "Prevention share of net spend", hs.OKABE_ITO["blue"]),
        ("vcse_share_within", "VCSE share of prevention spend", hs.ORG_TYPE_COLOURS["vcse"]),
    )
    for column, label, colour in series:
        y = by_year[column].to_numpy(dtype=float)
        ax.plot(x[full], y[full], marker="o", color=colour, linewidth=2, label=label)
        ax.plot(x[~full], y[~full], marker="o", linestyle="none", color=colour, mfc="white")
    ax.set_xticks(x, [f"{y}*" if not f else y for y, f in zip(years, full, strict=True)])
    hs.percent(ax)
    ax.set_ylim(
        0, max(0.1, float(np.nanmax(by_year[[s[0] for s in series]].to_numpy(float))) * 1.15)
    )
    ax.set_xlabel("Financial year (* part year, not joined)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    last = by_year[full].iloc[-1] if full.any() else by_year.iloc[-1]
    title = (
        f"{pct(last['prevention_share'])} of spend in {last['financial_year']} was on "
        "prevention lines"
    )
    alt = "Line chart of the prevention share and the VCSE share within it: " + "; ".join(
        f"{r.financial_year}{' (part year)' if r.partial else ''}: "
        f"{pct(r.prevention_share)}, VCSE {pct(r.vcse_share_within)}"
        for r in by_year.itertuples()
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)
