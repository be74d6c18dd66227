"""Shared fixtures, and a sandbox: the tests never write into the checkout's data/ or reports/.

At start-up (before any worker or kernel starts) ``KIL_DATA_DIR`` and ``KIL_REPORTS_DIR``
point at a temporary folder of this run, inherited by pytest-xdist workers, subprocesses and
the notebooks' kernels; it is removed at the end. The demo data that the notebooks' default
parameters read is generated there once, on first need (a lock keeps xdist workers from
generating it twice). Tests that read the team's real published files skip when they are
absent.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from kil_analysis.paths import shared_data_dir

SANDBOX_VARIABLE = "KIL_TEST_SANDBOX"


def _sandbox() -> Path:
    return Path(os.environ[SANDBOX_VARIABLE])


def pytest_configure(config: pytest.Config) -> None:
    """Point data/ and reports/ at this run's sandbox (the controller creates it)."""
    if SANDBOX_VARIABLE not in os.environ:
        root = Path(tempfile.mkdtemp(prefix="kil-tests-"))
        os.environ[SANDBOX_VARIABLE] = str(root)
        config._kil_sandbox_owner = True  # type: ignore[attr-defined]
    root = _sandbox()
    os.environ["KIL_DATA_DIR"] = str(root / "data")
    os.environ["KIL_REPORTS_DIR"] = str(root / "reports")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the sandbox when the process that made it finishes."""
    if getattr(config, "_kil_sandbox_owner", False):
        shutil.rmtree(_sandbox(), ignore_errors=True)
        os.environ.pop(SANDBOX_VARIABLE, None)


def ensure_demo_data() -> Path:
    """The sandbox's demo data (``$KIL_DATA_DIR/demo``), generated once per test run."""
    from kil_analysis.demo import generate_demo

    demo = Path(os.environ["KIL_DATA_DIR"]) / "demo"
    demo.parent.mkdir(parents=True, exist_ok=True)
    with open(demo.parent / ".demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (demo / "demo_manifest.json").is_file():
            generate_demo(demo)
    return demo


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Notebook cells (nbval) run on the demo data with their default parameters."""
    if item.path.suffix == ".ipynb":
        ensure_demo_data()


@pytest.fixture(scope="session")
def demo_data() -> Path:
    """The generated demo data of this test run (read-only for tests: copy before changing)."""
    return ensure_demo_data()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real files councils published); the test is skipped when it is absent."""
    root = shared_data_dir()
    if not (root / "README.md").exists():
        pytest.skip(f"real published files not available at {root} (../shared/data absent)")
    return root
