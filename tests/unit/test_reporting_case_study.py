"""One council's run: failures recorded in one line, nothing published after a cancelled batch."""

from __future__ import annotations

from pathlib import Path


def test_run_case_study_without_the_notebook_fails_cleanly(tmp_path: Path):
    from kil_analysis.reporting.case_study import run_case_study

    run = run_case_study(
        "alpha",
        data_dir=tmp_path,
        registers_dir=tmp_path,
        lookups_dir=tmp_path,
        out_root=tmp_path / "reports",
        notebook=tmp_path / "missing.ipynb",
    )
    assert not run.ok and "missing.ipynb does not exist" in run.error
    assert (tmp_path / "reports" / "alpha" / "failed.json").exists()
