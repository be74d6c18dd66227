"""Do the classifier's readings change? Snapshot them, then diff against a snapshot.

Run: .venv/bin/python benchmarks/readings_diff.py snapshot OUT.parquet
     .venv/bin/python benchmarks/readings_diff.py diff BEFORE.parquet AFTER.parquet

Reads every distinct supplier name in the shared spend files (``rule_audit.shared_names``) and
every calibration truth set's names, classifies them once with every shared register loaded,
and keeps org type, VCSE form, public kind, evidence and register id per name. ``diff`` prints
how many names changed in each column and examples (never a held-out set's names: Newcastle's
changes are counted only). For proving a refactor leaves behaviour unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from rule_audit import shared_names  # noqa: E402

from kil_analysis.enrich import classify_suppliers, load_registers  # noqa: E402
from kil_analysis.enrich.evaluation import TRUTH_SETS, read_truth  # noqa: E402
from kil_analysis.enrich.keys import name_keys  # noqa: E402
from kil_analysis.paths import shared_data_dir  # noqa: E402

HELD_OUT = ("newcastle",)
COLUMNS = [
    "org_type",
    "vcse_form",
    "public_kind",
    "evidence",
    "register_id",
    "postcode",
    "area_code",
]
NAMES_CACHE = Path("/tmp/kil_readings_names.parquet")


def all_names(root: Path) -> pd.DataFrame:
    """(source, name) for every shared spend name and every truth-set name."""
    if NAMES_CACHE.exists():
        spend = pd.read_parquet(NAMES_CACHE)
    else:
        spend = shared_names(root).rename(columns={"council": "source"})
        spend.to_parquet(NAMES_CACHE)
    truth = [
        pd.DataFrame({"source": "truth:" + name, "name": read_truth(name)["supplier_name"]})
        for name in TRUTH_SETS
    ]
    return pd.concat([spend, *truth], ignore_index=True).drop_duplicates()


def snapshot(out: Path) -> None:
    """Classify every name and write the readings to ``out`` (parquet)."""
    root = shared_data_dir()
    names = all_names(root)
    registers = load_registers(root / "registers", root / "lookups")
    distinct = names["name"].drop_duplicates().reset_index(drop=True)
    read = classify_suppliers(distinct, registers).set_index("supplier_key")
    # one reading per supplier key (names that differ only in case or spacing share one)
    frame = names.assign(key=name_keys(names["name"]).to_numpy()).join(read[COLUMNS], on="key")
    frame.drop(columns="key").fillna("").astype(str).to_parquet(out)
    print(f"{len(frame)} readings ({distinct.size} distinct names) -> {out}")


def diff(before: Path, after: Path) -> int:
    """Print the names whose reading changed, per column; 0 when none did."""
    a = pd.read_parquet(before).set_index(["source", "name"])
    b = pd.read_parquet(after).set_index(["source", "name"])
    a, b = a.align(b, join="outer")
    a, b = a.fillna(""), b.fillna("")
    changed = 0
    for col in COLUMNS:
        moved = a[col].ne(b[col])
        changed += int(moved.sum())
        print(f"{col}: {int(moved.sum())} of {len(a)} readings changed")
        rows = pd.DataFrame({"before": a.loc[moved, col], "after": b.loc[moved, col]})
        shown = rows[~rows.index.get_level_values("source").isin(HELD_OUT)]
        shown = shown[~shown.index.get_level_values("source").str.endswith(HELD_OUT)]
        if not shown.empty:
            print(shown.head(40).to_string())
    return 0 if changed == 0 else 1


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(Path(sys.argv[2]))
    else:
        raise SystemExit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
