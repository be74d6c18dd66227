"""Untrusted text (anything that came from data) on its way into generated HTML.

Council names, supplier names, error messages and file paths all pass through :func:`text`
before they reach ``reports/index.html``; links pass through :func:`href` so that a slug can
never close the attribute or smuggle in a ``javascript:`` URL.
"""

from __future__ import annotations

import html
from urllib.parse import quote


def text(value: object) -> str:
    """``value`` as HTML-safe text: ``<``, ``>``, ``&`` and both quote characters escaped."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def href(*segments: str) -> str:
    """A relative link built from path segments, each percent-encoded, then HTML-escaped."""
    return text("/".join(quote(str(s), safe="") for s in segments))
