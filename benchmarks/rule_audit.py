"""How many real supplier names does each abbreviation and known organisation match?

Run: .venv/bin/python benchmarks/rule_audit.py [--json]

Reads every shared spend file (../shared/data/spend: Newcastle, Gateshead, Devon, Trafford),
takes the distinct published supplier names, and prints for each entry of
``name_rules.ABBREVIATIONS`` and ``known_organisations.csv``: the distinct names it matches, the
councils they come from, and (known organisations) whether a shared register already holds the
name. An entry that matches one name in one council's files exists for that name, not for how
finance systems write names: it should be justified or dropped.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kil_analysis.enrich.keys import match_keys, name_keys  # noqa: E402
from kil_analysis.enrich.name_rules import (  # noqa: E402
    ABBREVIATIONS,
    known_organisations,
    match_known_organisations,
    plain_text,
    rule_text,
)
from kil_analysis.paths import shared_data_dir  # noqa: E402
from kil_analysis.readers.spend import ingest_spend  # noqa: E402

COUNCILS = {
    "newcastle": ["spend/newcastle/raw", "spend/newcastle/odileeds_clean"],
    "gateshead": ["spend/gateshead/odileeds_clean"],
    "devon": ["spend/devon"],
    "trafford": ["spend/trafford"],
}


def shared_names(root: Path) -> pd.DataFrame:
    """Distinct (council, supplier name) pairs from every shared spend file, redactions out."""
    frames = []
    for council, folders in COUNCILS.items():
        paths = [root / f for f in folders if (root / f).is_dir()]
        if not paths:
            continue
        spend = ingest_spend(paths).spend
        names = spend.loc[~spend["is_redacted"], "supplier_name"].dropna().drop_duplicates()
        frames.append(pd.DataFrame({"council": council, "name": names.to_numpy()}))
    return pd.concat(frames, ignore_index=True).drop_duplicates()


def abbreviation_counts(names: pd.DataFrame) -> pd.DataFrame:
    """Distinct names and councils per abbreviation (whole word in the plain name)."""
    plain = plain_text(names["name"])
    rows = []
    for short, full in ABBREVIATIONS.items():
        hit = plain.str.contains(rf"\b{re.escape(short)}\b", regex=True)
        rows.append(
            {
                "abbreviation": short,
                "expands_to": full,
                "names": int(hit.sum()),
                "councils": int(names.loc[hit, "council"].nunique()),
                "example": names.loc[hit, "name"].iloc[0] if hit.any() else "",
            }
        )
    return pd.DataFrame(rows).sort_values(["names", "abbreviation"])


def known_counts(names: pd.DataFrame, registers) -> pd.DataFrame:
    """Distinct names and councils per known organisation, and whether a register holds it."""
    found = match_known_organisations(rule_text(names["name"]))
    table = known_organisations()
    held = set()
    if registers is not None and len(registers.organisations):
        keys = match_keys(name_keys(table["name"]))
        held = set(table.loc[keys.isin(set(registers.organisations["match_key"])), "name"])
    rows = []
    for name in table["name"]:
        hit = found["name"].eq(name)
        rows.append(
            {
                "known_organisation": name,
                "names": int(hit.sum()),
                "councils": int(names.loc[hit.to_numpy(), "council"].nunique()),
                "in_shared_register": name in held,
            }
        )
    return pd.DataFrame(rows).sort_values(["names", "known_organisation"])


def main() -> int:
    from kil_analysis.enrich import load_registers

    root = shared_data_dir()
    if not (root / "spend").is_dir():
        print(f"skipped: {root}/spend not available")
        return 0
    names = shared_names(root)
    registers = load_registers(root / "registers", root / "lookups")
    abbreviations = abbreviation_counts(names)
    known = known_counts(names, registers)
    if "--json" in sys.argv:
        print(
            json.dumps(
                {
                    "abbreviations": abbreviations.to_dict("records"),
                    "known": known.to_dict("records"),
                },
                indent=1,
            )
        )
        return 0
    print(f"{len(names):,} distinct names in {names['council'].nunique()} councils' files")
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(abbreviations.to_string(index=False))
        print(known.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
