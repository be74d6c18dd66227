"""Fault injection: every bad input found by hand gives rows, rejects or a one-line reason.

Each test reproduces one fault a fault-injection run found (broken ZIPs, zip bombs, int64
wrap-around, decimal commas, totals lines, unreadable files and folders, bad output folders,
a full disk, formulas in rejected rows) and states what a researcher must see instead.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.cli import main
from kil_analysis.readers.spend import ingest_spend

HEADER = "Payment Date,Supplier Name,Amount\n"
GOOD = HEADER + "01/04/2024,ACME LTD,100.00\n02/04/2024,BETA LTD,-2.50\n"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _patch_member(data: bytes, name: str, *, flags: int | None = None, method: int | None = None):
    """Rewrite a member's flag bits or compression method in both of its ZIP headers."""
    out = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the name, of the flag bits, of the method) of each header kind
    for signature, name_at, flags_at, method_at in (
        (b"PK\x03\x04", 30, 6, 8),
        (b"PK\x01\x02", 46, 8, 10),
    ):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                for offset, value in ((flags_at, flags), (method_at, method)):
                    if value is not None:
                        struct.pack_into("<H", out, at + offset, value)
            at = out.find(signature, at + 4)
    return bytes(out)


def zip_bomb(inflated: int, name: str = "bomb.csv") -> bytes:
    """A ZIP of a few MB whose one member inflates to ``inflated`` bytes of zeros.

    Built from one deflate block of 16 MiB of zeros repeated (each block stands alone after a
    full flush), so it is cheap to make. The CRC is left at 0: the reader must refuse the
    member before inflating it, so it never gets that far.
    """
    chunk = 16 * 1024**2
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = block.compress(bytes(chunk)) + block.flush(zlib.Z_FULL_FLUSH)
    body = piece * (inflated // chunk) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    encoded = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, 0, len(body), inflated, len(encoded), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0x21, 0, len(body), inflated, len(encoded), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    directory = central + encoded
    end = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        1,
        1,
        len(directory),
        len(local) + len(encoded) + len(body),
        0,
    )
    return local + encoded + body + directory + end


def _good_file(tmp_path: Path) -> Path:
    source = tmp_path / "s.csv"
    source.write_text(GOOD, encoding="utf-8")
    return source


def _ingest(tmp_path: Path, *paths: Path, **kwargs):
    return ingest_spend(list(paths), cache_dir=tmp_path / "cache", use_cache=False, **kwargs)


def test_zip_members_encrypted_corrupt_unsupported_nested_and_climbing(tmp_path: Path) -> None:
    inner = _zip({"inner.csv": GOOD.encode()})
    data = _zip(
        {
            "a-good.csv": GOOD.encode(),
            "b-secret.csv": GOOD.encode(),
            "c-deflate64.csv": GOOD.encode(),
            "d-nested.zip": inner,
            "../e-climbs.csv": GOOD.encode(),
            "f-corrupt.csv": GOOD.encode() * 50,
        }
    )
    data = _patch_member(data, "b-secret.csv", flags=0x1)
    data = _patch_member(data, "c-deflate64.csv", method=9)
    start = data.find(b"f-corrupt.csv") + len("f-corrupt.csv") + 5  # inside its compressed data
    data = data[:start] + bytes(b ^ 0xFF for b in data[start : start + 8]) + data[start + 8 :]
    path = tmp_path / "year.zip"
    path.write_bytes(data)
    result = _ingest(tmp_path, path)
    read = {e["path"].split("!", 1)[1]: e for e in result.report["files"]}
    assert set(read) == {"../e-climbs.csv", "a-good.csv", "d-nested.zip!inner.csv"}
    assert "climbs out of the archive" in read["../e-climbs.csv"]["note"]
    failed = {f["path"].split("!", 1)[1]: f["reason"] for f in result.report["failed"]}
    assert set(failed) == {"b-secret.csv", "c-deflate64.csv", "f-corrupt.csv"}
    assert "encrypted" in failed["b-secret.csv"]
    assert "method" in failed["c-deflate64.csv"]
    assert "corrupt" in failed["f-corrupt.csv"] or "cannot be read" in failed["f-corrupt.csv"]
    assert result.report["totals"]["rows_kept"] == 6  # three readable members, two rows each


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_bomb(1024**3))  # about 1 MB on disk, 1 GiB inflated
    assert path.stat().st_size < 2_000_000
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    code = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from kil_analysis.readers.spend import ingest_spend\n"
        f"r = ingest_spend([Path({str(tmp_path)!r})], cache_dir=Path({str(tmp_path / 'c')!r}))\n"
        # VmHWM is this process's own peak: ru_maxrss would carry over the peak of the pytest
        # worker the child was forked from
        "status = Path('/proc/self/status')\n"
        "hwm = [ln for ln in status.read_text().splitlines() if ln.startswith('VmHWM')]"
        " if status.exists() else []\n"
        "peak = int(hwm[0].split()[1]) if hwm"
        " else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'failed': r.report['failed'], 'kept': r.report['totals']['rows_kept'],"
        " 'peak_kb': peak}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    outcome = json.loads(run.stdout)
    (failure,) = outcome["failed"]
    assert failure["path"].endswith("bomb.zip!bomb.csv") and "zip bomb" in failure["reason"]
    assert outcome["kept"] == 2  # the good file beside it is still read
    assert outcome["peak_kb"] < 600_000  # far below the gigabyte the member would inflate to


def test_the_inflation_limit_is_configurable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KIL_MAX_MEMBER_BYTES", "1000")
    path = tmp_path / "big.zip"
    path.write_bytes(_zip({"big.csv": (GOOD * 100).encode(), "small.csv": GOOD.encode()}))
    result = _ingest(tmp_path, path)
    (failure,) = result.report["failed"]
    assert "over the 1,000-byte limit" in failure["reason"]
    assert result.report["totals"]["rows_kept"] == 2


def test_huge_amounts_are_rejected_and_summed_exactly(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(HEADER + "01/04/2024,ACME LTD,9500000000000000\n" * 10, encoding="utf-8")
    result = _ingest(tmp_path, path)
    totals = result.report["totals"]
    assert totals["rows_rejected"] == {"implausible_amount": 10}
    assert Decimal(totals["amount_read"]) == Decimal("95000000000000000")  # not wrapped negative
    assert Decimal(totals["amount_rejected"]) == Decimal("95000000000000000")
    assert totals["rows_kept"] == 0 or result.spend.empty


def test_decimal_commas_are_detected_and_bad_separators_rejected(tmp_path: Path) -> None:
    comma = tmp_path / "eu.csv"
    comma.write_text(
        HEADER + '01/04/2024,ACME LTD,"1.234,56"\n02/04/2024,BETA LTD,"12,50"\n', encoding="utf-8"
    )
    result = _ingest(tmp_path, comma)
    assert result.spend["amount_pence"].tolist() == [123456, 1250]
    assert result.report["files"][0]["decimal_comma"] is True
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        HEADER
        + '01/04/2024,A LTD,"1,500.00"\n02/04/2024,B LTD,"3,000"\n03/04/2024,C LTD,"12,50"\n',
        encoding="utf-8",
    )
    result = _ingest(tmp_path, mixed)
    assert result.spend["amount_pence"].tolist() == [150000, 300000]
    assert result.rejects["reason"].tolist() == ["unparseable_amount"]  # never £1,250 silently
    assert "12,50" in result.rejects["detail"].iat[0]


def test_an_unquoted_thousands_separator_is_rejected_not_read_as_one_pound(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    path.write_text(HEADER + "01/04/2024,ACME LTD,1,234.56\n02/04/2024,BETA LTD,7.00\n")
    result = _ingest(tmp_path, path)
    assert result.spend["amount_pence"].tolist() == [700]
    (reject,) = result.rejects.itertuples()
    assert reject.reason == "split_amount" and "1,234.56" in reject.detail


def test_a_date_run_into_its_amount_is_named_with_the_amount_it_probably_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "joined.csv"
    path.write_text(
        "Department,Supplier Name,Invoice Date,Amount,Description\n"
        'Housing,AFAY LTD,25/06/2012,"1260.00",RENT - B&B\n'
        "Housing,AFAY LTD,25/06/2012750,RENT - B&B\n"
    )
    result = _ingest(tmp_path, path)
    assert result.spend["amount_pence"].tolist() == [126000]
    (reject,) = result.rejects.itertuples()
    assert reject.reason == "date_and_amount_joined"
    assert "25/06/2012 and 750" in reject.detail and "not counted" in reject.detail
    assert result.report["files"][0]["amount_rejected"] == "0.00"


def test_a_file_whose_amounts_are_all_run_into_dates_is_refused_in_one_line_naming_it(
    tmp_path: Path, capsys
) -> None:
    # no amount column is left to find (descriptions shifted into it); the good file beside
    # it is still read and the exit status says one failed
    (tmp_path / "joined.csv").write_text(
        "Department,Supplier Name,Invoice Date,Amount,Description\n"
        "Housing,AFAY LTD,25/06/2012750,RENT - B&B\n"
        "Housing,BFAY LTD,26/06/2012640,RENT - B&B\n"
    )
    (tmp_path / "good.csv").write_text(HEADER + "01/04/2024,ACME LTD,10.00\n")
    code = main(
        [
            "ingest",
            str(tmp_path / "joined.csv"),
            str(tmp_path / "good.csv"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3 and "joined.csv" in err and "Traceback" not in err
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text())
    assert [f["path"].endswith("joined.csv") for f in report["failed"]] == [True]
    assert report["totals"]["rows_kept"] == 1


def test_a_units_row_is_part_of_the_header_but_thousands_of_pounds_are_refused(
    tmp_path: Path,
) -> None:
    units = tmp_path / "units.csv"
    units.write_text(HEADER + "dd/mm/yyyy,,(£)\n01/04/2024,ACME LTD,10.00\n")
    entry = _ingest(tmp_path, units).report["files"][0]
    assert (entry["rows_read"], entry["units_row"], entry["header_lines"]) == (1, 2, 2)
    # amounts in £000 are a budget's, never a payments file's: refused in one line, not read
    # at a thousandth of their value; the file beside it is read
    thousands = tmp_path / "thousands.csv"
    thousands.write_text(HEADER + ",,£000\n01/04/2024,ACME LTD,10.00\n")
    result = _ingest(tmp_path, units, thousands)
    (failed,) = result.report["failed"]
    assert failed["path"].endswith("thousands.csv") and "thousands of pounds" in failed["reason"]
    assert "\n" not in failed["reason"] and result.spend["amount_pence"].tolist() == [1000]


def test_a_supplier_named_total_or_printed_with_no_amount_is_a_missing_amount_not_a_note(
    tmp_path: Path,
) -> None:
    # supplier first, so the name is the row's first cell; a dated row is a payment
    path = tmp_path / "gas.csv"
    path.write_text(
        "Supplier Name,Payment Date,Amount\n"
        "TOTAL GAS & POWER LTD,01/03/2024,\nPRINTED BY US LTD,02/03/2024,\n"
        "ACME LTD,02/03/2024,5.00\nReport run by:,,\nTotal number of payments,,1\n"
    )
    result = _ingest(tmp_path, path)
    assert result.rejects["reason"].tolist() == [
        "missing_amount",
        "missing_amount",
        "title_or_note",
        "title_or_note",
    ]
    assert result.report["files"][0]["amount_read"] == "5.00"  # a count of lines is no pounds


def test_a_run_together_row_counts_no_pounds_even_when_a_number_shifted_into_the_amount(
    tmp_path: Path,
) -> None:
    path = tmp_path / "runvat.csv"
    path.write_text(
        "Payment Date,Amount,VAT,Supplier Name,Service\n"
        "04/04/2024,1000.00,200.00,ACME LTD,Parks\n"
        "04/04/2024900.00,180.00,DELTA LTD,Parks\n"
    )
    result = _ingest(tmp_path, path)
    (reject,) = result.rejects.itertuples()
    entry = result.report["files"][0]
    assert reject.reason == "date_and_amount_joined"
    assert (entry["amount_read"], entry["amount_rejected"]) == ("1000.00", "0.00")


def test_a_row_labelled_total_is_a_totals_line_not_a_supplier(tmp_path: Path) -> None:
    path = tmp_path / "total.csv"
    path.write_text(HEADER + "01/03/2024,TOTAL GAS & POWER LTD,200.00\n31/03/2024,Total,300.00\n")
    result = _ingest(tmp_path, path)
    assert result.spend["supplier_name"].tolist() == ["TOTAL GAS & POWER LTD"]
    assert result.rejects["reason"].tolist() == ["totals_row"]


def test_a_file_whose_line_breaks_were_lost_is_an_error_not_an_empty_file(
    tmp_path: Path,
) -> None:
    # A copy that lost its line breaks: the header and three payments run on as one row.
    lines = ["01/12/2015,HOUSING BENEFIT,265.38", "01/12/2015,ACME LTD,299.98", "02/12/2015,X,9"]
    path = tmp_path / "joined.csv"
    path.write_text(HEADER.strip() + ",".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    result = _ingest(tmp_path, tmp_path)
    failed = {Path(f["path"]).name: f["reason"] for f in result.report["failed"]}
    assert "joined.csv" in failed
    assert "amounts or dates" in failed["joined.csv"] and "line breaks" in failed["joined.csv"]
    assert "\n" not in failed["joined.csv"]
    assert result.report["totals"]["rows_kept"] == 2  # the good file is still read


def test_an_unreadable_file_or_folder_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "spend"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.csv").write_text(GOOD, encoding="utf-8")
    (folder / "secret.csv").write_text(GOOD, encoding="utf-8")
    (folder / "locked" / "x.csv").write_text(GOOD, encoding="utf-8")
    real_read, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self: Path) -> bytes:  # as a file without read permission behaves
        if self.name == "secret.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def scandir(path=None):  # as a folder without read permission behaves
        if path is not None and Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path) if path is not None else real_scandir()

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    result = _ingest(tmp_path, folder)
    failed = {Path(f["path"]).name: f["reason"] for f in result.report["failed"]}
    assert failed == {
        "secret.csv": "cannot read the file (permission denied)",
        "locked": "cannot list the folder (permission denied)",
    }
    assert result.report["totals"]["rows_kept"] == 2


def test_one_bad_file_never_stops_the_others_and_the_exit_status_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "spend"
    folder.mkdir()
    (folder / "good.csv").write_text(GOOD, encoding="utf-8")
    (folder / "lookup.csv").write_text("Code,Name\n1,Housing\n", encoding="utf-8")
    (folder / "README.md").write_text("notes", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out)]) == 3
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert "lookup.csv" in line and "cannot find the" in line
    assert "not read:" in captured.out and "README.md" in captured.out
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    assert [Path(f["path"]).name for f in report["failed"]] == ["lookup.csv"]
    assert report["totals"]["rows_kept"] == 2
    # Nothing readable at all is a failure of the whole command, exit 1.
    bad = tmp_path / "only-bad"
    bad.mkdir()
    (bad / "lookup.csv").write_text("Code,Name\n1,Housing\n", encoding="utf-8")
    assert main(["ingest", str(bad), "--out", str(tmp_path / "o2")]) == 1


def test_binary_bytes_under_a_csv_name_are_refused_as_not_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PDF or a truncated download named ``.csv`` is refused as binary, one printable line,
    in a folder and inside a ZIP; its bytes are never shown as headers. Stray NUL padding at
    the end of a real export is left to the reader (the payments are read)."""
    folder = tmp_path / "spend"
    folder.mkdir()
    binary = b"%PDF-1.4\n" + bytes(range(256)) * 8
    (folder / "2024-04.csv").write_bytes(binary)
    (folder / "2024-05.zip").write_bytes(_zip({"may.csv": binary, "june.csv": GOOD.encode()}))
    (folder / "padded.csv").write_bytes(GOOD.encode() + b"\x00" * 20)
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out)]) == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all("not a text table: binary content" in line for line in lines)
    assert all(line.isprintable() for line in lines)
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["totals"]["rows_kept"] == 4  # june.csv and padded.csv


def test_control_characters_in_a_refused_files_headers_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header holding terminal escape sequences (``ESC[2J`` clears the screen) is quoted
    with the control characters replaced, on stderr and in the report."""
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Date,\x1b[2J\x1b[31mEVIL,Note\n02/04/2024,ACME,x\n03/04/2024,AGE,y\n")
    out = tmp_path / "out"
    assert main(["ingest", str(path), "--out", str(out)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "\x1b" not in line and "cannot find the amount column" in line and "EVIL" in line


def test_a_file_shaped_or_unwritable_out_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _good_file(tmp_path)
    file_out = tmp_path / "out.txt"
    file_out.write_text("x", encoding="utf-8")
    assert main(["ingest", str(source), "--out", str(file_out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "is a file, not a folder" in err and "\n" not in err and "Traceback" not in err
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as a read-only folder behaves
    assert main(["ingest", str(source), "--out", str(tmp_path / "ro")]) == 1
    err = capsys.readouterr().err.strip()
    assert "cannot write to the output folder (permission denied)" in err and "\n" not in err


def test_a_full_disk_publishes_nothing_new(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "s.csv"
    source.write_text(GOOD + "soon,C LTD,1.00\n", encoding="utf-8")
    out = tmp_path / "out"
    _ingest(tmp_path, source, out_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    source.write_text(GOOD + "01/05/2024,D LTD,9.00\nlater,E LTD,1.00\n", encoding="utf-8")

    def disk_full(table, path):  # the disk fills while the rejects file is being written
        Path(path).write_text("source_file,source_row", encoding="utf-8")
        raise OSError(28, "No space left on device")

    from kil_analysis.readers.spend import outputs

    monkeypatch.setattr(outputs, "write_rejects_csv", disk_full)
    with pytest.raises(OSError, match="No space left"):
        _ingest(tmp_path, source, out_dir=out)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # the old spend.parquet, rejects.csv and report, all three
    assert not list(out.glob(".*.tmp"))


def test_outputs_record_each_other_so_a_mismatch_shows(tmp_path: Path) -> None:
    source = _good_file(tmp_path)
    out = tmp_path / "out"
    result = _ingest(tmp_path, source, out_dir=out)
    recorded = result.report["outputs"]
    assert set(recorded) == {"spend.parquet", "rejects.csv"}
    from kil_analysis.readers.publish import file_sha256

    assert recorded["spend.parquet"]["sha256"] == file_sha256(out / "spend.parquet")


def test_rejects_csv_never_runs_a_formula(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text(
        HEADER + '"=SUM(1,2,3)",ACME LTD,1.00\n＝1+2,B LTD,2.00\n=SUM(1;2),C LTD,3.00\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _ingest(tmp_path, source, out_dir=out)
    raw = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)["raw"].tolist()
    # The first raw line starts with a quote (its cell holds commas): text, not a formula.
    assert raw[0].startswith('"=SUM(1,2,3)"') and raw[1].startswith("'＝1+2")
    assert raw[2].startswith("'=SUM(1;2)")


def test_outputs_are_unchanged_by_a_warm_rerun_that_reads_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _good_file(tmp_path)
    out = tmp_path / "out"
    assert main(["ingest", str(source), "--out", str(out)]) == 0
    first = capsys.readouterr().out
    import kil_analysis.readers.spend as spend_package

    def must_not_read(*args, **kwargs):
        raise AssertionError("a current report must be answered without reading")

    monkeypatch.setattr(spend_package, "ingest_spend", must_not_read)
    assert main(["ingest", str(source), "--out", str(out)]) == 0
    assert capsys.readouterr().out == first
    source.write_text(GOOD + "03/04/2024,C LTD,5.00\n", encoding="utf-8")  # changed bytes
    monkeypatch.undo()
    assert main(["ingest", str(source), "--out", str(out)]) == 0
    assert "kept 3" in capsys.readouterr().out


def test_a_rerun_that_reads_the_same_result_leaves_the_outputs_as_they_were(
    tmp_path: Path,
) -> None:
    # The case study's re-run reads the cached tables again (no CLI shortcut): the outputs
    # it would write are those already published, so they are not written again.
    source = _good_file(tmp_path)
    out = tmp_path / "out"
    first = _ingest(tmp_path, source, out_dir=out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = _ingest(tmp_path, source, out_dir=out)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    assert again.report["outputs"] == first.report["outputs"]
    # A damaged output, or a different result, is written afresh.
    (out / "rejects.csv").write_text("tampered\n", encoding="utf-8")
    _ingest(tmp_path, source, out_dir=out)
    assert (out / "rejects.csv").read_text(encoding="utf-8") != "tampered\n"
    source.write_text(GOOD + "03/04/2024,C LTD,5.00\n", encoding="utf-8")
    third = _ingest(tmp_path, source, out_dir=out)
    assert third.report["outputs"]["spend.parquet"] != first.report["outputs"]["spend.parquet"]
    assert len(pd.read_parquet(out / "spend.parquet")) == 3


def test_one_neutraliser_serves_rejects_and_the_worksheet(tmp_path: Path) -> None:
    from kil_analysis.enrich import write_worksheet
    from kil_analysis.readers.formulas import neutralise, unneutralise

    cells = pd.Series(["＝HYPERLINK(1)", "=1+1", "+44 Cars", "@home", "-5", "plain", None])
    assert neutralise(cells).tolist()[:6] == [
        "'＝HYPERLINK(1)", "'=1+1", "'+44 Cars", "'@home", "'-5", "plain",
    ]  # fmt: skip
    sheet = pd.DataFrame({"supplier_key": ["A", "B"], "note": ["＝1+2", "fine"]})
    path = write_worksheet(sheet, tmp_path / "sheet.csv")
    assert "'＝1+2" in path.read_text(encoding="utf-8-sig")
    assert unneutralise(neutralise(cells)).tolist()[:6] == cells.tolist()[:6]  # read back as typed
    with pytest.raises(ValueError, match=r"sheet\.xlsx: the worksheet is written as CSV"):
        write_worksheet(sheet, tmp_path / "sheet.xlsx")
    assert not (tmp_path / "sheet.xlsx").exists()


def test_the_quality_panel_names_files_not_read(tmp_path: Path) -> None:
    from kil_analysis.analysis.quality import files_not_read
    from kil_analysis.present.tables import files_not_read as files_not_read_table

    folder = tmp_path / "spend"
    folder.mkdir()
    (folder / "good.csv").write_text(GOOD, encoding="utf-8")
    (folder / "<b>odd.csv").write_text("Code,Name\n1,x\n", encoding="utf-8")
    (folder / "source_urls.txt").write_text("https://example.org\n", encoding="utf-8")
    table = files_not_read(_ingest(tmp_path, folder).report)
    assert table["status"].tolist() == ["failed", "skipped"]
    assert table["file"].str.endswith(("<b>odd.csv", "source_urls.txt")).all()
    html = files_not_read_table(_ingest(tmp_path, folder).report).data
    assert "&lt;b&gt;odd.csv" in html and "<b>odd" not in html  # names are escaped
