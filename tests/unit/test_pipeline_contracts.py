"""The council's Contracts Finder notices reach the case study: read from ``contracts/`` beside
the spend files, kept when the council is the buyer, and their supplier postcodes used by
enrichment as locality evidence (a supplier the spend file gives no postcode for)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kil_analysis.pipeline import load_case_study

SPEND = """Supplier Name,Amount,Service Area,Payment Date
Avon Valley Community Trust CIC,1200.00,Adult Social Care,15/04/2023
Avon Valley Community Trust CIC,800.00,Adult Social Care,15/05/2023
Faraway Widgets Ltd,500.00,Corporate IT,20/05/2023
"""


def _release(buyer: str, supplier: str, address: str, ocid: str) -> dict:
    party = {"id": f"{ocid}-S", "name": supplier, "address": {"streetAddress": address},
             "details": {"scale": "sme", "vcse": True}, "roles": ["supplier"]}  # fmt: skip
    return {
        "ocid": ocid, "id": f"{ocid}-1", "date": "2023-03-01T00:00:00Z", "tag": ["award"],
        "buyer": {"id": "GB-CFS-9", "name": buyer},
        "parties": [{"id": "GB-CFS-9", "name": buyer, "roles": ["buyer"]}, party],
        "awards": [{"id": f"{ocid}-A", "date": "2023-03-01T00:00:00Z",
                    "value": {"amount": 50000, "currency": "GBP"},
                    "suppliers": [{"id": party["id"]}]}],
    }  # fmt: skip


@pytest.fixture()
def published(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "bristol"
    (folder / "spend").mkdir(parents=True)
    (folder / "spend" / "spend-2023.csv").write_text(SPEND, encoding="utf-8")
    (folder / "contracts").mkdir()
    releases = [
        _release("BRISTOL CITY COUNCIL", "Avon Valley Community Trust CIC",
                 "Avon Valley Community Trust CICrnrn12 Old Market St, Bristol BS2 0EZ", "ocds-1"),
        # another buyer's notice: not the council's, so its supplier's postcode is not used
        _release("LEEDS CITY COUNCIL", "Faraway Widgets Ltd",
                 "Faraway Widgets Ltd, 1 Park Row, Leeds LS1 5AB", "ocds-2"),
    ]  # fmt: skip
    (folder / "contracts" / "notices.json").write_text(
        json.dumps({"releases": releases}), encoding="utf-8"
    )
    return folder


def test_council_notices_are_read_and_their_supplier_postcodes_place_suppliers(published):
    study = load_case_study("bristol", published)
    assert study.contracts_dir == (published / "contracts").resolve()
    assert study.contracts is not None and study.contracts["ocid"].tolist() == ["ocds-1"]
    assert study.contracts_report["totals"]["releases"] == 2
    suppliers = study.suppliers.set_index("supplier_name")
    trust = suppliers.loc["Avon Valley Community Trust CIC"]
    assert trust["postcode"] == "BS2 0EZ" and trust["postcode_source"] == "grants or contracts"
    assert suppliers.loc["Faraway Widgets Ltd", "postcode_source"] is None


def test_no_contracts_folder_means_no_notices(published, tmp_path):
    study = load_case_study("bristol", published, contracts_dir=tmp_path / "nowhere")
    assert study.contracts is None and study.contracts_report is None
    assert (
        study.suppliers.set_index("supplier_name").loc[
            "Avon Valley Community Trust CIC", "postcode_source"
        ]
        is None
    )
