"""Each register is recognised by its layout, whatever the file is called, and read into the one
result shape; small registers are converted once and read back from the Parquet cache."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.enrich import classify_suppliers, load_registers
from kil_analysis.readers.registers.discover import recognise
from kil_analysis.readers.registers.public_bodies import council_name_variants, initialism
from kil_analysis.readers.registers.shape import ORG_COLUMNS

# First lines of the real files (shared/data/registers), with made-up rows after them.
FILES = {
    "other_names.zip": None,  # written below (zipped JSON, as the Commission publishes it)
    "a.csv": "org_id,reg_number,name,postcode,active,date_registered,activities,objects,source,"
    "income,spending,fye,Batch ID,web,company_number,UKCAT,ICNPTSO\n"
    "GB-CHC-1000003,1000003,RIVERSIDE CARERS CENTRE,NE8 1HH,True,1990-08-02,,,,"
    "250000,,,,,,,\n",
    "b.csv": "organisation_name,registration_number,registration_date,designation,corporate_form\n"
    "Tyne Homes Limited,L0001,01/01/1970,Non-profit,Registered society\n"
    "Big Landlord PLC,4999,01/01/2010,Profit,Company\n"
    "Irwell Example Housing Association Limited,L0002,01/01/1970,Non-profit,Registered society\n"
    "Wear Homes Limited,L0003,01/01/1970,Non-profit,Registered society\n",
    "c.tsv": "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\t"
    "end-date\n"
    "GAT\tMD\tGateshead\tGateshead Metropolitan Borough Council\t1974-04-01\t\n"
    "SND\tMD\tSunderland\tSunderland City Council\t1974-04-01\t\n",
    "d.tsv": "police-force\tname\nnorthumbria\tNorthumbria Police\n",
    "e.tsv": "fire-service-eng\tname\n001\tTyne and Wear Fire and Rescue Service\n",
    "f.csv": '"R0B","SOUTH TYNESIDE AND SUNDERLAND NHS FOUNDATION TRUST","Y63","QHM","KAYLL ROAD",'
    '"","","SUNDERLAND","","SR4 7TP","20190401","","","","","","","","","","","1","","A",'
    '"","",""\n',
    "g.csv": "urn,name,town,postcode,lead_school,open_date,close_date\n"
    '100001,Riverside Primary School,Gateshead,NE8 2AA,false,"",""\n'
    '100002,Hillside Prep School,Gateshead,NE9 5AA,false,"",""\n',
    "h.csv": "URN,EstablishmentName,charity_number,company_number,charity_name,active\n"
    "100002,Hillside Prep School,,01234567,,True\n",
    "i.csv": "GB-GOR,Name,Type,GOVUK URL,URL,Updated\n"
    'D25,"HM Revenue & Customs",Non-ministerial department,,,\n'
    'EA74,"Driver and Vehicle Standards Agency",Executive agency,,,\n',
    "j.csv": "Identifier,Name,Description,Organisational Structure,Primary Activity,Activities,"
    "Street Address,Locality,Region,Postcode,Country ID,Territory ID,Website,Phone,Email,Twitter,"
    "Facebook,Companies House Number,Qualifiers,Membership Type,Latitude,Longitude,Geo Container,"
    "Geo Container Latitude,Geo Container Longitude,Sector,SIC Section,SIC Code,"
    "Ownership Classification,Legal Form\n"
    'R1,Quayside Food Co-operative,,,,,"1 Quay\nStreet",Newcastle,,NE1 3AA,GB,,,,,,,,,,,,,,,,,,,'
    "Society\n",
    "k.csv": "transferor_name,transferor_regno,transferor_subno,transferee_name,transferee_regno,"
    "transferee_subno,date_vesting_declaration,date_property_transferred,date_merger_registered\n"
    "Felling Old Peoples Welfare Committee,502001,0,Gateshead Elders Together,1170001,0,,"
    "2019-03-31 00:00:00,2019-06-01 00:00:00\n"
    "Windy Nook Youth Club,,0,Windy Nook Community Sports Limited,,0,,,2020-01-01 00:00:00\n"
    "Tyne Valley Care Association,1050001,0,Tyne Valley Housing Association,1150002,0,,,\n"
    "Old Riverside Carers,1000099,0,RIVERSIDE CARER'S CENTRE,1000003,0,,,\n",
}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    regs = tmp_path / "registers"
    regs.mkdir()
    for name, text in FILES.items():
        if text is not None:
            (regs / name).write_text(text, encoding="utf-8")
    records = [
        {
            "registered_charity_number": 1234567,
            "linked_charity_number": 0,
            "charity_name_type": "Working name",
            "charity_name": "TYNESIDE BEFRIENDERS",
        },
        {
            "registered_charity_number": 1234568,
            "linked_charity_number": 0,
            "charity_name_type": "Working name",
            "charity_name": "SCC",
        },
    ]
    with zipfile.ZipFile(regs / "other_names.zip", "w") as zf:
        zf.writestr("x.json", "\ufeff" + json.dumps(records))
    lookups = tmp_path / "lookups"
    lookups.mkdir()
    (lookups / "lad_names.json").write_text(
        json.dumps({"E08000037": "Gateshead", "E08000024": "Sunderland"})
    )
    return tmp_path


def test_every_register_is_recognised_by_its_layout_not_its_name(folder: Path) -> None:
    regs = load_registers(folder / "registers", folder / "lookups")
    labels = " | ".join(regs.sources)
    for label in (
        "Charity Commission other names",
        "UK-CAT charities",
        "social housing providers",
        "English local authorities",
        "police forces",
        "fire and rescue services",
        "NHS organisations (ODS)",
        "schools",
        "independent schools",
        "GOV.UK organisations",
        "Co-operatives UK (2023 layout)",
        "charity register of mergers",
    ):
        assert label in labels
    assert regs.unrecognised == []
    assert list(regs.organisations.columns) == ORG_COLUMNS


def test_an_unknown_file_is_listed_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("what,is,this\n1,2,3\n")
    assert recognise(tmp_path / "notes.csv") is None
    regs = load_registers(tmp_path, None)
    assert regs is None or regs.unrecognised == ["notes.csv"]


def test_registers_answer_who_each_supplier_is(folder: Path) -> None:
    regs = load_registers(folder / "registers", folder / "lookups")
    names = [
        "GATESHEAD MBC",
        "CITY OF SUNDERLAND",
        "Tyneside Befrienders",
        "Riverside Carers Centre",
        "Tyne Homes Ltd",
        "Big Landlord PLC",
        "HILLSIDE PREP SCHOOL",
        "DVSA",
        "Quayside Food Co-operative Ltd",
        "NORTHUMBRIA CONSTABULARY",
        "FELLING OLD PEOPLES WELFARE CTTEE",
        "GATESHEAD ELDERS TOGETHER",
        "WINDY NOOK COMMUNITY SPORTS",
        "TYNE VALLEY HOUSING ASSOC",
        "S C C",
        "IRWELL EXAMPLE HOUSING",
        "IRWELL EXAMPLE",
        "WEAR",
    ]
    out = classify_suppliers(names, regs).set_index("supplier_name")
    # a charity that merged into another is still paid under its old name for years; the
    # finance system's CTTEE / ASSOC are read as the register writes them
    assert out.loc["FELLING OLD PEOPLES WELFARE CTTEE", ["org_type", "register_id"]].tolist() == [
        "vcse",
        "GB-CHC-502001",
    ]
    assert out.loc["GATESHEAD ELDERS TOGETHER", "register_id"] == "GB-CHC-1170001"
    assert out.loc["TYNE VALLEY HOUSING ASSOC", "register_id"] == "GB-CHC-1150002"
    # a side of a merger with no charity number may be a company: its name is not evidence
    assert out.loc["WINDY NOOK COMMUNITY SPORTS", "org_type"] == "unknown"
    # three single letters joined are initials too many bodies share (a county council, a
    # computer firm, a charity): not taken for the charity registered as SCC
    assert out.loc["S C C", "org_type"] == "unknown"
    # a housing association by the short names finance systems give it; never by one word
    for short in ("IRWELL EXAMPLE HOUSING", "IRWELL EXAMPLE"):
        assert out.loc[short, ["org_type", "register_id"]].tolist() == ["vcse", "GB-SHPE-L0002"]
    assert out.loc["WEAR", "org_type"] == "unknown"
    assert out.loc["GATESHEAD MBC", ["org_type", "area_code"]].tolist() == ["public", "E08000037"]
    assert out.loc["CITY OF SUNDERLAND", "org_type"] == "public"
    assert out.loc["Tyneside Befrienders", ["org_type", "register_id"]].tolist() == [
        "vcse",
        "GB-CHC-1234567",
    ]
    # the charity is in two lists (one without its address): the row with the address is taken
    assert out.loc["Riverside Carers Centre", "postcode"] == "NE8 1HH"
    assert out.loc["Tyne Homes Ltd", ["org_type", "vcse_form"]].tolist() == [
        "vcse",
        "housing association",
    ]
    assert out.loc["Big Landlord PLC", "org_type"] == "private"
    # listed by Get Information About Schools, but an independent school (a company)
    assert out.loc["HILLSIDE PREP SCHOOL", "org_type"] == "private"
    assert out.loc["DVSA", ["org_type", "register_id"]].tolist() == ["public", "GB-GOR-EA74"]
    assert out.loc["Quayside Food Co-operative Ltd", "org_type"] == "vcse"
    assert out.loc["NORTHUMBRIA CONSTABULARY", "org_type"] == "public"


def test_registers_are_converted_once_and_read_from_the_cache(folder: Path, monkeypatch) -> None:
    monkeypatch.setenv("KIL_DATA_DIR", str(folder / "data"))
    first = load_registers(folder / "registers", folder / "lookups")
    cached = sorted((folder / "data" / "cache" / "registers").rglob("*.parquet"))
    assert not (folder / "registers" / "_parquet").exists()  # the registers folder is not written
    assert len(cached) >= 10
    stamps = {p: p.stat().st_mtime_ns for p in cached}
    again = load_registers(folder / "registers", folder / "lookups")
    assert {p: p.stat().st_mtime_ns for p in cached} == stamps
    pd.testing.assert_frame_equal(first.organisations, again.organisations)
    # a changed file is converted again
    with (folder / "registers" / "d.tsv").open("a") as fh:
        fh.write("durham\tDurham Constabulary\n")
    changed = load_registers(folder / "registers", folder / "lookups")
    assert changed.organisations["name"].str.contains("DURHAM").any()


def test_council_names_as_finance_systems_write_them() -> None:
    met = council_name_variants("Gateshead", "Gateshead Metropolitan Borough Council", "MD")
    assert {"GATESHEAD MBC", "GATESHEAD COUNCIL", "GATESHEAD METROPOLITAN BOROUGH COUNCIL"} <= set(
        met
    )
    city = council_name_variants("Sunderland", "Sunderland City Council", "MD")
    assert {"CITY OF SUNDERLAND", "SUNDERLAND CC", "SUNDERLAND CITY COUNCIL"} <= set(city)
    assert "NEWCASTLE CITY COUNCIL" in council_name_variants(
        "Newcastle upon Tyne", "Newcastle upon Tyne City Council", "MD"
    )
    county = council_name_variants("Devon", "Devon County Council", "CTY")
    assert {"DEVON CC", "DEVON COUNTY COUNCIL"} <= set(county)
    assert "LB CAMDEN" in council_name_variants("Camden", "London Borough of Camden", "LBO")


def test_councils_under_their_official_names_kind_as_initials() -> None:
    # the official name's place with its kind as initials, where the short name differs
    city = council_name_variants("City of Anyport", "Anyport City Council", "UA")
    assert "ANYPORT CC" in city
    met = council_name_variants("Milltown", "City of Milltown Metropolitan District Council", "MD")
    assert "CITY OF MILLTOWN MDC" in met
    county = council_name_variants("County Wessex", "Wessex County Council", "UA")
    assert "WESSEX CC" in county


def test_a_unitary_named_place_council_keeps_its_former_kinds() -> None:
    # a unitary that was a county or borough council is still written so in ledgers
    plain = council_name_variants("Wessex", "Wessex Council", "UA")
    assert {"WESSEX CC", "WESSEX BC", "WESSEX COUNTY COUNCIL"} <= set(plain)
    # a unitary whose official name states its kind keeps that kind only
    borough = council_name_variants("Mercia", "Mercia Borough Council", "UA")
    assert "MERCIA BC" in borough and "MERCIA CC" not in borough
    # a shire district is not given a unitary's former kinds
    assert "EASTLEIGH CC" not in council_name_variants("Eastleigh", "Eastleigh Council", "NMD")


def test_initialisms_of_public_bodies() -> None:
    assert initialism("HM Revenue & Customs") == "HMRC"
    assert initialism("Driver and Vehicle Standards Agency") == "DVSA"
    assert initialism("Home Office") is None  # too short to be safe


def test_an_ods_prescribing_centre_that_names_a_home_or_hospice_is_not_an_nhs_body(
    tmp_path: Path,
) -> None:
    from kil_analysis.readers.registers.public_bodies import read_nhs_ods

    def row(code: str, name: str, setting: str) -> str:
        cells = [code, name, "Y54", "Q52", "1 ROAD", "", "EXAMPLETON", "", "", "EX1 1AA"]
        cells += ["20090101", ""] + [""] * 13 + [setting, ""]
        return ",".join(f'"{c}"' for c in cells) + "\n"

    path = tmp_path / "epraccur.csv"
    # the real extract lists homes as prescribing cost centres, some under setting 4 (GP)
    path.write_text(
        row("A00001", "EXAMPLE MEDICAL PRACTICE", "4")
        + row("Y00001", "EXAMPLE NURSING HOME", "4")
        + row("Y00002", "ST EXAMPLE'S HOSPICE", "4")
    )
    assert read_nhs_ods(path)["name"].tolist() == ["EXAMPLE MEDICAL PRACTICE"]


def test_a_housing_provider_carries_the_numbers_the_providers_list_gives_it(
    folder: Path,
) -> None:
    # rsp-charity-number.csv's layout: the regulator's code, Companies House / Mutuals Public
    # Register number, charity number
    (folder / "registers" / "numbers.csv").write_text(
        "RP Code,Company Number,Charity Number,Org ID\n"
        "L0001,IP00123R,1099999,GB-CHC-1099999\n"
        "L0003,IP00456R,,GB-COH-IP00456R\n"
    )
    regs = load_registers(folder / "registers", folder / "lookups")
    assert "registered providers' numbers (numbers.csv)" in regs.sources
    rows = regs.organisations.drop_duplicates("register_id").set_index("register_id")
    assert rows.loc["GB-SHPE-L0001", "charity_number"] == "1099999"
    assert rows.loc["GB-SHPE-L0001", "company_number"] == "IP00123R"
    assert pd.isna(rows.loc["GB-SHPE-L0003", "charity_number"])
    # the numbers list's own rows name no one: they are not left for name matching
    assert not regs.organisations["name"].eq("").any()
    # a payment that publishes the provider's society number finds the provider
    from kil_analysis.enrich.keys import name_keys

    name = "TYNE RENTS ACCOUNT"
    ids = pd.DataFrame(
        {"supplier_key": name_keys(pd.Series([name])), "company_number": ["IP00456R"]}
    )
    got = classify_suppliers([name], regs, ids=ids).iloc[0]
    assert got["register_id"] == "GB-SHPE-L0003", got["evidence"]


def test_a_government_body_is_found_without_its_territory_or_office_tail(tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(
        "GB-GOR,Name,Type,GOVUK URL,URL,Updated\n"
        "PB1,Widget Standards Board for England and Wales,Other,,,\n"
        "PB2,Chief Widget Inspector's Office,Other,,,\n"
        "PB3,Bank of Widgets,Other,,,\n"
        "PB4,Widget Council for England,Other,,,\n"
        "PB5,Widget Council for Great Britain,Other,,,\n"
        "PB6,Widget Board for Scotland,Other,,,\n"
    )
    regs = load_registers(tmp_path, None)
    got = classify_suppliers(
        ["WIDGET STANDARDS BOARD", "CHIEF WIDGET INSPECTOR", "BANK", "WIDGET BOARD"], regs
    )
    assert got["register_id"].tolist()[:2] == ["GB-GOR-PB1", "GB-GOR-PB2"]
    assert got["org_type"].tolist()[:2] == ["public", "public"]
    # "of <place>" is part of a name; a Scottish body keeps its territory
    assert got["register_id"].isna().tolist()[2:] == [True, True]
    # a short name two bodies share names neither
    names = regs.organisations["match_key"]
    assert not names.eq("WIDGET COUNCIL").any()


def test_an_nhs_trust_is_found_under_its_name_without_nhs_trust(tmp_path: Path) -> None:
    def row(code: str, name: str) -> str:
        cells = [code, name, "Y54", "Q52", "1 ROAD", "", "EXAMPLETON", "", "", "EX1 1AA"]
        cells += ["20090101", ""] + [""] * 15
        return ",".join(f'"{c}"' for c in cells) + "\n"

    (tmp_path / "etr.csv").write_text(
        row("RX1", "WESSEX VALE HOSPITALS NHS FOUNDATION TRUST")
        + row("RX2", "MERCIA COMMUNITY CARE NHS TRUST")
        + row("RX3", "NORTH WESSEX NHS TRUST")  # places alone: a council's or an area's name
        + row("RX4", "ANYPORT UNIVERSITY NHS FOUNDATION TRUST")  # a university's name too
        + row("RX5", "OAKLEAS NHS TRUST")  # one word: another body's or a firm's name too
    )
    regs = load_registers(tmp_path, None)
    names = ["WESSEX VALE HOSPITALS", "MERCIA COMMUNITY CARE", "NORTH WESSEX", "OAKLEAS"]
    # a care firm or a social enterprise named as a trust is known for short is not the trust
    firms = [
        "MERCIA COMMUNITY CARE LTD",
        "WESSEX VALE HOSPITALS LIMITED",
        "MERCIA COMMUNITY CARE CIC",
    ]
    got = classify_suppliers(names + firms, regs).set_index("supplier_name")
    assert got.loc[firms, "org_type"].tolist() == ["private", "private", "vcse"]
    assert got.loc["WESSEX VALE HOSPITALS", "register_id"] == "GB-NHS-RX1"
    assert got.loc["MERCIA COMMUNITY CARE", "org_type"] == "public"
    assert got.loc["NORTH WESSEX", "org_type"] == "unknown"
    assert got.loc["OAKLEAS", "org_type"] == "unknown"
    assert not regs.organisations["match_key"].eq("ANYPORT UNIVERSITY").any()
