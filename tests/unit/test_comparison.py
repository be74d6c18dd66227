"""Comparing councils: reading every summary.json, the sentences, table and charts built from
them, and the index's link to the comparison page. (Notebook runs: test_comparison_report.py.)"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.analysis import comparison
from kil_analysis.present import comparison as views
from kil_analysis.present import narrative, plots
from kil_analysis.present.display import figure_html
from kil_analysis.reporting import index
from kil_analysis.reporting import summaries as published

HOSTILE = "<script>alert(1)</script> $x^2$ Council"


def year(fy: str, **overrides) -> dict:
    """One headline row as the case study writes it."""
    row = {
        "financial_year": fy,
        "months": 12,
        "total_spend": "1000000.00",
        "total_spend_gbp": 1_000_000.0,
        "payments": 100,
        "suppliers": 40,
        "vcse_share": 0.1,
        "located_share": 0.9,
        "local_share": 0.3,
        "top10_share": 0.5,
        "redacted_share": 0.02,
    }
    return {**row, **overrides}


def write_summary(
    root: Path,
    slug: str,
    name: str,
    headline: list[dict],
    *,
    is_demo: bool = False,
    local_definition: str = "council",
    period: tuple[str, str] = ("2022-04-01", "2024-03-31"),
) -> Path:
    """A council's published summary.json under ``root/slug`` (as the runner writes it)."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        "council": slug,
        "council_name": name,
        "ons_code": "E99999999",
        "is_demo": is_demo,
        "period": list(period),
        "headline": headline,
        "data_files": [],
        "manifest": {"parameters": {"council": slug, "local_definition": local_definition}},
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "index.html").write_text("<p>report</p>", encoding="utf-8")
    return folder


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    """Two good councils (one hostile, demo, part year, local not measured) and bad folders."""
    root = tmp_path / "reports"
    write_summary(
        root,
        "alpha",
        HOSTILE,
        [year("2022/23", vcse_share=0.08), year("2023/24", months=7, local_share=None)],
        is_demo=True,
    )
    write_summary(
        root,
        "beta",
        "Beta & Sons Borough",
        [year("2023/24", vcse_share=0.12, top10_share=0.4)],
        local_definition="region",
        period=("2023-04-01", "2024-03-31"),
    )
    # the latest run failed: its older summary must not be compared
    failed = write_summary(root, "gamma", "Gamma", [year("2023/24")])
    (failed / "failed.json").write_text('{"error": "boom"}', encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "summary.json").write_text("{not json", encoding="utf-8")
    write_summary(root, "noyears", "No Years", [])
    write_summary(root, "badyear", "Bad Year", [{"vcse_share": 0.1}])
    (root / "list").mkdir()
    (root / "list" / "summary.json").write_text("[1, 2]", encoding="utf-8")
    (root / "empty").mkdir()
    (root / ".staging-alpha-x").mkdir()
    write_summary(root / ".staging-alpha-x", "x", "Hidden", [year("2023/24")])
    (root / "index.html").write_text("<p>index</p>", encoding="utf-8")
    return root


def test_load_summaries_reads_good_reports_and_skips_failed_or_malformed(reports: Path):
    df = published.load_summaries(reports)
    assert list(df.columns) == list(published.COLUMNS)
    assert df[["council", "financial_year"]].values.tolist() == [
        ["alpha", "2022/23"],
        ["alpha", "2023/24"],
        ["beta", "2023/24"],
    ]
    alpha = df[df["council"] == "alpha"].iloc[-1]
    assert alpha["council_name"] == HOSTILE and alpha["is_demo"]
    assert alpha["months"] == 7 and math.isnan(alpha["local_share"])
    assert alpha["local_definition"] == "council" and alpha["total_spend"] == "1000000.00"
    beta = df[df["council"] == "beta"].iloc[0]
    assert beta["local_definition"] == "region" and not beta["is_demo"]
    assert beta["vcse_share"] == pytest.approx(0.12) and beta["period_start"] == "2023-04-01"


def test_load_summaries_for_chosen_councils_and_when_there_are_none(reports: Path, tmp_path):
    assert published.load_summaries(reports, ["beta", "gamma", "missing"])["council"].tolist() == [
        "beta"
    ]
    empty = published.load_summaries(tmp_path / "no-such-folder")
    assert empty.empty and list(empty.columns) == list(published.COLUMNS)
    assert comparison.latest_years(empty).empty
    assert views.overview(empty) == views.NO_REPORTS
    assert views.caveats(empty) == [views.NO_REPORTS]
    assert "DEMO" not in views.title(empty)
    assert "No case-study reports yet" in views.latest_year_table(empty).data
    shown = views.share_chart(empty, "vcse_share", "Source")
    assert "Nothing to chart yet" in shown.data


def test_summary_with_non_numeric_measures_reads_as_not_measured(tmp_path: Path):
    write_summary(tmp_path, "odd", "Odd", [year("2023/24", vcse_share="lots", months=None)])
    row = published.load_summaries(tmp_path).iloc[0]
    assert math.isnan(row["vcse_share"]) and math.isnan(row["months"])


def test_parameters_parse_like_the_notebook_documents(tmp_path: Path, monkeypatch):
    assert published.parse_councils("") is None
    assert published.parse_councils(" bristol, newcastle ,bristol,") == ["bristol", "newcastle"]
    monkeypatch.setenv("KIL_REPORTS_DIR", str(tmp_path))
    assert published.reports_root("") == tmp_path.resolve()
    assert published.reports_root(str(tmp_path / "x")) == (tmp_path / "x").resolve()


def test_latest_year_per_council(reports: Path):
    latest = comparison.latest_years(published.load_summaries(reports))
    assert latest[["council", "financial_year"]].values.tolist() == [
        ["alpha", "2023/24"],
        ["beta", "2023/24"],
    ]


def test_table_escapes_names_and_uses_readable_labels(reports: Path):
    latest = comparison.latest_years(published.load_summaries(reports))
    page = views.latest_year_table(latest).data
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Beta &amp; Sons Borough" in page
    for label in ("Council", "Financial year", "VCSE share", "Local share", "Top-10 share"):
        assert f"<th>{label}</th>" in page
    assert "12.0%" in page and "not measured" in page  # beta's VCSE share; alpha's local share
    assert "the council's region" in page or "the council&#x27;s region" in page


def test_sentences_escape_names_and_state_the_comparison(reports: Path):
    summaries = published.load_summaries(reports)
    latest = comparison.latest_years(summaries)
    text = views.overview(latest)
    assert "<script>" not in text and "&lt;script&gt;alert\\(1\\)" in text
    assert "VCSE share is highest in Beta &amp; Sons Borough (12.0% in 2023/24)" in text
    assert "The local share is not measured for &lt;script&gt;" in text
    assert "Demo data" in text
    assert views.title(summaries).endswith("DEMO DATA (synthetic)")


def test_caveats_cover_part_years_periods_local_definitions_and_demo(reports: Path):
    lines = views.caveats(published.load_summaries(reports))
    text = "\n".join(lines)
    assert "<script>" not in text
    assert "**Part years**" in text and "2023/24 (7 months)" in text
    assert "**Different periods**" in text and "2023\\-04\\-01" in text
    assert "differs by report" in text and "the council's region" in text
    assert "**Local share not measured**" in text and "**Demo data**" in text
    rendered = narrative.bullets(lines)
    assert rendered.count("\n- ") == len(lines) - 1


def test_same_definition_and_period_are_said_once(tmp_path: Path):
    for slug in ("a", "b"):
        write_summary(tmp_path, slug, slug.upper(), [year("2023/24")])
    text = "\n".join(views.caveats(published.load_summaries(tmp_path)))
    assert "in every report, the council's own area" in text
    assert "every report covers 2022\\-04\\-01 to 2024\\-03\\-31" in text
    assert "Part years" not in text and "Demo data" not in text


def test_listing_joins_items_as_prose():
    assert narrative.listing([]) == ""
    assert narrative.listing(["A"]) == "A"
    assert narrative.listing(["A", "B", "C"]) == "A, B and C"


def test_chart_has_one_line_per_council_a_finding_demo_source_and_alt_text(reports: Path):
    summaries = published.load_summaries(reports)
    source = views.source_line(summaries)
    assert "DEMO DATA" in source
    fig = plots.shares_by_council(summaries, "vcse_share", source)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    assert fig.finding.startswith("VCSE share is highest in Beta & Sons Borough: 12.0%")
    assert any("DEMO DATA" in t.get_text() for t in fig.texts)
    assert "Line chart" in fig.alt_text and "2022/23 8.0%" in fig.alt_text
    page = figure_html(fig)  # renders: '$' in a name must not become mathtext
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_local_share_chart_skips_unmeasured_years_and_says_when_none_is_measured(reports):
    summaries = published.load_summaries(reports)
    fig = plots.shares_by_council(summaries, "local_share", "Source")
    lengths = sorted(len(line.get_xdata()) for line in fig.axes[0].get_lines())
    assert lengths == [1, 1]  # alpha's 2023/24 not measured
    none = summaries.assign(local_share=float("nan"))
    shown = views.share_chart(none, "local_share", "Source")
    assert "not measured for any council" in shown.data


def test_index_links_the_comparison_only_when_it_exists(reports: Path):
    page = index.write_index(reports).read_text(encoding="utf-8")
    assert "comparison.html" not in page
    (reports / "comparison.html").write_text("<p>compare</p>", encoding="utf-8")
    page = index.write_index(reports).read_text(encoding="utf-8")
    assert 'href="comparison.html"' in page


def test_headline_rows_keep_every_measure():
    rows = published.summary_rows("x", {"council_name": "X", "headline": [year("2023/24")]})
    assert set(published.MEASURES) <= set(pd.DataFrame(rows).columns)
    assert rows[0]["local_definition"] is None and rows[0]["period_start"] is None
