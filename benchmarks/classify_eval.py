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
from kil_analysis.enrich.evaluation import (  # noqa: E402
    devon_coded_names,
    hand_checked_precision,
    recall_against_codes,
)
from kil_analysis.paths import shared_data_dir  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "enrich" / "devon_hand_checked.csv"


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
    names = devon_coded_names(root)
    t0 = time.perf_counter()
    print("Devon creditor-type recall, name rules only:", recall_against_codes(names, None))
    registers = load_registers(root / "registers", root / "lookups")
    print(
        "Devon creditor-type recall, with register lookups:", recall_against_codes(names, registers)
    )
    print(
        "Hand-checked sample (100 names):", hand_checked_precision(pd.read_csv(SAMPLE), registers)
    )
    print("Contracts Finder supplier flags:", contracts_finder(root, registers))
    print(f"elapsed {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
