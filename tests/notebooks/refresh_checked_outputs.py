"""Refresh the stored outputs of the notebook cells nbval checks (``# NBVAL_CHECK_OUTPUT``).

nbval compares a checked cell's fresh output with the output stored in the committed notebook
— but only when the stored cell looks *run*: a cell with no execution count is skipped
silently (a fully stripped notebook is never compared), and one with outputs but no count is
an error ("Unrun reference cell has outputs"). So the checked cells, and only they, are
committed with their outputs and an execution count of 1: they carry ``"keep_output": true``
(which ``nbstripout`` honours) and ``make strip`` / the pre-commit hook run ``nbstripout
--keep-count`` followed by this script's ``--strip`` mode, which clears every other count.

    .venv/bin/python tests/notebooks/refresh_checked_outputs.py [notebooks/x.ipynb ...]
    .venv/bin/python tests/notebooks/refresh_checked_outputs.py --strip notebooks/*.ipynb

Run the first (``make refresh-notebooks``) after a change that rightly changes a checked
sentence on the demo data, read the diff, and commit it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
CHECK = "# NBVAL_CHECK_OUTPUT"
# The execution count stored on checked cells: any number makes nbval compare them.
CHECKED_COUNT = 1


def is_checked(cell: nbformat.NotebookNode) -> bool:
    """A code cell whose output nbval compares."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def _without_count(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out = nbformat.from_dict(dict(output))
    if "execution_count" in out:
        out["execution_count"] = None
    return out


def refresh(path: Path, kernel_name: str = "kil", timeout: int = 600) -> int:
    """Execute ``path`` with its default parameters and store the checked cells' outputs in it;
    return how many cells were refreshed (0: the notebook has no checked cells, left alone)."""
    nb = nbformat.read(str(path), as_version=4)
    if not any(is_checked(c) for c in nb.cells):
        return 0
    executed = nbformat.from_dict(nb)
    client = NotebookClient(
        executed,
        kernel_name=kernel_name,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell, ran in zip(nb.cells, executed.cells, strict=True):
        if is_checked(cell):
            cell.outputs = [_without_count(o) for o in ran.outputs]
    return strip(path, nb)


def strip(path: Path, nb: nbformat.NotebookNode | None = None) -> int:
    """Clear outputs and counts of every code cell except the checked ones, which keep their
    outputs, ``keep_output`` and an execution count; write ``path``; return the checked count."""
    nb = nb or nbformat.read(str(path), as_version=4)
    checked = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            cell.metadata["keep_output"] = True
            cell.execution_count = CHECKED_COUNT
            checked += 1
        else:
            cell.execution_count = None
            cell.outputs = []
    nbformat.write(nb, str(path))
    return checked


def main(argv: list[str]) -> int:
    only_strip = "--strip" in argv
    args = [a for a in argv if a != "--strip"]
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        if only_strip:
            strip(path.resolve())
        else:
            print(f"{path.name}: {refresh(path.resolve())} checked cell(s) refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
