"""Notebook failures as one-line reasons."""

from __future__ import annotations

from nbformat.v4 import new_code_cell

from kil_analysis.reporting import execute


def test_notebook_errors_become_one_line_reasons():
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(
        cell_index=4,
        exec_count=3,
        source="load()",
        ename="FileNotFoundError",
        evalue="\x1b[31mspend/2023.csv\x1b[0m not found\nsecond line",
        traceback=[],
    )
    assert execute.describe_failure(exc) == (
        "notebook cell 3 raised FileNotFoundError: spend/2023.csv not found"
    )
    assert execute.describe_failure(KeyError("x")) == "KeyError: 'x'"
    from nbclient.exceptions import CellTimeoutError

    timeout = CellTimeoutError.error_from_timeout_and_cell(
        "Cell execution timed out", 600, new_code_cell("study = load_case_study(council)\nmore")
    )
    assert execute.describe_failure(timeout) == (
        "a notebook cell ran past the execution timeout "
        "(cell starting: study = load_case_study(council))"
    )
    assert len(execute.one_line("word " * 500)) == execute.MAX_REASON


def test_work_done_while_the_kernel_runs_never_fails_the_run(tmp_path):
    """The export is prepared in a thread while the kernel works: it has finished when the
    notebook has, and a failure in it does not fail the notebook (the export itself reports
    any real problem)."""
    import nbformat
    from nbformat.v4 import new_notebook

    notebook = tmp_path / "nb.ipynb"
    nb = new_notebook(cells=[new_code_cell("x = 1 + 1")])
    nb.metadata["kernelspec"] = {
        "name": "kil",
        "display_name": "Python (kil)",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    done = []

    def prepare():
        done.append("started")
        raise RuntimeError("preparing failed")

    execute.execute_notebook(
        notebook, tmp_path / "out.ipynb", {}, kernel_name="kil", timeout=60, while_running=prepare
    )
    assert done == ["started"]
    assert (tmp_path / "out.ipynb").stat().st_size > 0
