"""How well does the classifier read Devon's suppliers? Prints figures (needs ../shared/data).

Run: .venv/bin/python benchmarks/classify_eval.py

1. Recall against Devon County Council's own Creditor Type codes (2011-01, 2017-03, 2024-03 files;
   later files use coarse categories), names only, one count per distinct supplier name, redacted
   names excluded: CIC/CHTY/VCS/VH/CHU → should be vcse; WGA/UNI/EDUC → should be public. Shown
   with name rules only and with the register lookups in ../shared/data/registers.
2. Precision against the hand-checked sample (tests/fixtures/enrich/devon_hand_checked.csv).
3. Contracts Finder suppliers' own ``vcse`` and ``scale`` flags (OCDS releases).
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
from kil_analysis.paths import shared_data_dir  # noqa: E402

VCSE_CODES = ("CIC", "CHTY", "VCS", "VH", "CHU")
PUBLIC_CODES = ("WGA", "UNI", "EDUC")


def devon_names(root: Path) -> pd.DataFrame:
    """Distinct (supplier name, creditor type) pairs from Devon's coded files, redactions out."""
    frames = []
    for path in sorted((root / "spend" / "devon").glob("DCCSpendingOver500_20*.csv"))[:3]:
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", encoding_errors="replace")
        df.columns = [c.strip().lower() for c in df.columns]
        frames.append(df[["supplier name", "creditor type"]])
    df = pd.concat(frames).dropna()
    df.columns = ["name", "code"]
    df["name"] = df["name"].str.strip()
    df = df.drop_duplicates()
    return df[~df["name"].str.upper().str.contains(r"\bREDACTED\b")].reset_index(drop=True)


def recall(df: pd.DataFrame, registers) -> dict[str, float]:
    out = classify_suppliers(df["name"], registers)
    by_name = dict(zip(out["supplier_name"], out["org_type"], strict=False))
    df = df.assign(org_type=df["name"].map(by_name))
    # names that share a key with an earlier spelling take that row's answer
    from kil_analysis.enrich.keys import name_keys

    by_key = dict(zip(out["supplier_key"], out["org_type"], strict=False))
    df["org_type"] = df["org_type"].fillna(name_keys(df["name"]).map(by_key))
    vcse = df[df["code"].isin(VCSE_CODES)]
    public = df[df["code"].isin(PUBLIC_CODES)]
    return {
        "vcse_recall": round(float((vcse["org_type"] == "vcse").mean()), 3),
        "vcse_n": len(vcse),
        "public_recall": round(float((public["org_type"] == "public").mean()), 3),
        "public_n": len(public),
    }


def hand_checked_precision(registers) -> dict[str, object]:
    sample = pd.read_csv(ROOT / "tests" / "fixtures" / "enrich" / "devon_hand_checked.csv")
    out = classify_suppliers(sample["name"], registers)
    got = sample["name"].map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    judged = sample["judged_org_type"]
    result: dict[str, object] = {}
    for kind in ("vcse", "public", "private", "individual"):
        predicted = got == kind
        result[f"{kind}_precision"] = (
            round(float((judged[predicted] == kind).mean()), 3) if predicted.any() else None
        )
        result[f"{kind}_predicted"] = int(predicted.sum())
        truth = judged == kind
        result[f"{kind}_recall"] = (
            round(float((got[truth] == kind).mean()), 3) if truth.any() else None
        )
    known = judged != "unknown"
    result["agreement_where_judged"] = round(float((got[known] == judged[known]).mean()), 3)
    code_vcse = sample["devon_code"].isin(VCSE_CODES)
    result["devon_code_vs_hand_vcse_agreement"] = round(
        float(((judged == "vcse") == code_vcse).mean()), 3
    )
    return result


def contracts_finder(root: Path, registers) -> dict[str, object]:
    rows = []
    for path in sorted((root / "contracts" / "contracts-finder" / "releases").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        releases = data.get("releases", [data])
        for rel in releases:
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
    df["org_type"] = (
        df["name"].str.strip().map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    )
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
        "org_type_by_scale": df.groupby("scale", dropna=False)["org_type"]
        .value_counts()
        .unstack(fill_value=0)
        .to_dict(orient="index"),
    }


def main() -> int:
    root = shared_data_dir()
    if not (root / "spend" / "devon").is_dir():
        print(f"skipped: {root}/spend/devon not available")
        return 0
    names = devon_names(root)
    t0 = time.perf_counter()
    print("Devon creditor-type recall, name rules only:", recall(names, None))
    registers = load_registers(root / "registers", root / "lookups")
    print("Devon creditor-type recall, with register lookups:", recall(names, registers))
    print("Hand-checked sample (100 names):", hand_checked_precision(registers))
    print("Contracts Finder supplier flags:", contracts_finder(root, registers))
    print(f"elapsed {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
