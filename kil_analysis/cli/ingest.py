"""`kil ingest`: read published spend files into the canonical spend table, with a report."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from kil_analysis.cli import CommandError

DEFAULT_OUT = "kil-ingest"
HELP = f"""\
Read published spend files (CSV, XLSX/XLS/ODS, ZIP archives of those; files or folders) into
spend.parquet, rejects.csv and ingest_report.json.

With --council SLUG: stamps the council's ONS code, applies its column_overrides, reads
data/raw/SLUG/ when no PATH is given and writes to data/processed/SLUG/ unless --out is given.
Without --council (councils with no config): PATHs are required, no council code is stamped
and the output goes to --out, default ./{DEFAULT_OUT}/ in the current folder.
Results are cached by file content in OUT/.cache; --no-cache re-reads every file.
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
    return line + (f" ({reasons})" if reasons else "")


def run(args: argparse.Namespace) -> int:
    from kil_analysis import paths
    from kil_analysis.readers.sources import council_spend_inputs
    from kil_analysis.readers.spend import ingest_spend
    from kil_analysis.readers.spend.reader import report_json

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
    out = out or Path.cwd() / DEFAULT_OUT
    for path in inputs:
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
    result = ingest_spend(
        inputs,
        council=council_code,
        column_overrides=overrides,
        out_dir=Path(out),
        use_cache=not args.no_cache,
    )
    if args.json:
        print(report_json(result.report))
        return 0
    for entry in result.report["files"]:
        print(_summary_line(entry))
    totals = {
        "path": f"total ({result.report['totals']['files']} files)",
        **result.report["totals"],
    }
    print(_summary_line(totals))
    for entry in result.report["files"]:
        if "duplicate_of" in entry:
            print(f"warning: {entry['path']} has the same bytes as {entry['duplicate_of']}")
    print(f"wrote {Path(out) / 'spend.parquet'}, rejects.csv and ingest_report.json")
    return 0
