"""Where a cold ``kil ingest`` spends its CPU: imports, then each phase of reading, in one process.

Times (CPU seconds of this process, all threads; best of ``--repeat``) the imports the ingest
command needs, then one ``ingest_spend`` of a folder with an empty cache read in this process
(``jobs=1``, so that every phase is counted here), split by phase: finding and hashing the
files, decoding, CSV parsing, header finding, column choice (the value profile of the sampled
rows within it), amounts, dates, the rest of the row rules, rejects, the cache, the final
table and the outputs. Phases nest (column choice holds the profile; the per-table reading
holds header, choice, amounts and dates), so the indented lines are parts of the line above.
The spend table is completed a group of files at a time and each group streamed to
spend.parquet as a row group while later files are read; what is left is written at the end.
A ``kil ingest`` runs the per-file phases in worker processes when there is enough to read:
its wall time is about imports + (per-file work + the spend table's groups and row groups,
which the parent does while the workers read) / cores + the last group and the outputs.

    .venv/bin/python benchmarks/ingest_phases.py [--data ../shared/data] [--council newcastle]

Note: with ``PYTHONDONTWRITEBYTECODE`` set, kil's own modules are compiled from source at
every start (printed below when it is set).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (module, function, label, depth): the phases timed, in the order printed.
PHASES = [
    ("kil_analysis.readers.spend.reader", "_digest", "hash files (cache look-up)", 0),
    ("kil_analysis.readers.spend.reader", "decode_with_utf8", "decode bytes", 0),
    ("kil_analysis.readers.spend.reader", "csv_columns", "parse CSV (Arrow)", 0),
    ("kil_analysis.readers.spend.reader", "read_spend_grid", "read tables (rules per table)", 0),
    ("kil_analysis.readers.spend.table", "find_header", "find header", 1),
    ("kil_analysis.readers.spend.table", "choose_columns", "choose columns", 1),
    ("kil_analysis.readers.spend.column_choice", "profile_columns", "profile sample", 2),
    ("kil_analysis.readers.spend.table", "read_amounts", "amounts", 1),
    ("kil_analysis.readers.spend.table", "parse_distinct_dates", "dates", 1),
    ("kil_analysis.readers.spend.table", "_rejects", "rejected rows", 1),
    ("kil_analysis.readers.spend.reader", "cache_save", "write cache", 0),
    ("kil_analysis.readers.spend.reader", "finish_spend_table", "spend table, by groups", 0),
    ("kil_analysis.readers.spend.outputs", "SpendParquetStream.write", "stream row groups", 0),
    ("kil_analysis.readers.spend.outputs", "write_outputs", "write outputs (at the end)", 0),
]


def _timed(spent: dict[str, float], label: str, function: Callable[..., Any]) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    return wrapper


def _one_run(folder: Path) -> tuple[float, dict[str, float], int]:
    """CPU of one in-process ingest of ``folder``, by phase; and the rows read."""
    import kil_analysis.readers.spend.reader as reader
    from kil_analysis.readers import cache

    spent: dict[str, float] = defaultdict(float)
    saved: list[tuple[Any, str, Callable]] = []
    for module_name, name, label, _ in PHASES:
        module = sys.modules[module_name]
        if name == "cache_save":
            module, name = cache, "save"
        *owners, name = name.split(".")  # a method: Class.method
        for owner in owners:
            module = getattr(module, owner)
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, _timed(spent, label, getattr(module, name)))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.process_time()
            result = reader.ingest_spend([folder], out_dir=Path(tmp) / "out", jobs=1)
            total = time.process_time() - start
    finally:
        for module, name, function in saved:
            setattr(module, name, function)
    return total, dict(spent), int(result.report["totals"]["rows_read"])


def main(argv: list[str] | None = None) -> int:
    from kil_analysis.paths import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    parser.add_argument("--council", default="newcastle", help="a folder under <data>/spend")
    parser.add_argument("--repeat", type=int, default=3, help="runs (the fastest is printed)")
    args = parser.parse_args(argv)
    folder = args.data / "spend" / args.council
    if not folder.is_dir():
        print(f"no folder {folder}", file=sys.stderr)
        return 1
    start = time.process_time()
    import kil_analysis.cli.ingest  # noqa: F401 - what `kil ingest` imports before reading
    import kil_analysis.readers.spend  # noqa: F401
    import kil_analysis.readers.spend.outputs  # noqa: F401 - kil ingest: while its workers read
    from kil_analysis.readers.arrow_text import keep_pandas_unloaded

    keep_pandas_unloaded()  # as `kil ingest` does: CSV files are read without pandas
    imports = time.process_time() - start
    runs = [_one_run(folder) for _ in range(args.repeat)]
    total, spent, rows = min(runs, key=lambda r: r[0])
    print(f"{args.council}: {rows:,} rows read; load average {os.getloadavg()[0]:.2f}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("PYTHONDONTWRITEBYTECODE is set: kil's modules were compiled from source")
    print(f"{'imports (pyarrow, kil)':<36}{imports:6.2f} s cpu")
    print(f"{'ingest_spend, in this process':<36}{total:6.2f} s cpu  (best of {args.repeat})")
    for _, _, label, depth in PHASES:
        print(f"{'  ' * (depth + 1) + label:<36}{spent.get(label, 0.0):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
