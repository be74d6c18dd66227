"""The one place a report's title is worded.

Case studies and the comparison alike, in the Markdown heading, the HTML page's <title> and the
index.

``report_title`` returns plain text (escape it before Markdown or HTML:
``narrative.report_heading`` does for Markdown; nbconvert escapes the page title).
"""

from __future__ import annotations

DEMO_SUFFIX = " — DEMO DATA (synthetic)"
COMPARISON_SUBJECT = "comparing councils"


def report_title(is_demo: bool, council_name: str | None = None) -> str:
    """A report's title.

    'Keep it Local case study: Newcastle City Council' for one council's report, or 'Keep it Local:
    comparing councils' (no ``council_name``), with ' — DEMO DATA (synthetic)' when the figures are
    built on demo data.
    """
    title = (
        f"Keep it Local case study: {' '.join(str(council_name).split())}"
        if council_name
        else f"Keep it Local: {COMPARISON_SUBJECT}"
    )
    return title + (DEMO_SUFFIX if is_demo else "")
