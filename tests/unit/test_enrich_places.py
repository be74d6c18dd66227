"""Where each supplier is: postcodes placed offline with the packaged ONS Postcode Directory,
wards from Code-Point Open, councils as their own area; "not measured" rather than guessed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.config import load_council
from kil_analysis.enrich.locality import PLACE_COLUMNS, place_postcodes
from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
from kil_analysis.readers.registers.postcodes import codepoint_to_parquet, is_codepoint_open
from kil_analysis.readers.registers.shape import Registers, org_frame

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


def _schools_and_councils() -> Registers:
    """Two schools named alike (one in Newcastle, one in Bristol), two alike elsewhere, and
    two councils placed as their own areas, with the district lookup for their regions."""
    orgs = pd.concat(
        [
            org_frame(
                register_id=["GB-EDU-1", "GB-EDU-2", "GB-EDU-3", "GB-EDU-4"],
                name=[
                    "St Mary's Primary School",
                    "St Mary's Primary School",
                    "Holy Trinity Primary School",
                    "Holy Trinity Primary School",
                ],
                org_type="public",
                public_kind="school",
                postcode=["BS1 4DJ", "NE1 1AD", "BS1 4DJ", "SW1A 1AA"],
                active=[True, False, True, True],
                register="schools (Get Information About Schools)",
            ),
            org_frame(
                register_id=["GB-LAE-SND", "GB-LAE-BST"],
                name=["Sunderland City Council", "Bristol City Council"],
                org_type="public",
                public_kind="council",
                area_code=["E08000024", "E06000023"],
                register="local authorities",
            ),
        ],
        ignore_index=True,
    )
    districts = {"SR1": ["E08000024"], "SR2": ["E08000024"], "BS1": ["E06000023"]}
    return Registers(organisations=orgs, district_lads=districts)


def test_a_name_several_bodies_share_is_placed_only_by_the_one_in_the_council() -> None:
    # a council pays its own school: of two St Mary's (the one in Newcastle now closed) the
    # Newcastle one places the supplier; two Holy Trinity schools elsewhere place nobody
    names = ["ST MARYS PRIMARY SCHOOL", "HOLY TRINITY PRIMARY SCHOOL", "SUNDERLAND CITY COUNCIL"]
    names.append("BRISTOL CITY COUNCIL")
    spend = pd.DataFrame(
        {
            "supplier_name": names,
            "supplier_key": names,
            "amount_pence": [100_00, 200_00, 300_00, 400_00],
            "is_redacted": False,
        }
    )
    table, _ = enrich_suppliers_and_merges(spend, NEWCASTLE, _schools_and_councils())
    by = table.set_index("supplier_key")
    assert by.loc["ST MARYS PRIMARY SCHOOL", ["org_type", "locality", "postcode"]].tolist() == [
        "public",
        "in_area",
        "NE1 1AD",
    ]
    # the register entry named is the school the supplier is placed by, not the Bristol one
    assert by.loc["ST MARYS PRIMARY SCHOOL", "register_id"] == "GB-EDU-2"
    assert by.loc["HOLY TRINITY PRIMARY SCHOOL", "org_type"] == "public"
    assert by.loc["HOLY TRINITY PRIMARY SCHOOL", "locality"] == "unknown"
    # councils as their own areas: Sunderland's postcode districts lie in the North East's
    # postcode areas (Newcastle's region); Bristol's do not
    assert by.loc["SUNDERLAND CITY COUNCIL", "locality"] == "in_region"
    assert by.loc["BRISTOL CITY COUNCIL", "locality"] == "outside"
