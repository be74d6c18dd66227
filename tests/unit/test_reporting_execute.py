"""Notebook failures as one-line reasons."""

from __future__ import annotations

import pytest
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


def _kil_notebook(path, sources):
    import nbformat
    from nbformat.v4 import new_notebook

    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "kil",
        "display_name": "Python (kil)",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def _descendants() -> set[int]:
    """Live descendants of this process (Linux /proc; empty elsewhere)."""
    import os
    from pathlib import Path

    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        children = {c for c, p in parents.items() if p == pid}
        found |= children
        todo.extend(children)
    return found


CHART = """\
from kil_analysis.present import display as show
from kil_analysis.present import house_style as hs

def chart(title):
    fig, ax = hs.new_figure()
    ax.bar([0, 1], [2e9, 3e9])
    hs.pounds_millions(ax)
    return hs.finish(fig, ax, title=title, source="Source: test", alt="two bars")
"""


def test_figures_drawn_ahead_reach_the_executed_notebook_as_drawn_in_place(tmp_path, monkeypatch):
    """With ``draw_figures_ahead`` the kernel draws each chart in a child while later cells
    run; once the last cell has run, every chart's output is the HTML the kernel would have
    drawn itself (no placeholder left), and no kernel or child outlives the run."""
    import nbformat

    from kil_analysis.present.figures_ahead import PLACEHOLDER

    notebook = _kil_notebook(
        tmp_path / "nb.ipynb",
        [
            CHART,
            "show.draw_figures_ahead()",
            "display(show.figure(chart('First chart')))",
            "display(show.figure(chart('Second chart')))\nx = sum(range(10))",
            "print(x)",
            "show.finish_figures()",
        ],
    )
    from kil_analysis.reporting.kernel_extension import MODE_VARIABLE

    monkeypatch.setenv(MODE_VARIABLE, "always")  # however busy the machine running the tests
    before = _descendants()
    execute.execute_notebook(
        notebook, tmp_path / "out.ipynb", {}, kernel_name="kil", timeout=60, draw_figures_ahead=True
    )
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    figures = [o["data"]["text/html"] for c in out.cells[2:4] for o in c.outputs]
    assert len(figures) == 2
    assert all(PLACEHOLDER not in f for f in figures)
    assert "<p>First chart</p>" in figures[0] and "<p>Second chart</p>" in figures[1]
    assert all('src="data:image/png;base64,' in f for f in figures)
    from kil_analysis.present import display as show
    from kil_analysis.present import house_style as hs

    namespace: dict = {"show": show, "hs": hs}
    exec(CHART, namespace)
    assert figures[0] == show.figure_html(namespace["chart"]("First chart"))
    assert out.cells[4].outputs[0]["text"] == "45\n"
    assert _descendants() <= before


def test_a_report_kernel_draws_its_charts_elsewhere_and_never_imports_matplotlib(
    tmp_path, monkeypatch
):
    """Charts shown with ``show.chart`` are drawn by the drawing process: the executed
    notebook holds the HTML the kernel would have drawn, the kernel never imported matplotlib
    (about 0.7 s of its CPU), and the drawing process has ended with the run."""
    import nbformat

    from kil_analysis.reporting.kernel_extension import MODE_VARIABLE

    table = (
        "import pandas as pd\n"
        "table = pd.DataFrame({'share': [0.5, 0.3, 0.2], 'cumulative_share': [0.5, 0.8, 1.0]})"
    )
    notebook = _kil_notebook(
        tmp_path / "nb.ipynb",
        [
            "import sys\nfrom kil_analysis.present import display as show, plots",
            table,
            "show.draw_figures_ahead()",
            "display(show.chart(plots.concentration_curve, table, 'Source: test <&>'))",
            "show.finish_figures()",
            "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))",
        ],
    )
    monkeypatch.setenv(MODE_VARIABLE, "always")
    before = _descendants()
    execute.execute_notebook(
        notebook, tmp_path / "out.ipynb", {}, kernel_name="kil", timeout=60, draw_figures_ahead=True
    )
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    import pandas as pd

    from kil_analysis.present import display as show
    from kil_analysis.present import plots

    frame = pd.DataFrame({"share": [0.5, 0.3, 0.2], "cumulative_share": [0.5, 0.8, 1.0]})
    drawn_here = show.figure_html(plots.concentration_curve(frame, "Source: test <&>"))
    assert [o["data"]["text/html"] for o in out.cells[3].outputs] == [drawn_here]
    assert out.cells[5].outputs[0]["text"] == "[]\n"
    assert _descendants() <= before


def test_a_failing_cell_stops_the_kernel_it_started(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    notebook = _kil_notebook(tmp_path / "nb.ipynb", ["x = 1", "raise ValueError('bad input')"])
    before = _descendants()
    with pytest.raises(PapermillExecutionError):
        execute.execute_notebook(
            notebook, tmp_path / "out.ipynb", {}, kernel_name="kil", timeout=60
        )
    assert _descendants() <= before


def test_an_interrupt_does_not_wait_for_the_work_done_while_the_kernel_runs(tmp_path):
    """Ctrl-C (or a pool worker told to stop) while the manifest's checksums are still being
    read — registers can be large — must stop the run at once, the kernel included."""
    import _thread
    import threading
    import time

    notebook = _kil_notebook(tmp_path / "nb.ipynb", ["import time", "time.sleep(60)"])
    helping = threading.Event()

    def slow_checksums():
        helping.set()
        end = time.monotonic() + 20
        while time.monotonic() < end:
            time.sleep(0.05)

    interrupted_at = []

    def press_ctrl_c():
        helping.wait(60)
        time.sleep(0.5)
        interrupted_at.append(time.monotonic())
        _thread.interrupt_main()

    before = _descendants()
    threading.Thread(target=press_ctrl_c, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        execute.execute_notebook(
            notebook,
            tmp_path / "out.ipynb",
            {},
            kernel_name="kil",
            timeout=120,
            while_running=slow_checksums,
        )
    assert time.monotonic() - interrupted_at[0] < 10  # not the helper's 20 s
    assert _descendants() <= before


def test_report_kernels_start_without_the_debugger_and_run_as_before(tmp_path):
    """debugpy is a fifth of a kernel's start-up CPU and no report opens a debugger."""
    import nbformat

    notebook = _kil_notebook(
        tmp_path / "nb.ipynb",
        [
            "import sys\nprint(sys.modules.get('debugpy', 'absent'))",
            "from IPython.display import display, HTML\ndisplay(HTML('<b>kept</b>'))",
        ],
    )
    execute.execute_notebook(notebook, tmp_path / "out.ipynb", {}, kernel_name="kil", timeout=60)
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[0].outputs[0]["text"] == "None\n"
    assert out.cells[1].outputs[0]["data"]["text/html"] == "<b>kept</b>"


def test_only_this_environments_ipykernel_gets_the_report_launcher(tmp_path):
    import sys

    ipykernel = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c"]
    assert execute.report_kernel_command(ipykernel) == [
        sys.executable,
        "-Xfrozen_modules=off",
        "-m",
        "kil_analysis.reporting.kernel_launcher",
        "-f",
        "c",
    ]
    other_python = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "c"]
    other_kernel = [sys.executable, "-m", "other_kernel", "-f", "c"]
    not_python = ["/no/such/julia", "kernel.jl", "c"]
    for command in (other_python, other_kernel, not_python):
        assert execute.report_kernel_command(command) == command
