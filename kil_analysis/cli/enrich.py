"""`kil enrich SLUG` and `kil worksheet SLUG`: who each supplier is, and the hand-check sheet."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kil_analysis.cli import CommandError
from kil_analysis.readers.atomic import atomic_write


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "enrich", help="classify a council's suppliers (type, size, locality)"
    )
    p.add_argument("slug", help="council slug (see `kil councils`)")
    p.add_argument("--data", type=Path, help="spend files or folder (default data/raw/<slug>)")
    p.add_argument(
        "--registers",
        type=Path,
        help="registers folder: every register recognised by its layout under it is read "
        "(default data/registers)",
    )
    p.add_argument("--lookups", type=Path, help="postcode lookups folder (default data/lookups)")
    p.add_argument(
        "--overrides", type=Path, help="overrides CSV (default data/overrides/<slug>.csv)"
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)

    w = subparsers.add_parser("worksheet", help="write the top suppliers to check by hand (CSV)")
    w.add_argument("slug", help="council slug")
    w.add_argument("--top", type=int, default=300, help="number of suppliers (default 300)")
    w.add_argument(
        "--out", type=Path, help="CSV path (default data/overrides/<slug>-worksheet.csv)"
    )
    w.set_defaults(func=run_worksheet)


def overrides_path(slug: str) -> Path:
    """The overrides file a saved worksheet becomes: data/overrides/<slug>.csv."""
    from kil_analysis.paths import data_dir

    return data_dir() / "overrides" / f"{slug}.csv"


def _summary(suppliers, merges) -> dict:
    from kil_analysis.schema import NOT_A_SUPPLIER

    total = int(suppliers["total_pence"].sum())
    accounts = suppliers["org_type"].eq(NOT_A_SUPPLIER)
    out: dict = {
        "suppliers": int((~accounts).sum()),
        "not_a_supplier_accounts": int(accounts.sum()),
        "total_pence": total,
        "merged_names": int((merges["rule"] != "kept").sum()),
    }
    for field in ("org_type", "locality", "size"):
        grouped = suppliers.groupby(field)["total_pence"].agg(["size", "sum"])
        out[field] = {
            str(k): {
                "suppliers": int(r["size"]),
                "share_of_spend": round(r["sum"] / total, 4) if total else 0.0,
            }
            for k, r in grouped.iterrows()
        }
    out["overridden"] = int(suppliers["overridden"].sum())
    return out


def run(args: argparse.Namespace) -> int:
    from kil_analysis import paths
    from kil_analysis.config import load_council
    from kil_analysis.enrich import load_registers
    from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
    from kil_analysis.readers.sources import council_spend_inputs
    from kil_analysis.readers.spend import ingest_spend

    config = load_council(args.slug)
    data = args.data or paths.raw_dir(args.slug)
    if not Path(data).exists():
        raise CommandError(f"no spend files at {data} (run `kil fetch {args.slug}` or pass --data)")
    result = ingest_spend(
        council_spend_inputs(data),
        council=config.ons_code,
        column_overrides=config.column_overrides,
    )
    registers = load_registers(
        args.registers or paths.registers_dir(), args.lookups or paths.lookups_dir()
    )
    suppliers, merges = enrich_suppliers_and_merges(
        result.spend, config, registers, overrides_path=args.overrides or overrides_path(args.slug)
    )
    target = paths.processed_dir(args.slug) / "suppliers.parquet"
    atomic_write(target, lambda tmp: suppliers.to_parquet(tmp, index=False))
    merges_target = target.with_name("merges.parquet")
    atomic_write(merges_target, lambda tmp: merges.to_parquet(tmp, index=False))
    summary = _summary(suppliers, merges)
    summary["registers"] = registers.sources if registers else []
    summary["registers_unrecognised"] = registers.unrecognised if registers else []
    summary["output"] = str(target)
    summary["merges_output"] = str(merges_target)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"{config.name}: {summary['suppliers']} suppliers, "
        f"{summary['not_a_supplier_accounts']} finance-system accounts → {target}"
    )
    print(f"evidence: {', '.join(summary['registers']) or 'name rules only (no registers found)'}")
    if summary["registers_unrecognised"]:
        print(f"not recognised as registers: {', '.join(summary['registers_unrecognised'])}")
    print(f"merged: {summary['merged_names']} spellings into other organisations → {merges_target}")
    for field in ("org_type", "locality", "size"):
        parts = [
            f"{k} {v['suppliers']} ({v['share_of_spend']:.1%} of spend)"
            for k, v in summary[field].items()
        ]
        print(f"{field}: " + "; ".join(parts))
    print(f"overridden: {summary['overridden']}")
    return 0


def run_worksheet(args: argparse.Namespace) -> int:
    import pandas as pd

    from kil_analysis import paths
    from kil_analysis.enrich import build_worksheet, read_overrides, write_worksheet

    source = paths.processed_dir(args.slug) / "suppliers.parquet"
    if not source.exists():
        raise CommandError(
            f"no enriched suppliers at {source} (run `kil enrich {args.slug}` first)"
        )
    if args.top < 1:
        raise CommandError("--top must be at least 1")
    suppliers = pd.read_parquet(source)
    existing = overrides_path(args.slug)
    overrides = read_overrides(existing) if existing.exists() else None
    found = paths.processed_dir(args.slug) / "proposals.parquet"  # from `kil resolve`
    proposals = pd.read_parquet(found) if found.exists() else None
    sheet = build_worksheet(suppliers, top=args.top, overrides=overrides, proposals=proposals)
    out = args.out or existing.with_name(f"{args.slug}-worksheet.csv")
    write_worksheet(sheet, out)
    print(f"{len(sheet)} suppliers → {out}")
    if proposals is not None:
        n = int(sheet["proposal_id"].ne("").sum())
        print(
            f"{n} proposals from `kil resolve`: write y (accept) or n (reject) in accept_proposal"
        )
    print(f"fill in confirmed/org_type/vcse_form/size/locality/note and save it as {existing}")
    return 0
