"""The batch runner end to end on a tiny stand-in notebook (same parameters contract as
notebooks/case_study.ipynb): a batch where one council fails and one has no data, then a
crash mid-export. Kernel runs are slow, so the batch runs once per session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from kil_analysis.reporting import batch, case_study
from kil_analysis.reporting.index import write_index
from tests.unit.test_reporting_support import (
    HEADLINE,
    NAMES,
    write_contract_notebook,
    write_published_files,
)


@pytest.fixture(scope="session")
def ran(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """alpha succeeds, broken raises in a cell, nodata has no files: run with two workers."""
    root = tmp_path_factory.mktemp("batch")
    notebook = write_contract_notebook(root / "notebooks")
    for slug in ("alpha", "broken"):
        write_published_files(root / "published", slug)
    registers = root / "my registers"  # a folder the user names with --registers
    registers.mkdir()
    (registers / "charities.csv").write_text("registered_charity_number,charity_name\n1,A\n")
    runs = batch.run_reports(
        ["alpha", "broken", "nodata"],
        data=root / "published",
        registers_dir=registers,
        jobs=2,
        out_root=root / "reports",
        notebook=notebook,
        councils={"alpha": "Alpha", "broken": "Broken", "nodata": "No Data"},
        progress=False,
    )
    return {"root": root, "notebook": notebook, "runs": {r.slug: r for r in runs}}


def test_one_failing_council_does_not_stop_the_others(ran: dict):
    runs = ran["runs"]
    assert list(runs) == ["alpha", "broken", "nodata"]
    assert runs["alpha"].ok, runs["alpha"].error
    assert not runs["broken"].ok
    assert runs["broken"].error == (
        "execute failed: notebook cell 3 raised ValueError: no spend rows for broken in "
        f"{ran['root'] / 'published' / 'broken'}"
    )
    assert not runs["nodata"].ok and "has no nodata/ subfolder" in runs["nodata"].error


def test_successful_run_publishes_notebook_html_and_summary(ran: dict):
    folder = ran["root"] / "reports" / "alpha"
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.ipynb", "index.html", "summary.json"]
    executed = nbformat.read(str(folder / "alpha.ipynb"), as_version=4)
    assert executed.metadata.papermill.parameters["council"] == "alpha"
    assert executed.metadata.kernelspec.name == "kil"

    page = (folder / "index.html").read_text(encoding="utf-8")
    assert len(page.encode()) < 3_000_000
    assert page.count('src="data:image/png;base64,') == 1
    assert "<script" not in page and "secret" not in page
    assert "Alpha &lt;script&gt;" in page and "DEMO DATA (synthetic)</title>" in page
    assert "import matplotlib" not in page  # code hidden

    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["council_name"] == NAMES["alpha"] and summary["headline"] == HEADLINE
    manifest = summary["manifest"]
    assert manifest["parameters"]["council"] == "alpha"
    assert manifest["parameters"]["top_n"] == 300
    assert "summary_path" not in manifest["parameters"]
    assert set(manifest["timings_s"]) == {"execute", "export", "total"}
    assert manifest["timings_s"]["total"] >= manifest["timings_s"]["execute"] > 0
    assert manifest["parameters"]["registers_dir"] == str(ran["root"] / "my registers")
    assert [Path(f["path"]).name for f in manifest["data_files"]] == ["grants.json", "2023-04.csv"]
    assert [Path(f["path"]).name for f in manifest["reference_files"]] == ["charities.csv"]
    assert all(len(f["sha256"]) == 64 for f in manifest["data_files"])
    assert manifest["cell_timings_s"] and manifest["kernel_name"] == "kil"


def test_failed_run_keeps_its_notebook_and_index_marks_it(ran: dict):
    reports = ran["root"] / "reports"
    broken = reports / "broken"
    assert sorted(p.name for p in broken.iterdir()) == ["failed.ipynb", "failed.json"]
    executed = nbformat.read(str(broken / "failed.ipynb"), as_version=4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]

    page = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="alpha/index.html"' in page and "£123.5m" in page and "demo data" in page
    assert page.count("run failed") == 2
    assert "raised ValueError: no spend rows for broken" in page
    assert "has no nodata/ subfolder" in page
    assert "<script" not in page


def test_crash_mid_export_leaves_the_previous_report_intact(
    ran: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    reports = tmp_path / "reports"
    shutil.copytree(ran["root"] / "reports", reports)
    before = {p.name: p.read_bytes() for p in (reports / "alpha").iterdir()}

    def crash(notebook: Path, html_path: Path, title: str) -> dict:
        html_path.write_text("<!DOCTYPE html><html><body><p>half a rep", encoding="utf-8")
        raise OSError("No space left on device")

    monkeypatch.setattr(case_study, "export_html_to", crash)
    run = case_study.run_case_study(
        "alpha",
        data_dir=ran["root"] / "published" / "alpha",
        registers_dir=tmp_path,
        lookups_dir=tmp_path,
        out_root=reports,
        notebook=ran["notebook"],
    )
    assert not run.ok
    assert run.error == "export failed: OSError: No space left on device"
    after = {p.name: p.read_bytes() for p in (reports / "alpha").iterdir()}
    assert {k: after[k] for k in before} == before  # old HTML, notebook, summary untouched
    assert set(after) - set(before) == {"failed.json", "failed.ipynb"}
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no staging left

    page = write_index(reports).read_text(encoding="utf-8")
    assert "export failed: OSError: No space left on device" in page
    assert "previous report" in page


def test_the_same_batch_runs_on_a_dask_cluster(tmp_path: Path):
    """`kil report --dask ADDRESS`'s path: the batch on a Dask client's executor."""
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed not installed (pip install 'kil-analysis[dask]')"
    )
    from kil_analysis.reporting.executors import dask_executor

    notebook = write_contract_notebook(tmp_path / "notebooks")
    for slug in ("alpha", "broken"):
        write_published_files(tmp_path / "published", slug)
    # Worker threads in this process start in a blink (two threads: the runs must not trip over
    # each other); that runs survive pickling to other processes is shown by the pool batch.
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        with dask_executor(cluster.scheduler_address) as executor:
            runs = batch.run_reports(
                ["alpha", "broken"],
                data=tmp_path / "published",
                executor=executor,
                out_root=tmp_path / "reports",
                notebook=notebook,
                councils={"alpha": "Alpha", "broken": "Broken"},
                progress=False,
                compare=False,
            )
    assert [r.ok for r in runs] == [True, False]
    assert "raised ValueError: no spend rows for broken" in runs[1].error
    published = tmp_path / "reports" / "alpha"
    assert sorted(p.name for p in published.iterdir()) == [
        "alpha.ipynb",
        "index.html",
        "summary.json",
    ]
    page = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="alpha/index.html"' in page and "run failed" in page
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".")]


def test_unreachable_dask_scheduler_is_one_line():
    pytest.importorskip("distributed", reason="dask.distributed not installed")
    from kil_analysis.reporting.executors import DaskUnavailableError, dask_executor

    with pytest.raises(DaskUnavailableError) as err:
        with dask_executor("tcp://127.0.0.1:9", timeout_s=2):
            pass
    message = str(err.value)
    assert message.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "\n" not in message
