"""Charts as a reader sees them: a finding in a title that is wrapped, never cut, and inside
the picture; tick labels that do not run into each other; partial years marked and kept off
trend lines; "not measured" rather than 0%; a source line saying DEMO; alt text; no crash on
hostile supplier names."""

from __future__ import annotations

import itertools

import pandas as pd

from kil_analysis.analysis import concentration, measures
from kil_analysis.present import narrative, plots
from kil_analysis.present.display import figure_html
from tests.unit.test_measures import payments

SOURCE = narrative.source_line("Test Council", True, ["2023/24", "2024/25"])
LONG_NAME = "The Extraordinarily Long Named Community Interest Company Providing Services CIC"


def _spend():
    rows = []
    # 2022/23 and 2023/24 full (a payment every month); 2024/25 partial (April–June only)
    for year in (2022, 2023):
        for i in range(12):
            month = pd.Timestamp(year, 4, 1) + pd.DateOffset(months=i)
            rows.append(
                (
                    str(month.date()),
                    "A",
                    "<script>alert(1)</script> Services Ltd",
                    5_000_000 + i * 1000,
                    "private",
                    "outside",
                )
            )
    for i in range(15):
        rows.append(
            ("2023-06-01", f"S{i}", f"{LONG_NAME} {i}", 9_000_000 - i * 400_000, "vcse", "in_area")
        )
    rows.append(("2023-06-01", "B", "Cash $$ Money $x^2$ CIC", 20000, "vcse", "in_area"))
    for m in (4, 5, 6):
        rows.append(
            (
                f"2024-{m:02d}-10",
                "A",
                "<script>alert(1)</script> Services Ltd",
                3_000_000,
                "private",
                "outside",
            )
        )
    return payments(rows)


def _rendered(fig):
    """Lay the figure out as the saved PNG is laid out, and return its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _all_figures(spend):
    headline = measures.headline_by_year(spend)
    months = dict(zip(headline["financial_year"], headline["months"], strict=True))
    return [
        plots.keep_it_local_shares(headline, SOURCE),
        plots.spend_by_org_type(measures.spend_by_year_and(spend, "org_type"), SOURCE, months),
        plots.spend_by_locality(measures.spend_by_year_and(spend, "locality"), SOURCE, headline),
        plots.top_suppliers(measures.top_suppliers(spend), SOURCE),
        plots.concentration_curve(measures.supplier_totals(spend), SOURCE),
        plots.spend_size_profile(concentration.spend_size_profile(spend), "2023/24", SOURCE),
        plots.monthly_spend(measures.spend_by_month(spend), SOURCE),
    ]


def test_every_chart_has_finding_title_demo_source_and_alt_text():
    for fig in _all_figures(_spend()):
        texts = [t.get_text() for t in fig.texts] + [fig.get_supxlabel()]
        assert any("DEMO DATA" in t for t in texts), texts
        shown = " ".join(fig.get_suptitle().split())
        assert shown == " ".join(fig.finding.replace("$", r"\$").split())
        assert len(fig.alt_text) > 40
        html = figure_html(fig)  # renders: mathtext in names would raise here
        assert html.startswith("<figure") and "<script>" not in html
        assert 'alt="' in html


def test_titles_are_wrapped_whole_and_inside_the_picture():
    for fig in _all_figures(_spend()):
        renderer = _rendered(fig)
        title = fig._suptitle
        shown = title.get_text()
        assert "…" not in shown
        assert " ".join(shown.split()) == " ".join(fig.finding.replace("$", r"\$").split())
        box, page = title.get_window_extent(renderer), fig.bbox
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (shown, box, page)
        source = fig._supxlabel.get_window_extent(renderer)
        assert source.x1 <= page.x1 + 1 and source.y0 >= page.y0 - 1


def test_tick_labels_never_collide():
    for fig in _all_figures(_spend()):
        renderer = _rendered(fig)
        for axis in (fig.axes[0].xaxis, fig.axes[0].yaxis):
            boxes = [
                t.get_window_extent(renderer)
                for t in axis.get_ticklabels()
                if t.get_visible() and t.get_text()
            ]
            for a, b in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), (
                    fig.finding,
                    [t.get_text() for t in axis.get_ticklabels()],
                )


def test_partial_years_are_marked_and_kept_off_the_trend_line():
    spend = _spend()
    headline = measures.headline_by_year(spend)
    fig = plots.keep_it_local_shares(headline, SOURCE)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["2022/23", "2023/24", "2024/25\n(3 months)"]
    line = next(ln for ln in fig.axes[0].get_lines() if ln.get_label() == "VCSE share")
    assert list(line.get_xdata()) == [0, 1]  # the partial year is not joined to the line
    assert "2024/25" not in fig.finding and "between 2022/23 and 2023/24" in fig.finding
    months = dict(zip(headline["financial_year"], headline["months"], strict=True))
    bars = plots.spend_by_org_type(measures.spend_by_year_and(spend, "org_type"), SOURCE, months)
    hatched = {p.get_x() for p in bars.axes[0].patches if p.get_hatch()}
    assert len(hatched) == 1  # one partial year, hatched
    assert "2023/24" in bars.finding  # the title leads with the latest full year


def test_no_location_known_says_not_measured_never_zero():
    spend = _spend().assign(locality="unknown")
    headline = measures.headline_by_year(spend)
    fig = plots.spend_by_locality(measures.spend_by_year_and(spend, "locality"), SOURCE, headline)
    assert fig.finding == "Local share in 2023/24: not measured (0.0% of spend was located)"
    shares = plots.keep_it_local_shares(headline, SOURCE)
    assert "Local share" not in [ln.get_label() for ln in shares.axes[0].get_lines()]
    assert "Not measured in any year: Local share" in shares.alt_text


def test_top_suppliers_title_and_alt_text_name_the_largest():
    fig = plots.top_suppliers(measures.top_suppliers(_spend()), SOURCE)
    assert fig.alt_text.index("<script>") < fig.alt_text.index(LONG_NAME)
    assert fig.finding.startswith("The 15 largest suppliers took ")
    assert fig.finding.endswith("of net spend in the period")
