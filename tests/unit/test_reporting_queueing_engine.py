"""The next cell queued in the kernel: the executed notebook is what papermill's own engine
gives (every cell once, in order, with its outputs), and a failing cell still stops the run
there."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kil_analysis.reporting import execute

KERNEL = {"name": "kil", "display_name": "Python (kil)", "language": "python"}


def _notebook(tmp_path, cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def _run(tmp_path, cells):
    path = _notebook(tmp_path, cells)
    out = tmp_path / "out.ipynb"
    execute.execute_notebook(path, out, {}, kernel_name="kil", timeout=60)
    return nbformat.read(out, as_version=4)


def _streams(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_cells_run_once_each_in_order_with_their_own_outputs(tmp_path):
    skipped = new_code_cell("ran.append('skipped')\nprint('never')")
    skipped.metadata["tags"] = ["skip-execution"]
    cells = [
        new_code_cell("import time\nran = []"),
        new_code_cell("time.sleep(0.2)\nran.append(1)\nprint('one')"),
        new_markdown_cell("text between"),
        new_code_cell("   \n"),  # blank: papermill never sends it
        skipped,
        new_code_cell("ran.append(2)\nprint('two', ran)"),
        new_code_cell("from IPython.display import display, HTML\ndisplay(HTML('<b>3</b>'))"),
        new_code_cell("print('last', ran)"),
    ]
    nb = _run(tmp_path, cells)
    assert _streams(nb.cells[1]) == "one\n"
    assert _streams(nb.cells[5]) == "two [1, 2]\n"  # the skipped cell never ran in the kernel
    assert nb.cells[6].outputs[0]["data"]["text/html"] == "<b>3</b>"
    assert _streams(nb.cells[7]) == "last [1, 2]\n"
    assert nb.cells[4].outputs == [] and nb.cells[3].outputs == []
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == [1, 2, None, None, 3, 4, 5]  # papermill's parameters cell is not added
    for cell in (nb.cells[1], nb.cells[5], nb.cells[7]):
        assert cell.metadata.papermill["status"] == "completed"
        assert cell.metadata.papermill["duration"] is not None


def test_a_failing_cell_stops_the_run_and_the_queued_cell_never_runs(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    marker = tmp_path / "ran-after-the-error"
    cells = [
        new_code_cell("x = 1"),
        new_code_cell("raise ValueError('bad input')"),
        new_code_cell(f"open({str(marker)!r}, 'w').write('ran')"),
        new_code_cell("print('not reached')"),
    ]
    path = _notebook(tmp_path, cells)
    out = tmp_path / "out.ipynb"
    with pytest.raises(PapermillExecutionError) as caught:
        execute.execute_notebook(path, out, {}, kernel_name="kil", timeout=60)
    assert caught.value.ename == "ValueError"
    assert not marker.exists()  # queued behind the error: aborted by the kernel
    nb = nbformat.read(out, as_version=4)  # papermill adds its error markers as markdown
    (queued,) = [c for c in nb.cells if c.cell_type == "code" and "open(" in c.source]
    assert queued.outputs == [] and queued.execution_count is None


def test_a_cell_allowed_to_raise_lets_the_next_one_run(tmp_path):
    """(papermill still fails the run on any error output: the next cell must have run.)"""
    from papermill.exceptions import PapermillExecutionError

    allowed = new_code_cell("raise KeyError('expected')")
    allowed.metadata["tags"] = ["raises-exception"]
    path = _notebook(
        tmp_path, [new_code_cell("x = 1"), allowed, new_code_cell("print('after', x)")]
    )
    out = tmp_path / "out.ipynb"
    with pytest.raises(PapermillExecutionError):
        execute.execute_notebook(path, out, {}, kernel_name="kil", timeout=60)
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[1].outputs[0]["ename"] == "KeyError"
    assert _streams(code[2]) == "after 1\n"


def test_a_kernel_that_dies_before_answering_is_reported_not_waited_for():
    import asyncio
    from queue import Empty

    from kil_analysis.reporting.queueing_engine import wait_until_ready

    class Channel:
        def get_msg(self, timeout=None):
            raise Empty

    class DeadKernelClient:
        shell_channel = iopub_channel = Channel()
        asked = 0

        def kernel_info(self):
            self.asked += 1

        def is_alive(self):
            return False

    client = DeadKernelClient()
    with pytest.raises(RuntimeError, match="died before replying"):
        asyncio.run(wait_until_ready(client, timeout=60))
    assert client.asked == 1


def test_a_cell_that_fails_before_the_next_is_queued_still_stops_the_run_there(
    tmp_path, monkeypatch
):
    """This process can be descheduled between sending a cell and queueing the next (a busy
    two-core machine): the failing cell's error may then reach the kernel's abort before the
    next request does. The run must still end with the failing cell's error, promptly, with
    no later cell executed."""
    import time

    from papermill.exceptions import PapermillExecutionError

    from kil_analysis.reporting.queueing_engine import QueueingNotebookClient

    queue_after = QueueingNotebookClient._queue_after

    def late(self, index):
        time.sleep(0.5)  # the failing cell has long failed when its successor is sent
        queue_after(self, index)

    monkeypatch.setattr(QueueingNotebookClient, "_queue_after", late)
    marker = tmp_path / "ran-after-the-error"
    cells = [
        new_code_cell("x = 1"),
        new_code_cell("raise ValueError('bad input')"),
        new_code_cell(f"open({str(marker)!r}, 'w').write('ran')\nprint('later output')"),
        new_code_cell("print('not reached')"),
    ]
    path = _notebook(tmp_path, cells)
    out = tmp_path / "out.ipynb"
    started = time.perf_counter()
    with pytest.raises(PapermillExecutionError) as caught:
        execute.execute_notebook(path, out, {}, kernel_name="kil", timeout=60)
    assert time.perf_counter() - started < 30
    assert caught.value.ename == "ValueError" and "bad input" in caught.value.evalue
    time.sleep(0.5)  # a request the kernel took would have run by now (the kernel is gone)
    assert not marker.exists()
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[1].outputs[0]["ename"] == "ValueError"
    assert all(c.outputs == [] and c.execution_count is None for c in code[2:])
