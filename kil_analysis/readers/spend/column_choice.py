"""Which column holds which field, from the header's words and the column's values together.

Headers alone fail on real files: Gateshead publishes supplier *names* under ``Supplier ID(T)``
and its payment date under ``Updated``; other councils publish ``Nstrg(T)`` or no usable name at
all. So every column is scored twice — on its header (`kil_analysis.readers.spend.columns`) and on a
sample of its values (:class:`ColumnProfile`: the share that parse as money, as dates, as an
accounting period, that carry letters, how many distinct values) — and each field takes the
column with the best combined evidence, ``2 × header score + value score``:

- The three essential fields (payment date, supplier, amount) are chosen first. A header that
  is a known name for the field (score ≥ 0.9) is taken even when its values do not fit — the
  rows are then rejected one by one with their reason, rather than the file refused — unless
  another column's evidence is stronger. A header that only suggests the field needs values
  that fit: at least half the sampled values parse as dates / as money / carry letters. A
  column whose header does not name the field at all can still be chosen when its values fit
  almost perfectly (≥ 90%), with low confidence.
- An amount column must not look like a code: integers of one length (``300001072``) or
  accounting periods (``201904``) are references, not money.
- A supplier column holds names: letters in most values and many distinct values (a dozen
  repeated labels is a directorate, not a supplier).
- Other fields need a header that names them (score ≥ 0.5) and take what is left over.

Each choice is reported with a confidence (``pinned`` by a council config, ``high``, ``medium``
or ``low``) and a one-line reason, so a researcher can see why ``Updated`` became the payment
date. A council config's column overrides still pin a column (`header_scores`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis.readers.arrow_text import bools, is_frame, string_dtype, text_array
from kil_analysis.readers.parse.amounts import comma_decided, read_amounts, separator_evidence
from kil_analysis.readers.parse.dates import parse_distinct_dates
from kil_analysis.readers.spend.columns import (
    _RANK,
    CREDIT,
    ESSENTIAL,
    IGNORED,
    PERIOD,
    SYNONYMS,
    header_key,
    header_scores,
    header_words,
)

if TYPE_CHECKING:
    import pandas as pd

SAMPLE_ROWS = 250
_PERIOD = r"^(?:19|20)\d\d(?:0[1-9]|1[0-6])(?:\.0+)?$|^(?:19|20)\d\d[-/ ]?P?(?:0?[1-9]|1[0-6])$"
_POSTCODE = r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$"
_FRACTIONAL = r"[.,]\d{1,3}\s*\)?$|^\s*[-(]|-$"  # pence, or a sign: money, not a count
_LETTER = r"[A-Za-z]"
# Dates trusted only where the header says date: Excel day numbers, compact yyyymmdd.
_SERIAL = r"^(?:\d{5}(?:\.\d+)?|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\.0+)?)$"
# What a date can look like before it is parsed: d/m/y in any order and separator, a day and a
# month name, a word (a weekday or a month) before a day number, or one of the numbers above
# (amounts such as 1570.8 are not worth parsing as dates).
_DATE_SHAPE = (
    r"^\s*(?:\d{1,4}[-/. ]\d{1,2}[-/. ]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?[- /]?[A-Za-z]{3}"
    r"|[A-Za-z]{3,9}\.?,?[ \-]\d|(?:\d{5}(?:\.\d+)?|\d{8}(?:\.0+)?)\s*$)"
)
_LABELS = {**ESSENTIAL, PERIOD: "accounting period"}
_FINER_WINS = {"service_area", "expense_type"}


@dataclass(frozen=True)
class ColumnProfile:
    """What a sample of one column's values looks like (shares are of the filled values)."""

    filled: int
    money: float
    fractional: float  # values with pence, or negative: amounts rather than counts or codes
    code_like: bool  # integers all of one length (five digits or more): references, not money
    dates: float
    serial_dates: float  # with Excel day numbers and yyyymmdd (trusted when the header says date)
    period: float
    letters: float
    distinct: int
    postcode: float

    @property
    def empty(self) -> bool:
        return self.filled == 0


def _spread(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Values computed for the True positions of ``where``, spread back (False elsewhere)."""
    out = np.zeros(len(where), dtype=bool)
    out[where] = values
    return out


def _features(uniques: pa.Array) -> dict[str, np.ndarray]:
    """Per distinct value: what it looks like (money, dates, codes, letters, postcode).

    Every feature but letters needs a digit, so those are examined on the values with one.
    """

    def matches(pattern: str, source: pa.Array) -> np.ndarray:
        return bools(pc.match_substring_regex(source, pattern))

    n = len(uniques)
    numeric = matches(r"\d", uniques)
    out = {key: np.zeros(n, dtype=bool) for key in _NUMERIC_FEATURES}
    out["letters"] = matches(_LETTER, uniques)
    out["length"] = np.asarray(pc.utf8_length(uniques).to_numpy(zero_copy_only=False), np.int64)
    if not numeric.any():
        return out
    digits = pc.filter(uniques, pa.array(numeric))

    def put(key: str, values: np.ndarray) -> None:
        out[key] = _spread(values, numeric)

    if bools(pc.match_substring(digits, ",")).any():  # separators only matter with a comma
        for key, values in zip(
            ("only_comma", "only_point", "has_comma"), separator_evidence(digits), strict=True
        ):
            put(key, values)
    put("money_point", read_amounts(digits, decimal_comma=False).ok)
    if out["only_comma"].any():  # only then can a column be read with decimal commas
        put("money_comma", read_amounts(digits, decimal_comma=True).ok)
    lengths = out["length"][numeric]
    date_like = matches(_DATE_SHAPE, digits) & (lengths <= 40)
    dates = np.zeros(len(digits), dtype=bool)
    if date_like.any():
        shaped = pc.filter(digits, pa.array(date_like)).to_pylist()  # distinct already
        parsed = parse_distinct_dates(shaped, np.arange(len(shaped)))
        dates[date_like] = ~np.isnat(parsed.values)
    put("dates", dates)
    put("fractional", matches(_FRACTIONAL, digits))
    put("digits", matches(r"^\d+$", digits))
    put("serial", matches(_SERIAL, digits))
    put("period", matches(_PERIOD, digits))
    put("postcode", matches("(?i)" + _POSTCODE, digits))
    return out


_NUMERIC_FEATURES = (
    "money_point", "money_comma", "only_comma", "only_point", "has_comma", "fractional",
    "digits", "serial", "dates", "period", "postcode",
)  # fmt: skip


_EMPTY = ColumnProfile(0, 0.0, 0.0, False, 0.0, 0.0, 0.0, 0.0, 0, 0.0)


class _PerColumn:
    """Counts per column of a pooled sample, all columns at once (`profile_columns`).

    ``column[i]`` and ``code[i]`` are the column and the distinct value of the i-th filled
    cell. `rows` counts the cells per column where a per-value feature holds; `distinct`
    counts each column's distinct values where it holds; ``count``, ``shortest`` and
    ``longest`` are each column's number of distinct values and their shortest and longest
    length (0 for a column with none).
    """

    def __init__(
        self, column: np.ndarray, code: np.ndarray, length: np.ndarray, width: int
    ) -> None:
        """``length``: each distinct value's length (for ``shortest`` and ``longest``)."""
        self._column, self._code, self._width = column, code, width
        values = len(length)
        pairs = np.unique(column * values + code)  # each column's distinct values, sorted
        self._owner, self._value = pairs // values, pairs % values
        self.count = np.bincount(self._owner, minlength=width)
        own = length[self._value]
        self.shortest = np.full(width, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(self.shortest, self._owner, own)
        self.shortest[self.count == 0] = 0
        self.longest = np.zeros(width, dtype=np.int64)
        np.maximum.at(self.longest, self._owner, own)

    def rows(self, feature: np.ndarray) -> np.ndarray:
        """Per column, how many of its filled cells have the feature (int64)."""
        return np.bincount(self._column, weights=feature[self._code], minlength=self._width).astype(
            np.int64
        )

    def distinct(self, feature: np.ndarray) -> np.ndarray:
        """Per column, how many of its distinct values have the feature (int64)."""
        return np.bincount(self._owner, weights=feature[self._value], minlength=self._width).astype(
            np.int64
        )


def profile_columns(sample: pd.DataFrame | Mapping[int, pa.Array]) -> dict[int, ColumnProfile]:
    """Profile every column of a sample of text rows at once (blank cells ignored).

    All columns' values are pooled and each distinct value is examined once (a sample of 1,000
    rows holds a few dozen distinct dates or directorates), then the shares are counted per
    column, weighted by how often each value occurs there.
    """
    if is_frame(sample):
        sample = {c: text_array(sample[c].astype(string_dtype())) for c in sample.columns}
    positions = list(sample)
    pieces = [sample[c] for c in positions]
    rows = len(pieces[0]) if pieces else 0
    if not pieces or not rows:
        return {pos: _EMPTY for pos in positions}
    stacked = pc.utf8_trim_whitespace(pa.concat_arrays(pieces))
    column = np.repeat(np.arange(len(positions)), rows)
    filled = bools(pc.greater(pc.utf8_length(stacked), 0))
    encoded = pc.dictionary_encode(pc.filter(stacked, pa.array(filled)))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    column = column[filled]
    if not len(codes):
        return {pos: _EMPTY for pos in positions}
    f = _features(encoded.dictionary)
    counts = np.bincount(column, minlength=len(positions))
    per = _PerColumn(column, codes, f["length"], len(positions))
    out: dict[int, ColumnProfile] = {}
    comma = [
        comma_decided(int(only_comma), int(only_point), int(has_comma))
        for only_comma, only_point, has_comma in zip(
            per.distinct(f["only_comma"]),
            per.distinct(f["only_point"]),
            per.distinct(f["has_comma"]),
            strict=True,
        )
    ]
    money = {False: f["money_point"], True: f["money_comma"]}
    code_like = (per.distinct(f["digits"]) == per.count) & (per.shortest >= 5)
    code_like &= per.shortest == per.longest
    found = {
        key: per.rows(feature)
        for key, feature in {
            "money_point": money[False],
            "money_comma": money[True],
            "fractional_point": f["fractional"] & money[False],
            "fractional_comma": f["fractional"] & money[True],
            "dates": f["dates"] & ~f["serial"],
            "serial_dates": f["dates"],
            "period": f["period"],
            "letters": f["letters"],
            "postcode": f["postcode"],
        }.items()
    }
    for k, pos in enumerate(positions):
        n = int(counts[k])
        if n == 0:
            out[pos] = _EMPTY
            continue
        kind = "comma" if comma[k] else "point"

        def share(key: str, n: int = n, k: int = k) -> float:
            return float(found[key][k] / n)

        out[pos] = ColumnProfile(
            filled=n,
            money=share(f"money_{kind}"),
            fractional=share(f"fractional_{kind}"),
            code_like=bool(code_like[k]),
            dates=share("dates"),
            serial_dates=share("serial_dates"),
            period=share("period"),
            letters=share("letters"),
            distinct=int(per.count[k]),
            postcode=share("postcode"),
        )
    return out


def profile_column(values: pd.Series) -> ColumnProfile:
    """Profile one column's sampled text values (blank cells ignored); see `profile_columns`."""
    return profile_columns({0: text_array(values.astype(string_dtype()))})[0]


def value_score(field: str, p: ColumnProfile, header: float) -> float:
    """How well a column's values fit a field, 0–1 (1 for an empty column: no evidence against)."""
    if p.empty:
        return 1.0
    if field in ("amount", CREDIT):
        if p.code_like or p.period >= 0.9 or p.dates >= 0.9:
            return 0.0
        return p.money * (1.0 if p.fractional >= 0.02 else 0.7)
    if field == "payment_date":
        return p.serial_dates if header >= 0.3 else p.dates
    if field == PERIOD:
        return p.period
    if field == "supplier_name":
        varied = p.distinct >= min(12, max(1, p.filled // 20))
        return p.letters * (1.0 if varied else 0.3) * (1.0 - 0.9 * max(p.dates, p.money))
    if field in ("service_area", "expense_type", "cap_rev"):
        return p.letters
    if field == "postcode":
        return p.postcode
    return 1.0  # references and ids: any value will do


@dataclass(frozen=True)
class ColumnChoice:
    """One field's column: its position, how sure the reader is, and why."""

    field: str
    position: int
    header: str
    confidence: str  # pinned / high / medium / low
    reason: str

    def as_report(self) -> dict[str, Any]:
        return {
            "column": self.header or f"(unnamed column {self.position + 1})",
            "confidence": self.confidence,
            "reason": self.reason,
        }


def _confidence(header: float, value: float) -> str:
    if header >= 2.0:
        return "pinned"
    if header >= 0.9 and value >= 0.9:
        return "high"
    if (header >= 0.9 and value >= 0.5) or (header >= 0.3 and value >= 0.9):
        return "medium"
    return "low"


def _describe(field: str, p: ColumnProfile) -> str:
    if p.empty:
        return "no values in the sample"
    share = {
        "amount": (p.money, "parse as money"),
        "payment_date": (max(p.dates, p.serial_dates), "parse as dates"),
        PERIOD: (p.period, "look like accounting periods (yyyymm)"),
        "postcode": (p.postcode, "are postcodes"),
    }.get(field, (p.letters, "are text"))
    if field not in ("supplier_name", "service_area", "expense_type", "cap_rev", *share_fields()):
        return f"{p.filled:,} sampled values"
    text = f"{share[0]:.0%} of {p.filled:,} sampled values {share[1]}"
    if field == "supplier_name":
        text += f", {p.distinct:,} distinct"
    return text


def share_fields() -> tuple[str, ...]:
    """Fields whose value check is a share of values (money, dates, periods, postcodes)."""
    return ("amount", "payment_date", PERIOD, "postcode")


def _label(field: str) -> str:
    return _LABELS.get(field, field.replace("_", " "))


def _header_phrase(field: str, header: str, scores: Mapping[str, float]) -> str:
    label, score = _label(field), scores.get(field, 0.0)
    if score >= 2.0:
        return f"pinned to the {label} by the council config"
    if header_key(header) in _RANK and _RANK[header_key(header)][0] == field:
        return f"header '{header}' is a known name for the {label}"
    stronger = max(scores, key=lambda f: scores[f]) if scores else field
    if stronger != field and scores[stronger] > score:
        return f"header '{header}' suggests the {_label(stronger)}, but its values fit the {label}"
    if score > 0:
        return f"header '{header}' has words that suggest the {label}"
    return f"header '{header}' does not name the {label}; chosen for its values"


def sample_positions(n: int) -> np.ndarray:
    """Rows to sample of ``n``: the first half-sample and a half-sample spread over the rest."""
    if n <= SAMPLE_ROWS:
        return np.arange(n)
    half = SAMPLE_ROWS // 2
    return np.r_[np.arange(half), np.linspace(half, n - 1, half).astype(int)]


def _sample(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows `sample_positions` picks (all of them in a short table)."""
    return rows if len(rows) <= SAMPLE_ROWS else rows.iloc[sample_positions(len(rows))]


def choose_columns(
    headers: Sequence[str],
    rows: pd.DataFrame | Mapping[int, pa.Array],
    where: str,
    overrides: Mapping[str, str] | None = None,
    *,
    undated: bool = False,
) -> dict[str, ColumnChoice]:
    """Choose a column for each field from ``headers`` and the data ``rows`` below them.

    ``rows`` holds the non-blank data rows as text, columns 0..n-1 aligned with ``headers``
    (a DataFrame, sampled here; or position → Arrow array of rows already sampled).
    Returns ``{field: ColumnChoice}`` with the essential fields always present — or, when no
    period stands in for it, ``payment_date`` absent only if a ``period`` column was chosen.
    Raises ValueError (one line, naming the file and listing the headers) when the date,
    supplier or amount cannot be found — except that with ``undated`` (the caller knows the
    file's month from its title) a file with neither a date nor a period column is
    returned without either.
    """
    if is_frame(rows):
        sampled = _sample(rows)
        sample = {c: text_array(sampled[c].astype(string_dtype())) for c in sampled.columns}
    else:
        sample = dict(rows)
    width = max(len(headers), max(sample, default=-1) + 1)
    heads = list(headers) + [""] * (width - len(headers))
    scores = _gross_beside_net([header_scores(h, overrides) for h in heads], heads)
    profiles = _Profiles(sample, scores)
    chosen: dict[str, ColumnChoice] = {}
    pinned_out = {header_key(k) for k, v in (overrides or {}).items() if v == IGNORED}
    used: set[int] = {pos for pos, h in enumerate(heads) if h and header_key(h) in pinned_out}

    def claim(field: str, pos: int, need_value: bool) -> tuple[float, float, float] | None:
        """(total, header, value) of a column's claim on a field, or None if it may not."""
        h = scores[pos].get(field, 0.0)
        if pos in used or (not need_value and h < 0.5):
            return None
        p = profiles[pos] if field in _PROFILED else _Profiles.EMPTY  # ids take any value
        v = value_score(field, p, h)
        weak = h < 0.9 and (v < 0.5 or (h == 0 and (v < 0.9 or p.empty)))
        if need_value and h < 2.0 and weak:  # a pinned column is taken whatever its values
            return None
        return 2 * h + v, h, v

    def pick(field: str, *, need_value: bool) -> ColumnChoice | None:
        named = [pos for pos in range(width) if scores[pos].get(field, 0.0) > 0]
        claims = {pos: c for pos in named if (c := claim(field, pos, need_value))}
        if not claims and need_value:
            # A column chosen for its values alone scores at most 1, below any named column
            # that qualifies (2 × 0.3 + 0.5): unnamed columns are profiled only when none does,
            # and a column whose header names another field (``Service Cost Centre``) only
            # when no column whose header names nothing fits.
            free = [pos for pos in range(width) if not _names_a_field(scores[pos])]
            for group in (free, [pos for pos in range(width) if pos not in free]):
                claims = {pos: c for pos in group if (c := claim(field, pos, need_value))}
                if claims:
                    break
        if not claims:
            return None
        finer = field in _FINER_WINS  # of two equal claims, the finer classification wins
        # A column with no values in the sample (a template's unused ``Merchant Category``)
        # serves a field checked by its values only when no column holding values claims it.
        profiled = field in _PROFILED
        pos = max(
            claims,
            key=lambda q: (
                not (profiled and profiles[q].empty),
                claims[q][0],
                profiles[q].distinct if finer else 0,
                -q,
            ),
        )
        _, h, v = claims[pos]
        used.add(pos)
        reason = f"{_header_phrase(field, heads[pos], scores[pos])}; " + (
            _describe(field, profiles[pos]) if field in _PROFILED else profiles.filled(pos)
        )
        return ColumnChoice(field, pos, heads[pos], _confidence(h, v), reason)

    # Essential fields first, the most certain first, so a strong column is never taken by a
    # weaker claim (``Supplier ID(T)`` holding names serves the supplier before the id).
    for field in sorted(ESSENTIAL, key=lambda f: _best_claim(f, scores, profiles)):
        choice = pick(field, need_value=True)
        if choice is None and field == "payment_date":
            choice = pick(PERIOD, need_value=True)
            if choice is None and undated:
                continue
        if choice is None:
            shown = ", ".join(h.strip() for h in heads if h.strip())
            shown = " ".join(shown.split())
            shown = shown if len(shown) <= 300 else shown[:297] + "..."
            raise ValueError(
                f"{where}: cannot find the {ESSENTIAL[field]} column; headers are: {shown}"
            )
        chosen[choice.field] = choice
    for field in SYNONYMS:
        if field not in ESSENTIAL and (choice := pick(field, need_value=False)) is not None:
            chosen[field] = choice
    if "service_area" not in chosen:
        fallback = _unnamed_category(heads, scores, profiles, used, chosen["supplier_name"])
        if fallback is not None:
            chosen["service_area"] = fallback
    _pair_credits(chosen, heads, scores, profiles, used)
    _note_other_money(chosen, heads, scores, profiles)
    return chosen


_NET_WORDS = {"net", "excluding"}


def _gross_beside_net(scores: list[dict[str, float]], heads: list[str]) -> list[dict[str, float]]:
    """Score every other money column beside one naming the net amount as the gross it is.

    Parish and town councils write ``Net, VAT, Total``; finance systems ``Amount, VAT Amount,
    Net Amount`` or ``Amount Paid`` beside ``Amount Excluding VAT``: the column that is not the
    net scores as a gross column (0.4), so the net is taken (when its values are money) and
    the other named among the other money columns. Pinned columns keep their score.
    """
    pairs = list(zip((set(header_words(h)) for h in heads), scores, strict=True))
    if not any(w & _NET_WORDS and 0.4 < s.get("amount", 0) < 2 for w, s in pairs):
        return scores
    return [
        {**s, "amount": 0.4} if not w & _NET_WORDS and 0.4 < s.get("amount", 0) < 2 else s
        for w, s in pairs
    ]


def _pair_credits(
    chosen: dict[str, ColumnChoice],
    heads: list[str],
    scores: list[dict[str, float]],
    profiles: _Profiles,
    used: set[int],
) -> None:
    """A ledger's two money columns: when the amount is a ``Debit`` column and a ``Credit``
    column of money stands beside it, its values are credits (negative amounts) and the
    choice says so; the reader takes each line's amount from whichever of the two is filled."""
    amount = chosen["amount"]
    if "debit" not in header_words(amount.header):
        return
    for pos, s in enumerate(scores):
        if pos in used or s.get(CREDIT, 0.0) < 0.5 or profiles[pos].empty:
            continue
        p = profiles[pos]
        if value_score(CREDIT, p, s[CREDIT]) < 0.9:
            continue
        used.add(pos)
        reason = (
            f"header '{heads[pos]}' beside the debit column '{amount.header}'; "
            f"{_describe('amount', p)}: read as credits (negative amounts)"
        )
        chosen[CREDIT] = ColumnChoice(CREDIT, pos, heads[pos], amount.confidence, reason)
        note = f"; credits in '{heads[pos]}' are read as negative amounts"
        chosen["amount"] = ColumnChoice(
            amount.field, amount.position, amount.header, amount.confidence, amount.reason + note
        )
        return


def _unnamed_category(
    heads: list[str],
    scores: list[dict[str, float]],
    profiles: _Profiles,
    used: set[int],
    supplier: ColumnChoice,
) -> ColumnChoice | None:
    """The service area when no header names one: the leftmost column, left of the supplier,
    whose header names nothing and whose values are a few repeated text labels (Gateshead's
    ``Nstrg(T)``: the directorate). Low confidence, and said so."""
    for pos in range(supplier.position):
        if pos in used or scores[pos]:
            continue
        p = profiles[pos]
        if p.empty or p.letters < 0.9:
            continue
        if 2 <= p.distinct <= max(2, min(200, p.filled // 10)):
            reason = (
                f"no header names the service area; '{heads[pos]}' is the leftmost column of "
                f"repeated text labels ({p.distinct:,} distinct in {p.filled:,} sampled values)"
            )
            return ColumnChoice("service_area", pos, heads[pos], "low", reason)
    return None


def _names_a_field(scores: Mapping[str, float]) -> bool:
    """Whether a header plainly suggests some field (a word score of 0.5 or more)."""
    return any(score >= 0.5 for score in scores.values())


def _best_claim(field: str, scores: list[dict[str, float]], profiles: _Profiles) -> float:
    """Sort key: minus the best combined score a named column has for the field."""
    claims = [
        2 * s[field] + value_score(field, profiles[pos], s[field])
        for pos, s in enumerate(scores)
        if s.get(field, 0.0) > 0
    ]
    return -max(claims, default=0.0)


# Fields whose value check reads a profile; references and ids take any value.
_PROFILED = {
    "amount", "payment_date", PERIOD, CREDIT, "supplier_name", *_FINER_WINS, "cap_rev", "postcode",
}  # fmt: skip


class _Profiles:
    """Column profiles of a sample, computed in batches (`profile_columns`) when first asked.

    The first batch holds every column whose header claims a field that is checked by its
    values; the rest (unnamed columns, references, ids — whose many distinct values cost the
    most to examine) only if a choice needs them.
    """

    EMPTY = ColumnProfile(0, 0.0, 0.0, False, 0.0, 0.0, 0.0, 0.0, 0, 0.0)

    def __init__(self, sample: dict[int, pa.Array], scores: list[dict[str, float]]) -> None:
        self._sample = sample
        self._done: dict[int, ColumnProfile] = {}
        self._columns = set(sample)
        present = [pos for pos in range(len(scores)) if pos in self._columns]
        self._first = [pos for pos in present if _PROFILED & set(scores[pos])]
        self._rest = [pos for pos in present if pos not in self._first]

    def filled(self, pos: int) -> str:
        """How many sampled values a column has, as the reason for an id's choice says it."""
        if pos not in self._columns:
            return "no values in the sample"
        trimmed = pc.utf8_trim_whitespace(self._sample[pos])
        n = int(bools(pc.greater(pc.utf8_length(trimmed), 0)).sum())
        return f"{n:,} sampled values" if n else "no values in the sample"

    def __getitem__(self, pos: int) -> ColumnProfile:
        if pos not in self._done and pos in self._columns:
            batch = self._first if pos in self._first else self._rest
            todo = {p: self._sample[p] for p in batch if p not in self._done}
            self._done.update(profile_columns(todo))
        return self._done.get(pos, self.EMPTY)


def _note_other_money(
    chosen: dict[str, ColumnChoice],
    heads: list[str],
    scores: list[dict[str, float]],
    profiles: _Profiles,
) -> None:
    """Say so when other money columns (VAT, gross) stood beside the amount taken."""
    amount = chosen["amount"]
    taken = {c.position for c in chosen.values()}
    others = [
        heads[pos]
        for pos, s in enumerate(scores)
        if pos not in taken and s.get("amount", 0) > 0 and profiles[pos].money >= 0.9
    ]
    if others:
        note = f"; other money columns left aside: {', '.join(others)} (the net amount is taken)"
        chosen["amount"] = ColumnChoice(
            amount.field, amount.position, amount.header, amount.confidence, amount.reason + note
        )


def column_positions(chosen: Mapping[str, ColumnChoice]) -> dict[str, int]:
    """``{field: position}`` of a choice."""
    return {field: choice.position for field, choice in chosen.items()}


def evidence_report(chosen: Mapping[str, ColumnChoice]) -> dict[str, dict[str, Any]]:
    """The ingest report's ``column_evidence``: per field, the column, confidence and reason."""
    return {field: chosen[field].as_report() for field in sorted(chosen)}
