"""Atomic publication: staging, the swap, failure records, sweeping stale staging."""

from __future__ import annotations

import json
from pathlib import Path

from kil_analysis.reporting import publish


def test_publish_swaps_folders_and_failure_keeps_the_previous_report(tmp_path: Path):
    target = tmp_path / "alpha"
    target.mkdir()
    (target / "index.html").write_text("old")
    staging = tmp_path / ".staging-alpha"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    publish.publish(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert not staging.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["alpha"]

    failed_nb = tmp_path / "half.ipynb"
    failed_nb.write_text("{}")
    publish.record_failure(target, "alpha", "execute failed: boom", failed_nb)
    assert (target / "index.html").read_text() == "new"
    record = json.loads((target / "failed.json").read_text())
    assert record["error"] == "execute failed: boom" and record["notebook"] == "failed.ipynb"
    assert (target / "failed.ipynb").exists() and not failed_nb.exists()


def test_stale_staging_folders_are_removed_fresh_ones_kept(tmp_path: Path):
    import os

    stale, fresh = tmp_path / ".staging-alpha-old", tmp_path / ".staging-beta-new"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (1, 1))
    publish.remove_stale_staging(tmp_path)
    assert not stale.exists() and fresh.exists()
