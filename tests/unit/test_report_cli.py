"""`kil report`: argument handling, exit status and the one-line reasons a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kil_analysis import paths
from kil_analysis.cli import main
from tests.unit.test_reporting_support import write_contract_notebook, write_published_files


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as done:
        main(["report", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--all", "--jobs", "--data", "--demo", "--timeout", "--json"):
        assert option in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report"], "name at least one council"),
        (["report", "bristol", "--all"], "not both"),
        (["report", "bristol", "--jobs", "0"], "--jobs must be at least 1"),
        (["report", "no-such-council"], "unknown council 'no-such-council'"),
        (["report", "bristol", "--data", "/no/such/folder"], "no such folder"),
        (["report", "bristol", "--registers", "/no/such/registers"], "no such folder"),
        (["report", "bristol", "--lookups", "/no/such/lookups"], "--lookups /no/such/lookups"),
    ],
)
def test_bad_arguments_fail_with_one_line(argv, message, capsys: pytest.CaptureFixture[str]):
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


GOOD_CONFIG = (
    "slug: {slug}\nname: {name}\nons_code: E06000023\nregion: South West\n"
    "region_code: E12000009\npostcode_districts: [BS1]\n"
)


@pytest.fixture()
def fake_councils(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Councils alpha (with fetched files) and ghost (nothing fetched), a stand-in notebook."""
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIL_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path / "notebooks")
    write_contract_notebook(tmp_path / "notebooks")
    write_published_files(tmp_path / "data" / "raw", "alpha")
    councils = tmp_path / "councils"
    councils.mkdir()
    for slug, name in {"alpha": "Alpha", "ghost": "Ghost"}.items():
        (councils / f"{slug}.yml").write_text(GOOD_CONFIG.format(slug=slug, name=name))
    monkeypatch.setenv("KIL_COUNCILS_DIR", str(councils))
    return tmp_path


def test_all_runs_every_council_and_names_each_failure(
    fake_councils: Path, capsys: pytest.CaptureFixture[str]
):
    status = main(["report", "--all", "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    results = {r["council"]: r for r in json.loads(out)}
    assert results["alpha"]["ok"] and results["alpha"]["latest"]["financial_year"] == "2023/24"
    assert Path(results["alpha"]["report"]).is_file()
    assert not results["ghost"]["ok"]
    reason = (
        f"no published files in {fake_councils / 'data' / 'raw' / 'ghost'}: "
        "run `kil fetch ghost`, pass --data PATH, or use --demo"
    )
    assert results["ghost"]["error"] == reason
    assert f"kil report: ghost failed: {reason}" in err.splitlines()
    assert "alpha failed" not in err
    index = (fake_councils / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="alpha/index.html"' in index and "kil fetch ghost" in index


def test_one_bad_config_fails_only_its_council_and_the_index_is_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    councils = tmp_path / "councils"
    councils.mkdir()
    good = GOOD_CONFIG
    (councils / "alpha.yml").write_text(good.format(slug="alpha", name="Alpha Council"))
    (councils / "bad.yml").write_text(good.format(slug="bad", name="Bad") + "neighbours: 5\n")
    monkeypatch.setenv("KIL_COUNCILS_DIR", str(councils))
    monkeypatch.setenv("KIL_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path / "notebooks")
    write_contract_notebook(tmp_path / "notebooks")
    for slug in ("alpha", "bad"):
        write_published_files(tmp_path / "published", slug)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "index.html").write_text("stale index")

    status = main(["report", "--all", "--data", str(tmp_path / "published"), "--quiet"])
    assert status == 1
    reason = f"config failed: {councils / 'bad.yml'}: field 'neighbours' must be a list, got 5"
    assert capsys.readouterr().err.strip().splitlines() == [f"kil report: bad failed: {reason}"]
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="alpha/index.html"' in index
    assert "run failed" in index and "field &#x27;neighbours&#x27; must be a list" in index


@pytest.mark.parametrize("quiet", [[], ["--quiet"]], ids=["progress", "quiet"])
def test_progress_lines_on_stderr_unless_quiet(
    fake_councils: Path, capsys: pytest.CaptureFixture[str], quiet: list[str]
):
    assert main([*quiet, "report", "alpha"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    if quiet:
        assert err == ""
    else:
        lines = err.strip().splitlines()
        assert lines[0] == "kil report: 1 council(s), 1 at a time"
        assert lines[1].startswith("[1/1] kil report: alpha done in ")
        assert lines[-1].startswith("kil report: 1 of 1 report(s) built; open ")
