"""reports/index.html: every council with its latest figures, failures marked, data escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_analysis.readers import atomic
from kil_analysis.reporting import index, publish
from tests.unit.test_reporting_support import HEADLINE, NAMES, XSS_IMG, XSS_SCRIPT


def _publish_fake(root: Path, slug: str, name: str, *, is_demo: bool = True) -> None:
    folder = root / slug
    folder.mkdir(parents=True)
    atomic.write_json_atomic(
        folder / "summary.json",
        {"council": slug, "council_name": name, "is_demo": is_demo, "headline": HEADLINE},
    )
    (folder / "index.html").write_text("<html>report</html>", encoding="utf-8")


@pytest.fixture()
def reports_root(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    _publish_fake(root, "alpha", NAMES["alpha"])
    _publish_fake(root, "beta", NAMES["beta"], is_demo=False)
    publish.record_failure(root / "beta", "beta", f"execute failed: bad supplier {XSS_IMG}")
    publish.record_failure(root / "gamma", "gamma", f"no published files {XSS_SCRIPT}")
    (root / ".staging-alpha-x").mkdir()  # a run in progress is not a council
    (root / "stray").mkdir()  # nor is a folder without a summary or failure
    return root


def test_index_escapes_everything_from_data(reports_root: Path):
    page = index.write_index(reports_root, {"delta": XSS_SCRIPT}).read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<img" not in page
    assert 'onerror="' not in page
    assert "Alpha &lt;script&gt;window.__xss = &#x27;script&#x27;;&lt;/script&gt; Council" in page
    assert "Beta &lt;img src=x onerror=&quot;window.__xss" in page


def test_index_links_and_marks_every_council(reports_root: Path):
    entries = index.collect_entries(reports_root, {"delta": "Delta"})
    by_slug = {e.slug: e for e in entries}
    assert list(by_slug) == ["alpha", "beta", "delta", "gamma"]
    assert by_slug["alpha"].status == "ok" and by_slug["alpha"].is_demo
    assert by_slug["beta"].status == "failed" and by_slug["beta"].has_report
    assert by_slug["gamma"].status == "failed" and not by_slug["gamma"].has_report
    assert by_slug["delta"].status == "not run"

    alpha = index.render_row(by_slug["alpha"])
    assert 'href="alpha/index.html"' in alpha and "demo data" in alpha
    # Headline figures are those of the latest financial year, formatted for people.
    for shown in ("2023/24", "£123.5m", "2,345", "12.5%", "50.0%", "30.0%"):
        assert shown in alpha
    assert "2022/23" not in alpha

    beta = index.render_row(by_slug["beta"])
    assert 'class="run-failed"' in beta and "run failed" in beta
    assert "Failed: execute failed: bad supplier &lt;img" in beta
    assert "previous report" in beta and "demo data" not in beta

    gamma = index.render_row(by_slug["gamma"])
    assert "Failed: no published files &lt;script&gt;" in gamma
    assert "gamma/index.html" not in gamma


def test_index_rewrite_is_atomic(reports_root: Path, monkeypatch: pytest.MonkeyPatch):
    path = index.write_index(reports_root)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        index.write_index(reports_root, {"new": "New"})
    assert path.read_bytes() == before
    assert not [p for p in reports_root.iterdir() if p.name.endswith(".tmp")]


def test_index_with_no_reports_says_what_to_do(tmp_path: Path):
    page = index.render_index(index.collect_entries(tmp_path / "nothing"))
    assert "kil report --all" in page
