"""``reports/<slug>/summary.json``: the notebook's headline figures plus the run manifest.

The summary's fields are defined once, in the JSON Schema ``summary.schema.json`` beside this
module (package data): :data:`YEAR_FIELDS` (the per-year fields, in order) and
:func:`headline_rows` (a ``measures.headline_by_year`` table → those fields, each property's
``x-column`` naming the column it comes from) are read from it, and every summary is checked
against it with ``jsonschema`` (:func:`validate_summary`).

The notebook writes the headline JSON (one entry per financial year) to the ``summary_path``
parameter; the runner reads and checks it, then adds a ``manifest`` saying exactly how the
report was made: parameters, git commit, Python and package versions, checksums of the data
files read, and per-stage timings in seconds. Timings live here, never in the notebook, so the
notebook's outputs stay deterministic.
"""

from __future__ import annotations

import json
import math
import platform
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from kil_analysis.paths import PROJECT_ROOT
from kil_analysis.readers.checksums import display_path, file_checksums, sha256_file

SUMMARY_FILE = "summary.json"
SCHEMA_FILE = Path(__file__).with_name("summary.schema.json")
REPORTED_PACKAGES = (
    "kil-analysis",
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
)
# Reference files (registers) can run to gigabytes: above this size record only their size.
CHECKSUM_LIMIT_BYTES = 64 * 1024 * 1024


class SummaryError(ValueError):
    """The notebook's headline JSON is missing or not in the agreed shape (one-line reason)."""


@cache
def summary_schema() -> dict[str, Any]:
    """The JSON Schema of ``summary.json`` (read once from the package)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _year_properties() -> dict[str, Any]:
    return summary_schema()["$defs"]["year"]["properties"]


def year_fields() -> tuple[str, ...]:
    """Every per-year field of ``summary.json``'s ``headline``, in the schema's order."""
    return tuple(_year_properties())


def year_number_fields() -> tuple[str, ...]:
    """The per-year fields that hold a number (counts, shares, indices): what the comparison
    report reads for each council and year."""
    return tuple(
        name
        for name, spec in _year_properties().items()
        if {"number", "integer"} & set(_types(spec))
    )


def _types(spec: dict[str, Any]) -> list[str]:
    return spec["type"] if isinstance(spec["type"], list) else [spec["type"]]


def _json_value(value: Any, spec: dict[str, Any]) -> Any:
    """One headline value as the schema's field wants it (exact pounds from pence, YYYY-MM
    months, null for NaN)."""
    from kil_analysis.readers.parse.amounts import pence_to_decimal_string

    kind = spec.get("x-kind")
    if kind == "pence":
        return pence_to_decimal_string(int(value))
    if kind == "months":
        return [str(m) for m in value]
    types = _types(spec)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if "integer" in types:
        return int(value)
    if "number" in types:
        return float(value)
    if "boolean" in types:
        return bool(value)
    return str(value)


def headline_rows(headline: Any, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``summary.json``'s per-year rows from a ``measures.headline_by_year`` table.

    ``extra`` maps a field to a {financial_year: value} dict for fields that are not headline
    columns (e.g. ``top_n_share`` from the CLES table). Raises KeyError naming a field whose
    column is missing."""
    extra = extra or {}
    rows = []
    for record in headline.to_dict("records"):
        row = {}
        for name, spec in _year_properties().items():
            if name in extra:
                value = extra[name].get(record["financial_year"])
            else:
                value = record[spec["x-column"]]
            row[name] = _json_value(value, spec)
        rows.append(row)
    return rows


def _where(error: Any) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "the summary"


def validate_summary(data: Any, *, require_manifest: bool = False) -> None:
    """Check a summary (or the notebook's headline JSON, which has no manifest yet) against
    the schema; SummaryError with a one-line reason naming the field if it does not fit."""
    from jsonschema import Draft202012Validator

    if not isinstance(data, dict) or not isinstance(data.get("headline"), list):
        raise SummaryError("the notebook's summary has no 'headline' list")
    for i, row in enumerate(data["headline"]):
        missing = [f for f in year_fields() if not isinstance(row, dict) or f not in row]
        if missing:
            raise SummaryError(f"the notebook's summary headline[{i}] lacks {', '.join(missing)}")
    if require_manifest and "manifest" not in data:
        raise SummaryError("the summary has no 'manifest'")
    validator = Draft202012Validator(summary_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise SummaryError(f"summary {_where(first)}: {first.message.splitlines()[0][:200]}")


def _read_git_head(root: Path) -> str | None:
    """The commit HEAD points at, read from ``.git`` without running git (None if unclear)."""
    git = root / ".git"
    if not git.is_dir():
        return None
    head = (git / "HEAD").read_text(encoding="utf-8").strip()
    if not head.startswith("ref:"):
        return head or None
    ref = head.split(":", 1)[1].strip()
    loose = git / ref
    if loose.is_file():
        return loose.read_text(encoding="utf-8").strip() or None
    packed = git / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1] == ref:
                return parts[0]
    return None


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The project's current commit (as ``git rev-parse HEAD``), or ``"unknown"``."""
    try:
        commit = _read_git_head(Path(root))
    except OSError:
        commit = None
    if commit:
        return commit
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def package_versions(names: Iterable[str] = REPORTED_PACKAGES) -> dict[str, str]:
    """Installed version of each package (``"not installed"`` when absent), plus Python's."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def read_headline(path: Path) -> dict[str, Any]:
    """Read and check the headline JSON the notebook wrote (SummaryError if absent/malformed)."""
    path = Path(path)
    if not path.is_file():
        raise SummaryError(f"the notebook did not write its summary to {path.name}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SummaryError(f"the notebook's summary is not valid JSON ({exc.msg})") from exc
    validate_summary(data)
    return data


def build_manifest(
    *,
    parameters: dict[str, Any],
    data_dir: Path,
    reference_dirs: Iterable[Path] = (),
    notebook: Path,
    kernel_name: str,
    started_at: str,
    timings: dict[str, float],
    cell_timings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """How a report was made: everything needed to reproduce it or to tell two runs apart.

    ``timings`` are seconds per stage (``execute``, ``export``, ``total``); ``started_at`` is
    an ISO 8601 UTC time. Files under ``data_dir`` are always checksummed; reference files
    (registers, lookups) only up to :data:`CHECKSUM_LIMIT_BYTES` each.
    """
    return {
        "started_at": started_at,
        "parameters": parameters,
        "notebook": display_path(notebook),
        "notebook_sha256": sha256_file(notebook),
        "kernel_name": kernel_name,
        "git_commit": git_commit(),
        "versions": package_versions(),
        "platform": platform.platform(),
        "python_executable": sys.executable,
        "data_files": file_checksums(data_dir),
        "reference_files": [
            row
            for folder in reference_dirs
            for row in file_checksums(folder, limit_bytes=CHECKSUM_LIMIT_BYTES)
        ],
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "cell_timings_s": cell_timings or [],
    }


def build_summary(headline: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The published summary: the notebook's headline JSON with the manifest added, checked
    against the schema (SummaryError if it does not fit)."""
    summary = {**headline, "manifest": manifest}
    validate_summary(summary, require_manifest=True)
    return summary


def latest_year(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The headline row a summary leads with: its latest *full* financial year (partial years
    are not compared with full ones), or its latest year when none is full (None when there
    are no years). Rows without ``is_partial`` (older summaries) count as full."""
    rows = [r for r in summary.get("headline") or [] if isinstance(r, dict)]
    full = [r for r in rows if not r.get("is_partial")]
    return max(full or rows, key=lambda r: str(r.get("financial_year", ""))) if rows else None


def read_summary(path: Path) -> dict[str, Any] | None:
    """A published ``summary.json`` (None if missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
