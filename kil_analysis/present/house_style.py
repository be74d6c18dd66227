"""One house style for every chart: colour-blind-safe palette, finding-first titles, units,
a source line under every chart, and alt text carried on the Figure.

Palette: Okabe & Ito (2008), safe for the common colour-vision deficiencies.

Importing this module does not import matplotlib (about 0.7 s of CPU): the constants and text
helpers are plain Python, and the drawing functions import pyplot, with the Agg backend (no
screen needed; notebooks still display the returned Figure), when first called. So a kernel
whose charts are drawn in another process (:mod:`kil_analysis.present.figures_ahead`) never
imports it.
"""

from __future__ import annotations

import textwrap
from types import ModuleType
from typing import TYPE_CHECKING

from cycler import cycler

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}

ORG_TYPE_COLOURS = {
    "vcse": OKABE_ITO["green"],
    "private": OKABE_ITO["blue"],
    "public": OKABE_ITO["orange"],
    "individual": OKABE_ITO["purple"],
    "not_a_supplier": OKABE_ITO["yellow"],
    "unknown": OKABE_ITO["grey"],
}
LOCALITY_COLOURS = {
    "in_area": OKABE_ITO["green"],
    "in_region": OKABE_ITO["sky_blue"],
    "outside": OKABE_ITO["vermillion"],
    "unknown": OKABE_ITO["grey"],
}
SERIES_COLOURS = [OKABE_ITO[k] for k in ("blue", "green", "orange", "vermillion", "purple")]

DPI = 100
FIGSIZE = (8.0, 4.2)
# Characters per line of a wrapped chart title (bold 12 pt on an 8-inch figure) and source.
TITLE_WIDTH = 68
SOURCE_WIDTH = 120
# Bars of a partial year are hatched, and its tick label says how many months it holds.
PARTIAL_HATCH = "///"

RC = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#DDDDDD",
    "axes.prop_cycle": cycler(color=SERIES_COLOURS),
    "legend.frameon": False,
}


def pyplot() -> ModuleType:
    """matplotlib.pyplot, imported on first use with the Agg backend (no screen needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def safe_label(text: object, limit: int = 48) -> str:
    """Text from data made safe for a matplotlib tick or legend label: no mathtext from '$',
    one line, at most ``limit`` characters (supplier names can be very long).
    """
    s = escape_mathtext(str(text).replace("\n", " "))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def escape_mathtext(text: str) -> str:
    """'$' escaped so matplotlib never reads text from data as mathtext."""
    return text.replace("$", r"\$")


def wrap(text: str, width: int = TITLE_WIDTH) -> str:
    """Text wrapped onto lines of at most ``width`` characters — never cut."""
    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width)) or ""


def year_tick(financial_year: str, months: int | None = None) -> str:
    """A financial year's tick label, marking a partial year: '2018/19' over '(9 months)'."""
    if months is None or months >= 12:
        return str(financial_year)
    return f"{financial_year}\n({months} month{'s' if months != 1 else ''})"


def new_figure(figsize: tuple[float, float] = FIGSIZE):
    """A figure and axes in the house style."""
    plt = pyplot()
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    fig.get_layout_engine().set(h_pad=0.12)
    return fig, ax


def finish(fig: Figure, ax, *, title: str, source: str, alt: str) -> Figure:
    """Give a chart its finding-first title (wrapped, never cut), its source line under the
    chart and its alt text.

    ``alt`` is kept on the figure as ``fig.alt_text`` for the HTML report (screen readers);
    the full title is kept as ``fig.finding`` (the figure caption uses it).
    """
    fig.suptitle(escape_mathtext(wrap(title)), x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.supxlabel(
        escape_mathtext(wrap(source, SOURCE_WIDTH)),
        fontsize=7.5,
        color="#555555",
        x=0.01,
        ha="left",
    )
    fig.alt_text = alt
    fig.finding = title
    pyplot().close(fig)  # the caller owns it; avoids double display and leaks in loops
    return fig


def pounds_millions(ax, axis: str = "y") -> None:
    """Format an axis holding pence as £m, with few enough ticks that labels never meet."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5 if axis == "y" else 4, min_n_ticks=2))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1e8:,.1f}m"))


def percent(ax, axis: str = "y") -> None:
    """Format an axis holding shares (0–1) as percentages."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:.0%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
