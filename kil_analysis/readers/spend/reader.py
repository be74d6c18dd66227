"""``ingest_spend``: published spend files (CSV, spreadsheets, ZIPs) → the canonical spend table.

Every non-blank data row of every table is either kept or rejected with a reason, and the
report accounts for each row and each penny per table and in total. Nothing else is passed
over in silence either: files in folders that are not spend tables, ZIP members and worksheets
that hold no table are listed in ``skipped`` with the reason; files, members and sheets that
cannot be read are listed in ``failed`` with the reason, and the other files are still read.
See ``../shared/DESIGN.md``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from kil_analysis import paths as kil_paths
from kil_analysis import schema
from kil_analysis.readers import cache
from kil_analysis.readers.accounting import ReadResult, sum_report
from kil_analysis.readers.archives import xlsx_inflation_problem, zip_members
from kil_analysis.readers.arrow_text import TEXT, string_dtype
from kil_analysis.readers.cache import FileRead
from kil_analysis.readers.decoding import decode_with_utf8
from kil_analysis.readers.grids import csv_columns, excel_sheets, html_table_columns
from kil_analysis.readers.sources import (
    ARCHIVE_SUFFIXES,
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    FoundInputs,
    InputFile,
    binary_text_problem,
    find_inputs,
    table_content,
)
from kil_analysis.readers.spend.summaries import summarised_table
from kil_analysis.readers.spend.table import (
    KnownKeys,
    finish_spend_table,
    read_spend_grid,
    repeat_text,
)

if TYPE_CHECKING:
    import pandas as pd

PARALLEL_MIN_BYTES = 8_000_000
ROWS_PER_GROUP = 65_536  # spend rows completed (and streamed as one row group) at a time


def _frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame, text as pandas' Arrow-backed strings (imports pandas)."""
    return table.to_pandas(types_mapper={TEXT: string_dtype()}.get)


class IngestResult(ReadResult):
    """What :func:`ingest_spend` returns: a `ReadResult` whose table is also called ``spend``.

    ``spend`` (= ``table``): DataFrame with exactly ``schema.SPEND_COLUMNS`` (amount in GBP as
    float rounded to the penny; ``amount_pence`` exact int64 — sum this, not ``amount``).
    ``rejects``: DataFrame with ``schema.REJECT_COLUMNS``. ``report``: ``council``,
    ``reader_version``, ``files``, ``skipped``, ``failed`` and ``totals`` (see
    `kil_analysis.readers.accounting`), as written to ``ingest_report.json``.

    The reader builds both tables in Arrow (``spend_arrow``, ``rejects_arrow``); they become
    DataFrames only when ``table``/``spend`` or ``rejects`` is first asked for, so that
    ``kil ingest``, which only writes them, never loads pandas. Either form may be given.
    """

    def __init__(
        self,
        table: pd.DataFrame | pa.Table,
        rejects: pd.DataFrame | pa.Table,
        report: dict[str, Any] | None = None,
    ) -> None:
        """A result from its spend table, rejected rows (DataFrames or Arrow) and report."""
        self._tables: dict[str, Any] = {}
        self.table = table
        self.rejects = rejects
        self.report = {} if report is None else report

    def _get(self, name: str) -> pd.DataFrame:
        value = self._tables[name]
        if isinstance(value, pa.Table):
            value = self._tables[name] = _frame(value)
        return value

    def _arrow(self, name: str) -> pa.Table:
        value = self._tables[name]
        return value if isinstance(value, pa.Table) else pa.Table.from_pandas(value, None, False)

    @property
    def table(self) -> pd.DataFrame:
        """The spend table as a DataFrame (converted from Arrow when first asked for)."""
        return self._get("table")

    @table.setter
    def table(self, value: pd.DataFrame | pa.Table) -> None:
        self._tables["table"] = value

    @property
    def rejects(self) -> pd.DataFrame:
        """The rejected rows as a DataFrame (converted from Arrow when first asked for)."""
        return self._get("rejects")

    @rejects.setter
    def rejects(self, value: pd.DataFrame | pa.Table) -> None:
        self._tables["rejects"] = value

    @property
    def spend(self) -> pd.DataFrame:
        """The spend table (the same object as ``table``)."""
        return self.table

    @spend.setter
    def spend(self, value: pd.DataFrame | pa.Table) -> None:
        self.table = value

    @property
    def spend_arrow(self) -> pa.Table:
        """The spend table as Arrow (as built, or from the DataFrame that replaced it)."""
        return self._arrow("table")

    @property
    def rejects_arrow(self) -> pa.Table:
        """The rejected rows as Arrow (as built, or from the DataFrame that replaced them)."""
        return self._arrow("rejects")


def one_line(exc: BaseException) -> str:
    """An exception as one line of text (its first line, or its type)."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    # Cells quoted from an unreadable file can hold control characters (escape sequences):
    # never written to a terminal or report as they are.
    return "".join(ch if ch.isprintable() else "?" for ch in line)


def _without_prefix(message: str, where: str) -> str:
    return message[len(where) + 2 :] if message.startswith(where + ": ") else message


def _read_table(
    payload: bytes,
    ext: str,
    where: str,
    prefix: str,
    overrides: Mapping[str, str] | None,
    found: FileRead,
) -> None:
    """Read one CSV or spreadsheet (a file, or the ZIP member ``prefix``) into ``found``."""
    content = table_content(payload, ext)
    if content in CSV_SUFFIXES or content == ".html":
        text, encoding, utf8 = decode_with_utf8(payload)  # Arrow reads the UTF-8 bytes
        if problem := binary_text_problem(text):
            raise ValueError(f"{where}: {problem}")
        if content == ".html":
            cells, lines = html_table_columns(text, where)
        else:
            cells, lines = csv_columns(text, where, utf8)
        spend, rejects, report = read_spend_grid(cells, lines, where, overrides=overrides)
        about = {"member": prefix, "encoding": encoding}
        if content != ext and ext in EXCEL_SUFFIXES:  # the name promised a spreadsheet
            about["read_as"] = "an HTML table" if content == ".html" else "delimited text"
        found.tables.append((spend, rejects, {**about, **report}))
        return
    ext = content
    problem = xlsx_inflation_problem(payload)
    if problem:
        raise ValueError(f"{where}: {problem}")
    try:
        sheets = list(excel_sheets(payload, ext))
    except Exception as exc:  # any spreadsheet library failure means a bad input file
        raise ValueError(f"{where}: cannot read as a spreadsheet ({one_line(exc)})") from exc
    read, errors = [], []
    for sheet in sheets:
        label = f"{where} [sheet {sheet.name}]"
        lines = np.arange(1, len(sheet.cells) + 1, dtype=np.int64)
        try:
            result = read_spend_grid(
                sheet.cells, lines, label, overrides=overrides, hidden_rows=sheet.hidden_rows
            )
        except ValueError as exc:
            errors.append((sheet.name, _without_prefix(one_line(exc), label)))
            continue
        read.append((sheet, result))
    if not read:
        first = f"sheet {errors[0][0]}: {errors[0][1]}" if errors else "the workbook has no sheets"
        raise ValueError(f"{where}: no sheet holds a spend table ({first})")
    read, summaries = _without_summaries(read)
    for summary in summaries:
        found.skipped.append(
            {
                "path": f"{where} [sheet {summary['name']}]",
                "reason": summary["reason"],
                "scope": "sheet",
            }
        )
    for sheet, (spend, rejects, report) in read:
        suffix = f" [sheet {sheet.name}]" if len(read) > 1 else ""
        entry: dict[str, Any] = {
            "member": prefix + suffix,
            "encoding": "spreadsheet",
            "sheet": sheet.name,
        }
        if sheet.hidden:
            entry["sheet_hidden"] = True
        found.tables.append((spend, rejects, {**entry, **report}))
    for name, why in errors:
        found.skipped.append(
            {
                "path": f"{where} [sheet {name}]",
                "reason": f"no spend table on this sheet ({why})",
                "scope": "sheet",
            }
        )


def _without_summaries(read: list[Any]) -> tuple[list[Any], list[dict[str, str]]]:
    """The sheets read, less those summarising another sheet kept (`summaries`).

    Returns the sheets to keep and, for each summary, its sheet's name and the reason.
    """
    kept: list[Any] = []
    summaries = []
    for n, (sheet, result) in enumerate(read):
        later = read[n + 1 :]
        of = summarised_table(result[0], [r[0] for _, r in kept], [r[0] for _, r in later])
        if of is None:
            kept.append((sheet, result))
            continue
        source = [*kept, *later][of][0].name
        summaries.append(
            {
                "name": sheet.name,
                "reason": f"a summary of sheet {source}: its {result[0].num_rows:,} rows are "
                "that sheet's payments summed by supplier and month (not read, so nothing is "
                "counted twice)",
            }
        )
    return kept, summaries


def read_file(item: InputFile, data: bytes, overrides: Mapping[str, str] | None) -> FileRead:
    """Every table in one input (a file, or each member of a ZIP archive), and what was not read.

    Raises ValueError (one line naming the file) when the file cannot be read at all, or is an
    archive holding no table; a ZIP member that cannot be read is listed in ``failed``.
    """
    found = FileRead()
    suffix = item.path.suffix.lower()
    if suffix not in ARCHIVE_SUFFIXES:
        ext = suffix if suffix in EXCEL_SUFFIXES else ".csv"
        _read_table(data, ext, item.display, "", overrides, found)
        return found
    try:
        members = list(zip_members(data))
    except ValueError as exc:
        raise ValueError(f"{item.display}: {one_line(exc)}") from exc
    for member in members:
        where = item.display + member.name
        if member.skip:
            found.skipped.append({"path": where, "reason": member.skip, "scope": "member"})
            continue
        if member.problem or member.data is None:
            found.failed.append(
                {"path": where, "reason": member.problem or "cannot be read", "scope": "member"}
            )
            continue
        before = len(found.tables)
        try:
            _read_table(member.data, member.ext, where, member.name, overrides, found)
        except Exception as exc:  # one bad member never stops the others
            found.failed.append(
                {"path": where, "reason": _without_prefix(one_line(exc), where), "scope": "member"}
            )
            continue
        if member.note:
            for _, _, report in found.tables[before:]:
                report["note"] = member.note
    if not found.tables and not found.failed:
        raise ValueError(f"{item.display}: the archive holds no CSV or spreadsheet files")
    return found  # members that failed are listed one by one


@dataclass
class _Cached:
    """A worker's answer for a file it read and cached: the key and all but the tables.

    The parent reads the tables back from the cache (memory-mapped) rather than receiving
    them pickled through a pipe.
    """

    key: str
    reports: list[dict[str, Any]]
    skipped: list[dict[str, str]]
    failed: list[dict[str, str]]


def _read_and_save(
    item: InputFile, overrides: Mapping[str, str] | None, store: Path
) -> tuple[str, FileRead | str, str]:
    """Read one input and cache it: (sha256, what was read or why it failed, cache key).

    The key is "" when nothing was cached (the file failed, or the cache cannot be written).
    The SHA-256 is of the bytes read here (a file changed since the cache look-up hashed it
    is cached under its new content).
    """
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        return "", f"cannot read the file ({(exc.strerror or one_line(exc)).lower()})", ""
    digest = hashlib.sha256(data).hexdigest()
    try:
        found = read_file(item, data, overrides)
    except ValueError as exc:
        return digest, _without_prefix(one_line(exc), item.display), ""
    except Exception as exc:  # a bad file never stops the others; the type says what broke
        return digest, f"cannot be read ({type(exc).__name__}: {one_line(exc)})", ""
    key = cache.cache_key(digest, overrides)
    try:
        cache.save(store, key, found)
    except OSError:
        return digest, found, ""  # an unwritable cache folder only costs speed next time
    return digest, found, key


def _read_and_cache(
    item: InputFile, overrides: Mapping[str, str] | None, store: Path
) -> tuple[str, FileRead | str]:
    """Read one input and cache it; returns (sha256, what was read — or why it failed)."""
    digest, found, _ = _read_and_save(item, overrides, store)
    return digest, found


def _read_in_worker(
    item: InputFile, overrides: Mapping[str, str] | None, store: Path
) -> tuple[str, FileRead | str | _Cached]:
    """`_read_and_cache` in a worker process: once cached, only the key and the reports.

    The tables themselves are returned when the cache could not be written.
    """
    digest, found, key = _read_and_save(item, overrides, store)
    if key and isinstance(found, FileRead):
        return digest, _Cached(key, [r for _, _, r in found.tables], found.skipped, found.failed)
    return digest, found


def _handed_back(
    item: InputFile,
    outcome: tuple[str, FileRead | str | _Cached],
    overrides: Mapping[str, str] | None,
    store: Path,
) -> tuple[str, FileRead | str]:
    """A worker's answer with its tables read back from the cache (re-read if they are gone)."""
    digest, found = outcome
    if not isinstance(found, _Cached):
        return digest, found
    try:
        tables = cache.load_tables(store, found.key, found.reports)
    except (OSError, ValueError):  # removed or damaged meanwhile: read the file here
        return _read_and_cache(item, overrides, store)
    return digest, FileRead(tables=tables, skipped=found.skipped, failed=found.failed)


def _pool_size(jobs: int | None, misses: list[InputFile]) -> int:
    """Worker processes for the uncached files: 1 (serial) unless there is enough work."""
    if jobs is not None:
        return max(1, min(jobs, len(misses)))
    try:
        volume = sum(item.path.stat().st_size for item in misses)
    except OSError:
        volume = 0
    if len(misses) < 4 or volume < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, len(misses), 8))


def _size(item: InputFile) -> int:
    try:
        return item.path.stat().st_size
    except OSError:
        return 0


def _import_for_workers() -> None:
    """Import, once in this process, the modules every worker would import on its first file.

    A forked worker shares what its parent had imported; what it imports itself it pays for
    again in each worker (numpy.ma, ~0.05 s CPU, which pyarrow loads on its first
    ``pa.array`` of a NumPy array; the Feather writer of the cache). The parent needs both
    later anyway (the final table; reading the cache back).
    """
    import numpy.ma  # noqa: F401
    import pyarrow.feather  # noqa: F401


def _hand_out_order(misses: list[InputFile], workers: int) -> list[int]:
    """The order the misses are handed to the workers: file order, outsized files first.

    File order lets the parent take each file's tables (and write the spend table's row
    groups, in file order) while the workers read on. A file so large that a worker would
    still be reading it after the others are done (more than half a worker's share of all
    the bytes) goes first, largest first.
    """
    sizes = [_size(item) for item in misses]
    outsized = sum(sizes) / (2 * workers)
    first = sorted((i for i, s in enumerate(sizes) if s > outsized), key=lambda i: -sizes[i])
    return first + [i for i, s in enumerate(sizes) if s <= outsized]


def _read_misses(
    misses: list[InputFile],
    overrides: Mapping[str, str] | None,
    store: Path,
    jobs: int | None,
    arrived: Callable[[int, tuple[str, FileRead | str]], object],
    meanwhile: Callable[[], object] = lambda: None,
) -> None:
    """`_read_and_cache` of each miss; ``arrived(i, answer)`` is called for each as it is read.

    In worker processes the files are handed out in file order (`_hand_out_order`); each
    answer is taken (its tables read back from the cache) as soon as it comes, while the
    workers read on. ``meanwhile`` is work this process needs later (e.g. imports), done while
    the workers start on their first files.
    """
    workers = _pool_size(jobs, misses)
    if workers == 1:
        meanwhile()
        for i, item in enumerate(misses):
            arrived(i, _read_and_cache(item, overrides, store))
        return
    # fork is quick and safe on Linux; elsewhere (macOS, Windows) spawn is the safe choice.
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    _import_for_workers()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = {
            pool.submit(_read_in_worker, misses[i], overrides, store): i
            for i in _hand_out_order(misses, workers)
        }
        meanwhile()
        for future in as_completed(futures):
            i = futures[future]
            arrived(i, _handed_back(misses[i], future.result(), overrides, store))
    finally:
        # Every answer is in (or the reading failed): what is not started is cancelled, and the
        # workers end on their own while this process writes the outputs (~0.02-0.04 s of
        # waiting for them spared); the interpreter joins them at exit.
        pool.shutdown(wait=False, cancel_futures=True)


def _totals(
    files: list[dict[str, Any]], skipped: list[dict[str, str]], failed: list[dict[str, str]]
) -> dict[str, Any]:
    """`sum_report` totals plus blank rows, repeated files and what was not read."""
    extra = {
        "blank_rows_skipped": sum(f["blank_rows_skipped"] for f in files),
        "duplicate_files": sorted(f["path"] for f in files if "duplicate_of" in f),
        "files_skipped": len(skipped),
        "files_failed": len(failed),
    }
    return sum_report(files, extra)


def _finish_rejects(tables: list[pa.Table], names: list[str]) -> pa.Table:
    """Every table's rejected rows as one Arrow table of ``schema.REJECT_COLUMNS``.

    ``tables[i]`` (Arrow, as read or from the cache) holds the rejects of the table
    ``names[i]``; they are joined as Arrow columns (text ``large_string``, rows int64).
    """
    sizes = [t.num_rows for t in tables]

    def joined(name: str, kind: pa.DataType) -> pa.ChunkedArray:
        chunks = [t.column(name).cast(kind) for t in tables if name in t.column_names]
        return pa.chunked_array(chunks, type=kind)

    columns = {
        "source_file": repeat_text(names, sizes),
        "source_row": joined("source_row", pa.int64()),
        **{c: joined(c, TEXT) for c in ("reason", "detail", "raw")},
    }
    return pa.table({c: columns[c] for c in schema.REJECT_COLUMNS})


def default_cache_dir(out_dir: Path | None) -> Path:
    """``<out_dir>/.cache`` when writing somewhere, else ``data/processed/.cache``."""
    return Path(out_dir) / ".cache" if out_dir else kil_paths.data_dir() / "processed" / ".cache"


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _nothing_read(given: list[Any], found: FoundInputs, failed: list[dict[str, str]]) -> str:
    """The one-line error when not one table could be read."""
    if failed:
        first = failed[0]
        more = f" (and {len(failed) - 1} more that failed)" if len(failed) > 1 else ""
        return f"{first['path']}: {first['reason']}{more}"
    skipped = f" ({len(found.skipped)} other files skipped)" if found.skipped else ""
    return f"no CSV, spreadsheet or ZIP files found in {', '.join(map(str, given))}{skipped}"


def _outputs_writer() -> Callable[..., object]:
    """`outputs.write_outputs`, imported when first needed (pyarrow.parquet, importlib.metadata).

    Imported while the workers read (`_read_misses`' ``meanwhile``), not before they start.
    """
    from kil_analysis.readers.spend.outputs import pandas_version, write_outputs

    pandas_version()  # looked up once (package metadata), here rather than at the end
    return write_outputs


class _Assembly:
    """The inputs' tables and report entries, taken in input order as each input is read.

    `arrived` may come in any order; each input is taken once those before it are. The spend
    parts are completed (`finish_spend_table`) a group of about `ROWS_PER_GROUP` rows at a
    time and, with ``stream_to`` (an output folder), each group is written there as a row
    group of ``spend.parquet`` (`outputs.SpendParquetStream`, made on the first group: its
    module is imported while the workers start), so that the spend table is assembled and
    written while later files are still being read.
    """

    def __init__(
        self, inputs: list[InputFile], council: str, stream_to: Path | None = None
    ) -> None:
        """An assembly of ``inputs``, stamped with ``council``, streaming into ``stream_to``."""
        self.inputs, self.council, self.stream_to = inputs, council, stream_to
        self.stream: Any = None  # outputs.SpendParquetStream once the first group is written
        self.answers: dict[int, tuple[str, FileRead | str]] = {}
        self.taken = 0
        self.skipped: list[dict[str, str]] = []
        self.failed: list[dict[str, str]] = []
        self.recorded: list[dict[str, str]] = []
        self.files: list[dict[str, Any]] = []
        self.rejects: list[pa.Table] = []
        self.reject_names: list[str] = []
        self.pieces: list[pa.Table] = []  # completed spend tables, in order
        self._parts: list[pa.Table] = []  # spend parts not yet completed, and their names
        self._names: list[str] = []
        self._rows = 0
        self._first_with: dict[str, str] = {}
        self._known = KnownKeys()  # supplier keys computed once across the groups

    def arrived(self, n: int, answer: tuple[str, FileRead | str]) -> None:
        """Input ``n``'s answer (sha256, what was read or why not); takes all that are due."""
        self.answers[n] = answer
        while self.taken in self.answers:
            self._take(self.inputs[self.taken], self.answers.pop(self.taken))
            self.taken += 1

    def _take(self, item: InputFile, answer: tuple[str, FileRead | str]) -> None:
        digest, outcome = answer
        self.recorded.append({"path": item.display, "sha256": digest})
        if isinstance(outcome, str):
            self.failed.append({"path": item.display, "reason": outcome, "scope": "file"})
            return
        self.skipped.extend(outcome.skipped)
        self.failed.extend(outcome.failed)
        duplicate_of = self._first_with.setdefault(digest, item.display)
        for spend, rej, table_report in outcome.tables:
            name = item.display + table_report.get("member", "")
            self._parts.append(spend)
            self._names.append(name)
            self._rows += spend.num_rows
            if len(rej):
                self.rejects.append(rej)
                self.reject_names.append(name)
            entry = {"path": name, "sha256": digest}
            if duplicate_of != item.display:  # same bytes under another name: flag, keep rows
                entry["duplicate_of"] = duplicate_of + table_report.get("member", "")
            entry.update({k: v for k, v in table_report.items() if k != "member"})
            self.files.append(entry)
        if self._rows >= ROWS_PER_GROUP:
            self._complete()

    def _complete(self) -> None:
        """Complete the parts gathered so far into one piece of the spend table."""
        if not self._parts:
            return
        piece = finish_spend_table(self._parts, self._names, self.council, self._known)
        self._parts, self._names, self._rows = [], [], 0
        self.pieces.append(piece)
        if self.stream_to is not None:
            if self.stream is None:
                from kil_analysis.readers.spend.outputs import SpendParquetStream

                self.stream = SpendParquetStream(self.stream_to)
            self.stream.write(piece)

    def spend(self) -> pa.Table:
        """The whole spend table (`finish_spend_table` of every part, in input order)."""
        self._complete()
        if not self.pieces:
            return finish_spend_table([], [], self.council)
        return pa.concat_tables(self.pieces) if len(self.pieces) > 1 else self.pieces[0]


def ingest_spend(
    paths: Sequence[str | Path],
    *,
    council: str = "",
    column_overrides: Mapping[str, str] | None = None,
    out_dir: Path | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> IngestResult:
    """Read published spend files or folders into the canonical spend table.

    ``paths`` are files or folders (searched recursively; see
    `kil_analysis.readers.sources.find_inputs` for what is skipped) of CSV, XLSX/XLS/ODS or ZIP
    archives of those; ZIP members are read in memory and named ``archive.zip!member.csv``,
    and a workbook with several data sheets gives one table per sheet, named
    ``book.xlsx [sheet April]``. ``council`` (an ONS code) is stamped on every row.
    ``column_overrides`` maps published headers to canonical fields (they beat the synonyms
    table; ``"ignored"`` unmaps a column). With ``out_dir``, writes ``spend.parquet``,
    ``rejects.csv`` and ``ingest_report.json`` together (all or none). Results are cached by
    file content in ``cache_dir`` (default ``<out_dir>/.cache``, else
    ``data/processed/.cache``); ``use_cache=False`` re-reads everything (and refreshes the
    cache). Uncached files are parsed in ``jobs`` worker processes (default: one per CPU when
    there are at least 4 files and 8 MB to read; ``jobs=1`` reads in this process).

    A file that cannot be read is listed in ``report["failed"]`` (path and reason) and the
    others are still read; files, members and sheets that are not spend tables are listed in
    ``report["skipped"]``. A file whose bytes repeat an earlier input's is still read, but its
    report entry says ``duplicate_of`` and ``totals.duplicate_files`` lists it.

    Caveat: rows dated after today + 366 days are rejected as implausible; the cache keeps that
    decision for unchanged bytes (re-run with ``use_cache=False`` a year on to re-judge them).

    Raises ValueError (one line) only when not one table could be read; FileNotFoundError for
    a path that does not exist.
    """
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    found_inputs = find_inputs(given)
    inputs = found_inputs.files
    store = Path(cache_dir) if cache_dir else default_cache_dir(out_dir)
    hits: dict[int, tuple[str, FileRead | str]] = {}
    misses: list[int] = []
    look_up = use_cache and cache.has_entries(store)  # an empty cache: no file need be hashed
    for n, item in enumerate(inputs):
        hit = None
        digest = _digest(item.path) if look_up else None
        if digest:
            hit = cache.load(store, cache.cache_key(digest, column_overrides))
        if hit is None:
            misses.append(n)
        else:
            hits[n] = (digest or "", hit)
    # With files to read, the spend table is written as they come (all cached: at the end,
    # when it may prove to be what out_dir already holds, and need not be written at all).
    streaming = out_dir is not None and bool(misses)
    assembly = _Assembly(inputs, council, Path(out_dir) if streaming and out_dir else None)
    try:
        for n, answer in hits.items():
            assembly.arrived(n, answer)
        _read_misses(
            [inputs[n] for n in misses],
            column_overrides,
            store,
            jobs,
            lambda i, answer: assembly.arrived(misses[i], answer),
            meanwhile=_outputs_writer,
        )
        skipped = [{**s.as_report(), "scope": "folder"} for s in found_inputs.skipped]
        skipped += assembly.skipped
        failed = [{**f.as_report(), "scope": "folder"} for f in found_inputs.failed]
        failed += assembly.failed
        files = assembly.files
        if not files:
            raise ValueError(_nothing_read(given, found_inputs, failed))
        report = {
            "council": council,
            "reader_version": cache.READER_VERSION,
            "column_overrides": dict(sorted((column_overrides or {}).items())),
            "inputs": assembly.recorded,
            "files": files,
            "skipped": skipped,
            "failed": failed,
            "totals": _totals(files, skipped, failed),
        }
        result = IngestResult(
            table=assembly.spend(),
            rejects=_finish_rejects(assembly.rejects, assembly.reject_names),
            report=report,
        )
        if out_dir is not None:
            _outputs_writer()(result, Path(out_dir), assembly.stream)
    finally:
        if assembly.stream is not None:
            assembly.stream.discard()  # published, or never to be: no temporary stays behind
    return result


def report_json(report: Mapping[str, Any]) -> str:
    """The ingest report as indented JSON text (non-ASCII kept, e.g. £ in headers)."""
    return json.dumps(report, indent=2, ensure_ascii=False)
