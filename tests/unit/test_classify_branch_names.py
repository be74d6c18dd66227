"""A VCSE body paid under its register name with a place, a kind of body or without a bracket.

Forms a finance officer in any council recognises (a national charity's local branch, "<charity>
<place>"; "<charity> PARTNERSHIP"; a register's bracketed description left off); the names are
made up in those forms, in the Charity Commission's real other-names layout.
"""

from __future__ import annotations

from kil_analysis.enrich import classify_suppliers
from kil_analysis.enrich.branch_names import MAX_ONE_WORD_REGISTER_NAMES
from tests.unit.test_classify_ledger_tags_and_colleges import charity_names

PLACES = {"E08000035": "Leeds", "E06000022": "Bath and North East Somerset", "E07000041": "Exeter"}


def registers(tmp_path, *rows: tuple[int, str]):
    """Registers holding the given charities' working names and the councils' place names."""
    regs = charity_names(tmp_path, *rows)
    regs.lad_names = PLACES
    return regs


def reading(out, name: str) -> tuple[str, str]:
    row = out.set_index("supplier_name").loc[name]
    return row["org_type"], row["evidence"]


def test_a_charity_paid_as_its_branch_by_place_is_the_charity(tmp_path) -> None:
    regs = registers(tmp_path, (1000001, "HARBOUR LIGHTS THEATRE"), (1000002, "QUENTLEY"))
    names = [
        "HARBOUR LIGHTS THEATRE EXETER",
        "LEEDS HARBOUR LIGHTS THEATRE",
        "QUENTLEY - LEEDS",
        "HARBOUR LIGHTS THEATRE NORTHWOOD",  # not a place the registers name
    ]
    out = classify_suppliers(names, regs)
    for name in names[:3]:
        kind, evidence = reading(out, name)
        assert kind == "vcse", (name, evidence)
        assert "register name and a place" in evidence
    assert reading(out, names[3])[0] != "vcse"
    # the branch is not at the charity's registered address
    assert out["postcode"].isna().all()


def test_a_common_word_and_a_place_is_no_charity(tmp_path) -> None:
    # a word that many registered bodies carry ("ACTION") is a common word, not one body's name
    common = [(1000100 + i, f"ACTION {word}") for i, word in enumerate("ABCDEFGHIJK")]
    assert len(common) > MAX_ONE_WORD_REGISTER_NAMES
    regs = registers(tmp_path, (1000001, "ACTION"), *common)
    out = classify_suppliers(["ACTION LEEDS"], regs)
    assert out["org_type"].iloc[0] != "vcse", out["evidence"].iloc[0]


def test_a_company_form_keeps_the_company_reading(tmp_path) -> None:
    regs = registers(tmp_path, (1000001, "HARBOUR LIGHTS THEATRE"))
    out = classify_suppliers(["HARBOUR LIGHTS THEATRE LEEDS LTD"], regs)
    assert out["org_type"].iloc[0] == "private", out["evidence"].iloc[0]


def test_the_kind_of_body_after_a_register_name_is_the_charity(tmp_path) -> None:
    regs = registers(tmp_path, (1000001, "DALESIDE PLUS"), (1000002, "WESTRIDGE FOUNDATION"))
    out = classify_suppliers(["THE DALESIDE PLUS PARTNERSHIP", "WESTRIDGE"], regs)
    kind, evidence = reading(out, "THE DALESIDE PLUS PARTNERSHIP")
    assert kind == "vcse" and "kind of body" in evidence, evidence
    # a firm's own foundation carries the firm's name: the firm is not the foundation
    assert reading(out, "WESTRIDGE")[0] != "vcse"


def test_a_register_name_without_its_bracketed_description(tmp_path) -> None:
    regs = registers(
        tmp_path,
        (1000001, "BRACKENSIDE HALL (CHILDREN'S CHARITABLE TRUST)"),
        (1000002, "LITTLE ACORN NURSERY (BATH AND NORTH EAST SOMERSET)"),
    )
    out = classify_suppliers(["Brackenside Hall", "LITTLE ACORN NURSERY"], regs)
    kind, evidence = reading(out, "Brackenside Hall")
    # before: read private as a care home by the house's name
    assert kind == "vcse" and "without its bracket" in evidence, evidence
    # a bracketed place is one town's body, not another town's of the same name
    assert "GB-CHC-1000002" not in reading(out, "LITTLE ACORN NURSERY")[1]
