"""Do rules written from one half of the truth sets transfer to the other? Prints figures.

Run: .venv/bin/python benchmarks/transfer_halves.py [--errors] [--held-out] [--json]

The fourteen calibration truth sets are split in two halves (round 9, issue 7):

- **A** (rules are written from its errors): Trafford, Bradford, Darlington, Leeds, Harrogate,
  Salford, Liverpool. ``--errors`` prints every A row kil reads otherwise, and Devon's
  calibration-month public and VCSE misses;
- **B** (checked only, aggregate figures, never its error rows): Gateshead, Calderdale,
  Wakefield, Sheffield, Manchester, North Tyneside, the GLA (``london``).

A rule is kept only if B's figures do not fall. Devon's calibration months (2011-01, 2017-03)
are scored every run; ``--held-out`` also scores Devon's held-out month (2024-03) and Newcastle
2019/20, aggregate only — run it once, at the end of a round.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kil_analysis.enrich import classify_suppliers, load_registers  # noqa: E402
from kil_analysis.enrich.evaluation import (  # noqa: E402
    DEVON_CALIBRATION_FILES,
    DEVON_HELD_OUT_FILES,
    PUBLIC_CODES,
    TRANSFER_HALVES,
    VCSE_CODES,
    devon_coded_names,
    enrich_truth_council,
    recall_against_codes,
    score_truth_council,
    truth_predictions,
)
from kil_analysis.enrich.keys import name_keys  # noqa: E402
from kil_analysis.paths import shared_data_dir  # noqa: E402

HALF_A = TRANSFER_HALVES["A"]
HALF_B = TRANSFER_HALVES["B"]
HELD_OUT = ("newcastle",)
SHOWN = (
    "org_type_accuracy_by_spend",
    "org_type_accuracy_by_count",
    "unknown_share_of_spend",
    "vcse_share_predicted",
    "vcse_share_truth",
    "not_a_supplier_recall",
    "not_a_supplier_false",
)


def half_scores(root: Path, registers, names: tuple[str, ...], errors: bool) -> dict[str, dict]:
    """Scores per truth set of one half, and the half's mean accuracy (spend and count)."""
    out: dict[str, dict] = {}
    for name in names:
        _spend, suppliers, merges = enrich_truth_council(name, root, registers)
        scores = score_truth_council(name, suppliers, merges)
        out[name] = {key: scores[key] for key in SHOWN}
        if errors:
            print_errors(name, truth_predictions(name, suppliers, merges))
    for key in ("org_type_accuracy_by_spend", "org_type_accuracy_by_count"):
        values = [out[n][key] for n in names]
        out.setdefault("mean", {})[key] = round(sum(values) / len(values), 4)
    return out


def print_errors(name: str, table) -> None:
    """Every truth row of one half-A set kil reads otherwise, largest spend first (stderr)."""
    wrong = table[table["predicted"].ne(table["org_type"])]
    print(f"== {name}: {len(wrong)} rows read otherwise", file=sys.stderr)
    for _, r in wrong.sort_values("spend_pence", ascending=False).iterrows():
        print(
            f"{r['rank']:>4} {r['spend_pence'] / 1e8:7.2f}m {r['confidence']:6} "
            f"truth={r['org_type']:14} kil={r['predicted']:14} {r['supplier_name'][:44]:44} | "
            f"{str(r['kil_evidence'])[:70]}",
            file=sys.stderr,
        )


def devon_misses(root: Path, registers) -> None:
    """Devon's calibration-month public and VCSE names kil reads otherwise (stderr)."""
    df = devon_coded_names(root, DEVON_CALIBRATION_FILES)
    out = classify_suppliers(df["name"], registers).set_index("supplier_key")
    keys = name_keys(df["name"])
    df = df.assign(org_type=keys.map(out["org_type"]), evidence=keys.map(out["evidence"]))
    for label, codes in (("public", PUBLIC_CODES), ("vcse", VCSE_CODES)):
        miss = df[df["code"].isin(codes) & df["org_type"].ne(label)]
        print(f"== Devon calibration {label} misses: {len(miss)}", file=sys.stderr)
        for _, r in miss.sort_values("name").iterrows():
            print(
                f"   {r['code']:5} kil={r['org_type']:14} {r['name'][:44]:44} | "
                f"{str(r['evidence'])[:70]}",
                file=sys.stderr,
            )


def main() -> int:
    root = shared_data_dir()
    if not (root / "spend").is_dir():
        print(f"skipped: {root}/spend not available")
        return 0
    errors = "--errors" in sys.argv
    registers = load_registers(root / "registers", root / "lookups")
    report: dict[str, object] = {
        "A": half_scores(root, registers, HALF_A, errors),
        "B": half_scores(root, registers, HALF_B, False),
        "devon_calibration": recall_against_codes(
            devon_coded_names(root, DEVON_CALIBRATION_FILES), registers
        ),
    }
    if errors:
        devon_misses(root, registers)
    if "--held-out" in sys.argv:
        report["devon_held_out"] = recall_against_codes(
            devon_coded_names(root, DEVON_HELD_OUT_FILES), registers
        )
        report["held_out"] = half_scores(root, registers, HELD_OUT, False)
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
        return 0
    for part, value in report.items():
        print(f"== {part}")
        for name, scores in value.items():
            print(f"   {name}: {scores}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
