"""What the report says, and that data can never inject HTML into it."""

from __future__ import annotations

import pandas as pd

from kil_analysis.present import narrative
from kil_analysis.present.display import table

HOSTILE = ["<script>alert(1)</script> Services Ltd", "<img src=x onerror=alert(1)> CIC"]


def test_escape_markdown_neutralises_html_and_markdown():
    for name in HOSTILE:
        out = narrative.escape_markdown(name)
        assert "<" not in out and ">" not in out
    assert narrative.escape_markdown("[click](javascript:x)") == r"\[click\]\(javascript:x\)"


def test_money_formats():
    assert narrative.gbp(123_456_789) == "£1.2m"
    assert narrative.gbp(-3_500_000) == "-£35k"
    assert narrative.gbp_exact(-123456) == "-£1,234.56"
    assert narrative.pct(0.1234) == "12.3%"


def test_change_phrase():
    assert narrative.change_phrase(0.05, 0.07) == "rose from 5.0% to 7.0%"
    assert narrative.change_phrase(0.07, 0.05) == "fell from 7.0% to 5.0%"
    assert narrative.change_phrase(0.05, 0.05) == "stayed at 5.0%"


def test_title_and_source_say_demo_plainly():
    assert "DEMO DATA" in narrative.report_title("Bristol City Council", True)
    assert "DEMO" not in narrative.report_title("Bristol City Council", False)
    assert "DEMO DATA" in narrative.source_line("X", True, ["2022/23", "2024/25"])


def test_top_suppliers_summary_escapes_supplier_name():
    top = pd.DataFrame({"supplier_name": [HOSTILE[0]], "share": [0.4], "org_type": ["private"]})
    text = narrative.top_suppliers_summary(top, 10)
    assert "<script>" not in text and "40.0%" in text


def test_tables_escape_supplier_names():
    html = table(pd.DataFrame({"supplier_name": HOSTILE}))._repr_html_()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_tables_show_missing_values_and_flags_in_words():
    html = table(pd.DataFrame({"vcse_form": [None, "charity"], "also_a_supplier": [True, False]}))
    text = html._repr_html_()
    assert "None" not in text and "—" in text
    assert ">yes<" in text and ">no<" in text


def test_headline_summary_says_when_local_share_cannot_be_measured():
    from kil_analysis.analysis import measures
    from tests.unit.test_measures import payments

    spend = payments(
        [
            ("2023-05-01", "A", "A Ltd", 50000, "private", "unknown"),
            ("2024-05-01", "B", "B CIC", 20000, "vcse", "unknown"),
        ]
    )
    text = narrative.headline_summary(measures.headline_by_year(spend), "X Council", "council")
    assert "local share is not measured" in text and "nan" not in text.lower()
    assert "Part years" in text
