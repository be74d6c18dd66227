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

Import the module you need (``from kil_analysis.reporting import runner``); importing this
package does no work and does not import papermill or nbconvert.
"""
