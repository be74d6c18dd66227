"""The IPython extension ``kil report`` loads in the case study's kernel.

It lets the notebook draw its figures ahead (:mod:`kil_analysis.present.figures_ahead`): each
chart drawn in a forked child while the cells after it run, and put in place after a later
cell. The notebook asks for it (``show.draw_figures_ahead()``) and then ends with
``show.finish_figures()``.
Loading it also imports the pipeline and the section inputs (pandas, pyarrow, the readers and
measures) while the kernel starts, which ``kil report`` overlaps with its own start-up
(:func:`kil_analysis.reporting.execute.execute_notebook`). Nothing that imports matplotlib:
a notebook that picks its own matplotlib backend must find pyplot not yet imported, and the
case study's charts (``show.chart``) are drawn by the drawing process that
``show.draw_figures_ahead()`` forks, so its kernel never imports matplotlib at all.
"""

from __future__ import annotations

import os
from typing import Any

EXTENSION = __name__
# "auto" (the default): draw ahead while the machine has a core to spare; "always"; "never".
MODE_VARIABLE = "KIL_DRAW_FIGURES_AHEAD"


def load_ipython_extension(ipython: Any) -> None:
    """IPython's entry point: let the notebook draw figures ahead in this kernel.

    As ``$KIL_DRAW_FIGURES_AHEAD`` says: ``auto`` when unset or unknown.
    """
    import kil_analysis.pipeline  # noqa: F401 - imported while the kernel starts
    import kil_analysis.section_inputs  # noqa: F401
    from kil_analysis.present import figures_ahead

    mode = os.environ.get(MODE_VARIABLE, "auto")
    if mode != "never":
        figures_ahead.allow(ipython, (lambda: True) if mode == "always" else None)
