"""Small bridges between pandas text columns and Arrow string kernels (used by every reader).

Grids hold Arrow-backed strings, so these are zero-copy in the common case.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STRING = pd.StringDtype("pyarrow")


TEXT = pa.large_string()  # what pandas keeps Arrow-backed strings as: never cast, never copied


def text_array(series: pd.Series) -> pa.Array:
    """A text column as one contiguous Arrow ``large_string`` array (missing values stay null)."""
    values = series.array
    if isinstance(values, pd.arrays.ArrowStringArray):
        array = values._pa_array  # the Arrow data itself: no copy
    else:
        array = pa.array(series.astype(STRING).array._pa_array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array if array.type == TEXT else array.cast(TEXT)


def bools(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy bool array (null counts as False)."""
    if array.null_count:
        array = pc.fill_null(array, False)
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def _codes(indices: pa.Array) -> np.ndarray:
    """Dictionary indices as int64 numpy codes, -1 for a missing value."""
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    return np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)


class Distinct:
    """A text column encoded once: its distinct values (trimmed of spaces) and each row's code.

    Rules about a column's cells (blank? a totals label?) then run once per distinct value and
    are spread back to the rows (`rows`); `text` gives the trimmed cells themselves. A supplier
    column of a year's payments holds a few thousand distinct names in 400,000 rows.
    Missing cells (null) have code -1: false in every mask, null in `text`.
    """

    def __init__(self, column: pa.Array) -> None:
        """Encode ``column`` (Arrow text) once."""
        encoded = pc.dictionary_encode(column)
        codes = _codes(encoded.indices)
        # Cells that differ only in spaces are one value once trimmed.
        trimmed = pc.dictionary_encode(pc.utf8_trim_whitespace(encoded.dictionary))
        self.values: pa.Array = trimmed.dictionary
        self._missing = bool((codes < 0).any())
        merged = _codes(trimmed.indices)
        if self._missing:
            codes[codes >= 0] = merged[codes[codes >= 0]]
            self.codes = codes
        else:
            self.codes = merged[codes]

    def rows(self, per_value: np.ndarray) -> np.ndarray:
        """A boolean per distinct value, spread to the rows (missing cells: False)."""
        if not self._missing:
            return per_value[self.codes]
        out = np.zeros(len(self.codes), dtype=bool)
        present = self.codes >= 0
        out[present] = per_value[self.codes[present]]
        return out

    def matches(self, pattern: str) -> np.ndarray:
        """Rows whose trimmed cell matches an RE2 regular expression."""
        return self.rows(matches(self.values, pattern))

    def empty(self) -> np.ndarray:
        """Rows whose cell is blank (empty or only spaces; a missing cell is not)."""
        return self.rows(bools(pc.equal(pc.utf8_length(self.values), 0)))

    def text(self, rows: np.ndarray | None = None) -> pa.Array:
        """The trimmed cells of the rows where ``rows`` is True (all rows by default)."""
        codes = self.codes if rows is None else self.codes[rows]
        index = pa.array(codes, mask=codes < 0) if self._missing else pa.array(codes)
        return pc.take(self.values, index)


def matches(column: pd.Series | pa.Array, pattern: str) -> np.ndarray:
    """Where a text column matches an RE2 regular expression (null: False)."""
    array = column if isinstance(column, pa.Array) else text_array(column)
    return bools(pc.match_substring_regex(array, pattern))


def filled(column: pa.Array) -> np.ndarray:
    """True where a cell holds more than whitespace (Unicode whitespace, as trimming sees it)."""
    return bools(
        pc.and_(pc.greater(pc.binary_length(column), 0), pc.invert(pc.utf8_is_space(column)))
    )


def has_digit(column: pa.Array) -> np.ndarray:
    """True where a cell holds a digit 0-9 (null: False).

    A cell that starts with one (most amounts) is told by its first character; only the others
    are searched, which is several times quicker than searching every cell.
    """
    found = bools(pc.ascii_is_decimal(pc.utf8_slice_codeunits(column, 0, 1)))
    rest = ~found
    if rest.any():
        found[rest] = matches(pc.filter(column, pa.array(rest)), r"[0-9]")
    return found


def string_series(array: pa.Array | pa.ChunkedArray, index: pd.Index | None = None) -> pd.Series:
    """An Arrow string array as a pandas Arrow-backed string Series."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != TEXT:
        array = array.cast(TEXT)
    return pd.Series(pd.arrays.ArrowStringArray(array), index=index, dtype=STRING, copy=False)


def top_rows(frame: pd.DataFrame | Sequence[pa.Array], n: int) -> list[list[str]]:
    """The first ``n`` rows of a grid of text (a DataFrame, or its columns) as Python lists.

    Missing cells are given as "".
    """
    arrays = (
        [text_array(frame[c]) for c in frame.columns] if isinstance(frame, pd.DataFrame) else frame
    )
    columns = [a.slice(0, n).to_pylist() for a in arrays]
    return [["" if v is None else v for v in row] for row in zip(*columns, strict=True)]
