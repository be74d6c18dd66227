"""Small bridges between pandas text columns and Arrow string kernels (used by every reader).

Grids hold Arrow-backed strings, so these are zero-copy in the common case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STRING = pd.StringDtype("pyarrow")


def text_array(series: pd.Series) -> pa.Array:
    """A text column as one contiguous Arrow string array (missing values stay null)."""
    array = pa.array(series.array, type=pa.string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def bools(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy bool array (null counts as False)."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def matches(series: pd.Series, pattern: str) -> np.ndarray:
    """Where a text column matches an RE2 regular expression (null: False)."""
    return bools(pc.match_substring_regex(text_array(series), pattern))


def string_series(array: pa.Array | pa.ChunkedArray, index: pd.Index | None = None) -> pd.Series:
    """An Arrow string array as a pandas Arrow-backed string Series."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(array.cast(pa.string())), index=index, dtype=STRING)
