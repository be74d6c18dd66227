"""Where each supplier is: postcodes placed offline with the packaged ONS Postcode Directory,
wards from Code-Point Open, councils as their own area; "not measured" rather than guessed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.config import load_council
from kil_analysis.enrich.locality import PLACE_COLUMNS, place_postcodes
from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
from kil_analysis.readers.registers.postcodes import codepoint_to_parquet, is_codepoint_open

NEWCASTLE = load_council("newcastle")


def test_any_full_postcode_is_placed_without_a_download() -> None:
    got = place_postcodes(pd.Series(["ne1 1ad", "NE81HH", "SW1A 1AA", "NE1", "not one", None]))
    assert set(PLACE_COLUMNS) <= set(got.columns)
    assert got["postcode"].tolist()[:3] == ["NE1 1AD", "NE8 1HH", "SW1A 1AA"]
    assert got["council_code"].tolist()[:3] == ["E08000021", "E08000037", "E09000033"]
    assert got["easting"].iloc[0] > 400_000 and got["northing"].iloc[0] > 500_000
    assert got["council_code"].iloc[3:].isna().all() and got["postcode"].iloc[3:].isna().all()


def test_codepoint_open_adds_wards(tmp_path: Path) -> None:
    row = (
        '"NE1 1AD",10,424722,563716,"E92000001","E19000001","E18000001","","E08000021","E05011453"'
    )
    path = tmp_path / "ne.csv"
    path.write_text(row + "\n")
    assert is_codepoint_open(row.replace('"', "").split(","))
    parquet = codepoint_to_parquet([path], tmp_path / "cp.parquet")
    got = place_postcodes(pd.Series(["NE1 1AD"]), codepoint=parquet)
    assert got["ward_code"].item() == "E05011453"


def test_suppliers_are_placed_from_every_postcode_source(tmp_path: Path) -> None:
    spend = pd.DataFrame(
        {
            "supplier_name": ["RIVERSIDE CAFE", "GATESHEAD MBC", "FAR AWAY LTD", "NOWHERE LTD"],
            "supplier_key": ["RIVERSIDE CAFE", "GATESHEAD MBC", "FAR AWAY LTD", "NOWHERE LTD"],
            "amount_pence": [100_00, 200_00, 300_00, 400_00],
            "postcode": ["NE1 1AD", None, None, None],
            "is_redacted": False,
        }
    )
    grants = pd.DataFrame({"supplier_key": ["FAR AWAY LTD"], "postcode": ["SW1A 1AA"]})
    table, _ = enrich_suppliers_and_merges(spend, NEWCASTLE, extra_postcodes=grants)
    by = table.set_index("supplier_key")
    assert by.loc["RIVERSIDE CAFE", ["locality", "postcode_source"]].tolist() == [
        "in_area",
        "published with payments",
    ]
    assert by.loc["FAR AWAY LTD", ["locality", "postcode_source"]].tolist() == [
        "outside",
        "grants or contracts",
    ]
    assert by.loc["NOWHERE LTD", "locality"] == "unknown"  # no postcode: not guessed
