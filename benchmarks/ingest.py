"""Benchmark `kil ingest` on all 66 Newcastle files against DuckDB merely loading the same bytes.

Both sides run as whole processes (interpreter start-up and imports included), each timed from
outside by a small wrapper that also reports the process's peak memory (its own and its worker
processes', ``ru_maxrss`` of the children it waited for), best of ``--repeat`` runs, in one run
of this script:

- **DuckDB's plain load**: ``read_csv`` on each file with ``header=false``, every column
  VARCHAR (16 of them, short rows padded with NULL), ``auto_detect=false``, counting the rows
  (the raw cp1252 files read as latin-1, the nearest encoding DuckDB has);
- **kil cold**: ``kil ingest <newcastle folder> --out <an empty folder>`` (so an empty cache):
  every file found, decoded, parsed, its columns chosen, every row kept or rejected, and the
  three outputs written;
- **kil warm**: the same command again on the same ``--out`` (unchanged files).

CPU seconds (user + system, all processes and threads) are printed beside each wall-clock
time (the fastest run's, and the least of all runs): on a machine other work is sharing, they
show the work done whatever the contention.
The load average (1, 5 and 15 minutes) is printed before and after, so that a figure taken
on a busy machine is read as such.

    .venv/bin/python benchmarks/ingest.py [--data ../shared/data] [--repeat 3] [--base TREE]

With ``--base`` (another kil source tree, e.g. main exported by
``git archive main | tar -x -C /tmp/kil_base``), the cold ingest of that tree is timed too,
its runs interleaved with this checkout's round by round (the order swapped each round), so
that both see the same moments of a shared machine: a before-and-after in one run. Each
tree's process runs in that tree, with it first on ``PYTHONPATH`` (as
``benchmarks/compare_ingest.py`` runs it), so that it imports its own package.

Targets (issue 8): cold ≤ 2 × DuckDB; warm ≤ 0.5 s; peak memory printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kil_analysis.paths import shared_data_dir

WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
if run.returncode not in (0, 3):
    sys.exit(f"failed ({run.returncode}): {run.stderr.strip()[-500:]}")
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "peak_kb": usage.ru_maxrss, "cpu": cpu}))
"""

DUCKDB_LOAD = """
import sys, duckdb
con = duckdb.connect()
columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(16)) + "}"
rows = 0
for path in sys.argv[1:]:
    encoding = "latin-1" if "/raw/" in path else "utf-8"
    rows += con.execute(
        f"SELECT count(*) FROM read_csv('{path}', header=false, auto_detect=false, "
        f"columns={columns}, delim=',', quote='\\"', escape='\\"', null_padding=true, "
        f"strict_mode=false, encoding='{encoding}')"
    ).fetchone()[0]
print(rows)
"""


def _load() -> str:
    """The 1-, 5- and 15-minute load averages, as text ("not measured" where unavailable)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "not measured"


def measure(command: list[str], tree: Path | None = None) -> dict[str, float]:
    """Wall-clock seconds and peak memory (KB) of one whole process, measured from outside.

    With ``tree`` (a kil source tree), the process runs there with it first on ``PYTHONPATH``.
    """
    env = None if tree is None else dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tree,
    )
    return json.loads(out.stdout)


def best_of(repeat: int, command: list[str], before=None) -> dict[str, float]:
    """The fastest of ``repeat`` runs (``before()`` runs untimed before each, e.g. a clean-up)."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(command))
    return _best(runs)


def cold_side_by_side(
    repeat: int, kil: list[str], out: Path, base: Path
) -> tuple[dict[str, float], dict[str, float]]:
    """Cold ingests of this checkout and of ``base``, interleaved: (this, base), best of each.

    Each round runs both, in an order swapped every round, each into an emptied ``out``.
    """
    runs: dict[Path | None, list[dict[str, float]]] = {None: [], base: []}
    for n in range(repeat):
        for tree in (None, base) if n % 2 == 0 else (base, None):
            shutil.rmtree(out, True)
            runs[tree].append(measure([*kil, "--out", str(out)], tree))
    return _best(runs[None]), _best(runs[base])


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest run, with the largest peak memory and the least CPU of all the runs."""
    fastest = min(runs, key=lambda r: r["seconds"])
    return fastest | {
        "peak_kb": max(r["peak_kb"] for r in runs),
        "least_cpu": min(r["cpu"] for r in runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument(
        "--base", type=Path, help="another kil source tree, timed cold beside this checkout"
    )
    args = parser.parse_args(argv)
    newcastle = args.data.resolve() / "spend" / "newcastle"  # the --base run has its own cwd
    files = sorted(str(p) for p in newcastle.rglob("*.csv"))
    if not files:
        print(f"no Newcastle files under {newcastle}", file=sys.stderr)
        return 1
    megabytes = sum(Path(p).stat().st_size for p in files) / 1e6
    print(f"files: {len(files)} CSV ({megabytes:.1f} MB) under {newcastle}")
    print(f"{'load average before:':<33}{_load()}  ({os.cpu_count()} CPUs)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("PYTHONDONTWRITEBYTECODE is set: kil's own modules are compiled at every start")
    kil = [sys.executable, "-m", "kil_analysis", "ingest", str(newcastle)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        duck = best_of(args.repeat, [sys.executable, "-c", DUCKDB_LOAD, *files])
        base = None
        if args.base:
            cold, base = cold_side_by_side(args.repeat, kil, out, args.base.resolve())
        else:
            cold = best_of(
                args.repeat, [*kil, "--out", str(out)], before=lambda: shutil.rmtree(out, True)
            )
        warm = best_of(args.repeat, [*kil, "--out", str(out)])
        report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    totals = report["totals"]

    def line(label: str, run: dict[str, float], extra: str = "") -> None:
        peak = run["peak_kb"] / 1024
        print(
            f"{label:<33}{run['seconds']:6.2f} s   cpu {run['cpu']:6.2f} s "
            f"(least {run['least_cpu']:4.2f})   peak {peak:5.0f} MB (largest process){extra}"
        )

    line("duckdb read_csv, plain load:", duck)
    line(
        "kil ingest, cold (empty --out):",
        cold,
        f"   {totals['rows_read']:,} rows read in {totals['files']} tables",
    )
    if base is not None:
        line("--base tree, cold (same rounds):", base)
    line("kil ingest, warm (unchanged):", warm)
    print(f"{'load average after:':<33}{_load()}")
    ratio = cold["seconds"] / duck["seconds"]
    print(f"{'ratio cold / duckdb:':<33}{ratio:6.2f} x  (target <= 2)")
    if base is not None:
        print(f"{'ratio --base cold / duckdb:':<33}{base['seconds'] / duck['seconds']:6.2f} x")
    print(f"{'warm re-run:':<33}{warm['seconds']:6.2f} s  (target <= 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
