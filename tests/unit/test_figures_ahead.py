"""Figures drawn ahead in a forked child are the same page as figures drawn in place."""

from __future__ import annotations

import os

import pytest

from kil_analysis.present import display as show
from kil_analysis.present import figures_ahead
from kil_analysis.present import house_style as hs

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="drawing ahead needs fork")


def _chart(title: str = "VCSE share fell from 8.8% to 8.2% between 2017/18 and 2021/22"):
    fig, ax = hs.new_figure()
    ax.bar([0, 1], [3e9, 5e9], label='Spend <&> "quoted"')
    hs.pounds_millions(ax)
    ax.set_xscale("linear")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return hs.finish(fig, ax, title=title, source="Source: test", alt="Bars: <b>1</b> & 2")


@pytest.fixture
def ahead():
    figures_ahead.allow(has_spare_core=lambda: True)
    show.draw_figures_ahead()
    yield
    show.finish_figures()
    figures_ahead.disallow()


def test_a_figure_drawn_ahead_is_byte_identical_to_one_drawn_in_place(ahead):
    in_place = show.figure_html(_chart(), "Caption & <more>")
    pending = show.figure(_chart(), "Caption & <more>")
    assert isinstance(pending, figures_ahead.PendingHTML)
    assert pending.data == in_place
    assert 'src="data:image/png;base64,' in in_place


def test_a_child_that_fails_is_replaced_by_drawing_here(ahead):
    parent = os.getpid()
    expected = show.figure_html(_chart())
    calls = []

    def render() -> str:
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("the child cannot draw")
        return show.figure_html(_chart())

    assert figures_ahead.PendingHTML(render).result() == expected
    assert calls == [parent]  # the child's attempt is not seen here; the fallback is


def test_many_figures_at_once_each_get_their_own_page(ahead):
    titles = [f"Chart number {i} of six" for i in range(6)]
    pending = [show.figure(_chart(t)) for t in titles]
    for title, p in zip(titles, pending, strict=True):
        assert f"<p>{title}</p>" in p.data


def test_without_drawing_ahead_a_figure_is_drawn_in_its_own_cell():
    assert not figures_ahead.enabled()
    shown = show.figure(_chart())
    assert not isinstance(shown, figures_ahead.PendingHTML)
    assert shown.data == show.figure_html(_chart())
    show.finish_figures()  # nothing pending: nothing to do


def test_on_a_busy_machine_figures_are_drawn_in_place():
    figures_ahead.allow(has_spare_core=lambda: False)
    show.draw_figures_ahead()
    try:
        shown = show.figure(_chart())
    finally:
        figures_ahead.disallow()
    assert not isinstance(shown, figures_ahead.PendingHTML)


def test_a_notebook_that_does_not_ask_draws_in_place_even_where_allowed():
    figures_ahead.allow(has_spare_core=lambda: True)
    try:
        before = show.figure(_chart())
        show.draw_figures_ahead()
        show.finish_figures()  # the last cell: what follows is drawn in place again
        after = show.figure(_chart())
    finally:
        figures_ahead.disallow()
    assert not isinstance(before, figures_ahead.PendingHTML)
    assert not isinstance(after, figures_ahead.PendingHTML)


def test_a_core_is_spare_when_half_a_core_has_been_idle_since_last_asked(monkeypatch):
    """Measured from the machine's idle time since the figure before, not the load average
    (which still shows a report run a minute ago)."""
    samples = iter([(1000, 4000), (1500, 5000), (1550, 6000), None])
    monkeypatch.setattr(figures_ahead, "cpu_idle_sample", lambda: next(samples))
    monkeypatch.setattr(figures_ahead.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(figures_ahead.os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    monkeypatch.setattr(figures_ahead, "_cpu_sample", None)
    assert not figures_ahead.spare_core()  # first call: the load average (1.9 of 2 cores)
    assert figures_ahead.spare_core()  # a core idle: 2 * 500 / 1000
    assert not figures_ahead.spare_core()  # 2 * 50 / 1000: a tenth of a core idle
    assert not figures_ahead.spare_core()  # /proc/stat unreadable: the load average again


def test_the_machine_idle_time_is_read_where_linux_counts_it():
    sample = figures_ahead.cpu_idle_sample()
    if sample is None:
        pytest.skip("no /proc/stat here")
    idle, total = sample
    assert 0 <= idle <= total


def test_a_core_our_own_last_chart_used_counts_as_spare(monkeypatch):
    from types import SimpleNamespace

    samples = iter([(1000, 4000), (1000, 5000), (1000, 6000)])  # no idle time at all
    drawn = iter([0.0, 5.0, 5.0])  # seconds of CPU of this process's finished children
    monkeypatch.setattr(figures_ahead, "cpu_idle_sample", lambda: next(samples))
    monkeypatch.setattr(
        figures_ahead.os,
        "times",
        lambda: SimpleNamespace(children_user=next(drawn), children_system=0.0),
    )
    monkeypatch.setattr(figures_ahead.os, "sysconf", lambda name: 100)
    monkeypatch.setattr(figures_ahead.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(figures_ahead.os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    monkeypatch.setattr(figures_ahead, "_cpu_sample", None)
    figures_ahead.spare_core()
    assert figures_ahead.spare_core()  # our chart took 500 of the 1000 ticks: a core
    assert not figures_ahead.spare_core()  # then nothing idle and nothing of ours: busy


# Charts sent to the drawing process (show.chart: the drawing function and its inputs).

_TEST_PROCESS = os.getpid()


def _chart_drawn_by(title: str) -> object:
    """A chart whose caption names the process that drew it (module level: it pickles)."""
    return _chart(f"{title} (drawn by process {os.getpid()})")


def _chart_only_here(title: str) -> object:
    """A chart that only this test process can draw."""
    if os.getpid() != _TEST_PROCESS:
        raise RuntimeError("the drawing process cannot draw this")
    return _chart(title)


def _slow_chart(title: str) -> object:
    """A chart that takes a second to draw."""
    import time

    time.sleep(1.0)
    return _chart(title)


def test_waiting_for_the_drawing_process_costs_the_kernel_no_cpu(ahead):
    """The last cell waits for charts still being drawn: asleep, not polling (which took a
    second of the kernel's CPU on a busy machine, competing with the drawing itself)."""
    import time

    pending = show.chart(_slow_chart, "Slow")
    cpu, wall = time.process_time(), time.perf_counter()
    assert "<p>Slow</p>" in pending.data
    assert time.perf_counter() - wall > 0.5  # it did wait for the drawing
    assert time.process_time() - cpu < 0.03  # polling every 2 ms: ~0.09 s a second


def test_a_chart_is_drawn_by_the_drawing_process_as_it_would_be_here(ahead):
    pending = show.chart(_chart_drawn_by, "Spend by year")
    assert isinstance(pending, figures_ahead.PendingHTML)
    html = pending.data
    drawer = html.split("(drawn by process ")[1].split(")")[0]
    assert int(drawer) != os.getpid()
    assert html == show.figure_html(_chart(f"Spend by year (drawn by process {drawer})"))


def test_charts_come_back_in_the_order_they_were_sent(ahead):
    pending = [show.chart(_chart, f"Chart number {i} of five") for i in range(5)]
    for i, p in enumerate(pending):
        assert f"<p>Chart number {i} of five</p>" in p.data


def test_a_chart_the_drawing_process_cannot_draw_is_drawn_here(ahead):
    expected = show.figure_html(_chart("Only here"))
    assert show.chart(_chart_only_here, "Only here").data == expected


def test_a_chart_whose_inputs_do_not_pickle_is_drawn_here(ahead):
    title = "Not picklable"
    shown = show.chart(lambda: _chart(title))  # a lambda is not sent to another process
    assert shown.data == show.figure_html(_chart(title))


def test_the_drawing_process_ends_with_the_last_cell():
    figures_ahead.allow(has_spare_core=lambda: True)
    show.draw_figures_ahead()
    drawer = figures_ahead._drawer
    assert drawer is not None and drawer.running()
    pid = drawer.pid
    assert "The last chart" in show.chart(_chart, "The last chart").data
    show.finish_figures()
    figures_ahead.disallow()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no process left behind
    assert not drawer.folder.exists()


def test_without_drawing_ahead_a_chart_is_drawn_in_its_own_cell():
    assert not figures_ahead.drawing_elsewhere()
    shown = show.chart(_chart, "In place")
    assert not isinstance(shown, figures_ahead.PendingHTML)
    assert shown.data == show.figure_html(_chart("In place"))


def test_the_notebook_modules_do_not_import_matplotlib():
    """A report kernel imports the case study's modules; its charts are drawn elsewhere, so
    importing them must not cost matplotlib's import (about 0.7 s of CPU)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kil_analysis.pipeline import load_case_study\n"
        "from kil_analysis.section_inputs import load_section_inputs\n"
        "from kil_analysis.present import display, findings, narrative, plots, sections, tables\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
