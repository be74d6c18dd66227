"""The comparison report: ``notebooks/compare_councils.ipynb`` over every published summary.

Built by a batch when at least :data:`MIN_COUNCILS_TO_COMPARE` councils succeed, into
``reports/comparison.ipynb`` and ``reports/comparison.html`` (same kernel, ``cwd``, timeout,
export and staging as a council's run). Its failure is one line and touches no council's
report, nor any previous comparison.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kil_analysis import paths
from kil_analysis.present.titles import report_title
from kil_analysis.reporting.case_study import export_html_to
from kil_analysis.reporting.data_selection import display_path
from kil_analysis.reporting.execute import describe_failure, execute_notebook, require_outputs
from kil_analysis.reporting.index import COMPARISON_HTML
from kil_analysis.reporting.publish import make_staging

COMPARISON = "compare_councils.ipynb"
COMPARISON_NOTEBOOK = "comparison.ipynb"
# At least this many councils must succeed in a batch for the comparison report to be built.
MIN_COUNCILS_TO_COMPARE = 2


@dataclass(frozen=True)
class ComparisonRun:
    """The outcome of the comparison report's run: where it is, or why it failed."""

    ok: bool
    out_root: Path
    councils: tuple[str, ...] = ()
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def html_path(self) -> Path:
        """``reports/comparison.html``."""
        return self.out_root / COMPARISON_HTML

    @property
    def notebook_path(self) -> Path:
        """``reports/comparison.ipynb`` (the executed notebook)."""
        return self.out_root / COMPARISON_NOTEBOOK

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        return {
            "comparison": True,
            "ok": self.ok,
            "error": self.error,
            "report": str(self.html_path) if self.ok else None,
            "councils": list(self.councils),
            "timings_s": self.timings,
        }


def _comparison_title(out_root: Path, councils: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The comparison page's title (saying demo data when any is) and the slugs it compares."""
    from kil_analysis.analysis import comparison
    from kil_analysis.reporting.summaries import load_summaries

    summaries = load_summaries(out_root, list(councils) or None)
    title = report_title(comparison.is_demo(summaries))
    return title, tuple(summaries["council"].drop_duplicates())


def run_comparison(
    *,
    out_root: Path | None = None,
    councils: Iterable[str] = (),
    kernel_name: str = "kil",
    timeout: int = 600,
    notebook: Path | None = None,
) -> ComparisonRun:
    """Execute the comparison notebook on the summaries under ``out_root`` and publish it.

    ``comparison.ipynb`` and ``comparison.html`` go beside ``index.html``.

    ``councils`` limits the comparison to those slugs (default: every published report).
    Both files are built in a staging folder and renamed into place only when both exist.
    Never raises for a failed run: it has ``ok=False`` and a one-line ``error``.
    """
    started = time.perf_counter()
    out_root = Path(out_root or paths.reports_dir()).resolve()
    notebook = Path(notebook or paths.NOTEBOOKS_DIR / COMPARISON).resolve()
    councils = tuple(councils)
    timings: dict[str, float] = {}

    def failed(reason: str) -> ComparisonRun:
        timings["total"] = round(time.perf_counter() - started, 3)
        return ComparisonRun(False, out_root, councils, error=reason, timings=timings)

    if not notebook.is_file():
        return failed(f"the comparison notebook {display_path(notebook)} does not exist")
    stage = "summaries"
    staging: Path | None = None
    try:
        title, compared = _comparison_title(out_root, councils)
        staging = make_staging(out_root, "comparison")
        executed = staging / COMPARISON_NOTEBOOK
        parameters = {"reports_dir": str(out_root), "councils": ",".join(councils)}
        stage = "execute"
        t0 = time.perf_counter()
        execute_notebook(notebook, executed, parameters, kernel_name=kernel_name, timeout=timeout)
        timings["execute"] = round(time.perf_counter() - t0, 3)
        stage = "export"
        t0 = time.perf_counter()
        export_html_to(executed, staging / COMPARISON_HTML, title)
        timings["export"] = round(time.perf_counter() - t0, 3)
        names = (COMPARISON_NOTEBOOK, COMPARISON_HTML)
        require_outputs(staging, names)
        stage = "publish"
        for name in names:  # the page last: it is what readers open
            os.replace(staging / name, out_root / name)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line reason
        return failed(f"comparison {stage} failed: {describe_failure(exc)}")
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = round(time.perf_counter() - started, 3)
    return ComparisonRun(True, out_root, compared, timings=timings)
