"""Grants to organisations: 360Giving files and older council grant lists, as one table.

- `read_grants(paths) -> ReadResult` (`reader`): CSV, XLSX/XLS/ODS and 360Giving JSON, files or
  folders; every row kept or rejected with a reason, rows and pence accounted for per file.
- `parse_registration`, `registration_ids`, `numbers_from_org_ids` (`registration`): free-text
  registration numbers (``Charity 1057949``) and org ids (``GB-CHC-…``, ``GB-COH-…``,
  ``GB-SC-…``, ``GB-NIC-…``, ``GB-MPR-…``; ``360G-…`` ids are kept but imply no register number).
- Column recognition (`layout`): the 360Giving flattened titles and older layouts' synonyms.

Org ids published in the file are kept as they are. ``charity_number``/``company_number`` come
from the file's own columns, else from the org id, else from the free-text registration number;
``recipient_registration`` keeps that free text so ambiguous entries can be resolved by hand.
"""

from __future__ import annotations

from kil_analysis.readers.grants.reader import GRANT_COLUMNS, REJECT_COLUMNS, read_grants
from kil_analysis.readers.grants.registration import (
    numbers_from_org_ids,
    parse_registration,
    registration_ids,
)

__all__ = [
    "GRANT_COLUMNS",
    "REJECT_COLUMNS",
    "numbers_from_org_ids",
    "parse_registration",
    "read_grants",
    "registration_ids",
]
