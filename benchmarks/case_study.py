"""The Newcastle case study on the council's real published files: raw files to HTML, cold and
warm. Targets on this 2-core machine: under 30 s cold, under 10 s warm.

    .venv/bin/python benchmarks/case_study.py [--data PATH] [--registers DIR --lookups DIR]
        [--runs N] [--json]

``--data`` defaults to ``../shared/data/spend/newcastle/raw`` (or ``$KIL_SHARED_DATA``). Each
run is ``kil report newcastle --data PATH`` in a subprocess, exactly as a user types it, with
``KIL_DATA_DIR`` and ``KIL_REPORTS_DIR`` pointing into a temporary folder. By default no
registers are read (name rules only); ``--registers ../shared/data/registers --lookups
../shared/data/lookups`` times the report as a researcher runs it on the team's real registers
(the cold run also converts them to Parquet under ``data/cache/registers``; warm reuses that):

* ``cold``: a fresh data folder, so nothing is cached: every file is parsed, every supplier
  enriched, the notebook run and exported;
* ``warm``: the same folder again with the same inputs. What is reused: the ingest cache
  (each file's parsed tables, keyed by its bytes: ``data/processed/<slug>/.cache``) and the
  enrichment cache (the supplier table and merges, keyed by the ingested table's content, the
  registers' and lookups' file fingerprints, the council config, the overrides file and the
  source of ``kil_analysis/enrich/`` + ``readers/registers/``:
  ``data/processed/<slug>/.cache/enrich``; see ``kil_analysis.enrichment_cache``). Everything
  else runs again: the kernel starts, every measure, table and chart of the notebook is
  computed and drawn, and the page exported.

Printed per run: wall-clock seconds, the CPU seconds of ``kil`` and every process it started
(kernel included), the load average before it, and from the report's ``summary.json``
manifest the notebook ``execute`` and HTML ``export`` seconds and the three slowest cells,
and from the executed notebook the kernel's time in its cells and between them.
Timings depend on what else the machine is doing: a load average near the core count means
the wall time is shared; compare CPU seconds, and report the best or median of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

from kil_analysis.paths import shared_data_dir  # noqa: E402

TARGETS_S = {"cold": 30.0, "warm": 10.0}


def run_report(data: Path, work: Path, references: list[str]) -> dict:
    """One ``kil report newcastle --data data [references]`` with its outputs under ``work``."""
    env = {**os.environ, "KIL_DATA_DIR": str(work / "data"), "KIL_REPORTS_DIR": str(work / "r")}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kil_analysis",
            "report",
            "newcastle",
            "--data",
            str(data),
            *references,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"kil report failed: {done.stderr.strip().splitlines()[-1:]}")
    manifest = json.loads((work / "r" / "newcastle" / "summary.json").read_text())["manifest"]
    slowest = sorted(manifest["cell_timings_s"], key=lambda c: -c["seconds"])[:3]
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
        "load_before": round(load, 2),
        "execute_s": manifest["timings_s"].get("execute"),
        "export_s": manifest["timings_s"].get("export"),
        "slowest_cells": [(c["source"][:60], c["seconds"]) for c in slowest],
        **kernel_timeline(work / "r" / "newcastle" / "newcastle.ipynb"),
    }


def kernel_timeline(executed: Path) -> dict:
    """Where the kernel's time went, from the timestamps nbclient records on each cell.

    ``in_cells_s``: the sum over code cells of busy -> execute_reply (the kernel running the
    cell, its own per-cell work included); ``between_cells_s``: the first cell's busy to the
    last reply, less that (the kernel waiting or passing from one cell to the next).
    """
    from datetime import datetime

    cells = json.loads(executed.read_text())["cells"]
    marks = [c["metadata"].get("execution") for c in cells if c["cell_type"] == "code"]
    marks = [m for m in marks if m and "iopub.status.busy" in m and "shell.execute_reply" in m]
    if not marks:
        return {}

    def at(stamp: str) -> float:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()

    busy = sum(at(m["shell.execute_reply"]) - at(m["iopub.status.busy"]) for m in marks)
    span = at(marks[-1]["shell.execute_reply"]) - at(marks[0]["iopub.status.busy"])
    return {
        "cells": len(marks),
        "in_cells_s": round(busy, 2),
        "between_cells_s": round(span - busy, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_data_dir() / "spend/newcastle/raw")
    parser.add_argument("--registers", type=Path, help="registers folder (default: none)")
    parser.add_argument("--lookups", type=Path, help="postcode lookups folder (default: none)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no published files at {args.data}: pass --data", file=sys.stderr)
        return 2
    references = [
        item
        for option, folder in (("--registers", args.registers), ("--lookups", args.lookups))
        if folder is not None
        for item in (option, str(folder))
    ]
    results: dict[str, list[dict]] = {"cold": [], "warm": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="kil-bench-") as tmp:
            work = Path(tmp)
            results["cold"].append(run_report(args.data, work, references))
            results["warm"].append(run_report(args.data, work, references))
    summary = {
        kind: {
            "median_s": statistics.median(r["seconds"] for r in runs),
            "best_s": min(r["seconds"] for r in runs),
            "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "target_s": TARGETS_S[kind],
            "runs": runs,
        }
        for kind, runs in results.items()
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    registers = f"registers {args.registers}" if args.registers else "no registers"
    print(f"Newcastle case study, raw files → HTML ({args.data}; {registers}), {args.runs} run(s):")
    for kind, s in summary.items():
        verdict = "within" if s["median_s"] <= s["target_s"] else "OVER"
        print(
            f"  {kind:>4}: {s['median_s']:6.1f} s median, {s['best_s']:.1f} s best "
            f"({verdict} the {s['target_s']:.0f} s target); CPU {s['median_cpu_s']:.1f} s; "
            f"load before each run {', '.join(str(r['load_before']) for r in s['runs'])}"
        )
        last = s["runs"][-1]
        print(f"        notebook execute {last['execute_s']} s, HTML export {last['export_s']} s")
        if "cells" in last:
            print(
                f"        kernel: {last['in_cells_s']} s in its {last['cells']} cells, "
                f"{last['between_cells_s']} s between them"
            )
        for source, seconds in last["slowest_cells"]:
            print(f"        {seconds:6.2f} s  {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
