"""Reports: the case-study notebook run per council, published atomically, with an index.

One module per job, in the order a batch uses them:

- ``data_selection``    where a council's files come from (demo / data/raw/<slug> / --data), the
  one rule shared by the notebook (via ``pipeline.load_case_study``), the runner and the CLI;
- ``execute``           papermill with an explicit kernel, ``cwd`` and timeout; output checks;
  one-line failure reasons;
- ``publish``           staging folders, the atomic swap into ``reports/<slug>/``, failure
  records, sweeping stale staging, the batch's lease;
- ``manifest``          how a report was made: parameters, versions, checksums, timings;
- ``summary``           ``summary.json``: the notebook's headline figures plus the manifest;
- ``case_study``        one council's run (:func:`run_case_study`);
- ``comparison_report`` ``reports/comparison.html`` from every published summary;
- ``executors``         the local process pool (default), a Dask client, an inline executor;
- ``batch``             many councils over any executor (:func:`run_reports`);
- ``index``             ``reports/index.html``; ``html`` the executed notebook as one offline
  page; ``escaping`` how untrusted text reaches generated HTML.

Import the module you need (``from kil_analysis.reporting import batch``); importing this
package does no work and does not import papermill or nbconvert.
"""
