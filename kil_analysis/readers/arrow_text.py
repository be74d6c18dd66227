"""Small bridges between pandas text columns and Arrow string kernels (used by every reader).

Grids hold Arrow-backed strings, so these are zero-copy in the common case. pandas is imported
only by the functions that make or take pandas objects (`string_dtype`, `string_series`, a
DataFrame given to `top_rows`): the spend reader works on Arrow arrays from CSV bytes to the
outputs without it. ``STRING`` (pandas' Arrow-backed string dtype) is still importable from
here; it loads pandas when first asked for.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import pandas as pd

TEXT = pa.large_string()  # what pandas keeps Arrow-backed strings as: never cast, never copied


def string_dtype() -> pd.StringDtype:
    """The pandas dtype of Arrow-backed strings (``string[pyarrow]``); imports pandas."""
    import pandas as pd

    _tell_pyarrow_about_pandas()
    return pd.StringDtype("pyarrow")


class _PandasHidden(importlib.abc.MetaPathFinder):
    """An import finder that refuses pandas (installed for one call by `keep_pandas_unloaded`)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not loaded for reading CSV")


def _pyarrow_pandas_shim() -> Any | None:
    """The lazy pandas importer of pyarrow, if it is one `keep_pandas_unloaded` can undo; or None.

    That object is private to pyarrow (``pyarrow.lib._pandas_api``, up to pyarrow 26 at least):
    it notes pandas as absent after one failed import, answers ``have_pandas`` from that note,
    and imports pandas again when ``pd`` is asked for. A pyarrow without it, or with one that
    lacks those two attributes, gets None: pandas is then never hidden from it (pyarrow imports
    it itself, ~0.3 s slower, same results). ``tests/unit/test_arrow_text.py`` checks the
    behaviour relied on against the pyarrow installed.
    """
    shim = getattr(pa.lib, "_pandas_api", None)
    kind = type(shim)
    if shim is None or not (hasattr(kind, "have_pandas") and hasattr(kind, "pd")):
        return None
    return shim


def keep_pandas_unloaded() -> bool:
    """Stop pyarrow's type checks from importing pandas in this process (it is not loaded yet).

    pyarrow imports pandas (about 0.3 s) the first time any Python value becomes an Arrow
    array, only to ask whether it is a pandas object. For a process that reads CSV into Arrow
    and writes Parquet (``kil ingest``), this tells pyarrow, once, that pandas is absent;
    pyarrow still imports it itself whenever it truly needs it (``to_pandas``,
    ``from_pandas``), and `string_dtype` (every path of this package that makes pandas
    objects) tells it pandas is there again. Returns whether pandas was hidden: not when it is
    imported already, nor with a pyarrow whose pandas importer is not the one known
    (`_pyarrow_pandas_shim`) — then nothing changes but speed.
    """
    if "pandas" in sys.modules or _pyarrow_pandas_shim() is None:
        return False
    finder = _PandasHidden()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])  # pyarrow tries pandas once, here, and notes it as absent
    finally:
        sys.meta_path.remove(finder)
    return True


def _tell_pyarrow_about_pandas() -> None:
    """After `keep_pandas_unloaded`, let pyarrow see pandas again (it is imported now)."""
    shim = _pyarrow_pandas_shim()
    if shim is not None and not shim.have_pandas:
        shim.pd  # noqa: B018 - asking for the module makes pyarrow import it and use it again


def __getattr__(name: str) -> Any:
    """``STRING``, pandas' Arrow-backed string dtype, made when first imported (loads pandas)."""
    if name == "STRING":
        return string_dtype()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_frame(value: object) -> TypeGuard[pd.DataFrame]:
    """Whether ``value`` is a pandas DataFrame, without importing pandas.

    If pandas was never imported, nothing can be one.
    """
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def text_array(series: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """A text column as one contiguous Arrow ``large_string`` array (missing values stay null).

    Takes a pandas Series or an Arrow array (returned as is when it is ``large_string``).
    """
    if isinstance(series, pa.Array | pa.ChunkedArray):
        array = series
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
        return array if array.type == TEXT else array.cast(TEXT)
    import pandas as pd

    values = series.array
    if isinstance(values, pd.arrays.ArrowStringArray):
        array = values._pa_array  # the Arrow data itself: no copy
    else:
        array = pa.array(series.astype(string_dtype()).array._pa_array)
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
        self._missing = bool((codes < 0).any())
        values = trimmed(encoded.dictionary)
        if values is encoded.dictionary:  # no value had spaces to trim: all still distinct
            self.values: pa.Array = values
            self.codes = codes
            return
        # Cells that differ only in spaces are one value once trimmed.
        once = pc.dictionary_encode(values)
        self.values = once.dictionary
        merged = _codes(once.indices)
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


def _is_filled(column: pa.Array) -> np.ndarray:
    return bools(
        pc.and_(pc.greater(pc.binary_length(column), 0), pc.invert(pc.utf8_is_space(column)))
    )


def _visible(byte: np.ndarray) -> np.ndarray:
    """Bytes that are a visible ASCII character (``!`` to ``~``): never part of whitespace.

    Every other character Unicode (and so Arrow's trimming) counts as whitespace is an ASCII
    control character or space (bytes up to 0x20) or non-ASCII (bytes from 0x80).
    """
    return (byte >= 0x21) & (byte <= 0x7E)


def _ends(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(non-empty, first byte, last byte) of each cell of a text array without nulls.

    Read from the array's buffers (first and last byte given for the non-empty cells only);
    None for an array of another type, with nulls, or with no non-empty cell.
    """
    if column.type not in (TEXT, pa.string()) or column.null_count or len(column) == 0:
        return None
    _, offsets_buffer, data_buffer = column.buffers()
    width = np.int64 if column.type == TEXT else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width).astype(np.int64, copy=False)
    offsets = offsets[column.offset : column.offset + len(column) + 1]
    starts, stops = offsets[:-1], offsets[1:]
    nonempty = stops > starts
    if data_buffer is None or not nonempty.any():
        return None
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    if not nonempty.all():
        starts, stops = starts[nonempty], stops[nonempty]
    return nonempty, data[starts], data[stops - 1]


def trimmed(column: pa.Array) -> pa.Array:
    """Cells stripped of leading and trailing (Unicode) whitespace, as Arrow trims them.

    A column none of whose cells starts or ends with a byte that could be whitespace (most
    columns: told from the first and last bytes in its buffers) is returned as it is.
    """
    ends = _ends(column)
    if ends is not None and _visible(ends[1]).all() and _visible(ends[2]).all():
        return column
    return pc.utf8_trim_whitespace(column)


def filled(column: pa.Array) -> np.ndarray:
    """True where a cell holds more than whitespace (Unicode whitespace, as trimming sees it).

    A cell whose first byte is a visible ASCII character (``!`` to ``~``: most cells) is
    filled; that byte is read from the array's buffers. Only the other cells (a leading
    space or control character, a non-ASCII first character) are tested with Arrow's
    whitespace kernel. A missing cell (null) is not filled.
    """
    ends = _ends(column)
    if ends is None:
        return _is_filled(column)
    nonempty, first, _ = ends
    out = np.zeros(len(column), dtype=bool)
    out[nonempty] = _visible(first)
    unsure = nonempty & ~out
    if unsure.any():
        out[unsure] = _is_filled(pc.filter(column, pa.array(unsure)))
    return out


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
    """An Arrow string array as a pandas Arrow-backed string Series (imports pandas)."""
    import pandas as pd

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != TEXT:
        array = array.cast(TEXT)
    return pd.Series(
        pd.arrays.ArrowStringArray(array), index=index, dtype=string_dtype(), copy=False
    )


def top_rows(frame: pd.DataFrame | Sequence[pa.Array], n: int) -> list[list[str]]:
    """The first ``n`` rows of a grid of text (a DataFrame, or its columns) as Python lists.

    Missing cells are given as "".
    """
    arrays = [text_array(frame[c]) for c in frame.columns] if is_frame(frame) else frame
    columns = [a.slice(0, n).to_pylist() for a in arrays]
    return [["" if v is None else v for v in row] for row in zip(*columns, strict=True)]
