"""Contracts analysis: deals counted once, the value profile and the £500k-a-year community-bid
threshold, suitability, the notices' flags beside kil's classification, the pipeline of
contracts ending soon and supplier postcodes — by hand on small releases, then on the real
Contracts Finder files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kil_analysis.analysis import contracts
from kil_analysis.enrich import classify_suppliers
from kil_analysis.readers.contracts.reader import read_contracts

BUYER = {"id": "GB-CFS-1", "name": "TEST BOROUGH COUNCIL"}


def _release(ocid, rid, date, tag, *, tender=None, awards=(), parties=()):
    return {
        "ocid": ocid, "id": rid, "date": date, "tag": [tag], "buyer": BUYER,
        "tender": tender or {}, "awards": list(awards),
        "parties": [{**BUYER, "roles": ["buyer"]}, *parties],
    }  # fmt: skip


def _party(pid, name, address, scale, vcse):
    return {"id": pid, "name": name, "address": {"streetAddress": address},
            "details": {"scale": scale, "vcse": vcse}, "roles": ["supplier"]}  # fmt: skip


def _award(aid, pence, start, end, supplier_ids):
    return {"id": aid, "date": "2025-01-10T00:00:00Z",
            "value": {"amount": pence / 100, "currency": "GBP"},
            "contractPeriod": {"startDate": start, "endDate": end},
            "suppliers": [{"id": s} for s in supplier_ids]}  # fmt: skip


@pytest.fixture()
def table(tmp_path: Path):
    suit = {"suitability": {"sme": True, "vcse": False}}
    releases = [
        # A: a tender, then its award (£600,000 for one year) — one deal, over the threshold
        _release("ocds-A", "A-1", "2025-01-01T00:00:00Z", "tender",
                 tender={**suit, "value": {"amount": 650000, "currency": "GBP"}}),
        _release("ocds-A", "A-2", "2025-01-20T00:00:00Z", "award", tender=suit,
                 awards=[_award("A-award", 600_000_00, "2025-01-01", "2025-12-31", ["S1"])],
                 parties=[_party("S1", "Leeds Community Trust CIC",
                                 "Leeds Community Trust CICrnrn1 Park Row, Leeds LS1 5AB",
                                 "sme", True)]),
        # B: a framework award, £90,000 over three years to two suppliers, ends mid-2026
        _release("ocds-B", "B-1", "2025-02-01T00:00:00Z", "award",
                 tender={"suitability": {"sme": True, "vcse": True}},
                 awards=[_award("B-award", 90_000_00, "2023-07-01", "2026-06-30", ["S2", "S3"])],
                 parties=[_party("S2", "Acme Ltd", "Acme Ltd, 2 High St, York YO1 7HU", "sme",
                                 False),
                          _party("S3", "Big Builders PLC", "London EC1A 1BB", "large", False)]),
        # C: an open opportunity, £2m over four years = £500,000 a year: not over the threshold
        _release("ocds-C", "C-1", "2025-03-01T00:00:00Z", "tender",
                 tender={"suitability": {"sme": False},
                         "value": {"amount": 2_000_000, "currency": "GBP"},
                         "contractPeriod": {"startDate": "2025-04-01", "endDate": "2029-03-31"}}),
    ]  # fmt: skip
    other = _release("ocds-D", "D-1", "2025-03-01T00:00:00Z", "tender")
    other["buyer"] = {"id": "GB-CFS-9", "name": "Another Council"}
    for i, r in enumerate([*releases, other]):
        (tmp_path / f"r{i}.json").write_text(json.dumps(r), encoding="utf-8")
    t = read_contracts([tmp_path]).table
    return t[contracts.buyer_mask(t, ["Test Borough Council"])]


def test_a_tender_and_its_award_are_one_deal(table):
    deals = contracts.deals(table)
    assert deals["ocid"].tolist() == ["ocds-A", "ocds-B", "ocds-C"]
    assert deals["level"].tolist() == ["award", "award", "tender"]
    assert deals["suppliers"].tolist() == [1, 2, 0]
    assert deals["value_pence"].tolist() == [600_000_00, 90_000_00, 2_000_000_00]


def test_value_profile_and_the_community_bid_threshold(table):
    deals = contracts.deals(table)
    # end dates inclusive, years of 365.25 days, at least one: A 1 Jan – 31 Dec is 365 days →
    # one year → £600,000 a year;
    # B £90,000 / (1096/365.25) = £29,993.16; C £2m / (1461/365.25 = 4 years) = £500,000 exactly
    assert contracts.annual_value_pence(deals)["annual_value_pence"].tolist() == [
        60_000_000, 2_999_316, 50_000_000,
    ]  # fmt: skip
    over = contracts.too_large_to_bid(deals)
    assert over == {"deals": 3, "over_limit": 1, "over_limit_no_period": 0, "not_stated": 0,
                    "other_currency": 0}  # fmt: skip
    profile = contracts.value_profile(deals).set_index("band")
    assert profile.at["£500k–£1m", "deals"] == 1 and profile.at["£25k–£100k", "deals"] == 1
    assert profile.at["£1m–£5m", "value_pence"] == 2_000_000_00
    assert profile["deals"].sum() == 3 and profile.at["value not stated", "deals"] == 0


def test_suitability_shares_leave_unstated_out(table):
    shares = contracts.suitability_shares(contracts.deals(table)).set_index("flag")
    assert (shares.at["suitable_sme", "suitable"], shares.at["suitable_sme", "not_suitable"]) == (
        2,
        1,
    )
    # C states nothing about VCSEs: 1 of the 2 that say so
    assert shares.at["suitable_vcse", "not_stated"] == 1
    assert shares.at["suitable_vcse", "share_suitable"] == pytest.approx(0.5)


def test_notice_flags_beside_kils_classification(table):
    deals = contracts.deals(table)
    suppliers = contracts.award_suppliers(table, deals)
    assert suppliers["supplier_name"].tolist() == [
        "Leeds Community Trust CIC",
        "Acme Ltd",
        "Big Builders PLC",
    ]
    # the framework's value is not split between its two suppliers
    assert suppliers["value_pence"].isna().tolist() == [False, True, True]
    classified = classify_suppliers(suppliers["supplier_name"], keys=suppliers["supplier_key"])
    flags = contracts.notice_flags_beside_classification(suppliers, classified).set_index("measure")
    assert flags.at["vcse", "notice_yes"] == 1 and flags.at["vcse", "kil_yes"] == 1
    assert (
        flags.at["vcse", "both"] == 1 and flags.at["vcse", "value_notice_yes_pence"] == 600_000_00
    )
    assert flags.at["sme", "notice_yes"] == 2  # Leeds Community Trust CIC and Acme Ltd


def test_contracts_ending_in_the_next_24_months(table):
    soon = contracts.ending_soon(contracts.deals(table), "2025-03-31")
    assert soon["ocid"].tolist() == ["ocds-A", "ocds-B"]
    assert soon["window"].tolist() == ["within 12 months", "12–24 months"]
    assert contracts.ending_soon(contracts.deals(table), "2026-07-01").empty


def test_supplier_postcodes_from_notice_addresses(table):
    evidence = contracts.supplier_locality_evidence(table).set_index("supplier_name")
    assert evidence.at["Leeds Community Trust CIC", "postcode"] == "LS1 5AB"  # after "rnrn" junk
    assert evidence.at["Acme Ltd", "org_id"] == "S2"
    assert len(evidence) == 3


def _raw_releases(folder: Path):
    for path in sorted(folder.glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8-sig"))


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "buyer",
    ["Manchester City Council", "Leeds City Council", "Birmingham City Council",
     "Liverpool City Council", "Sunderland City Council", "Lancing Parish Council",
     "Martock Parish Council"],
)  # fmt: skip
def test_real_contracts_finder_buyers_counted_against_the_raw_json(shared_data, buyer):
    folder = shared_data / "contracts" / "contracts-finder" / "releases"
    table = read_contracts([folder]).table
    deals = contracts.deals(table[contracts.buyer_mask(table, [buyer])])
    # independent count: distinct ocids whose buyer name is the council, from the raw JSON
    raw = [
        r
        for r in _raw_releases(folder)
        if (r.get("buyer") or {}).get("name", "").lower() == buyer.lower()
    ]
    assert deals["ocid"].nunique() == len({r["ocid"] for r in raw}) >= 1
    values = {}
    for r in raw:
        for a in r.get("awards") or []:
            values[(r["ocid"], a["id"])] = round(a["value"]["amount"] * 100)
    awarded = deals[deals["level"] == "award"]
    assert sorted(awarded["value_pence"].astype(int)) == sorted(values.values())
    suitable = sum(bool((r.get("tender") or {}).get("suitability", {}).get("vcse")) for r in raw)
    shares = contracts.suitability_shares(deals).set_index("flag")
    assert shares.at["suitable_vcse", "suitable"] == suitable


@pytest.mark.shared_data
def test_real_notice_postcodes_found_inside_street_addresses(shared_data):
    import re

    folder = shared_data / "contracts" / "contracts-finder" / "releases"
    from kil_analysis.readers.parse.supplier_key import supplier_key

    evidence = contracts.supplier_locality_evidence(read_contracts([folder]).table)
    found = set(zip(evidence["supplier_key"], evidence["postcode"], strict=True))
    # independent: a postcode ending the supplier's streetAddress ("…plcnOne America Square,
    # 17 Crosswall, London EC3N 2LB"), Contracts Finder giving no postalCode
    tail = re.compile(r"(?:^|[\s,])([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\W*$")
    expected = set()
    for r in _raw_releases(folder):
        for p in r.get("parties") or []:
            address = p.get("address") or {}
            m = tail.search(address.get("streetAddress") or "")
            if "supplier" in (p.get("roles") or []) and m and not address.get("postalCode"):
                expected.add((supplier_key(p["name"]), f"{m.group(1)} {m.group(2)}"))
    assert len(expected) >= 150
    assert expected <= found
