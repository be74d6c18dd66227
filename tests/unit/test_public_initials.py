"""Public bodies by their initials: one reading for the name rules and the fire register."""

from __future__ import annotations

import kil_analysis.enrich  # noqa: F401  (import order: the registers package needs it first)
from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.public_bodies import fire_initialisms


def _reading(names: list[str]) -> dict[str, str]:
    out = classify_suppliers(names)
    return dict(zip(out["supplier_name"], out["org_type"], strict=True))


def test_bodies_by_the_initials_of_their_kind_and_departments_are_public() -> None:
    names = ["GMPCC", "WYFRA", "SYPTE", "SOUTH YORKSHIRE PTE", "DCLG", "THE DEFRA", "DECC CRC"]
    assert _reading(names) == dict.fromkeys(names, "public")


def test_initials_inside_a_longer_name_or_a_company_are_not_a_public_body() -> None:
    got = _reading(["ACME ASIA PTE LTD", "DCLG CONSULTING LTD", "WYFRA TRAINING LTD", "DFT BUSES"])
    assert "public" not in got.values()


def test_the_fire_register_writes_a_services_initials_with_the_same_tails() -> None:
    assert fire_initialisms("West Yorkshire Fire and Rescue Service") == [
        "WYFRS",
        "WYFRA",
        "WYFRAS",
    ]
    assert fire_initialisms("London Fire Brigade") == []  # LFB: too short to be evidence
    assert _reading(["WYFRS"])["WYFRS"] == "public"
