"""Register loaders on small files written in the registers' real formats, and matching order."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.demo.registers import CH_HEADER_LINE
from kil_analysis.enrich import classify_suppliers, load_registers

CH_HEADER = CH_HEADER_LINE.split(",")  # the real published header (stray spaces included)

CHARITY_FIELDS = (
    "date_of_extract organisation_number registered_charity_number linked_charity_number "
    "charity_name charity_type charity_registration_status date_of_registration date_of_removal "
    "charity_reporting_status latest_acc_fin_period_start_date latest_acc_fin_period_end_date "
    "latest_income latest_expenditure charity_contact_address1 charity_contact_address2 "
    "charity_contact_address3 charity_contact_address4 charity_contact_address5 "
    "charity_contact_postcode charity_contact_phone charity_contact_email charity_contact_web "
    "charity_company_registration_number charity_insolvent charity_in_administration "
    "charity_previously_excepted charity_is_cdf_or_cif charity_is_cio cio_is_dissolved "
    "date_cio_dissolution_notice charity_activities charity_gift_aid charity_has_land"
).split()


def ch_row(
    name: str,
    number: str,
    category: str,
    accounts: str,
    postcode: str = "EX1 1AA",
    status: str = "Active",
) -> list[str]:
    row = [""] * len(CH_HEADER)
    values = {
        "CompanyName": name,
        " CompanyNumber": number,
        "RegAddress.AddressLine1": "1 HIGH STREET, UNIT 2",
        "RegAddress.PostTown": "EXETER",
        "RegAddress.PostCode": postcode,
        "CompanyCategory": category,
        "CompanyStatus": status,
        "Accounts.AccountCategory": accounts,
        "SICCode.SicText_1": "88990 - Other social work activities not elsewhere classified",
    }
    for key, value in values.items():
        row[CH_HEADER.index(key)] = value
    return row


def write_companies(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        w.writerow(CH_HEADER)
        w.writerows(rows)
    return path


def write_charities(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = ["\t".join(CHARITY_FIELDS)]
    for r in rows:
        lines.append("\t".join(r.get(f, "") for f in CHARITY_FIELDS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


COMPANIES = [
    ch_row("ACME WIDGETS LIMITED", "01234567", "Private Limited Company", "MICRO ENTITY"),
    ch_row("RUNNING DEER C.I.C.", "09876543", "Community Interest Company", "SMALL", "TQ13 7AA"),
    ch_row(
        "DEVON COMMUNITY FOUNDATION",
        "03333333",
        "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
        "FULL",
    ),
    ch_row("BIGCO SERVICES PLC", "00000042", "Public Limited Company", "GROUP", "EC1A 1BB"),
    ch_row("HARBOUR TRADING 1 LIMITED", "05555555", "Private Limited Company", "SMALL"),
    ch_row("HARBOUR TRADING 2 LIMITED", "05555556", "Private Limited Company", "SMALL"),
]


@pytest.fixture()
def registers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "registers"
    folder.mkdir()
    write_companies(folder / "BasicCompanyDataAsOneFile-2025-01-01.csv", COMPANIES)
    write_charities(
        folder / "publicextract.charity.txt",
        [
            {
                "registered_charity_number": "1057949",
                "linked_charity_number": "0",
                "charity_name": "THE DEVON WILDLIFE CARE TRUST",
                "charity_registration_status": "Registered",
                "latest_income": "250000",
                "charity_contact_postcode": "EX4 1AB",
                "charity_is_cio": "False",
                "charity_activities": "Looks after wildlife",
            },
            {
                "registered_charity_number": "1057949",
                "linked_charity_number": "1",
                "charity_name": "DEVON WILDLIFE SUBSIDIARY",
                "latest_income": "5",
            },
            {
                "registered_charity_number": "1190001",
                "linked_charity_number": "0",
                "charity_name": "TINY HELPERS",
                "charity_registration_status": "Registered",
                "latest_income": "4000",
                "charity_is_cio": "True",
            },
        ],
    )
    return folder


def test_companies_house_and_charity_extract_load_in_real_formats(registers_dir: Path) -> None:
    regs = load_registers(registers_dir)
    assert regs is not None and regs.companies_parquet is not None
    con = regs.connect()
    rows = con.execute("SELECT register_id, org_type, vcse_form, size FROM orgs ORDER BY 1").df()
    by_id = rows.set_index("register_id")
    assert by_id.loc["GB-COH-09876543", "vcse_form"] == "CIC"
    assert by_id.loc["GB-COH-01234567", ["org_type", "size"]].tolist() == ["private", "micro"]
    assert by_id.loc["GB-COH-00000042", "size"] == "large"
    assert by_id.loc["GB-CHC-1057949", "size"] == "medium"
    assert by_id.loc["GB-CHC-1190001", ["vcse_form", "size"]].tolist() == ["CIO", "micro"]
    assert "DEVON WILDLIFE SUBSIDIARY" not in set(con.execute("SELECT name FROM orgs").df()["name"])


def test_zipped_companies_house_file_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "regs"
    folder.mkdir()
    csv_path = write_companies(tmp_path / "BasicCompanyDataAsOneFile-2025-01-01.csv", COMPANIES)
    with zipfile.ZipFile(folder / "BasicCompanyDataAsOneFile-2025-01-01.zip", "w") as zf:
        zf.write(csv_path, csv_path.name)
    regs = load_registers(folder)
    out = classify_suppliers(["Acme Widgets Ltd"], regs)
    assert out["register_id"].item() == "GB-COH-01234567"


def test_nothing_found_gives_none(tmp_path: Path) -> None:
    assert load_registers(tmp_path) is None


def test_id_beats_exact_beats_fuzzy(registers_dir: Path) -> None:
    regs = load_registers(registers_dir)
    ids = pd.DataFrame({"supplier_key": ["SOMETHING ELSE LTD"], "company_number": ["9876543"]})
    out = classify_suppliers(
        ["SOMETHING ELSE LTD", "Acme Widgets Ltd", "DEVON WILDLIFE CARE TRUSTT", "BIGCO SERVICES"],
        regs,
        ids=ids,
    ).set_index("supplier_name")
    assert out.loc["SOMETHING ELSE LTD", "match_method"] == "id:company_number"
    assert out.loc["SOMETHING ELSE LTD", "vcse_form"] == "CIC"  # the register beats "LTD"
    assert out.loc["Acme Widgets Ltd", "match_method"] == "exact name"
    assert out.loc["Acme Widgets Ltd", "evidence"] == "GB-COH-01234567 (exact name)"
    fuzzy = out.loc["DEVON WILDLIFE CARE TRUSTT"]
    assert fuzzy["match_method"] == "fuzzy name" and fuzzy["register_id"] == "GB-CHC-1057949"
    assert fuzzy["confidence"] < 0.95
    assert out.loc["BIGCO SERVICES", "size"] == "large"


def test_ambiguous_fuzzy_match_is_reported_not_forced(registers_dir: Path) -> None:
    regs = load_registers(registers_dir)
    out = classify_suppliers(["HARBOUR TRADING"], regs)
    row = out.iloc[0]
    assert row["register_id"] is None
    assert "GB-COH-05555555" in row["ambiguous_candidates"]
    assert "GB-COH-05555556" in row["ambiguous_candidates"]


def test_public_body_name_beats_register(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    write_companies(
        folder / "BasicCompanyDataAsOneFile-2025-01-01.csv",
        [
            ch_row(
                "IVYBRIDGE ACADEMY TRUST",
                "07777777",
                "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' "
                "exemption)",
                "FULL",
            )
        ],
    )
    out = classify_suppliers(["IVYBRIDGE ACADEMY TRUST"], load_registers(folder))
    assert out["org_type"].item() == "public"


def test_fuzzy_matching_in_small_batches_finds_the_same_matches(registers_dir: Path) -> None:
    """Fetching register rows a few blocks at a time (bounded memory) changes no answer."""
    from kil_analysis.enrich.keys import match_keys, name_keys
    from kil_analysis.enrich.matching import match_fuzzy

    regs = load_registers(registers_dir)
    names = pd.Series(["DEVON WILDLIFE CARE TRUSTT", "HARBOUR TRADING", "ACME WIDGETZ", "ZZZ"])
    keys = pd.DataFrame({"supplier_key": name_keys(names)})
    keys["match_key"] = match_keys(keys["supplier_key"])
    whole = match_fuzzy(keys, regs).sort_values("supplier_key", ignore_index=True)
    batched = match_fuzzy(keys, regs, max_candidates=1).sort_values(
        "supplier_key", ignore_index=True
    )
    assert len(whole) >= 2

    def plain(frame: pd.DataFrame) -> list[list[object]]:
        return frame.astype(object).where(frame.notna(), None).to_numpy().tolist()

    assert plain(whole) == plain(batched)
