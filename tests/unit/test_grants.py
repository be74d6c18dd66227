"""Grants readers: 360Giving (CSV, JSON, XLSX) and older council lists, every row and penny."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kil_analysis.readers.grants import (
    GRANT_COLUMNS,
    numbers_from_org_ids,
    parse_registration,
    read_grants,
)

HEADER_360 = (
    "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,"
    "Recipient Org:Name,Recipient Org:Charity Number,Recipient Org:Company Number,"
    "Recipient Org:Postal Code,Funding Org:Identifier,Funding Org:Name,Grant Programme:Title,"
    "Beneficiary Location:0:Geographic Code"
)
LEGACY_HEADER = (
    "Function,Service,Date Grant Awarded,Time Period for Grant,Grant Beneficiary,"
    "Beneficiary's registration Number,Purpose of Grant,Amount,Revenue / Capital"
)


def test_360giving_csv_keeps_org_ids_and_derives_numbers(tmp_path):
    path = tmp_path / "grants.csv"
    path.write_text(
        HEADER_360 + "\n360G-x-1,Choir,GBP,2266,2013-01-18,GB-CHC-1057949,Choir Trust,,,m16 7gx,"
        "GB-LAE-TRF,Trafford Council,Voluntary Sector Grants,E08000009\n"
        '360G-x-2,Kit,GBP,"1,500.50",2019-05-01T00:00:00+00:00,GB-COH-8242480,Wheels CIC,,,'
        ",GB-LAE-TRF,Trafford Council,VSG,E08000009\n"
        "360G-x-3,Hall,GBP,300,2020-02-29,360G-x-hall,Village Hall,1144548,,,GB-LAE-TRF,,,\n"
        "360G-x-4,Scots,GBP,10,2020-03-01,GB-SC-SC012345,Scots Aid,,,,,,,\n",
        encoding="utf-8",
    )
    result = read_grants(path)
    t = result.table.set_index("grant_id")
    assert list(result.table.columns) == GRANT_COLUMNS
    assert t.loc["360G-x-1", "charity_number"] == "1057949"
    assert t.loc["360G-x-1", "recipient_postcode"] == "M16 7GX"
    assert t.loc["360G-x-1", "beneficiary_location_code"] == "E08000009"
    assert t.loc["360G-x-2", "company_number"] == "08242480"
    assert t.loc["360G-x-2", "amount_pence"] == 150050
    assert t.loc["360G-x-2", "award_date"] == pd.Timestamp("2019-05-01")
    assert t.loc["360G-x-3", "recipient_org_id"] == "360G-x-hall"  # kept as published
    assert t.loc["360G-x-3", "charity_number"] == "1144548"  # from the file's own column
    assert t.loc["360G-x-4", "charity_number"] == "SC012345"
    assert t.loc["360G-x-1", "recipient_key"] == "CHOIR TRUST"
    assert list(result.table["source_row"]) == [2, 3, 4, 5]
    assert result.report["totals"]["amount_kept"] == "4076.50"


def test_360giving_json_and_xlsx_match_the_csv(tmp_path):
    grant = {
        "id": "360G-x-1",
        "title": "Choir",
        "amountAwarded": 2266.5,
        "awardDate": "2013-01-18",
        "recipientOrganization": [
            {"id": "GB-NIC-100002", "name": "Ulster Choir", "postalCode": "BT1 1AA"}
        ],
        "fundingOrganization": [{"id": "GB-LAE-TRF", "name": "Trafford Council"}],
        "grantProgramme": [{"title": "VSG"}],
        "beneficiaryLocation": [{"geoCode": "E08000009"}, {"geoCode": "E05000819"}],
    }
    (tmp_path / "g.json").write_text(json.dumps({"grants": [grant]}), encoding="utf-8")
    flat = {
        "Identifier": "360G-x-1",
        "Title": "Choir",
        "Amount Awarded": 2266.5,
        "Award Date": pd.Timestamp("2013-01-18"),
        "Recipient Org:Identifier": "GB-NIC-100002",
        "Recipient Org:Name": "Ulster Choir",
        "Recipient Org:Postal Code": "BT1 1AA",
        "Funding Org:Identifier": "GB-LAE-TRF",
        "Funding Org:Name": "Trafford Council",
        "Grant Programme:Title": "VSG",
        "Beneficiary Location:Geographic Code": "E08000009",
    }
    with pd.ExcelWriter(tmp_path / "g.xlsx") as writer:
        pd.DataFrame({"Notes": ["see the grants sheet"]}).to_excel(writer, sheet_name="Readme")
        pd.DataFrame([flat]).to_excel(writer, sheet_name="grants", index=False)
    # Read apart: read together they are the same grant twice, which is read once (below).
    results = [read_grants(tmp_path / "g.json"), read_grants(tmp_path / "g.xlsx")]
    table = pd.concat([r.table for r in results], ignore_index=True)
    assert len(table) == 2 and all(r.rejects.empty for r in results)
    for _, row in table.iterrows():
        assert row["amount_pence"] == 226650 and row["award_date"] == pd.Timestamp("2013-01-18")
        assert row["recipient_org_id"] == "GB-NIC-100002" and row["charity_number"] == "NIC100002"
        assert row["funder_id"] == "GB-LAE-TRF" and row["programme"] == "VSG"
    codes = table.set_index(table["source_file"].str[-4:])["beneficiary_location_code"]
    assert codes["json"] == "E08000009;E05000819" and codes["xlsx"] == "E08000009"
    formats = {Path(f["path"]).suffix: f["format"] for r in results for f in r.report["files"]}
    assert formats == {".json": "360giving-json", ".xlsx": "xlsx"}
    together = read_grants(tmp_path)
    assert len(together.table) == 1 and together.rejects.empty
    (skipped,) = together.report["skipped"]
    assert skipped["path"].endswith("g.xlsx") and skipped["duplicate_of"].endswith("g.json")
    assert together.report["totals"]["duplicate_files"] == [skipped["path"]]


def test_older_council_list_quirks(tmp_path):
    path = tmp_path / "devon.csv"
    path.write_text(
        LEGACY_HEADER + "\n"
        "Place,SfC,7/28/2014,31/03/15,Devon Wheels 2 Work CIC   ,Company registration No: 8242480,"
        "Repairs,244.15,Revenue\n"
        'Place,SfC,8/13/2014,,YOUNG DEVON   ,Charity 1057949,Sofa,"25,000.00",Revenue\n'
        "Place,SfC,28/08/12,,Alphington Sports Club,none,Nets,1500,Capital\n"
        "Place,SfC,,,No Date Club,N/A,Nets,100,Capital\n"
        "Place,SfC,1/2/2014,,Bad Amount Club,657,Nets,lots,Capital\n"
        ",,,,,,,,\n"
        ",,,,,,,26844.15,\n",
        encoding="utf-8",
    )
    result = read_grants(path)
    t = result.table.set_index("recipient_name")
    assert t.loc["Devon Wheels 2 Work CIC", "award_date"] == pd.Timestamp("2014-07-28")
    assert t.loc["Alphington Sports Club", "award_date"] == pd.Timestamp("2012-08-28")
    assert t.loc["YOUNG DEVON", "amount_pence"] == 2_500_000
    assert t.loc["YOUNG DEVON", "recipient_org_id"] == "GB-CHC-1057949"
    assert t.loc["Devon Wheels 2 Work CIC", "company_number"] == "08242480"
    assert pd.isna(t.loc["Alphington Sports Club", "recipient_org_id"])
    assert t.loc["Alphington Sports Club", "recipient_registration"] is pd.NA  # "none"
    rejects = result.rejects.set_index("source_row")["reason"].to_dict()
    assert rejects == {5: "missing_date", 6: "unparseable_amount", 8: "totals_row"}
    entry = result.report["files"][0]
    assert entry["rows_read"] == 6 and entry["rows_kept"] == 3  # the all-comma row is blank
    assert entry["amount_read"] == "53688.30" and entry["amount_rejected"] == "26944.15"
    assert any("month-first" in o for o in entry["date_orders"])


def test_unreadable_and_unrecognised_files_are_rejected_not_raised(tmp_path):
    (tmp_path / "a.json").write_text("{oops", encoding="utf-8")
    (tmp_path / "b.csv").write_text("Colour,Shape\nred,round\n", encoding="utf-8")
    (tmp_path / "b.csv-metadata.json").write_text("{}", encoding="utf-8")  # CSVW: skipped
    result = read_grants(tmp_path)
    assert sorted(result.rejects["reason"]) == ["unreadable_file", "unrecognised_layout"]
    assert "Colour" in result.rejects.set_index("reason").loc["unrecognised_layout", "detail"]
    assert result.table.empty and list(result.table.columns) == GRANT_COLUMNS
    with pytest.raises(FileNotFoundError):
        read_grants(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Charity 1057949", ("GB-CHC-1057949", "1057949", None)),
        ("1144548", ("GB-CHC-1144548", "1144548", None)),
        ("Charity Reg no : 292854", ("GB-CHC-292854", "292854", None)),
        ("Company No. 08242480", ("GB-COH-08242480", None, "08242480")),
        ("Company registration No: 8242480", ("GB-COH-08242480", None, "08242480")),
        ("Charity 1100000 Company 04987654", ("GB-CHC-1100000", "1100000", "04987654")),
        ("Charity Genesis 08253540", ("GB-COH-08253540", None, "08253540")),
        ("Industrial & Provident Society no: 28960R", ("GB-MPR-28960R", None, None)),
        ("IP 12345 R", ("GB-MPR-12345R", None, None)),
        ("OC325346", ("GB-COH-OC325346", None, "OC325346")),
        ("Charity SC012345", ("GB-SC-SC012345", "SC012345", None)),
        ("SC012345", ("GB-COH-SC012345", None, "SC012345")),
        ("NIC100002", ("GB-NIC-100002", "NIC100002", None)),
        ("none", (None, None, None)),
        ("N/A", (None, None, None)),
        ("657", (None, None, None)),  # a council reference, not a register number
        ("40008789", (None, None, None)),  # 8 digits, no leading 0, no label: ambiguous
        ("XR1234", (None, None, None)),
        ("Exception order no 1234/56", (None, None, None)),
    ],
)
def test_free_text_registration_numbers(text, expected):
    assert parse_registration(text) == expected


def test_numbers_from_org_ids():
    ids = pd.Series(["GB-CHC-1057949", "GB-COH-123", "GB-SC-SC012345", "360G-x", None])
    got = numbers_from_org_ids(ids)
    assert got["charity_number"].tolist()[:3] == ["1057949", pd.NA, "SC012345"]
    assert got["company_number"].iat[1] == "00000123"
    assert got.iloc[3:].isna().all().all()


CELL = st.text(alphabet=st.sampled_from(list("ab1,.£-/ \"'\n0")), max_size=8)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELL, min_size=9, max_size=9), max_size=8))
def test_malformed_rows_never_crash_and_never_vanish(tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEGACY_HEADER.split(","))
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = read_grants(path)
    entry = result.report["files"][0]
    if "format" in entry:  # the file parsed as CSV
        non_blank = sum(any(c.strip() for c in r) for r in rows)
        assert entry["rows_read"] == non_blank
    assert entry["rows_read"] == len(result.table) + len(result.rejects)
    read = Decimal(entry["amount_read"])
    assert read == Decimal(entry["amount_kept"]) + Decimal(entry["amount_rejected"])


def _stdlib_recount(path: Path) -> tuple[int, Decimal]:
    """Non-blank data rows and the sum of the amount column, read with the standard library."""
    if path.suffix == ".json":
        grants = json.loads(path.read_text(encoding="utf-8"))["grants"]
        return len(grants), sum((Decimal(str(g["amountAwarded"])) for g in grants), Decimal(0))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = [h.strip() for h in rows[0]]
    col = header.index("Amount Awarded" if "Amount Awarded" in header else "Amount")
    count, total = 0, Decimal(0)
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        try:
            total += Decimal(row[col].replace(",", "").strip())
        except (InvalidOperation, IndexError):
            pass
    return count, total


@pytest.mark.shared_data
def test_every_real_grants_file_accounts_for_every_row_and_penny(shared_data):
    folder = shared_data / "grants"
    result = read_grants(folder)
    files = {Path(f["path"]).name: f for f in result.report["files"]}
    expected = sorted(p for p in folder.rglob("*") if p.suffix in (".csv", ".json"))
    expected = [p for p in expected if not p.name.endswith("-metadata.json")]
    twins = {Path(s["path"]).name for s in result.report["skipped"]}
    assert sorted([*files, *twins]) == sorted(p.name for p in expected) and len(expected) == 6
    assert len(twins) == 1  # Trafford's JSON repeats its CSV
    for path in expected:
        if path.name in twins:
            continue
        entry = files[path.name]
        rows, pounds = _stdlib_recount(path)
        assert entry["rows_read"] == rows, path.name
        assert Decimal(entry["amount_read"]) == pounds, path.name
        rejected = sum(entry["rows_rejected"].values())
        assert entry["rows_read"] == entry["rows_kept"] + rejected
        assert Decimal(entry["amount_read"]) == Decimal(entry["amount_kept"]) + Decimal(
            entry["amount_rejected"]
        )
        kept = result.table[result.table["source_file"] == str(path)]
        assert len(kept) == entry["rows_kept"]
        assert Decimal(int(kept["amount_pence"].sum())) / 100 == Decimal(entry["amount_kept"])
    totals = result.report["totals"]
    assert totals["rows_read"] == len(result.table) + len(result.rejects)


@pytest.mark.shared_data
def test_real_devon_and_trafford_details(shared_data):
    devon = read_grants(shared_data / "grants" / "devon")
    r = devon.rejects
    totals = r[r["source_file"].str.contains("2014")]
    assert list(totals["reason"]) == ["totals_row"]
    assert totals["detail"].iat[0].startswith("amount '3058054.27'")
    t = devon.table
    wheels = t[t["recipient_name"].eq("Devon Wheels 2 Work CIC")]
    assert pd.Timestamp("2014-07-28") in set(wheels["award_date"])
    assert "08242480" in set(wheels["company_number"])
    y2017 = t[t["source_file"].str.contains("2017")]
    assert pd.Timestamp("2017-09-04") in set(y2017["award_date"])
    assert y2017["award_date"].dt.year.between(2014, 2017).all()
    assert not t["recipient_name"].str.endswith(" ").any()  # trailing spaces stripped
    young = t[t["recipient_registration"].eq("Charity 1057949")]
    assert (young["recipient_org_id"] == "GB-CHC-1057949").all() and len(young) > 0
    assert t["recipient_org_id"].notna().mean() > 0.35

    trafford = read_grants(shared_data / "grants" / "trafford")
    tt = trafford.table
    # 555 grants, published in CSV and in JSON: read once, the second file named as a duplicate.
    assert len(tt) == 555 and tt["grant_id"].is_unique and trafford.rejects.empty
    (twin,) = trafford.report["skipped"]
    assert {Path(twin["path"]).suffix, Path(twin["duplicate_of"]).suffix} == {".csv", ".json"}
    alone = read_grants(twin["path"]).table  # the skipped file holds the same grants
    assert set(alone["grant_id"]) == set(tt["grant_id"])
    assert alone["amount_pence"].sum() == tt["amount_pence"].sum()
    prefixes = set(tt["recipient_org_id"].str.extract(r"^(GB-[A-Z]+|360G)-")[0].dropna())
    assert prefixes == {"GB-COH", "GB-CHC", "360G"}
    assert (tt["funder_id"] == "GB-LAE-TRF").all()
    coh = tt[tt["recipient_org_id"].str.startswith("GB-COH-")]
    assert coh["company_number"].str.len().eq(8).all()


def test_garbage_files_are_one_rejected_row_each_never_a_crash(tmp_path):
    (tmp_path / "garbage.xlsx").write_bytes(b"\x00\x01 this is not a spreadsheet" * 40)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\xff" * 300)  # ZIP-shaped junk
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    odd = {"grants": [{"id": {"x": 1}, "amountAwarded": [5], "recipientOrganization": "x"}, 7]}
    (tmp_path / "odd.json").write_text(json.dumps(odd), encoding="utf-8")
    result = read_grants(tmp_path)
    by_file = result.rejects.groupby(result.rejects["source_file"].map(lambda p: Path(p).name))
    reasons = {name: sorted(group["reason"]) for name, group in by_file}
    assert reasons["garbage.xlsx"] == reasons["broken.xlsx"] == ["unreadable_file"]
    assert reasons["deep.json"] in (["unreadable_file"], ["unrecognised_layout"])
    assert len(reasons["odd.json"]) == 2  # both odd grants rejected, with reasons
    failed = {Path(f["path"]).name for f in result.report["failed"]}
    assert {"garbage.xlsx", "broken.xlsx", "deep.json"} <= failed  # named for the quality panel
    for entry in result.report["files"]:
        assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
