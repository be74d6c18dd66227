"""Who each supplier is, on real files: prints figures (needs ../shared/data).

Run: .venv/bin/python benchmarks/classify_eval.py [--json] [--calibration-only] [--errors]
     [--half A|B [--truth-only]]

``--calibration-only`` leaves the held-out truth sets and Devon's held-out month out (no read of
their files, no figures), for measuring while rules are written; run without it once at the end
for the held-out score.
``--half A`` / ``--half B`` scores one half of the calibration sets (round 9's transfer protocol:
rules from A's errors, B in aggregate only; ``--errors`` never prints B's rows) with a one-line
``half_summary``; ``--truth-only`` stops after the truth sets (prints JSON).
``--errors`` also prints, for the calibration sets only, every truth row kil reads otherwise
(rank, spend, label confidence, truth, reading, evidence).

1. Hand-checked truth for the top 300 suppliers (tests/fixtures/truth): rules were calibrated on
   Trafford 2024/25 (round 1), then on Trafford and Gateshead 2021/22 (rounds 2-4), then also on
   Bradford (round 5: names and spend only, from a council with no files in ../shared/data,
   scored from one payment line per name; unseen in round 4), then (round 6) also on Calderdale
   and Darlington (names and spend from the same explorer, labelled while round 5 was written
   by team members who never saw kil's output; scored unseen once at the end of round 5), then
   (round 7) also on Wakefield and Leeds (scored unseen once on round 6's code, then read), and
   are scored, unseen, on Newcastle 2019/20. Each
   council's shared spend files are ingested and enriched as a case study would (every shared
   register and lookup loaded), then each truth name is looked up through the merges. Figures:
   org type accuracy on high+medium-confidence labels (by spend and by count), unknown share of
   top-300 spend, not-a-supplier recall, VCSE share of top-300 spend beside the hand check,
   share of spend located and locality accuracy where both say something, and merges scored
   against ``same_org_as``.
2. Devon County Council's Creditor Type codes (noisy truth), names only and with the shared
   registers: per file and together, the calibration months (2011-01, 2017-03; rules are
   written against them) apart from the held-out month (2024-03: aggregate recall only, left
   out with ``--calibration-only``). Public recall three ways: WGA/UNI/EDUC, without the names
   the independent schools list holds, and with the parish and town councils coded PRSH.
3. Precision against the hand-checked Devon sample (tests/fixtures/enrich/devon_hand_checked.csv).
4. Contracts Finder suppliers' own ``vcse`` and ``scale`` flags (OCDS releases).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kil_analysis.enrich import classify_suppliers, load_registers  # noqa: E402
from kil_analysis.enrich.evaluation import (  # noqa: E402
    DEVON_CALIBRATION_FILES,
    DEVON_HELD_OUT_FILES,
    TRANSFER_HALVES,
    TRUTH_SETS,
    devon_coded_names,
    devon_recall_per_file,
    enrich_truth_council,
    hand_checked_precision,
    recall_against_codes,
    score_truth_council,
    truth_predictions,
)
from kil_analysis.paths import shared_data_dir  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "enrich" / "devon_hand_checked.csv"
# Newcastle 2019/20 is held out (aggregate figures only); every other truth set is a calibration
# set (the round-7 sets since they were scored once unseen on round 7's merged code and read).
HELD_OUT = ("newcastle",)
CALIBRATION = tuple(name for name in TRUTH_SETS if name not in HELD_OUT)
# Round 9's transfer protocol: rules are written from half A's errors only; half B is scored in
# aggregate before and after each rule (never its error rows) and a rule is kept only if B does
# not fall. ``--half A`` / ``--half B`` scores one half (``--errors`` prints A's rows only).
HALVES = TRANSFER_HALVES


def contracts_finder(root: Path, registers) -> dict[str, object]:
    rows = []
    for path in sorted((root / "contracts" / "contracts-finder" / "releases").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for rel in data.get("releases", [data]):
            for party in rel.get("parties", []):
                if "supplier" not in party.get("roles", []):
                    continue
                details = party.get("details") or {}
                rows.append(
                    {
                        "name": party.get("name", ""),
                        "vcse": details.get("vcse"),
                        "scale": details.get("scale"),
                    }
                )
    df = pd.DataFrame(rows).drop_duplicates("name")
    if df.empty:
        return {"suppliers": 0}
    out = classify_suppliers(df["name"], registers)
    by_name = dict(zip(out["supplier_name"], out["org_type"], strict=False))
    df["org_type"] = df["name"].str.strip().map(by_name)
    flagged = df[df["vcse"] == True]  # noqa: E712
    not_flagged = df[df["vcse"] == False]  # noqa: E712
    return {
        "suppliers": len(df),
        "vcse_flagged": len(flagged),
        "vcse_flagged_classified_vcse": round(float((flagged["org_type"] == "vcse").mean()), 3)
        if len(flagged)
        else None,
        "not_vcse_classified_vcse": round(float((not_flagged["org_type"] == "vcse").mean()), 3)
        if len(not_flagged)
        else None,
    }


def truth_sets(root: Path, registers, held_out: bool = True) -> dict[str, dict]:
    """Scores and enrichment time per truth-set council, calibration set first.

    ``held_out=False`` scores only the calibration sets (the held-out files are not read).
    """
    results = {}
    half = _half_asked()
    for name in sorted(TRUTH_SETS, key=lambda n: (n not in CALIBRATION, n)):
        if not held_out and name not in CALIBRATION:
            continue
        if half and name not in HALVES[half]:
            continue
        t0 = time.perf_counter()
        _spend, suppliers, merges = enrich_truth_council(name, root, registers)
        scores = score_truth_council(name, suppliers, merges)
        scores["role"] = "calibration" if name in CALIBRATION else "held out"
        scores["seconds_ingest_and_enrich"] = round(time.perf_counter() - t0, 1)
        scores["merges_listed"] = int((merges["rule"] != "kept").sum())
        results[name] = scores
        if "--errors" in sys.argv and name in CALIBRATION and name not in HALVES["B"]:
            print_errors(name, truth_predictions(name, suppliers, merges))
    return results


def _half_asked() -> str | None:
    """'A' or 'B' when ``--half A`` / ``--half B`` is given, else None."""
    if "--half" not in sys.argv:
        return None
    half = sys.argv[sys.argv.index("--half") + 1].upper()
    if half not in HALVES:
        raise SystemExit(f"--half takes A or B, not {half!r}")
    return half


def half_summary(results: dict[str, dict]) -> dict[str, float]:
    """Mean accuracy (by spend, by count), mean unknown share and mean VCSE gap (kil minus hand,
    points) over the sets scored: the one-line figure a rule is kept or dropped by."""
    rows = list(results.values())
    if not rows:
        return {}

    def mean(key: str) -> float:
        return round(sum(float(r[key]) for r in rows) / len(rows) * 100, 2)

    gap = sum(float(r["vcse_share_predicted"]) - float(r["vcse_share_truth"]) for r in rows)
    return {
        "sets": len(rows),
        "accuracy_by_spend_mean": mean("org_type_accuracy_by_spend"),
        "accuracy_by_count_mean": mean("org_type_accuracy_by_count"),
        "unknown_share_mean": mean("unknown_share_of_spend"),
        "vcse_gap_mean_points": round(gap / len(rows) * 100, 2),
        "vcse_abs_gap_mean_points": round(
            sum(abs(float(r["vcse_share_predicted"]) - float(r["vcse_share_truth"])) for r in rows)
            / len(rows)
            * 100,
            2,
        ),
    }


def print_errors(name: str, table: pd.DataFrame) -> None:
    """Every truth row of one calibration set that kil reads otherwise, largest spend first."""
    wrong = table[table["predicted"].ne(table["org_type"])]
    print(f"== {name}: {len(wrong)} rows read otherwise", file=sys.stderr)
    for _, r in wrong.sort_values("spend_pence", ascending=False).iterrows():
        print(
            f"{r['rank']:>4} {r['spend_pence'] / 1e8:7.2f}m {r['confidence']:6} "
            f"truth={r['org_type']:14} kil={r['predicted']:14} {r['supplier_name'][:40]:40} | "
            f"{str(r['kil_evidence'])[:60]}",
            file=sys.stderr,
        )


def devon_recall(root: Path, registers, held_out: bool) -> dict[str, dict]:
    """Devon recall per calibration file and on the calibration months together; the same for
    the held-out month when ``held_out`` (aggregate figures only)."""
    parts = {"calibration": DEVON_CALIBRATION_FILES}
    if held_out:
        parts["held_out"] = DEVON_HELD_OUT_FILES
    report: dict[str, dict] = {}
    for part, files in parts.items():
        per_file = devon_recall_per_file(root, registers, files)
        if len(files) > 1:
            per_file["together"] = recall_against_codes(devon_coded_names(root, files), registers)
        report[part] = per_file
    return report


def main() -> int:
    root = shared_data_dir()
    if not (root / "spend").is_dir():
        print(f"skipped: {root}/spend not available")
        return 0
    t0 = time.perf_counter()
    registers = load_registers(root / "registers", root / "lookups")
    report: dict[str, object] = {"registers_loaded": len(registers.sources) if registers else 0}
    held_out = "--calibration-only" not in sys.argv and not _half_asked()
    report["truth_sets"] = truth_sets(root, registers, held_out)
    if _half_asked():
        report["half_summary"] = half_summary(report["truth_sets"])
        if "--truth-only" in sys.argv:
            print(json.dumps(report, indent=2, default=str))
            return 0
    report["devon_names_only"] = devon_recall(root, None, held_out)
    report["devon_with_registers"] = devon_recall(root, registers, held_out)
    report["devon_hand_checked_sample"] = hand_checked_precision(pd.read_csv(SAMPLE), registers)
    report["contracts_finder"] = contracts_finder(root, registers)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2, default=str))
        return 0
    for name, scores in report["truth_sets"].items():
        print(f"== {name} ({scores.pop('role')})")
        for key, value in scores.items():
            print(f"   {key}: {value}")
    for label in ("devon_names_only", "devon_with_registers"):
        for part, per_file in report[label].items():
            print(f"== {label} (Creditor Type codes), {part.replace('_', '-')} months")
            for file, recall in per_file.items():
                print(f"   {file}: {recall}")
    print("== Devon hand-checked sample:", report["devon_hand_checked_sample"])
    print("== Contracts Finder flags:", report["contracts_finder"])
    print(f"elapsed {report['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
