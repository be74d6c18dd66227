"""`kil councils`: list the configured councils, validating every config file."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``councils`` subcommand."""
    p = subparsers.add_parser("councils", help="list configured councils (and check each config)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List every valid council; name each invalid config on stderr (one line each) and exit 1."""
    from kil_analysis.config import (
        ConfigError,
        council_config_path,
        council_slugs,
        load_config_file,
    )

    councils, problems = [], []
    for slug in council_slugs():
        try:
            councils.append(load_config_file(council_config_path(slug)))
        except ConfigError as exc:
            problems.append(str(exc))
    if args.json:
        rows = [
            {"slug": c.slug, "name": c.name, "ons_code": c.ons_code, "region": c.region}
            for c in councils
        ]
        print(json.dumps(rows, indent=2))
    else:
        for c in councils:
            print(f"{c.slug:<16} {c.ons_code}  {c.name} ({c.region})")
    for problem in problems:
        print(f"kil councils: {problem}", file=sys.stderr)
    return 1 if problems else 0
