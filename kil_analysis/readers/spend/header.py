"""Where a spend table's header is: below title and report-parameter blocks, over one or more lines.

Councils' exports put up to a dozen rows above the header (a title, "Report: Payments over
£500", "Period from 01/04/2024 to 30/04/2024", "Run by: …"), and some report writers break
one header over two or three physical lines ("Payment" above "Date", "Supplier" above "Name").

The header is the first row — or run of up to `MAX_HEADER_LINES` rows merged cell by cell —
that names at least three fields, one the amount and another the supplier or the date
(`looks_like_header`), and that has payments (money under its amount column) below it. A row of
report parameters can name fields too ("Supplier: All", "Amount: > 500", "Date: April"); the
money check is what tells it from the real header. A further line is merged only when it holds
no number or date and makes the header name its fields better. Failing all that, the row of
words (no cell an amount or a date) that names the most fields is taken (the column choice then
says what it could not find); a row holding an amount or a date is a payment, never the header —
taking it would leave the payments above it unread — so a file with no row of words at its top
(its header row lost) is refused with a one-line error.

A **units row** directly under the header — every filled cell a currency (``£``, ``(£)``,
``GBP``) or a date layout (``dd/mm/yyyy``, ``DD-MON-YY``) written under the column it describes —
is part of the header, never a payment (`is_units_row`); it is not merged into the names
(``Amount``, not ``Amount GBP``) and the report gives its line (``units_row``). A row reading
``£000`` or ``£k`` is not a units row: it says the amounts are thousands of pounds, which a
payments file's never are (a budget or summary table's are), so the file is refused in one line
naming the row, not read at a thousandth of its value.

A header never holds payments' values: a chosen row with `MAX_HEADER_VALUES` or more cells that
are amounts or dates (and at least a fifth of its cells) is refused with a one-line error, since
the lines below it cannot be read as rows of that table — a file whose line breaks were lost
reads as one very wide row of header names and payment values, which must not pass as a file
with no payments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from kil_analysis.readers.arrow_text import top_rows
from kil_analysis.readers.spend.columns import header_evidence, header_scores, looks_like_header

if TYPE_CHECKING:
    import pandas as pd

HEADER_SEARCH_ROWS = 60
MAX_HEADER_LINES = 3
SUPPORT_ROWS = 3
MAX_HEADER_VALUES = 3
# A cell that is a number or a date (not header text).
_VALUE = re.compile(r"^[\s(£$-]*[\d.,/\- :]*\d[\d.,/\- :]*\)?\s*$")
_MONEY = re.compile(r"^\s*[-(]?\s*£?\s*-?\d[\d,]*(?:\.\d+)?\s*\)?-?\s*$")
# Amounts in thousands of pounds, written under the header: "£000", "£'000", "(£k)", "£ thousands".
_THOUSANDS = re.compile(r"(?i)^[\s(\[]*(?:£\s*'?000s?|£\s*k|£?\s*thousands?|'000)[\s)\]]*$")
# A unit written under a header cell: a currency, or the layout its dates are written in.
_UNIT = re.compile(
    r"(?i)^[\s(\[]*(?:£|gbp|£\s*gbp|gbp\s*£|pounds?(?:\s+sterling)?|sterling"
    r"|(?:dd|mm|yy|yyyy|mmm|mon)(?:[\s/.\-](?:dd|mm|yy|yyyy|mmm|mon)){2})[\s)\]]*$"
)


@dataclass(frozen=True)
class Header:
    """Rows ``start``..``stop - 1`` of the grid form the header; ``names`` per column."""

    start: int
    stop: int
    names: list[str]
    units_row: int | None = None  # grid index of a units row under the names (part of the header)


def _merge(rows: Sequence[Sequence[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    return [
        " ".join(r[c].strip() for r in rows if c < len(r) and r[c].strip()) for c in range(width)
    ]


def _score(names: Sequence[str], overrides: Mapping[str, str] | None) -> float:
    return sum(max(header_scores(n, overrides).values(), default=0.0) for n in names if n)


def _filled_cells(row: Sequence[str]) -> int:
    return sum(1 for c in row if c.strip())


def _text_only(row: Sequence[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and not any(_VALUE.match(c) for c in cells)


def is_units_row(row: Sequence[str]) -> bool:
    """True when every filled cell of ``row`` is a unit (a currency or a date layout)."""
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(_UNIT.match(c) for c in cells)


def _with_units_row(header: Header, top: list[list[str]]) -> Header:
    """``header``, extended over the units row under it when there is one (module docstring)."""
    if header.stop < len(top) and is_units_row(top[header.stop]):
        return Header(header.start, header.stop + 1, header.names, units_row=header.stop)
    return header


def _has_payments(names: Sequence[str], below: list[list[str]], overrides) -> bool:
    """True when a row below holds money under an amount-like header.

    Only the first rows are looked at, before any row that looks like a header.

    A report-parameter row ("Amount:", "> 500") is followed by more parameters or by the real
    header, never by payments.
    """
    amount_columns = [
        i for i, n in enumerate(names) if header_scores(n, overrides).get("amount", 0) >= 0.5
    ]
    rows = [r for r in below if any(c.strip() for c in r)][:SUPPORT_ROWS]
    for row in rows:
        if looks_like_header(row, overrides):
            return False
        if any(c < len(row) and _MONEY.match(row[c]) for c in amount_columns):
            return True
    return False


def _window(top: list[list[str]], i: int, overrides) -> tuple[int, list[str]]:
    """(lines, merged names) of the header starting at row ``i``.

    Further lines are merged while they hold only text in several cells (a title above a header
    fills one) and make the header name its fields better.
    """
    lines, names = 1, [c.strip() for c in top[i]]
    score = _score(names, overrides)
    if _filled_cells(top[i]) < 2:
        return lines, names
    for k in range(2, MAX_HEADER_LINES + 1):
        line = top[i + k - 1] if i + k <= len(top) else []
        if not _text_only(line) or _filled_cells(line) < 2 or is_units_row(line):
            break
        merged = _merge(top[i : i + k])
        merged_score = _score(merged, overrides)
        if merged_score <= score + 0.05:
            break
        lines, names, score = k, merged, merged_score
    return lines, names


def _refuse_values(header: Header, where: str, top: list[list[str]]) -> Header:
    """``header``, or ValueError: its cells hold values, or the amounts are in £000.

    Values: payments' amounts or dates in the header's cells; £000: the row under the header
    says the amounts are thousands of pounds (module docstring).
    """
    below = top[header.stop] if header.stop < len(top) else []
    under = [c.strip() for c in below if c.strip()]
    thousands = [c for c in under if _THOUSANDS.match(c)]
    if thousands and all(_THOUSANDS.match(c) or _UNIT.match(c) for c in under):
        unit = thousands[0]
        raise ValueError(
            f"{where}: row {header.stop + 1} under the header says the amounts are thousands of "
            f"pounds ({unit!r}): a budget or summary table, not payments"
        )
    cells = [n for n in header.names if n]
    values = [n for n in cells if _VALUE.match(n)]
    if len(values) >= MAX_HEADER_VALUES and len(values) * 5 >= len(cells):
        raise ValueError(
            f"{where}: row {header.start + 1} is read as the header but {len(values)} of its "
            f"{len(cells)} cells are amounts or dates (e.g. {values[0]!r}); are the file's "
            "line breaks missing?"
        )
    return header


def find_header(
    cells: pd.DataFrame | Sequence[pa.Array],
    where: str,
    overrides: Mapping[str, str] | None = None,
) -> Header:
    """The header of a grid (see the module docstring).

    ValueError when no row has any text, or when the chosen row holds payments' values.

    Of the rows that look like a header, the first with payments below it (before the next
    such row) is taken: a parameter block names fields but heads no payments, while a later
    header (a second section's) must never swallow the payments above it. With no payments
    under any of them, the first is taken.
    """
    limit = HEADER_SEARCH_ROWS + 40
    top = top_rows(cells, limit)
    candidates: list[Header] = []
    i = 0
    while i < min(HEADER_SEARCH_ROWS, len(top)):
        if not any(c.strip() for c in top[i]):
            i += 1
            continue
        lines, names = _window(top, i, overrides)
        if looks_like_header(names, overrides):
            header = _with_units_row(Header(i, i + lines, names), top)
            if _has_payments(names, top[header.stop :], overrides):
                return _refuse_values(header, where, top)
            candidates.append(header)
            i += lines
            continue
        i += 1
    if candidates:
        return _refuse_values(candidates[0], where, top)
    filled = [i for i in range(min(HEADER_SEARCH_ROWS, len(top))) if any(c.strip() for c in top[i])]
    if not filled:
        raise ValueError(f"{where}: cannot find the date column; headers are: (no rows)")
    # A header is words: a row holding an amount or a date is a payment, and taking it for the
    # header would leave the payments above it unread. With no row of words, none is taken.
    worded = [i for i in filled if _text_only(top[i])]
    if not worded:
        first = [c.strip() for c in top[filled[0]] if c.strip()]
        raise ValueError(
            f"{where}: cannot find the header: every row at the top holds amounts or dates "
            f"(first row: {', '.join(first)[:120]}); a file without its header row?"
        )
    best = max(worded, key=lambda i: (header_evidence(top[i], overrides), -i))
    header = _with_units_row(Header(best, best + 1, [c.strip() for c in top[best]]), top)
    return _refuse_values(header, where, top)


def header_like_rows(columns: list[pa.Array], candidates: np.ndarray, overrides) -> list[int]:
    """Positions (0-based) of candidate rows that look like a header.

    ``columns`` hold the rows' cells; ``candidates`` marks the rows worth checking (e.g. no
    digit in the amount column): a section's own header (procurement card transactions below
    the invoices), or the header repeated at each page break of a report export.
    """
    found = []
    for p in np.flatnonzero(candidates)[:2000]:
        row = [column[int(p)].as_py() or "" for column in columns]
        if looks_like_header(row, overrides):
            found.append(int(p))
    return found
