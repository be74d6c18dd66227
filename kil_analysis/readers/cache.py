"""Content-keyed cache of ingested files: unchanged bytes are never parsed twice.

The key is the SHA-256 of the file's bytes, the reader version and the column overrides; the
file's name, location and the council code are not part of it (they are stamped on load), so a
renamed or moved file is still a cache hit. Entries are Arrow IPC (Feather) files — fast to write
and to read back — one pair per table in the file (a ZIP or a workbook may have several), plus
a JSON file written last, which marks the entry complete: the tables' reports and the members
or sheets of the file that were skipped or could not be read. A file that could not be read at
all is not cached (it is tried again next time). Bump :data:`READER_VERSION` whenever the
reader's output for the same bytes would change.

pyarrow is imported only when an entry is read or written (pandas never), so that the version
and key can be used by ``kil ingest``'s up-to-date check without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kil_analysis.readers.atomic import atomic_write

if TYPE_CHECKING:
    import pyarrow as pa

READER_VERSION = "spend-8"

# One table read from a file: (spend part, rejects part, report), both parts Arrow tables; see
# spend.table.read_spend_grid.
Table = tuple["pa.Table", "pa.Table", dict[str, Any]]


@dataclass
class FileRead:
    """What one input file gave: its tables, and its members or sheets not read (with why)."""

    tables: list[Table] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)


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


def _write(table: pa.Table, path: str) -> None:
    """Write an Arrow table as uncompressed Feather (quick to write, memory-mapped on read)."""
    from pyarrow import feather

    feather.write_feather(table, path, compression="uncompressed")


def _read_table(path: Path) -> pa.Table:
    from pyarrow import feather

    return feather.read_table(path, memory_map=True)


def has_entries(cache_dir: Path) -> bool:
    """Whether the cache folder holds any complete entry (False when it does not exist).

    A folder with none cannot answer a look-up, so files need not be hashed to ask it.
    """
    try:
        return any(Path(cache_dir).glob("*.json"))
    except OSError:
        return False


def load(cache_dir: Path, key: str) -> FileRead | None:
    """The entry stored under ``key``, or None when absent, incomplete or unreadable."""
    meta = cache_dir / f"{key}.json"
    if not meta.exists():
        return None
    try:
        entry = json.loads(meta.read_text(encoding="utf-8"))
        found = FileRead(skipped=list(entry["skipped"]), failed=list(entry["failed"]))
        found.tables = load_tables(cache_dir, key, list(entry["reports"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found


def load_tables(cache_dir: Path, key: str, reports: list[dict[str, Any]]) -> list[Table]:
    """The tables stored under ``key``, one per report given (in order), with those reports.

    Both parts come back as Arrow tables, memory-mapped, not copied. Raises OSError or
    ValueError (Arrow's errors are ValueErrors) when a table file is missing or unreadable.
    """
    return [
        (
            _read_table(cache_dir / f"{key}.{i}.spend.arrow"),
            _read_table(cache_dir / f"{key}.{i}.rejects.arrow"),
            report,
        )
        for i, report in enumerate(reports)
    ]


def save(cache_dir: Path, key: str, found: FileRead) -> None:
    """Store one file's tables; the JSON, written last and atomically, completes the entry.

    The table files are written in place: until the JSON exists the entry is not read, and a
    crash part-way leaves only files the next save of the same key overwrites.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    for i, (spend, rejects, _) in enumerate(found.tables):
        _write(spend, str(cache_dir / f"{key}.{i}.spend.arrow"))
        _write(rejects, str(cache_dir / f"{key}.{i}.rejects.arrow"))
    text = json.dumps(
        {
            "reports": [report for _, _, report in found.tables],
            "skipped": found.skipped,
            "failed": found.failed,
        },
        sort_keys=True,
    )
    atomic_write(cache_dir / f"{key}.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
