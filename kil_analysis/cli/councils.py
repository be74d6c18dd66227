"""`kil councils`: list the configured councils."""

from __future__ import annotations

import argparse
import json

from kil_analysis.config import all_councils


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("councils", help="list configured councils")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    councils = all_councils()
    if args.json:
        rows = [
            {"slug": c.slug, "name": c.name, "ons_code": c.ons_code, "region": c.region}
            for c in councils
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for c in councils:
        print(f"{c.slug:<16} {c.ons_code}  {c.name} ({c.region})")
    return 0
