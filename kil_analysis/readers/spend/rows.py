"""Rules for the rows of a spend table that are not payments, or cannot be trusted as one.

Each rule returns a boolean mask over the data rows; `kil_analysis.readers.spend.table` turns
them into reject reasons.

- **Labelled totals** (`labelled_totals`): a supplier cell that is only a totals label
  (``Total``, ``Totals``, ``Grand Total``, ``Sub-total``, ``TOTAL:``), or — when the supplier is
  blank — any cell that starts or ends with one (``Total for April``, ``Adult Social Care
  Total``). A supplier *named* with the word (``TOTAL GAS & POWER LTD``, ``Totally Local CIC``)
  is a supplier. In a file whose supplier column comes first, a report's total lands in the
  supplier cell with what it totals (``Total value,,6000``, ``Total for April``): an undated
  row whose supplier cell starts so is labelled too (a dated one is a payment). Unlabelled
  totals are found by their sums (`kil_analysis.readers.parse.totals_rows`).
- **Titles and notes** (`title_lines`): a row with a single filled cell and no amount — a
  section title ("Procurement card transactions"), a footer ("Page 2 of 9", "End of report").
- **Summary blocks** (`summary_lines`): the lines a report writer prints above or below the
  table, a label in the first filled cell and its value beside it, nothing in the amount
  column: ``Total number of transactions,1234``, ``Total value,"£1,234,567.89"``,
  ``Report run by:,JSMITH,Run date:,02/05/2024``, ``Page 1 of 3``. They are notes on the
  report, not payments that lost their amount. ``Total`` counts as such a label alone or
  followed by what it totals (``Total value``, ``Total number of …``, ``Total for …``,
  ``Total:``), and a row with a payment date is never one, whatever its first cell says
  (``TOTAL GAS & POWER LTD``, ``PRINTED BY US LTD`` dated and unpaid are missing amounts).
  The label's value may sit in the amount column: ``Run date:`` is no amount, and a line that
  counts the report's lines (``Number of payments,,1234``; `count_lines`: no date, the label
  its first cell, in whichever column comes first) is a note whose number is no sum of money:
  it adds nothing to the pounds read or rejected, and is never taken for a total.
- **Split amounts** (`split_amounts`): an unquoted ``1,234.56`` in a comma-separated file
  arrives as ``1`` in the amount column and ``234.56`` in the next, the row one cell longer than
  the header. Read as published it would be £1.00, so the row is rejected with the reason and
  the number it probably was; the other cells of such a row may have shifted too.
- **Date and amount run together** (`joined_date_amounts`): the mirror case, a delimiter lost
  between a date and the amount after it (``25/06/2012900`` where ``25/06/2012,900`` was
  meant): the date cell holds a whole date followed by a number, and the row is shorter than
  the header (every later cell shifted one to the left, a description in the amount column).
  Such a row is rejected with the reason and the date and amount it probably held; its pounds
  are not known, so none are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import Distinct, matches

_EXACT_LABEL = r"(?i)^\s*(?:grand|sub)?[\s\-]*totals?\s*:?\s*$"
_LOOSE_LABEL = r"(?i)^\s*(?:grand\s+|sub[\s\-]*)?totals?\b|\btotals?\s*:?\s*$"
_TOTAL = r"(?:grand\s+|sub[\s\-]*)?totals?\s*"
# What a report's total line says it totals in pounds ("Total value", "Total for April")
_TOTALLED = (
    r"value|amount|spend|paid|payments?|transactions?|invoices?|expenditure|net|gross|for|of"
)
# "Total" followed by what it totals, at the start of a supplier cell (see labelled_totals)
_TOTAL_OF = rf"(?i)^\s*{_TOTAL}(?::|(?:{_TOTALLED})\b)"
# The labels of a report's summary block (see the module docstring), matched at the start of
# the row's first filled cell.
_SUMMARY_LABEL = (
    r"(?i)^\s*(?:"
    rf"{_TOTAL}(?::|$|(?:number|no\.?|count|records?|lines?|rows?|vat|{_TOTALLED})\b)"
    r"|(?:number|no\.?|count)\s+of\s+(?:transactions?|payments?|invoices?|records?|lines?|rows?)"
    r"|(?:transaction|payment|invoice|record|line|row)s?\s+count\b"
    r"|report\s+(?:run|printed|produced|generated|created|date|time)\b"
    r"|(?:run|printed|produced|generated|created|prepared|extracted)\s+(?:by|on|at|date|time)\b"
    r"|(?:date|time)\s+(?:run|printed|produced|generated|extracted)\b"
    r"|page\s+\d+(?:\s+of\s+\d+)?\s*$"
    r"|end\s+of\s+(?:report|file|data)\b"
    r")"
)
_LINES = r"(?:transactions?|payments?|invoices?|records?|lines?|rows?|items?)"
_COUNT_LABEL = (
    rf"(?i)^\s*(?:total\s+)?(?:(?:number|no\.?|count)\s+of\s+{_LINES}|{_LINES}\s+count\b)"
)
_DATE_THEN_NUMBER = r"^\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})(-?\d[\d,]*(?:\.\d+)?)\s*$"
_AMOUNT_HEAD = r"^\s*[-(]?\s*£?\s*\d{1,3}\s*$"
_AMOUNT_GROUP = r"^\s*\d{3}(?:\.\d*)?\s*\)?-?\s*$"


def labelled_totals(
    supplier: Distinct,
    supplier_blank: np.ndarray,
    other_text: Iterable[pa.Array],
    undated: np.ndarray,
) -> np.ndarray:
    """Rows labelled as a total (see the module docstring).

    ``undated``: the rows with no payment date that parses.
    """
    labelled = supplier.matches(_EXACT_LABEL)
    if undated.any():
        labelled[undated] |= matches(supplier.text(undated), _TOTAL_OF)
    if supplier_blank.any():
        blank = pa.array(supplier_blank)
        for column in other_text:
            labelled[supplier_blank] |= matches(pc.filter(column, blank), _LOOSE_LABEL)
    return labelled


def title_lines(filled_count: np.ndarray, amount_blank: np.ndarray) -> np.ndarray:
    """Rows with exactly one filled cell and no amount (titles, footers, notes)."""
    return (filled_count == 1) & amount_blank


def summary_lines(
    columns: list[pa.Array], filled: np.ndarray, no_amount: np.ndarray, counted: np.ndarray
) -> np.ndarray:
    """Rows of a report's summary block (see the module docstring).

    ``filled``: (columns × rows) True where a cell holds text; ``no_amount``: rows whose amount
    cell is blank or not money; ``counted``: the rows `count_lines` found.
    """
    return _first_cell_matches(columns, filled, no_amount, _SUMMARY_LABEL) | counted


def count_lines(columns: list[pa.Array], filled: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Of ``rows``, those whose first filled cell says the line counts lines (module docstring)."""
    return _first_cell_matches(columns, filled, rows, _COUNT_LABEL)


def _first_cell_matches(
    columns: list[pa.Array], filled: np.ndarray, rows: np.ndarray, pattern: str
) -> np.ndarray:
    """Of ``rows``, those whose first filled cell matches ``pattern`` (an RE2 expression)."""
    found = np.zeros(len(rows), dtype=bool)
    if not columns or not rows.any():
        return found
    asked = np.flatnonzero(rows)
    first = np.argmax(filled[:, asked], axis=0)  # only the rows asked about
    for i, column in enumerate(columns):
        here = np.zeros(len(rows), dtype=bool)
        here[asked[first == i]] = True
        if here.any():
            found[here] = matches(pc.filter(column, pa.array(here)), pattern)
    return found


def joined_date_amounts(
    date: pa.Array, date_position: int, amount_position: int, named_width: int, last_filled
) -> tuple[np.ndarray, list[str]]:
    """Rows whose date cell runs on into the amount (module docstring), and the two parts.

    Only where the amount column follows the date column. Returns (mask, "date and amount"
    text per row: "" for the rows that do not qualify).
    """
    n = len(last_filled)
    joined = np.zeros(n, dtype=bool)
    short = np.asarray(last_filled) < named_width - 1  # a cell short of the header: rare
    if amount_position != date_position + 1 or not short.any():
        return joined, [""] * n
    joined[short] = matches(pc.filter(date, pa.array(short)), _DATE_THEN_NUMBER)
    parts = [""] * n
    for i in np.flatnonzero(joined):
        found = re.match(_DATE_THEN_NUMBER, date[i].as_py())
        if found:
            parts[i] = f"{found.group(1)} and {found.group(2)}"
    return joined, parts


def split_amounts(
    columns: list[pa.Array], amount_position: int, named_width: int, last_filled: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Rows whose amount looks split by an unquoted thousands separator, and the joined text.

    A row qualifies when it is longer than the header (a filled cell beyond the last named
    column), its amount cell holds one to three digits and the next cell(s) groups of three
    digits, the last with optional decimals. Returns (mask, joined amount text per row: "" for
    the rows that do not qualify).
    """
    n = len(last_filled)
    overfull = last_filled >= named_width
    if not overfull.any() or amount_position + 1 >= len(columns):
        return np.zeros(n, dtype=bool), [""] * n
    head, group = columns[amount_position], columns[amount_position + 1]
    split = overfull & matches(head, _AMOUNT_HEAD) & matches(group, _AMOUNT_GROUP)
    joined = [""] * n
    for i in np.flatnonzero(split):
        joined[i] = f"{head[i].as_py().strip()},{group[i].as_py().strip()}"
    return split, joined
