"""`kil demo`: (re)generate the synthetic demo data (deterministic for a given seed)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand.

    The generator is imported only when it runs: building the parser for any command must not load
    pandas.
    """
    p = subparsers.add_parser(
        "demo", help="(re)generate the demo data (synthetic spend, grants, registers)"
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: data/demo under the project root)",
    )
    p.add_argument(
        "--seed", type=int, default=None, help="random seed (default: the generator's fixed seed)"
    )
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate the demo data and report what was written."""
    from kil_analysis import paths
    from kil_analysis.demo import DEFAULT_SEED, generate_demo
    from kil_analysis.reporting.publish import prepare_output_dir

    out = prepare_output_dir(args.out if args.out is not None else paths.demo_dir())
    args.seed = DEFAULT_SEED if args.seed is None else args.seed
    manifest = generate_demo(out, seed=args.seed)
    if args.json:
        print(json.dumps(manifest, indent=2))
    else:
        print(f"wrote {len(manifest['files'])} demo files to {out} (seed {args.seed})")
    return 0
