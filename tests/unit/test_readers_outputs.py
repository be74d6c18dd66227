"""The ingest's outputs are written from Arrow; `kil ingest` of CSV files never loads pandas.

What a user sees is unchanged: the Parquet file reads back as the one pandas' own writer gives
for the same table (same values, dtypes and schema metadata; only columns whose values repeat
are dictionary-encoded, so the bytes may differ), the CSV file is the bytes pandas writes, and a
folder with a spreadsheet in it still reads (pandas is loaded for that file only).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kil_analysis.readers.formulas import neutralise
from kil_analysis.readers.spend import ingest_spend

# Kept rows, a totals row, quotes, commas and a line break inside cells, a blank supplier (kept,
# redacted), an unparseable amount and a formula where the date should be.
CSV = (
    "Date,Supplier,Amount,Service,Reference\n"
    '01/04/2024,"ACME, LTD",100.00,"Adults ""A""",R1\n'
    "02/04/2024,=HYPERLINK(1),abc,Children,R2\n"
    '03/04/2024,"Line\nbreak LTD",5.50,,R3\n'
    "04/04/2024,,7.25,Housing,R4\n"
    "=1+1,B LTD,1.00,Housing,R5\n"
    ",,113.75,,\n"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from kil_analysis.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('PANDAS' if 'pandas' in sys.modules else 'NO PANDAS', file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_outputs_read_back_as_the_files_pandas_writes_for_the_same_tables(tmp_path: Path) -> None:
    source = tmp_path / "2024-04.csv"
    source.write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    result = ingest_spend([source], out_dir=out)
    assert result.report["totals"]["rows_rejected"] == {
        "totals_row": 1,
        "unparseable_amount": 1,
        "unparseable_date": 1,
    }
    by_pandas = tmp_path / "pandas.parquet"
    result.spend.to_parquet(by_pandas, index=False)
    ours, theirs = pq.read_table(out / "spend.parquet"), pq.read_table(by_pandas)
    assert ours.equals(theirs, check_metadata=True)
    assert pd.read_parquet(out / "spend.parquet").equals(pd.read_parquet(by_pandas))
    expected_csv = result.rejects.apply(neutralise).to_csv(index=False)
    written = (out / "rejects.csv").read_text(encoding="utf-8")
    assert written == expected_csv
    assert '"\'=1+1,B LTD,1.00,Housing,R5"' in written  # a formula's start, neutralised
    back = pd.read_parquet(out / "spend.parquet")
    assert str(back["supplier_name"].dtype) == str(result.spend["supplier_name"].dtype)
    assert back["amount_pence"].tolist() == [10000, 550, 725]
    assert back["is_redacted"].tolist() == [False, False, True]


def test_only_columns_whose_values_repeat_are_dictionary_encoded(tmp_path: Path) -> None:
    from kil_analysis.readers.spend.outputs import write_spend_parquet

    rows, text = 30_000, pa.large_string()
    table = pa.table(
        {
            "supplier_name": pa.array([f"SUPPLIER {i % 40} LTD" for i in range(rows)], text),
            "transaction_ref": pa.array([f"R{i:07d}" for i in range(rows)], text),
            "amount_pence": pa.array(range(rows), pa.int64()),
            "cap_rev": pa.array(["REVENUE"] * rows, text),
        }
    )
    path = tmp_path / "spend.parquet"
    write_spend_parquet(table, path)
    chunks = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {
        chunks.column(i).path_in_schema: set(chunks.column(i).encodings)
        for i in range(chunks.num_columns)
    }
    for repeating in ("supplier_name", "cap_rev"):
        assert "RLE_DICTIONARY" in encodings[repeating]
    for unique in ("transaction_ref", "amount_pence"):
        assert "RLE_DICTIONARY" not in encodings[unique]
    assert pq.read_table(path).select(table.column_names).equals(table)


def test_kil_ingest_of_csv_files_does_not_load_pandas(tmp_path: Path) -> None:
    source = tmp_path / "2024-04.csv"
    source.write_text(CSV, encoding="utf-8")
    run = _run(["ingest", str(source), "--out", str(tmp_path / "out")], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "NO PANDAS"
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["totals"]["rows_kept"] == 3 and report["totals"]["amount_kept"] == "112.75"


def test_kil_ingest_still_reads_a_spreadsheet_beside_csv_files(tmp_path: Path) -> None:
    folder = tmp_path / "spend"
    folder.mkdir()
    (folder / "2024-04.csv").write_text(CSV, encoding="utf-8")
    pd.DataFrame(
        {"Date": ["01/05/2024", "02/05/2024"], "Supplier": ["C LTD", "D LTD"], "Amount": [2, 3.5]}
    ).to_excel(folder / "2024-05.xlsx", index=False)
    out = tmp_path / "out"
    run = _run(["ingest", str(folder), "--out", str(out)], tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    kept = {Path(f["path"]).name: (f["rows_kept"], f["amount_kept"]) for f in report["files"]}
    assert kept == {"2024-04.csv": (3, "112.75"), "2024-05.xlsx": (2, "5.50")}
    back = pd.read_parquet(out / "spend.parquet")
    assert back["supplier_name"].tolist() == ["ACME, LTD", "Line\nbreak LTD", "", "C LTD", "D LTD"]


def test_a_cold_ingest_records_each_file_hash_and_a_rerun_is_answered_by_the_cache(
    tmp_path: Path, monkeypatch
) -> None:
    import hashlib

    import kil_analysis.readers.spend.reader as reader

    source = tmp_path / "2024-04.csv"
    source.write_text(CSV, encoding="utf-8")
    cache = tmp_path / "cache"
    looked_up: list[Path] = []
    digest = reader._digest
    monkeypatch.setattr(reader, "_digest", lambda path: looked_up.append(path) or digest(path))
    first = ingest_spend([source], cache_dir=cache)
    assert looked_up == []  # nothing cached yet: no file is hashed to ask the cache
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert first.report["inputs"] == [{"path": str(source), "sha256": sha}]
    monkeypatch.setattr(reader, "read_file", lambda *a, **k: 1 / 0)  # a re-read would fail
    again = ingest_spend([source], cache_dir=cache)
    assert looked_up == [source]
    assert again.report["files"] == first.report["files"]


def _months(tmp_path: Path, count: int) -> list[Path]:
    """``count`` monthly files of three payments each, a supplier who recurs and one who doesn't."""
    files = []
    for m in range(1, count + 1):
        path = tmp_path / "in" / f"2024-{m:02d}.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            "Date,Supplier,Amount\n"
            f"0{m % 9 + 1}/{m:02d}/2024,ACME LTD,{m}.10\n"
            f"1{m % 9}/{m:02d}/2024,Month {m} Trader,{m}.20\n"
            f"20/{m:02d}/2024,,{m}.30\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def test_the_table_written_as_the_files_are_read_is_the_table_read(tmp_path, monkeypatch) -> None:
    from kil_analysis.readers.spend import outputs, reader

    monkeypatch.setattr(reader, "ROWS_PER_GROUP", 4)  # a group completed every other file
    monkeypatch.setattr(outputs, "ROW_GROUP_ROWS", 4)
    files = _months(tmp_path, 7)
    out = tmp_path / "out"
    result = ingest_spend(list(reversed(files)), out_dir=out, use_cache=False, jobs=2)
    written = pq.ParquetFile(out / "spend.parquet")
    assert written.metadata.num_row_groups > 1
    back = written.read()
    assert back.equals(result.spend_arrow)  # every row, in input order, keys and flags too
    assert back.column("source_file").to_pylist()[::3] == [str(f) for f in reversed(files)]
    assert back.column("is_redacted").to_pylist() == [False, False, True] * 7
    names = back.column("supplier_name").to_pylist()
    pairs = set(zip(names, back.column("supplier_key").to_pylist(), strict=True))
    assert ("ACME LTD", "ACME LTD") in pairs and ("Month 7 Trader", "MONTH 7 TRADER") in pairs
    assert len(pairs) == len(set(names))  # one key per name, in whichever group it was met
    assert pd.read_parquet(out / "spend.parquet").equals(result.spend)
    assert not list(out.glob(".*.tmp"))


def test_a_write_failing_while_the_files_are_read_publishes_nothing_new(
    tmp_path, monkeypatch
) -> None:
    from kil_analysis.readers.spend import outputs, reader

    files = _months(tmp_path, 5)
    out = tmp_path / "out"
    ingest_spend(files, out_dir=out, use_cache=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    files[0].write_text("Date,Supplier,Amount\n01/01/2024,NEW LTD,1.00\n", encoding="utf-8")
    monkeypatch.setattr(reader, "ROWS_PER_GROUP", 2)
    monkeypatch.setattr(outputs, "ROW_GROUP_ROWS", 2)
    writes = []

    def disk_fills(self, table, row_group_size=None):  # the second row group meets a full disk
        writes.append(table.num_rows)
        if len(writes) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", disk_fills)
    try:
        ingest_spend(files, out_dir=out, use_cache=False)
    except OSError as exc:
        assert "No space left" in str(exc)
    else:
        raise AssertionError("a full disk must fail the ingest")
    assert len(writes) == 2  # nothing more was written after the failure
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before and not list(out.glob(".*.tmp"))


def test_a_killed_runs_stream_temporary_is_removed_by_the_next_run(tmp_path) -> None:
    """A run killed while reading (SIGKILL) leaves its streamed spend.parquet temporary; the
    next ingest into the folder removes it, and leaves a live process's stream alone."""
    import os

    from kil_analysis.readers.spend.outputs import SPEND_FILE, _host_tag, remove_stale_streams

    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    host = _host_tag()
    dead = tmp_path / f".{SPEND_FILE}.{ended.stdout.strip()}@{host}.abc123.tmp"
    dead_unnamed_host = tmp_path / f".{SPEND_FILE}.{ended.stdout.strip()}.abc124.tmp"
    live = tmp_path / f".{SPEND_FILE}.{os.getpid()}@{host}.def456.tmp"
    elsewhere = tmp_path / f".{SPEND_FILE}.{ended.stdout.strip()}@not-{host}.ghi789.tmp"
    other = tmp_path / "notes.tmp"
    for path in (dead, dead_unnamed_host, live, elsewhere, other):
        path.write_bytes(b"PAR1")
    assert sorted(remove_stale_streams(tmp_path)) == sorted([dead, dead_unnamed_host])
    assert not dead.exists() and not dead_unnamed_host.exists()
    assert live.exists() and other.exists()
    assert elsewhere.exists()  # another host's process cannot be asked whether it is alive


def _big_months(folder: Path, months: int, rows: int) -> None:
    """``months`` files of ``rows`` payments each (names and amounts varying)."""
    folder.mkdir(parents=True)
    for m in range(1, months + 1):
        lines = ["Date,Supplier,Amount,Reference"]
        lines += [
            f"{d % 28 + 1:02d}/{m:02d}/2024,SUPPLIER {d % 997} LTD,{d % 5000}.{d % 100:02d},R{d}"
            for d in range(rows)
        ]
        (folder / f"2024-{m:02d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_cold_and_a_cached_ingest_publish_the_same_spend_parquet_bytes(tmp_path) -> None:
    """The rows decide spend.parquet's layout, not whether they were read or came from the
    cache: a cold run streams row groups as files are read, a run from the cache writes the
    finished table, and the two files (and the report's checksums) are the same bytes."""
    folder = tmp_path / "in"
    _big_months(folder, 4, 25_000)  # 100,000 rows: more than one row group
    cache = tmp_path / "cache"
    cold = ingest_spend([folder], out_dir=tmp_path / "cold", cache_dir=cache, jobs=1)
    cached = ingest_spend([folder], out_dir=tmp_path / "cached", cache_dir=cache, jobs=1)
    assert cold.report["totals"]["rows_kept"] == cached.report["totals"]["rows_kept"] == 100_000
    assert pq.ParquetFile(tmp_path / "cold" / "spend.parquet").metadata.num_row_groups > 1
    cold_bytes = (tmp_path / "cold" / "spend.parquet").read_bytes()
    assert cold_bytes == (tmp_path / "cached" / "spend.parquet").read_bytes()
    assert cold.report["outputs"] == cached.report["outputs"]
