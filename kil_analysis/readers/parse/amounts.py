"""Money as published, parsed into exact integer pence (no float drift in any total).

Councils write amounts as ``1234.5``, ``"1,496.00"``, ``" 507.50 "``, ``£1,200``, ``(250.00)``,
``250.00-`` and, after a round trip through Excel, ``-3.46945E-18``. Every value is parsed from its
text as an exact decimal and rounded half-up (ties away from zero, as ``decimal.ROUND_HALF_UP``) to
the penny. Floats are never involved, so sums of ``pence`` are exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Sign handled separately; exponent values and very long numbers go through Decimal (rare).
_PATTERN = (
    r"^(?P<lead>[-+]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:E(?P<exp>[-+]?\d{1,4}))?(?P<trail>-?)$"
)
_MAX_INT_DIGITS = 14  # integer part of at most 14 digits fits int64 as thousandths of a pound


def pence_to_decimal_string(total_pence: int) -> str:
    """Exact pounds-and-pence text for an integer number of pence: ``-123450`` → ``"-1234.50"``."""
    total = int(total_pence)
    sign = "-" if total < 0 else ""
    pounds, pence = divmod(abs(total), 100)
    return f"{sign}{pounds}.{pence:02d}"


def _decimal_to_pence(text: str) -> int | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.adjusted() > 15:
        return None
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _unique_texts(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Factorise to (codes, distinct values as an Arrow string array); NA gets code -1."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes, pc.cast(pa.array(uniques), pa.string())


def _spread(codes: np.ndarray, pence: np.ndarray, ok: np.ndarray, index: pd.Index) -> pd.DataFrame:
    valid = codes >= 0
    out_ok = np.zeros(len(codes), dtype=bool)
    out_pence = np.zeros(len(codes), dtype=np.int64)
    out_ok[valid] = ok[codes[valid]]
    out_pence[valid] = pence[codes[valid]]
    return pd.DataFrame(
        {"pence": pd.arrays.IntegerArray(out_pence, ~out_ok), "ok": out_ok}, index=index
    )


def parse_amounts(values: pd.Series) -> pd.DataFrame:
    """Parse published amounts (text) into exact pence.

    Returns a DataFrame on the same index with ``pence`` (Int64; NA when the value is empty or
    unparseable) and ``ok`` (bool). Accepts £/GBP signs, thousands separators, surrounding and
    inner spaces, a leading ``+``/``-``, parentheses or a trailing minus for negatives, and
    scientific notation. Rounding is half-up (away from zero) from the exact decimal value.
    Non-text values are converted with ``str()`` first (so floats read from Excel keep their
    shortest repr, e.g. ``0.1``). Runs on the distinct values with Arrow string kernels.
    """
    codes, u = _unique_texts(values)
    n = len(u)
    pence = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    if n == 0:
        return _spread(codes, pence, ok, values.index)
    s = pc.replace_substring_regex(pc.utf8_upper(u), r"£|GBP|\s|,", "")
    paren = pc.fill_null(pc.match_substring_regex(s, r"^\(.*\)$"), False)
    s = pc.replace_substring_regex(s, r"^\((.*)\)$", r"\1")
    parts = pc.extract_regex(s, _PATTERN)
    matched = pc.fill_null(pc.is_valid(parts), False).to_numpy(zero_copy_only=False)
    lead = pc.fill_null(pc.struct_field(parts, "lead"), "")
    int_part = pc.fill_null(pc.struct_field(parts, "int"), "")
    frac = pc.fill_null(pc.struct_field(parts, "frac"), "")
    exp = pc.fill_null(pc.struct_field(parts, "exp"), "")
    trail = pc.fill_null(pc.struct_field(parts, "trail"), "")
    int_len = pc.utf8_length(int_part).to_numpy(zero_copy_only=False)
    frac_len = pc.utf8_length(frac).to_numpy(zero_copy_only=False)
    has_exp = pc.utf8_length(exp).to_numpy(zero_copy_only=False) > 0
    negative_lead = pc.equal(lead, "-").to_numpy(zero_copy_only=False)
    negative_trail = pc.equal(trail, "-").to_numpy(zero_copy_only=False)
    signs = negative_lead.astype(int) + negative_trail.astype(int)
    matched &= ((int_len > 0) | (frac_len > 0)) & (signs <= 1)
    negative = (paren.to_numpy(zero_copy_only=False) ^ (signs == 1)) & matched
    simple = matched & ~has_exp & (int_len <= _MAX_INT_DIGITS)
    if simple.any():
        frac3 = pc.utf8_slice_codeunits(pc.utf8_rpad(frac, 3, "0"), 0, 3)
        digits = pc.binary_join_element_wise(int_part, frac3, "")
        digits = pc.filter(digits, pa.array(simple))
        thousandths = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
        pence[simple] = (thousandths + 5) // 10
        ok[simple] = True
    for i in np.flatnonzero(matched & ~simple):  # scientific notation / huge values: few, exact
        number = f"{int_part[i].as_py() or '0'}.{frac[i].as_py() or '0'}"
        if has_exp[i]:
            number += f"e{exp[i].as_py()}"
        result = _decimal_to_pence(number)
        if result is not None and abs(result) < 2**62:
            pence[i] = result
            ok[i] = True
    pence = np.where(negative, -pence, pence)
    return _spread(codes, pence, ok, values.index)
