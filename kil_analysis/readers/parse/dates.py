"""Payment dates in the formats councils publish, with the day/month order decided per column.

Recognised: ``dd/mm/yy``, ``dd/mm/yyyy``, ``d/m/yyyy`` (and the same with ``-`` or ``.``),
``dd-Mon-yyyy``, ``dd Month yyyy``, ISO ``yyyy-mm-dd`` with or without a time (and ISO 8601
timestamps with a time zone, ``2025-01-23T22:10:19Z`` or ``…+01:00``), and Excel serial
day numbers (``43641`` → 2019-06-25). For numeric day/month formats the order is decided once for
the whole column (per separator: ``/``, ``-``, ``.``) from the evidence — a first field above 12
proves day-first, a second field above 12 proves month-first, the larger count wins — and, with
no evidence either way, defaults to day-first (as UK councils publish) and says so in
``day_first_basis``. Rows are never guessed one by one: a value that does not fit the decided
order is NaT. Two-digit years are 2000+yy below 70, else 1900+yy. Times of day are dropped, and
so is a time zone: the calendar day as published, not converted to UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}
FULL_MONTHS = {
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY",
    "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER", "SEPT",
}  # fmt: skip
# An optional time of day, with an optional time zone (``Z``, ``+01:00``, ``-0500``).
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})({_TIME})$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
_MONTH_NAME = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?([\- ])([A-Za-z]{{3,9}})\.?,?[\- ](\d{{4}}|\d{{2}}){_TIME}$"
)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_RANGE = (18264, 73051)  # 1950-01-01 … 2099-12-31


@dataclass
class DateParse:
    """Result of :func:`parse_dates`.

    ``dates``: datetime64[ns] Series on the input index (NaT where unparseable).
    ``formats``: names of the formats actually found (e.g. ``dd/mm/yyyy``, ``excel_serial``).
    ``day_first``: True/False for numeric day/month formats, None when none were present.
    ``day_first_basis``: ``"evidence"``, ``"default"`` (no value proved the order) or ``""``.
    """

    dates: pd.Series
    formats: list[str] = field(default_factory=list)
    day_first: bool | None = None
    day_first_basis: str = ""


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _classify(text: str, excel_serials: bool) -> tuple[str, tuple]:
    """(family, fields) of one distinct value; family "" when it is no recognised date."""
    if m := _ISO.match(text):
        return ("iso datetime" if m.group(4) else "iso"), (m.group(1), m.group(2), m.group(3))
    if m := _NUMERIC.match(text):
        return "numeric", (m.group(1), m.group(2), m.group(3), m.group(4))
    if m := _MONTH_NAME.match(text):
        return "month name", (m.group(1), m.group(2), m.group(3), m.group(4))
    if excel_serials and (m := _SERIAL.match(text)):
        n = int(m.group(1))
        if SERIAL_RANGE[0] <= n <= SERIAL_RANGE[1]:
            return "excel_serial", (n,)
    return "", ()


def _order(pairs: list[tuple[str, str]]) -> tuple[bool, str]:
    day_evidence = sum(int(a) > 12 for a, _ in pairs)
    month_evidence = sum(int(b) > 12 for _, b in pairs)
    if day_evidence or month_evidence:
        return day_evidence >= month_evidence, "evidence"
    return True, "default"


def _numeric_name(a: str, b: str, sep: str, y: str, day_first: bool) -> str:
    first, second = ("dd", "mm") if day_first else ("mm", "dd")
    if not (len(a) == 2 and len(b) == 2):
        first, second = first[0], second[0]
    return f"{first}{sep}{second}{sep}{'yyyy' if len(y) == 4 else 'yy'}"


def parse_dates(values: pd.Series, *, excel_serials: bool = True) -> DateParse:
    """Parse a column of published dates; see the module docstring for formats and rules.

    Works on the distinct values (a month of 20,000 payments has a few dozen distinct dates),
    classifying each once, then spreads the result back over the rows with their codes.
    Non-text values are read through ``str()``.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [str(v).strip() for v in np.asarray(uniques, dtype=object)]
    kinds = [_classify(t, excel_serials) for t in texts]
    ymd: list[tuple[int, int, int] | None] = [None] * len(texts)
    names = [""] * len(texts)

    day_first: bool | None = None
    basis = ""
    largest = 0
    for sep in ("/", "-", "."):
        family = [i for i, (k, f) in enumerate(kinds) if k == "numeric" and f[1] == sep]
        if not family:
            continue
        fam_first, fam_basis = _order([(kinds[i][1][0], kinds[i][1][2]) for i in family])
        if len(family) > largest:
            largest, day_first, basis = len(family), fam_first, fam_basis
        for i in family:
            a, _, b, y = kinds[i][1]
            day, month = (a, b) if fam_first else (b, a)
            ymd[i] = (_year(y), int(month), int(day))
            names[i] = _numeric_name(a, b, sep, y, fam_first)
    for i, (kind, f) in enumerate(kinds):
        if kind.startswith("iso"):
            ymd[i], names[i] = (int(f[0]), int(f[1]), int(f[2])), kind
        elif kind == "month name":
            word = f[2].upper()
            if len(word) > 3 and word not in FULL_MONTHS:
                continue
            ymd[i] = (_year(f[3]), MONTHS.get(word[:3], 0), int(f[0]))
            names[i] = "dd Month yyyy" if len(word) > 3 else f"dd{f[1]}Mon{f[1]}yyyy"
        elif kind == "excel_serial":
            stamp = EXCEL_EPOCH + pd.Timedelta(days=f[0])
            ymd[i], names[i] = (stamp.year, stamp.month, stamp.day), "excel_serial"

    parsed = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    if texts:
        parts = np.array([t if t else (0, 0, 0) for t in ymd], dtype=np.int64).reshape(-1, 3)
        stamps = pd.to_datetime(
            pd.DataFrame({"year": parts[:, 0], "month": parts[:, 1], "day": parts[:, 2]}),
            errors="coerce",
        )
        parsed = stamps.to_numpy(dtype="datetime64[ns]")
        parsed[[t is None for t in ymd]] = np.datetime64("NaT")
    valid = codes >= 0
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[valid] = parsed[codes[valid]]
    found = sorted({n for n, p in zip(names, parsed, strict=True) if n and not np.isnat(p)})
    if not any(k == "numeric" for k, _ in kinds):
        day_first, basis = None, ""
    return DateParse(
        dates=pd.Series(out, index=values.index, dtype="datetime64[ns]"),
        formats=found,
        day_first=day_first,
        day_first_basis=basis,
    )


_PERIOD_VALUE = re.compile(r"^((?:19|20)\d\d)[-/ ]?P?(\d{1,2})$")


def parse_periods(values: pd.Series) -> DateParse:
    """Accounting periods (``201904``, ``2019-04``, ``2019 P4``) as the first day of the month.

    For files with a period column and no payment date. Periods are read as calendar months;
    a period number above 12 (year-end adjustment periods 13–16) is NaT, so such rows are
    rejected with their reason rather than placed in a month they do not belong to.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    for i, value in enumerate(np.asarray(uniques, dtype=object)):
        m = _PERIOD_VALUE.match(str(value).strip())
        if m and 1 <= int(m.group(2)) <= 12:
            parsed[i] = np.datetime64(f"{m.group(1)}-{int(m.group(2)):02d}-01", "ns")
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[codes >= 0] = parsed[codes[codes >= 0]]
    found = ["period yyyymm (first day of the month)"] if (~np.isnat(parsed)).any() else []
    return DateParse(
        dates=pd.Series(out, index=values.index, dtype="datetime64[ns]"), formats=found
    )
