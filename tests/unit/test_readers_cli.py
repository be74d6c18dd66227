"""`kil ingest` from the command line: summaries, JSON, config councils and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kil_analysis.cli import main

CSV = "Date,Supplier,Amount\n01/01/2024,A LTD,1.00\n02/01/2024,B LTD,2.50\n,,3.50\n"


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "spend.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_summary_and_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(_file(tmp_path)), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "read 3 kept 2 rejected 1" in printed and "£3.50 kept" in printed
    assert "totals_row 1" in printed
    assert (out / "spend.parquet").exists() and (out / "ingest_report.json").exists()


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["ingest", str(_file(tmp_path)), "--out", str(tmp_path / "o"), "--json", "--no-cache"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["amount_read"] == "7.00"
    assert report["files"][0]["rows_rejected"] == {"totals_row": 1}


def test_default_out_is_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(path)]) == 0
    assert (tmp_path / "kil-ingest" / "spend.parquet").exists()


def test_council_config_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    raw = tmp_path / "data" / "raw" / "newcastle"
    raw.mkdir(parents=True)
    (raw / "2024-01.csv").write_text(CSV, encoding="utf-8")
    assert main(["ingest", "--council", "newcastle", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["council"] == "E08000021"
    assert (tmp_path / "data" / "processed" / "newcastle" / "spend.parquet").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest"], "give files or folders"),
        (["ingest", "/no/such/file.csv"], "no such file"),
        (["ingest", "--council", "atlantis"], "unknown council"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) != 0
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_unreadable_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Supplier,Department\nA,B\n", encoding="utf-8")
    assert main(["ingest", str(bad), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kil ingest: ") and "bad.csv: cannot find the" in err
    assert "\n" not in err


# Run in a fresh process (numpy is loaded in this one): records the BLAS thread limit in force
# when numpy is imported, runs `kil ingest`, then prints that limit and the one left behind.
_BLAS_PROBE = """
import importlib.abc, json, os, sys
seen = []
class Probe(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "numpy":
            seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
        return None
sys.meta_path.insert(0, Probe())
from kil_analysis.cli import main
code = main(["ingest", sys.argv[1], "--out", sys.argv[2]])
print(json.dumps([code, seen, os.environ.get("OPENBLAS_NUM_THREADS")]))
"""


@pytest.mark.parametrize("preset", [None, "3"], ids=["unset", "set-by-the-user"])
def test_numpy_loads_with_one_blas_thread_and_the_environment_is_left_as_it_was(
    tmp_path: Path, preset: str | None
) -> None:
    # numpy's OpenBLAS starting a thread per core is half its import, before the workers
    # start; a limit left in the environment would reach every notebook kernel run later.
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    run = subprocess.run(
        [sys.executable, "-c", _BLAS_PROBE, str(_file(tmp_path)), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    code, seen, after = json.loads(run.stdout.strip().splitlines()[-1])
    assert code == 0 and (tmp_path / "out" / "spend.parquet").exists()
    assert seen[:1] == ["1"]  # the first import of numpy saw the limit
    assert after == preset
