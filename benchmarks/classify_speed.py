"""Speed and memory: 20,000 supplier names against a 250,000-row Companies House-format register.

Run: .venv/bin/python benchmarks/classify_speed.py [--register-rows N] [--names N]

Writes a synthetic register in the real BasicCompanyData CSV layout (seeded), converts it once to
Parquet (DuckDB, out of core), then times classify_suppliers (exact + blocked fuzzy matching).
Prints seconds for each step and the peak RSS of the process (MB). Target: < 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_enrich_registers import CH_HEADER  # noqa: E402

from kil_analysis.enrich import classify_suppliers, load_registers  # noqa: E402

WORDS = (
    "ACORN ALPHA APEX ARROW ATLAS BEACON BIRCH BLUE BRIGHT BROOK CASTLE CEDAR CITY CLEAR COAST "
    "CORNER COUNTY CREST DALE DART DEVON EAGLE EAST ELM EXE FALCON FERN FIELD FOREST FOX GOLD "
    "GREEN HARBOUR HAWK HEATH HILL HOLLY IVY KEY LAKE LARK LINK MAPLE MEADOW MILL MOOR NORTH OAK "
    "OCEAN ORCHARD PARK PEAK PINE PRIME QUAY RAVEN RED RIDGE RIVER ROSE SILVER SOUTH SPRING STAR "
    "STONE SUMMIT SWIFT TAMAR TOR TOWER VALE VALLEY WEST WILLOW WOOD"
).split()
TRADES = (
    "BUILDERS CARE CONSULTING ELECTRICAL ENGINEERING FOODS HOMES LANDSCAPES LOGISTICS MEDIA "
    "MOTORS PLUMBING PRINT PROPERTY SERVICES SOLUTIONS SUPPLIES SYSTEMS TRAINING TRAVEL"
).split()
CATEGORIES = ["Private Limited Company"] * 8 + [
    "Community Interest Company",
    "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
]
ACCOUNTS = ["MICRO ENTITY", "SMALL", "TOTAL EXEMPTION FULL", "FULL", "DORMANT", "NO ACCOUNTS FILED"]


def synthetic_names(rng: np.random.Generator, n: int) -> list[str]:
    a = rng.choice(WORDS, n)
    b = rng.choice(WORDS, n)
    t = rng.choice(TRADES, n)
    num = rng.integers(1, 9999, n)
    return [f"{x} {y} {z} {k}" for x, y, z, k in zip(a, b, t, num, strict=True)]


def write_register(path: Path, rows: int, rng: np.random.Generator) -> list[str]:
    names = synthetic_names(rng, rows)
    cat = rng.choice(CATEGORIES, rows)
    acc = rng.choice(ACCOUNTS, rows)
    i_name, i_num = CH_HEADER.index("CompanyName"), CH_HEADER.index(" CompanyNumber")
    i_pc, i_cat = CH_HEADER.index("RegAddress.PostCode"), CH_HEADER.index("CompanyCategory")
    i_st, i_acc = CH_HEADER.index("CompanyStatus"), CH_HEADER.index("Accounts.AccountCategory")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CH_HEADER)
        for k in range(rows):
            row = [""] * len(CH_HEADER)
            row[i_name] = names[k] + " LIMITED"
            row[i_num] = f"{k:08d}"
            row[i_pc] = "EX1 1AA"
            row[i_cat] = cat[k]
            row[i_st] = "Active"
            row[i_acc] = acc[k]
            w.writerow(row)
    return names


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register-rows", type=int, default=250_000)
    parser.add_argument("--names", type=int, default=20_000)
    args = parser.parse_args()
    rng = np.random.default_rng(20240401)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        t0 = time.perf_counter()
        reg_names = write_register(
            folder / "BasicCompanyDataAsOneFile-2025-01-01.csv", args.register_rows, rng
        )
        print(f"wrote {args.register_rows:,} register rows in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        registers = load_registers(folder)
        print(f"converted to Parquet (DuckDB) in {time.perf_counter() - t0:.1f} s")
        # A third exact (with LTD), a third misspelt, a third unknown.
        third = args.names // 3
        picks = rng.choice(len(reg_names), 2 * third, replace=False)
        exact = [reg_names[i] + " LTD" for i in picks[:third]]
        typos = [reg_names[i][:-1] + "X" + " LTD" for i in picks[third:]]
        unknown = synthetic_names(np.random.default_rng(7), args.names - 2 * third)
        names = exact + typos + unknown
        t0 = time.perf_counter()
        out = classify_suppliers(names, registers)
        elapsed = time.perf_counter() - t0
        print(
            f"classified {len(names):,} names against {args.register_rows:,} rows "
            f"in {elapsed:.1f} s"
        )
        print("match methods:", out["match_method"].value_counts(dropna=False).to_dict())
        print("ambiguous reported:", int(out["ambiguous_candidates"].notna().sum()))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
