"""A batch of case studies: every council's report, then the comparison, then the index.

:func:`run_reports` chooses each council's data (:func:`~kil_analysis.reporting.data_selection.
select_data`), submits one run per council to any :class:`concurrent.futures.Executor` — a
local process pool by default, a Dask client's executor with ``kil report --dask`` — and
collects the outcomes as they finish. One council's failure (bad config, no data, a failing
notebook, a dead worker) never stops the others, and ``reports/index.html`` is always
rewritten at the end. An interrupt (Ctrl-C) ends the batch at once: the batch's lease is
dropped so no run publishes afterwards, pool workers are stopped, their staging removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from kil_analysis import paths
from kil_analysis.progress import progress_bar
from kil_analysis.reporting.case_study import CASE_STUDY, CaseStudyRun, run_case_study
from kil_analysis.reporting.comparison_report import (
    MIN_COUNCILS_TO_COMPARE,
    ComparisonRun,
    run_comparison,
)
from kil_analysis.reporting.data_selection import (
    DataSelection,
    DataSelectionError,
    display_path,
    select_data,
)
from kil_analysis.reporting.execute import describe_failure
from kil_analysis.reporting.executors import (
    local_process_pool,
    stop_local_workers,
    worker_is_terminating,
)
from kil_analysis.reporting.index import write_index
from kil_analysis.reporting.publish import (
    prepare_output_dir,
    record_failure,
    remove_stale_staging,
    take_lease,
)

log = logging.getLogger(__name__)


class ReportBatch(list[CaseStudyRun]):
    """What :func:`run_reports` returns: the councils' runs, in the order asked for.

    ``comparison`` is the comparison report's run (None if it was not run).
    """

    def __init__(self, runs: Iterable[CaseStudyRun], comparison: ComparisonRun | None = None):
        """Hold ``runs`` and the batch's ``comparison`` run."""
        super().__init__(runs)
        self.comparison = comparison


def config_problem(slug: str) -> str | None:
    """The one-line reason why ``slug``'s council config is invalid.

    None when it is valid or when there is no config file for ``slug`` (a run on data alone).
    """
    from kil_analysis.config import ConfigError, council_config_path, load_config_file

    path = council_config_path(slug)
    if not path.is_file():
        return None
    try:
        load_config_file(path)
    except ConfigError as exc:
        return f"config failed: {exc}"
    return None


def configured_council_names() -> dict[str, str]:
    """Slug → name of every configured council.

    A council whose config is invalid is listed under its slug, so the index still shows it,
    marked failed.
    """
    from kil_analysis.config import ConfigError, council_config_path, council_slugs
    from kil_analysis.config import load_config_file as load

    names = {}
    for slug in council_slugs():
        try:
            names[slug] = load(council_config_path(slug)).name
        except ConfigError:
            names[slug] = slug
    return names


def _outcome_line(run: CaseStudyRun) -> str:
    seconds = run.timings.get("total", 0.0)
    if run.ok:
        return f"kil report: {run.slug} done in {seconds:.1f} s -> {display_path(run.html_path)}"
    return f"kil report: {run.slug} FAILED: {run.error}"


def _comparison_line(run: ComparisonRun) -> str:
    if run.ok:
        seconds = run.timings.get("total", 0.0)
        return f"kil report: comparison done in {seconds:.1f} s -> {display_path(run.html_path)}"
    return f"kil report: comparison FAILED: {run.error}"


def run_one(slug: str, selection: DataSelection, options: dict[str, Any]) -> CaseStudyRun:
    """One council's run as submitted to an executor.

    A pool worker that was told to stop exits as soon as the run has cleaned up.
    """
    try:
        return run_case_study(
            slug,
            data_dir=selection.data_dir,
            registers_dir=selection.registers_dir,
            lookups_dir=selection.lookups_dir,
            **options,
        )
    finally:
        if worker_is_terminating():
            os._exit(143)


def _choose(
    slugs: list[str], demo: bool, data: Path | None, out_root: Path, references: dict[str, Any]
) -> tuple[dict[str, DataSelection], list[CaseStudyRun]]:
    """Each council's data, or its failed run (invalid config, nothing to read).

    ``references`` holds the registers and lookups folders the user named (``registers_dir``,
    ``lookups_dir``; None for the default).
    """
    chosen: dict[str, DataSelection] = {}
    failed = []
    for slug in slugs:
        reason = config_problem(slug)
        if reason is None:
            try:
                chosen[slug] = select_data(
                    slug, data, demo=demo, several=len(slugs) > 1, **references
                )
            except DataSelectionError as exc:
                reason = str(exc)
        if reason is not None:
            record_failure(out_root / slug, slug, reason)
            failed.append(CaseStudyRun(slug, False, out_root / slug, error=reason))
    return chosen, failed


def _collect(
    pool: Executor,
    chosen: dict[str, DataSelection],
    options: dict[str, Any],
    out_root: Path,
    finish: Callable[[CaseStudyRun], None],
) -> None:
    futures: dict[Future[CaseStudyRun], str] = {
        pool.submit(run_one, slug, selection, options): slug for slug, selection in chosen.items()
    }
    for future in as_completed(futures):
        slug = futures[future]
        try:
            run = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker fails one council
            reason = f"worker failed: {describe_failure(exc)}"
            record_failure(out_root / slug, slug, reason)
            run = CaseStudyRun(slug, False, out_root / slug, error=reason)
        finish(run)


def run_reports(
    slugs: Iterable[str],
    *,
    demo: bool = False,
    data: Path | None = None,
    registers_dir: Path | None = None,
    lookups_dir: Path | None = None,
    jobs: int = 1,
    executor: Executor | None = None,
    out_root: Path | None = None,
    kernel_name: str = "kil",
    timeout: int = 600,
    extra_parameters: dict[str, Any] | None = None,
    notebook: Path | None = None,
    councils: Mapping[str, str] | None = None,
    progress: bool = True,
    on_done: Callable[[CaseStudyRun], None] | None = None,
    compare: bool = True,
    comparison_notebook: Path | None = None,
) -> ReportBatch:
    """Run the case study for every slug, then the comparison, and rewrite the index.

    The comparison runs when at least two councils succeeded and ``compare`` is true.
    ``registers_dir`` / ``lookups_dir`` name the reference folders every council reads (default:
    ``data/registers`` and ``data/lookups``, or the demo's own beside the demo data).

    Runs go to ``executor`` (any ``concurrent.futures.Executor``), by default a local process
    pool of ``jobs`` workers. ``councils`` (slug → name) lists extra councils on the index
    (default: every configured council). Results are in ``slugs`` order; each outcome is
    logged (logger ``kil_analysis.reporting.batch``, INFO), with a progress bar on a terminal
    when ``progress``. The comparison runs in this process. Raises OutputDirError before any
    run when ``out_root`` cannot be written; KeyboardInterrupt propagates after the batch has
    stopped its workers.
    """
    slugs = list(dict.fromkeys(slugs))
    out_root = prepare_output_dir(Path(out_root or paths.reports_dir()))
    remove_stale_staging(out_root)
    results: dict[str, CaseStudyRun] = {}
    bar = progress_bar(len(slugs), "reports", "council", enabled=progress)

    def finish(run: CaseStudyRun) -> None:
        results[run.slug] = run
        bar.update(1)
        log.info("[%d/%d] %s", len(results), len(slugs), _outcome_line(run))
        if on_done:
            on_done(run)

    references = {"registers_dir": registers_dir, "lookups_dir": lookups_dir}
    chosen, failed = _choose(slugs, demo, data, out_root, references)
    for run in failed:
        finish(run)
    options = {
        "out_root": out_root,
        "kernel_name": kernel_name,
        "timeout": timeout,
        "extra_parameters": extra_parameters,
        # resolved here, not in the worker: every worker runs the notebook this process sees
        "notebook": Path(notebook or paths.NOTEBOOKS_DIR / CASE_STUDY).resolve(),
    }
    if chosen:
        own = executor is None
        pool = executor or local_process_pool(min(jobs, len(chosen)))
        where = f"{min(jobs, len(chosen))} at a time" if own else type(pool).__name__
        log.info("kil report: %d council(s), %s", len(chosen), where)
        lease = options["lease"] = take_lease(out_root)
        try:
            _collect(pool, chosen, options, out_root, finish)
        except BaseException:
            lease.unlink(missing_ok=True)  # from now on no run of this batch publishes
            if isinstance(pool, ProcessPoolExecutor) and own:
                stop_local_workers(pool)
                # A worker stopped in the middle of its own clean-up (Ctrl-C reaches the whole
                # process group) can leave its staging behind: its owner has ended, so sweep it.
                remove_stale_staging(out_root)
            raise
        finally:
            lease.unlink(missing_ok=True)
            bar.close()
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
    bar.close()

    batch = ReportBatch(results[slug] for slug in slugs)
    if compare and sum(run.ok for run in batch) >= MIN_COUNCILS_TO_COMPARE:
        batch.comparison = run_comparison(
            out_root=out_root,
            kernel_name=kernel_name,
            timeout=timeout,
            notebook=comparison_notebook,
        )
        log.info(_comparison_line(batch.comparison))
    names = dict(configured_council_names() if councils is None else councils)
    write_index(out_root, names)
    return batch
