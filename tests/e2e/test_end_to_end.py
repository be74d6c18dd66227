"""End to end: the work of `make reports` on the demo data, in a temporary folder.

Runs `kil demo` and `kil report --all --demo --jobs 2` as a user would (subprocesses), then
checks that the figures in each summary.json and in each HTML report equal the ones computed
directly through the package, and that the reports say they are built on demo data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kil_analysis.analysis import measures
from kil_analysis.demo.suppliers import COUNCILS as DEMO_COUNCILS
from kil_analysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "KIL_DATA_DIR": str(root / "data"),
        "KIL_REPORTS_DIR": str(root / "reports"),
    }
    kil = [sys.executable, "-m", "kil_analysis"]
    demo = subprocess.run([*kil, "demo"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr
    report = subprocess.run(
        [*kil, "report", "--all", "--demo", "--jobs", "2"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, report.stderr
    return {"root": root, "env": env, "stderr": report.stderr}


@pytest.fixture(scope="module")
def direct(built: dict) -> dict:
    """Headline figures computed in this process, straight through the package."""
    from kil_analysis.pipeline import load_case_study

    old = os.environ.get("KIL_DATA_DIR")
    os.environ["KIL_DATA_DIR"] = built["env"]["KIL_DATA_DIR"]
    try:
        out = {}
        for slug in DEMO_COUNCILS:
            study = load_case_study(slug, "", period_start="2022-04-01", period_end="2025-03-31")
            out[slug] = measures.headline_by_year(study.spend, "council")
        return out
    finally:
        if old is None:
            del os.environ["KIL_DATA_DIR"]
        else:
            os.environ["KIL_DATA_DIR"] = old


def _report(built: dict, slug: str) -> Path:
    return built["root"] / "reports" / slug


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_every_council_gets_notebook_html_and_summary(built, slug):
    folder = _report(built, slug)
    for name in ("index.html", f"{slug}.ipynb", "summary.json"):
        assert (folder / name).is_file(), name
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 3_000_000, "report should stay one small self-contained file"
    assert "<script>alert" not in html and "onerror=alert" not in html


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_summary_figures_equal_those_computed_directly(built, direct, slug):
    summary = json.loads((_report(built, slug) / "summary.json").read_text())
    assert summary["is_demo"] is True
    expected = direct[slug]
    got = summary["headline"]
    assert [r["financial_year"] for r in got] == expected["financial_year"].tolist()
    for row, exp in zip(got, expected.itertuples(), strict=True):
        assert row["total_spend"] == f"{exp.total_pence / 100:.2f}"
        assert row["suppliers"] == exp.suppliers
        for share in ("vcse_share", "local_share", "top10_share"):
            assert row[share] == pytest.approx(getattr(exp, share), abs=1e-12)
    assert summary["manifest"]["parameters"]["council"] == slug
    assert all(len(f["sha256"]) == 64 for f in summary["manifest"]["data_files"])


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_html_shows_the_same_figures_and_says_demo(built, direct, slug):
    html = (_report(built, slug) / "index.html").read_text(encoding="utf-8")
    assert "DEMO DATA" in html
    for r in direct[slug].itertuples():
        assert f"£{r.total_spend_gbp / 1e6:,.2f}m" in html
        assert f"{r.vcse_share:.1%}" in html and f"{r.top10_share:.1%}" in html


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_executed_notebook_says_what_the_package_computes(built, direct, slug):
    """The narrative cells that matter (title, headline summary) in the executed notebook are
    exactly the text the package produces from the same data."""
    import nbformat

    from kil_analysis.config import load_council
    from kil_analysis.present import narrative

    nb = nbformat.read(_report(built, slug) / f"{slug}.ipynb", as_version=4)
    shown = [
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/markdown" in o.get("data", {})
    ]
    name = load_council(slug).name
    assert narrative.report_title(name, True) in shown
    assert narrative.headline_summary(direct[slug], name, "council") in shown


def test_index_lists_every_council_with_its_latest_figures(built, direct):
    index = (built["root"] / "reports" / "index.html").read_text(encoding="utf-8")
    for slug, headline in direct.items():
        assert f"{slug}/index.html" in index
        latest = headline.iloc[-1]
        assert f"{latest['vcse_share']:.1%}" in index


def test_report_on_newcastles_real_published_files(shared_data, tmp_path):
    """`kil report newcastle --data <real files>`: builds, says it is not demo, reconciles."""
    from decimal import Decimal

    env = {**os.environ, "KIL_DATA_DIR": str(tmp_path / "data"), "KIL_REPORTS_DIR": str(tmp_path)}
    raw = shared_data / "spend" / "newcastle" / "raw"
    done = subprocess.run(
        [sys.executable, "-m", "kil_analysis", "report", "newcastle", "--data", str(raw)],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "newcastle" / "summary.json").read_text())
    assert summary["is_demo"] is False
    report = json.loads(
        (
            tmp_path / "data" / "processed" / "newcastle" / "published" / "ingest_report.json"
        ).read_text()
    )
    # every kept pound is in exactly one financial year of the headline (period = all data)
    by_year = sum(Decimal(r["total_spend"]) for r in summary["headline"])
    assert by_year == Decimal(report["totals"]["amount_kept"])
    assert report["totals"]["rows_read"] == 242_011
    html = (tmp_path / "newcastle" / "index.html").read_text(encoding="utf-8")
    assert "DEMO" not in html and "local share is not measured" in html


def test_batch_builds_the_comparison_of_every_council(built):
    reports = built["root"] / "reports"
    page = (reports / "comparison.html").read_text(encoding="utf-8")
    assert (reports / "comparison.ipynb").is_file()
    assert "DEMO DATA" in page
    for slug in DEMO_COUNCILS:
        name = json.loads((reports / slug / "summary.json").read_text())["council_name"]
        assert name in page
    assert 'href="comparison.html"' in (reports / "index.html").read_text(encoding="utf-8")
    assert "comparison done" in built["stderr"]
