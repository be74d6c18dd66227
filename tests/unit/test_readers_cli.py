"""`kil ingest` from the command line: summaries, JSON, config councils and one-line errors."""

from __future__ import annotations

import json
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
