"""The ``concurrent.futures`` executors a batch of reports can run on.

- :func:`local_process_pool` — the default: a process pool whose workers ignore Ctrl-C (the
  batch decides what an interrupt means), clean up their staging folder on SIGTERM, and end
  themselves when their parent process goes away, so none outlives an interrupted or killed
  ``kil report``;
- :func:`dask_executor` — a Dask distributed client's executor for ``kil report --dask
  ADDRESS`` (the optional extra ``kil-analysis[dask]``); the reports folder must be on a file
  system every worker can see;
- :class:`InlineExecutor` — runs each call at once in this process (debugging, tests).

The batch (:mod:`kil_analysis.reporting.batch`) has one code path for all of them.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

PARENT_POLL_S = 0.5
_terminating = False


class DaskUnavailableError(RuntimeError):
    """``--dask`` was asked for but dask.distributed is not installed or not reachable."""


def worker_is_terminating() -> bool:
    """True in a pool worker that has been told to stop (SIGTERM or its parent went away)."""
    return _terminating


def _on_sigterm(signum: int, _frame: object) -> None:
    global _terminating
    _terminating = True
    raise SystemExit(128 + signum)


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL_S)
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _silence_terminal_output() -> None:
    """Point the worker's stdout and stderr (and so its kernels') at the null device.

    The batch reports each council's outcome in one line; a kernel's own log (for instance
    its complaint when the worker that drove it has gone) must not reach the user's terminal.
    A failing cell's error is kept in the executed notebook (``failed.ipynb``).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def init_worker(parent_pid: int) -> None:
    """Set up a pool worker.

    It ignores SIGINT, turns SIGTERM into a clean exit, watches its parent, and keeps its own
    and its kernels' output off the terminal.
    """
    _silence_terminal_output()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if os.getppid() != parent_pid:  # the parent died while this worker was starting
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def local_process_pool(jobs: int) -> ProcessPoolExecutor:
    """A process pool of ``jobs`` workers prepared by :func:`init_worker`."""
    return ProcessPoolExecutor(
        max_workers=max(1, jobs), initializer=init_worker, initargs=(os.getpid(),)
    )


def stop_local_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end every worker now (each removes its staging)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # private, but stable
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=15)
        if process.is_alive():
            process.kill()


class InlineExecutor(Executor):
    """Runs each submitted call immediately in this process and returns a finished future."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Call ``fn(*args, **kwargs)`` now; its result or exception is in the future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - the future carries it, as any executor's does
            future.set_exception(exc)
        return future


@contextmanager
def dask_executor(address: str, timeout_s: float = 20) -> Iterator[Executor]:
    """An executor on the Dask scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``).

    Raises DaskUnavailableError (one line) when ``dask.distributed`` is not installed or the
    scheduler cannot be reached. The client is closed on exit; the cluster is left running.
    """
    try:
        from distributed import Client
    except ImportError:
        raise DaskUnavailableError(
            "--dask needs dask.distributed: pip install 'kil-analysis[dask]'"
        ) from None
    try:
        client = Client(address, timeout=f"{timeout_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DaskUnavailableError(
            f"cannot reach the Dask scheduler at {address}: {reason}"
        ) from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
