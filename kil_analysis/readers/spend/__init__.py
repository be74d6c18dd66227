"""Readers for what councils publish: spend files into the canonical spend table.

Start with :func:`ingest_spend`; the value parsers (:mod:`.amounts`, :mod:`.dates`,
:mod:`.supplier_key`, :mod:`.redaction`, :mod:`.postcodes`) and the synonyms table
(:mod:`.columns`) are usable alone. Shared with the grants and contracts readers: finding and
decoding files (:mod:`.sources`), the result and report accounting (:mod:`.report`) and the
totals-row rule (:mod:`.totals_rows`).
"""

from __future__ import annotations

from kil_analysis.readers.accounting import ReadResult
from kil_analysis.readers.spend.reader import IngestResult, ingest_spend

__all__ = ["IngestResult", "ReadResult", "ingest_spend"]
