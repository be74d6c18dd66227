"""Which column holds which field, from the header's words and the column's values together.

Headers alone fail on real files: Gateshead publishes supplier *names* under ``Supplier ID(T)``
and its payment date under ``Updated``; other councils publish ``Nstrg(T)`` or no usable name at
all. So every column is scored twice — on its header (`kil_analysis.ingest.columns`) and on a
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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kil_analysis.ingest.amounts import parse_amounts
from kil_analysis.ingest.columns import (
    _RANK,
    ESSENTIAL,
    IGNORED,
    PERIOD,
    SYNONYMS,
    header_key,
    header_scores,
)
from kil_analysis.ingest.dates import parse_dates

SAMPLE_ROWS = 2000
_PERIOD = re.compile(r"^(?:19|20)\d\d(?:0[1-9]|1[0-6])$|^(?:19|20)\d\d[-/ ]?P?(?:0?[1-9]|1[0-6])$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
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
    serial_dates: float  # dates only as Excel day numbers (trusted when the header says date)
    period: float
    letters: float
    distinct: int
    postcode: float

    @property
    def empty(self) -> bool:
        return self.filled == 0


def profile_column(values: pd.Series) -> ColumnProfile:
    """Profile a column's sampled text values (blank cells ignored)."""
    text = values.astype("string").str.strip()
    text = text[text.fillna("") != ""]
    n = len(text)
    if n == 0:
        return ColumnProfile(0, 0.0, 0.0, False, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    amounts = parse_amounts(text)
    money_ok = amounts["ok"].to_numpy(dtype=bool)
    fractional = text.str.contains(r"[.,]\d{1,3}\s*\)?$|^\s*[-(]|-$", regex=True).fillna(False)
    integer = text.str.fullmatch(r"\d+").fillna(False)
    lengths = text.str.len()
    code_like = bool(integer.all() and lengths.min() >= 5 and lengths.nunique() == 1)
    plain = parse_dates(text, excel_serials=False).dates.notna().mean()
    with_serials = parse_dates(text).dates.notna().mean()
    upper = text.str.upper()
    return ColumnProfile(
        filled=n,
        money=float(money_ok.mean()),
        fractional=float((fractional & money_ok).mean()),
        code_like=code_like,
        dates=float(plain),
        serial_dates=float(with_serials),
        period=float(text.str.fullmatch(_PERIOD).fillna(False).mean()),
        letters=float(text.str.contains(r"[A-Za-z]", regex=True).fillna(False).mean()),
        distinct=int(text.nunique()),
        postcode=float(upper.str.fullmatch(_POSTCODE).fillna(False).mean()),
    )


def value_score(field: str, p: ColumnProfile, header: float) -> float:
    """How well a column's values fit a field, 0–1 (1 for an empty column: no evidence against)."""
    if p.empty:
        return 1.0
    if field == "amount":
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


def _sample(rows: pd.DataFrame) -> pd.DataFrame:
    if len(rows) <= SAMPLE_ROWS:
        return rows
    head = rows.iloc[: SAMPLE_ROWS // 2]
    spread = rows.iloc[np.linspace(SAMPLE_ROWS // 2, len(rows) - 1, SAMPLE_ROWS // 2).astype(int)]
    return pd.concat([head, spread])


def choose_columns(
    headers: Sequence[str],
    rows: pd.DataFrame,
    where: str,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, ColumnChoice]:
    """Choose a column for each field from ``headers`` and the data ``rows`` below them.

    ``rows`` holds the non-blank data rows as text, columns 0..n-1 aligned with ``headers``.
    Returns ``{field: ColumnChoice}`` with the essential fields always present — or, when no
    period stands in for it, ``payment_date`` absent only if a ``period`` column was chosen.
    Raises ValueError (one line, naming the file and listing the headers) when the date,
    supplier or amount cannot be found.
    """
    sample = _sample(rows)
    width = max(len(headers), sample.shape[1])
    heads = list(headers) + [""] * (width - len(headers))
    scores = [header_scores(h, overrides) for h in heads]
    profiles = [
        profile_column(sample[i]) if i in sample.columns else profile_column(pd.Series([]))
        for i in range(width)
    ]
    chosen: dict[str, ColumnChoice] = {}
    pinned_out = {header_key(k) for k, v in (overrides or {}).items() if v == IGNORED}
    used: set[int] = {pos for pos, h in enumerate(heads) if h and header_key(h) in pinned_out}

    def pick(field: str, *, need_value: bool) -> ColumnChoice | None:
        best: tuple[float, int, float, float] | None = None
        for pos in range(width):
            if pos in used:
                continue
            h, p = scores[pos].get(field, 0.0), profiles[pos]
            v = value_score(field, p, h)
            if h < 2.0:  # a pinned column is taken whatever its values
                if need_value and h < 0.9 and (v < 0.5 or (h == 0 and (v < 0.9 or p.empty))):
                    continue
                if not need_value and h < 0.5:
                    continue
            total = 2 * h + v
            if field in _FINER_WINS and best is not None and total == best[0]:
                if profiles[pos].distinct > profiles[best[1]].distinct:
                    best = (total, pos, h, v)  # the finer classification of two equal claims
            if best is None or total > best[0]:
                best = (total, pos, h, v)
        if best is None:
            return None
        _, pos, h, v = best
        used.add(pos)
        reason = (
            f"{_header_phrase(field, heads[pos], scores[pos])}; {_describe(field, profiles[pos])}"
        )
        return ColumnChoice(field, pos, heads[pos], _confidence(h, v), reason)

    # Essential fields first, the most certain first, so a strong column is never taken by a
    # weaker claim (``Supplier ID(T)`` holding names serves the supplier before the id).
    for field in sorted(ESSENTIAL, key=lambda f: _best_claim(f, scores, profiles)):
        choice = pick(field, need_value=True)
        if choice is None and field == "payment_date":
            choice = pick(PERIOD, need_value=True)
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
    _note_other_money(chosen, heads, scores, profiles)
    return chosen


def _unnamed_category(
    heads: list[str],
    scores: list[dict[str, float]],
    profiles: list[ColumnProfile],
    used: set[int],
    supplier: ColumnChoice,
) -> ColumnChoice | None:
    """The service area when no header names one: the leftmost column, left of the supplier,
    whose header names nothing and whose values are a few repeated text labels (Gateshead's
    ``Nstrg(T)``: the directorate). Low confidence, and said so."""
    for pos in range(supplier.position):
        p = profiles[pos]
        if pos in used or scores[pos] or p.empty or p.letters < 0.9:
            continue
        if 2 <= p.distinct <= max(2, min(200, p.filled // 10)):
            reason = (
                f"no header names the service area; '{heads[pos]}' is the leftmost column of "
                f"repeated text labels ({p.distinct:,} distinct in {p.filled:,} sampled values)"
            )
            return ColumnChoice("service_area", pos, heads[pos], "low", reason)
    return None


def _best_claim(field: str, scores: list[dict[str, float]], profiles: list[ColumnProfile]) -> float:
    """Sort key: minus the best combined score any column has for the field."""
    return -max(
        (2 * s.get(field, 0.0) + value_score(field, p, s.get(field, 0.0)))
        for s, p in zip(scores, profiles, strict=True)
    )


def _note_other_money(
    chosen: dict[str, ColumnChoice],
    heads: list[str],
    scores: list[dict[str, float]],
    profiles: list[ColumnProfile],
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
