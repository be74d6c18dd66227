"""How untrusted text (council and supplier names) reaches generated HTML."""

from __future__ import annotations

from kil_analysis.reporting import escaping
from tests.unit.test_reporting_support import XSS_IMG


def test_text_escapes_markup_and_quotes():
    assert escaping.text(XSS_IMG) == (
        "&lt;img src=x onerror=&quot;window.__xss = &#x27;img&#x27;&quot;&gt;"
    )
    assert escaping.text(None) == ""
    assert escaping.text("A & B") == "A &amp; B"


def test_href_percent_encodes_each_segment():
    assert escaping.href("bristol", "index.html") == "bristol/index.html"
    assert escaping.href('a"><script>', "x") == "a%22%3E%3Cscript%3E/x"
    assert escaping.href("javascript:alert(1)") == "javascript%3Aalert%281%29"
