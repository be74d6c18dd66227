"""Notebook display helpers: figures with alt text, escaped tables, Markdown.

Tables go through ``DataFrame.to_html(escape=True)`` so supplier names can never inject HTML.
Figures are embedded as base64 PNG inside ``<figure>`` with alt text and a caption, so the
exported HTML report is one self-contained file.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping

import pandas as pd
from IPython.display import HTML, Markdown
from matplotlib.figure import Figure

from kil_analysis.house_style import DPI


def figure_html(fig: Figure, caption: str | None = None) -> str:
    """The figure as an HTML <figure> with an embedded PNG, alt text and caption."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(getattr(fig, "alt_text", "") or "chart", quote=True)
    cap = html.escape(caption if caption is not None else getattr(fig, "alt_text", ""))
    return (
        f'<figure class="kil-figure"><img src="data:image/png;base64,{data}" alt="{alt}" '
        f'style="max-width:100%"/><figcaption>{cap}</figcaption></figure>'
    )


def figure(fig: Figure, caption: str | None = None) -> HTML:
    """Display object for a house-style figure."""
    return HTML(figure_html(fig, caption))


def table(df: pd.DataFrame, formats: Mapping[str, str] | None = None, index: bool = False) -> HTML:
    """An escaped HTML table; ``formats`` maps column → 'gbp', 'gbp_m', 'pct' or 'int'."""
    out = df.copy()
    for col, kind in (formats or {}).items():
        if col not in out:
            continue
        if kind == "gbp":
            out[col] = out[col].map(lambda v: f"£{v:,.0f}")
        elif kind == "gbp_m":
            out[col] = out[col].map(lambda v: f"£{v / 1e6:,.2f}m")
        elif kind == "pct":
            out[col] = out[col].map(lambda v: f"{v:.1%}")
        elif kind == "int":
            out[col] = out[col].map(lambda v: f"{int(v):,}")
    return HTML(out.to_html(index=index, escape=True, border=0, classes="kil-table"))


def markdown(text: str) -> Markdown:
    """Display object for Markdown text built by ``kil_analysis.narrative`` (already escaped)."""
    return Markdown(text)
