"""The IPython extension that makes a report's kernel run nothing after a cell has failed.

The queueing engine (:mod:`kil_analysis.reporting.queueing_engine`) sends a cell's successor
before the cell has run. ipykernel aborts the requests waiting behind a cell that fails with
``stop_on_error`` — but only those that have reached it by then: when this process is slow
to send the successor (descheduled on a busy machine), a quickly failing cell's abort is over
before the successor arrives, and the kernel would run it. Loaded in every kernel ``kil``
starts (:data:`kil_analysis.reporting.execute.KERNEL_ARGUMENTS`), this extension answers every
later request ``aborted`` without running it, as ipykernel's own abort does; a cell allowed to
fail (sent with ``stop_on_error`` false: papermill's ``raises-exception`` tag) does not stop
the ones after it. Nothing is imported beyond the standard library.
"""

from __future__ import annotations

import inspect
from typing import Any

EXTENSION = __name__


def load_ipython_extension(ipython: Any) -> None:
    """IPython's entry point: guard this shell's kernel (a shell with no kernel is left)."""
    kernel = getattr(ipython, "kernel", None)
    if kernel is not None:
        guard(kernel)


def guard(kernel: Any) -> None:
    """Wrap ``kernel.do_execute`` so that no request runs after a failed ``stop_on_error`` one.

    Silent requests (a front end's own, never a cell) neither stop the kernel nor are
    stopped. Idempotent.
    """
    if getattr(kernel.do_execute, "_kil_stop_on_error", False):
        return
    run = kernel.do_execute
    failed = False

    async def do_execute(**request: Any) -> dict[str, Any]:
        nonlocal failed
        silent = bool(request.get("silent"))
        if failed and not silent:
            return {"status": "aborted", "execution_count": kernel.execution_count}
        reply = run(**request)
        if inspect.isawaitable(reply):
            reply = await reply
        if not silent and reply.get("status") == "error" and _stops_on_error(kernel):
            failed = True
        return reply

    do_execute._kil_stop_on_error = True  # type: ignore[attr-defined]
    kernel.do_execute = do_execute


def _stops_on_error(kernel: Any) -> bool:
    """True unless the request being run was sent with ``stop_on_error`` false."""
    parent = kernel.get_parent("shell") or {}
    return bool(parent.get("content", {}).get("stop_on_error", True))
