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
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def matches(column: pd.Series | pa.Array, pattern: str) -> np.ndarray:
    """Where a text column matches an RE2 regular expression (null: False)."""
    array = column if isinstance(column, pa.Array) else text_array(column)
    return bools(pc.match_substring_regex(array, pattern))


def filled(column: pa.Array) -> np.ndarray:
    """True where a cell holds more than whitespace (Unicode whitespace, as trimming sees it)."""
    return bools(
        pc.and_(pc.greater(pc.utf8_length(column), 0), pc.invert(pc.utf8_is_space(column)))
    )


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
