"""CPU of reading each table (``read_spend_grid``) in two source trees, interleaved file by file.

On a machine other work is sharing, two whole runs taken a minute apart differ by more than most
changes to the readers gain. This script starts one long-lived process per tree (``--base``, e.g.
main exported by ``git archive main | tar -x -C /tmp/kil_base``, and this checkout), has each
decode and parse a council's CSV files once (not timed), then asks the two processes in turn,
file by file and round by round (their order swapped every time), for the CPU seconds of one
``read_spend_grid`` of that file: both trees see the same moments of the machine. It prints,
per tree, the sum over files of each file's fastest round (the work itself, least disturbed),
and the median round's total; with the load average before and after.

    .venv/bin/python benchmarks/ingest_read_ab.py --base /tmp/kil_base [--council newcastle]
        [--rounds 7] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

# Runs in each tree's process: load the grids once, then time one file per request.
SERVER = """
import json, sys, time
from datetime import date
from pathlib import Path
from kil_analysis.readers.arrow_text import keep_pandas_unloaded
keep_pandas_unloaded()
from kil_analysis.readers.decoding import decode_with_utf8
from kil_analysis.readers.grids import csv_columns
from kil_analysis.readers.spend.table import read_spend_grid
grids = []
for path in sorted(Path(sys.argv[1]).rglob("*.csv")):
    text, _, utf8 = decode_with_utf8(path.read_bytes())
    try:
        cells, lines = csv_columns(text, str(path), utf8)
        read_spend_grid(cells, lines, str(path), today=date(2026, 1, 1))  # warm, and check
    except ValueError:
        continue
    grids.append((str(path), cells, lines))
print(json.dumps(len(grids)), flush=True)
for request in sys.stdin:
    where, cells, lines = grids[int(request)]
    start = time.process_time()
    read_spend_grid(cells, lines, where, today=date(2026, 1, 1))
    print(json.dumps(time.process_time() - start), flush=True)
"""


def _start(tree: Path, folder: Path) -> subprocess.Popen:
    """One tree's timing process (its package first on the path, run from the tree)."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder)],
        cwd=tree,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _ask(process: subprocess.Popen, line: str) -> float:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()
    return float(json.loads(process.stdout.readline()))


def main(argv: list[str] | None = None) -> int:
    from kil_analysis.paths import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the kil source tree to compare")
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    parser.add_argument("--council", default="newcastle", help="a folder under <data>/spend")
    parser.add_argument("--rounds", type=int, default=7, help="times each file is read per tree")
    args = parser.parse_args(argv)
    folder = args.data / "spend" / args.council
    if not folder.is_dir():
        print(f"no folder {folder}", file=sys.stderr)
        return 1
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    trees = {"base": args.base.resolve(), "this tree": HERE}
    processes = {name: _start(tree, folder) for name, tree in trees.items()}
    try:
        counts = {name: int(json.loads(p.stdout.readline())) for name, p in processes.items()}
        if len(set(counts.values())) != 1:
            print(f"the trees read different numbers of files: {counts}", file=sys.stderr)
            return 1
        files = next(iter(counts.values()))
        times = {name: [[0.0] * files for _ in range(args.rounds)] for name in processes}
        for r in range(args.rounds):
            for i in range(files):
                names = list(processes) if (r + i) % 2 else list(processes)[::-1]
                for name in names:
                    times[name][r][i] = _ask(processes[name], str(i))
    finally:
        for process in processes.values():
            process.stdin.close()
            process.wait()
    print(f"{args.council}: {files} CSV files, {args.rounds} rounds, read_spend_grid CPU seconds")
    for name, rounds in times.items():
        fastest = sum(min(r[i] for r in rounds) for i in range(files))
        totals = sorted(sum(r) for r in rounds)
        print(
            f"{name + ' (' + str(trees[name]) + ')':<48} sum of per-file fastest {fastest:6.3f} s"
            f"   median round {totals[len(totals) // 2]:6.3f} s"
        )
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
