"""A GP practice named only by its building is not the evidence for a supplier of that name."""

from __future__ import annotations

from pathlib import Path

import pytest

import kil_analysis.enrich  # noqa: F401  (import order: the registers' shape needs enrich first)
from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.public_bodies import BUILDING_NAME, read_nhs_ods
from kil_analysis.readers.registers.shape import Registers


def _epraccur(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = []
    for code, name in rows:
        cells = [code, name, "Y54", "Q52", "1 ROAD", "", "EXAMPLETON", "", "", "EX1 1AA"]
        cells += ["20090101", ""] + [""] * 13 + ["4", ""]
        lines.append(",".join(f'"{c}"' for c in cells) + "\n")
    path = tmp_path / "epraccur.csv"
    path.write_text("".join(lines))
    return path


@pytest.mark.parametrize(
    "key",
    [
        "ORCHARD HOUSE",
        "MEADOW VIEW",
        "SWAN LODGE",
        "FIRS",
        "HOMESTEAD",
        "TY NEWYDD",
        "NORTH HILL HOUSE",
    ],
)
def test_names_of_buildings(key: str) -> None:
    assert BUILDING_NAME.search(key)


@pytest.mark.parametrize(
    "key", ["ORCHARD HOUSE SURGERY", "MEADOW VIEW MEDICAL CENTRE", "PETROC", "HOUSE OF FRASER LTD"]
)
def test_names_that_say_what_they_are_are_not_buildings(key: str) -> None:
    assert not BUILDING_NAME.search(key)


def test_a_practice_named_by_its_building_is_kept_but_not_matched_by_name(tmp_path: Path) -> None:
    path = _epraccur(tmp_path, [("A00001", "ORCHARD HOUSE"), ("A00002", "ORCHARD HOUSE SURGERY")])
    regs = Registers(organisations=read_nhs_ods(path))
    assert regs.organisations["register_id"].tolist() == ["GB-NHS-A00001", "GB-NHS-A00002"]
    out = classify_suppliers(["ORCHARD HOUSE", "ORCHARD HOUSE SURGERY"], regs)
    # a care home or office of that name is as likely: no register evidence (the house-name
    # rule may read it as a care home, private at low confidence, but never as the practice)
    assert out["register_id"].iloc[0] is None and out["org_type"].iloc[0] != "public"
    assert out["register_id"].iloc[1] == "GB-NHS-A00002"
    assert out["postcode"].iloc[1] == "EX1 1AA"
