"""Report runner: executes the case-study notebook per council and publishes the results.

Modules, one job each:

- ``runner``   — papermill execution of ``notebooks/case_study.ipynb`` for one council
  (:func:`run_case_study`) or many (:func:`run_reports`, over any ``concurrent.futures``
  executor), with atomic publication into ``reports/<slug>/``;
  after a batch, :func:`run_comparison` builds ``comparison.html`` from every summary;
- ``html``     — the executed notebook to one self-contained, offline HTML page;
- ``summary``  — ``summary.json``: the notebook's headline figures plus the run manifest;
- ``index``    — ``reports/index.html``, every council with its latest headline figures;
- ``escaping`` — how untrusted text (council and supplier names) reaches generated HTML.

Importing this package does no work and does not import papermill or nbconvert.
"""

from __future__ import annotations

__all__ = [
    "CaseStudyRun",
    "ComparisonRun",
    "run_case_study",
    "run_comparison",
    "run_reports",
    "select_data",
    "write_index",
]


def __getattr__(name: str):  # lazy re-exports: keep `import kil_analysis.reporting` cheap
    if name in {
        "CaseStudyRun",
        "ComparisonRun",
        "run_case_study",
        "run_comparison",
        "run_reports",
        "select_data",
    }:
        from kil_analysis.reporting import runner

        return getattr(runner, name)
    if name == "write_index":
        from kil_analysis.reporting.index import write_index

        return write_index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
