"""Content-keyed cache of ingested files: unchanged bytes are never parsed twice.

The key is the SHA-256 of the file's bytes, the reader version and the column overrides; the
file's name, location and the council code are not part of it (they are stamped on load), so a
renamed or moved file is still a cache hit. Entries are Arrow IPC (Feather) files — fast to write
and to read back — one pair per table in the file (a ZIP has several), plus a JSON list of the
tables' reports written last, which marks the entry complete. Bump :data:`READER_VERSION`
whenever the reader's output for the same bytes would change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from pyarrow import feather

from kil_analysis.readers.atomic import atomic_write

READER_VERSION = "spend-5"

# One table read from a file: (spend part, rejects part, report); see spend_table.read_spend_grid.
Table = tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]


def cache_key(digest: str, overrides: Mapping[str, str] | None) -> str:
    """Key for a file whose bytes have SHA-256 ``digest`` read with these ``overrides``."""
    material = json.dumps(
        {
            "sha256": digest,
            "reader": READER_VERSION,
            "overrides": dict(sorted((overrides or {}).items())),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _write(frame: pd.DataFrame, path: str) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    feather.write_feather(table, path, compression="uncompressed")


def _read(path: Path) -> pd.DataFrame:
    table = feather.read_table(path, memory_map=True)
    strings = {pa.large_string(): pd.StringDtype("pyarrow"), pa.string(): pd.StringDtype("pyarrow")}
    return table.to_pandas(types_mapper=strings.get)


def load(cache_dir: Path, key: str) -> list[Table] | None:
    """The tables stored under ``key``, or None when absent or unreadable."""
    meta = cache_dir / f"{key}.json"
    if not meta.exists():
        return None
    try:
        reports = json.loads(meta.read_text(encoding="utf-8"))
        tables = []
        for i, report in enumerate(reports):
            spend = _read(cache_dir / f"{key}.{i}.spend.arrow")
            rejects = _read(cache_dir / f"{key}.{i}.rejects.arrow")
            tables.append((spend, rejects, report))
    except (OSError, ValueError):
        return None
    return tables


def save(cache_dir: Path, key: str, tables: list[Table]) -> None:
    """Store one file's tables (atomically; the JSON, written last, completes the entry)."""
    for i, (spend, rejects, _) in enumerate(tables):
        atomic_write(cache_dir / f"{key}.{i}.spend.arrow", lambda p, df=spend: _write(df, p))
        atomic_write(cache_dir / f"{key}.{i}.rejects.arrow", lambda p, df=rejects: _write(df, p))
    text = json.dumps([report for _, _, report in tables], sort_keys=True)
    atomic_write(cache_dir / f"{key}.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
