"""Writing an ingest's three outputs together: spend.parquet, rejects.csv, ingest_report.json.

All three are written to temporary names first and renamed into place only when every one was
written (`kil_analysis.readers.publish.publish_together`), so a full disk or a crash never
leaves a new table beside a report that describes another one. ``rejects.csv`` is for people
to open in a spreadsheet: its text cells are neutralised so no published value runs as a
formula (`kil_analysis.readers.formulas`).

Both tables are written from Arrow, without pandas: ``spend.parquet`` carries the same
``pandas`` schema metadata that ``DataFrame.to_parquet`` writes (so pandas reads it back with
the same dtypes; it reads back as the same table, though only its repeating columns are
dictionary-encoded, `repeating_columns`), and ``rejects.csv`` is the CSV
``DataFrame.to_csv(index=False)`` writes (minimal quoting, newline line ends, missing values
empty).
"""

from __future__ import annotations

import csv
import functools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kil_analysis.readers.atomic import process_alive
from kil_analysis.readers.formulas import neutral
from kil_analysis.readers.publish import (
    REJECTS_FILE,
    REPORT_FILE,
    SPEND_FILE,
    publish_together,
    published_outputs,
)

if TYPE_CHECKING:
    from kil_analysis.readers.spend.reader import IngestResult

# Arrow type → (pandas_type, numpy_type) as pyarrow records a pandas column of that type (text
# columns are pandas' Arrow-backed strings).
_PANDAS_TYPES = {
    pa.large_string(): ("object", "string"),
    pa.timestamp("ns"): ("datetime", "datetime64[ns]"),
    pa.float64(): ("float64", "float64"),
    pa.int64(): ("int64", "int64"),
    pa.bool_(): ("bool", "bool"),
}
CSV_ROWS_PER_BATCH = 10_000
# spend.parquet's rows per row group, counted across the input files: the layout (and so the
# bytes) depends only on the rows, not on how they came (read now, or from the cache).
ROW_GROUP_ROWS = 65_536
DICTIONARY_SAMPLE_ROWS = 10_000
DICTIONARY_MAX_DISTINCT = 0.5  # share of distinct values in the sample above which none pays


@functools.cache
def pandas_version() -> str:
    """The installed pandas' version, as its package metadata says (pandas is not imported).

    Read from the ``Version:`` line of the first ``pandas-*.dist-info/METADATA`` on
    ``sys.path`` (where ``importlib.metadata`` finds it too, without its ~0.07 s of imports);
    ``importlib.metadata`` answers when there is no such file (an egg, a zipped install).
    """
    for entry in sys.path:
        try:
            found = sorted(Path(entry or ".").glob("pandas-*.dist-info/METADATA"))
        except OSError:
            continue
        for meta in found:
            try:
                with open(meta, encoding="utf-8") as handle:
                    for line in handle:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break  # the headers end at the first blank line
            except OSError:
                continue
    from importlib import metadata

    return metadata.version("pandas")


def pandas_metadata(schema: pa.Schema) -> bytes:
    """The ``pandas`` schema metadata pyarrow writes for a DataFrame of this schema (no index).

    Covers the column types the spend table has (`_PANDAS_TYPES`); KeyError for any other.
    """
    columns = []
    for name, kind in zip(schema.names, schema.types, strict=True):
        pandas_type, numpy_type = _PANDAS_TYPES[kind]
        columns.append(
            {
                "name": name,
                "field_name": name,
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    return json.dumps(
        {
            "index_columns": [],
            "column_indexes": [],
            "columns": columns,
            "attributes": {},
            "creator": {"library": "pyarrow", "version": pa.__version__},
            "pandas_version": pandas_version(),
        }
    ).encode()


def _sample(column: pa.ChunkedArray, rows: int) -> pa.ChunkedArray:
    """About ``rows`` values of a column: all of them, or ten runs spread over it (slices).

    Slices copy nothing (taking rows one by one from a column of many chunks costs more than
    the dictionary saved). Values that are distinct only locally — the line numbers of one
    file — look unique in a run and are written plain, which costs size, never correctness.
    """
    n = len(column)
    if n <= rows:
        return column
    run = rows // 10
    pieces = [c for k in range(10) for c in column.slice(k * (n - run) // 9, run).chunks]
    return pa.chunked_array(pieces, type=column.type)


def repeating_columns(table: pa.Table) -> list[str]:
    """The columns whose values repeat enough for Parquet's dictionary encoding to pay.

    A column is left out when more than half the values of its sample (`_sample`, about
    `DICTIONARY_SAMPLE_ROWS` rows) are distinct — references and amounts, which rarely repeat:
    Parquet would hash every value into a dictionary only to drop it when it grew too large.
    Names, dates, places and codes repeat and keep their dictionary (a much smaller file).
    """
    kept = []
    for name in table.column_names:
        sample = _sample(table.column(name), DICTIONARY_SAMPLE_ROWS)
        distinct = pc.count_distinct(sample, mode="all").as_py()
        if distinct <= max(1, DICTIONARY_MAX_DISTINCT * len(sample)):
            kept.append(name)
    return kept


def write_spend_parquet(table: pa.Table, path: str | Path) -> None:
    """Write the spend table as ``DataFrame.to_parquet(path, index=False)`` would, read back.

    Snappy-compressed, with pandas' schema metadata (`pandas_metadata`; a table made from a
    DataFrame keeps the metadata it came with), in row groups of `ROW_GROUP_ROWS` rows (the
    last one fewer), the layout `SpendParquetStream` writes: the same rows give the same bytes
    whichever way they were written. Only the columns whose values repeat are
    dictionary-encoded (`repeating_columns`): the table reads back the same as with pandas'
    default of every column, ~0.1 s faster to write for 390,000 rows, ~2% larger.
    """
    writer = _RowGroupWriter(str(path))
    writer.add(table)
    writer.close(table.slice(0, 0))


def _parquet_options(table: pa.Table) -> dict[str, object]:
    """Parquet options for a table like ``table``: snappy, dictionaries where values repeat.

    Min/max statistics are kept for the columns that are not text (row numbers, dates,
    amounts: what a reader filters on by range) and not for text, where they took ~45% of
    the write (Newcastle's 390,000 rows: 0.22 -> 0.12 s CPU) for no use to the readers of
    the file (pandas, DuckDB read them whole; string statistics are truncated anyway).
    """
    text = (pa.types.is_string, pa.types.is_large_string)
    numeric = [f.name for f in table.schema if not any(is_text(f.type) for is_text in text)]
    return {
        "compression": "snappy",
        "use_dictionary": repeating_columns(table),
        "write_statistics": numeric,
    }


def _with_pandas_metadata(table: pa.Table) -> pa.Table:
    if b"pandas" in (table.schema.metadata or {}):
        return table
    return table.replace_schema_metadata({b"pandas": pandas_metadata(table.schema)})


class _RowGroupWriter:
    """A Parquet file of the spend table, written in row groups of exactly `ROW_GROUP_ROWS`.

    Pieces of the table are given in order (`add`), of any length; rows are held until a row
    group is full, so the file's row groups (and the columns chosen for dictionary encoding,
    from the first row group: `repeating_columns`) depend only on the rows. The file is
    created when the first row group is written, or at `close`.
    """

    def __init__(self, path: str) -> None:
        """A writer of the file ``path`` (not created yet)."""
        self.path = path
        self._writer: pq.ParquetWriter | None = None
        self._held: list[pa.Table] = []
        self._rows = 0

    def add(self, table: pa.Table) -> None:
        """Take the next piece of the table; writes every row group it completes."""
        if table.num_rows:
            self._held.append(_with_pandas_metadata(table))
            self._rows += table.num_rows
        while self._rows >= ROW_GROUP_ROWS:
            self._write_held(ROW_GROUP_ROWS)

    def _write_held(self, rows: int) -> None:
        held = self._held[0] if len(self._held) == 1 else pa.concat_tables(self._held)
        self._write(held.slice(0, rows))
        rest = held.slice(rows)
        self._held, self._rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _write(self, group: pa.Table) -> None:
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, group.schema, **_parquet_options(group))
        self._writer.write_table(group, row_group_size=max(1, group.num_rows))

    def close(self, empty: pa.Table) -> None:
        """Write the rows held (``empty``, the schema with no rows, when none came) and close."""
        if self._rows:
            self._write_held(self._rows)
        if self._writer is None:
            self._write(_with_pandas_metadata(empty))
        writer, self._writer = self._writer, None
        assert writer is not None
        writer.close()

    def abandon(self) -> None:
        """Close the file as it is (it is to be removed), ignoring a failure to."""
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError:
                pass
            self._writer = None


@functools.cache
def _host_tag() -> str:
    """This host's name as it can stand in a file name (no dots or separators)."""
    import socket

    host = socket.gethostname() or "host"
    return "".join(c if c.isalnum() or c == "-" else "-" for c in host)


def _stream_prefix() -> str:
    """The start of this process's stream temporaries: ``.spend.parquet.<pid>@<host>.``."""
    return f".{SPEND_FILE}.{os.getpid()}@{_host_tag()}."


def remove_stale_streams(out_dir: Path) -> list[Path]:
    """Remove the temporaries of streams whose process has ended; returns what was removed.

    A run killed while reading (SIGKILL) has no chance to clean up. The names carry the writer's
    process id and host (``.spend.parquet.<pid>@<host>.*.tmp``; a name of a pid alone is taken
    as this host's): a live process's stream (another ingest into the same folder) is left,
    and so is another host's (a shared network folder), whose processes cannot be asked.
    """
    removed = []
    here = _host_tag()
    for path in Path(out_dir).glob(f".{SPEND_FILE}.*.tmp"):
        writer = path.name[len(SPEND_FILE) + 2 :].split(".", 1)[0]
        pid, _, host = writer.partition("@")
        if not pid.isdigit() or (host and host != here) or process_alive(int(pid)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


class SpendParquetStream:
    """``spend.parquet`` written row group by row group while the files are still being read.

    Pieces of the spend table (each of ``schema.SPEND_COLUMNS``) are given in order (`write`)
    and written in row groups of `ROW_GROUP_ROWS` rows, as `write_spend_parquet` writes the
    whole table: the file is byte for byte the one written from the finished table.

    It is written to a temporary name in ``out_dir`` (``.spend.parquet.<pid>@<host>.*.tmp``)
    and only published by `write_outputs`, with the other two outputs. A write that fails (a
    full disk) stops the stream: the error is raised again by `finish`, and the temporary is
    removed.
    """

    def __init__(self, out_dir: Path) -> None:
        """A stream into a new temporary file in ``out_dir`` (created if need be)."""
        self.out_dir = Path(out_dir)
        self.path: str | None = None
        self.error: OSError | None = None
        self._writer: _RowGroupWriter | None = None

    def write(self, table: pa.Table) -> None:
        """Take the next piece of the spend table (nothing after a failure)."""
        if self.error is not None:
            return
        try:
            if self._writer is None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                remove_stale_streams(self.out_dir)
                fd, self.path = tempfile.mkstemp(
                    dir=self.out_dir, prefix=_stream_prefix(), suffix=".tmp"
                )
                os.close(fd)
                self._writer = _RowGroupWriter(self.path)
            self._writer.add(table)
        except OSError as exc:
            self.error = exc
            self.discard()

    def finish(self, empty: pa.Table) -> str:
        """Close the file; returns its (temporary) path.

        ``empty`` (the spend schema, no rows) is written when no piece came at all. Raises the
        OSError of a write that failed (the temporary is then gone).
        """
        if self.error is None and self._writer is None:
            self.write(empty)
        if self.error is not None:
            raise self.error
        assert self._writer is not None and self.path is not None
        try:
            self._writer.close(empty)
        except OSError:
            self.discard()
            raise
        self._writer = None
        path, self.path = self.path, None  # the caller's now (published, or removed)
        return path

    def discard(self) -> None:
        """Close and remove the temporary file, if any (nothing is published)."""
        if self._writer is not None:
            self._writer.abandon()
            self._writer = None
        if self.path is not None:
            Path(self.path).unlink(missing_ok=True)
            self.path = None


def write_rejects_csv(table: pa.Table, path: str | Path) -> None:
    """Write the rejected rows as CSV for people: a header, then one line per row.

    Text cells that a spreadsheet would run as a formula get a ``'`` in front
    (`kil_analysis.readers.formulas.neutral`); missing cells are empty.
    """
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.column_names)
        for batch in table.to_batches(CSV_ROWS_PER_BATCH):
            columns = [[neutral(v) for v in column.to_pylist()] for column in batch.columns]
            writer.writerows(zip(*columns, strict=True))


def write_outputs(
    result: IngestResult, out_dir: Path, stream: SpendParquetStream | None = None
) -> dict[str, Path]:
    """Write the spend table, rejects and report into ``out_dir``; returns the paths written.

    The report written (and ``result.report``) gains ``outputs``: each table file's SHA-256.
    Nothing is written when ``out_dir`` already holds these very outputs (a re-run on unchanged
    files, `publish.published_outputs`): the report then gains the recorded ``outputs``.
    With ``stream`` (the same table already streamed into ``out_dir``), its file is published
    as spend.parquet instead of the table being written again; it is removed when unneeded.
    """
    out_dir = Path(out_dir)
    names = [SPEND_FILE, REJECTS_FILE]
    if (recorded := published_outputs(out_dir, names, result.report)) is not None:
        if stream is not None:
            stream.discard()
        result.report["outputs"] = recorded
        return {name: out_dir / name for name in [*names, REPORT_FILE]}
    spend, rejects = result.spend_arrow, result.rejects_arrow

    def write_spend(path: str) -> None:
        if stream is None:
            write_spend_parquet(spend, path)
        else:
            os.replace(stream.finish(spend.slice(0, 0)), path)

    try:
        return publish_together(
            Path(out_dir),
            {SPEND_FILE: write_spend, REJECTS_FILE: lambda p: write_rejects_csv(rejects, p)},
            result.report,
        )
    finally:
        if stream is not None:
            stream.discard()  # published (moved away) or failed: nothing of it stays
