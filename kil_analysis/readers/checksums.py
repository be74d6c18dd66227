"""SHA-256 checksums of files: what a download, a demo manifest or a run manifest records.

The one place files are hashed for the record (the ingest cache hashes bytes it has already
read, to key its cache).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from kil_analysis.paths import PROJECT_ROOT


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """``path`` relative to the project root when inside it (manifests stay portable)."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def file_checksums(folder: Path, *, limit_bytes: int | None = None) -> list[dict[str, Any]]:
    """Every file under ``folder`` (recursively, sorted, hidden files skipped) with its size
    and SHA-256; files larger than ``limit_bytes`` get ``sha256: null``. Missing folder → []."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    rows = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        size = path.stat().st_size
        too_big = limit_bytes is not None and size > limit_bytes
        rows.append(
            {
                "path": display_path(path),
                "bytes": size,
                "sha256": None if too_big else sha256_file(path),
            }
        )
    return rows
