"""Fire and rescue services under the initials ledgers write them by (WYFRA, GMFRS)."""

from __future__ import annotations

from pathlib import Path

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.public_bodies import fire_initialisms, read_fire_services
from kil_analysis.readers.registers.shape import Registers

HEADER = "fire-service-eng\tname\tstart-date\tend-date\n"


def _register(tmp_path: Path) -> Registers:
    path = tmp_path / "fire-service-eng.tsv"
    path.write_text(
        HEADER
        + "045\tWest Yorkshire Fire and Rescue Service\t\t\n"
        + "039\tSuffolk Fire and Rescue Service\t\t\n"
        + "040\tSurrey Fire and Rescue Service\t\t\n"
        + "027\tLondon Fire Brigade\t\t\n"
    )
    return Registers(organisations=read_fire_services(path))


def test_a_services_initials_name_it_and_its_authority() -> None:
    assert fire_initialisms("West Yorkshire Fire and Rescue Service") == [
        "WYFRS",
        "WYFRA",
        "WYFRAS",
    ]
    assert fire_initialisms("London Fire Brigade") == []  # LFB: three letters, too short


def test_initials_read_the_service_and_shared_initials_read_none(tmp_path: Path) -> None:
    out = classify_suppliers(["Wyfra", "W Y F R S", "SFRS"], _register(tmp_path))
    pairs = zip(out["org_type"], out["register_id"], strict=True)
    got = dict(zip(out["supplier_name"], pairs, strict=True))
    assert got["Wyfra"] == ("public", "GB-FIRE-045")
    assert got["W Y F R S"] == ("public", "GB-FIRE-045")
    # Surrey's and Suffolk's initials are the same: no evidence of either
    assert got["SFRS"][1] is None
