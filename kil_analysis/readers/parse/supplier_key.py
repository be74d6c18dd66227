"""A normalised supplier name (``supplier_key``) that groups spellings of one organisation.

Rules, in order: upper-case; strip trailing payment references (``*4183``, ``(SP PMTS)``,
`` - REF 123``, ``REF: 123``); ``&``/``+`` → AND; apostrophes and full stops removed (``ST. JOHN'S``
→ ``ST JOHNS``); other punctuation → space; ``LIMITED`` → ``LTD``, ``PUBLIC LIMITED COMPANY`` and
``P L C`` → ``PLC``, ``L L P``/``LIMITED LIABILITY PARTNERSHIP`` → ``LLP``; a leading or trailing
``THE`` dropped; whitespace collapsed. Caveat: deliberately conservative — it never drops words
that distinguish organisations (places, saints, branch names), and it keeps the legal suffix
(``ACME`` and ``ACME LTD`` stay apart, since a sole trader and a company can share a name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import text_array

if TYPE_CHECKING:
    import pandas as pd

_REFERENCE = (
    r"\*\s*\d+"  # card payment reference: "AMAZON *4183"
    r"|\((?:SP\s*)?PMTS?\)"  # "(SP PMTS)", "(PMT)"
    r"|\(\s*REF[^)]*\)"  # "(REF 1234)"
    r"|\s-\s*REF\b\.?:?\s*[A-Z0-9/\-]*\d[A-Z0-9/\-]*"  # " - REF 123"
    r"|\sREF(?:ERENCE)?\s*(?:NO\.?)?\s*:\s*[A-Z0-9/\-]*\d[A-Z0-9/\-]*"  # " REF: 123"
)
_RULES: list[tuple[str, str]] = [
    (rf"(?:\s*(?:{_REFERENCE}))+\s*$", ""),  # every trailing reference, however many
    (r"[&+]", " AND "),
    ("['\u2019`.]", ""),
    (r"[^A-Z0-9 ]+", " "),
    (r"\s+", " "),
    (r"\bPUBLIC LIMITED COMPANY\b", "PLC"),
    (r"\bLIMITED LIABILITY PARTNERSHIP\b", "LLP"),
    (r"\bLIMITED\b", "LTD"),
    (r"\bP L C\b", "PLC"),
    (r"\bL L P\b", "LLP"),
    (r"\bL T D\b", "LTD"),
    (r"^\s*(?:THE )+", ""),
    (r"(?: THE)+\s*$", ""),
]


def supplier_key_array(names: pa.Array) -> pa.Array:
    """:func:`supplier_key` of every name of an Arrow text array (null stays null).

    The rules run once per distinct name, with Arrow string kernels.
    """
    encoded = pc.dictionary_encode(names)
    s = pc.utf8_trim_whitespace(pc.utf8_upper(encoded.dictionary))
    for pattern, replacement in _RULES:
        s = pc.replace_substring_regex(s, pattern, replacement)
    return pc.take(pc.utf8_trim_whitespace(s), encoded.indices)


def supplier_keys(names: pd.Series) -> pd.Series:
    """Vectorised :func:`supplier_key` over a Series (NA stays NA; blanks become ``""``).

    Works on the distinct names only, with Arrow string kernels, so it is cheap on a year of
    payments.
    """
    import pandas as pd

    array = text_array(names.astype("string"))
    keys = supplier_key_array(array).to_numpy(zero_copy_only=False)
    return pd.Series(keys, index=names.index, dtype="string")


def supplier_key(name: str) -> str:
    """The normalised key of one supplier name (see the module docstring for the rules)."""
    import pandas as pd

    return str(supplier_keys(pd.Series([name], dtype="string")).iat[0])
