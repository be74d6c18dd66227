"""The `kil` command line (also `python -m kil_analysis`).

Each subcommand lives in its own module in this package, exposing ``register(subparsers)``,
which adds its parser and sets ``func`` to a callable taking the parsed args and returning an
exit status. Modules are discovered, so adding a command never means editing this file.
Errors the user can fix (bad config, bad input file, a folder that cannot be written) print
one line on stderr and exit non-zero; Ctrl-C prints one line and exits 130. ``kil --quiet``
(or a command's own ``--quiet``) hides progress lines and bars.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence


class CommandError(Exception):
    """A failure with a one-line reason for the user (no traceback)."""


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` a ``-q/--quiet`` flag that does not clobber ``kil --quiet``."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no progress lines or bars on stderr",
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``kil`` parser with every discovered subcommand.

    With ``command`` (the word given after ``kil``), when a module of that name registers that
    command, only its parser is built: the other commands' modules are not imported, which
    spares a command's start-up their imports and parsers (~0.05 s). Any other word (a
    typo, a command registered by a module of another name) gets the full parser.
    """
    if command and command.isidentifier() and not command.startswith("_"):
        from importlib.util import find_spec

        if find_spec(f"{__name__}.{command}") is not None:
            parser, subparsers = _top_parser()
            module = importlib.import_module(f"{__name__}.{command}")
            if hasattr(module, "register"):
                module.register(subparsers)
                if command in subparsers.choices:
                    return parser
    import pkgutil

    parser, subparsers = _top_parser()
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The ``kil`` parser with no subcommand yet, and its subcommands' action."""
    parser = argparse.ArgumentParser(
        prog="kil",
        description="Keep it Local workbench: council spend to case-study reports.",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines or bars on stderr"
    )
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is not an option (the command), or None."""
    return next((word for word in argv if not word.startswith("-")), None)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kil`` with ``argv``; return the exit status (errors as one line on stderr)."""
    from kil_analysis.cli.output import configure_logging

    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_word(words))
    args = parser.parse_args(words)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    configure_logging(quiet=bool(args.quiet))
    try:
        return int(args.func(args) or 0)
    except (CommandError, OSError, ValueError) as exc:  # a ConfigError is a ValueError
        print(f"kil {args.command}: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"kil {args.command}: interrupted", file=sys.stderr)
        return 130
