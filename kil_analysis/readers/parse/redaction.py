"""Recognise supplier names that councils redacted (individuals, commercial confidentiality).

Matches ``REDACTED`` as a whole word anywhere (``Redacted Personal Data``, ``REDACTED UNDER DP
ACT``, ``REDACTED COMMERCIAL CONFIDENTIALITY``, ``Name redacted``); names that are only asterisks,
dashes, ``X``s or blank-like placeholders; ``Personal data``/``Personal information`` (optionally
followed by redacted/withheld/removed); and ``Withheld`` variants (``Data withheld``, ``Name
withheld``, ``Withheld - personal data``); and a name left blank or reading ``(blank)`` — how
councils publish a payment whose payee they withheld (and how Excel shows an empty cell in a
pivot table). Caveat: deliberately strict — ``REDACTIVE EVENTS LTD``
and ``PEE WEES PERSONAL HOMECARE LTD`` are suppliers, not redactions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import text_array

if TYPE_CHECKING:
    import pandas as pd

_REDACTED = (
    r"\bREDACTED\b"
    r"|^\s*(?:\*{2,}|X{3,}|-{3,}|#{3,})\s*$"
    r"|^\s*(?:REDACTED\s+)?PERSONAL\s+(?:DATA|INFORMATION|DETAILS)"
    r"(?:\s+(?:REDACTED|WITHHELD|REMOVED|EXEMPT))?\s*$"
    r"|^\s*(?:(?:NAME|DATA|DETAILS|SUPPLIER|SUPPLIER NAME)\s+)?WITHHELD\b"
    r"|\bWITHHELD\s*$"
    r"|^\s*(?:NAME\s+)?(?:REMOVED|SUPPRESSED)\s*(?:-|\(|$)"
    r"|^\s*(?:\(\s*BLANK\s*\))?\s*$"
)


def redacted_flags(names: pa.Array) -> np.ndarray:
    """True where a name of an Arrow text array is a redaction placeholder (null → False)."""
    encoded = pc.dictionary_encode(names)
    text = pc.utf8_upper(encoded.dictionary)
    flags = pc.fill_null(pc.match_substring_regex(text, _REDACTED), False)
    per_name = np.asarray(flags.to_numpy(zero_copy_only=False), dtype=bool)
    indices = encoded.indices
    codes = np.asarray(pc.fill_null(indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    out = np.zeros(len(codes), dtype=bool)
    valid = codes >= 0
    out[valid] = per_name[codes[valid]]
    return out


def is_redacted(names: pd.Series) -> pd.Series:
    """True where the supplier name is a redaction placeholder (bool Series, NA → False)."""
    import pandas as pd

    array = text_array(names.astype("string"))
    return pd.Series(redacted_flags(array), index=names.index, dtype=bool)
