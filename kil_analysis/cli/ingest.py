"""`kil ingest`: read published spend files into the canonical spend table, with a report.

Exit status: 0 when every file was read; 3 when some files (or ZIP members, or sheets) could
not be read — they are named on stderr, one line each, and in the report, and the others were
ingested; 1 when nothing could be read or the command itself failed.

A re-run on unchanged files is answered from the report already in ``--out`` (its inputs'
SHA-256 and its outputs' checksums still match). pandas is never loaded for CSV files, cold or
warm: they are read, checked and written in Arrow (`arrow_text.keep_pandas_unloaded`); a
spreadsheet among the inputs loads it for its own reading.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kil_analysis.cli import CommandError

DEFAULT_OUT = "kil-ingest"
EXIT_SOME_FAILED = 3
HELP = f"""\
Read published spend files (CSV, XLSX/XLS/ODS, ZIP archives of those; files or folders) into
spend.parquet, rejects.csv and ingest_report.json.

With --council SLUG: stamps the council's ONS code, applies its column_overrides, reads
data/raw/SLUG/ when no PATH is given and writes to data/processed/SLUG/ unless --out is given.
Without --council (councils with no config): PATHs are required, no council code is stamped
and the output goes to --out, default ./{DEFAULT_OUT}/ in the current folder.
Files in folders that are not spend tables (READMEs, .txt, .json, PDFs) are skipped and listed.
Results are cached by file content in OUT/.cache; --no-cache re-reads every file.

Exit status: 0 all files read; {EXIT_SOME_FAILED} some files could not be read (named on
stderr; the others were ingested); 1 nothing could be read.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="read published spend files into the canonical spend table",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to read")
    p.add_argument("--council", metavar="SLUG", help="a configured council (see `kil councils`)")
    p.add_argument("--out", metavar="DIR", type=Path, help="folder for the outputs")
    p.add_argument("--no-cache", action="store_true", help="re-read every file (ignore the cache)")
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    p.set_defaults(func=run)


def _pounds(amount: str) -> str:
    """An exact decimal string as pounds with thousands separators: £1,234,567.89."""
    from decimal import Decimal  # after the ingest: not on the way to the workers' start

    value = Decimal(amount)
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"


def _summary_line(entry: dict) -> str:
    rejected = sum(entry["rows_rejected"].values())
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(entry["rows_rejected"].items()))
    line = (
        f"{entry['path']}: read {entry['rows_read']:,} kept {entry['rows_kept']:,} "
        f"rejected {rejected:,}; {_pounds(entry['amount_read'])} read, "
        f"{_pounds(entry['amount_kept'])} kept, {_pounds(entry['amount_rejected'])} rejected"
    )
    from decimal import Decimal

    rounding = Decimal(entry.get("amount_rounding", "0"))
    if rounding:
        line += f", {rounding:+f} rounding"
    return line + (f" ({reasons})" if reasons else "")


def _resolve(args: argparse.Namespace) -> tuple[str, dict[str, str], list[Path], Path]:
    from kil_analysis import paths
    from kil_analysis.readers.sources import council_spend_inputs

    council_code = ""
    overrides: dict[str, str] = {}
    inputs = [Path(p) for p in args.paths]
    out = args.out
    if args.council:
        from kil_analysis.config import load_council

        config = load_council(args.council)
        council_code, overrides = config.ons_code, dict(config.column_overrides)
        inputs = inputs or council_spend_inputs(paths.raw_dir(config.slug))
        out = out or paths.processed_dir(config.slug)
    elif not inputs:
        raise CommandError("give files or folders to read, or --council SLUG")
    for path in inputs:
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
    return council_code, overrides, inputs, Path(out or Path.cwd() / DEFAULT_OUT)


def _up_to_date(
    out: Path, inputs: list[Path], council: str, overrides: dict[str, str]
) -> dict | None:
    """The report in ``out`` when it is still current for these inputs (no pandas needed)."""
    from kil_analysis.readers.cache import READER_VERSION
    from kil_analysis.readers.publish import current_report
    from kil_analysis.readers.sources import find_inputs

    found = find_inputs(inputs)
    return current_report(
        out,
        [(item.display, item.path) for item in found.files],
        {
            "reader_version": READER_VERSION,
            "council": council,
            "column_overrides": dict(sorted(overrides.items())),
        },
        [s.as_report() for s in found.skipped],
        [f.as_report() for f in found.failed],
    )


def _print(report: dict, out: Path, as_json: bool) -> int:
    for failure in report.get("failed", []):
        print(f"kil ingest: {failure['path']}: {failure['reason']}", file=sys.stderr)
    if as_json:
        import json

        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for entry in report["files"]:
            print(_summary_line(entry))
        totals = {"path": f"total ({report['totals']['files']} files)", **report["totals"]}
        print(_summary_line(totals))
        for entry in report["files"]:
            if "duplicate_of" in entry:
                print(f"warning: {entry['path']} has the same bytes as {entry['duplicate_of']}")
        for skipped in report.get("skipped", []):
            print(f"not read: {skipped['path']} ({skipped['reason']})")
        print(f"wrote {out / 'spend.parquet'}, rejects.csv and ingest_report.json")
    return EXIT_SOME_FAILED if report.get("failed") else 0


def _end_quickly() -> None:
    """Spare the process's last garbage collections (~0.1-0.2 s after a cold ingest).

    At exit the interpreter collects garbage over every object still alive (pyarrow's,
    numpy's, the tables'), which an ingest ending now does not need: at exit, everything
    alive is moved out of the collector's reach (`gc.freeze`) and is then freed as usual.
    Registered as an exit hook, so a test calling the command in-process is not affected
    until its own process ends.
    """
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often the command runs in one process
    atexit.register(gc.freeze)


def _load_numpy_without_blas_threads() -> None:
    """Load numpy with its BLAS (OpenBLAS) limited to one thread: ~0.05-0.1 s CPU sooner.

    An OpenBLAS loaded as it is starts a thread per core and sizes its buffers for them,
    about half of numpy's import time, before the worker processes can start; an ingest
    never multiplies matrices. The limit is set only while numpy loads and the environment
    is restored at once, so nothing this process starts later (a notebook kernel, another
    command in the same process) inherits it; a numpy already loaded is left as it is.
    """
    if "numpy" in sys.modules:
        return
    name = "OPENBLAS_NUM_THREADS"
    before = os.environ.get(name)
    os.environ[name] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def run(args: argparse.Namespace) -> int:
    _end_quickly()
    council_code, overrides, inputs, out = _resolve(args)
    from kil_analysis.readers.publish import check_out_dir

    try:
        check_out_dir(out)
    except OSError as exc:
        raise CommandError(str(exc)) from exc
    if not args.no_cache:
        report = _up_to_date(out, inputs, council_code, overrides)
        if report is not None:
            return _print(report, out, args.json)

    _load_numpy_without_blas_threads()
    from kil_analysis.readers.arrow_text import keep_pandas_unloaded
    from kil_analysis.readers.spend import ingest_spend

    keep_pandas_unloaded()  # CSV files are read and written in Arrow (spreadsheets load pandas)
    try:
        result = ingest_spend(
            inputs,
            council=council_code,
            column_overrides=overrides,
            out_dir=out,
            use_cache=not args.no_cache,
        )
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        where = exc.filename or out
        raise CommandError(f"{where}: cannot write the outputs ({exc.strerror or exc})") from exc
    return _print(result.report, out, args.json)
