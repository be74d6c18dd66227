"""The researcher's worksheet: round trip to overrides, and safe to open in a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.cli import main
from kil_analysis.config import load_council
from kil_analysis.enrich import (
    build_worksheet,
    enrich_suppliers,
    read_overrides,
    read_worksheet,
    write_worksheet,
)

BRISTOL = load_council("bristol")


def suppliers() -> pd.DataFrame:
    spend = pd.DataFrame(
        {
            "supplier_name": [
                '=HYPERLINK("http://x")',
                "+44 Cars Ltd",
                "@Home CIC",
                "Plain Trust",
                "Small Fry Ltd",
            ],
            "amount_pence": [5_000_00, 4_000_00, 3_000_00, 2_000_00, 1_00],
        }
    )
    return enrich_suppliers(spend, BRISTOL)


def test_worksheet_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    sheet = build_worksheet(suppliers(), top=4)
    assert len(sheet) == 4 and sheet["supplier_name"].iloc[0].startswith("=")
    path = write_worksheet(sheet, tmp_path / "ws.csv")
    raw = path.read_text(encoding="utf-8-sig")
    for line in raw.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), line
    assert "'=HYPERLINK" in raw and "'+44 Cars Ltd" in raw
    # The researcher corrects one row, confirms another and notes a formula-like text.
    edited = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    edited.loc[0, ["org_type", "note"]] = ["private", "'=checked on site"]
    edited.loc[3, "confirmed"] = "y"
    edited.to_csv(tmp_path / "bristol.csv", index=False, encoding="utf-8-sig")
    ov = read_worksheet(tmp_path / "bristol.csv").set_index("supplier_key")
    first = sheet["supplier_key"].iloc[0]
    assert ov.loc[first, "org_type"] == "private" and ov.loc[first, "note"] == "=checked on site"
    fourth = sheet["supplier_key"].iloc[3]
    assert ov.loc[fourth, "org_type"] == sheet["current_org_type"].iloc[3]
    assert len(ov) == 2
    # and it applies: overrides win
    spend = pd.DataFrame({"supplier_name": ['=HYPERLINK("http://x")'], "amount_pence": [1]})
    out = enrich_suppliers(spend, BRISTOL, overrides_path=tmp_path / "bristol.csv")
    assert out["org_type"].item() == "private" and out["overridden"].item()


def test_bad_override_value_names_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("supplier_key,org_type\nACME LTD,charity\n")
    with pytest.raises(ValueError, match=r"x.csv: row 2: org_type 'charity'"):
        read_overrides(path)


def test_worksheet_command_needs_enrich_first(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path))
    assert main(["worksheet", "bristol"]) == 1
    assert "run `kil enrich bristol` first" in capsys.readouterr().err


def test_enrich_and_worksheet_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path))
    raw = tmp_path / "raw" / "bristol"
    (raw / "grants").mkdir(parents=True)  # a 360Giving file beside the spend is not spend
    (raw / "grants" / "grants.csv").write_text("Identifier,Amount Awarded\n360G-x-1,100\n")
    (raw / "spend.csv").write_text(
        "Supplier Name,Amount,Payment Date,Description,Transaction Number\n"
        "Acme Ltd,100.00,01/04/2024,Stuff,1\nSt Pauls Church,50.00,02/04/2024,Hire,2\n"
        "redacted,10.00,03/04/2024,Care,3\n"
    )
    assert main(["enrich", "bristol", "--registers", str(tmp_path / "none"), "--json"]) == 0
    assert '"suppliers": 3' in capsys.readouterr().out
    assert main(["worksheet", "bristol", "--top", "5"]) == 0
    sheet = pd.read_csv(tmp_path / "overrides" / "bristol-worksheet.csv", encoding="utf-8-sig")
    assert sheet["supplier_name"].tolist() == ["Acme Ltd", "St Pauls Church"]


def proposals_for(sheet: pd.DataFrame) -> pd.DataFrame:
    """Proposals (as `kil resolve` writes them) for two suppliers of the sheet's source."""
    from kil_analysis.enrich.proposals import finish_proposals

    rows = [
        {  # a candidate name from a service is untrusted text too
            "supplier_key": "PLAIN TRUST",
            "supplier_name": "Plain Trust",
            "total_pence": 2_000_00,
            "service": "findthatcharity.uk-reconcile",
            "rank": 1,
            "candidate_id": "GB-CHC-1000001",
            "candidate_name": "=PLAIN TRUST",
            "score": 88.0,
            "match": True,
            "proposed_org_type": "vcse",
            "proposed_vcse_form": "charity",
            "postcode": "BS1 5TR",
            "proposed_locality": "in_area",
        },
        {  # a second candidate for the same supplier
            "supplier_key": "PLAIN TRUST",
            "supplier_name": "Plain Trust",
            "total_pence": 2_000_00,
            "service": "findthatcharity.uk-reconcile",
            "rank": 2,
            "candidate_id": "GB-CHC-2",
            "candidate_name": "PLAIN",
            "score": 80.0,
            "match": False,
            "proposed_org_type": "vcse",
            "proposed_vcse_form": "charity",
        },
        {  # the smallest supplier: below the sheet's top, listed because it has a proposal
            "supplier_key": "SMALL FRY LTD",
            "supplier_name": "Small Fry Ltd",
            "total_pence": 1,
            "service": "findthatcharity.uk-reconcile",
            "rank": 1,
            "candidate_id": "GB-COH-07654321",
            "candidate_name": "SMALL FRY LIMITED",
            "score": 50.0,
            "match": False,
            "proposed_org_type": "private",
            "postcode": None,
        },
    ]
    return finish_proposals(pd.DataFrame(rows))


def test_worksheet_shows_proposals_and_reads_decisions(tmp_path: Path) -> None:
    sup = suppliers()
    sheet = build_worksheet(sup, top=4, proposals=proposals_for(sup))
    assert sheet["supplier_name"].tolist()[-1] == "Small Fry Ltd"  # beyond the top 4
    trust = sheet.set_index("supplier_key").loc["PLAIN TRUST"]
    assert trust["proposal_id"] == "GB-CHC-1000001" and trust["proposal_similarity"] == "100"
    assert trust["suggestion"] == "accept?" and trust["accept_proposal"] == ""
    path = write_worksheet(sheet, tmp_path / "ws.csv")
    assert "'=PLAIN TRUST" in path.read_text(encoding="utf-8-sig")

    edited = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    edited.loc[edited["supplier_key"] == "PLAIN TRUST", "accept_proposal"] = "yes"
    small = edited["supplier_key"] == "SMALL FRY LTD"
    # The researcher accepts but writes their own org type: their cell wins.
    edited.loc[small, ["accept_proposal", "org_type"]] = ["y", "individual"]
    edited.to_csv(tmp_path / "bristol.csv", index=False, encoding="utf-8-sig")
    ov = read_worksheet(tmp_path / "bristol.csv").set_index("supplier_key")
    plain = ov.loc["PLAIN TRUST"]
    assert (plain["org_type"], plain["vcse_form"], plain["locality"]) == (
        "vcse",
        "charity",
        "in_area",
    )
    assert plain["register_id"] == "GB-CHC-1000001" and plain["postcode"] == "BS1 5TR"
    assert (
        plain["note"]
        == "accepted proposal GB-CHC-1000001 (findthatcharity.uk-reconcile, similarity 100)"
    )
    assert ov.loc["SMALL FRY LTD", "org_type"] == "individual"


def test_a_decision_must_be_yes_or_no_and_need_a_proposal(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("supplier_key,proposal_id,accept_proposal\nACME,GB-COH-1,maybe\n")
    with pytest.raises(ValueError, match=r"x.csv: row 2: accept_proposal 'maybe' is not y"):
        read_overrides(path)
    path.write_text("supplier_key,proposal_id,accept_proposal\nACME,,y\n")
    with pytest.raises(
        ValueError, match=r"row 2: accept_proposal is y but the row has no proposal"
    ):
        read_overrides(path)


def test_another_candidate_can_be_accepted_by_its_org_id(tmp_path: Path) -> None:
    # Two charities share one name: the researcher picks the second by its org-id.
    path = tmp_path / "bristol.csv"
    pd.DataFrame(
        {
            "supplier_key": ["CHANGING LIVES"],
            "proposal_service": ["findthatcharity.uk-reconcile"],
            "proposal_id": ["GB-CHC-1156454"],
            "proposal_org_type": ["vcse"],
            "proposal_vcse_form": ["charity"],
            "proposal_postcode": ["SW1A 1AA"],
            "proposal_locality": ["outside"],
            "other_candidates": ["GB-CHC-500640 CHANGING LIVES (100)"],
            "accept_proposal": ["gb-chc-500640"],
        }
    ).to_csv(path, index=False)
    row = read_overrides(path).iloc[0]
    assert row["register_id"] == "GB-CHC-500640" and row["org_type"] == "vcse"
    assert pd.isna(row["postcode"]) and pd.isna(row["locality"])  # not the shown proposal's
    assert row["note"] == "accepted proposal GB-CHC-500640 (findthatcharity.uk-reconcile)"
    path.write_text(path.read_text().replace("gb-chc-500640", "GB-CHC-999"))
    with pytest.raises(ValueError, match=r"row 2: accept_proposal 'GB-CHC-999' is not y"):
        read_overrides(path)


def test_a_regenerated_worksheet_keeps_the_candidate_chosen(tmp_path: Path) -> None:
    sup = suppliers()
    props = proposals_for(sup)
    path = write_worksheet(build_worksheet(sup, top=4, proposals=props), tmp_path / "ws.csv")
    edited = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    trust = edited["supplier_key"] == "PLAIN TRUST"
    assert edited.loc[trust, "other_candidates"].item().startswith("GB-CHC-2 PLAIN")
    edited.loc[trust, "accept_proposal"] = "GB-CHC-2"
    edited.loc[edited["supplier_key"] == "SMALL FRY LTD", "accept_proposal"] = "n"
    edited.to_csv(tmp_path / "bristol.csv", index=False, encoding="utf-8-sig")
    again = build_worksheet(
        sup, top=4, overrides=read_overrides(tmp_path / "bristol.csv"), proposals=props
    )
    decided = dict(zip(again["supplier_key"], again["accept_proposal"], strict=True))
    assert decided["PLAIN TRUST"] == "GB-CHC-2" and decided["SMALL FRY LTD"] == "n"
    # saved again as it is, the note does not repeat itself
    write_worksheet(again, tmp_path / "bristol.csv")
    note = (
        read_overrides(tmp_path / "bristol.csv")
        .set_index("supplier_key")
        .loc["PLAIN TRUST", "note"]
    )
    assert note.count("accepted proposal GB-CHC-2") == 1
