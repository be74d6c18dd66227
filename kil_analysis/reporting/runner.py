"""Run the case-study notebook for one council or many, and publish the results atomically.

For each council, :func:`run_case_study` executes ``notebooks/case_study.ipynb`` with papermill
(explicit kernel name, ``cwd`` and execution timeout) into a hidden staging folder beside
``reports/<slug>/``, exports the HTML, writes ``summary.json`` (headline figures + manifest),
checks that all three outputs exist, and only then swaps the staging folder into place. A
crash at any point leaves the previous report untouched; a failed run instead writes
``reports/<slug>/failed.json`` (a one-line reason) and keeps the executed-so-far notebook as
``reports/<slug>/failed.ipynb`` for debugging.

:func:`run_reports` fans the councils out over any :class:`concurrent.futures.Executor`: a
local process pool by default. To scale beyond one machine, pass a Dask distributed client's
executor (``distributed.Client(...).get_executor()``) with ``out_root`` on a filesystem every
worker can see; nothing here depends on Dask. One council's failure never stops the others.
When at least two councils succeed, :func:`run_comparison` then executes
``notebooks/compare_councils.ipynb`` over every published ``summary.json`` into
``reports/comparison.ipynb`` and ``reports/comparison.html`` (same kernel, ``cwd``, timeout,
export and staging as a council's run); its failure is one line and touches no council's
report. Afterwards ``reports/index.html`` is rewritten from what is on disk.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kil_analysis import paths
from kil_analysis.readers.atomic import write_json_atomic
from kil_analysis.reporting.index import (
    COMPARISON_HTML,
    FAILED_FILE,
    FAILED_NOTEBOOK,
    REPORT_HTML,
    write_index,
)
from kil_analysis.reporting.summary import (
    SUMMARY_FILE,
    build_manifest,
    build_summary,
    latest_year,
    read_headline,
)

CASE_STUDY = "case_study.ipynb"
COMPARISON = "compare_councils.ipynb"
COMPARISON_NOTEBOOK = "comparison.ipynb"
# At least this many councils must succeed in a batch for the comparison report to be built.
MIN_COUNCILS_TO_COMPARE = 2
HEADLINE_FILE = "headline.json"
# The notebook's own defaults, passed explicitly so the manifest records every parameter.
# An empty period bound means "from the first / to the last payment in the data".
DEFAULT_PARAMETERS: dict[str, Any] = {
    "period_start": "",
    "period_end": "",
    "local_definition": "council",
    "top_n": 300,
}
# Quietens the kernel's start-up notice about local TCP transport; its errors still show.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_REASON = 300
TIMEOUT_PREVIEW = re.compile(r"preview of the cell contents:\s*-+\s*([^\n]{1,80})")


class DataSelectionError(ValueError):
    """A council's input files cannot be found (one-line reason saying what to do)."""


@dataclass(frozen=True)
class DataSelection:
    """Where one council's run reads from."""

    data_dir: Path
    registers_dir: Path
    lookups_dir: Path


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
        return self.report_dir / REPORT_HTML

    @property
    def notebook_path(self) -> Path:
        return self.report_dir / (f"{self.slug}.ipynb" if self.ok else FAILED_NOTEBOOK)

    @property
    def summary_path(self) -> Path:
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


def _display(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*")
    )


def select_data(
    slug: str, *, demo: bool = False, data: Path | None = None, several: bool = False
) -> DataSelection:
    """Which folders a council's run reads: the demo data (``demo``), the published files under
    ``data`` (its ``<slug>/`` subfolder when there is one; required when ``several`` councils
    share one ``data``), or by default ``data/raw/<slug>/`` as fetched. DataSelectionError with
    a one-line reason when there is nothing to read."""
    if demo:
        folder = paths.demo_council_dir(slug)
        if not _has_files(folder):
            raise DataSelectionError(f"no demo data in {_display(folder)}: run `kil demo`")
        return DataSelection(folder, paths.demo_dir() / "registers", paths.demo_dir() / "lookups")
    if data is not None:
        data = Path(data).resolve()
        folder = data / slug if (data / slug).is_dir() else data
        if several and folder == data:
            raise DataSelectionError(
                f"--data {data} has no {slug}/ subfolder (with several councils, "
                "--data needs one subfolder per council)"
            )
        if not _has_files(folder):
            raise DataSelectionError(f"no published files in {folder}")
        return DataSelection(folder, paths.registers_dir(), paths.lookups_dir())
    folder = paths.raw_dir(slug)
    if not _has_files(folder):
        raise DataSelectionError(
            f"no published files in {_display(folder)}: run `kil fetch {slug}`, "
            "pass --data PATH, or use --demo"
        )
    return DataSelection(folder, paths.registers_dir(), paths.lookups_dir())


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


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_failure(report_dir: Path, slug: str, reason: str, notebook: Path | None = None) -> None:
    """Write ``failed.json`` (and move ``notebook`` to ``failed.ipynb``) in ``report_dir``,
    leaving any previous report there untouched."""
    report_dir.mkdir(parents=True, exist_ok=True)
    kept = None
    if notebook is not None and notebook.is_file():
        os.replace(notebook, report_dir / FAILED_NOTEBOOK)
        kept = FAILED_NOTEBOOK
    else:
        (report_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
    write_json_atomic(
        report_dir / FAILED_FILE,
        {"council": slug, "error": reason, "failed_at": _utc_now(), "notebook": kept},
    )


def publish(staging: Path, target: Path) -> None:
    """Replace ``target`` by the finished ``staging`` folder with renames (same filesystem),
    so readers see the old report or the new one, never a mixture or half a file."""
    if not target.exists():
        os.rename(staging, target)
        return
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_staging(out_root: Path, max_age_s: float = 6 * 3600) -> None:
    """Delete staging folders left by runs that were killed (older than ``max_age_s``)."""
    if not out_root.is_dir():
        return
    cutoff = time.time() - max_age_s
    for folder in out_root.glob(".staging-*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def make_staging(out_root: Path, name: str) -> Path:
    """A fresh hidden staging folder ``out_root/.staging-<name>-…`` on the same filesystem as
    the published outputs (so they can be renamed into place); stale ones are swept up by
    :func:`remove_stale_staging`."""
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=out_root))
    staging.chmod(0o755)  # mkdtemp creates 0700; the published folder is meant to be shared
    return staging


def execute_notebook(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    *,
    kernel_name: str,
    timeout: int,
) -> None:
    """Run ``notebook`` with papermill into ``executed``: explicit kernel, the notebook's own
    folder as ``cwd``, ``timeout`` seconds per cell, no progress bar (raises on failure)."""
    import papermill as pm

    pm.execute_notebook(
        str(notebook),
        str(executed),
        parameters=dict(parameters),
        kernel_name=kernel_name,
        cwd=str(notebook.parent),
        execution_timeout=timeout,
        progress_bar=False,
        log_output=False,
        extra_arguments=list(KERNEL_ARGUMENTS),
    )


def _cell_timings(notebook: Path) -> list[dict[str, Any]]:
    """Seconds per code cell, from papermill's metadata, with the cell's first source line."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    rows = []
    for i, cell in enumerate(nb.cells):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.cell_type == "code" and isinstance(duration, int | float):
            first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
            rows.append({"cell": i, "source": one_line(first, 80), "seconds": round(duration, 3)})
    return rows


def _report_title(headline: dict[str, Any], slug: str) -> str:
    name = headline.get("council_name") or slug
    title = f"{name}: Keep it Local case study"
    return f"{title} (demo data)" if headline.get("is_demo") else title


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
) -> CaseStudyRun:
    """Execute the case study for ``slug`` and publish ``reports/<slug>/``: the executed
    notebook ``<slug>.ipynb``, ``index.html`` and ``summary.json``.

    ``timeout`` is seconds per cell; ``notebook`` defaults to ``notebooks/case_study.ipynb``
    (tests pass a small one honouring the same parameters contract). Never raises for a
    failed run: the returned run has ``ok=False`` and a one-line ``error``.
    """
    started, started_at = time.perf_counter(), _utc_now()
    out_root = Path(out_root or paths.reports_dir()).resolve()
    notebook = Path(notebook or paths.NOTEBOOKS_DIR / CASE_STUDY).resolve()
    target = out_root / slug
    timings: dict[str, float] = {}

    def failed(reason: str, executed: Path | None = None) -> CaseStudyRun:
        timings["total"] = round(time.perf_counter() - started, 3)
        record_failure(target, slug, reason, executed)
        return CaseStudyRun(slug, False, target, error=reason, timings=timings)

    if not notebook.is_file():
        return failed(f"the case-study notebook {_display(notebook)} does not exist")
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
    stage = "execute"
    try:
        t0 = time.perf_counter()
        execute_notebook(notebook, executed, parameters, kernel_name=kernel_name, timeout=timeout)
        timings["execute"] = round(time.perf_counter() - t0, 3)
        stage = "summary"
        headline = read_headline(staging / HEADLINE_FILE)
        stage = "export"
        t0 = time.perf_counter()
        export_html_to(executed, staging / REPORT_HTML, _report_title(headline, slug))
        timings["export"] = round(time.perf_counter() - t0, 3)
        stage = "summary"
        timings["total"] = round(time.perf_counter() - started, 3)
        recorded = {k: v for k, v in parameters.items() if k != "summary_path"}
        manifest = build_manifest(
            parameters=recorded,
            data_dir=Path(data_dir),
            reference_dirs=(Path(registers_dir), Path(lookups_dir)),
            notebook=notebook,
            kernel_name=kernel_name,
            started_at=started_at,
            timings=timings,
            cell_timings=_cell_timings(executed),
        )
        summary = build_summary(headline, manifest)
        write_json_atomic(staging / SUMMARY_FILE, summary)
        (staging / HEADLINE_FILE).unlink(missing_ok=True)
        missing = [
            name
            for name in (executed.name, REPORT_HTML, SUMMARY_FILE)
            if not (staging / name).is_file() or (staging / name).stat().st_size == 0
        ]
        if missing:
            raise RuntimeError(f"expected outputs missing: {', '.join(missing)}")
        stage = "publish"
        publish(staging, target)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a one-line reason
        return failed(f"{stage} failed: {describe_failure(exc)}", executed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not all((target / n).is_file() for n in (executed.name, REPORT_HTML, SUMMARY_FILE)):
        return failed("publish failed: outputs missing after the swap")
    return CaseStudyRun(slug, True, target, summary=summary, timings=timings)


def export_html_to(notebook: Path, html_path: Path, title: str) -> dict[str, Any]:
    """Export the executed notebook as the report page (indirection so tests can fail it)."""
    from kil_analysis.reporting.html import export_html

    return export_html(notebook, html_path, title)


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
        return self.out_root / COMPARISON_HTML

    @property
    def notebook_path(self) -> Path:
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


class ReportBatch(list):
    """What :func:`run_reports` returns: the councils' runs (a list of :class:`CaseStudyRun`, in
    the order asked for) plus ``comparison``, the comparison report's run (None if not run)."""

    def __init__(self, runs: Iterable[CaseStudyRun], comparison: ComparisonRun | None = None):
        super().__init__(runs)
        self.comparison = comparison


def _comparison_title(out_root: Path, councils: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """The comparison page's title (saying demo data when any is) and the slugs it compares."""
    from kil_analysis.analysis.comparison import is_demo
    from kil_analysis.reporting.summaries import load_summaries

    summaries = load_summaries(out_root, list(councils) or None)
    title = "Keep it Local: comparing councils"
    if is_demo(summaries):
        title += " (demo data)"
    return title, tuple(summaries["council"].drop_duplicates())


def run_comparison(
    *,
    out_root: Path | None = None,
    councils: Iterable[str] = (),
    kernel_name: str = "kil",
    timeout: int = 600,
    notebook: Path | None = None,
) -> ComparisonRun:
    """Execute ``notebooks/compare_councils.ipynb`` on the summaries under ``out_root`` and
    publish ``comparison.ipynb`` and ``comparison.html`` beside ``index.html``.

    ``councils`` limits the comparison to those slugs (default: every published report).
    Both files are built in a staging folder and renamed into place only when both exist, so
    a failure leaves any previous comparison (and every council's report) untouched. Never
    raises: a failed run has ``ok=False`` and a one-line ``error``.
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
        return failed(f"the comparison notebook {_display(notebook)} does not exist")
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
        missing = [
            n for n in names if not (staging / n).is_file() or not (staging / n).stat().st_size
        ]
        if missing:
            raise RuntimeError(f"expected outputs missing: {', '.join(missing)}")
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


def configured_council_names() -> dict[str, str]:
    """slug → name of every configured council ({} if the configs cannot be read)."""
    from kil_analysis.config import ConfigError, all_councils

    try:
        return {c.slug: c.name for c in all_councils()}
    except ConfigError:
        return {}


def _progress_line(run: CaseStudyRun) -> str:
    seconds = run.timings.get("total", 0.0)
    if run.ok:
        return f"kil report: {run.slug} done in {seconds:.1f} s -> {_display(run.html_path)}"
    return f"kil report: {run.slug} FAILED: {run.error}"


def _comparison_line(run: ComparisonRun) -> str:
    if run.ok:
        seconds = run.timings.get("total", 0.0)
        return f"kil report: comparison done in {seconds:.1f} s -> {_display(run.html_path)}"
    return f"kil report: comparison FAILED: {run.error}"


def run_reports(
    slugs: Iterable[str],
    *,
    demo: bool = False,
    data: Path | None = None,
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
    """Run the case study for every slug, then the comparison report when at least two
    councils succeeded (``compare``), and rewrite ``reports/index.html``.

    Runs go to ``executor`` when given (any ``concurrent.futures.Executor``, e.g. a Dask
    client's ``get_executor()``), else a ``ProcessPoolExecutor(jobs)``, or in this process when
    ``jobs`` is 1. A council whose data cannot be found, whose notebook fails, or whose worker
    dies is recorded as failed; the others carry on. ``councils`` (slug → name) lists extra
    councils on the index (default: every configured council). Results are in ``slugs`` order;
    with ``progress`` one line per finished council goes to stderr. The comparison
    (:func:`run_comparison`, over every published report under ``out_root``) runs in this
    process; its outcome is the result's ``comparison`` and its failure one line on stderr.
    """
    slugs = list(dict.fromkeys(slugs))
    out_root = Path(out_root or paths.reports_dir()).resolve()
    common = {
        "out_root": out_root,
        "kernel_name": kernel_name,
        "timeout": timeout,
        "extra_parameters": extra_parameters,
        "notebook": notebook,
    }
    results: dict[str, CaseStudyRun] = {}

    def finish(run: CaseStudyRun) -> None:
        results[run.slug] = run
        if progress:
            print(f"[{len(results)}/{len(slugs)}] {_progress_line(run)}", file=sys.stderr)
        if on_done:
            on_done(run)

    remove_stale_staging(out_root)
    if progress and slugs:
        workers = "in this process" if executor is None and jobs <= 1 else f"{jobs} at a time"
        print(f"kil report: {len(slugs)} council(s), {workers}", file=sys.stderr)
    todo: dict[str, DataSelection] = {}
    for slug in slugs:
        try:
            todo[slug] = select_data(slug, demo=demo, data=data, several=len(slugs) > 1)
        except DataSelectionError as exc:
            record_failure(out_root / slug, slug, str(exc))
            finish(CaseStudyRun(slug, False, out_root / slug, error=str(exc)))

    def submit(pool: Executor, slug: str) -> Future[CaseStudyRun]:
        sel = todo[slug]
        return pool.submit(
            run_case_study,
            slug,
            data_dir=sel.data_dir,
            registers_dir=sel.registers_dir,
            lookups_dir=sel.lookups_dir,
            **common,
        )

    if todo and executor is None and jobs <= 1:
        for slug in todo:
            sel = todo[slug]
            finish(
                run_case_study(
                    slug,
                    data_dir=sel.data_dir,
                    registers_dir=sel.registers_dir,
                    lookups_dir=sel.lookups_dir,
                    **common,
                )
            )
    elif todo:
        own = executor is None
        pool = executor or ProcessPoolExecutor(max_workers=min(jobs, len(todo)))
        try:
            futures = {submit(pool, slug): slug for slug in todo}
            for future in as_completed(futures):
                slug = futures[future]
                try:
                    run = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one council
                    reason = f"worker failed: {describe_failure(exc)}"
                    record_failure(out_root / slug, slug, reason)
                    run = CaseStudyRun(slug, False, out_root / slug, error=reason)
                finish(run)
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)

    batch = ReportBatch(results[slug] for slug in slugs)
    if compare and sum(run.ok for run in batch) >= MIN_COUNCILS_TO_COMPARE:
        batch.comparison = run_comparison(
            out_root=out_root,
            kernel_name=kernel_name,
            timeout=timeout,
            notebook=comparison_notebook,
        )
        if progress:
            print(_comparison_line(batch.comparison), file=sys.stderr)
    names = dict(configured_council_names() if councils is None else councils)
    write_index(out_root, names)
    return batch
