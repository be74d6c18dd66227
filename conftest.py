"""The test run's sandbox, for every test and notebook collected under this folder.

At start-up (before any xdist worker or kernel starts) ``KIL_DATA_DIR`` and ``KIL_REPORTS_DIR``
point at a temporary folder of this run, inherited by workers, subprocesses and the notebooks'
kernels, so no test or notebook ever writes into the checkout's ``data/`` or ``reports/``; the
folder is removed at the end. The demo data the notebooks' default parameters read is generated
there once: at start-up when the run includes ``notebooks/``, else on first need by a test
(``demo_data`` fixture in tests/conftest.py; a lock keeps xdist workers from generating it
twice). It sits at the project root because nbval's notebook cells, outside ``tests/``, need it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parent / "notebooks"
SANDBOX_VARIABLE = "KIL_TEST_SANDBOX"


def _sandbox() -> Path:
    return Path(os.environ[SANDBOX_VARIABLE])


def _runs_notebooks(config: pytest.Config) -> bool:
    """True when the paths this run collects include notebooks/."""
    for arg in config.args:
        path = Path(str(arg).split("::", 1)[0]).resolve()
        if path == NOTEBOOKS_DIR or NOTEBOOKS_DIR in path.parents or path in NOTEBOOKS_DIR.parents:
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    """Point data/ and reports/ at this run's sandbox (the controller creates it)."""
    if SANDBOX_VARIABLE not in os.environ:
        root = Path(tempfile.mkdtemp(prefix="kil-tests-"))
        os.environ[SANDBOX_VARIABLE] = str(root)
        config._kil_sandbox_owner = True  # type: ignore[attr-defined]
    root = _sandbox()
    os.environ["KIL_DATA_DIR"] = str(root / "data")
    os.environ["KIL_REPORTS_DIR"] = str(root / "reports")
    if getattr(config, "_kil_sandbox_owner", False) and _runs_notebooks(config):
        ensure_demo_data()


@pytest.hookimpl(hookwrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """Hand nbval each notebook with its checked cells' expected outputs filled in.

    Notebooks are committed without outputs; the outputs nbval compares are stored in
    ``tests/notebooks/expected_outputs/`` (see ``tests/notebooks/refresh_checked_outputs.py``).
    """
    outcome = yield
    if file_path.suffix != ".ipynb":
        return
    from nbval.plugin import IPyNbFile

    collected = outcome.get_result()
    if isinstance(collected, list):
        outcome.force_result(
            [
                _with_expected_outputs(item) if type(item) is IPyNbFile else item
                for item in collected
            ]
        )


def _with_expected_outputs(item: pytest.File) -> pytest.File:
    from nbval.plugin import IPyNbFile

    class NotebookWithExpectedOutputs(IPyNbFile):
        """nbval's notebook, read with the stored outputs of its checked cells."""

        def collect(self):  # type: ignore[no-untyped-def]
            import nbformat
            from nbval import plugin

            from tests.notebooks.refresh_checked_outputs import with_expected_outputs

            nb = with_expected_outputs(nbformat.read(str(self.path), as_version=4), self.path)
            real = plugin.nbformat

            class _Reader:  # nbval reads the notebook once, at the start of collect()
                def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
                    return getattr(real, name)

                @staticmethod
                def read(*args, **kwargs):  # type: ignore[no-untyped-def]
                    return nb

            plugin.nbformat = _Reader()  # type: ignore[assignment]
            try:
                yield from super().collect()
            finally:
                plugin.nbformat = real

    return NotebookWithExpectedOutputs.from_parent(item.parent, path=item.path)


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
