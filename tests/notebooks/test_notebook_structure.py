"""Notebooks keep the shape papermill, nbval and JupyterLab users rely on."""

from __future__ import annotations

import ast

import nbformat
import pytest

from kil_analysis.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CASE_STUDY_PARAMETERS = {
    "council",
    "data_dir",
    "registers_dir",
    "lookups_dir",
    "period_start",
    "period_end",
    "local_definition",
    "top_n",
    "summary_path",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_literals_and_a_kernelspec(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    for stmt in ast.parse(tagged[0].source).body:
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant), (
            f"{path.name}: parameters must be literal assignments: {ast.unparse(stmt)}"
        )
    assert nb.metadata["kernelspec"]["name"] == "kil"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs, f"{path.name}: outputs committed"
        assert cell.get("execution_count") is None, f"{path.name}: execution count committed"


def test_case_study_has_the_documented_parameters():
    nb = nbformat.read(NOTEBOOKS_DIR / "case_study.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {t.id for s in ast.parse(cell.source).body for t in s.targets}
    assert names == CASE_STUDY_PARAMETERS
