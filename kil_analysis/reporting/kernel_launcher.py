"""``python -m kil_analysis.reporting.kernel_launcher``: ipykernel's launcher, less its debugger.

ipykernel imports debugpy (the debugger JupyterLab's debug panel talks to) while the kernel
starts: about 0.11 s of a report kernel's start-up CPU, on the report's critical path, for a
panel no report run opens. ``kil report`` starts the kernels it runs with this launcher instead
of ``ipykernel_launcher`` (:func:`kil_analysis.reporting.execute.report_kernel_command`) when
the kernel spec is this environment's ipykernel: the same kernel, which just reports no
``debugger`` among its features. Anything else in the kernel that imports debugpy gets an
ImportError, as where debugpy is not installed.
"""

from __future__ import annotations

import sys

LAUNCHER = __name__
DEBUGGER_MODULE = "debugpy"


def main() -> None:
    """Start an IPython kernel as ``python -m ipykernel_launcher`` does, with no debugger."""
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher: the kernel adds it back
        del sys.path[0]
    sys.modules.setdefault(DEBUGGER_MODULE, None)  # type: ignore[arg-type]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
