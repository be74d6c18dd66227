"""`kil report SLUG ... | --all`: run the case study per council, export HTML, update the index.

Exit status 0 when every council's report was built; otherwise 1, naming every failed council
and why on stderr (the reports that did succeed are still written, and the index marks the
failures). When at least two councils succeed, the comparison report (reports/comparison.html)
is built too; if it fails, that is one more line on stderr and exit status 1, and every
council's report is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kil_analysis.cli import CommandError, add_quiet

EPILOG = """\
data: --demo reads data/demo/<slug>/; --data PATH reads the published files under PATH
(PATH/<slug>/ when it has one, required with several councils); by default a council's
files as fetched into data/raw/<slug>/ (`kil fetch SLUG`).
outputs (under --out, default reports/): <slug>/index.html, <slug>.ipynb, summary.json;
index.html; and, when at least two councils succeed, comparison.html (+ comparison.ipynb).
scale: councils run in a local process pool (--jobs N), or on a Dask cluster with
--dask ADDRESS (pip install 'kil-analysis[dask]'; --out must be on a file system every
worker can see).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="run the case study notebook per council and build the HTML reports",
        description="Run notebooks/case_study.ipynb for each council with papermill, export "
        "HTML and summary.json into reports/<slug>/, and rewrite reports/index.html.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("slugs", nargs="*", metavar="SLUG", help="council(s) to report on")
    p.add_argument("--all", action="store_true", help="every configured council")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="councils run in parallel (default 1)"
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the councils on the Dask scheduler at ADDRESS (e.g. tcp://host:8786)",
    )
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="where the reports go (default reports/)"
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="use the generated demo data")
    source.add_argument(
        "--data", type=Path, metavar="PATH", help="use the published files under PATH"
    )
    p.add_argument(
        "--registers",
        type=Path,
        metavar="DIR",
        help="registers folder: every register recognised by its layout under it is read "
        "(default data/registers; the demo's own with --demo)",
    )
    p.add_argument(
        "--lookups",
        type=Path,
        metavar="DIR",
        help="postcode lookups folder (default data/lookups; the demo's own with --demo)",
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        metavar="S",
        help="seconds allowed per notebook cell (default 600)",
    )
    p.add_argument("--kernel", default="kil", help="Jupyter kernel name (default kil)")
    analysis = p.add_argument_group("analysis parameters (passed to the notebook)")
    analysis.add_argument(
        "--period-start", metavar="YYYY-MM-DD", help="first payment date (default: all data)"
    )
    analysis.add_argument(
        "--period-end", metavar="YYYY-MM-DD", help="last payment date (default: all data)"
    )
    analysis.add_argument(
        "--local-definition",
        choices=("council", "region"),
        help="what counts as local: the council's own area (default) or its region",
    )
    analysis.add_argument(
        "--top-n", type=int, metavar="N", help="suppliers in the CLES-style top list (300)"
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    add_quiet(p)
    p.set_defaults(func=run)


def _slugs(args: argparse.Namespace) -> list[str]:
    """The councils asked for; each must have a config file.

    Validity is checked per council by the batch, so one bad config fails only its own report.
    """
    from kil_analysis.config import ConfigError, council_config_path, council_slugs

    if args.all and args.slugs:
        raise CommandError("give council slugs or --all, not both")
    if args.all:
        slugs = council_slugs()
        if not slugs:
            raise CommandError("no councils are configured (kil_analysis/councils/*.yml)")
        if getattr(args, "demo", False):
            from kil_analysis.demo.suppliers import COUNCILS as DEMO_COUNCILS

            return [s for s in slugs if s in DEMO_COUNCILS]
        return slugs
    if not args.slugs:
        raise CommandError("name at least one council (see `kil councils`) or pass --all")
    for slug in args.slugs:
        if not council_config_path(slug).is_file():
            known = ", ".join(council_slugs()) or "none"
            raise ConfigError(f"unknown council '{slug}' (configured: {known})")
    return list(args.slugs)


def _analysis_parameters(args: argparse.Namespace) -> dict[str, object]:
    """The notebook parameters the user set on the command line (validated)."""
    import datetime as dt

    chosen: dict[str, object] = {}
    for name in ("period_start", "period_end"):
        value = getattr(args, name, None)
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                flag = "--" + name.replace("_", "-")
                raise CommandError(f"{flag} {value!r} is not a date (use YYYY-MM-DD)") from None
            chosen[name] = value
    if getattr(args, "local_definition", None):
        chosen["local_definition"] = args.local_definition
    if getattr(args, "top_n", None) is not None:
        if args.top_n < 1:
            raise CommandError("--top-n must be at least 1")
        chosen["top_n"] = args.top_n
    return chosen


def _skipped_note(args: argparse.Namespace, slugs: list[str]) -> str | None:
    """With ``--all --demo``: which configured councils have no demo data (None if none)."""
    from kil_analysis.config import council_slugs

    if not (args.all and getattr(args, "demo", False)):
        return None
    from kil_analysis.demo.suppliers import COUNCILS as DEMO_COUNCILS

    skipped = [s for s in council_slugs() if s not in slugs]
    if not skipped:
        return None
    return (
        f"kil report: no demo data for {', '.join(skipped)} (the demo covers "
        f"{', '.join(DEMO_COUNCILS)}); skipped"
    )


def run(args: argparse.Namespace) -> int:
    """Build the reports asked for; 0 when every one (and the comparison) was built."""
    from contextlib import nullcontext

    from kil_analysis.paths import reports_dir
    from kil_analysis.reporting.batch import run_reports
    from kil_analysis.reporting.executors import DaskUnavailableError, dask_executor

    slugs = _slugs(args)
    parameters = _analysis_parameters(args)
    if args.jobs < 1:
        raise CommandError("--jobs must be at least 1")
    if args.timeout < 1:
        raise CommandError("--timeout must be at least 1 second")
    folders = {"--data": args.data, "--registers": args.registers, "--lookups": args.lookups}
    for option, folder in folders.items():
        if folder is not None and not folder.is_dir():
            raise CommandError(f"{option} {folder}: no such folder")
    quiet = bool(args.quiet)
    out_root = args.out or reports_dir()
    try:
        with dask_executor(args.dask) if args.dask else nullcontext() as executor:
            runs = run_reports(
                slugs,
                demo=args.demo,
                data=args.data,
                registers_dir=args.registers,
                lookups_dir=args.lookups,
                jobs=args.jobs,
                executor=executor,
                out_root=out_root,
                kernel_name=args.kernel,
                timeout=args.timeout,
                extra_parameters=parameters,
                progress=not quiet,
            )
    except DaskUnavailableError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print(json.dumps([r.to_dict() for r in runs], indent=2, default=str))
    failed = [r for r in runs if not r.ok]
    note = _skipped_note(args, slugs)
    if note and not quiet:  # after the run: a run that cannot start says only why
        print(note, file=sys.stderr)
    if not args.json and not quiet:
        done = len(runs) - len(failed)
        index = Path(out_root).resolve() / "index.html"
        print(f"kil report: {done} of {len(runs)} report(s) built; open {index}", file=sys.stderr)
    for r in failed:
        print(f"kil report: {r.slug} failed: {r.error}", file=sys.stderr)
    comparison = getattr(runs, "comparison", None)
    if comparison is not None and not comparison.ok:
        print(f"kil report: comparison failed: {comparison.error}", file=sys.stderr)
        return 1
    return 1 if failed else 0
