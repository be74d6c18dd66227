"""Notebooks keep the shape papermill, nbval and JupyterLab users rely on."""

from __future__ import annotations

import ast

import nbformat
import pytest

from kil_analysis.paths import NOTEBOOKS_DIR
from tests.notebooks.refresh_checked_outputs import expected_outputs, is_checked

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
    # the sections beyond the spend ledger (issue 10)
    "contracts_dir",
    "boundaries_file",
    "respend_survey",
    "reference_date",
    "show_contracts",
    "show_funding",
    "show_prevention",
    "show_multiplier",
    "show_assets",
    "multiplier_shares",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_literals_and_a_kernelspec(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    for stmt in ast.parse(tagged[0].source).body:
        assert isinstance(stmt, ast.Assign), f"{path.name}: not an assignment: {ast.unparse(stmt)}"
        try:  # a constant, or a list of constants (e.g. multiplier_shares = [0.10])
            ast.literal_eval(stmt.value)
        except ValueError:
            pytest.fail(f"{path.name}: parameters must be literal assignments: {ast.unparse(stmt)}")
    assert nb.metadata["kernelspec"]["name"] == "kil"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_every_checked_cell_has_its_expected_output(path):
    """Notebooks are committed stripped; the outputs nbval compares (``# NBVAL_CHECK_OUTPUT``)
    are stored beside the tests, one per checked cell, and none for a cell that is gone."""
    nb = nbformat.read(path, as_version=4)
    stored = expected_outputs(path)
    checked = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs, f"{path.name}: outputs committed"
        assert cell.get("execution_count") is None, f"{path.name}: execution count committed"
        if is_checked(cell):
            checked.add(cell["id"])
            outputs = stored.get(cell["id"])
            assert outputs, f"{path.name}: checked cell {cell['id']} has no expected output"
            assert all(o.get("output_type") != "error" for o in outputs)
    assert set(stored) == checked, f"{path.name}: expected outputs for cells that are gone"


def test_the_case_study_checks_its_headline_sentences():
    nb = nbformat.read(NOTEBOOKS_DIR / "case_study.ipynb", as_version=4)
    checked = [c.source for c in nb.cells if is_checked(c)]
    assert any("first_finding" in s for s in checked)
    assert any("headline_summary" in s for s in checked)


def test_code_cells_make_about_one_call():
    """Notebooks string calls together: logic lives in the package, not in cells."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            tree = ast.parse(cell.source)
            defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            assert not defs, f"{path.name}: a function defined in a cell belongs in the package"
            assert len(cell.source.splitlines()) <= 20, f"{path.name}: a long cell"


def test_case_study_has_the_documented_parameters():
    nb = nbformat.read(NOTEBOOKS_DIR / "case_study.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {t.id for s in ast.parse(cell.source).body for t in s.targets}
    assert names == CASE_STUDY_PARAMETERS
    # the runner passes every parameter explicitly, so the manifest records each one
    from kil_analysis.reporting.case_study import DEFAULT_PARAMETERS

    passed = {"council", "data_dir", "registers_dir", "lookups_dir", "summary_path"}
    assert set(DEFAULT_PARAMETERS) | passed == CASE_STUDY_PARAMETERS
