"""Money as published, parsed into exact integer pence (no float drift in any total).

Councils write amounts as ``1234.5``, ``"1,496.00"``, ``" 507.50 "``, ``£ 3,750.00``, ``-£10.50``,
``(250.00)``, ``250.00-``, ``250.00 CR`` and, after a round trip through Excel,
``-3.46945E-18`` or ``896.3999999999999``. Every value is read from its text as an exact decimal
and rounded half-up (ties away from zero, as ``decimal.ROUND_HALF_UP``) to the penny for the
table; the exact published value is kept for the published sum (`ParsedAmounts.exact_sum`), so
the rounding can be shown as its own line. Floats are never involved.

Separators are checked, never guessed row by row:

- A column is read with a **decimal comma** (``1.234,56``, ``12,50``) only when some of its
  values can only be decimal-comma numbers and none can only be decimal-point numbers
  (`decimal_comma_evidence`); the caller may pin the choice.
- Otherwise a comma must be a thousands separator in the right places (``1,234.56``); a value
  such as ``12,50`` or ``1,2345`` is not read (it would silently be £1,250 or £12,345).

Signs: a leading or trailing ``-`` (also the Unicode minus and dashes), parentheses, or a
trailing ``CR`` make a value negative (``DR`` is a debit: positive); brackets with a minus or
``CR`` as well, a minus with ``CR`` (``-5.00 CR``) or a minus at both ends are still a credit:
the marks repeat, never cancel — a finance system that prints ``CR`` puts it beside the
amount's own sign when an export joins the two (Oracle's and Civica's signed amount with their
Dr/Cr flag), and no ledger has a credit of a credit that is a payment. Currency marks ``£``,
``GBP``, the mojibake ``Â£`` and a lost ``£`` (U+FFFD) are ignored, as are spaces of any
Unicode space class (non-breaking, thin U+2009, narrow no-break U+202F, figure U+2007) before,
after or between a number's parts: between digits a space groups thousands (``1 234,56``,
``3 750.00``; the decimal separator then decided by the comma evidence above) and must stand
between groups of three, so ``12 50`` or ``1234 567`` is not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import TEXT, bools, text_array

if TYPE_CHECKING:
    import pandas as pd

# Larger than any single payment a council makes (annual budgets are a few £bn): a longer
# number is a corrupted cell (an overflowed export, a code in the amount column).
MAX_PLAUSIBLE_PENCE = 10**12  # £10,000,000,000
# Spaces of every Unicode class (\p{Zs}: the non-breaking, thin, narrow no-break and figure
# spaces word processors and European locales group thousands with) and the BOM.
_SPACE = r"[\s\p{Zs}\x{FEFF}]"
_NOISE = r"Â?£|GBP|\x{FFFD}|" + _SPACE
# A space between digits that does not group thousands (``12 50``, ``1234 567``): not read.
_BAD_SPACE_GROUP = r"\d{4,}" + _SPACE + r"+\d|\d" + _SPACE + r"+(?:\d{1,2}|\d{4,})(?:\D|$)"
_DASHES = r"[\x{2212}\x{2013}\x{2014}\x{2012}]"
# After noise removal: sign, digits (separators checked apart), decimals, exponent, trailing sign.
_PATTERN = (
    r"^(?P<lead>[-+]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:E(?P<exp>[-+]?\d{1,2}))?"
    r"(?P<trail>-?)$"
)
_POINT_GROUPS = r"^[-+(]*\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:E[-+]?\d+)?[)\-]*$"
_COMMA_GROUPS = r"^[-+(]*\d{1,3}(?:\.\d{3})+(?:,\d*)?[)\-]*$"
_ONLY_DECIMAL_COMMA = r"^[-+(]*(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2})[)\-]*$"
_ONLY_DECIMAL_POINT = r"^[-+(]*(?:\d{1,3}(?:,\d{3})+\.\d+|\d*\.\d{1,2}|\d+\.\d{4,})[)\-]*$"
# All a normalised amount can hold (see `_read_general`), and all a published one can: those,
# lower case, the currency marks, spaces and dashes `_normalised` removes or turns into "-",
# and the letters of a trailing CR or DR. A value with any other character is never money.
_NUMBER_CHARACTERS = r"^[0-9+\-.,()E]*$"
_AMOUNT_CHARACTERS = (
    r"^[0-9+\-.,()EeCcRrDdGgBbPp£Ââ\s\p{Zs}\x{FEFF}\x{FFFD}"
    r"\x{2212}\x{2013}\x{2014}\x{2012}]*$"
)
_MAX_INT_DIGITS = 14  # an integer part of 14 digits fits int64 as thousandths of a pound
# Exponents have at most two digits (``E-18``), so every value has fewer than 120 significant
# digits around the point and sums are exact in this context (the default keeps only 28).
EXACT = Context(prec=400, rounding=ROUND_HALF_UP)


def pence_to_decimal_string(total_pence: int) -> str:
    """Exact pounds-and-pence text for an integer number of pence: ``-123450`` → ``"-1234.50"``."""
    total = int(total_pence)
    sign = "-" if total < 0 else ""
    pounds, pence = divmod(abs(total), 100)
    return f"{sign}{pounds}.{pence:02d}"


def decimal_to_string(value: Decimal | str | int) -> str:
    """Exact pounds as text, at least two decimals, no exponent.

    ``1.5`` → ``"1.50"``, ``1.2345`` → ``"1.2345"``, ``0E-20`` → ``"0.00"``.
    """
    with localcontext(EXACT):
        value = Decimal(value)
        if value == 0:
            return "0.00"
        short = value.normalize()
        if short.as_tuple().exponent >= -2:  # type: ignore[operator]
            return f"{value.quantize(Decimal('0.01')):f}"
        return f"{short:f}"


def _decimal_to_pence(value: Decimal) -> int:
    with localcontext(EXACT):
        return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mask(array: pa.Array) -> np.ndarray:
    return bools(array)  # null: False (no fill_null call where there is nothing to fill)


def _normalised(uniques: pa.Array) -> pa.Array:
    """Upper case, noise removed, dashes as ``-``, ``CR``/``DR`` as a trailing sign."""
    s = pc.replace_substring_regex(pc.utf8_upper(uniques), _NOISE, "")
    s = pc.replace_substring_regex(s, _DASHES, "-")
    s = pc.replace_substring_regex(s, r"^(.*\d\)?)CR$", r"\1-")
    return pc.replace_substring_regex(s, r"^(.*\d\)?)DR$", r"\1")


def separator_evidence(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value: (readable only with a decimal comma, only with a decimal point, has a comma)."""
    s = _normalised(values)
    return (
        _mask(pc.match_substring_regex(s, _ONLY_DECIMAL_COMMA)),
        _mask(pc.match_substring_regex(s, _ONLY_DECIMAL_POINT)),
        _mask(pc.match_substring(s, ",")),
    )


def comma_decided(only_comma: int, only_point: int, with_comma: int) -> bool:
    """Decimal comma when some values can only be read that way.

    And none can only be read with a decimal point, and they are at least half of the values holding
    a comma (so one mistyped ``12,50`` among ``1,500``s does not turn the column round).
    """
    return only_comma > 0 and only_point == 0 and only_comma * 2 >= with_comma


def _comma_decided(values: pa.Array) -> bool:
    only_comma, only_point, has_comma = separator_evidence(values)
    return comma_decided(int(only_comma.sum()), int(only_point.sum()), int(has_comma.sum()))


def decimal_comma_evidence(values: pd.Series) -> bool:
    """True when a column's amounts are written with a decimal comma (``1.234,56``).

    Some values must be readable only that way (``12,50``, ``1.234,56``), none only with a
    decimal point (``12.50``, ``1,234.56``); ``1,234`` and ``1.234`` prove nothing.
    """
    import pandas as pd

    uniques = pa.array(pd.unique(values.dropna().astype(str)), type=TEXT)
    return bool(len(uniques)) and _comma_decided(uniques)


@dataclass
class ParsedAmounts:
    """Amounts of one column, parsed once per distinct value.

    ``codes`` maps each row to its distinct value (-1 for a missing cell). Per distinct value:
    ``unique_pence`` (rounded half-up; 0 when not ok), ``unique_ok``, ``unique_text`` (the
    normalised text the exact value is read from) and ``unique_sign`` (-1 or 1). Use `pence`,
    `ok` and `implausible` for rows, `exact_sum` for the exact published sum of some rows.
    """

    codes: np.ndarray
    unique_pence: np.ndarray
    unique_ok: np.ndarray
    unique_exact_thousandths: np.ndarray  # exact value in thousandths, where it has <= 3 decimals
    unique_has_exact: np.ndarray
    unique_text: list[str]
    unique_sign: np.ndarray
    decimal_comma: bool
    index: pd.Index | None  # the input Series' index (None for an Arrow array)

    def _rows(self, per_unique: np.ndarray, fill: object) -> np.ndarray:
        out = np.full(len(self.codes), fill, dtype=per_unique.dtype)
        valid = self.codes >= 0
        out[valid] = per_unique[self.codes[valid]]
        return out

    @property
    def ok(self) -> np.ndarray:
        """True where the row's amount was read (bool array aligned with the rows)."""
        return self._rows(self.unique_ok, False)

    @property
    def pence(self) -> np.ndarray:
        """Each row's amount in integer pence (int64; 0 where not ok)."""
        return self._rows(self.unique_pence, 0)

    @property
    def implausible(self) -> np.ndarray:
        """Rows read as an amount larger than `MAX_PLAUSIBLE_PENCE` (not a single payment)."""
        return self._rows(self.unique_ok & (np.abs(self.unique_pence) > MAX_PLAUSIBLE_PENCE), False)

    def exact_value(self, unique: int) -> Decimal:
        """The exact published value (pounds) of one distinct value."""
        with localcontext(EXACT):
            if self.unique_has_exact[unique]:
                return Decimal(int(self.unique_exact_thousandths[unique])).scaleb(-3)
            return Decimal(self.unique_text[unique]) * int(self.unique_sign[unique])

    def exact_sum(self, rows: np.ndarray) -> Decimal:
        """Exact sum (pounds, Decimal) of the published amounts of the rows where ``rows`` is True.

        Rows whose amount was not read count nothing. Computed over the distinct values with
        Python integers, so no total can overflow.
        """
        chosen = self.codes[np.asarray(rows, dtype=bool) & (self.codes >= 0)]
        if len(chosen) == 0:
            return Decimal("0.00")
        counts = np.bincount(chosen, minlength=len(self.unique_ok))
        used = np.flatnonzero((counts > 0) & self.unique_ok)
        exact = used[self.unique_has_exact[used]]
        values = self.unique_exact_thousandths[exact]
        weights = counts[exact]
        bound = int(np.abs(values).max(initial=0)) * int(weights.sum())
        if bound < 2**62:  # int64 cannot overflow: let numpy add
            milli = int(np.dot(values, weights))
        else:
            milli = sum(int(v) * int(w) for v, w in zip(values, weights, strict=True))
        with localcontext(EXACT):
            total = Decimal(milli).scaleb(-3)
            for i in used[~self.unique_has_exact[used]]:
                total += self.exact_value(int(i)) * int(counts[i])
        return total

    def frame(self) -> pd.DataFrame:
        """``pence`` (Int64, NA where not read) and ``ok`` on the input index (imports pandas)."""
        import pandas as pd

        ok = self.ok
        return pd.DataFrame(
            {"pence": pd.arrays.IntegerArray(self.pence, ~ok), "ok": ok}, index=self.index
        )


def _plain_thousandths(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plain numbers (``-1570.8``: a sign, digits, a point) read without a regular expression.

    Returns per value (simple, negative, thousandths of a pound): simple where the value has
    digits, at most three decimals and at most `_MAX_INT_DIGITS` integer digits (the others
    are left to the general reading).
    """
    negative = _mask(pc.starts_with(values, "-"))
    body = pc.replace_substring(values, "-", "", max_replacements=1)
    length = np.asarray(pc.utf8_length(body).to_numpy(zero_copy_only=False), dtype=np.int64)
    dot = np.asarray(pc.find_substring(body, ".").to_numpy(zero_copy_only=False), dtype=np.int64)
    int_len = np.where(dot < 0, length, dot)
    frac_len = np.where(dot < 0, 0, length - dot - 1)
    simple = ((int_len > 0) | (frac_len > 0)) & (int_len <= _MAX_INT_DIGITS) & (frac_len <= 3)
    thousandths = np.zeros(len(values), dtype=np.int64)
    if simple.any():
        digits = pc.filter(pc.replace_substring(body, ".", ""), pa.array(simple))
        number = np.asarray(pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False))
        thousandths[simple] = number * 10 ** (3 - frac_len[simple])
    return simple, negative, thousandths


def read_amounts(
    values: pd.Series | pa.Array, *, decimal_comma: bool | None = None
) -> ParsedAmounts:
    """Parse published amounts (text) once per distinct value; see the module docstring.

    ``values``: a pandas Series, or an Arrow string array (what the spend reader passes: no
    pandas needed). ``decimal_comma``: None decides from the column's values
    (`decimal_comma_evidence`). Non-text values in a Series are converted with ``str()`` first
    (floats read from Excel keep their shortest repr, e.g. ``0.1``). Values of more than 16
    integer digits are not read.
    """
    if isinstance(values, pa.Array | pa.ChunkedArray):
        array, index = text_array(values), None
    else:
        from kil_analysis.readers.arrow_text import string_dtype

        array, index = text_array(values.astype(string_dtype())), values.index
    encoded = pc.dictionary_encode(array)
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
    uniques = encoded.dictionary
    n = len(uniques)
    pence = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    milli = np.zeros(n, dtype=np.int64)
    has_exact = np.zeros(n, dtype=bool)
    sign = np.ones(n, dtype=np.int64)
    texts: list[str] = [""] * n
    comma = False
    if n:
        # Most values are plain numbers (1570.8, -250): only the others need cleaning.
        plain = _mask(pc.match_substring_regex(uniques, r"^-?[0-9]*\.?[0-9]*$"))
        s = uniques
        general = plain.copy()  # the values worth reading; the others stay not ok
        any_comma = False
        if not plain.all():
            # Only values made of what an amount can hold are cleaned (dates, codes with
            # letters cannot be money); of those, only the ones left with nothing but a
            # number's characters are read.
            rest = ~plain & _mask(pc.match_substring_regex(uniques, _AMOUNT_CHARACTERS))
            if rest.any():
                cleaned = _normalised(pc.filter(uniques, pa.array(rest)))
                s = pc.replace_with_mask(uniques, pa.array(rest), cleaned)
                general[rest] = _mask(
                    pc.match_substring_regex(cleaned, _NUMBER_CHARACTERS)
                ) & ~_mask(
                    pc.match_substring_regex(pc.filter(uniques, pa.array(rest)), _BAD_SPACE_GROUP)
                )
                any_comma = bool(_mask(pc.match_substring(cleaned, ",")).any())
        if decimal_comma is None:
            comma = any_comma and _comma_decided(uniques)
        else:
            comma = decimal_comma
        if not comma and plain.any():  # with a decimal comma a point means thousands
            where = np.flatnonzero(plain)
            simple, negative, thousandths = _plain_thousandths(pc.filter(uniques, pa.array(plain)))
            done = where[simple]
            quick = np.where(negative[simple], -1, 1).astype(np.int64)
            magnitude = thousandths[simple]
            pence[done] = quick * ((magnitude + 5) // 10)
            milli[done] = quick * magnitude
            ok[done] = has_exact[done] = True
            sign[done] = quick
            general[done] = False
        if general.any():
            part = _read_general(pc.filter(s, pa.array(general)), comma, any_comma)
            slots = np.flatnonzero(general)
            pence[slots], ok[slots], milli[slots] = part.pence, part.ok, part.milli
            has_exact[slots], sign[slots] = part.has_exact, part.sign
            for j, text in part.texts.items():
                texts[int(slots[j])] = text
    return ParsedAmounts(
        codes=np.asarray(codes, dtype=np.int64),
        unique_pence=pence,
        unique_ok=ok,
        unique_exact_thousandths=milli,
        unique_has_exact=has_exact & ok,
        unique_text=texts,
        unique_sign=sign,
        decimal_comma=comma,
        index=index,
    )


@dataclass
class _General:
    """Per value of `_read_general`: pence, ok, exact thousandths, whether exact, sign, texts."""

    pence: np.ndarray
    ok: np.ndarray
    milli: np.ndarray
    has_exact: np.ndarray
    sign: np.ndarray
    texts: dict[int, str]


def _read_general(s: pa.Array, comma: bool, any_comma: bool) -> _General:
    """Read normalised amount texts of any shape (separators, parentheses, exponents, signs)."""
    n = len(s)
    pence = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    milli = np.zeros(n, dtype=np.int64)
    has_exact = np.zeros(n, dtype=bool)
    texts: dict[int, str] = {}
    if comma:  # 1.234,56 → 1234.56; a point must then be a thousands separator
        grouped = _mask(pc.match_substring_regex(s, _COMMA_GROUPS))
        has_point = _mask(pc.match_substring(s, "."))
        valid_separators = grouped | ~has_point
        s = pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")
    elif any_comma:
        grouped = _mask(pc.match_substring_regex(s, _POINT_GROUPS))
        has_comma = _mask(pc.match_substring(s, ","))
        valid_separators = grouped | ~has_comma
        s = pc.replace_substring(s, ",", "")
    else:
        valid_separators = np.ones(n, dtype=bool)
    paren = _mask(pc.match_substring_regex(s, r"^\(.*\)-?$"))
    if paren.any():
        s = pc.replace_substring_regex(s, r"^\((.*)\)(-?)$", r"\1\2")
    parts = pc.extract_regex(s, _PATTERN)
    matched = _mask(pc.is_valid(parts)) & valid_separators
    field = {k: pc.fill_null(pc.struct_field(parts, k), "") for k in _FIELDS}
    int_len = pc.utf8_length(field["int"]).to_numpy(zero_copy_only=False)
    frac_len = pc.utf8_length(field["frac"]).to_numpy(zero_copy_only=False)
    has_exp = pc.utf8_length(field["exp"]).to_numpy(zero_copy_only=False) > 0
    signs = _mask(pc.equal(field["lead"], "-")).astype(int) + _mask(
        pc.equal(field["trail"], "-")
    ).astype(int)
    matched &= (int_len > 0) | (frac_len > 0)
    # Brackets, a minus and a CR on one value mark the same credit twice, never cancel out:
    # ``(1,234.56) CR``, ``(5.00)-`` and ``-5.00 CR`` are credits (no ledger writes a credit of
    # a credit; an export joins the signed amount with the system's CR flag).
    negative = (paren | (signs >= 1)) & matched
    sign = np.where(negative, -1, 1).astype(np.int64)
    simple = matched & ~has_exp & (int_len <= _MAX_INT_DIGITS)
    if simple.any():
        frac3 = pc.utf8_slice_codeunits(pc.utf8_rpad(field["frac"], 3, "0"), 0, 3)
        digits = pc.filter(
            pc.binary_join_element_wise(field["int"], frac3, pa.scalar("", TEXT)), simple
        )
        thousandths = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
        pence[simple] = (thousandths + 5) // 10
        ok[simple] = True
        exact = simple & (frac_len <= 3)
        milli[simple] = thousandths
        has_exact = exact.copy()
    for i in np.flatnonzero(matched & ~(simple & (frac_len <= 3))):
        number = f"{field['int'][i].as_py() or '0'}.{field['frac'][i].as_py() or '0'}"
        if has_exp[i]:
            number += f"E{field['exp'][i].as_py()}"
        try:
            value = Decimal(number)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            continue
        if not value.is_finite() or value.adjusted() > 15:
            ok[i] = False
            continue
        texts[int(i)] = number
        pence[i] = _decimal_to_pence(value)
        ok[i] = True
    pence = np.where(negative, -pence, pence)
    milli = np.where(negative, -milli, milli)
    pence[~ok] = 0
    return _General(pence, ok, milli, has_exact, sign, texts)


_FIELDS = ("lead", "int", "frac", "exp", "trail")


def parse_amounts(values: pd.Series, *, decimal_comma: bool | None = None) -> pd.DataFrame:
    """Parse published amounts (text) into exact pence.

    Returns a DataFrame on the same index with ``pence`` (Int64; NA when the value is empty or
    unparseable) and ``ok`` (bool). See the module docstring for what is accepted; use
    `read_amounts` for the exact published sum as well. Rounding is half-up (away from zero)
    from the exact decimal value.
    """
    return read_amounts(values, decimal_comma=decimal_comma).frame()


def debit_less_credit(debit: pa.Array, credit: pa.Array) -> pa.Array:
    """One amount text per line of a ledger that publishes ``Debit`` and ``Credit`` columns.

    Each line's amount is its debit when the credit is blank or zero, and its credit as a
    negative amount (``-`` put before it) when the debit is blank or zero; a line with both a
    non-zero debit and a non-zero credit gets both (``123.45 / 10.00``), which is no amount, so
    the line is rejected with both shown rather than netted by a guess. Blank where both are
    blank. Text in, text out (the amounts are then read like any amount column).
    """
    d = pc.utf8_trim_whitespace(text_array(debit))
    c = pc.utf8_trim_whitespace(text_array(credit))

    def filled(a: pa.Array) -> np.ndarray:
        return _mask(pc.fill_null(pc.greater(pc.utf8_length(a), 0), False))

    def zero(a: pa.Array) -> np.ndarray:
        read = read_amounts(a)
        return read.ok & (read.pence == 0)

    d_filled, c_filled = filled(d), filled(c)
    use_debit = d_filled & (~c_filled | zero(c))
    use_credit = ~use_debit & c_filled & (~d_filled | zero(d))
    both = ~use_debit & ~use_credit & d_filled & c_filled
    negated = pc.binary_join_element_wise(pa.scalar("-", TEXT), c, pa.scalar("", TEXT))
    joined = pc.binary_join_element_wise(d, c, pa.scalar(" / ", TEXT))
    out = pc.if_else(pa.array(both), joined, pa.scalar("", TEXT))
    out = pc.if_else(pa.array(use_credit), negated, out)
    return pc.if_else(pa.array(use_debit), d, out)
