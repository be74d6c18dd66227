"""Figures drawn in a forked child process while the notebook's later cells run.

A chart's PNG (constrained layout, Agg drawing, PNG encoding) is about 0.3 s of CPU, and a
kernel runs one cell at a time, so on a machine with a spare core the case study's figures can
be drawn beside the cells that follow them. ``kil report`` allows this in its case-study kernel (the
IPython extension :mod:`kil_analysis.reporting.kernel_extension`), and a notebook asks for it
with :func:`start` (``show.draw_figures_ahead()``) and must then end with :func:`finish`
(``show.finish_figures()``); a notebook opened in JupyterLab, or one that does not ask, draws
every figure in its own cell as before.

When on, and the machine has a core to spare (:func:`spare_core`: a child on a busy machine
only adds the cost of forking), :func:`kil_analysis.present.display.figure` returns a
:class:`PendingHTML`. Shown with ``display()``, it puts a placeholder with a display id in
the cell's output and forks a child that runs the same drawing code on its copy of the Figure
and writes the HTML to a temporary file. After each later cell the finished children's HTML
replaces their placeholders (``update_display``, which Jupyter clients and papermill apply to
the earlier output); :func:`finish` waits for every one and must run in the notebook's last
cell. The page is therefore byte-identical to drawing in the kernel. A child that fails, or
has not finished after ``CHILD_TIMEOUT_S``, is replaced by drawing in the kernel; reading
``.data`` (or any use other than ``display()``) waits for the child and returns the same HTML.
The mode can be forced with ``$KIL_DRAW_FIGURES_AHEAD`` (``always``, ``never``; see the
extension).

Charts shown with :func:`kil_analysis.present.display.chart` (the drawing function and its
inputs, not a drawn Figure) go to one *drawing process* instead, forked once by :func:`start`
before the kernel has imported matplotlib: it imports matplotlib (about 0.7 s of CPU) while
the kernel runs the cells after it, and then draws each chart it is sent, one after another,
so the kernel itself never imports matplotlib, builds no Figure and forks no child per chart
(a fork of a kernel holding the spend table costs it about 0.05 s: the pages it writes
afterwards are copied). Each chart is sent as a pickle of ``(function, args, kwargs)`` in a
temporary file whose name goes down a pipe; the HTML comes back in a file beside it. It is
used whatever the load (the chart costs the same CPU there as in the kernel). A chart whose
inputs do not pickle, or that the drawing process fails to draw (or has not drawn after
``CHILD_TIMEOUT_S``, or a process that has died), is drawn in the kernel: the same HTML.
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

# At most this many children draw at once (the kernel runs on beside them): more would only
# queue for the machine's cores.
MAX_RUNNING = 2
CHILD_TIMEOUT_S = 120.0
POLL_S = 0.002
# Longest sleep waiting for the drawing process (it wakes the kernel as each job is done).
DRAWER_WAIT_S = 0.5
PLACEHOLDER = "<p><em>Drawing the chart…</em></p>"
# Cores that must have been idle lately for a child to draw beside the kernel.
SPARE_IDLE_CORES = 0.5

_allowed = False
_requested = False
_has_spare_core: Callable[[], bool] = lambda: False  # noqa: E731 - replaced by allow()
_pending: list[PendingHTML] = []
_ids = itertools.count(1)
_cpu_sample: tuple[int, int] | None = None  # spare_core's last (idle, total) CPU ticks
_drawer: Drawer | None = None  # the drawing process start() forks, until finish()


def allow(shell: Any = None, has_spare_core: Callable[[], bool] | None = None) -> None:
    """Let the notebook run in this process draw its figures ahead (it asks with :func:`start`).

    Called by ``kil report``'s kernel extension. With an IPython ``shell``, finished figures
    replace their placeholders after every cell (its ``post_run_cell`` event).
    ``has_spare_core`` is asked before each figure (default :func:`spare_core`); when it says
    no, that figure is drawn in place.
    """
    global _allowed, _has_spare_core
    if not hasattr(os, "fork"):  # drawing ahead needs fork (POSIX); elsewhere draw in place
        return
    _allowed, _has_spare_core = True, has_spare_core or spare_core
    if has_spare_core is None:
        spare_core()  # the first sample: the next call measures idle time from here
    if shell is not None:
        shell.events.register("post_run_cell", _after_cell)


def disallow() -> None:
    """Undo :func:`allow` (figures already started still finish through :func:`finish`)."""
    global _allowed, _requested
    _allowed = _requested = False
    _stop_drawer()


def start() -> None:
    """Draw the notebook's figures ahead from now on, where :func:`allow` let it.

    A notebook that calls this must call :func:`finish` in its last cell; one that does not
    has every figure drawn in its own cell. Nothing happens where drawing ahead is not
    allowed (JupyterLab, nbval).
    """
    global _requested, _drawer
    _requested = _allowed
    if _requested and _drawer is None:
        _drawer = Drawer()


def enabled() -> bool:
    """True when the next figure is to be drawn ahead (allowed, asked for, a core to spare)."""
    return _allowed and _requested and _has_spare_core()


def drawing_elsewhere() -> bool:
    """True when charts go to the drawing process (allowed, asked for, and it is running)."""
    return _allowed and _requested and _drawer is not None and _drawer.running()


def spare_core() -> bool:
    """True when the machine has had at least half a core idle lately, or drawing our charts.

    "Lately" is since this was last asked (the figure before, or :func:`allow`), measured
    from the idle time Linux counts in ``/proc/stat`` plus the CPU time of this kernel's
    finished drawing children (a core our own last chart used is a core the next one can
    have); where ``/proc/stat`` cannot be read, or on the first call, the 1-minute load
    average must be more than half a core below the core count. (The load average lags: a
    report run just after another, with the machine otherwise quiet, still shows the first
    one's load for a minute.) On a 2-core machine shared with other work, a second process
    drawing charts would only queue for a core.
    """
    global _cpu_sample
    cores = os.cpu_count() or 1
    machine = cpu_idle_sample()
    if machine is not None:
        own = os.times()
        ticks = round((own.children_user + own.children_system) * os.sysconf("SC_CLK_TCK"))
        machine = (machine[0] + ticks, machine[1])
    before, _cpu_sample = _cpu_sample, machine
    if before is not None and _cpu_sample is not None and _cpu_sample[1] > before[1]:
        idle, total = (_cpu_sample[0] - before[0]), (_cpu_sample[1] - before[1])
        return cores * idle / total >= SPARE_IDLE_CORES
    return os.getloadavg()[0] < cores - SPARE_IDLE_CORES


def cpu_idle_sample() -> tuple[int, int] | None:
    """(idle, total) CPU time of the whole machine so far in clock ticks, or None.

    The first line of Linux's ``/proc/stat``: idle and I/O wait count as idle.
    """
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    return fields[3] + fields[4], sum(fields[:8])


class PendingHTML:
    """HTML that ``render()`` produces, computed in a forked child (see the module docstring).

    ``render`` must return the HTML as a string and may only draw (no output, no state the
    kernel needs afterwards): it runs in the child, and again in the kernel if the child fails.
    With a ``job`` — ``(function, args, kwargs)`` whose call returns the Figure ``render``
    draws — and the drawing process running, the job is sent there instead (``render`` runs
    here only if that fails).
    """

    def __init__(
        self, render: Callable[[], str], job: tuple[Callable[..., Any], tuple, dict] | None = None
    ) -> None:
        """Send ``job`` to the drawing process, or else fork a child to run ``render``.

        (A child waits first while ``MAX_RUNNING`` draw.)
        """
        self.render = render
        self.display_id = f"kil-figure-{os.getpid()}-{next(_ids)}"
        self.displayed = False
        self._html: str | None = None
        self._pid: int | None = None
        self._path: Path | None = None
        self._sent: Path | None = None  # where the drawing process writes this job's HTML
        self._started = time.monotonic()
        if job is not None and _drawer is not None:
            self._sent = _drawer.submit(job)
            if self._sent is None:
                self._html = render()
        else:
            _wait_for_room()
            self._fork()
        _pending.append(self)

    @property
    def data(self) -> str:
        """The HTML (waits for the child)."""
        return self.result()

    def _repr_html_(self) -> str:
        return self.result()

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        if self._html is None:
            self.displayed = True
            display(HTML(PLACEHOLDER), display_id=self.display_id)
        else:
            display(HTML(self._html))

    def _fork(self) -> None:
        fd, name = tempfile.mkstemp(prefix="kil-figure-", suffix=".html")
        os.close(fd)
        self._path = Path(name)
        parent = os.getpid()
        with warnings.catch_warnings():  # Python 3.12+ warns about fork with threads running
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            _draw_in_child(self.render, self._path, parent)
        self._pid, self._started = pid, time.monotonic()

    def done(self) -> bool:
        """True once the HTML is known (the child has ended, or the kernel drew it)."""
        if self._html is not None:
            return True
        if self._sent is not None:
            return self._done_by_drawer(self._sent)
        if self._pid is None:
            return False
        try:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:  # reaped by someone else: trust the file only if complete
            pid, status = self._pid, -1
        if pid == 0:
            if time.monotonic() - self._started < CHILD_TIMEOUT_S:
                return False
            _kill(self._pid)
            status = -1
        self._html = self._read(status)
        return True

    def _done_by_drawer(self, out: Path) -> bool:
        """:meth:`done` for a job sent to the drawing process (drawn here if it could not)."""
        drawer = _drawer
        alive = drawer is not None and drawer.running()
        html = _take(out)
        if html is None and alive and not out.with_suffix(FAILED).exists():
            if time.monotonic() - self._started < CHILD_TIMEOUT_S:
                return False
        self._sent = None
        self._html = html if html is not None else self.render()
        return True

    def _read(self, status: int) -> str:
        path, self._pid = self._path, None
        try:
            if status == 0 and path is not None:
                return path.read_text(encoding="utf-8")
        except OSError:
            pass
        finally:
            if path is not None:
                path.unlink(missing_ok=True)
        return self.render()  # the child failed: draw it here

    def result(self) -> str:
        """The HTML, waiting for the child (or the drawing process) if it is still drawing."""
        while not self.done():
            if self._sent is not None and _drawer is not None:
                _drawer.wait(DRAWER_WAIT_S)  # asleep until a job is done: no CPU spent polling
            else:
                time.sleep(POLL_S)
        assert self._html is not None
        return self._html


JOB, HTML_SUFFIX, PART, FAILED = ".job", ".html", ".part", ".failed"


class Drawer:
    """The drawing process: forked from the kernel, it imports matplotlib and draws each job.

    A job is ``(function, args, kwargs)``: ``function(*args, **kwargs)`` returns a Figure,
    whose :func:`kil_analysis.present.display.figure_html` the process writes to
    ``<n>.html`` in its folder (``<n>.failed`` if it raised).
    """

    def __init__(self) -> None:
        """Fork the process; it waits for jobs on one pipe and says each is done on another."""
        self.folder = Path(tempfile.mkdtemp(prefix="kil-figures-"))
        read, write = os.pipe()
        news, told = os.pipe()
        parent = os.getpid()
        with warnings.catch_warnings():  # Python 3.12+ warns about fork with threads running
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            os.close(write)
            os.close(news)
            _serve(read, told, self.folder, parent)
        os.close(read)
        os.close(told)
        os.set_blocking(news, False)
        self.pid: int | None = pid
        self.jobs: int | None = write
        self.news: int | None = news

    def wait(self, timeout: float) -> None:
        """Sleep until the process has finished a job or ended (at most ``timeout`` seconds)."""
        if self.news is None:
            time.sleep(min(timeout, POLL_S))
            return
        ready, _, _ = select.select([self.news], [], [], timeout)
        if not ready:
            return
        try:
            told = os.read(self.news, 4096)
        except BlockingIOError:
            return
        if not told:  # the end of the pipe: the process has ended
            os.close(self.news)
            self.news = None

    def running(self) -> bool:
        """True while the process has not ended."""
        if self.pid is None:
            return False
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid = self.pid
        if pid:
            self.pid = None
        return self.pid is not None

    def submit(self, job: tuple[Callable[..., Any], tuple, dict]) -> Path | None:
        """Send ``job``: the path its HTML will be written to.

        None if it cannot be sent (inputs that do not pickle, the process gone).
        """
        if self.jobs is None:
            return None
        path = self.folder / f"{next(_ids)}{JOB}"
        try:
            path.write_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            os.write(self.jobs, os.fsencode(path) + b"\n")  # short: written whole
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            path.unlink(missing_ok=True)
            return None
        return path.with_suffix(HTML_SUFFIX)

    def stop(self) -> None:
        """End the process once it has drawn what it was sent, and remove its folder."""
        if self.jobs is not None:
            os.close(self.jobs)  # the process reads to the end of the pipe, then exits
            self.jobs = None
        if self.news is not None:
            os.close(self.news)
            self.news = None
        if self.pid is not None:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _serve(jobs: int, told: int, folder: Path, parent: int) -> None:
    """In the drawing process: import matplotlib, then draw every job named on ``jobs``.

    A byte on ``told`` after each job (drawn or failed) wakes a kernel waiting for one.

    Ends (``os._exit``) at the end of the pipe, or with the kernel; nothing of the kernel's is
    cleaned up or flushed.
    """
    code = 1
    try:
        _end_with_parent(parent)
        _quiet()
        from kil_analysis.present import house_style
        from kil_analysis.present.display import figure_html

        house_style.pyplot()
        with os.fdopen(jobs, "rb") as names:
            for name in names:
                _draw_job(Path(os.fsdecode(name.rstrip(b"\n"))), figure_html)
                os.write(told, b".")
        code = 0
    finally:
        os._exit(code)


def _draw_job(path: Path, figure_html: Callable[[Any], str]) -> None:
    """Draw one job file into ``<n>.html`` (written whole, then renamed) or mark it failed."""
    try:
        draw, args, kwargs = pickle.loads(path.read_bytes())
        part = path.with_suffix(PART)
        part.write_text(figure_html(draw(*args, **kwargs)), encoding="utf-8")
        part.replace(path.with_suffix(HTML_SUFFIX))
    except Exception:  # noqa: BLE001 - the kernel draws it instead
        path.with_suffix(FAILED).touch()
    finally:
        path.unlink(missing_ok=True)


def _take(out: Path) -> str | None:
    """The HTML the drawing process wrote to ``out`` (removed once read), or None."""
    try:
        html = out.read_text(encoding="utf-8")
    except OSError:
        return None
    out.unlink(missing_ok=True)
    return html


def _stop_drawer() -> None:
    global _drawer
    if _drawer is not None:
        _drawer.stop()
        _drawer = None


def _quiet() -> None:
    """This process's output to /dev/null, its warnings off (a child of the kernel)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child exits
    warnings.simplefilter("ignore")


def _draw_in_child(render: Callable[[], str], path: Path, parent: int) -> None:
    """In the forked child: draw, write the HTML to ``path``, and end (``os._exit``).

    Nothing of the kernel's is cleaned up or flushed; exit status 0 only when the file is
    complete.
    """
    code = 1
    try:
        _end_with_parent(parent)
        _quiet()
        path.write_text(render(), encoding="utf-8")
        code = 0
    finally:
        os._exit(code)


def _end_with_parent(parent: int) -> None:
    """Have Linux kill this child if the kernel dies (a stopped report leaves nothing)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _wait_for_room() -> None:
    """Wait until fewer than ``MAX_RUNNING`` children are drawing."""
    while sum(1 for p in _pending if not p.done()) >= MAX_RUNNING:
        time.sleep(POLL_S)


def _after_cell(*_: object) -> None:
    """Replace the placeholders of the figures that have finished (without waiting)."""
    collect(wait=False)


def collect(wait: bool) -> None:
    """Put each finished figure's HTML in place of its placeholder; ``wait``: every one."""
    from IPython.display import HTML, update_display

    for pending in list(_pending):
        if wait:
            pending.result()
        elif not pending.done():
            continue
        _pending.remove(pending)
        if pending.displayed:
            update_display(HTML(pending.result()), display_id=pending.display_id)


def finish() -> None:
    """Wait for every figure still being drawn, put it in place, and draw in place from now.

    Called by the notebook's last cell; nothing to do when figures are drawn in place.
    """
    global _requested
    _requested = False
    collect(wait=True)
    _stop_drawer()
