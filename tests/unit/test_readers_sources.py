"""Decoding published bytes and splitting CSV text into cells with physical line numbers."""

from __future__ import annotations

import codecs
import io

import openpyxl
import pytest

from kil_analysis.readers.decoding import decode
from kil_analysis.readers.grids import csv_grid
from kil_analysis.readers.sources import table_content


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Supplier,£5".encode(), "Supplier,£5", "utf-8"),
        (b"\xef\xbb\xbfBody,x", "Body,x", "utf-8-sig"),
        (b"Invoices over \xa3250,,", "Invoices over £250,,", "cp1252"),
        ("é".encode() + b"\xa3", "é£", "utf-8+cp1252"),
        ("ï»¿Body Name,x".encode(), "Body Name,x", "utf-8+double-encoded-bom"),
        ("Don\u0092t".encode(), "Don’t", "utf-8+c1-as-cp1252"),
        ("\ufeffSupplier,£5".encode("utf-16-le"), "Supplier,£5", "utf-16-le"),
        (codecs.BOM_UTF16_BE + "Supplier,£5".encode("utf-16-be"), "Supplier,£5", "utf-16-be"),
        ("Date,Supplier,Amount\n".encode("utf-16-le"), "Date,Supplier,Amount\n", "utf-16-le"),
        ("CAF\u00c3\u0089 Â£5 Donâ€™t".encode(), "CAFÉ £5 Don’t", "utf-8+mojibake-repaired"),
        ("Payee,\ufffd3,750.00".encode(), "Payee,\ufffd3,750.00", "utf-8+replacement-characters"),
        (b"a,b\rc,d\r", "a,b\nc,d\n", "utf-8"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_grid_keeps_blank_lines_and_counts_physical_lines() -> None:
    text = 'Title,,\n\nDate,Supplier,Amount\n01/01/2024,"TWO\nLINES",1\n,,\n02/01/2024,C,2,extra\n'
    cells, lines = csv_grid(text, "t.csv")
    assert cells.shape == (6, 4)
    assert lines.tolist() == [1, 2, 3, 4, 6, 7]
    assert cells.iat[3, 1] == "TWO\nLINES"
    assert cells.iat[5, 3] == "extra"


def test_grid_widens_for_a_late_wide_row() -> None:
    rows = ["a,b"] * 400 + ["1,2,3,4,5"] + ["a,b"] * 100
    cells, lines = csv_grid("\n".join(rows) + "\n", "w.csv")
    assert cells.shape == (501, 5) and lines[-1] == 501
    assert cells.iloc[400].tolist() == ["1", "2", "3", "4", "5"]


def test_grid_keeps_a_record_with_an_unterminated_quote() -> None:
    # Read as Python's csv module reads it: the open quote runs to the end of the file, so the
    # record is one cell that the spend reader then rejects; nothing is dropped, nothing raises.
    cells, lines = csv_grid('a,b\n"unterminated,1\n' + "x" * 10, "bad.csv")
    assert cells.shape[0] == 2 and lines.tolist() == [1, 2]
    assert cells.iat[1, 0] == "unterminated,1\n" + "x" * 10


def test_council_folder_convention_leaves_grants_and_contracts_out(tmp_path):
    from kil_analysis.readers.sources import council_spend_inputs, find_inputs

    (tmp_path / "grants").mkdir()
    (tmp_path / "grants" / "g.csv").write_text("x")
    (tmp_path / "contracts").mkdir()
    (tmp_path / "2024-01.csv").write_text("x")
    (tmp_path / ".hidden.csv").write_text("x")
    assert council_spend_inputs(tmp_path) == [tmp_path]
    found = find_inputs(council_spend_inputs(tmp_path))
    assert [i.path for i in found.files] == [tmp_path / "2024-01.csv"]
    assert sorted(s.path for s in found.skipped) == [
        str(tmp_path / "contracts"),
        str(tmp_path / "grants"),
    ]
    (tmp_path / "spend").mkdir()
    assert council_spend_inputs(tmp_path) == [tmp_path / "spend"]
    with pytest.raises(FileNotFoundError, match="no such folder"):
        council_spend_inputs(tmp_path / "missing")


def test_a_table_is_read_by_what_its_bytes_are_not_by_its_name() -> None:
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    assert table_content(book.getvalue(), ".xls") == ".xlsx"  # a workbook renamed .xls
    assert table_content(book.getvalue(), ".xlsx") == ".xlsx"
    ods = b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
    assert table_content(ods, ".xls") == ".ods"
    assert table_content(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls") == ".xls"
    # A web report writer's "Excel" file: HTML, or tab-separated text (UTF-16 too).
    assert table_content(b"\xef\xbb\xbf\r\n<html><body><table>", ".xls") == ".html"
    assert table_content("<table><tr><td>a".encode("utf-16"), ".xls") == ".html"
    assert table_content(b"Payment Date\tSupplier\tAmount\r\n", ".xls") == ".csv"
    assert table_content(b"Date,Supplier,Amount\n", ".xlsx") == ".csv"
    # Text names are taken as they are.
    assert table_content(b"<html>", ".csv") == ".csv"
