"""What the report says, and that data can never inject HTML into it."""

from __future__ import annotations

import re

import pandas as pd

from kil_analysis.present import narrative
from kil_analysis.present.display import table

HOSTILE = ["<script>alert(1)</script> Services Ltd", "<img src=x onerror=alert(1)> CIC"]


def test_escape_markdown_neutralises_html_and_markdown():
    for name in HOSTILE:
        out = narrative.escape_markdown(name)
        assert "<" not in out and ">" not in out
    assert narrative.escape_markdown("[click](javascript:x)") == r"\[click\]\(javascript:x\)"
    # an apostrophe reads as one on the page, not as a mangled entity ("&\#x27;")
    assert narrative.escape_markdown("Children's Centre") == "Children's Centre"


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


def test_headline_summary_says_not_measured_with_its_coverage_and_names_partial_years():
    from kil_analysis.analysis import measures
    from tests.unit.test_measures import payments

    spend = payments(
        [
            ("2023-05-01", "A", "A Ltd", 50000, "private", "unknown"),
            ("2024-05-01", "B", "B CIC", 20000, "vcse", "unknown"),
        ]
    )
    text = narrative.headline_summary(measures.headline_by_year(spend), "X Council", "council")
    assert (
        "suppliers based in the council's area is not measured (0.0% of spend was located)" in text
    )
    assert not re.search(r"\bnan\b", text.lower()) and not re.search(
        r"(?<![\d.])0\.0% of spend —", text
    )
    assert "No financial year in the data has all 12 months" in text
    assert "2023/24 (1 month: May 2023 only)" in text


def _headline(rows):
    """A headline table with the columns the sentences read (shares of third-party spend)."""
    out = pd.DataFrame(rows)
    out["is_partial"] = out["months"] < 12
    out["missing_months"] = [[] for _ in rows]
    for col in ("classified_share", "located_share", "size_known_share"):
        out[col] = out.get(col, 1.0)
    for share in ("local_share", "local_vcse_share", "sme_share"):
        out[share] = out.get(share, float("nan"))
    return out


def test_share_finding_states_the_latest_full_year_against_the_first():
    h = _headline(
        [
            {"financial_year": "2019/20", "months": 12, "vcse_share": 0.110, "vcse_pence": 1},
            {"financial_year": "2020/21", "months": 12, "vcse_share": 0.120, "vcse_pence": 1},
            {
                "financial_year": "2021/22",
                "months": 12,
                "vcse_share": 0.142,
                "vcse_pence": 6_130_000_000,
            },
            {"financial_year": "2022/23", "months": 5, "vcse_share": 0.300, "vcse_pence": 1},
        ]
    )
    assert narrative.share_finding(h, "vcse_share") == (
        "In 2021/22, 14.2% of spend — £61.3m — went to VCSE organisations, "
        "up from 11.0% in 2019/20."
    )


def test_share_finding_with_only_a_partial_year_says_so_and_compares_nothing():
    h = _headline(
        [{"financial_year": "2022/23", "months": 5, "vcse_share": 0.3, "vcse_pence": 100_000_00}]
    )
    text = narrative.share_finding(h, "vcse_share")
    assert text.startswith("In 2022/23 (5 months), 30.0% of spend — £100k —")
    assert "partial year" in text and "from" not in text


def test_first_finding_leads_with_local_vcse_when_it_is_measured():
    h = _headline(
        [
            {
                "financial_year": "2023/24",
                "months": 12,
                "vcse_share": 0.2,
                "vcse_pence": 1,
                "local_vcse_share": 0.05,
                "local_vcse_pence": 5_000_000,
            }
        ]
    )
    assert "went to VCSE organisations based in the council's area" in narrative.first_finding(h)
    h["local_vcse_share"] = float("nan")
    assert narrative.first_finding(h).endswith("went to VCSE organisations.")


def test_month_spans_read_as_a_person_would_write_them():
    months = [pd.Period(m, "M") for m in ("2018-10", "2018-11", "2018-12", "2019-02")]
    assert narrative.month_span(months) == "October–December 2018 and February 2019"
    across = [pd.Period("2010-09", "M") + i for i in range(7)]
    assert narrative.month_span(across) == "September 2010–March 2011"


def test_one_title_wording_for_every_report():
    from kil_analysis.present.titles import report_title

    assert report_title(False, "Newcastle City Council") == (
        "Keep it Local case study: Newcastle City Council"
    )
    assert report_title(True) == "Keep it Local: comparing councils — DEMO DATA (synthetic)"
    heading = narrative.report_title("<b>X</b> Council", True)
    assert heading.startswith("# Keep it Local case study: ") and "<b>" not in heading
