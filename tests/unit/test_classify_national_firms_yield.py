"""A national firm on the curated list is read only where nothing better reads the name: a GP
practice or school a register holds, a VCSE or public body a rule reads, a person with the
firm's surname, and council accounts by initials that firms' initials do not imitate.

Found by a review of round 8 (each case read private, or as an account, before the mend).
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.enrich import classify_suppliers
from kil_analysis.enrich.name_rules import apply_name_rules


def test_a_gp_practice_named_like_a_listed_firm_keeps_its_register_reading() -> None:
    from kil_analysis.readers.registers.shape import Registers, org_frame

    regs = Registers(
        organisations=org_frame(
            register_id=pd.Series(["GB-NHS-B87007", "GB-EDU-1"]),
            name=pd.Series(["NORTHGATE SURGERY", "CAMBIAN EXAMPLE SCHOOL"]),
            org_type="public",
            org_type_confidence=0.9,
            public_kind=pd.Series(["gp_practice", "school"]),
            register="NHS ODS GP practices",
        )
    )
    names = ["NORTHGATE SURGERY", "NORTHGATE PUBLIC SERVICES", "CAMBIAN EXAMPLE SCHOOL LTD"]
    out = classify_suppliers(names, regs)
    # the practice is the register's; the listed care group's school, with its LTD, the firm's
    assert out["org_type"].tolist() == ["public", "private", "private"], out["evidence"].tolist()


def test_a_vcse_body_named_after_a_listed_firm_stays_vcse() -> None:
    got = apply_name_rules(
        pd.Series(["BARCLAYS COMMUNITY FOUNDATION", "FOUR SEASONS COMMUNITY ASSOCIATION"])
    )
    assert (got["org_type"] == "vcse").all(), got["rule"].tolist()


def test_a_person_with_a_listed_firms_surname_is_not_the_firm() -> None:
    got = apply_name_rules(pd.Series(["KELLER SARAH", "HANSON J A", "KELLER GROUP"]))
    # a surname and a first name, or initials: the person (or unknown), never the firm
    assert got["org_type"].iloc[0] != "private", got["rule"].iloc[0]
    assert got["org_type"].iloc[1] == "individual"
    # the firm's own name goes on as firms' names do
    assert got["org_type"].iloc[2] == "private"


def test_council_service_accounts_by_initials_not_firms_or_police_initials() -> None:
    got = apply_name_rules(
        pd.Series(
            [
                "SCC COMMUNITY CARE (SP)",  # a city council's own service: an internal recharge
                "HSBC FINANCE",  # a bank's initials end BC
                "ABC HOUSING",
                "PCC FINANCE",  # a police and crime commissioner
                "LEEDS UNIVERSITY ESTATES DIRECTORATE",  # a university's directorate
            ]
        )
    )
    assert got["org_type"].iloc[0] == "not_a_supplier"
    assert (got["org_type"].iloc[1:] != "not_a_supplier").all(), got["rule"].tolist()
