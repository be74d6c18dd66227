"""Refresh the committed outputs of the notebooks' checked cells (run after the demo changes).

nbval compares the output of every cell marked ``# NBVAL_CHECK_OUTPUT`` with the output stored
in the committed notebook; every other output is stripped before commit. This script executes
each notebook with its default parameters (the demo data), keeps the outputs of checked cells
(marked ``keep_output`` so nbstripout leaves them alone) and strips the rest.

    .venv/bin/python tests/refresh_notebook_outputs.py     # or: make notebook-outputs
    .venv/bin/python tests/refresh_notebook_outputs.py --strip-only   # no execution (pre-commit)

``--strip-only`` leaves the checked cells' committed outputs as they are and strips the rest:
what nbstripout does, except that it keeps the execution counts nbval needs on checked cells.
"""

from __future__ import annotations

import sys

import nbformat
from nbclient import NotebookClient

from kil_analysis.paths import NOTEBOOKS_DIR

CHECK = "NBVAL_CHECK_OUTPUT"


def refresh(path, execute: bool = True) -> int:
    """Keep (re-run when ``execute``) the checked cells' outputs; strip every other output."""
    source = nbformat.read(path, as_version=4)
    executed = nbformat.read(path, as_version=4)
    if execute:
        NotebookClient(
            executed,
            kernel_name="kil",
            timeout=600,
            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
        ).execute()
    kept = 0
    for cell, run in zip(source.cells, executed.cells, strict=True):
        if cell.cell_type != "code":
            continue
        if CHECK in cell.source:
            cell.outputs = run.outputs
            cell.execution_count = run.execution_count  # nbval skips "unrun" reference cells
            cell.metadata["keep_output"] = True
            kept += 1
        else:
            cell.execution_count = None
            cell.outputs = []
            cell.metadata.pop("keep_output", None)
        cell.metadata.pop("execution", None)
    nbformat.write(source, path)
    return kept


def main(argv: list[str]) -> int:
    execute = "--strip-only" not in argv
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        print(f"{path.name}: kept the outputs of {refresh(path, execute)} checked cell(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
