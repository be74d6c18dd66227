"""``ingest_spend``: published spend files (CSV, spreadsheets, ZIPs) → the canonical spend table.

Every non-blank data row of every file is either kept or rejected with a reason, and the report
accounts for each row and each penny per file and in total. See ``../shared/DESIGN.md``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kil_analysis import paths as kil_paths
from kil_analysis import schema
from kil_analysis.readers import cache
from kil_analysis.readers.accounting import ReadResult, sum_report
from kil_analysis.readers.sources import (
    CSV_SUFFIXES,
    InputFile,
    csv_grid,
    decode,
    excel_grids,
    find_inputs,
    read_members,
)
from kil_analysis.readers.spend.outputs import write_outputs
from kil_analysis.readers.spend.table import finish_spend, read_spend_grid, repeat_strings

PARALLEL_MIN_BYTES = 8_000_000


@dataclass
class IngestResult(ReadResult):
    """What :func:`ingest_spend` returns: a `ReadResult` whose table is also called ``spend``.

    ``spend`` (= ``table``): DataFrame with exactly ``schema.SPEND_COLUMNS`` (amount in GBP as
    float rounded to the penny; ``amount_pence`` exact int64 — sum this, not ``amount``).
    ``rejects``: DataFrame with ``schema.REJECT_COLUMNS``. ``report``: ``council``,
    ``reader_version``, ``files`` and ``totals`` (see `kil_analysis.readers.accounting`), as written
    to ``ingest_report.json``.
    """

    @property
    def spend(self) -> pd.DataFrame:
        return self.table

    @spend.setter
    def spend(self, value: pd.DataFrame) -> None:
        self.table = value


def _read_excel_table(
    payload: bytes, ext: str, where: str, overrides: Mapping[str, str] | None
) -> cache.Table:
    try:
        sheets = list(excel_grids(payload, ext))
    except Exception as exc:  # any reader failure means a bad input file
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"{where}: cannot read as a spreadsheet ({reason})") from exc
    first_error: ValueError | None = None
    for sheet, cells in sheets:
        lines = np.arange(1, len(cells) + 1, dtype=np.int64)
        try:
            spend, rejects, report = read_spend_grid(
                cells, lines, f"{where} [sheet {sheet}]", overrides=overrides
            )
        except ValueError as exc:
            first_error = first_error or exc
            continue
        return spend, rejects, {"encoding": "spreadsheet", "sheet": sheet, **report}
    raise first_error or ValueError(f"{where}: the workbook has no sheets")


def _read_file(
    item: InputFile, data: bytes, overrides: Mapping[str, str] | None
) -> list[cache.Table]:
    """Parse every table in one input (a file, or each member of a ZIP archive)."""
    tables: list[cache.Table] = []
    for member, ext, payload in read_members(item, data):
        where = item.display + member
        if ext in CSV_SUFFIXES:
            text, encoding = decode(payload)
            cells, lines = csv_grid(text, where)
            spend, rejects, report = read_spend_grid(cells, lines, where, overrides=overrides)
            report = {"encoding": encoding, **report}
        else:
            spend, rejects, report = _read_excel_table(payload, ext, where, overrides)
        tables.append((spend, rejects, {"member": member, **report}))
    if not tables:
        raise ValueError(f"{item.display}: the archive holds no CSV or spreadsheet files")
    return tables


def _read_and_cache(
    item: InputFile, overrides: Mapping[str, str] | None, store: Path
) -> tuple[str, list[cache.Table]]:
    """Read one input from disk, parse it and store it in the cache; returns (sha256, tables)."""
    data = item.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    tables = _read_file(item, data, overrides)
    try:
        cache.save(store, cache.cache_key(digest, overrides), tables)
    except OSError:
        pass  # an unwritable cache folder only costs speed next time
    return digest, tables


def _pool_size(jobs: int | None, misses: list[InputFile]) -> int:
    """Worker processes for the uncached files: 1 (serial) unless there is enough work."""
    if jobs is not None:
        return max(1, min(jobs, len(misses)))
    volume = sum(item.path.stat().st_size for item in misses)
    if len(misses) < 4 or volume < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, len(misses), 8))


def _read_misses(
    misses: list[InputFile], overrides: Mapping[str, str] | None, store: Path, jobs: int | None
) -> list[tuple[str, list[cache.Table]]]:
    workers = _pool_size(jobs, misses)
    if workers == 1:
        return [_read_and_cache(item, overrides, store) for item in misses]
    # fork is quick and safe on Linux; elsewhere (macOS, Windows) spawn is the safe choice.
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_read_and_cache, item, overrides, store) for item in misses]
        return [future.result() for future in futures]


def _totals(files: list[dict[str, Any]]) -> dict[str, Any]:
    """`sum_report` totals plus blank rows skipped and the files that repeat earlier bytes."""
    extra = {
        "blank_rows_skipped": sum(f["blank_rows_skipped"] for f in files),
        "duplicate_files": sorted(f["path"] for f in files if "duplicate_of" in f),
    }
    return sum_report(files, extra)


def _finish_rejects(frames: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    rejects = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    sizes = [len(f) for f in frames]
    out = pd.DataFrame(
        {
            "source_file": repeat_strings(names, sizes),
            "source_row": rejects.get("source_row", pd.Series([], dtype="int64")).astype("int64"),
        }
    )
    for column in ("reason", "detail", "raw"):
        out[column] = rejects.get(column, pd.Series([], dtype=object)).astype("string")
    return out[schema.REJECT_COLUMNS]


def default_cache_dir(out_dir: Path | None) -> Path:
    """``<out_dir>/.cache`` when writing somewhere, else ``data/processed/.cache``."""
    return Path(out_dir) / ".cache" if out_dir else kil_paths.data_dir() / "processed" / ".cache"


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

    ``paths`` are files or folders (searched recursively) of CSV, XLSX/XLS/ODS or ZIP archives
    of those; ZIP members are read in memory and named ``archive.zip!member.csv``. ``council``
    (an ONS code) is stamped on every row. ``column_overrides`` maps published headers to
    canonical fields (they beat the synonyms table; ``"ignored"`` unmaps a column). With
    ``out_dir``, writes ``spend.parquet``, ``rejects.csv`` and ``ingest_report.json`` atomically.
    Results are cached by file content in ``cache_dir`` (default ``<out_dir>/.cache``, else
    ``data/processed/.cache``); ``use_cache=False`` re-reads everything (and refreshes the cache).
    Uncached files are parsed in ``jobs`` worker processes (default: one per CPU when there are
    at least 4 files and 8 MB to read; ``jobs=1`` reads in this process).

    A file whose bytes repeat an earlier input's is still read, but its report entry says
    ``duplicate_of`` and ``totals.duplicate_files`` lists it, so double counting is visible.

    Caveat: rows dated after today + 366 days are rejected as implausible; the cache keeps that
    decision for unchanged bytes (re-run with ``use_cache=False`` a year on to re-judge them).

    Raises ValueError with one line naming the file when a file cannot be read or lacks a date,
    supplier or amount column; FileNotFoundError for a path that does not exist.
    """
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    inputs = find_inputs(given)
    if not inputs:
        raise ValueError(f"no CSV, spreadsheet or ZIP files found in {', '.join(map(str, given))}")
    store = Path(cache_dir) if cache_dir else default_cache_dir(out_dir)
    found: dict[int, tuple[str, list[cache.Table]]] = {}
    misses: list[int] = []
    for n, item in enumerate(inputs):
        hit = None
        if use_cache:
            digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
            hit = cache.load(store, cache.cache_key(digest, column_overrides))
        if hit is None:
            misses.append(n)
        else:
            found[n] = (digest, hit)
    read = _read_misses([inputs[n] for n in misses], column_overrides, store, jobs)
    found.update(zip(misses, read, strict=True))

    spends, rejects, names, reject_names, files = [], [], [], [], []
    first_with: dict[str, str] = {}
    for n, item in enumerate(inputs):
        digest, tables = found[n]
        duplicate_of = first_with.setdefault(digest, item.display)
        for spend, rej, table_report in tables:
            name = item.display + table_report.get("member", "")
            spends.append(spend)
            names.append(name)
            if len(rej):
                rejects.append(rej)
                reject_names.append(name)
            entry = {"path": name, "sha256": digest}
            if duplicate_of != item.display:  # same bytes under another name: flag, keep rows
                entry["duplicate_of"] = duplicate_of + table_report.get("member", "")
            entry.update({k: v for k, v in table_report.items() if k != "member"})
            files.append(entry)
    report = {
        "council": council,
        "reader_version": cache.READER_VERSION,
        "files": files,
        "totals": _totals(files),
    }
    result = IngestResult(
        table=finish_spend(spends, names, council),
        rejects=_finish_rejects(rejects, reject_names),
        report=report,
    )
    if out_dir is not None:
        write_outputs(result, Path(out_dir))
    return result


def report_json(report: Mapping[str, Any]) -> str:
    """The ingest report as indented JSON text (non-ASCII kept, e.g. £ in headers)."""
    return json.dumps(report, indent=2, ensure_ascii=False)
