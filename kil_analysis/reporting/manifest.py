"""The run manifest in ``summary.json``: exactly how a report was made.

Parameters, git commit, Python and package versions, platform, checksums of the data files
read (and of reference files up to a size limit), and per-stage and per-cell timings in
seconds. Timings live here, never in the notebook, so the notebook's outputs stay
deterministic.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from kil_analysis.paths import PROJECT_ROOT
from kil_analysis.readers.checksums import display_path, file_checksums, sha256_file

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


def run_facts(
    *, data_dir: Path, reference_dirs: Iterable[Path] = (), notebook: Path
) -> dict[str, Any]:
    """The manifest's record of what a run read and ran on, which the run itself cannot change.

    The notebook and its SHA-256, git commit, versions, platform, Python, and the checksums
    of the files under ``data_dir`` (always) and ``reference_dirs`` (up to
    :data:`CHECKSUM_LIMIT_BYTES` each). ``kil report`` gathers these while the kernel runs.
    """
    return {
        "notebook": display_path(notebook),
        "notebook_sha256": sha256_file(notebook),
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
    }


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
    facts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """How a report was made: everything needed to reproduce it or to tell two runs apart.

    ``timings`` are seconds per stage (``execute``, ``export``, ``total``); ``started_at`` is
    an ISO 8601 UTC time. ``facts`` is :func:`run_facts` of the same ``data_dir``,
    ``reference_dirs`` and ``notebook`` when already gathered (else gathered now): files
    under ``data_dir`` are always checksummed; reference files (registers, lookups) only up
    to :data:`CHECKSUM_LIMIT_BYTES` each.
    """
    if facts is None:
        facts = run_facts(data_dir=data_dir, reference_dirs=reference_dirs, notebook=notebook)
    return {
        "started_at": started_at,
        "parameters": parameters,
        "notebook": facts["notebook"],
        "notebook_sha256": facts["notebook_sha256"],
        "kernel_name": kernel_name,
        **{k: v for k, v in facts.items() if k not in ("notebook", "notebook_sha256")},
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "cell_timings_s": cell_timings or [],
    }
