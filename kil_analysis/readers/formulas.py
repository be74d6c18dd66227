"""Text cells made safe to open in a spreadsheet: no published value ever runs as a formula.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one)
is a formula to Excel, LibreOffice and Google Sheets — ``=HYPERLINK(...)`` in a supplier name or
``=SUM(1,2,3)`` in a rejected row would run when a researcher opens the CSV. Spreadsheets also
read the full-width forms (``＝``, ``＋``, ``－``, ``＠``) as formula starts, so they count too.
`neutralise` puts a ``'`` in front (spreadsheets show the text as typed); `unneutralise` takes it
off again when the file is read back. Every CSV the workbench writes for people goes through
here (``rejects.csv``, the researcher's worksheet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _starts_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutral(value: object) -> object:
    """One cell made safe: ``'`` in front of text a spreadsheet would run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def neutralise(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula (see module doc)."""
    s = values.astype(object)
    return s.where(~s.map(_starts_formula).astype(bool), "'" + s.astype(str))


def unneutralise(values: pd.Series) -> pd.Series:
    """Undo :func:`neutralise`: drop a leading ``'`` that precedes a formula start."""
    s = values.astype(object)
    marked = s.map(lambda v: isinstance(v, str) and v[:1] == "'" and _starts_formula(v[1:]))
    return s.where(~marked.astype(bool), s.astype(str).str[1:])
