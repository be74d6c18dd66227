"""OCDS contracts: every release accounted for; suppliers with scale, VCSE flag and postcode."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kil_analysis.readers.contracts.reader import read_contracts
from kil_analysis.readers.parse.postcodes import extract_postcodes

SUPPLIER = {
    "id": "GB-COH-01234567",
    "name": "Acme Widgets Ltd",
    "address": {"streetAddress": "Unit 4rnrnTyne WaynNewcastlernNE1 4XY"},
    "details": {"scale": "sme", "vcse": False},
    "roles": ["supplier"],
}
CHARITY = {
    "id": "GB-CFS-99",
    "name": "Helping Hands",
    "address": {"streetAddress": "1 High St", "postalCode": "ne3 1aa"},
    "details": {"scale": "sme", "vcse": True},
    "roles": ["supplier"],
}


def release(ocid: str, *, awards=None, contracts=None, tag="award", **extra) -> dict:
    out = {
        "ocid": ocid,
        "id": f"{ocid}-r1",
        "date": "2025-02-03T10:00:00Z",
        "tag": [tag],
        "buyer": {"id": "GB-CFS-1", "name": "Testshire Council"},
        "parties": [SUPPLIER, CHARITY, {"id": "GB-CFS-1", "name": "Testshire Council"}],
        "tender": {"title": "Widgets", "status": "complete", "value": {"amount": 5000}},
        **extra,
    }
    if awards is not None:
        out["awards"] = awards
    if contracts is not None:
        out["contracts"] = contracts
    return out


AWARD = {
    "id": "a1",
    "status": "active",
    "date": "2025-01-30T00:00:00+01:00",
    "value": {"amount": 1234.5, "currency": "GBP"},
    "suppliers": [{"id": "GB-COH-01234567", "name": "Acme Widgets Ltd"}, {"id": "GB-CFS-99"}],
    "contractPeriod": {"startDate": "2025-03-01T00:00:00Z", "endDate": "2026-02-28T23:59:59Z"},
}


def write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_release_package_gives_one_row_per_award_supplier(tmp_path):
    path = write(tmp_path / "pkg.json", {"releases": [release("ocds-1", awards=[AWARD])]})
    result = read_contracts(path)
    t = result.table
    assert len(t) == 2 and list(t["level"]) == ["award", "award"]
    acme, charity = t.iloc[0], t.iloc[1]
    assert (
        acme["supplier_id"] == "GB-COH-01234567" and acme["supplier_company_number"] == "01234567"
    )
    assert acme["supplier_postcode"] == "NE1 4XY" and acme["supplier_scale"] == "sme"
    assert not acme["supplier_vcse"] and charity["supplier_vcse"]
    assert charity["supplier_name"] == "Helping Hands" and charity["supplier_postcode"] == "NE3 1AA"
    assert acme["value_pence"] == 123450 and acme["value_amount"] == 1234.5
    assert acme["date"] == pd.Timestamp("2025-02-03") and acme["award_date"] == pd.Timestamp(
        "2025-01-30"
    )
    assert acme["end_date"] == pd.Timestamp("2026-02-28")
    assert acme["buyer_name"] == "Testshire Council" and acme["title"] == "Widgets"
    assert acme["supplier_key"] == "ACME WIDGETS LTD"
    # the award's value counts once in the report although two suppliers share it
    assert result.report["totals"]["amount_kept"] == "1234.50"
    assert result.report["files"][0]["format"] == "release_package"


def test_single_release_tender_and_record_package(tmp_path):
    write(tmp_path / "one.json", release("ocds-2", tag="tender"))
    record = {"ocid": "ocds-3", "compiledRelease": release("ocds-3", awards=[AWARD])}
    linked = {"ocid": "ocds-4", "releases": [{"url": "http://x/r.json", "date": "2025-01-01"}]}
    write(tmp_path / "records.json", {"records": [record, linked]})
    result = read_contracts([tmp_path])
    t = result.table
    tender = t[t["ocid"] == "ocds-2"]
    assert list(tender["level"]) == ["tender"] and tender["supplier_id"].isna().all()
    assert tender["value_pence"].iat[0] == 500000
    assert (t["ocid"] == "ocds-3").sum() == 2
    assert list(result.rejects["reason"]) == ["malformed_release"]
    totals = result.report["totals"]
    assert totals["rows_read"] == totals["rows_kept"] + sum(totals["rows_rejected"].values()) == 4


def test_contracts_take_suppliers_from_their_award(tmp_path):
    contract = {"id": "c1", "awardID": "a1", "status": "active", "value": {"amount": "1,000"}}
    write(tmp_path / "c.json", release("ocds-5", awards=[AWARD], contracts=[contract]))
    t = read_contracts(tmp_path / "c.json").table
    rows = t[t["level"] == "contract"]
    assert list(rows["supplier_id"]) == ["GB-COH-01234567", "GB-CFS-99"]
    assert (rows["value_pence"] == 100000).all()
    assert (rows["start_date"] == pd.Timestamp("2025-03-01")).all()  # from the award


def test_bad_input_is_rejected_never_a_traceback(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    write(tmp_path / "other.json", {"hello": "world"})
    bad_award = {**AWARD, "value": {"amount": "lots"}}
    write(tmp_path / "bad.json", {"releases": [release("ocds-6", awards=[bad_award]), 7]})
    result = read_contracts(tmp_path)
    reasons = sorted(result.rejects["reason"])
    assert reasons == [
        "malformed_release",
        "not_ocds",
        "unparseable_amount",
        "unparseable_amount",
        "unreadable_file",
    ]
    assert result.table.empty and list(result.table.columns)[:3] == [
        "source_file",
        "source_row",
        "where",
    ]
    for entry in result.report["files"]:
        assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
    with pytest.raises(FileNotFoundError):
        read_contracts(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Marstons holdings plcnOne America Square, 17 Crosswall, London EC3N 2LB", "EC3N 2LB"),
        ("Second Floorn66-68 East SmithfieldnLondonnE1W 1AW", "E1W 1AW"),
        ("Partis House, rnDavy Avenue, rnMilton Keys, rnMK5 8HJ", "MK5 8HJ"),
        ("CALIFORNIA | 120 COOMBE LANE | LONDON | SW20 OBA", "SW20 0BA"),
        ("Coach house, Warwick, United Kingdom, CV357LD", "CV35 7LD"),
        ("green road , coventry, United Kingdom, cv6 2DT", "CV6 2DT"),
        ("4700 Superior Streetn        Lincoln NEn        68504", None),
        ("Birr, Co. Offaly, Ireland, R42 EK09", None),
        ("Unit 4, Four Ashes Enterprise Centre", None),
        (None, None),
    ],
)
def test_postcodes_found_in_address_text(text, expected):
    got = extract_postcodes(pd.Series([text], dtype="string")).iat[0]
    assert (None if pd.isna(got) else got) == expected


@pytest.mark.shared_data
def test_all_contracts_finder_releases(shared_data):
    folder = shared_data / "contracts" / "contracts-finder" / "releases"
    files = sorted(folder.glob("*.json"))
    result = read_contracts(folder)
    t, totals = result.table, result.report["totals"]
    # independent recount with the standard library
    supplier_refs = releases = awardless = 0
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        releases += 1
        awards = doc.get("awards") or []
        awardless += not awards
        supplier_refs += sum(len(a.get("suppliers") or []) for a in awards)
    assert len(files) == releases == totals["releases"] == 202
    assert result.rejects.empty
    assert totals["rows_read"] == totals["rows_kept"] == len(t) == supplier_refs + awardless
    suppliers = t[t["supplier_id"].notna()]
    assert len(suppliers) == supplier_refs == 268
    assert suppliers["supplier_scale"].value_counts().to_dict() == {"large": 140, "sme": 79}
    assert suppliers["supplier_vcse"].value_counts().to_dict() == {False: 167, True: 8}
    assert suppliers["supplier_postcode"].notna().mean() > 0.9
    assert (
        suppliers["supplier_postcode"]
        .dropna()
        .str.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}")
        .all()
    )
    assert set(suppliers["supplier_id"].str[:6]) <= {"GB-COH", "GB-CFS", "GB-SRS"}
    assert t["date"].between("2025-01-01", "2025-03-31").all()
    assert t["buyer_name"].notna().all()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "ocid",
                    "id",
                    "awards",
                    "suppliers",
                    "parties",
                    "value",
                    "amount",
                    "address",
                    "details",
                    "releases",
                    "records",
                    "buyer",
                    "tender",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=JSON)
def test_arbitrary_json_never_crashes_and_never_loses_a_row(tmp_path, doc):
    path = write(tmp_path / "fuzz.json", {"releases": [release("ocds-f", awards=[AWARD]), doc]})
    result = read_contracts(path)
    entry = result.report["files"][0]
    assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
    assert entry["rows_read"] == len(result.table) + len(result.rejects)
    assert entry["rows_kept"] >= 2  # the well-formed release is still read


def test_deep_or_oddly_typed_json_is_rejected_never_raised(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    odd_party = {"id": "GB-COH-1", "name": "Odd", "additionalIdentifiers": 5}
    odd = release("ocds-odd", awards=[{**AWARD, "suppliers": [{"id": "GB-COH-1"}]}])
    odd["parties"] = [odd_party]
    write(tmp_path / "odd.json", {"releases": [odd, release("ocds-ok", awards=[AWARD])]})
    result = read_contracts(tmp_path)
    reasons = result.rejects.set_index(result.rejects["source_file"].str[-9:])["reason"]
    assert reasons["deep.json"] == "unreadable_file"
    assert reasons["/odd.json"] == "malformed_release"
    assert set(result.table["ocid"]) == {"ocds-ok"}
