"""Unit tests for the report runner's pieces that need no kernel: index, summary, HTML, data
selection, failure reasons and atomic publication. (Notebook runs: test_reporting_runner.py.)"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kil_analysis import paths
from kil_analysis.readers import atomic, checksums
from kil_analysis.reporting import escaping, html, index, runner, summary
from tests.unit.test_reporting_support import HEADLINE, NAMES, XSS_IMG, XSS_SCRIPT

# --- escaping -------------------------------------------------------------------------------


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


# --- index ----------------------------------------------------------------------------------


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
    runner.record_failure(root / "beta", "beta", f"execute failed: bad supplier {XSS_IMG}")
    runner.record_failure(root / "gamma", "gamma", f"no published files {XSS_SCRIPT}")
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


# --- summary and manifest -------------------------------------------------------------------


def test_file_checksums_match_hashlib_and_skip_hidden(tmp_path: Path):
    (tmp_path / "spend").mkdir()
    (tmp_path / "spend" / "a.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "b.json").write_bytes(b"{}")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "junk").write_bytes(b"junk")
    rows = checksums.file_checksums(tmp_path)
    assert [Path(r["path"]).name for r in rows] == ["b.json", "a.csv"]
    assert rows[1]["sha256"] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert rows[1]["bytes"] == 8
    assert checksums.file_checksums(tmp_path, limit_bytes=4)[1]["sha256"] is None
    assert checksums.file_checksums(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "did not write its summary"),
        ("{not json", "not valid JSON"),
        ('{"council": "x"}', "no 'headline' list"),
        ('{"headline": [{"financial_year": "2023/24"}]}', "lacks total_spend_gbp, suppliers"),
    ],
)
def test_read_headline_rejects_bad_summaries(tmp_path: Path, content, message):
    path = tmp_path / "headline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(summary.SummaryError, match=re.escape(message)):
        summary.read_headline(path)


def test_git_head_is_read_without_running_git(tmp_path: Path):
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text("# pack-refs\n" + "a" * 40 + " refs/heads/main\n")
    assert summary._read_git_head(tmp_path) == "a" * 40
    (git / "refs" / "heads" / "main").write_text("b" * 40 + "\n")
    assert summary._read_git_head(tmp_path) == "b" * 40
    assert summary._read_git_head(tmp_path / "not-a-repo") is None
    commit = summary.git_commit()
    assert commit == "unknown" or re.fullmatch(r"[0-9a-f]{40}", commit)


def test_manifest_records_parameters_versions_checksums_and_timings(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "spend.csv").write_text("a\n")
    nb = tmp_path / "case_study.ipynb"
    nbformat.write(new_notebook(), str(nb))
    manifest = summary.build_manifest(
        parameters={"council": "alpha"},
        data_dir=data,
        reference_dirs=[tmp_path / "registers"],
        notebook=nb,
        kernel_name="kil",
        started_at="2025-01-01T00:00:00+00:00",
        timings={"execute": 1.23456, "export": 0.5, "total": 2.0},
    )
    assert manifest["parameters"] == {"council": "alpha"}
    assert manifest["timings_s"] == {"execute": 1.235, "export": 0.5, "total": 2.0}
    assert manifest["data_files"][0]["sha256"] == hashlib.sha256(b"a\n").hexdigest()
    assert {"python", "pandas", "papermill", "nbconvert"} <= set(manifest["versions"])
    assert manifest["git_commit"]
    json.dumps(manifest)  # JSON-ready


def test_latest_year_picks_the_latest_financial_year():
    assert summary.latest_year({"headline": HEADLINE})["financial_year"] == "2023/24"
    assert summary.latest_year({"headline": []}) is None


# --- HTML -----------------------------------------------------------------------------------

PNG = (  # 1x1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _notebook_with_outputs() -> nbformat.NotebookNode:
    code = new_code_cell(
        "secret_code_marker = 1",
        outputs=[
            new_output("stream", name="stderr", text="UserWarning: noisy\n"),
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        ],
    )
    removed = new_code_cell("x = 2", outputs=[new_output("stream", name="stdout", text="gone")])
    removed.metadata["tags"] = ["remove-cell"]
    return new_notebook(cells=[new_markdown_cell("# Heading"), code, removed])


def test_html_hides_code_embeds_images_and_loads_nothing_from_the_network():
    body = html.notebook_to_html(_notebook_with_outputs(), title=f"{NAMES['alpha']} (demo data)")
    assert "secret_code_marker" not in body
    assert "UserWarning: noisy" not in body
    assert ">gone<" not in body
    assert 'src="data:image/png;base64,' in body
    assert "<script" not in body  # no require.js, MathJax or Mermaid from a CDN
    assert "<title>Alpha &lt;script&gt;" in body
    html.check_html(body)


def test_check_html_rejects_large_or_networked_pages():
    with pytest.raises(html.ExportError, match="MB"):
        html.check_html("x" * 2000, max_bytes=1000)
    with pytest.raises(html.ExportError, match="network"):
        html.check_html('<script src="https://cdn.example/require.js"></script>')
    for unescaped in (XSS_SCRIPT, XSS_IMG, "<p>Supplier <svg onload=alert(1)></p>"):
        with pytest.raises(html.ExportError, match="unescaped text from data"):
            html.check_html(f"<html><body>{unescaped}</body></html>")
    html.check_html(f"<p>{escaping.text(XSS_IMG)} {escaping.text(XSS_SCRIPT)}</p>")


def test_markdown_with_unescaped_names_fails_the_export(tmp_path: Path):
    nb = new_notebook(cells=[new_markdown_cell(f"# {XSS_IMG}")])
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    with pytest.raises(html.ExportError, match="unescaped"):
        html.export_html(tmp_path / "x.ipynb", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


# --- data selection, failure reasons, publication --------------------------------------------


@pytest.fixture()
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_default_data_without_published_files_says_what_to_do(data_root: Path):
    with pytest.raises(runner.DataSelectionError) as err:
        runner.select_data("alpha")
    assert str(err.value) == (
        f"no published files in {paths.raw_dir('alpha')}: run `kil fetch alpha`, "
        "pass --data PATH, or use --demo"
    )
    (paths.raw_dir("alpha") / "spend").mkdir(parents=True)
    (paths.raw_dir("alpha") / "spend" / "a.csv").write_text("x")
    chosen = runner.select_data("alpha")
    assert chosen.data_dir == paths.raw_dir("alpha")
    assert chosen.registers_dir == paths.registers_dir()


def test_demo_and_data_selection(data_root: Path, tmp_path: Path):
    with pytest.raises(runner.DataSelectionError, match="run `kil demo`"):
        runner.select_data("alpha", demo=True)
    (paths.demo_council_dir("alpha") / "spend").mkdir(parents=True)
    (paths.demo_council_dir("alpha") / "spend" / "a.csv").write_text("x")
    demo = runner.select_data("alpha", demo=True)
    assert demo.registers_dir == paths.demo_dir() / "registers"
    assert demo.lookups_dir == paths.demo_dir() / "lookups"

    mine = tmp_path / "mine"
    (mine / "spend").mkdir(parents=True)
    (mine / "spend" / "jan.csv").write_text("x")
    assert runner.select_data("alpha", data=mine).data_dir == mine
    with pytest.raises(runner.DataSelectionError, match="one subfolder per council"):
        runner.select_data("alpha", data=mine, several=True)
    (mine / "beta").mkdir()
    (mine / "beta" / "feb.csv").write_text("x")
    assert runner.select_data("beta", data=mine, several=True).data_dir == mine / "beta"


def test_notebook_errors_become_one_line_reasons():
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(
        cell_index=4,
        exec_count=3,
        source="load()",
        ename="FileNotFoundError",
        evalue="\x1b[31mspend/2023.csv\x1b[0m not found\nsecond line",
        traceback=[],
    )
    assert runner.describe_failure(exc) == (
        "notebook cell 3 raised FileNotFoundError: spend/2023.csv not found"
    )
    assert runner.describe_failure(KeyError("x")) == "KeyError: 'x'"
    from nbclient.exceptions import CellTimeoutError

    timeout = CellTimeoutError.error_from_timeout_and_cell(
        "Cell execution timed out", 600, new_code_cell("study = load_case_study(council)\nmore")
    )
    assert runner.describe_failure(timeout) == (
        "a notebook cell ran past the execution timeout "
        "(cell starting: study = load_case_study(council))"
    )
    assert len(runner.one_line("word " * 500)) == runner.MAX_REASON


def test_publish_swaps_folders_and_failure_keeps_the_previous_report(tmp_path: Path):
    target = tmp_path / "alpha"
    target.mkdir()
    (target / "index.html").write_text("old")
    staging = tmp_path / ".staging-alpha"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    runner.publish(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert not staging.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["alpha"]

    failed_nb = tmp_path / "half.ipynb"
    failed_nb.write_text("{}")
    runner.record_failure(target, "alpha", "execute failed: boom", failed_nb)
    assert (target / "index.html").read_text() == "new"
    record = json.loads((target / "failed.json").read_text())
    assert record["error"] == "execute failed: boom" and record["notebook"] == "failed.ipynb"
    assert (target / "failed.ipynb").exists() and not failed_nb.exists()


def test_run_case_study_without_the_notebook_fails_cleanly(tmp_path: Path):
    run = runner.run_case_study(
        "alpha",
        data_dir=tmp_path,
        registers_dir=tmp_path,
        lookups_dir=tmp_path,
        out_root=tmp_path / "reports",
        notebook=tmp_path / "missing.ipynb",
    )
    assert not run.ok and "missing.ipynb does not exist" in run.error
    assert (tmp_path / "reports" / "alpha" / "failed.json").exists()


def test_stale_staging_folders_are_removed_fresh_ones_kept(tmp_path: Path):
    import os

    stale, fresh = tmp_path / ".staging-alpha-old", tmp_path / ".staging-beta-new"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (1, 1))
    runner.remove_stale_staging(tmp_path)
    assert not stale.exists() and fresh.exists()
