"""Notebook display helpers: figures with alt text, escaped tables, Markdown.

Tables go through ``DataFrame.to_html(escape=True)`` so supplier names can never inject HTML.
Figures are embedded as base64 PNG inside ``<figure>`` with alt text and a caption, so the
exported HTML report is one self-contained file. :func:`chart` takes the function that draws
a chart and its inputs rather than the drawn Figure, so that under ``kil report`` the chart is
drawn in another process and the kernel never imports matplotlib
(:mod:`kil_analysis.present.figures_ahead`).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, Markdown

from kil_analysis.labels import COLUMN_LABELS
from kil_analysis.present import figures_ahead
from kil_analysis.present.house_style import DPI

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_html(fig: Figure, caption: str | None = None) -> str:
    """The figure as an HTML <figure> with an embedded PNG, alt text, an optional caption and
    the chart's data in words (the alt text) in a collapsed <details> for every reader."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt_text = getattr(fig, "alt_text", "") or "chart"
    alt = html.escape(alt_text, quote=True)
    caption = caption or getattr(fig, "finding", None)
    cap = f"<p>{html.escape(caption)}</p>" if caption else ""
    return (
        f'<figure class="kil-figure"><img src="data:image/png;base64,{data}" alt="{alt}" '
        f'style="max-width:100%"/><figcaption>{cap}<details><summary>Chart data in words'
        f"</summary>{html.escape(alt_text)}</details></figcaption></figure>"
    )


def figure(fig: Figure, caption: str | None = None) -> HTML | figures_ahead.PendingHTML:
    """Display object for a house-style figure.

    Where figures are drawn ahead (:func:`draw_figures_ahead`), a pending one whose HTML is
    the same; the notebook's last cell then calls :func:`finish_figures`.
    """
    if figures_ahead.enabled():
        return figures_ahead.PendingHTML(lambda: figure_html(fig, caption))
    return HTML(figure_html(fig, caption))


def chart(
    draw: Callable[..., Figure], *args: Any, **kwargs: Any
) -> HTML | figures_ahead.PendingHTML:
    """Display object for the house-style figure ``draw(*args, **kwargs)`` returns.

    The same HTML as ``figure(draw(*args, **kwargs))``. Where figures are drawn ahead
    (:func:`draw_figures_ahead`), ``draw`` runs in the drawing process on a copy of its
    inputs (a module-level function, and inputs that pickle: tables, numbers, text), and
    the pending figure is put in place after a later cell; elsewhere it is drawn here.
    """
    if figures_ahead.drawing_elsewhere():
        return figures_ahead.PendingHTML(
            lambda: figure_html(draw(*args, **kwargs)), job=(draw, args, kwargs)
        )
    return HTML(figure_html(draw(*args, **kwargs)))


def draw_figures_ahead() -> None:
    """Draw this notebook's figures beside its later cells where ``kil report`` allows it.

    The notebook must then call :func:`finish_figures` in its last cell; nothing happens in
    JupyterLab (see :mod:`kil_analysis.present.figures_ahead`).
    """
    figures_ahead.start()


def finish_figures() -> None:
    """Put every figure still being drawn ahead in place (nothing to do otherwise)."""
    figures_ahead.finish()


def table(
    df: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    index: bool = False,
    empty: str = "None.",
) -> HTML:
    """An escaped HTML table with readable column labels (``COLUMN_LABELS``).

    ``formats`` maps column → 'gbp', 'gbp_m', 'pence', 'pct' or 'int'; an empty table shows
    the ``empty`` sentence instead.
    """
    if df.empty:
        return HTML(f"<p><em>{html.escape(empty)}</em></p>")
    out = df.copy()
    for col, kind in (formats or {}).items():
        if col not in out:
            continue
        if kind == "gbp":
            out[col] = out[col].map(lambda v: f"£{v:,.0f}")
        elif kind == "gbp_m":
            out[col] = out[col].map(lambda v: f"£{v / 1e6:,.2f}m")
        elif kind == "pence":
            out[col] = out[col].map(lambda v: f"£{v / 100:,.0f}")
        elif kind == "pct":
            out[col] = out[col].map(lambda v: "not measured" if pd.isna(v) else f"{v:.1%}")
        elif kind == "int":
            out[col] = out[col].map(lambda v: f"{int(v):,}")
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "yes", False: "no"})
        elif out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), "—")
    out = out.rename(columns=COLUMN_LABELS)
    return HTML(out.to_html(index=index, escape=True, border=0, classes="kil-table"))


def details(summary: str, content: HTML | figures_ahead.PendingHTML) -> HTML:
    """``content`` folded away under a <details> element whose summary line reads ``summary``
    (our own words, escaped anyway)."""
    return HTML(f"<details><summary>{html.escape(summary)}</summary>{content.data}</details>")


def markdown(text: str) -> Markdown:
    """Display object for Markdown text built by ``present.narrative`` (already escaped)."""
    return Markdown(text)
