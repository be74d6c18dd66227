"""Public bodies as ledgers name them: precepts and levies, initials, drainage boards, departments.

Forms a finance officer in any council recognises; the names are made up in those forms.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.enrich.name_rules import apply_name_rules


@pytest.mark.parametrize(
    "name",
    [
        # a precept or levy is raised only by a public body
        "EXMPCC (PRECEPTS)",
        "EXAMPLESHIRE WASTE DISPOSAL AUTHORITY - LEVY",
        "APPRENTICESHIP LEVY",
        # initials ending in the kind of body, as the whole name
        "EXWDA",
        "SYPTE",
        "EXFRA",
        # internal drainage boards are statutory bodies
        "RIVER EXAMPLE DRAINAGE BOARD",
        "EXAMPLE (2008) INTERNAL DRAINAGE BOARD",
        # a department under the initials it had before it was renamed
        "DCLG",
        "DCSF",
    ],
)
def test_public_bodies_in_ledger_forms(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == "public", got["rule"]


@pytest.mark.parametrize(
    "name",
    [
        "LEVY RESTAURANTS UK LTD",  # a firm's name begins with LEVY
        "EXAMPLE DRAINAGE LTD",  # a drainage contractor
        "EXAMPLE DRAINAGE BOARD SERVICES LTD",  # a company, whatever it serves
        "SMITH PCC LTD",
    ],
)
def test_firms_named_like_them_stay_firms(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] != "public", got["rule"]


def test_citizens_advice_as_ledgers_name_it_and_a_taxi_firm() -> None:
    got = apply_name_rules(pd.Series(["EXAMPLE AND DISTRICT CAB", "STAR CAB CO", "A1 CABS"]))
    assert got["org_type"].tolist()[0] == "vcse"
    assert (got["org_type"].iloc[1:] != "vcse").all(), got["rule"].tolist()


def test_association_shortened_to_assc() -> None:
    got = apply_name_rules(pd.Series(["EXAMPLE RURAL HOUSING ASSC"])).iloc[0]
    assert got["org_type"] == "vcse", got["rule"]


@pytest.mark.parametrize(
    "name",
    [
        # a benefit paid to many claimants, business rates, a bulk run, a debtors' account,
        # prepaid-card loads, and a refund account restricted to one system
        "HOUSING BENEFIT",
        "NNDR",
        "COUNCIL TAX REFUND",
        "HOMECARE REFUNDS - BSS ONLY",
        "BULK PAYMENTS",
        "DEBTORS VENDOR (EXAMPLE)",
        "SYSTEM - PREPAID CARDS",
    ],
)
def test_accounts_as_ledgers_name_them(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == "not_a_supplier", got["rule"]


@pytest.mark.parametrize(
    "name", ["TYNE & EXAMPLE ITA", "GREATER EXAMPLE COMBINED", "EDUCATION FUNDING AGENCY"]
)
def test_transport_and_combined_authorities_cut_short_and_funding_agencies(name: str) -> None:
    got = apply_name_rules(pd.Series([name])).iloc[0]
    assert got["org_type"] == "public", got["rule"]


def test_a_benefits_firm_a_company_ending_combined_and_a_grants_hub_are_what_they_say() -> None:
    names = ["EXAMPLE BENEFITS LIMITED", "EXAMPLE COMBINED LTD", "DOLCE VITA", "EXAMPLE GRANTS HUB"]
    got = apply_name_rules(pd.Series(names))
    assert (got["org_type"] != "not_a_supplier").all() and (got["org_type"] != "public").all()
