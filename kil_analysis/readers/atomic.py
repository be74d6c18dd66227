"""Writing files so that a crash never leaves half of one.

Every writer here writes a temporary file in the target's folder, then renames it over the
target (``os.replace`` is atomic within one file system): a reader sees the old file or the new
one, never a torn one. Files get the usual permissions (0666 less the umask), not mkstemp's 0600.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (signal 0 checks, sending nothing).

    For the temporaries a writer names after its process (staging folders, streamed files):
    one whose process has ended was left by a killed run and may be removed.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: str | Path, write: Callable[[str], Any]) -> Path:
    """Call ``write(temporary_path)``, then rename the temporary file onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def build_once(path: str | Path, build: Callable[[Path], Any]) -> Path:
    """Call ``build(path)`` unless ``path`` exists, one process at a time.

    For caches that several processes may fill at once (``kil report --all --jobs 2`` converting
    one register in two reports): an exclusive lock on ``.<name>.lock`` beside ``path`` makes the
    later callers wait, and they then find the file built instead of writing the same temporary
    files. ``build`` should still write atomically. Without ``fcntl`` (not POSIX) no lock is
    taken.
    """
    path = Path(path)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        if not path.exists():
            build(path)
        return path
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                build(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to ``path`` atomically."""
    return atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to ``path`` atomically (line endings as given)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as indented, key-sorted JSON with a final newline, atomically."""
    return write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def replace_folder(staging: str | Path, target: str | Path) -> Path:
    """Put the finished ``staging`` folder in place of ``target`` with renames.

    Both must be on one file system. Readers see the old folder or the new one, never a mixture
    or half a file; if the second rename fails the old folder is put back. Returns ``target``.
    """
    staging, target = Path(staging), Path(target)
    if not target.exists():
        os.rename(staging, target)
        return target
    old = target.with_name(f".old-{target.name}-{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return target
