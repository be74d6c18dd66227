"""The expected outputs of the notebook cells nbval checks (``# NBVAL_CHECK_OUTPUT``).

Notebooks are committed without any outputs. nbval compares a checked cell's fresh output with
a stored one, and only when the stored cell looks *run* (an execution count), so the expected
outputs live beside the tests, in ``tests/notebooks/expected_outputs/<notebook>.json`` (cell id
→ outputs), and the root ``conftest.py`` hands nbval each notebook with them filled in.

    .venv/bin/python tests/notebooks/refresh_checked_outputs.py [notebooks/x.ipynb ...]

Run it (``make refresh-notebooks``) after a change that rightly changes a checked sentence on
the demo data, read the diff of the JSON files, and commit it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_DIR = Path(__file__).resolve().parent / "expected_outputs"
CHECK = "# NBVAL_CHECK_OUTPUT"
# The execution count given to checked cells: any number makes nbval compare them.
CHECKED_COUNT = 1


def is_checked(cell: nbformat.NotebookNode) -> bool:
    """A code cell whose output nbval compares."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def expected_path(notebook: Path) -> Path:
    """Where the expected outputs of ``notebook``'s checked cells are stored."""
    return EXPECTED_DIR / f"{notebook.stem}.json"


def expected_outputs(notebook: Path) -> dict[str, list[dict]]:
    """Cell id → the stored outputs of that checked cell ({} when none are stored)."""
    path = expected_path(notebook)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def with_expected_outputs(nb: nbformat.NotebookNode, notebook: Path) -> nbformat.NotebookNode:
    """``nb`` with each checked cell given its stored outputs and an execution count."""
    stored = expected_outputs(notebook)
    for cell in nb.cells:
        if is_checked(cell) and cell.get("id") in stored:
            cell.outputs = [nbformat.from_dict(o) for o in stored[cell["id"]]]
            cell.execution_count = CHECKED_COUNT
    return nb


def _without_count(output: nbformat.NotebookNode) -> dict:
    out = dict(output)
    if "execution_count" in out:
        out["execution_count"] = None
    return out


def refresh(path: Path, kernel_name: str = "kil", timeout: int = 600) -> int:
    """Execute ``path`` with its default parameters and store its checked cells' outputs.

    Returns how many cells were stored (0: the notebook has no checked cells, nothing written).
    """
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    checked = [c for c in nb.cells if is_checked(c)]
    if not checked:
        return 0
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    stored = {c["id"]: [_without_count(o) for o in c.outputs] for c in checked}
    EXPECTED_DIR.mkdir(exist_ok=True)
    text = json.dumps(stored, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    expected_path(path).write_text(text, encoding="utf-8")
    return len(stored)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path.name}: {refresh(path.resolve())} checked cell(s) stored")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
