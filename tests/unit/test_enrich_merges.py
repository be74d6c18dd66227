"""One organisation, one row: what a researcher would notice if spellings were not merged, or
were merged wrongly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.config import load_council
from kil_analysis.enrich.merges import find_merges, merge_keys, organisation_keys, truncation_width
from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
from kil_analysis.pipeline import attach_supplier_attributes

NEWCASTLE = load_council("newcastle")


def suppliers(names: list[str], pence: list[int] | None = None) -> pd.DataFrame:
    s = pd.Series(names)
    return pd.DataFrame(
        {
            "supplier_key": s.str.upper(),
            "supplier_name": s,
            "total_pence": pence or list(range(len(names), 0, -1)),
        }
    )


def groups(merges: pd.DataFrame) -> list[set[str]]:
    return [set(g) for _, g in merges.groupby("organisation_key")["supplier_name"]]


def test_spellings_of_one_name_are_merged() -> None:
    merges = find_merges(
        suppliers(
            [
                "NEWCASTLE&NORTH TYNESIDE LIFT CO",
                "Newcastle and North Tyneside Lift Co Ltd",
                "NEWCASTLEUPONTYNE HOSPITALTRUST",
                "NEWCASTLE UPON TYNE HOSPITAL TRUST",
                "Dimensions (UK) Ltd",
                "DIMENSIONS",
                "HEALTHWORKS NEWCASTLE (DO NOT USE)",
                "HEALTH WORKS NEWCASTLE",
            ]
        )
    )
    assert len(groups(merges)) == 4
    heads = merges[merges["rule"] == "kept"]["supplier_name"].tolist()
    assert "HEALTHWORKS NEWCASTLE (DO NOT USE)" not in heads  # a retired record never leads


def test_different_organisations_stay_apart() -> None:
    merges = find_merges(
        suppliers(
            [
                "UK Fostering Ltd",
                "Fostering Ltd",
                "ACE LTD",
                "ACE",
                "Excel Care Group Ltd",
                "Excel Care Ltd",
            ]
        )
    )
    assert merges.empty


def test_a_trading_name_joins_its_legal_entity() -> None:
    merges = find_merges(suppliers(["Hind Care Ltd T/A Brookfield", "Hind Care Ltd"]))
    assert groups(merges) == [{"Hind Care Ltd T/A Brookfield", "Hind Care Ltd"}]
    assert set(merges["rule"]) == {"kept", "trading name"}


def test_two_trading_names_of_one_company_are_one_organisation() -> None:
    merges = find_merges(
        suppliers(
            [
                "EXAMPLE DISTRIBUTION LTD T/A JEWELL",
                "EXAMPLE DISTRIBUTION LTD T/A GRANT",
                "JOHN SMITH T/A SMITH PLUMBING",  # two sole traders may share a name
                "JOHN SMITH T/A SMITH TAXIS",
            ]
        )
    )
    assert groups(merges) == [
        {"EXAMPLE DISTRIBUTION LTD T/A JEWELL", "EXAMPLE DISTRIBUTION LTD T/A GRANT"}
    ]


def test_a_company_paid_under_a_qualifier_is_that_company() -> None:
    merges = find_merges(
        suppliers(
            [
                "EXAMPLE COMMERCIAL LIMITED - THE GROWTH FUND",
                "EXAMPLE COMMERCIAL LIMITED",
                "EXAMPLE TRUST - SALES",  # no company form before the dash: not joined
                "EXAMPLE TRUST",
            ]
        )
    )
    assert groups(merges) == [
        {"EXAMPLE COMMERCIAL LIMITED - THE GROWTH FUND", "EXAMPLE COMMERCIAL LIMITED"}
    ]
    assert set(merges["rule"]) == {"kept", "legal name and qualifier"}


def test_names_cut_at_the_finance_systems_width_join_the_full_name() -> None:
    cut = [f"SUPPLIER NUMBER {i:02d} WITH A LONG NAME"[:35] for i in range(10)]
    names = cut + ["Greater Manchester Combined Authori", "GREATER MANCHESTER COMBINED AUTHORITY"]
    assert truncation_width(pd.Series(names)) == 35
    merges = find_merges(suppliers(names))
    assert {"Greater Manchester Combined Authori", "GREATER MANCHESTER COMBINED AUTHORITY"} in (
        groups(merges)
    )


def test_an_override_undoes_a_merge_and_can_force_one() -> None:
    table = suppliers(["BIFFA WASTE SERVICES LTD", "BIFFA WASTE SERVICES", "SITA", "SUEZ UK"])
    overrides = pd.DataFrame(
        {
            "supplier_key": ["BIFFA WASTE SERVICES", "SITA"],
            "organisation_key": ["BIFFA WASTE SERVICES", "SUEZ UK"],
        }
    )
    merges = find_merges(table, overrides)
    assert groups(merges) == [{"SITA", "SUEZ UK"}]
    assert set(merges["rule"]) == {"kept", "override"}


def test_merge_keys_ignore_only_what_does_not_tell_organisations_apart() -> None:
    keys = merge_keys(
        pd.Series(["The Acme Co. Ltd", "ACME CO LIMITED", "Acme (NE) Co", "Acme UK Co"])
    )
    assert keys[0] == keys[1] == keys[2] != keys[3]


def test_merged_spellings_are_one_organisation_in_the_supplier_table_and_in_spend() -> None:
    spend = pd.DataFrame(
        {
            "supplier_name": ["BIFFA WASTE SERVICES LTD", "BIFFA WASTE SERVICES", "ACME LTD"],
            "supplier_key": ["BIFFA WASTE SERVICES LTD", "BIFFA WASTE SERVICES", "ACME LTD"],
            "amount_pence": [900_00, 100_00, 50_00],
            "is_redacted": False,
        }
    )
    table, merges = enrich_suppliers_and_merges(spend, NEWCASTLE)
    assert len(table) == 2 and table["total_pence"].sum() == 1050_00
    biffa = table.set_index("supplier_key").loc["BIFFA WASTE SERVICES LTD"]
    assert biffa["total_pence"] == 1000_00 and "BIFFA WASTE SERVICES" in biffa["merged_names"]
    joined = attach_supplier_attributes(spend, table, merges)
    assert joined["supplier_key"].nunique() == 2
    assert joined["published_supplier_key"].tolist() == spend["supplier_key"].tolist()
    assert organisation_keys(spend["supplier_key"], merges).nunique() == 2


def test_overrides_file_splits_a_merge(tmp_path: Path) -> None:
    spend = pd.DataFrame(
        {
            "supplier_name": ["BIFFA WASTE SERVICES LTD", "BIFFA WASTE SERVICES"],
            "supplier_key": ["BIFFA WASTE SERVICES LTD", "BIFFA WASTE SERVICES"],
            "amount_pence": [900_00, 100_00],
            "is_redacted": False,
        }
    )
    path = tmp_path / "newcastle.csv"
    path.write_text("supplier_key,organisation_key\nBIFFA WASTE SERVICES,BIFFA WASTE SERVICES\n")
    table, merges = enrich_suppliers_and_merges(spend, NEWCASTLE, overrides_path=path)
    assert len(table) == 2 and merges.empty
