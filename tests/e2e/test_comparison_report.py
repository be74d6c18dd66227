"""The comparison report: notebooks/compare_councils.ipynb run by the report runner on two
small summaries, and a batch whose comparison fails without losing any council's report.
(Executing the notebook takes a few seconds, so it runs once per module.)"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import nbformat
import pytest

from kil_analysis.reporting import batch, case_study, comparison_report
from kil_analysis.reporting.executors import InlineExecutor
from kil_analysis.reporting.html import check_html
from tests.unit.test_comparison import HOSTILE, write_summary, year


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("compare") / "reports"
    write_summary(
        root,
        "alpha",
        HOSTILE,
        [year("2022/23", vcse_share=0.081), year("2023/24", months=7, local_share=None)],
        is_demo=True,
    )
    write_summary(
        root,
        "beta",
        "Beta Borough Council",
        [year("2022/23", vcse_share=0.11), year("2023/24", vcse_share=0.125)],
        local_definition="region",
    )
    run = comparison_report.run_comparison(out_root=root)
    return {"root": root, "run": run}


def test_comparison_runs_on_two_summaries_and_says_demo(compared: dict):
    run, root = compared["run"], compared["root"]
    assert run.ok, run.error
    assert run.councils == ("alpha", "beta")
    assert run.html_path == root / "comparison.html" and run.notebook_path.is_file()
    page = run.html_path.read_text(encoding="utf-8")
    check_html(page)  # no <script>, nothing fetched, small
    assert "DEMO DATA" in page and "DEMO DATA (synthetic)</title>" in page
    assert "Beta Borough Council" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert page.count('src="data:image/png;base64,') == 3  # VCSE, local, top-10 charts
    assert "12.5%" in page and "2023/24 (7 months)" in page
    assert "load_summaries" not in page  # code hidden
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # staging cleaned up


def test_executed_notebook_records_its_parameters(compared: dict):
    nb = nbformat.read(str(compared["run"].notebook_path), as_version=4)
    assert nb.metadata.papermill.parameters == {
        "reports_dir": str(compared["root"].resolve()),
        "councils": "",
    }
    assert nb.metadata.kernelspec.name == "kil"


def _fake_case_study(slug: str, *, out_root: Path, **_: object) -> case_study.CaseStudyRun:
    """Stands in for a council's run (the kernel is what is slow): publishes a summary."""
    folder = write_summary(Path(out_root), slug, slug.title(), [year("2023/24")])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return case_study.CaseStudyRun(slug, True, folder, summary=summary)


def test_failed_comparison_is_one_line_and_keeps_every_council_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="kil_analysis")
    data = tmp_path / "published"
    for slug in ("alpha", "beta"):
        (data / slug).mkdir(parents=True)
        (data / slug / "spend.csv").write_text("Supplier,Amount\nA,1\n", encoding="utf-8")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "comparison.html").write_text("<p>previous comparison</p>", encoding="utf-8")
    monkeypatch.setattr(batch, "run_case_study", _fake_case_study)
    result = batch.run_reports(
        ["alpha", "beta"],
        data=data,
        out_root=out,
        councils={},
        comparison_notebook=tmp_path / "no-such.ipynb",
        executor=InlineExecutor(),
    )
    assert [r.ok for r in result] == [True, True]
    assert result.comparison is not None and not result.comparison.ok
    assert result.comparison.error.startswith("the comparison notebook ")
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if "comparison FAILED" in line]) == 1
    for slug in ("alpha", "beta"):
        assert (out / slug / "summary.json").is_file() and (out / slug / "index.html").is_file()
    assert (out / "comparison.html").read_text(encoding="utf-8") == "<p>previous comparison</p>"
    assert 'href="alpha/index.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_no_comparison_with_fewer_than_two_successes(tmp_path: Path, monkeypatch):
    data = tmp_path / "published"
    (data / "alpha").mkdir(parents=True)
    (data / "alpha" / "spend.csv").write_text("Supplier,Amount\nA,1\n", encoding="utf-8")
    monkeypatch.setattr(batch, "run_case_study", _fake_case_study)
    result = batch.run_reports(
        ["alpha"],
        data=data,
        out_root=tmp_path / "reports",
        councils={},
        progress=False,
        executor=InlineExecutor(),
    )
    assert result[0].ok and result.comparison is None
    assert not (tmp_path / "reports" / "comparison.html").exists()


def test_cli_names_a_failed_comparison_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    from kil_analysis import config, paths
    from kil_analysis.cli import main

    names = {"alpha": "Alpha", "beta": "Beta"}
    monkeypatch.setenv("KIL_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path / "notebooks")  # no compare notebook
    monkeypatch.setattr(config, "council_slugs", lambda *a, **k: sorted(names))
    monkeypatch.setattr(batch, "configured_council_names", lambda: names)
    monkeypatch.setattr(batch, "run_case_study", _fake_case_study)
    monkeypatch.setattr(batch, "local_process_pool", lambda jobs: InlineExecutor())
    data = tmp_path / "published"
    for slug in names:
        (data / slug).mkdir(parents=True)
        (data / slug / "spend.csv").write_text("Supplier,Amount\nA,1\n", encoding="utf-8")
    assert main(["report", "--all", "--data", str(data), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("kil report: comparison failed: the comparison")
    assert (tmp_path / "reports" / "alpha" / "summary.json").is_file()


@pytest.mark.slow
@pytest.mark.shared_data
def test_newcastle_and_gateshead_compared_on_their_real_files(shared_data, tmp_path):
    """`kil report newcastle --data …; kil report gateshead --data …` for 2019/20–2021/22,
    then the comparison: both councils' full years side by side, per resident, benchmarks."""
    import os
    import subprocess
    import sys

    from kil_analysis.paths import PROJECT_ROOT

    newcastle = tmp_path / "published" / "newcastle"
    newcastle.mkdir(parents=True)
    for part in ("raw", "odileeds_clean"):  # the council's files and the re-published months
        (newcastle / part).mkdir()
        for f in sorted((shared_data / "spend" / "newcastle" / part).iterdir()):
            (newcastle / part / f.name).symlink_to(f)
    gateshead = shared_data / "spend" / "gateshead" / "odileeds_clean"
    env = {**os.environ, "KIL_DATA_DIR": str(tmp_path / "data"),
           "KIL_REPORTS_DIR": str(tmp_path / "reports")}  # fmt: skip
    period = ["--period-start", "2019-04-01", "--period-end", "2022-03-31", "--quiet"]
    for slug, data in (("newcastle", newcastle), ("gateshead", gateshead)):
        done = subprocess.run(
            [sys.executable, "-m", "kil_analysis", "report", slug, "--data", str(data), *period],
            env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    run = comparison_report.run_comparison(out_root=tmp_path / "reports")
    assert run.ok, run.error
    assert run.councils == ("gateshead", "newcastle")
    page = run.html_path.read_text(encoding="utf-8")
    check_html(page)
    assert "DEMO" not in page
    assert "Gateshead Council" in page and "Newcastle City Council" in page
    assert "Every council has full years 2019/20, 2020/21 and 2021/22" in page
    assert "England, 2022 (published benchmark)" in page and "46%" in page and "35%" in page
    assert "196,100" in page and "300,200" in page  # residents, with the census source
    from decimal import Decimal

    summaries = {
        slug: json.loads((tmp_path / "reports" / slug / "summary.json").read_text())
        for slug in ("newcastle", "gateshead")
    }
    for slug, residents in (("newcastle", 300_200), ("gateshead", 196_100)):
        latest = max(summaries[slug]["headline"], key=lambda r: r["financial_year"])
        assert latest["financial_year"] == "2021/22" and latest["months"] == 12
        per_resident = Decimal(latest["total_spend"]) / residents
        assert f"£{per_resident:,.0f}" in page
