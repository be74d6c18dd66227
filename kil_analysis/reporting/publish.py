"""Publishing a report atomically: build it in a staging folder, then swap it into place.

A run writes everything into a hidden ``.staging-<name>@<host>.<pid>.<random>`` folder beside
the published ones (same file system, so a rename moves it), checks it, and only then replaces
``reports/<slug>/`` (:func:`kil_analysis.readers.atomic.replace_folder`). A crash at any point
leaves the previous report untouched; a failed run writes ``failed.json`` beside it instead.

Staging folders say who made them, so :func:`remove_stale_staging` can sweep those whose
process is gone (on this host) or that are simply old, and interrupted batches do not pile up.
A batch holds a *lease* (:func:`take_lease`): a run publishes only while its batch's lease is
live, so a worker that outlives an interrupted or killed batch never publishes afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kil_analysis.readers.atomic import process_alive, replace_folder, write_json_atomic

# The files of a council's published folder, reports/<slug>/.
REPORT_HTML = "index.html"
FAILED_FILE = "failed.json"
FAILED_NOTEBOOK = "failed.ipynb"
STAGING_PREFIX = ".staging-"
LEASE_PREFIX = ".batch-"
STALE_AFTER_S = 6 * 3600
_OWNER = re.compile(r"@(?P<host>[^@/]+)\.(?P<pid>\d+)\.[^.]+$")


class OutputDirError(ValueError):
    """The reports folder cannot be written (one line: which folder and why)."""


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the second (for manifests and failure records)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def prepare_output_dir(folder: Path) -> Path:
    """Make sure ``folder`` is a folder this process can write in, creating it if needed.

    Raises OutputDirError with one line (a file in the way, no permission, read-only file
    system) before any run starts, so nothing is half-done. Returns the resolved folder.
    """
    folder = Path(folder).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputDirError(f"{folder} is a file, not a folder: cannot write there")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".kil-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except NotADirectoryError:
        raise OutputDirError(f"{folder}: part of this path is a file, not a folder") from None
    except OSError as exc:
        raise OutputDirError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    return folder


def _owner_tag() -> str:
    host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"
    return f"{host}.{os.getpid()}"


def make_staging(out_root: Path, name: str) -> Path:
    """A fresh hidden staging folder for ``name`` under ``out_root``, naming its owner process."""
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}@{_owner_tag()}.", dir=out_root))
    staging.chmod(0o755)  # mkdtemp creates 0700; the published folder is meant to be shared
    return staging


def _owner_gone(folder: Path) -> bool:
    """True when ``folder``'s name says it belongs to a process on this host that has ended."""
    found = _OWNER.search(folder.name)
    if not found or found["host"] != _owner_tag().rsplit(".", 1)[0]:
        return False
    return not process_alive(int(found["pid"]))


def remove_stale_staging(out_root: Path, max_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Delete staging folders and leases whose owner has ended or older than ``max_age_s``.

    Returns what was removed. Runs in progress are left alone.
    """
    if not out_root.is_dir():
        return []
    cutoff = time.time() - max_age_s
    removed = []
    for item in [*out_root.glob(f"{STAGING_PREFIX}*"), *out_root.glob(f"{LEASE_PREFIX}*")]:
        try:
            stale = item.stat().st_mtime < cutoff or _owner_gone(item)
        except OSError:
            continue
        if not stale:
            continue
        if item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)
        removed.append(item)
    return removed


def take_lease(out_root: Path) -> Path:
    """Create the batch's lease file in ``out_root``; runs publish only while it is live."""
    lease = out_root / f"{LEASE_PREFIX}{uuid.uuid4().hex[:12]}@{_owner_tag()}.json"
    write_json_atomic(lease, {"host": socket.gethostname(), "pid": os.getpid()})
    return lease


def lease_is_live(lease: Path | None) -> bool:
    """True when a run may publish under ``lease``.

    That is, when there is no lease (a run on its own), or the lease exists and its owner, when
    on this host, is still running.
    """
    if lease is None:
        return True
    return Path(lease).is_file() and not _owner_gone(Path(lease))


def publish(staging: Path, target: Path) -> None:
    """Replace ``target`` by the finished ``staging`` folder (old or new, never a mixture)."""
    replace_folder(staging, target)


def record_failure(report_dir: Path, slug: str, reason: str, notebook: Path | None = None) -> None:
    """Write ``failed.json`` (and move ``notebook`` to ``failed.ipynb``) in ``report_dir``.

    Any previous report there is left untouched.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    kept = None
    if notebook is not None and notebook.is_file():
        os.replace(notebook, report_dir / FAILED_NOTEBOOK)
        kept = FAILED_NOTEBOOK
    else:
        (report_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
    write_json_atomic(
        report_dir / FAILED_FILE,
        {"council": slug, "error": reason, "failed_at": utc_now(), "notebook": kept},
    )


def read_failure(path: Path) -> dict | None:
    """A ``failed.json`` record (a stand-in saying it is unreadable when it cannot be read)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"error": "the run failed (its failure record is unreadable)"}
    return data if isinstance(data, dict) else None
