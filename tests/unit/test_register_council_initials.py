"""Councils by their initials (EDDC, MDDC, DMBC), as finance systems write them."""

from __future__ import annotations

from pathlib import Path

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.readers.registers.discover import load_registers

COUNCILS = (
    "local-authority-eng\tlocal-authority-type\tname\tofficial-name\tstart-date\tend-date\n"
    "MDE\tNMD\tMid Devon\tMid Devon District Council\t\t\n"
    "DNC\tMD\tDoncaster\tDoncaster Metropolitan Borough Council\t\t\n"
    "DUD\tMD\tDudley\tDudley Metropolitan Borough Council\t\t\n"
    "SHF\tMD\tSheffield\tSheffield City Council\t\t\n"
)


def _read(tmp_path: Path, names: list[str]) -> dict[str, tuple[str, object]]:
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "local-authority-eng.tsv").write_text(COUNCILS)
    out = classify_suppliers(names, load_registers(folder))
    pairs = zip(out["org_type"], out["register_id"], strict=True)
    return dict(zip(out["supplier_name"], pairs, strict=True))


def test_a_councils_initials_name_it(tmp_path: Path) -> None:
    got = _read(tmp_path, ["MDDC", "M D D C(S P PAYMENTS ONLY)"])
    assert got["MDDC"] == ("public", "GB-LAE-MDE")
    assert got["M D D C(S P PAYMENTS ONLY)"] == ("public", "GB-LAE-MDE")


def test_initials_two_councils_share_are_a_council_but_not_which(tmp_path: Path) -> None:
    assert _read(tmp_path, ["DMBC"])["DMBC"] == ("public", "GB-LAE-DNC; GB-LAE-DUD")


def test_short_or_embedded_initials_are_not_read(tmp_path: Path) -> None:
    got = _read(tmp_path, ["SCC", "MDDC SERVICES LTD", "DMBC CONSULTING"])
    assert "public" not in {kind for kind, _ in got.values()}
