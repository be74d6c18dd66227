"""A school name a charity register holds and no state school does is the charity's school (a
non-maintained special or independent school); a state school's name stays the state school's."""

from __future__ import annotations

from pathlib import Path

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.discover import load_registers


def test_a_charitys_school_that_no_state_school_is_named_after_is_a_charity(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "schools.csv").write_text(
        "urn,name,town,postcode,lead_school,open_date,close_date\n"
        '100001,Westfield School,Newcastle,NE3 4HS,false,"",""\n'
    )
    (folder / "charity-names.csv").write_text(
        "org_id,alternative_name,set_as_primary,\n"
        "GB-CHC-526090,The Royal School for the Blind,,\n"
        "GB-CHC-111111,Westfield School,,\n"
    )
    names = ["THE ROYAL SCHOOL FOR THE BLIND", "WESTFIELD SCHOOL", "NORTHFIELD PRIMARY SCHOOL"]
    out = classify_suppliers(names, load_registers(folder))
    got = dict(zip(out["supplier_name"], out["org_type"], strict=True))
    assert got == {
        "THE ROYAL SCHOOL FOR THE BLIND": "vcse",
        "WESTFIELD SCHOOL": "public",  # a state school's name, whatever charity shares it
        "NORTHFIELD PRIMARY SCHOOL": "public",  # no register: the school rule
    }
