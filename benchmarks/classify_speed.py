"""Speed and memory: 20,000 supplier names against a 250,000-row Companies House-format register.

Run: .venv/bin/python benchmarks/classify_speed.py [--register-rows N] [--names N]

Writes a synthetic register in the real BasicCompanyData CSV layout (seeded), converts it once to
Parquet (DuckDB, out of core), then times classify_suppliers (exact + blocked fuzzy matching).
Each stage runs in a fresh process, so the peak RSS printed for a stage is that stage's own
(the generator's lists of names do not count against the matcher). Target: < 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kil_analysis.demo.registers import CH_HEADER_LINE  # noqa: E402
from kil_analysis.enrich import classify_suppliers, load_registers  # noqa: E402

CH_HEADER = CH_HEADER_LINE.split(",")

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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage_write(folder: Path, rows: int, n_names: int) -> tuple[list[str], float, float]:
    """Write the register; return the supplier names to classify (a third exact, a third
    misspelt, a third unknown), the seconds taken and this process's peak RSS."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(20240401)
    reg_names = write_register(folder / "BasicCompanyDataAsOneFile-2025-01-01.csv", rows, rng)
    third = n_names // 3
    picks = rng.choice(len(reg_names), 2 * third, replace=False)
    exact = [reg_names[i] + " LTD" for i in picks[:third]]
    typos = [reg_names[i][:-1] + "X" + " LTD" for i in picks[third:]]
    unknown = synthetic_names(np.random.default_rng(7), n_names - 2 * third)
    return exact + typos + unknown, time.perf_counter() - t0, _peak_mb()


def stage_convert(folder: Path) -> tuple[float, float]:
    """Convert the register to Parquet once (DuckDB); seconds and peak RSS."""
    t0 = time.perf_counter()
    load_registers(folder)
    return time.perf_counter() - t0, _peak_mb()


def stage_classify(folder: Path, names: list[str]) -> tuple[dict, int, float, float]:
    """Classify the names against the converted register; methods, ambiguous, seconds, RSS."""
    registers = load_registers(folder)
    t0 = time.perf_counter()
    out = classify_suppliers(names, registers)
    elapsed = time.perf_counter() - t0
    methods = out["match_method"].value_counts(dropna=False).to_dict()
    return methods, int(out["ambiguous_candidates"].notna().sum()), elapsed, _peak_mb()


def _in_fresh_process(fn, *args):
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register-rows", type=int, default=250_000)
    parser.add_argument("--names", type=int, default=20_000)
    args = parser.parse_args()
    rows = args.register_rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        names, secs, peak = _in_fresh_process(stage_write, folder, rows, args.names)
        print(f"wrote {rows:,} register rows in {secs:.1f} s (peak RSS {peak:,.0f} MB)")
        secs, peak = _in_fresh_process(stage_convert, folder)
        print(f"converted to Parquet (DuckDB) in {secs:.1f} s (peak RSS {peak:,.0f} MB)")
        methods, ambiguous, secs, peak = _in_fresh_process(stage_classify, folder, names)
        print(
            f"classified {len(names):,} names against {rows:,} rows in {secs:.1f} s "
            f"(peak RSS {peak:,.0f} MB)"
        )
        print("match methods:", methods)
        print("ambiguous reported:", ambiguous)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
