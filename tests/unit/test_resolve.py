"""`kil resolve`: unidentified suppliers looked up on a local server, proposed, accepted by hand.

Every test talks to a server on 127.0.0.1 (tests/unit/test_resolve_support.py) that answers in
the documented shapes of the Reconciliation Service API and Companies House's company search.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.cli import main
from kil_analysis.enrich.resolve import unidentified_suppliers
from tests.unit.test_resolve_support import Company, LookupServer, Org, closed_port_url

# Suppliers as a finance system prints them: none is identified by its name alone.
SPEND = [
    ("TAY VALLEY LIGHTING", "900000.00"),
    ("QX ONE", "700000.00"),
    ("KNOWLE WEST MEDIA CENTRE", "500000.00"),
    ("BRIGSTOWE PROJECT", "300000.00"),
    ("SOUTHMEAD DEVELOPMENT TRUST", "200000.00"),
    ("ACME BUILDERS LTD", "150000.00"),  # identified (LTD): never looked up
    ("REDACTED", "120000.00"),  # personal data: never sent anywhere
    ("NOBODY KNOWS THIS NAME", "100000.00"),
]
ORGS = [
    Org(
        "GB-CHC-1063937",
        "KNOWLE WEST MEDIA CENTRE",
        "registered-charity",
        "Registered Charity",
        "BS4 1NL",
    ),
    Org(
        "GB-CHC-1115123", "BRIGSTOWE PROJECT", "registered-charity", "Registered Charity", "BS2 0QS"
    ),
    Org(
        "GB-COH-04445555",
        "SOUTHMEAD DEVELOPMENT TRUST",
        "company-limited-by-guarantee",
        "Company Limited by Guarantee",
        "BS10 6AZ",
    ),
    Org(
        "GB-COH-SC123456",
        "TAY VALLEY LIGHTING LIMITED",
        "registered-company",
        "Registered Company",
        "DD2 4UH",
    ),
    Org(
        "GB-CHC-200001",
        "SOUTHMEAD TRUST FOR THE ELDERLY",
        "registered-charity",
        "Registered Charity",
        None,
        active=False,
    ),
]
COMPANIES = [
    Company("04251234", "QX-ONE LIMITED", "ltd", postcode="DL1 1GH"),
    Company(
        "09876543",
        "KNOWLE WEST MEDIA CENTRE C.I.C.",
        "private-limited-guarant-nsc",
        postcode="BS4 1NL",
    ),
]


@pytest.fixture()
def enriched(tmp_path: Path, monkeypatch) -> Path:
    """A Bristol data folder with one spend file, enriched with names only."""
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COMPANIES_HOUSE_API_KEY", raising=False)
    monkeypatch.delenv("KIL_RECONCILE_URL", raising=False)
    raw = tmp_path / "raw" / "bristol"
    raw.mkdir(parents=True)
    lines = ["Supplier Name,Amount,Payment Date,Description,Transaction Number"]
    lines += [f"{n},{a},01/04/2024,Services,{i}" for i, (n, a) in enumerate(SPEND, 1)]
    (raw / "spend.csv").write_text("\n".join(lines) + "\n")
    assert main(["enrich", "bristol", "--registers", str(tmp_path / "none")]) == 0
    return tmp_path


def _resolve(*extra: str) -> int:
    return main(["resolve", "bristol", "--delay", "0", *extra])


def test_only_unidentified_suppliers_are_looked_up_by_spend(enriched: Path) -> None:
    suppliers = pd.read_parquet(enriched / "processed" / "bristol" / "suppliers.parquet")
    picked = unidentified_suppliers(suppliers, top=3)
    assert picked["supplier_name"].tolist() == [
        "TAY VALLEY LIGHTING",
        "QX ONE",  # no rule or register reads it: looked up
        "KNOWLE WEST MEDIA CENTRE",
    ]
    everyone = set(unidentified_suppliers(suppliers, top=100)["supplier_name"])
    assert "ACME BUILDERS LTD" not in everyone and "REDACTED" not in everyone


def test_enrich_resolve_worksheet_accept_two_enrich(enriched: Path, capsys) -> None:
    with LookupServer(orgs=ORGS, batch_size=3) as server:
        assert _resolve("--top", "20", "--service-url", server.reconcile_url) == 0
        out = capsys.readouterr().out
        # six names to ask (LTD and REDACTED left out), at most three per request
        assert server.count("reconcile") == 2
        assert all(n <= 3 for s, _, n in server.log if s == "reconcile")
        assert server.count("extend") >= 1  # postcodes by data extension
        assert "6 unidentified suppliers" in out and "6 names asked, 0 from cache" in out
        assert main(["worksheet", "bristol"]) == 0
        assert "4 proposals from `kil resolve`" in capsys.readouterr().out

    sheet_path = enriched / "overrides" / "bristol-worksheet.csv"
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    row = sheet.set_index("supplier_name")
    kwmc = row.loc["KNOWLE WEST MEDIA CENTRE"]
    assert kwmc["proposal_id"] == "GB-CHC-1063937"
    assert kwmc["proposal_name"] == "KNOWLE WEST MEDIA CENTRE"  # the "(GB-CHC-…)" tail dropped
    assert kwmc["proposal_org_type"] == "vcse" and kwmc["proposal_vcse_form"] == "charity"
    assert kwmc["proposal_postcode"] == "BS4 1NL" and kwmc["proposal_locality"] == "in_area"
    assert kwmc["proposal_match"] == "true" and kwmc["suggestion"] == "accept?"
    assert kwmc["accept_proposal"] == ""  # the decision is the researcher's, never pre-made
    trust = row.loc["SOUTHMEAD DEVELOPMENT TRUST"]
    assert trust["proposal_vcse_form"] == "company limited by guarantee"
    assert "GB-CHC-200001" in trust["other_candidates"]
    tay = row.loc["TAY VALLEY LIGHTING"]
    assert tay["proposal_org_type"] == "private" and tay["proposal_locality"] == "outside"
    assert row.loc["NOBODY KNOWS THIS NAME", "proposal_id"] == ""

    # The researcher accepts two proposals, rejects one, and saves the sheet as overrides.
    sheet.loc[sheet["supplier_name"] == "KNOWLE WEST MEDIA CENTRE", "accept_proposal"] = "y"
    sheet.loc[sheet["supplier_name"] == "TAY VALLEY LIGHTING", "accept_proposal"] = "Y"
    sheet.loc[sheet["supplier_name"] == "BRIGSTOWE PROJECT", "accept_proposal"] = "n"
    overrides = enriched / "overrides" / "bristol.csv"
    sheet.to_csv(overrides, index=False, encoding="utf-8-sig")

    assert main(["enrich", "bristol", "--registers", str(enriched / "none"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overridden"] == 2
    suppliers = pd.read_parquet(enriched / "processed" / "bristol" / "suppliers.parquet")
    s = suppliers.set_index("supplier_name")
    k = s.loc["KNOWLE WEST MEDIA CENTRE"]
    assert (k["org_type"], k["vcse_form"], k["locality"]) == ("vcse", "charity", "in_area")
    assert k["register_id"] == "GB-CHC-1063937" and k["postcode"] == "BS4 1NL"
    assert k["org_type_evidence"].startswith("override: accepted proposal GB-CHC-1063937")
    assert s.loc["TAY VALLEY LIGHTING", "org_type"] == "private"
    assert not s.loc["BRIGSTOWE PROJECT", "overridden"]  # rejected: nothing changes

    # A regenerated worksheet keeps the decisions.
    assert main(["worksheet", "bristol"]) == 0
    again = pd.read_csv(sheet_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    decided = dict(zip(again["supplier_name"], again["accept_proposal"], strict=True))
    assert decided["KNOWLE WEST MEDIA CENTRE"] == "y" and decided["BRIGSTOWE PROJECT"] == "n"


def test_a_cached_name_is_never_asked_again(enriched: Path, capsys) -> None:
    with LookupServer(orgs=ORGS) as server:
        assert _resolve("--top", "3", "--service-url", server.reconcile_url) == 0
        asked = server.count("reconcile") + server.count("extend")
        capsys.readouterr()
        assert _resolve("--top", "3", "--service-url", server.reconcile_url) == 0
        assert server.count("reconcile") + server.count("extend") == asked
        assert "0 names asked, 3 from cache, 0 requests" in capsys.readouterr().out
        # one file per service and name, keyed by a hash of the normalised name
        files = sorted((enriched / "registers" / "resolved").rglob("*.json"))
        stored = [json.loads(p.read_text()) for p in files]
        assert {r["key"] for r in stored} >= {"TAY VALLEY LIGHTING", "QX ONE"}
        assert all(len(p.stem) == 32 for p in files)


def test_offline_says_so_in_one_line_and_uses_the_cache(enriched: Path, capsys) -> None:
    with LookupServer(orgs=ORGS) as server:
        assert _resolve("--top", "3", "--service-url", server.reconcile_url) == 0
        cached_label = server.reconcile_url
    capsys.readouterr()
    # The same service, now unreachable: cached answers still make proposals.
    offline_url = closed_port_url()
    assert _resolve("--top", "5", "--service-url", offline_url) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kil resolve: ") and "offline" in err[0]
    assert "cannot reach 127.0.0.1" in err[0]
    assert cached_label != offline_url  # a different port is another service: nothing cached
    # and what the first service proposed is still there for the worksheet
    kept = pd.read_parquet(enriched / "processed" / "bristol" / "proposals.parquet")
    assert "GB-CHC-1063937" in set(kept["candidate_id"])
    # --offline with the first service's URL answers the first three from its cache.
    assert _resolve("--top", "5", "--service-url", cached_label, "--offline") == 1
    captured = capsys.readouterr()
    assert "0 names asked, 3 from cache, 0 requests" in captured.out
    assert "2 names not asked" in captured.err
    proposals = pd.read_parquet(enriched / "processed" / "bristol" / "proposals.parquet")
    assert "GB-CHC-1063937" in set(proposals["candidate_id"])


def test_companies_house_is_asked_only_with_a_key(enriched: Path, monkeypatch, capsys) -> None:
    with LookupServer(orgs=[], companies=COMPANIES) as server:
        common = ["--top", "3", "--service-url", server.reconcile_url]
        common += ["--companies-house-url", server.base]
        assert _resolve(*common) == 0
        assert server.count("companies") == 0
        assert "set COMPANIES_HOUSE_API_KEY" in capsys.readouterr().out

        monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "wrong-key")
        assert _resolve(*common) == 1
        assert "refused the API key (HTTP 401)" in capsys.readouterr().err

        monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "test-key")
        assert _resolve(*common) == 0
        searches = [entry for entry in server.log if entry[:2] == ("companies", "GET")]
        assert len(searches) == 3  # one search per name
    proposals = pd.read_parquet(enriched / "processed" / "bristol" / "proposals.parquet")
    p = proposals.set_index("candidate_id")
    assert p.loc["GB-COH-04251234", "supplier_name"] == "QX ONE"
    assert p.loc["GB-COH-04251234", "proposed_org_type"] == "private"
    assert p.loc["GB-COH-04251234", "postcode"] == "DL1 1GH"
    # a guarantee company whose registered name carries the CIC ending is a CIC
    assert p.loc["GB-COH-09876543", "proposed_vcse_form"] == "CIC"


def test_resolve_needs_enrich_first(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path))
    assert main(["resolve", "bristol"]) == 1
    assert "run `kil enrich bristol` first" in capsys.readouterr().err
