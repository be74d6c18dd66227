"""Readers for what councils publish: spend files into the canonical spend table.

Start with :func:`ingest_spend`; the value parsers (:mod:`.amounts`, :mod:`.dates`,
:mod:`.supplier_key`, :mod:`.redaction`) and the synonyms table (:mod:`.columns`) are usable alone.
"""

from __future__ import annotations

from kil_analysis.ingest.spend import IngestResult, ingest_spend

__all__ = ["IngestResult", "ingest_spend"]
