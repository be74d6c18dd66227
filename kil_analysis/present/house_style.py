"""One house style for every chart: colour-blind-safe palette, finding-first titles, units,
a source line under every chart, and alt text carried on the Figure.

Palette: Okabe & Ito (2008), safe for the common colour-vision deficiencies.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no screen needed; notebooks still display the returned Figure

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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
    "axes.prop_cycle": matplotlib.cycler(color=SERIES_COLOURS),
    "legend.frameon": False,
}


def safe_label(text: object) -> str:
    """Text from data made safe for a matplotlib label (no mathtext from '$', no overlong text)."""
    s = str(text).replace("$", r"\$").replace("\n", " ")
    return s if len(s) <= 48 else s[:47] + "…"


def new_figure(figsize: tuple[float, float] = FIGSIZE):
    """A figure and axes in the house style."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    fig.get_layout_engine().set(h_pad=0.12)
    return fig, ax


def finish(fig: Figure, ax, *, title: str, source: str, alt: str) -> Figure:
    """Give a chart its finding-first title, its source line and its alt text.

    ``alt`` is kept on the figure as ``fig.alt_text`` for the HTML report (screen readers).
    """
    ax.set_title(safe_label(title) if len(title) <= 48 else title.replace("$", r"\$"))
    fig.text(0.01, 0.005, source.replace("$", r"\$"), fontsize=7.5, color="#555555", ha="left")
    fig.alt_text = alt
    plt.close(fig)  # the caller owns it; avoids double display and leaks in loops
    return fig


def pounds_millions(ax, axis: str = "y") -> None:
    """Format an axis holding pence as £m."""
    fmt = FuncFormatter(lambda v, _: f"£{v / 1e8:,.1f}m")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax, axis: str = "y") -> None:
    """Format an axis holding shares (0–1) as percentages."""
    fmt = FuncFormatter(lambda v, _: f"{v:.0%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
