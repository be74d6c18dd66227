"""Decoded CSV text or spreadsheet bytes → a grid of text cells, every physical row kept.

A grid is a DataFrame of Arrow-backed strings, columns ``0..n-1``, ``""`` for an empty cell,
with each row's 1-based line number: the physical line for CSV (a quoted cell spanning lines
counts every line, so the numbers are those a researcher sees in a text editor), the sheet row
for spreadsheets. Blank rows stay in the grid so that those numbers hold.

CSV is parsed by Arrow's C++ reader at the width most rows have; rows of another width (a short
title row, a row with stray trailing cells) are read with Python's ``csv`` module and put back in
their place, so nothing is truncated or dropped. The delimiter (``,``, tab, ``;`` or ``|``) is
the one whose count is the same on most of the opening lines.
"""

from __future__ import annotations

import csv
import html
import html.parser
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kil_analysis.readers.arrow_text import TEXT, string_dtype, text_array

if TYPE_CHECKING:
    import pandas as pd

DELIMITERS = (",", "\t", ";", "|")
_EXPECTED = re.compile(r"Expected \d+ fields in line \d+, saw (\d+)")


@dataclass
class Sheet:
    """One worksheet as a grid, with what the workbook says about its visibility."""

    name: str
    cells: pd.DataFrame
    hidden: bool = False  # the sheet itself is hidden
    hidden_rows: set[int] = field(default_factory=set)  # 1-based sheet rows hidden in Excel


def empty_grid() -> tuple[pd.DataFrame, np.ndarray]:
    """A grid with no rows and no columns."""
    import pandas as pd

    return pd.DataFrame(), np.zeros(0, dtype=np.int64)


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV text.

    The candidate found the same number of times on most of the first 50 non-blank lines (quotes
    ignored; comma wins ties).
    """
    lines = [line for line in text[:65536].split("\n")[:200] if line.strip()][:50]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        mode, seen = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
        score = (seen / len(lines) if lines and mode else 0.0, mode)
        if score[0] > best_score[0] or (score[0] == best_score[0] and mode > best_score[1] * 2):
            best, best_score = delimiter, score
    return best if best_score[0] > 0 else ","


def _common_width(text: str, delimiter: str) -> int:
    """Fields per record on most of the opening records (Python's csv, quotes respected)."""
    head = text[:32_768]
    cut = head.rfind("\n")
    lines = (head[: cut + 1] if cut > 0 else head).splitlines()[:150]
    counts = Counter(
        len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1 or (r and r[0])
    )
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else 1


def _python_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _arrow_grid(
    text: str, delimiter: str, utf8: bytes | None = None
) -> tuple[pa.Table, list[tuple[int, list[str]]]]:
    """Arrow's parse at the common width; rows of other widths as (record number, cells).

    ``utf8``: the text's UTF-8 bytes when the caller has them (else it is encoded here).
    Either way the bytes are a Python string's UTF-8, valid by construction, so Arrow is not
    asked to check them again (``check_utf8=False``: ~15% of the parse).
    """
    width = _common_width(text, delimiter)
    names = [str(i) for i in range(width)]
    odd: list[tuple[int, str]] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        odd.append((int(row.number or 0), row.text))
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8") if utf8 is None else utf8),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 26),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=keep_aside,
        ),
        convert_options=pacsv.ConvertOptions(
            check_utf8=False,
            column_types=dict.fromkeys(names, TEXT),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if any(number <= 0 for number, _ in odd):
        raise ValueError("row numbers of odd-width rows unknown")
    rows = []
    for number, raw in odd:
        parsed = _python_rows(raw, delimiter)
        cells = parsed[0] if parsed else [""]
        if len(parsed) > 1:  # the text held more than one record: keep every cell
            cells = [c for r in parsed for c in r]
        rows.append((number, cells))
    return table, rows


def _assemble(table: pa.Table, odd: list[tuple[int, list[str]]]) -> list[pa.Array]:
    """The Arrow rows and the odd-width rows in record order, as grid columns."""
    width = table.num_columns
    if odd:
        longest = max(
            max((i + 1 for i, c in enumerate(cells) if c != ""), default=1) for _, cells in odd
        )
        width = max(width, longest)
    columns = [text_array(table.column(i)) for i in range(table.num_columns)]  # no copy
    if len(columns) < width:
        filler = pa.array([""] * table.num_rows, type=TEXT)
        columns += [filler] * (width - len(columns))
    if odd:
        total = table.num_rows + len(odd)
        positions = np.array([number - 1 for number, _ in odd], dtype=np.int64)
        is_odd = np.zeros(total, dtype=bool)
        is_odd[positions] = True
        order = np.empty(total, dtype=np.int64)
        order[~is_odd] = np.arange(table.num_rows)
        order[positions] = table.num_rows + np.arange(len(odd))
        extra = [
            pa.array([cells[c] if c < len(cells) else "" for _, cells in odd], type=TEXT)
            for c in range(width)
        ]
        columns = [
            pc.take(pa.concat_arrays([col, extra[c]]), pa.array(order))
            for c, col in enumerate(columns)
        ]
    return columns


def grid_frame(columns: list[pa.Array]) -> pd.DataFrame:
    """Arrow string columns as a grid DataFrame (columns 0..n-1, Arrow-backed strings)."""
    names = [str(i) for i in range(len(columns))]
    table = pa.Table.from_arrays([c.cast(TEXT) for c in columns], names)
    frame = table.to_pandas(types_mapper={TEXT: string_dtype()}.get)
    frame.columns = list(range(len(columns)))
    return frame


def _pandas_grid(text: str, delimiter: str, where: str) -> pd.DataFrame:
    """Pandas' C parser, widened and retried when a row is wider than expected (fallback)."""
    import pandas as pd

    head_lines = text[:50000].split("\n")[:200] + text[-20000:].split("\n")[-50:]
    width = max(line.count(delimiter) for line in head_lines) + 1
    for _attempt in range(4):
        try:
            cells = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=list(range(width)),
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                quoting=csv.QUOTE_MINIMAL,
            )
            return cells.astype(string_dtype())
        except pd.errors.ParserError as exc:
            wider = _EXPECTED.search(str(exc))
            if not wider:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "bad CSV"
                raise ValueError(f"{where}: cannot read as CSV ({first})") from exc
            width = max(width + 1, int(wider.group(1)))
    raise ValueError(f"{where}: cannot read as CSV (rows of very different widths)")


def _line_numbers(columns: list[pa.Array], text: str) -> np.ndarray:
    """1-based physical line on which each record starts."""
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    n = len(columns[0]) if columns else 0
    if physical == n:
        return np.arange(1, n + 1, dtype=np.int64)
    spans = np.ones(n, dtype=np.int64)
    for column in columns:
        counted = pc.count_substring(column, "\n")
        spans += np.asarray(counted.to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.concatenate([[1], 1 + np.cumsum(spans)[:-1]]).astype(np.int64)


def csv_columns(
    text: str, where: str, utf8: bytes | None = None
) -> tuple[list[pa.Array], np.ndarray]:
    """Parse decoded CSV text into grid columns (Arrow ``large_string``) and line numbers.

    The columns of :func:`csv_grid` without building a DataFrame (what the spend reader
    works on). ``utf8``: the file's bytes when they are exactly ``text`` in UTF-8 (saves
    encoding it again). ValueError (one line, naming ``where``) when the text cannot be read.
    """
    if not text.strip():
        return [], np.zeros(0, dtype=np.int64)
    delimiter = sniff_delimiter(text)
    try:
        table, odd = _arrow_grid(text, delimiter, utf8)
        columns = _assemble(table, odd)
    except (pa.ArrowException, ValueError, csv.Error):
        frame = _pandas_grid(text, delimiter, where)
        columns = [text_array(frame[c]) for c in frame.columns]
    lines = _line_numbers(columns, text)
    if len(columns) == 1 and (records := _quoted_records(columns[0], delimiter)) is not None:
        return records, lines
    return columns, lines


def _quoted_records(cells: pa.Array, delimiter: str) -> list[pa.Array] | None:
    """The columns of a file whose every record was written as one quoted field.

    Some exports wrap each whole line in quotes (``"01/04/2024,ACME LTD,100.00"``): read as CSV
    that is one column of lines. When nearly every filled cell of a one-column grid holds the
    delimiter, each cell is read again as a record (its inner quoting respected), one record per
    cell, so line numbers stay those of the file. None when the grid is not of that kind.
    """
    values = [v or "" for v in cells.to_pylist()]
    filled = [v for v in values if v.strip()]
    if len(filled) < 2 or sum(delimiter in v for v in filled) < 0.9 * len(filled):
        return None
    rows = [next(csv.reader([v], delimiter=delimiter), [""]) if v.strip() else [""] for v in values]
    width = max(len(r) for r in rows)
    if width < 2:
        return None
    return [pa.array([r[c] if c < len(r) else "" for r in rows], TEXT) for c in range(width)]


def csv_grid(text: str, where: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse decoded CSV text into a grid (see the module docstring) and 1-based line numbers.

    ValueError (one line, naming ``where``) when the text cannot be read as CSV at all.
    """
    columns, lines = csv_columns(text, where)
    if not columns:
        return empty_grid()
    return grid_frame(columns), lines


def _xml_attributes(tag: str) -> dict[str, str]:
    return {k.split(":")[-1]: html.unescape(v) for k, v in re.findall(r'([\w:]+)="([^"]*)"', tag)}


def xlsx_visibility(data: bytes) -> dict[str, tuple[bool, set[int]]]:
    """For each sheet of an .xlsx/.xlsm: (sheet hidden?, 1-based rows hidden in Excel).

    Read from the workbook's XML directly (pandas does not say); empty when the parts cannot
    be found (the rows are then all treated as visible).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            workbook = book.read("xl/workbook.xml").decode("utf-8", errors="replace")
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
            targets = {}
            for tag in re.findall(r"<Relationship\b[^>]*>", rels):
                attrs = _xml_attributes(tag)
                target = attrs.get("Target", "").lstrip("/")
                targets[attrs.get("Id", "")] = (
                    target if target.startswith("xl/") else f"xl/{target}"
                )
            out: dict[str, tuple[bool, set[int]]] = {}
            for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
                attrs = _xml_attributes(tag)
                part = targets.get(attrs.get("id", ""))
                hidden_rows: set[int] = set()
                if part and part in book.namelist():
                    xml = book.read(part).decode("utf-8", errors="replace")
                    for row in re.findall(r"<(?:\w+:)?row\b[^>]*>", xml):
                        row_attrs = _xml_attributes(row)
                        if (
                            row_attrs.get("hidden") in ("1", "true")
                            and row_attrs.get("r", "").isdigit()
                        ):
                            hidden_rows.add(int(row_attrs["r"]))
                hidden = attrs.get("state", "visible") in ("hidden", "veryHidden")
                out[attrs.get("name", "")] = (hidden, hidden_rows)
            return out
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return {}


def excel_sheets(data: bytes, suffix: str) -> Iterator[Sheet]:
    """Every sheet of a spreadsheet as a grid of text cells, in workbook order.

    Hidden sheets and hidden rows are reported (``.xlsx``/``.xlsm`` only) and still read.
    Raises whatever the spreadsheet library raises on a file it cannot open.
    """
    import pandas as pd

    engine = {".xls": "xlrd", ".ods": "odf"}.get(suffix, "openpyxl")
    sheets = pd.read_excel(
        io.BytesIO(data), sheet_name=None, header=None, dtype=str, na_filter=False, engine=engine
    )
    visibility = xlsx_visibility(data) if engine == "openpyxl" else {}
    for name, frame in sheets.items():
        frame = frame.fillna("").astype(str)
        frame.columns = list(range(frame.shape[1]))
        hidden, rows = visibility.get(str(name), (False, set()))
        yield Sheet(str(name), frame.reset_index(drop=True).astype(string_dtype()), hidden, rows)


def excel_grids(data: bytes, suffix: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every sheet of a spreadsheet as (name, grid of text cells), in workbook order."""
    for sheet in excel_sheets(data, suffix):
        yield sheet.name, sheet.cells


class _TableCells(html.parser.HTMLParser):
    """The text of each row of every table in an HTML document (``<tr>``'s ``<td>``/``<th>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self.rows.append(self._row)
        self._row = None


def html_table_columns(text: str, where: str) -> tuple[list[pa.Array], np.ndarray]:
    """Grid columns (and row numbers, 1-based) of the tables in an HTML document.

    What web report writers save under an ``.xls`` name: every ``<tr>`` of every table is a
    row, in document order (a second table reads as a further section under its own header).
    ValueError (one line, naming ``where``) when the document holds no table row.
    """
    parser = _TableCells()
    parser.feed(text)
    parser.close()
    parser._end_row()
    rows = parser.rows
    if not rows:
        raise ValueError(f"{where}: an HTML document with no table")
    width = max(len(r) for r in rows)
    columns = [pa.array([r[c] if c < len(r) else "" for r in rows], TEXT) for c in range(width)]
    return columns, np.arange(1, len(rows) + 1, dtype=np.int64)
