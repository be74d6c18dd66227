"""The run manifest and summary.json: checksums, versions, git commit, timings, headline checks."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_notebook

from kil_analysis.readers import checksums
from kil_analysis.reporting import manifest, summary
from tests.unit.test_reporting_support import HEADLINE


def test_file_checksums_match_hashlib_and_skip_hidden(tmp_path: Path):
    (tmp_path / "spend").mkdir()
    (tmp_path / "spend" / "a.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "b.json").write_bytes(b"{}")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "junk").write_bytes(b"junk")
    rows = checksums.file_checksums(tmp_path)
    assert [Path(r["path"]).name for r in rows] == ["b.json", "a.csv"]
    assert rows[1]["sha256"] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert rows[1]["bytes"] == 8
    assert checksums.file_checksums(tmp_path, limit_bytes=4)[1]["sha256"] is None
    assert checksums.file_checksums(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "did not write its summary"),
        ("{not json", "not valid JSON"),
        ('{"council": "x"}', "no 'headline' list"),
        ('{"headline": [{"financial_year": "2023/24"}]}', "lacks total_spend_gbp, suppliers"),
    ],
)
def test_read_headline_rejects_bad_summaries(tmp_path: Path, content, message):
    path = tmp_path / "headline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(summary.SummaryError, match=re.escape(message)):
        summary.read_headline(path)


def test_git_head_is_read_without_running_git(tmp_path: Path):
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text("# pack-refs\n" + "a" * 40 + " refs/heads/main\n")
    assert manifest._read_git_head(tmp_path) == "a" * 40
    (git / "refs" / "heads" / "main").write_text("b" * 40 + "\n")
    assert manifest._read_git_head(tmp_path) == "b" * 40
    assert manifest._read_git_head(tmp_path / "not-a-repo") is None
    commit = manifest.git_commit()
    assert commit == "unknown" or re.fullmatch(r"[0-9a-f]{40}", commit)


def test_manifest_records_parameters_versions_checksums_and_timings(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "spend.csv").write_text("a\n")
    nb = tmp_path / "case_study.ipynb"
    nbformat.write(new_notebook(), str(nb))
    made = manifest.build_manifest(
        parameters={"council": "alpha"},
        data_dir=data,
        reference_dirs=[tmp_path / "registers"],
        notebook=nb,
        kernel_name="kil",
        started_at="2025-01-01T00:00:00+00:00",
        timings={"execute": 1.23456, "export": 0.5, "total": 2.0},
    )
    assert made["parameters"] == {"council": "alpha"}
    assert made["timings_s"] == {"execute": 1.235, "export": 0.5, "total": 2.0}
    assert made["data_files"][0]["sha256"] == hashlib.sha256(b"a\n").hexdigest()
    assert {"python", "pandas", "papermill", "nbconvert"} <= set(made["versions"])
    assert made["git_commit"]
    json.dumps(made)  # JSON-ready


def test_latest_year_picks_the_latest_financial_year():
    assert summary.latest_year({"headline": HEADLINE})["financial_year"] == "2023/24"
    assert summary.latest_year({"headline": []}) is None
