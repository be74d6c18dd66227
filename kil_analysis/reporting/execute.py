"""Run a notebook with papermill, check what it left behind, and say in one line why it failed.

Every run names its kernel, runs with the notebook's own folder as the working directory and
has a per-cell timeout, so a report never depends on where ``kil`` was started from or which
kernel happens to be the default.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kil_analysis.reporting.jupyter_stack import skip_iri_grammar
from kil_analysis.reporting.kernel_extension import EXTENSION as KERNEL_EXTENSION
from kil_analysis.reporting.kernel_launcher import LAUNCHER as KERNEL_LAUNCHER
from kil_analysis.reporting.stop_on_error import EXTENSION as STOP_ON_ERROR

# Quietens the kernel's start-up notice about local TCP transport (its errors still show),
# keeps no history database (nothing reads a report kernel's history) and runs nothing after
# a failed cell, even a cell the queueing engine sent before the failure was known.
KERNEL_ARGUMENTS = (
    "--IPKernelApp.log_level=ERROR",
    "--HistoryManager.enabled=False",
    f"--IPKernelApp.extensions={STOP_ON_ERROR}",
)
FIGURES_AHEAD_ARGUMENTS = (f"--IPKernelApp.extensions={KERNEL_EXTENSION}",)
KERNEL_EXIT_POLL_S = 0.005
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_REASON = 300
TIMEOUT_PREVIEW = re.compile(r"preview of the cell contents:\s*-+\s*([^\n]{1,80})")
# papermill/nbclient drive the kernel from an asyncio loop that is not safe to run from two
# threads of one process at once ("This event loop is already running"): a Dask worker with
# several threads runs its notebooks one after another (start workers with --nthreads 1 and
# more processes for parallel runs).
_ONE_NOTEBOOK_PER_PROCESS = threading.Lock()


class MissingOutputsError(RuntimeError):
    """A run finished but did not leave every file it should have (names them)."""


def execute_notebook(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    *,
    kernel_name: str,
    timeout: int,
    while_running: Callable[[], object] | None = None,
    draw_figures_ahead: bool = False,
) -> None:
    """Run ``notebook`` with papermill into ``executed``.

    Explicit ``kernel_name``, the notebook's own folder as ``cwd``, ``timeout`` seconds per
    cell, no progress bar; one notebook at a time per process. Raises papermill's execution
    error (or a timeout) on failure; the partly executed notebook is left at ``executed``.
    ``while_running`` is called in a thread of this process while the kernel works (this
    process mostly waits then: on two cores, preparing the export costs no time); whatever it
    raises is ignored, and it has finished when this returns or raises an Exception. An
    interrupt (KeyboardInterrupt, SystemExit: Ctrl-C, a pool worker told to stop) propagates
    at once, the kernel stopped, without waiting for it (a daemon thread that only reads:
    checksums of large registers take seconds). ``draw_figures_ahead`` loads
    :mod:`kil_analysis.reporting.kernel_extension` in the kernel (figures drawn in forked
    children beside the later cells; the notebook's last cell must call
    ``present.display.finish_figures()``).
    """
    skip_iri_grammar()
    arguments = [*KERNEL_ARGUMENTS, *(FIGURES_AHEAD_ARGUMENTS if draw_figures_ahead else ())]
    helper = None
    interrupted = False
    try:
        with _ONE_NOTEBOOK_PER_PROCESS:
            # The kernel starts (ipykernel's imports, the extension's) while this process
            # imports papermill and reads and parameterises the notebook: on two cores the
            # two overlap instead of following each other.
            kernel = _start_kernel(kernel_name, notebook.parent, arguments)
            try:
                import papermill as pm

                # only now: the helper's imports would hold this process's GIL while it
                # imports papermill; from here on this process mostly waits for the kernel
                helper = _start(while_running) if while_running else None
                _run(pm, notebook, executed, parameters, kernel_name, timeout, kernel)
            finally:
                _stop_kernel(kernel)
    except (KeyboardInterrupt, SystemExit):
        interrupted = True
        raise
    finally:
        if helper is not None and not interrupted:
            helper.join()


def _start_kernel(kernel_name: str, cwd: Path, arguments: list[str]) -> Any:
    """Start the ``kernel_name`` kernel in ``cwd`` with ``arguments``, without waiting for it.

    Returns its manager: jupyter_client's AsyncKernelManager, the class nbclient uses.
    """
    from jupyter_core.utils import run_sync

    manager = _kernel_manager_class()(kernel_name=kernel_name)
    run_sync(manager.start_kernel)(extra_arguments=arguments, cwd=str(cwd))
    return manager


@functools.cache
def _kernel_manager_class() -> type:
    """jupyter_client's AsyncKernelManager, checking every 5 ms that a stopped kernel has gone.

    (its own checks every 0.1 s, so stopping a kernel took a tenth of a second longer than
    the kernel takes to end.) The kernel is started by :func:`report_kernel_command`.
    """
    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        async def _async_wait(self, pollinterval: float = KERNEL_EXIT_POLL_S) -> None:
            await super()._async_wait(pollinterval)

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return report_kernel_command(super().format_kernel_cmd(extra_arguments))

    return KernelManager


def report_kernel_command(command: list[str]) -> list[str]:
    """``command`` with :mod:`kil_analysis.reporting.kernel_launcher` for ``ipykernel_launcher``.

    Only when ``command`` runs ``-m ipykernel_launcher`` with this process's own Python (where
    kil_analysis is importable); any other kernel command is returned unchanged.
    """
    try:
        at = command.index("-m") + 1
        # the path itself, not where it leads: a venv's python links to a base one without
        # the venv's packages
        ours = os.path.abspath(command[0]) == os.path.abspath(sys.executable)
    except (ValueError, IndexError):
        return command
    if not ours or at >= len(command) or command[at] != "ipykernel_launcher":
        return command
    return [*command[:at], KERNEL_LAUNCHER, *command[at + 1 :]]


def _stop_kernel(manager: Any) -> None:
    """Stop the kernel process now and remove its connection file.

    Every output has arrived once the last cell has ended: no need to ask the kernel to shut
    itself down and wait (about a second).
    """
    from jupyter_core.utils import run_sync

    try:
        if run_sync(manager.is_alive)():
            run_sync(manager.shutdown_kernel)(now=True)
    finally:
        run_sync(manager.cleanup_resources)()


def _start(work: Callable[[], object]) -> threading.Thread:
    """``work()`` in a daemon thread, its exceptions swallowed (it only prepares)."""

    def quietly() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - preparation only: the real call raises properly
            pass

    thread = threading.Thread(target=quietly, name="kil-prepare", daemon=True)
    thread.start()
    return thread


def _run(
    pm: Any,
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    kernel_name: str,
    timeout: int,
    kernel: Any,
) -> None:
    from kil_analysis.reporting.queueing_engine import register

    pm.execute_notebook(
        str(notebook),
        str(executed),
        parameters=dict(parameters),
        # papermill's engine, with the next cell already queued in the kernel
        engine_name=register(),
        kernel_name=kernel_name,
        km=kernel,  # already started (see execute_notebook); stopped by _stop_kernel
        cwd=str(notebook.parent),
        execution_timeout=timeout,
        progress_bar=False,
        log_output=False,
        # Write the executed notebook once at the end, not after every cell: with charts
        # embedded, rewriting it per cell costs more than running the cells.
        request_save_on_cell_execute=False,
    )


def require_outputs(folder: Path, names: Iterable[str]) -> None:
    """Raise MissingOutputsError unless every file in ``names`` exists in ``folder`` non-empty."""
    missing = [
        name
        for name in names
        if not (folder / name).is_file() or (folder / name).stat().st_size == 0
    ]
    if missing:
        raise MissingOutputsError(f"expected outputs missing: {', '.join(missing)}")


def cell_timings(notebook: Path) -> list[dict[str, Any]]:
    """Seconds per code cell (papermill's metadata), with each cell's first source line."""
    skip_iri_grammar()
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    rows = []
    for i, cell in enumerate(nb.cells):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.cell_type == "code" and isinstance(duration, int | float):
            first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
            rows.append({"cell": i, "source": one_line(first, 80), "seconds": round(duration, 3)})
    return rows


def one_line(text: object, limit: int = MAX_REASON) -> str:
    """``text`` as one short line: ANSI colours removed, whitespace collapsed, truncated."""
    line = " ".join(ANSI.sub("", str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for a failed stage: for a notebook error, the cell and its exception."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ""
        where = f"cell {exc.exec_count}" if exc.exec_count else f"cell #{exc.cell_index}"
        return one_line(f"notebook {where} raised {exc.ename}: {first}".rstrip(": "))
    if isinstance(exc, TimeoutError):  # nbclient's CellTimeoutError included
        preview = TIMEOUT_PREVIEW.search(str(exc))
        cell = f" (cell starting: {preview.group(1).strip()})" if preview else ""
        return one_line(f"a notebook cell ran past the execution timeout{cell}")
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return one_line(f"{type(exc).__name__}: {message}".rstrip(": "))
