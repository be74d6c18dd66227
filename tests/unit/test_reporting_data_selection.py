"""Where a council's files come from: demo, data/raw/<slug> or --data, with one-line reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_analysis import paths
from kil_analysis.reporting import data_selection


@pytest.fixture()
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_default_data_without_published_files_says_what_to_do(data_root: Path):
    with pytest.raises(data_selection.DataSelectionError) as err:
        data_selection.select_data("alpha")
    assert str(err.value) == (
        f"no published files in {paths.raw_dir('alpha')}: run `kil fetch alpha`, "
        "pass --data PATH, or use --demo"
    )
    (paths.raw_dir("alpha") / "spend").mkdir(parents=True)
    (paths.raw_dir("alpha") / "spend" / "a.csv").write_text("x")
    chosen = data_selection.select_data("alpha")
    assert chosen.data_dir == paths.raw_dir("alpha")
    assert chosen.registers_dir == paths.registers_dir()


def test_demo_and_data_selection(data_root: Path, tmp_path: Path):
    with pytest.raises(data_selection.DataSelectionError, match="run `kil demo`"):
        data_selection.select_data("alpha", demo=True)
    (paths.demo_council_dir("alpha") / "spend").mkdir(parents=True)
    (paths.demo_council_dir("alpha") / "spend" / "a.csv").write_text("x")
    demo = data_selection.select_data("alpha", demo=True)
    assert demo.registers_dir == paths.demo_dir() / "registers"
    assert demo.lookups_dir == paths.demo_dir() / "lookups"

    mine = tmp_path / "mine"
    (mine / "spend").mkdir(parents=True)
    (mine / "spend" / "jan.csv").write_text("x")
    assert data_selection.select_data("alpha", data=mine).data_dir == mine
    with pytest.raises(data_selection.DataSelectionError, match="one subfolder per council"):
        data_selection.select_data("alpha", data=mine, several=True)
    (mine / "beta").mkdir()
    (mine / "beta" / "feb.csv").write_text("x")
    assert data_selection.select_data("beta", data=mine, several=True).data_dir == mine / "beta"
