"""The demo data: deterministic, in each council's real published layout, realistic shape."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.demo import generate_demo

# The Companies House basic company data header exactly as published (stray spaces included).
CH_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,"
    "Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,"
    "SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,"
    "LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName"
)
NEWCASTLE_HEADER = (
    "Directorate,Service Area,Group Description,Paid Date,Supplier Name,Internal Ref,Cap/Rev,"
    "Cost Centre,Cost Centre Name,Total (excludes VAT)"
)
BRISTOL_HEADER = (
    "Supplier Name,Amount Excluding VAT,Description,Department,Payment Date,Transaction Number"
)
HOSTILE = (
    "<script>alert(1)</script> Services Ltd",
    "<img src=x onerror=alert(1)> CIC",
    'Smith & Sons "Builders" Ltd',
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo(out)


def _newcastle(out: Path, ym: str) -> pd.DataFrame:
    return pd.read_csv(
        out / "newcastle" / "spend" / f"{ym}.csv",
        encoding="cp1252",
        skiprows=2,
        dtype=str,
        keep_default_na=False,
    ).query("`Supplier Name` != ''")


def _truth(out: Path, slug: str) -> pd.DataFrame:
    return pd.read_csv(out / "truth" / f"{slug}_suppliers.csv", dtype=str, keep_default_na=False)


def test_demo_is_identical_on_a_second_run(demo, tmp_path):
    # (how long it takes is measured by benchmarks/reports.py, not asserted here)
    out, manifest = demo
    again = generate_demo(tmp_path / "again")
    assert again == manifest
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
    assert generate_demo(tmp_path / "other", seed=7)["files"] != manifest["files"]


def test_layout_and_markers(demo):
    out, manifest = demo
    files = set(manifest["files"])
    assert len([f for f in files if f.startswith("newcastle/spend/")]) == 36
    assert len([f for f in files if f.startswith("bristol/spend/")]) == 12
    for slug in ("newcastle", "bristol"):
        mark = json.loads((out / slug / "KIL_DEMO.json").read_text())
        assert mark["demo"] is True and mark["council"] == slug and mark["seed"] == 20261126
        assert f"{slug}/grants/{slug}_grants_360giving.csv" in files
        assert f"truth/{slug}_suppliers.csv" in files
        assert not (out / slug / "truth").exists()  # readers never see the answers


def test_newcastle_files_are_cp1252_with_title_comma_row_and_header_on_row_3(demo):
    out, _ = demo
    for path in sorted((out / "newcastle" / "spend").glob("*.csv")):
        raw = path.read_bytes()
        assert b"\xa3250" in raw.split(b"\r\n")[0]  # £ as cp1252 byte 0xA3
        lines = raw.decode("cp1252").split("\r\n")
        assert lines[0].startswith("Newcastle City Council Invoices over £250 paid in ")
        assert set(lines[1]) == {","}
        assert lines[2] == NEWCASTLE_HEADER
        assert b"\n" not in raw.replace(b"\r\n", b"")


def test_newcastle_date_formats_change_and_june_2023_is_mostly_excel_serials(demo):
    out, _ = demo
    serial = _newcastle(out, "2023-06")["Paid Date"]
    share = serial.str.fullmatch(r"45\d{3}").mean()
    assert 0.85 < share < 1
    assert _newcastle(out, "2022-05")["Paid Date"].str.fullmatch(r"\d\d-[A-Z][a-z]{2}-2022").all()
    assert _newcastle(out, "2024-02")["Paid Date"].str.fullmatch(r"\d\d/02/2024").all()
    padded = _newcastle(out, "2022-05")["Service Area"]
    assert padded.str.endswith(" ").mean() > 0.9
    assert set(_newcastle(out, "2024-02")["Cap/Rev"]) == {"revenue", "Capital"}
    trailing = [
        p
        for p in (out / "newcastle" / "spend").glob("*.csv")
        if p.read_bytes().endswith(b",,,,,,,,,\r\n" * 100)
    ]
    assert len(trailing) >= 5


def test_redaction_credit_notes_and_social_care_concentration(demo):
    out, _ = demo
    rows = pd.concat([_newcastle(out, f.stem) for f in (out / "newcastle" / "spend").glob("*.csv")])
    redacted = rows["Supplier Name"] == "Redacted Personal Data"
    assert 0.2 < redacted.mean() < 0.3
    care = rows["Service Area"].str.strip().str.contains("Social Care")
    assert care[redacted].mean() > 0.8
    credit = rows["Total (excludes VAT)"].str.startswith("-")
    assert 0.02 < credit.mean() < 0.08


def test_bristol_layout(demo):
    out, _ = demo
    paths = sorted((out / "bristol" / "spend").glob("*.csv"))
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + BRISTOL_HEADER.encode() + b"\r\n")
    frame = pd.read_csv(paths[0], encoding="utf-8-sig", dtype=str)
    assert 0.2 < (frame["Supplier Name"] == "redacted").mean() < 0.3
    assert frame["Payment Date"].str.fullmatch(r"\d\d/\d\d/20\d\d").all()


@pytest.mark.parametrize("slug", ["newcastle", "bristol"])
def test_supplier_totals_are_heavy_tailed(demo, slug):
    out, _ = demo
    truth = _truth(out, slug)
    amount = truth["amount"].map(Decimal)
    named = amount[truth["org_type"] != "individual"].sort_values(ascending=False)
    share = float(named.head(10).sum() / amount.sum())
    assert 0.35 <= share <= 0.5
    paid = truth[truth["lines"].astype(int) > 0]
    assert 1200 <= len(paid) <= 2000
    assert set(truth["org_type"]) == {"vcse", "public", "private", "individual"}
    assert (truth["org_type"] == "vcse").sum() > 400


def test_spelling_variants_never_merge_two_suppliers(demo):
    out, _ = demo
    for slug in ("newcastle", "bristol"):
        truth = _truth(out, slug)
        spellings = truth.assign(n=truth["published_names"].str.split(" \\| ")).explode("n")
        assert spellings.groupby("n")["supplier_id"].nunique().max() == 1
        assert (truth["published_names"].str.contains(r" \| ")).sum() > 100
        for name in HOSTILE:
            assert name in set(spellings["n"])


def test_registers_have_the_real_headers(demo, shared_data):
    out, _ = demo
    ch = (out / "registers" / "BasicCompanyDataAsOneFile-2025-11-01.csv").read_bytes().decode()
    header, first = ch.split("\r\n")[:2]
    assert header.startswith(CH_HEADER + ", PreviousName_2.CONDATE")
    assert header.endswith(
        "PreviousName_10.CompanyName,ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
    )
    assert len(header.split(",")) == 55
    assert first.startswith('"') and first.count('","') == 54
    fields = pd.read_csv(shared_data / "registers" / "charity-lookups" / "ccew-fields.csv")
    expected = fields.loc[fields["Table"] == "Charity", "Field"].tolist()
    charity = (out / "registers" / "publicextract.charity.txt").read_bytes().decode()
    assert charity.split("\r\n")[0].split("\t") == expected
    trafford = shared_data / "grants" / "trafford" / "trafford_council_voluntary_sector_grants.csv"
    grants = out / "bristol" / "grants" / "bristol_grants_360giving.csv"
    assert grants.read_text().split("\n")[0] == trafford.read_text("utf-8-sig").split("\n")[0]


def test_register_contents(demo):
    out, _ = demo
    ch = pd.read_csv(
        out / "registers" / "BasicCompanyDataAsOneFile-2025-11-01.csv",
        dtype=str,
        keep_default_na=False,
    )
    assert ch[" CompanyNumber"].str.fullmatch(r"(\d{8}|SC\d{6}|OC\d{6}|RS\d{6}|IP\d{5}R)").all()
    assert ch[" CompanyNumber"].is_unique and len(ch) > 3000
    cats = set(ch["CompanyCategory"])
    assert {
        "Community Interest Company",
        "Registered Society",
        "Public Limited Company",
        "Limited Liability Partnership",
    } <= cats
    cc = pd.read_csv(
        out / "registers" / "publicextract.charity.txt", sep="\t", dtype=str, keep_default_na=False
    )
    assert cc["registered_charity_number"].str.fullmatch(r"\d{6,7}").all()
    assert set(cc["charity_type"]) == {"Charitable company", "CIO", "Trust", "Other"}
    companies = cc[cc["charity_type"] == "Charitable company"]
    assert (companies["charity_company_registration_number"] != "").all()
    grants = pd.read_csv(
        out / "newcastle" / "grants" / "newcastle_grants_360giving.csv",
        dtype=str,
        keep_default_na=False,
    )
    assert 100 <= len(grants) <= 200 and set(grants["Funding Org:Identifier"]) == {"GB-LAE-NET"}
    assert grants["Recipient Org:Identifier"].str.match(r"(GB-CHC-|GB-COH-|360G-)").all()


def test_onspd_extract_covers_every_postcode(demo):
    out, _ = demo
    onspd = pd.read_csv(
        out / "lookups" / "ONSPD_demo_extract.csv", dtype=str, keep_default_na=False
    )
    assert {"pcd", "pcd2", "pcds", "dointr", "doterm", "oslaua", "osward", "rgn", "ctry"} <= set(
        onspd.columns
    )
    known = set(onspd["pcds"])
    ch = pd.read_csv(
        out / "registers" / "BasicCompanyDataAsOneFile-2025-11-01.csv",
        dtype=str,
        keep_default_na=False,
    )
    cc = pd.read_csv(
        out / "registers" / "publicextract.charity.txt", sep="\t", dtype=str, keep_default_na=False
    )
    used = set(ch["RegAddress.PostCode"]) | set(cc["charity_contact_postcode"])
    for slug in ("bristol", "newcastle"):
        used |= set(_truth(out, slug)["postcode"])
    used.discard("")
    assert used <= known
    assert all(re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", p) for p in known)
    lad = dict(zip(onspd["pcds"], onspd["oslaua"], strict=True))
    rgn = dict(zip(onspd["pcds"], onspd["rgn"], strict=True))
    assert {lad[p] for p in known if p.startswith("BS1 ")} == {"E06000023"}
    assert {rgn[p] for p in known if p.startswith("NE1 ")} == {"E12000001"}
    assert "E12000007" in set(onspd["rgn"]) and "E08000003" in set(onspd["oslaua"])


def test_truth_localities_follow_registered_postcodes(demo):
    out, _ = demo
    truth = _truth(out, "bristol")
    assert {"in_area", "in_region", "outside"} <= set(truth["locality"])
    assert (truth.loc[truth["lad"] == "E06000023", "locality"] == "in_area").all()


def test_kil_demo_command(tmp_path, capsys):
    from kil_analysis.cli import main

    assert main(["demo", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert "demo files" in capsys.readouterr().out
    assert (tmp_path / "bristol" / "KIL_DEMO.json").exists()
