"""Shared fixtures. Tests that read the team's real published files skip when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_analysis.paths import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real files councils published); the test is skipped when it is absent."""
    root = shared_data_dir()
    if not (root / "README.md").exists():
        pytest.skip(f"real published files not available at {root} (../shared/data absent)")
    return root
