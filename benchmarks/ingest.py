"""Benchmark the spend reader on all 66 Newcastle files against DuckDB merely loading them.

Prints, from one run on the same files: the time to ingest them cold (no cache), the time
DuckDB's ``read_csv`` takes just to load them (every column VARCHAR; title rows skipped and the
cp1252 files read as latin-1, as well as DuckDB can), the ratio, a warm (cached) re-run, and peak
memory (``resource.getrusage``: this process and, separately, its worker processes).

    .venv/bin/python benchmarks/ingest.py [--data ../shared/data] [--repeat 3]

Each timing is the best of ``--repeat`` runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from kil_analysis.paths import shared_data_dir
from kil_analysis.readers.spend import ingest_spend


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Fastest wall-clock time in seconds over ``repeat`` runs, and what the run returned."""
    best, value = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - start)
    return best, value


def duckdb_load(raw: list[Path], clean: list[Path], how: str) -> int:
    """Load every file with DuckDB read_csv (all VARCHAR); returns the rows loaded."""
    con = duckdb.connect()
    rows = 0
    options = "all_varchar=true, null_padding=true, strict_mode=false, ignore_errors=false"
    queries = [
        f"read_csv('{p}', {options}, skip=2, header=true, encoding='latin-1')" for p in raw
    ] + [f"read_csv('{p}', {options}, header=true)" for p in clean]
    for query in queries:
        if how == "table":
            con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM {query}")
            rows += con.execute("SELECT count(*) FROM t").fetchone()[0]
        else:
            rows += con.sql(f"SELECT * FROM {query}").to_arrow_table().num_rows
    con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    args = parser.parse_args(argv)
    newcastle = args.data / "spend" / "newcastle"
    raw = sorted((newcastle / "raw").glob("*.csv"))
    clean = sorted((newcastle / "odileeds_clean").glob("*.csv"))
    if len(raw) + len(clean) == 0:
        print(f"no Newcastle files under {newcastle}", file=sys.stderr)
        return 1
    megabytes = sum(p.stat().st_size for p in raw + clean) / 1e6
    print(f"files: {len(raw)} raw + {len(clean)} odileeds_clean = {len(raw) + len(clean)}")
    print(f"bytes: {megabytes:.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"

        def cold() -> int:
            result = ingest_spend([newcastle], use_cache=False, cache_dir=cache)
            return int(result.report["totals"]["rows_read"])

        def warm() -> int:
            result = ingest_spend([newcastle], use_cache=True, cache_dir=cache)
            return int(result.report["totals"]["rows_read"])

        duck_table, duck_rows = best_of(args.repeat, lambda: duckdb_load(raw, clean, "table"))
        duck_arrow, _ = best_of(args.repeat, lambda: duckdb_load(raw, clean, "arrow"))
        cold_time, rows = best_of(args.repeat, cold)
        serial_time, _ = best_of(
            args.repeat,
            lambda: ingest_spend([newcastle], use_cache=False, cache_dir=cache, jobs=1).report[
                "totals"
            ]["rows_read"],
        )
        warm_time, warm_rows = best_of(args.repeat, warm)
    duck = min(duck_table, duck_arrow)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"kil ingest, cold (no cache):        {cold_time:6.2f} s  ({rows:,} data rows)")
    print(
        f"duckdb read_csv -> table:           {duck_table:6.2f} s  ({duck_rows:,} rows incl. blank)"
    )
    print(f"duckdb read_csv -> arrow:           {duck_arrow:6.2f} s")
    print(f"ratio cold ingest / duckdb load:    {cold_time / duck:6.2f} x  (target <= 2)")
    print(f"ratio one process / duckdb load:    {serial_time / duck:6.2f} x")
    print(f"kil ingest, cold, one process:      {serial_time:6.2f} s  (jobs=1, for reference)")
    print(f"kil ingest, warm (cached):          {warm_time:6.2f} s  ({warm_rows:,} rows)")
    print(
        f"peak memory (ru_maxrss): this process {self_kb / 1024:.0f} MB, "
        f"largest worker {child_kb / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
