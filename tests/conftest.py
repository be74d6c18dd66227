"""Shared fixtures. Tests that read the team's real published files skip when they are absent.

The sandbox (temporary ``KIL_DATA_DIR`` / ``KIL_REPORTS_DIR``) is set up by the project's root
``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ensure_demo_data
from kil_analysis.paths import shared_data_dir


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
