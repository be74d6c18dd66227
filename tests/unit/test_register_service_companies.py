"""A council's own service company named after the council's place and the service
("LIVERPOOL STREETSCENE SERVICES LTD", "SCHOOL IMPROVEMENT LIVERPOOL LTD"): the council's."""

from __future__ import annotations

from pathlib import Path

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.discover import load_registers

COUNCILS = (
    "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\tend-date\n"
    "LIV\tMD\tLiverpool\tLiverpool City Council\t\t\n"
    "DEV\tCTY\tDevon\tDevon County Council\t\t\n"
)


def _readings(tmp_path: Path, names: list[str]) -> dict[str, tuple[str, str | None]]:
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "local-authority-eng.tsv").write_text(COUNCILS)
    out = classify_suppliers(names, load_registers(folder))
    pairs = zip(out["org_type"], out["public_kind"], strict=True)
    return dict(zip(out["supplier_name"], pairs, strict=True))


def test_a_service_company_named_after_its_council_is_the_councils(tmp_path: Path) -> None:
    names = [
        "LIVERPOOL STREETSCENE SERVICES LIMITED",
        "SCHOOL IMPROVEMENT LIVERPOOL LTD",
        "DEVON TRADED SERVICES",  # a county sells services to its schools too
    ]
    assert set(_readings(tmp_path, names).values()) == {("public", "council_company")}


def test_a_firm_with_the_place_and_another_trade_is_not(tmp_path: Path) -> None:
    got = _readings(
        tmp_path,
        ["LIVERPOOL BUILDING SERVICES LTD", "LIVERPOOL VISION LTD", "STREETSCENE LTD"],
    )
    assert all(kind != "public" for kind, _ in got.values())
