"""Per-stage timings of `make reports`: demo generation, each council's ingest / enrich /
notebook execute / HTML export, and the index. The target is under two minutes in total on a
2-core machine (after installation).

    .venv/bin/python benchmarks/reports.py [--jobs 2] [--skip-demo] [--json] [SLUG ...]

Stages, each through the package's public functions:

1. ``demo``: ``kil_analysis.demo.generate_demo`` (what ``kil demo`` runs);
2. per council, in this process and outside the notebook, with a cold cache: ``ingest``
   (``kil_analysis.readers.spend.ingest_spend`` on the demo files) and ``enrich``
   (``load_registers`` + ``enrich_suppliers``) — the work the notebook's first cell does;
3. the batch exactly as ``make reports`` runs it (``run_reports(..., demo=True, jobs=N)``),
   with each council's ``execute`` / ``export`` / ``total`` from its ``summary.json`` manifest
   and the notebook's slowest cells (papermill's per-cell timings);
4. ``index``: rewriting ``reports/index.html``.

A stage that cannot run yet (a missing function) is reported as skipped with the reason,
so the script is useful while the pipeline is being built.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

from kil_analysis import paths  # noqa: E402
from kil_analysis.config import council_slugs, load_council  # noqa: E402

BUDGET_S = 120.0


def timed(label: str, func: Callable[[], Any], rows: list[dict[str, Any]]) -> Any:
    """Run ``func``, append ``{"stage": label, "seconds": ...}`` (or the skip reason) to rows."""
    start = time.perf_counter()
    try:
        result = func()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
        rows.append({"stage": label, "seconds": None, "note": f"skipped: {reason}"})
        return None
    rows.append({"stage": label, "seconds": round(time.perf_counter() - start, 3)})
    return result


def generate_demo() -> None:
    from kil_analysis.demo import generate_demo as generate

    generate(paths.demo_dir())


def ingest_and_enrich(slug: str, rows: list[dict[str, Any]]) -> None:
    """Time ingest and enrich for one council's demo files outside the notebook (cold cache)."""
    from kil_analysis.enrich import enrich_suppliers, load_registers
    from kil_analysis.readers.sources import council_spend_inputs
    from kil_analysis.readers.spend import ingest_spend

    config = load_council(slug)
    data = paths.demo_council_dir(slug)
    with tempfile.TemporaryDirectory(prefix="kil-bench-") as tmp:
        ingested = timed(
            f"{slug}: ingest",
            lambda: ingest_spend(
                council_spend_inputs(data),
                council=config.ons_code,
                column_overrides=config.column_overrides,
                out_dir=Path(tmp) / "out",
                cache_dir=Path(tmp) / "cache",
            ),
            rows,
        )
        if ingested is None:
            return
        rows[-1]["note"] = f"{len(ingested.spend):,} rows"

        def enrich() -> Any:
            lookups = paths.demo_dir() / "lookups"
            registers = load_registers(
                paths.demo_dir() / "registers", lookups if lookups.exists() else None
            )
            return enrich_suppliers(ingested.spend, config, registers, None)

        suppliers = timed(f"{slug}: enrich", enrich, rows)
        if suppliers is not None:
            rows[-1]["note"] = f"{len(suppliers):,} suppliers"


def run_batch(slugs: list[str], jobs: int, rows: list[dict[str, Any]]) -> list[Any]:
    """The batch as `make reports` runs it, then each council's stage timings."""
    from kil_analysis.reporting.batch import run_reports

    runs = timed(
        f"report batch ({len(slugs)} councils, --jobs {jobs})",
        lambda: run_reports(slugs, demo=True, jobs=jobs, progress=False),
        rows,
    )
    for run in runs or []:
        if not run.ok:
            rows.append({"stage": f"{run.slug}: report", "seconds": None, "note": run.error})
            continue
        manifest = (run.summary or {}).get("manifest", {})
        for stage in ("execute", "export", "total"):
            seconds = manifest.get("timings_s", {}).get(stage)
            rows.append({"stage": f"{run.slug}: notebook {stage}", "seconds": seconds})
        cells = sorted(manifest.get("cell_timings_s", []), key=lambda c: -c["seconds"])
        for cell in cells[:5]:
            rows.append(
                {
                    "stage": f"{run.slug}:   cell {cell['cell']}",
                    "seconds": cell["seconds"],
                    "note": cell["source"],
                }
            )
        rows.append(
            {
                "stage": f"{run.slug}: report size",
                "seconds": None,
                "note": f"{run.html_path.stat().st_size / 1e6:.2f} MB HTML",
            }
        )
    return runs or []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slugs", nargs="*", help="councils (default: every configured one)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel councils (default 2)")
    parser.add_argument("--skip-demo", action="store_true", help="reuse the existing demo data")
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    args = parser.parse_args(argv)
    slugs = args.slugs or council_slugs()
    rows: list[dict[str, Any]] = []
    wall = time.perf_counter()

    if not args.skip_demo:
        timed("demo data (kil demo)", generate_demo, rows)
    for slug in slugs:
        ingest_and_enrich(slug, rows)
    make_reports_start = time.perf_counter()
    runs = run_batch(slugs, args.jobs, rows)
    from kil_analysis.reporting.batch import configured_council_names
    from kil_analysis.reporting.index import write_index

    timed(
        "index (reports/index.html)",
        lambda: write_index(paths.reports_dir(), configured_council_names()),
        rows,
    )
    batch_s = time.perf_counter() - make_reports_start
    demo_s = next((r["seconds"] or 0 for r in rows if r["stage"].startswith("demo")), 0.0)
    total = time.perf_counter() - wall

    if args.json:
        print(json.dumps({"stages": rows, "wall_s": round(total, 3)}, indent=2))
    else:
        width = max(len(r["stage"]) for r in rows) if rows else 10
        for r in rows:
            seconds = f"{r['seconds']:8.2f} s" if r.get("seconds") is not None else " " * 10
            print(f"{r['stage']:<{width}}  {seconds}  {r.get('note', '')}".rstrip())
        make_reports = demo_s + batch_s
        verdict = "within" if make_reports <= BUDGET_S else "OVER"
        print(
            f"\n`make reports` work (demo + batch + index): {make_reports:.1f} s, "
            f"{verdict} the {BUDGET_S:.0f} s budget; this script's wall time {total:.1f} s"
        )
    failed = [r.slug for r in runs if not r.ok]
    return 1 if failed or not runs else 0


if __name__ == "__main__":
    sys.exit(main())
