"""A council's housing company (ALMO) named after the council's place: the council's, unless
another register holds the name (a housing association that took the council's stock)."""

from __future__ import annotations

from pathlib import Path

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.discover import load_registers

COUNCILS = (
    "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\tend-date\n"
    "SHF\tMD\tSheffield\tSheffield City Council\t\t\n"
    "WDE\tNMD\tWest Devon\tWest Devon Borough Council\t\t\n"
    "DEV\tCTY\tDevon\tDevon County Council\t\t\n"
)


def _readings(tmp_path: Path, names: list[str]) -> dict[str, tuple[str, str | None]]:
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "local-authority-eng.tsv").write_text(COUNCILS)
    (folder / "mutual-companies.csv").write_text(
        "mutual_id,company_id,name\n7047,,West Devon Homes Limited\n"
    )
    out = classify_suppliers(names, load_registers(folder))
    pairs = zip(out["org_type"], out["public_kind"], strict=True)
    return dict(zip(out["supplier_name"], pairs, strict=True))


def test_a_housing_company_named_after_a_council_is_the_councils(tmp_path: Path) -> None:
    got = _readings(
        tmp_path,
        ["SHEFFIELD HOMES LTD", "THE SHEFFIELD HOUSING COMPANY", "SHEFFIELD CITY HOMES"],
    )
    assert set(got.values()) == {("public", "council_company")}


def test_a_housing_association_of_that_name_and_a_countys_place_are_not(tmp_path: Path) -> None:
    got = _readings(tmp_path, ["WEST DEVON HOMES LTD", "DEVON HOMES LTD", "SHEFFIELD HOMES CARE"])
    assert got["WEST DEVON HOMES LTD"][0] == "vcse"  # the registered society, not the council's
    assert got["DEVON HOMES LTD"][0] == "private"  # a county is no housing authority
    assert got["SHEFFIELD HOMES CARE"][0] != "public"
