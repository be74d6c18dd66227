"""The tree stays ruff-clean (lint and format), notebooks included, as CONVENTIONS asks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kil_analysis.paths import PROJECT_ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
