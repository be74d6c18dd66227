"""An ingest's three outputs — spend.parquet, rejects.csv, ingest_report.json — published together.

`publish_together` writes every output to a temporary file in the target folder first; only
when all of them are written (a full disk or a crash stops it before any rename) are they
renamed into place, the report last. The report records each other output's SHA-256 and size
(``outputs``), so a reader can tell that the three belong together, and `current_report` can
tell, without loading pandas, that an earlier ingest of the same bytes is still current.

Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

SPEND_FILE = "spend.parquet"
REJECTS_FILE = "rejects.csv"
REPORT_FILE = "ingest_report.json"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def check_out_dir(out_dir: Path) -> None:
    """Raise OSError with a one-line reason when ``out_dir`` cannot receive the outputs.

    Creates the folder if needed; a file in its place, a read-only folder or one that cannot
    be created are refused before any work is done.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir}: --out is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"{out_dir}: cannot create the output folder ({_reason(exc)})") from exc
    try:
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".kil-write-test.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OSError(f"{out_dir}: cannot write to the output folder ({_reason(exc)})") from exc


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def publish_together(
    out_dir: Path,
    tables: Mapping[str, Callable[[str], Any]],
    report: dict[str, Any],
) -> dict[str, Path]:
    """Write ``tables`` (file name → ``write(temporary_path)``) and ``report`` into ``out_dir``.

    All or nothing: every file is written to a temporary name first; if any write fails the
    temporaries are removed and the old outputs are left as they were (OSError is raised).
    ``report`` gains ``outputs`` (SHA-256 and bytes of each table file) before it is written
    as ``ingest_report.json``. Returns the paths published.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    temporaries: dict[str, str] = {}
    try:
        for name, write in tables.items():
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            os.close(fd)
            temporaries[name] = tmp
            write(tmp)
        report["outputs"] = {
            name: {"sha256": file_sha256(Path(tmp)), "bytes": os.path.getsize(tmp)}
            for name, tmp in temporaries.items()
        }
        text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{REPORT_FILE}.", suffix=".tmp")
        os.close(fd)
        temporaries[REPORT_FILE] = tmp
        Path(tmp).write_text(text, encoding="utf-8")
        mode = 0o666 & ~_umask()
        for tmp in temporaries.values():
            os.chmod(tmp, mode)
    except BaseException:
        for tmp in temporaries.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    published = {}
    for name, tmp in temporaries.items():  # the report last: it vouches for the others
        os.replace(tmp, out_dir / name)
        published[name] = out_dir / name
    return published


def _outputs_intact(out_dir: Path, outputs: Mapping[str, Any]) -> bool:
    """Whether each file a report's ``outputs`` names has the size and SHA-256 it recorded.

    OSError when one is missing.
    """
    return all(
        os.path.getsize(out_dir / name) == facts["bytes"]
        and file_sha256(out_dir / name) == facts["sha256"]
        for name, facts in outputs.items()
    )


def published_outputs(
    out_dir: Path, names: Sequence[str], report: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The ``outputs`` of the ingest already in ``out_dir`` when it published this very result.

    That is: its report, less ``outputs``, is ``report`` (compared as written, in JSON), and
    each of ``names`` is there with the bytes that report recorded. A re-run on unchanged files
    then need not write the same three files again. None when anything differs or is missing.
    """
    out_dir = Path(out_dir)
    try:
        earlier = json.loads((out_dir / REPORT_FILE).read_text(encoding="utf-8"))
        outputs = earlier.pop("outputs")
        now = json.loads(
            json.dumps({k: v for k, v in report.items() if k != "outputs"}, default=str)
        )
        if earlier != now or sorted(outputs) != sorted(names):
            return None
        if not _outputs_intact(out_dir, outputs):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return outputs


def current_report(
    out_dir: Path,
    inputs: Sequence[tuple[str, Path]],
    expected: Mapping[str, Any],
    skipped: Sequence[Mapping[str, str]],
    failed: Sequence[Mapping[str, str]],
) -> dict[str, Any] | None:
    """The report of an earlier ingest in ``out_dir`` when it is still current, else None.

    Current means: the same reader version, council and column overrides (``expected``), the
    same input files with the same bytes (``inputs``: (display name, path) pairs, hashed here),
    the same files skipped and failed, and outputs whose bytes are those the report recorded.
    """
    try:
        report = json.loads((Path(out_dir) / REPORT_FILE).read_text(encoding="utf-8"))
        if any(report.get(k) != v for k, v in expected.items()):
            return None
        recorded = report.get("inputs") or []
        if [(r["path"], r["sha256"]) for r in recorded] != [
            (name, file_sha256(path)) for name, path in inputs
        ]:
            return None
        earlier_skips = [s for s in report.get("skipped", []) if s.get("scope") == "folder"]
        if [(s["path"], s["reason"]) for s in earlier_skips] != [
            (s["path"], s["reason"]) for s in skipped
        ]:
            return None
        earlier_fails = [f for f in report.get("failed", []) if f.get("scope") == "folder"]
        if [(f["path"], f["reason"]) for f in earlier_fails] != [
            (f["path"], f["reason"]) for f in failed
        ]:
            return None
        if not report.get("outputs") or not _outputs_intact(Path(out_dir), report["outputs"]):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return report
