"""`kil fetch SLUG` / `kil fetch --registers`: download published files and register extracts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "fetch",
        help="download a council's published files (or the register extracts)",
        description=(
            "Download a council's configured sources into data/raw/<slug>/ (or --dest), or with "
            "--registers the register extracts listed in kil_analysis/registers.yml into "
            "data/registers/. Files already present with a matching SHA-256 are not downloaded "
            "again; checksums are recorded in sources.json beside the files."
        ),
    )
    p.add_argument("slug", nargs="?", help="council slug (see `kil councils`)")
    p.add_argument("--registers", action="store_true", help="fetch the register extracts")
    p.add_argument("--month", help="register month YYYY-MM (default: this month)")
    p.add_argument("--dest", type=Path, help="download folder (default: data/raw/<slug>/)")
    p.add_argument("--progress", action="store_true", help="show download progress bars")
    p.add_argument("--json", action="store_true", help="print what was fetched as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kil_analysis import paths
    from kil_analysis.cli import CommandError
    from kil_analysis.config import load_council
    from kil_analysis.readers.fetch import (
        FetchError,
        fetch_sources,
        fetched_as_dicts,
        register_sources,
    )

    if bool(args.slug) == bool(args.registers):
        raise CommandError("give either a council SLUG or --registers (not both, not neither)")
    notes: list[str] = []
    try:
        if args.registers:
            entries = register_sources(args.month)
            sources = [e.source for e in entries if e.source is not None]
            notes = [
                f"{e.name}: not fetched automatically. {e.notes} ({e.page})"
                for e in entries
                if e.source is None
            ]
            dest = args.dest or paths.registers_dir()
        else:
            if args.month:
                raise CommandError("--month applies to --registers only")
            council = load_council(args.slug)
            sources = list(council.sources)
            if not sources:
                raise CommandError(f"council '{args.slug}' has no sources configured")
            dest = args.dest or paths.raw_dir(args.slug)
        fetched = fetch_sources(sources, dest, progress=args.progress)
    except FetchError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps({"dest": str(dest), "files": fetched_as_dicts(fetched)}, indent=2))
    else:
        new = sum(f.downloaded for f in fetched)
        print(f"{len(fetched)} file(s) in {dest}: {new} downloaded, {len(fetched) - new} cached")
    for note in notes:
        print(note, file=sys.stderr)
    return 0
