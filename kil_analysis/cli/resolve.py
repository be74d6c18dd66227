"""`kil resolve SLUG [--top N]`: look up unidentified suppliers online, as proposals to check.

Reads ``data/processed/<slug>/suppliers.parquet`` (from ``kil enrich``), picks the top-N
suppliers by spend whose organisation type is unknown or of low confidence, asks the
reconciliation service (default Find that Charity; ``--service-url`` or $KIL_RECONCILE_URL) and,
when $COMPANIES_HOUSE_API_KEY is set, the Companies House search API (``--companies-house-url``
or $KIL_COMPANIES_HOUSE_URL), caching every answer under ``data/registers/resolved/``. The
candidates are written to ``data/processed/<slug>/proposals.parquet``; ``kil worksheet`` shows
them for the researcher to accept or reject. Offline (or with ``--offline``) it uses what the
cache holds, says so in one line and exits non-zero.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kil_analysis.cli import CommandError
from kil_analysis.readers.atomic import atomic_write


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``kil resolve`` to the command line."""
    p = subparsers.add_parser(
        "resolve",
        help="look up unidentified suppliers online (reconciliation service, Companies House)",
    )
    p.add_argument("slug", help="council slug (see `kil councils`)")
    p.add_argument("--top", type=int, default=50, help="suppliers to look up (default 50)")
    p.add_argument(
        "--min-confidence",
        type=float,
        default=None,
        help="org-type confidence below which a supplier counts as unidentified (default 0.7)",
    )
    p.add_argument(
        "--service-url",
        help="reconciliation service (default $KIL_RECONCILE_URL or Find that Charity's)",
    )
    p.add_argument(
        "--companies-house-url",
        help="Companies House API base (default $KIL_COMPANIES_HOUSE_URL or the live API)",
    )
    p.add_argument(
        "--no-companies-house",
        action="store_true",
        help="do not ask Companies House even when COMPANIES_HOUSE_API_KEY is set",
    )
    p.add_argument("--offline", action="store_true", help="use cached answers only")
    p.add_argument(
        "--delay",
        type=float,
        default=1.0,
        help="seconds between two requests to one service (default 1.0)",
    )
    p.add_argument(
        "--batch-size", type=int, default=10, help="names per reconciliation request (default 10)"
    )
    p.add_argument("--candidates", type=int, default=3, help="candidates per name (default 3)")
    p.add_argument("--registers", type=Path, help="registers folder (default data/registers)")
    p.add_argument("--lookups", type=Path, help="postcode lookups folder (default data/lookups)")
    p.add_argument("--json", action="store_true", help="print the run's report as JSON")
    p.set_defaults(func=run)


def _locator(config, registers_dir: Path, lookups_dir: Path):
    """Postcodes → locality for this council, with whatever lookups the folders hold."""
    from kil_analysis.enrich import load_registers
    from kil_analysis.enrich.locality import assign_locality

    registers = load_registers(registers_dir, lookups_dir)

    def locate(postcodes):
        return assign_locality(
            postcodes,
            config,
            onspd=registers.onspd_parquet if registers else None,
            district_lads=registers.district_lads if registers else None,
        )["locality"]

    return locate


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.0f}"


def run(args: argparse.Namespace) -> int:
    """Run ``kil resolve``: look up unidentified suppliers, write proposals; exit status."""
    import pandas as pd

    from kil_analysis import paths
    from kil_analysis.config import load_council
    from kil_analysis.enrich import resolve as rs
    from kil_analysis.enrich.reconcile_client import (
        CompaniesHouseClient,
        PoliteHttp,
        ReconciliationClient,
        Throttle,
    )
    from kil_analysis.enrich.resolved_cache import ResolvedCache

    config = load_council(args.slug)
    if args.top < 1:
        raise CommandError("--top must be at least 1")
    if args.delay < 0 or args.batch_size < 1 or args.candidates < 1:
        raise CommandError("--delay must be ≥ 0, --batch-size and --candidates ≥ 1")
    processed = paths.processed_dir(args.slug)
    source = processed / "suppliers.parquet"
    if not source.exists():
        raise CommandError(
            f"no enriched suppliers at {source} (run `kil enrich {args.slug}` first)"
        )
    suppliers = pd.read_parquet(source)
    threshold = rs.LOW_CONFIDENCE if args.min_confidence is None else args.min_confidence
    targets = rs.unidentified_suppliers(suppliers, top=args.top, min_confidence=threshold)

    reconcile = ReconciliationClient(
        rs.reconcile_url(args.service_url),
        http=PoliteHttp(throttle=Throttle(min_interval=args.delay)),
        batch_size=args.batch_size,
        limit=args.candidates,
    )
    key = None if args.no_companies_house else rs.companies_house_key()
    companies = None
    if key:
        # Companies House: 600 requests per 5 minutes; stay a little under it.
        throttle = Throttle(min_interval=args.delay, window_requests=590, window_seconds=300)
        companies = CompaniesHouseClient(
            rs.companies_house_url(args.companies_house_url),
            api_key=key,
            http=PoliteHttp(throttle=throttle),
            items_per_page=args.candidates,
        )
    cache = ResolvedCache(paths.registers_dir() / "resolved")
    locate = _locator(
        config, args.registers or paths.registers_dir(), args.lookups or paths.lookups_dir()
    )
    proposals, report = rs.resolve_suppliers(
        targets,
        cache,
        reconcile=reconcile,
        companies=companies,
        offline=args.offline,
        locate=locate,
    )
    target = rs.proposals_path(processed)
    previous = pd.read_parquet(target) if target.exists() else None
    merged = rs.merge_proposals(previous, proposals, report.answered)
    atomic_write(target, lambda tmp: merged.to_parquet(tmp, index=False))

    summary = report.as_dict()
    summary["output"] = str(target)
    summary["spend_pence"] = int(targets["total_pence"].sum())
    summary["companies_house"] = (
        "used"
        if companies
        else (
            "not used (--no-companies-house)"
            if args.no_companies_house
            else f"not used (set {rs.ENV_COMPANIES_HOUSE_KEY} to add it)"
        )
    )
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{config.name}: {report.suppliers} unidentified suppliers (org type unknown or "
            f"confidence < {threshold:g}), {_pounds(summary['spend_pence'])} of spend"
        )
        for s in report.services:
            print(
                f"{s.label}: {s.asked} names asked, {s.from_cache} from cache, "
                f"{s.requests} requests"
                + (f", waited {s.waited_seconds:g} s" if s.waited_seconds else "")
            )
        if not companies:
            print(f"Companies House: {summary['companies_house']}")
        print(
            f"proposals: {report.candidates} candidates for {report.suppliers_with_candidates} "
            f"suppliers this run; {merged['supplier_key'].nunique()} suppliers with proposals "
            f"in {target}"
        )
        print(f"next: `kil worksheet {args.slug}`, then write y or n in accept_proposal")
    if report.problems:
        raise CommandError("; ".join(report.problems) + " (cached answers were used)")
    return 0
