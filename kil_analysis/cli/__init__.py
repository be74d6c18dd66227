"""The `kil` command line (also `python -m kil_analysis`).

Each subcommand lives in its own module in this package, exposing ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed args and returning an
exit status. Modules are discovered, so adding a command never means editing this file.
Errors the user can fix (bad config, bad input file) print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence


class CommandError(Exception):
    """A failure with a one-line reason for the user (no traceback)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kil",
        description="Keep it Local workbench: council spend to case-study reports.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from kil_analysis.config import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (CommandError, ConfigError, FileNotFoundError, ValueError) as exc:
        print(f"kil {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"kil {args.command}: interrupted", file=sys.stderr)
        return 130
