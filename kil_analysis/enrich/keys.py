"""Name keys used for matching suppliers to registers.

`name_keys` is the project's one supplier-key normalisation
(``kil_analysis.readers.parse.supplier_key``)
applied to any list of names. `match_keys` goes one step further for register matching only: it
removes the punctuation left in a key and drops legal-form words (LTD, LIMITED, PLC, LLP, CIC,
CIO, THE, ...) so that "Acme Ltd" and "ACME LIMITED" meet. Both are vectorised pandas string
operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from kil_analysis.readers.parse.redaction import is_redacted
from kil_analysis.readers.parse.supplier_key import supplier_keys

# Legal-form and filler words ignored when matching names to registers (not when classifying).
LEGAL_FORM_WORDS = (
    "THE",
    "LTD",
    "LIMITED",
    "PLC",
    "LLP",
    "LP",
    "CIC",
    "CIO",
    "CYF",
    "CYFYNGEDIG",
    "COMPANY",
    "CO",
    "INCORPORATED",
    "INC",
    "UK",
    "GROUP",
    "T/A",
    "TA",
)
_LEGAL_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in LEGAL_FORM_WORDS) + r")\b")
_PUNCT = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")


def _plain(names: pd.Series) -> pd.Series:
    """Upper case, ``&`` → AND, apostrophes dropped, other punctuation → space, LIMITED → LTD."""
    s = names.fillna("").astype(str).str.upper().str.replace("&", " AND ", regex=False)
    s = s.str.replace("'", "", regex=False).str.replace(_PUNCT, " ", regex=True)
    s = s.str.replace(r"\bLIMITED\b", "LTD", regex=True)
    return s.str.replace(_SPACES, " ", regex=True).str.strip()


def name_keys(names: Iterable[str] | pd.Series) -> pd.Series:
    """Supplier keys (the ingest stage's normalisation) for a series of names, index preserved."""
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    return supplier_keys(series.fillna("").astype(str)).fillna("").astype(str)


def match_keys(keys: pd.Series) -> pd.Series:
    """Register-matching keys: supplier keys with punctuation and legal-form words removed."""
    s = _plain(keys)
    s = s.str.replace(_LEGAL_RE, " ", regex=True).str.replace(_SPACES, " ", regex=True)
    s = s.str.strip()
    # A name made only of legal-form words (e.g. "THE COMPANY LTD") keeps its full key.
    full = _plain(keys)
    return s.where(s != "", full)


def redacted_mask(names: pd.Series) -> pd.Series:
    """True where a supplier name is a redaction marker (the ingest stage's rule)."""
    return is_redacted(names).fillna(False).astype(bool)
