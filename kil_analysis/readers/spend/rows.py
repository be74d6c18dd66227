"""Rules for the rows of a spend table that are not payments, or cannot be trusted as one.

Each rule returns a boolean mask over the data rows; `kil_analysis.readers.spend.table` turns
them into reject reasons.

- **Labelled totals** (`labelled_totals`): a supplier cell that is only a totals label
  (``Total``, ``Totals``, ``Grand Total``, ``Sub-total``, ``TOTAL:``), or — when the supplier is
  blank — any cell that starts or ends with one (``Total for April``, ``Adult Social Care
  Total``). A supplier *named* with the word (``TOTAL GAS & POWER LTD``, ``Totally Local CIC``)
  is a supplier. Unlabelled totals are found by their sums
  (`kil_analysis.readers.parse.totals_rows`).
- **Titles and notes** (`title_lines`): a row with a single filled cell and no amount — a
  section title ("Procurement card transactions"), a footer ("Page 2 of 9", "End of report").
- **Split amounts** (`split_amounts`): an unquoted ``1,234.56`` in a comma-separated file
  arrives as ``1`` in the amount column and ``234.56`` in the next, the row one cell longer than
  the header. Read as published it would be £1.00, so the row is rejected with the reason and
  the number it probably was; the other cells of such a row may have shifted too.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import Distinct, matches

_EXACT_LABEL = r"(?i)^\s*(?:grand|sub)?[\s\-]*totals?\s*:?\s*$"
_LOOSE_LABEL = r"(?i)^\s*(?:grand\s+|sub[\s\-]*)?totals?\b|\btotals?\s*:?\s*$"
_AMOUNT_HEAD = r"^\s*[-(]?\s*£?\s*\d{1,3}\s*$"
_AMOUNT_GROUP = r"^\s*\d{3}(?:\.\d*)?\s*\)?-?\s*$"


def labelled_totals(
    supplier: Distinct, supplier_blank: np.ndarray, other_text: Iterable[pa.Array]
) -> np.ndarray:
    """Rows labelled as a total (see the module docstring)."""
    labelled = supplier.matches(_EXACT_LABEL)
    if supplier_blank.any():
        blank = pa.array(supplier_blank)
        for column in other_text:
            labelled[supplier_blank] |= matches(pc.filter(column, blank), _LOOSE_LABEL)
    return labelled


def title_lines(filled_count: np.ndarray, amount_blank: np.ndarray) -> np.ndarray:
    """Rows with exactly one filled cell and no amount (titles, footers, notes)."""
    return (filled_count == 1) & amount_blank


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
