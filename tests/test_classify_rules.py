"""Name rules: what a researcher would see if a supplier's type were read wrongly from its name."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.enrich import classify_suppliers
from kil_analysis.enrich.name_rules import apply_name_rules

CASES = [
    ("IVYBRIDGE ACADEMY TRUST", "public", None),
    ("VENTRUS MULTI ACADEMY TRUST", "public", None),
    ("DEVON PARTNERSHIP NHS TRUST", "public", None),
    ("ROYAL DEVON & EXETER N H S FOUNDATION TRUST", "public", None),
    ("CARYMOOR ENVIRONMENTAL TRUST", "vcse", "unincorporated"),
    ("OFFWELL WOODLAND & WILDLIFE TRST", "vcse", "charity"),
    ("EXETER CITY COUNCIL", "public", None),
    ("ST THOMAS PAROCHIAL CHURCH CNCL", "vcse", "faith group"),
    ("DEVON & CORNWALL POLICE", "public", None),
    ("DEVON & SOMERSET FIRE & RESCUE", "public", None),
    ("HMRC", "public", None),
    ("DEPARTMENT FOR WORK & PENSIONS", "public", None),
    ("UNIVERSITY OF EXETER", "public", None),
    ("ELBURTON PRIMARY SCHOOL", "public", None),
    ("REDACTIVE EVENTS LTD", "private", None),
    ("PEE WEES PERSONAL HOMECARE LTD", "private", None),
    ("TESCO PLC", "private", None),
    ("ACME CONSULTING LLP", "private", None),
    ("RUNNING DEER CIC", "vcse", "CIC"),
    ("SOUND COMMUNITIES C.I.C.", "vcse", "CIC"),
    ("FOOD COMMUNITY INTEREST COMPANY", "vcse", "CIC"),
    ("BRIGHT FUTURES CIO", "vcse", "CIO"),
    ("TOTNES COMMUNITY BENEFIT SOCIETY", "vcse", "community benefit society"),
    ("FARMERS CO-OPERATIVE", "vcse", "co-operative"),
    ("BRANSCOMBE VILLAGE HALL", "vcse", "village hall"),
    ("KENTISBURY & TRENTISHOE V H COMM", "vcse", "village hall"),
    ("TORRINGTON METHODIST CHURCH", "vcse", "faith group"),
    ("TEIGNBRIDGE C V S", "vcse", "charity"),
    ("NORTH DEVON VOLUNTARY SERVS LTD", "vcse", "charity"),
    ("I CAN CHARITY", "vcse", "charity"),
    ("TOPSHAM MUSEUM SOCIETY", "vcse", "unincorporated"),
    ("CREDITON ROTARY CLUB", "vcse", "charity"),
    ("CHURCHWOOD FOREST SCHOOL CIC", "vcse", "CIC"),
    ("MR J SMITH", "individual", None),
    ("JOHN SMITH", "individual", None),
    ("J A SMITH", "individual", None),
    ("XYZZY", "unknown", None),
]


@pytest.mark.parametrize(("name", "org_type", "form"), CASES)
def test_name_rules_read_the_name(name: str, org_type: str, form: str | None) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == org_type, got["rule"]
    if form:
        assert got["vcse_form"] == form


def test_redacted_rows_are_individuals_but_redactive_events_is_not() -> None:
    out = classify_suppliers(
        ["REDACTED UNDER DP ACT", "Redacted Personal Data", "REDACTIVE EVENTS LTD"]
    )
    assert out["org_type"].tolist() == ["individual", "individual", "private"]
    assert out["evidence"].tolist()[:2] == ["redacted", "redacted"]


def test_classify_returns_documented_columns_and_float_confidence() -> None:
    out = classify_suppliers(pd.Series(["Acme Ltd", "ACME LIMITED", "Age UK Devon"]))
    for col in (
        "supplier_name",
        "supplier_key",
        "org_type",
        "vcse_form",
        "evidence",
        "confidence",
        "match_method",
        "register_id",
    ):
        assert col in out
    assert len(out) == 2  # one row per supplier_key: "Acme Ltd" and "ACME LIMITED" group
    assert out["confidence"].between(0, 1).all()
    assert out.loc[out["supplier_name"] == "Age UK Devon", "vcse_form"].item() == "charity"
