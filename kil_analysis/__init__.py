"""kil_analysis: the Keep it Local research workbench's helper package.

One room per stage (each a plain function call; see DESIGN.md), in the order data flows:

- ``readers/``   everything that reads a file: ``parse/`` (amounts, dates, postcodes, redaction,
  totals rows), ``spend/``, ``grants/``, ``contracts/``, ``registers/``; one result shape
  (``accounting.ReadResult``), the content cache, fetching, atomic writes, checksums.
- ``enrich/``    who each supplier is: keys, name rules, register matching, classification,
  size, locality, overrides, the hand-check worksheet.
- ``analysis/``  pure Keep it Local measures, data quality, the comparison of councils.
- ``present/``   house style, charts, tables, narrative sentences, display helpers.
- ``pipeline``   loads one council's case study (the notebooks' one call).
- ``reporting/`` runs the notebooks with papermill and publishes the reports.
- ``demo/``      the synthetic demo data generator.  ``cli/`` the ``kil`` command.
- ``paths``, ``config``, ``schema`` (table contracts), ``labels`` (words for codes).

Nothing runs at import time.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["classify_suppliers", "load_council"]


def __getattr__(name: str):
    # Lazy re-exports so `import kil_analysis` stays cheap.
    if name == "classify_suppliers":
        from kil_analysis.enrich import classify_suppliers

        return classify_suppliers
    if name == "load_council":
        from kil_analysis.config import load_council

        return load_council
    raise AttributeError(name)
