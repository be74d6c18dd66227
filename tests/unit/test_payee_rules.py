"""Payees the general name rules misread: what a finance officer reading the ledger would say."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.shape import Registers, org_frame


def _reading(names: list[str], registers: Registers | None = None) -> dict[str, str]:
    out = classify_suppliers(names, registers)
    return dict(zip(out["supplier_name"], out["org_type"], strict=True))


def test_a_payee_withheld_as_commercially_confidential_is_no_person() -> None:
    got = _reading(
        [
            "REDACTED COMMERCIAL CONFIDENTIALITY",
            "Withheld - commercially sensitive",
            "Redacted Personal Data",
            "REDACTED UNDER DP ACT",
        ]
    )
    assert got["REDACTED COMMERCIAL CONFIDENTIALITY"] == "not_a_supplier"
    assert got["Withheld - commercially sensitive"] == "not_a_supplier"
    # personal-data redactions stay people, as the project defines them
    assert got["Redacted Personal Data"] == "individual"
    assert got["REDACTED UNDER DP ACT"] == "individual"


def test_a_firm_with_commercial_in_its_name_is_not_a_redaction() -> None:
    got = _reading(["EDDISONS COMMERCIAL LIMITED", "TYNEXE COMMERCIAL LTD"])
    assert set(got.values()) == {"private"}


@pytest.mark.parametrize(
    "name", ["SALARIES", "NET PAY", "PAYROLL DEDUCTIONS", "CASH", "HOUSING PAYMENTS RETAINED CHQ"]
)
def test_pay_and_cash_accounts_are_not_suppliers(name: str) -> None:
    assert _reading([name])[name] == "not_a_supplier"


def test_pay_and_cash_words_inside_a_firms_name_do_not_make_an_account() -> None:
    names = ["NORTHUMBRIA PAYROLL SOLUTIONS", "G4S CASH SOLUTIONS (UK) LTD", "CASH DE"]
    got = _reading(names)
    assert "not_a_supplier" not in got.values()


def test_paye_and_national_insurance_are_hmrcs() -> None:
    assert _reading(["PAYE AND NIC"])["PAYE AND NIC"] == "public"


def test_the_norse_groups_companies_are_council_owned() -> None:
    names = ["DEVON NORSE LTD (NORWICH)", "NORSE SOUTH WEST LIMITED", "N P S SOUTH WEST LTD"]
    got = _reading(names + ["NPS MEDIA LTD"])
    assert [got[n] for n in names] == ["public"] * 3
    assert got["NPS MEDIA LTD"] == "private"  # another firm with the same letters


def test_a_school_named_with_the_company_that_runs_it_is_the_company() -> None:
    names = [
        "WITHERSLACK GROUP T/A HALL CLIFFE SCHOOL",
        "HARTWELL SCHOOL (WITHERSLACK GROUP)",
        "Rossendale Sch - Aspris Child Svcs",
        "Acorn Care & Education Sales Ledger re Belmont Sch",
    ]
    got = _reading(names)
    assert [got[n] for n in names] == ["private"] * 4


def test_a_state_school_an_academy_and_a_college_group_stay_public() -> None:
    names = [
        "HILLTOP PRIMARY SCHOOL",
        "AD ASTRA ACADEMY TRUST T/A BROUGHAM PRIMARY SCHOOL",
        "Exeter College (Exeter and North Devon Colleges Group)",
    ]
    got = _reading(names)
    assert [got[n] for n in names] == ["public"] * 3


def test_a_couple_by_their_initials_is_a_person_a_firm_of_initials_is_not() -> None:
    got = _reading(
        ["SL & SL Crabtree", "CCA & CM Bolland", "S & B COMMERCIALS", "AB & CD SERVICES"]
    )
    assert got["SL & SL Crabtree"] == "individual"
    assert got["CCA & CM Bolland"] == "individual"
    assert got["S & B COMMERCIALS"] != "individual"
    assert got["AB & CD SERVICES"] == "private"


def test_a_passenger_transport_executive_by_its_brand_beats_a_charity_of_that_word() -> None:
    charity = org_frame(
        register_id=["GB-CHC-1"], name=["Metro"], org_type="vcse", vcse_form="charity"
    )
    registers = Registers(organisations=pd.concat([charity], ignore_index=True))
    got = _reading(["METRO", "METRO BANK PLC", "TfGM T/A DriveSafe"], registers)
    assert got["METRO"] == "public"
    assert got["METRO BANK PLC"] == "private"
    assert got["TfGM T/A DriveSafe"] == "public"


def test_a_commercially_withheld_payee_stays_in_spend_as_no_supplier_through_enrichment() -> None:
    from kil_analysis.config import load_council
    from kil_analysis.enrich import enrich_suppliers

    spend = pd.DataFrame(
        {
            "supplier_name": ["REDACTED COMMERCIAL CONFIDENTIALITY", "Redacted Personal Data"],
            "amount_pence": [19_379_831_03, 87_818_317_81],
            "is_redacted": [True, True],
        }
    )
    out = enrich_suppliers(spend, load_council("bristol")).set_index("supplier_name")
    assert out.loc["REDACTED COMMERCIAL CONFIDENTIALITY", "org_type"] == "not_a_supplier"
    assert out.loc["REDACTED COMMERCIAL CONFIDENTIALITY", "total_pence"] == 19_379_831_03
    assert out.loc["Redacted Personal Data", "org_type"] == "individual"


def test_courts_by_their_kind_are_public_a_care_home_called_court_is_not() -> None:
    got = _reading(["COMBINED COURT", "ACCOUNTANT GENERAL SENIOR COURT", "BALMORAL COURT"])
    assert got["COMBINED COURT"] == "public"
    assert got["ACCOUNTANT GENERAL SENIOR COURT"] == "public"
    assert got["BALMORAL COURT"] != "public"


@pytest.mark.parametrize(
    "name",
    [
        "JACK SIMPSON HOUSE",
        "ANGELA COURT",
        "A BRIGHTER TOMORROW",
        "R H ADVERTISING",
        "J H COUNSELLING",
        "K J REFRIGERATION",
        "A S PNEUMATICS",
        "E D T SOUTH WEST",
        "B SUPPORTIVE",
        "PETER EVANS PARTNERSHIP",
        "W J CONTRACTS",
        "F-TEC",
    ],
)
def test_buildings_phrases_and_trades_are_not_read_as_people(name: str) -> None:
    assert _reading([name])[name] != "individual"


@pytest.mark.parametrize(
    "name",
    [
        "T CROSSLING",
        "J SMITH",
        "SMITH J A",
        "S WOOLMORE T/A PURPLEBOY CONSULTING",
        "J WEST",  # a surname that is also a compass point
        "A J SMITH-JONES",
    ],
)
def test_people_stay_people(name: str) -> None:
    assert _reading([name])[name] == "individual"


def test_a_transport_executive_by_its_initials_is_public_a_singapore_pte_ltd_is_not() -> None:
    got = _reading(["SOUTH YORKSHIRE PTE", "ACME ASIA PTE LTD"])
    assert got["SOUTH YORKSHIRE PTE"] == "public"
    assert got["ACME ASIA PTE LTD"] == "private"
