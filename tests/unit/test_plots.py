"""Charts: a finding in the title, a source line (saying DEMO when it is), alt text, no crash
on hostile supplier names."""

from __future__ import annotations

import pandas as pd

from kil_analysis.analysis import measures
from kil_analysis.present import narrative, plots
from kil_analysis.present.display import figure_html
from tests.unit.test_measures import payments

SOURCE = narrative.source_line("Test Council", True, ["2023/24", "2024/25"])


def _spend():
    return payments(
        [
            (
                "2023-05-01",
                "A",
                "<script>alert(1)</script> Services Ltd",
                50000,
                "private",
                "outside",
            ),
            ("2023-06-01", "B", "Cash $$ Money $x^2$ CIC", 20000, "vcse", "in_area"),
            (
                "2024-05-01",
                "A",
                "<script>alert(1)</script> Services Ltd",
                30000,
                "private",
                "outside",
            ),
            ("2024-06-01", "B", "Cash $$ Money $x^2$ CIC", 30000, "vcse", "in_area"),
        ]
    )


def _texts(fig):
    return [t.get_text() for t in fig.texts] + [ax.get_title() for ax in fig.axes]


def test_every_chart_has_finding_title_demo_source_and_alt_text():
    spend = _spend()
    headline = measures.headline_by_year(spend)
    figs = [
        plots.keep_it_local_shares(headline, SOURCE),
        plots.spend_by_org_type(measures.spend_by_year_and(spend, "org_type"), SOURCE),
        plots.spend_by_locality(measures.spend_by_year_and(spend, "locality"), SOURCE),
        plots.top_suppliers(measures.top_suppliers(spend), SOURCE),
        plots.concentration_curve(measures.supplier_totals(spend), SOURCE),
        plots.monthly_spend(measures.spend_by_month(spend), SOURCE),
    ]
    for fig in figs:
        texts = _texts(fig)
        assert any("DEMO DATA" in t for t in texts), texts
        assert fig.alt_text
        html = figure_html(fig)  # renders: mathtext in names would raise here
        assert html.startswith("<figure") and "<script>" not in html


def test_shares_chart_title_states_the_trend():
    headline = measures.headline_by_year(_spend())
    fig = plots.keep_it_local_shares(headline, SOURCE)
    assert fig.axes[0].get_title() == "VCSE share rose from 28.6% to 50.0% (2023/24 to 2024/25)"


def test_top_suppliers_alt_text_names_the_largest():
    spend = _spend()
    fig = plots.top_suppliers(measures.top_suppliers(spend), SOURCE)
    assert fig.alt_text.index("<script>") < fig.alt_text.index("Cash")
    assert "largest suppliers took 100.0%" in fig.axes[0].get_title()
    assert isinstance(fig.alt_text, str) and pd.notna(fig.alt_text)
