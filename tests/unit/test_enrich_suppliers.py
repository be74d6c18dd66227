"""Locality against the council config, overrides winning, and the enriched supplier table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kil_analysis.config import load_council
from kil_analysis.enrich import enrich_suppliers, load_registers
from kil_analysis.enrich.locality import assign_locality
from kil_analysis.schema import SUPPLIER_COLUMNS

BRISTOL = load_council("bristol")


def test_cross_boundary_district_is_ambiguous_never_local(tmp_path: Path) -> None:
    lookup = {
        "localAuthorities": {},
        "postcodes": {
            "BS1": ["E06000023"],
            "BS8": ["E06000023", "E06000024"],
            "BA1": ["E06000022"],
            "M1": ["E08000003"],
        },
    }
    (tmp_path / "postcode_district_to_lad.json").write_text(json.dumps(lookup))
    regs = load_registers(tmp_path, tmp_path)
    got = assign_locality(
        pd.Series(["BS1 4DJ", "BS8 1TH", "BA1 1AA", "M1 1AE", ""]),
        BRISTOL,
        district_lads=regs.district_lads,
    )
    assert got["locality"].tolist() == ["in_area", "unknown", "in_region", "outside", "unknown"]
    assert got["locality_ambiguous"].tolist() == [False, True, False, False, False]
    assert "ambiguous" in got["locality_evidence"].iloc[1]


def test_onspd_extract_resolves_unit_postcodes(tmp_path: Path) -> None:
    (tmp_path / "ONSPD_extract.csv").write_text(
        "pcd,pcds,oslaua,osward,rgn\n"
        "BS8 1TH,BS8 1TH,E06000023,E05010892,E12000009\n"
        "BS8 3PH,BS8 3PH,E06000024,E05010000,E12000009\n"
        "M1  1AE,M1 1AE,E08000003,E05000000,E12000002\n"
    )
    regs = load_registers(tmp_path / "none", tmp_path)
    got = assign_locality(
        pd.Series(["bs81th", "BS8 3PH", "M1 1AE"]), BRISTOL, onspd=regs.onspd_parquet
    )
    assert got["locality"].tolist() == ["in_area", "in_region", "outside"]
    assert (got["locality_confidence"] == 0.95).all()


def test_config_only_locality_is_weaker_evidence_and_boundary_districts_stay_unknown() -> None:
    got = assign_locality(pd.Series(["BS1 4DJ", "EX1 1AA", "LS1 1AA", "BS8 1TH"]), BRISTOL)
    assert got["locality"].tolist() == ["in_area", "in_region", "outside", "unknown"]
    assert got["locality_confidence"].iloc[0] < 1.0
    assert "wholly inside" in got["locality_evidence"].iloc[0]
    assert "ambiguous" in got["locality_evidence"].iloc[3]


def spend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "supplier_name": [
                "Acme Ltd",
                "ACME LIMITED",
                "Redacted Personal Data",
                "St Pauls Church",
                "Bristol City Council",
                "Mystery",
            ],
            "amount_pence": [100_00, 50_00, 999_00, 20_000_00, 5_00, 1_00],
            "postcode": ["BS1 4DJ", None, None, "BS8 1TH", None, None],
        }
    )


def test_enrich_gives_one_row_per_supplier_with_schema_columns() -> None:
    out = enrich_suppliers(spend(), BRISTOL)
    assert list(out.columns[: len(SUPPLIER_COLUMNS)]) == SUPPLIER_COLUMNS
    assert out["supplier_key"].is_unique and len(out) == 5
    acme = out.set_index("supplier_key").loc["ACME LTD"]
    assert acme["total_pence"] == 150_00 and acme["rows"] == 2
    assert acme["locality"] == "in_area" and acme["org_type"] == "private"
    red = out[out["org_type_evidence"] == "redacted"]
    assert red["org_type"].tolist() == ["individual"]


def test_overrides_always_win_and_are_marked(tmp_path: Path) -> None:
    path = tmp_path / "bristol.csv"
    pd.DataFrame(
        {
            "supplier_key": ["ACME LTD", "MYSTERY"],
            "org_type": ["vcse", ""],
            "vcse_form": ["charity", ""],
            "size": ["", "small"],
            "locality": ["outside", ""],
            "note": ["checked register", ""],
        }
    ).to_csv(path, index=False)
    out = enrich_suppliers(spend(), BRISTOL, overrides_path=path).set_index("supplier_key")
    acme = out.loc["ACME LTD"]
    assert (acme["org_type"], acme["vcse_form"], acme["locality"]) == ("vcse", "charity", "outside")
    assert acme["overridden"] and acme["org_type_evidence"] == "override: checked register"
    assert acme["org_type_confidence"] == 1.0
    assert out.loc["MYSTERY", "size"] == "small" and out.loc["MYSTERY", "size_rule"] == "override"
    assert not out.loc["BRISTOL CITY COUNCIL", "overridden"]
