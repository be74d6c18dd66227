"""Refresh the committed outputs of the notebooks' checked cells (run after the demo changes).

nbval compares the output of every cell marked ``# NBVAL_CHECK_OUTPUT`` with the output stored
in the committed notebook; every other output is stripped before commit. This script executes
each notebook with its default parameters (the demo data), keeps the outputs of checked cells
(marked ``keep_output`` so nbstripout leaves them alone) and strips the rest.

    .venv/bin/python tests/refresh_notebook_outputs.py     # or: make notebook-outputs
"""

from __future__ import annotations

import sys

import nbformat
from nbclient import NotebookClient

from kil_analysis.paths import NOTEBOOKS_DIR

CHECK = "NBVAL_CHECK_OUTPUT"


def refresh(path) -> int:
    source = nbformat.read(path, as_version=4)
    executed = nbformat.read(path, as_version=4)
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


def main() -> int:
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        print(f"{path.name}: kept the outputs of {refresh(path)} checked cell(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
