"""End to end: the work of `make reports` on the demo data, in a temporary folder.

Runs `kil demo` and `kil report --all --demo --jobs 2` as a user would (subprocesses), then
checks each summary.json, HTML report, executed notebook and the index against figures this
test computes itself from the raw demo files with ``csv`` and ``Decimal`` (tests/raw_demo.py),
never through the package; and that the figures are exactly those recorded before the
reporting refactor (tests/fixtures/demo/).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kil_analysis.demo.suppliers import COUNCILS as DEMO_COUNCILS
from kil_analysis.paths import PROJECT_ROOT
from tests import raw_demo

pytestmark = pytest.mark.slow
BEFORE = Path(__file__).parents[1] / "fixtures" / "demo" / "summary_figures_before_refactor.json"
NAMES = {"bristol": "Bristol City Council", "newcastle": "Newcastle City Council"}


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
def own(built: dict) -> dict[str, dict[str, raw_demo.Year]]:
    """Per council and financial year, the figures computed from the raw demo files."""
    demo = built["root"] / "data" / "demo"
    return {slug: raw_demo.figures(demo, slug) for slug in DEMO_COUNCILS}


def _report(built: dict, slug: str) -> Path:
    return built["root"] / "reports" / slug


def _summary(built: dict, slug: str) -> dict:
    return json.loads((_report(built, slug) / "summary.json").read_text(encoding="utf-8"))


def _money_m(pounds: Decimal, places: int) -> str:
    return f"£{float(pounds) / 1e6:,.{places}f}m"


def test_all_demo_runs_the_demo_councils_and_names_the_others_skipped(built):
    from kil_analysis.config import council_slugs

    others = [s for s in council_slugs() if s not in DEMO_COUNCILS]
    assert others  # Gateshead is configured for real data only
    assert f"kil report: no demo data for {', '.join(others)}" in built["stderr"]
    folders = (built["root"] / "reports").iterdir()
    assert sorted(p.name for p in folders if p.is_dir() and not p.name.startswith(".")) == sorted(
        DEMO_COUNCILS
    )


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_every_council_gets_notebook_html_and_summary(built, slug):
    folder = _report(built, slug)
    for name in ("index.html", f"{slug}.ipynb", "summary.json"):
        assert (folder / name).is_file(), name
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 3_000_000, "report should stay one small self-contained file"
    assert "<script>alert" not in html and "onerror=alert" not in html


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_summary_figures_equal_those_from_the_raw_files(built, own, slug):
    summary = _summary(built, slug)
    assert summary["is_demo"] is True
    years = own[slug]
    got = summary["headline"]
    assert [r["financial_year"] for r in got] == list(years)
    for row, year in zip(got, years.values(), strict=True):
        assert Decimal(row["total_spend"]) == year.total  # to the penny
        assert row["payments"] == year.payments
        assert row["months"] == 12
        assert row["suppliers"] == len(year.by_supplier)  # spelling variants merged, none mixed
        assert row["redacted_share"] == pytest.approx(float(year.share(year.redacted)), abs=1e-12)
        assert row["top10_share"] == pytest.approx(float(year.top10_share), abs=1e-12)
    assert summary["manifest"]["parameters"]["council"] == slug
    assert all(len(f["sha256"]) == 64 for f in summary["manifest"]["data_files"])


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_summary_figures_are_unchanged_by_the_refactor(built, slug):
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[slug]
    summary = _summary(built, slug)
    for key, value in before.items():
        if key != "headline":
            assert summary[key] == value, key
    for row, old in zip(summary["headline"], before["headline"], strict=True):
        # every recorded figure: money, counts and years exactly; shares to 1e-12 (summing in
        # another order may change a float's last digit, never a figure a reader sees)
        for key, value in old.items():
            expected = pytest.approx(value, rel=1e-12) if isinstance(value, float) else value
            assert row.get(key) == expected, (row["financial_year"], key)


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_html_shows_the_raw_files_figures_and_says_demo(built, own, slug):
    html = (_report(built, slug) / "index.html").read_text(encoding="utf-8")
    assert "DEMO DATA" in html
    assert f"No contract notices were supplied for {NAMES[slug]}" in html
    for year in own[slug].values():
        assert _money_m(year.total, 2) in html
        assert f"{float(year.top10_share):.1%}" in html
        assert f"{len(year.by_supplier):,}" in html


@pytest.mark.parametrize("slug", DEMO_COUNCILS)
def test_executed_notebook_tells_the_raw_files_figures(built, own, slug):
    """The narrative a reader sees: rows and pounds read, and the latest year's headline."""
    import nbformat

    nb = nbformat.read(_report(built, slug) / f"{slug}.ipynb", as_version=4)
    parts = [
        o["data"]["text/markdown"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/markdown" in o.get("data", {})
    ]
    shown = "\n".join(parts)
    years = own[slug]
    rows = sum(y.payments for y in years.values())
    assert NAMES[slug] in shown and "DEMO DATA" in shown
    assert f"{rows:,} payment rows read" in shown
    latest, year = list(years.items())[-1]
    headline = next(part for part in parts if "named suppliers and to individuals" in part)
    assert headline.startswith(f"In {latest}, {NAMES[slug]} paid {_money_m(year.total, 1)}")
    assert f"{len(year.by_supplier):,} named suppliers" in headline
    concentration = next(part for part in parts if "Herfindahl" in part)
    assert f"the ten largest suppliers took {float(year.top10_share):.1%}" in concentration


def test_index_lists_every_council_with_its_latest_figures(built, own):
    index = (built["root"] / "reports" / "index.html").read_text(encoding="utf-8")
    for slug, years in own.items():
        assert f"{slug}/index.html" in index
        latest = list(years.values())[-1]
        assert _money_m(latest.total, 1) in index
        assert f"{float(latest.top10_share):.1%}" in index


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
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "DEMO" not in title and "<strong>Demo data.</strong>" not in html
    assert "not measured (0.0% of spend was located)" in html
    # no Contracts Finder notices beside the files: said plainly, with how to fetch them
    assert "No contract notices were supplied for Newcastle City Council" in html
    assert "contractsfinder.service.gov.uk/Published/Notices/OCDS/Search" in html


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
