"""One council's report: execute the case-study notebook, export HTML, write summary.json.

:func:`run_case_study` runs ``notebooks/case_study.ipynb`` (papermill, explicit kernel, ``cwd``
and timeout) in a staging folder, exports the page, adds the run manifest to the notebook's
headline figures, checks that all three outputs exist and only then swaps the folder into
``reports/<slug>/``. A failed run writes ``failed.json`` (one-line reason) and keeps the
executed-so-far notebook as ``failed.ipynb``; the previous report stays in place.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kil_analysis import paths
from kil_analysis.present.titles import report_title
from kil_analysis.readers.atomic import write_json_atomic
from kil_analysis.reporting.data_selection import display_path
from kil_analysis.reporting.execute import (
    cell_timings,
    describe_failure,
    execute_notebook,
    require_outputs,
)
from kil_analysis.reporting.manifest import build_manifest, run_facts
from kil_analysis.reporting.publish import (
    FAILED_NOTEBOOK,
    REPORT_HTML,
    lease_is_live,
    make_staging,
    publish,
    record_failure,
    utc_now,
)
from kil_analysis.reporting.summary import SUMMARY_FILE, build_summary, latest_year, read_headline

CASE_STUDY = "case_study.ipynb"
HEADLINE_FILE = "headline.json"
# The notebook's own defaults, passed explicitly so the manifest records every parameter.
# An empty period bound means "from the first / to the last payment in the data".
DEFAULT_PARAMETERS: dict[str, Any] = {
    "period_start": "",
    "period_end": "",
    "local_definition": "council",
    "top_n": 300,
    # the sections beyond the spend ledger (issue 10): empty paths mean the conventions of
    # pipeline.load_case_study / section_inputs.load_section_inputs; reference_date "" = today
    "contracts_dir": "",
    "boundaries_file": "",
    "respend_survey": "",
    "reference_date": "",
    "show_contracts": True,
    "show_funding": True,
    "show_prevention": True,
    "show_multiplier": True,
    "show_assets": True,
    "multiplier_shares": [0.10],
}
CANCELLED = "cancelled: the batch that started this run was interrupted"


@dataclass(frozen=True)
class CaseStudyRun:
    """The outcome of one council's run: where its report is, or why it failed."""

    slug: str
    ok: bool
    report_dir: Path
    error: str | None = None
    summary: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def html_path(self) -> Path:
        """The report page, ``reports/<slug>/index.html``."""
        return self.report_dir / REPORT_HTML

    @property
    def notebook_path(self) -> Path:
        """The executed notebook (``failed.ipynb`` for a failed run)."""
        return self.report_dir / (f"{self.slug}.ipynb" if self.ok else FAILED_NOTEBOOK)

    @property
    def summary_path(self) -> Path:
        """``reports/<slug>/summary.json``."""
        return self.report_dir / SUMMARY_FILE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (used by ``kil report --json``)."""
        return {
            "council": self.slug,
            "ok": self.ok,
            "error": self.error,
            "report": str(self.html_path) if self.ok else None,
            "notebook": str(self.notebook_path),
            "summary": str(self.summary_path) if self.ok else None,
            "is_demo": bool(self.summary and self.summary.get("is_demo")),
            "latest": latest_year(self.summary) if self.summary else None,
            "timings_s": self.timings,
        }


class RunCancelled(RuntimeError):
    """The batch that asked for this run has ended; its results must not be published."""


def export_html_to(notebook: Path, html_path: Path, title: str) -> dict[str, Any]:
    """Export the executed notebook as the report page (indirection so tests can fail it)."""
    from kil_analysis.reporting.html import export_html

    return export_html(notebook, html_path, title)


def prepare_export() -> None:
    """Import the HTML exporter and compile its templates (``reporting.html.warm_up``).

    nbconvert, its templates' Jinja and Markdown, BeautifulSoup: about 1.3 s of CPU, done
    while the kernel runs the notebook (see ``execute_notebook``).
    """
    from kil_analysis.reporting.html import warm_up

    warm_up()


def _report_title(headline: dict[str, Any], slug: str) -> str:
    return report_title(bool(headline.get("is_demo")), headline.get("council_name") or slug)


def run_case_study(
    slug: str,
    *,
    data_dir: Path,
    registers_dir: Path,
    lookups_dir: Path,
    out_root: Path | None = None,
    kernel_name: str = "kil",
    timeout: int = 600,
    extra_parameters: dict[str, Any] | None = None,
    notebook: Path | None = None,
    lease: Path | None = None,
) -> CaseStudyRun:
    """Execute the case study for ``slug`` and publish ``reports/<slug>/``.

    Publishes the executed notebook ``<slug>.ipynb``, ``index.html`` and ``summary.json``.
    ``timeout`` is seconds per cell; ``notebook`` defaults to ``notebooks/case_study.ipynb``
    (tests pass a small one honouring the same parameters contract); ``lease`` is the batch's
    lease (:func:`kil_analysis.reporting.publish.take_lease`): when it is gone by the time the
    report is ready, nothing is published or recorded. Never raises for a failed run: the
    returned run has ``ok=False`` and a one-line ``error``. An interrupt (KeyboardInterrupt,
    SystemExit) removes the staging folder and propagates.
    """
    started, started_at = time.perf_counter(), utc_now()
    out_root = Path(out_root or paths.reports_dir()).resolve()
    notebook = Path(notebook or paths.NOTEBOOKS_DIR / CASE_STUDY).resolve()
    target = out_root / slug
    timings: dict[str, float] = {}

    def failed(reason: str, executed: Path | None = None) -> CaseStudyRun:
        timings["total"] = round(time.perf_counter() - started, 3)
        record_failure(target, slug, reason, executed)
        return CaseStudyRun(slug, False, target, error=reason, timings=timings)

    if not notebook.is_file():
        return failed(f"the case-study notebook {display_path(notebook)} does not exist")
    staging = make_staging(out_root, slug)
    executed = staging / f"{slug}.ipynb"
    parameters = {
        **DEFAULT_PARAMETERS,
        "council": slug,
        "data_dir": str(Path(data_dir).resolve()),
        "registers_dir": str(Path(registers_dir).resolve()),
        "lookups_dir": str(Path(lookups_dir).resolve()),
        **(extra_parameters or {}),
        "summary_path": str(staging / HEADLINE_FILE),
    }
    references = (Path(registers_dir), Path(lookups_dir))
    facts: dict[str, Any] = {}

    def while_running() -> None:  # this process mostly waits for the kernel meanwhile
        prepare_export()
        facts.update(
            run_facts(data_dir=Path(data_dir), reference_dirs=references, notebook=notebook)
        )

    stage = "execute"
    try:
        t0 = time.perf_counter()
        execute_notebook(
            notebook,
            executed,
            parameters,
            kernel_name=kernel_name,
            timeout=timeout,
            while_running=while_running,
            draw_figures_ahead=True,
        )
        timings["execute"] = round(time.perf_counter() - t0, 3)
        stage = "summary"
        headline = read_headline(staging / HEADLINE_FILE)
        stage = "export"
        t0 = time.perf_counter()
        export_html_to(executed, staging / REPORT_HTML, _report_title(headline, slug))
        timings["export"] = round(time.perf_counter() - t0, 3)
        stage = "summary"
        timings["total"] = round(time.perf_counter() - started, 3)
        manifest = build_manifest(
            parameters={k: v for k, v in parameters.items() if k != "summary_path"},
            data_dir=Path(data_dir),
            reference_dirs=references,
            notebook=notebook,
            kernel_name=kernel_name,
            started_at=started_at,
            timings=timings,
            cell_timings=cell_timings(executed),
            facts=facts or None,  # gathered while the kernel ran (unless that failed)
        )
        summary = build_summary(headline, manifest)
        write_json_atomic(staging / SUMMARY_FILE, summary)
        (staging / HEADLINE_FILE).unlink(missing_ok=True)
        require_outputs(staging, (executed.name, REPORT_HTML, SUMMARY_FILE))
        stage = "publish"
        if not lease_is_live(lease):
            raise RunCancelled(CANCELLED)
        publish(staging, target)
    except RunCancelled:
        return CaseStudyRun(slug, False, target, error=CANCELLED, timings=timings)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line reason
        if not lease_is_live(lease):
            return CaseStudyRun(slug, False, target, error=CANCELLED, timings=timings)
        return failed(f"{stage} failed: {describe_failure(exc)}", executed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        require_outputs(target, (executed.name, REPORT_HTML, SUMMARY_FILE))
    except RuntimeError:
        return failed("publish failed: outputs missing after the swap")
    return CaseStudyRun(slug, True, target, summary=summary, timings=timings)
