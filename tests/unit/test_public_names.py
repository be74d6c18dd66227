"""An academy paid under its trust's name: read public through the academy trusts register."""

from __future__ import annotations

import pandas as pd

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.public_names import academy_by_trust_matches
from kil_analysis.readers.registers.shape import Registers, org_frame


def _registers() -> Registers:
    trusts = org_frame(
        register_id=["GB-COH-00000001", "GB-COH-00000002", "GB-COH-00000003"],
        name=[
            "The Example Vale Multi Academy Trust",
            "Northshire Learning Trust",  # its own name begins a charity's name below
            "Riverside Academy Trust",
        ],
        org_type="public",
        public_kind="academy_trust",
    )
    schools = org_frame(
        register_id=["GB-EDU-1", "GB-EDU-2", "GB-EDU-3"],
        name=["St Anne's School", "Hilltop Primary School", "Meadow Academy"],
        org_type="public",
        public_kind="school",
    )
    others = org_frame(
        register_id=["GB-CHC-1", "GB-CHC-2"],
        name=["Northshire Learning Partnership For Adults", "Riverside Care"],
        org_type="vcse",
    )
    return Registers(organisations=pd.concat([trusts, schools, others], ignore_index=True))


def test_a_trust_named_academy_reads_public_with_the_trust_as_evidence() -> None:
    out = classify_suppliers(["EXAMPLE VALE ST ANNES", "EXAMPLE VALE HILLTOP"], _registers())
    assert out["org_type"].tolist() == ["public", "public"]
    assert out["register_id"].tolist() == ["GB-COH-00000001"] * 2
    assert out["evidence"].iloc[0] == "GB-COH-00000001 (academy named by its trust)"
    assert out["public_kind"].tolist() == ["academy_trust"] * 2


def test_two_academies_of_one_trust_stay_two_suppliers() -> None:
    out = classify_suppliers(["EXAMPLE VALE ST ANNES", "EXAMPLE VALE HILLTOP"], _registers())
    assert out["supplier_key"].nunique() == 2


def test_what_follows_the_trust_must_begin_a_schools_name() -> None:
    text = pd.Series(["EXAMPLE VALE FOSTERING", "EXAMPLE VALE", "EXAMPLE VALE ST ANNES LTD"])
    assert academy_by_trust_matches(text, _registers()).isna().all()


def test_a_trust_name_other_organisations_begin_with_is_not_evidence() -> None:
    # NORTHSHIRE LEARNING begins a charity's name too; RIVERSIDE is one word
    text = pd.Series(["NORTHSHIRE LEARNING HILLTOP", "RIVERSIDE MEADOW"])
    assert academy_by_trust_matches(text, _registers()).isna().all()


def test_a_name_a_rule_reads_keeps_the_rule() -> None:
    out = classify_suppliers(["EXAMPLE VALE ST ANNES CARE HOME"], _registers())
    assert "academy named by its trust" not in out["evidence"].iloc[0]


def test_without_registers_nothing_is_read() -> None:
    assert academy_by_trust_matches(pd.Series(["EXAMPLE VALE ST ANNES"]), None).isna().all()
