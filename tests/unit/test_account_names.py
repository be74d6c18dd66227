"""Finance-system accounts, read once: what a finance officer reading the ledger would say."""

from __future__ import annotations

import pytest

from kil_analysis.enrich.account_names import ACCOUNT_CLASSES
from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.name_rules import RULES


def _reading(names: list[str]) -> dict[str, str]:
    out = classify_suppliers(names)
    return dict(zip(out["supplier_name"], out["org_type"], strict=True))


@pytest.mark.parametrize(
    "name",
    [
        "MISCELLANEOUS PAYMENTS BACS",
        "SUNDRY CREDITORS",
        "PETTY CASH",
        "ONE TIME VENDOR",
        "VAT CONTROL ACCOUNT",
        "LOANS AND INVESTMENTS",
        "ENERGY REBATE GRANTS",
        "HOUSING BENEFIT",
        "SALARIES",
        "NET PAY",
        "CASH OFFICE",
        "HOUSING PAYMENTS RETAINED CHQ",
        "VAT CONTROLLER",
        "CHIEF EXECUTIVE DIRECTORATE (HOMES)",
        "SCC COMMUNITY CARE (SP)",
        "NNDR - NORTH TYNESIDE COUNCIL",
        "NTC - FOREST HALL COURT COSTS ACCOUNT",
        "GENERAL INVOICES - BSS ONLY",
        "EVENTS BACS",
        "SCHOOLS GRANTS CHAPS",
        "NBS RE INSPIRE PROCEEDS AC",
        "SALE PROCEEDS",
    ],
)
def test_a_finance_system_account_is_not_a_supplier(name: str) -> None:
    assert _reading([name])[name] == "not_a_supplier"


def test_an_accounts_words_inside_a_companys_name_do_not_make_an_account() -> None:
    names = [
        "SUNDRY SUPPLIES LTD",
        "NORTHUMBRIA PAYROLL SOLUTIONS",
        "BACS PAYMENTS SCHEMES LIMITED",
        "D C C CLEANING",  # a firm's initials and its trade, not a council's service
        "MISSION CONTROL",
        "NHS DIGITAL DIRECTORATE",
        "BUSINESS RATES CONSULTANCY LTD",
        "BRITISH TELECOM BT/BACS",  # a firm's account paid by BACS: the firm
        "BACS LTD",
        "EVENTS BACS LTD",
        "PROCEEDS OF CRIME CONSULTANTS",
    ]
    assert "not_a_supplier" not in _reading(names).values()


def test_paye_and_national_insurance_are_hmrcs_not_an_account() -> None:
    got = _reading(["PAYE AND NIC", "NATIONAL INSURANCE CONTRIBUTIONS"])
    assert set(got.values()) == {"public"}


def test_accounts_are_read_at_one_point_of_the_precedence() -> None:
    # one name rule reads every class, and it is the first rule
    assert RULES[0].name == "finance-system account"
    assert sum(r.org_type == "not_a_supplier" for r in RULES) == 1
    assert all(description and pattern for description, pattern in ACCOUNT_CLASSES)
