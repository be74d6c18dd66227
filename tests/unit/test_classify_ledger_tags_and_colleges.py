"""Payees as ledgers tag and name them: a programme tag, run-together known names, housing
associations' own styles, registered colleges, the Mayor's policing office, the sold Royal Mail.

Forms a finance officer in any council recognises; the names are made up in those forms, except
the real bodies the rules name (Royal Mail, the Mayor's Office for Policing and Crime).
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.enrich import classify_suppliers
from kil_analysis.enrich.name_rules import apply_name_rules, rule_text


def charity_names(tmp_path, *rows: tuple[int, str]):
    """Registers holding the Charity Commission's other-names extract (its real layout)."""
    from kil_analysis.readers.registers.charities import read_other_names
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "publicextract.charity_other_names.json"
    path.write_text(
        "["
        + ",".join(
            f'{{"registered_charity_number":{number},"linked_charity_number":0,'
            f'"charity_name_type":"Working name","charity_name":"{name}"}}'
            for number, name in rows
        )
        + "]"
    )
    return Registers(organisations=read_other_names(path))


def test_a_supporting_people_tag_leaves_the_payee_as_registered(tmp_path) -> None:
    regs = charity_names(tmp_path, (1000001, "EXAMPLE HOUSING GROUP LTD"))
    out = classify_suppliers(["EXAMPLE HOUSING GROUP LTD (SP)", "EXAMPLE HOUSING GROUP LTD"], regs)
    # before: the tagged name read private by its LTD, the untagged one the charity
    assert out["org_type"].tolist() == ["vcse", "vcse"], out["evidence"].tolist()
    assert out["evidence"].iloc[0].startswith("GB-CHC-1000001")


def test_a_tag_that_is_the_whole_name_or_inside_it_is_kept() -> None:
    text = rule_text(pd.Series(["(SP)", "EXAMPLE (SP) SERVICES", "EXAMPLE SP"]))
    assert text.tolist() == ["SP", "EXAMPLE SP SERVICES", "EXAMPLE SP"]


def test_a_known_run_together_name_is_not_split_by_the_names_beside_it() -> None:
    # MERSEY and TRAVEL each stand alone in this ledger: the words the splitter learns from it
    names = pd.Series(
        ["MERSEYTRAVEL", "MERSEY CARE LTD", "MERSEY ROOFING", "TRAVEL DIRECT", "A1 TRAVEL"]
    )
    got = apply_name_rules(names)
    assert got["org_type"].iloc[0] == "public", got["rule"].iloc[0]
    assert got["rule"].iloc[0] == "known organisation (MERSEYTRAVEL)"


def test_housing_associations_own_styles_are_vcse() -> None:
    got = apply_name_rules(
        pd.Series(
            [
                "EXAMPLE HOUSING SOCIETY LTD",  # the Industrial and Provident form
                "EXAMPLE HOUSING AND CARE",  # a housing association that also gives care
                "EXAMPLE HOUSING & SUPPORT LTD",
                "EXAMPLE HOME CARE LTD",  # a care firm names care alone
            ]
        )
    )
    assert got["org_type"].tolist() == ["vcse", "vcse", "vcse", "private"], got["rule"].tolist()


def test_a_college_on_the_charity_register_is_a_charity_a_school_is_not(tmp_path) -> None:
    regs = charity_names(
        tmp_path,
        (1000002, "EXAMPLE ADULT COLLEGE"),
        (1000003, "EXAMPLE LEARNING TRUST"),
        (1000004, "ST EXAMPLE SCHOOL"),
    )
    out = classify_suppliers(
        ["EXAMPLE ADULT COLLEGE", "EXAMPLE LEARNING TRUST", "ST EXAMPLE SCHOOL", "OTHER COLLEGE"],
        regs,
    )
    # FE colleges and academy trusts are exempt charities, never registered; a school's name is
    # shared with charities too often to be evidence (the school rule decides)
    assert out["org_type"].tolist() == ["vcse", "vcse", "public", "public"]


def test_the_mayors_policing_office_is_police() -> None:
    got = apply_name_rules(
        pd.Series(["MAYORS OFFICE FOR POLICING AND CRIME", "MAYOR'S OFFICE OF POLICING AND CRIME"])
    )
    assert (got["org_type"] == "public").all() and (got["rule"] == "police or fire").all()


def test_royal_mail_is_private_whatever_govuk_still_lists(tmp_path) -> None:
    from kil_analysis.readers.registers.public_bodies import read_govuk_organisations
    from kil_analysis.readers.registers.shape import Registers

    path = tmp_path / "organisations.csv"
    path.write_text(
        "GB-GOR,Name,Type,GOVUK URL,URL,Updated\nPC970,Royal Mail,Public corporation,,,\n"
    )
    regs = Registers(organisations=read_govuk_organisations(path))
    out = classify_suppliers(["ROYAL MAIL", "ROYAL MAIL GROUP LTD"], regs)
    assert out["org_type"].tolist() == ["private", "private"]
    # a register's kind of public body is not left on a supplier read as something else
    assert out["public_kind"].isna().all()


def test_a_theatre_split_into_words_is_not_a_care_home() -> None:
    # PLAYHOUSE is split to PLAY HOUSE where PLAY stands alone in the same ledger
    names = pd.Series(["EXAMPLE PLAYHOUSE", "PLAY ZONE LTD", "PLAY EXAMPLE", "BECKSIDE HOUSE"])
    got = apply_name_rules(names)
    assert got["rule"].iloc[0] != "care home by the house's name"
    assert got["rule"].iloc[3] == "care home by the house's name"
