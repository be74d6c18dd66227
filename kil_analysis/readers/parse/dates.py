"""Payment dates in the formats councils publish, with the day/month order decided per column.

Recognised: ``dd/mm/yy``, ``dd/mm/yyyy``, ``d/m/yyyy`` (and the same with ``-`` or ``.``),
``dd-Mon-yyyy``, ``ddMONyyyy``, ``dd Month yyyy``, ``Month dd, yyyy`` (``April 2, 2024``,
``Apr 02 2024``), any of these after a weekday (Excel's long date, ``Tuesday, 2 April 2024``),
ISO ``yyyy-mm-dd`` with or without a time (and ISO 8601 timestamps with a time zone,
``2025-01-23T22:10:19Z`` or ``…+01:00``), year first with ``/`` or ``.`` (``2024/04/02``), and
— where the caller trusts the column to hold dates (``excel_serials``) — Excel serial day
numbers (``43641`` → 2019-06-25, ``43641.5`` too) and compact ``yyyymmdd`` (``20240402``, as
SAP and Oracle export). Times may be 12-hour (``12:00AM``, SQL Server's datetime as text).
For numeric day/month formats the order is decided once for the whole column (per
separator: ``/``, ``-``, ``.``) from the evidence — a first field above 12 proves day-first, a
second field above 12 proves month-first, the larger count wins — and, with no evidence either
way, defaults to day-first (as UK councils publish) and says so in ``day_first_basis``. Rows are
never guessed one by one: a value that does not fit the decided order is NaT. Two-digit years
are 2000+yy below 70, else 1900+yy. Times of day are dropped, and so is a time zone: the
calendar day as published, not converted to UTC.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
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
# An optional time of day (24-hour, or 12-hour with AM/PM), with an optional time zone
# (``Z``, ``+01:00``, ``-0500``).
_TIME = (
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
)
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})({_TIME})$")
# Year first with another separator (``2024/04/02``, ``2024.04.02``): always year, month, day.
_YEAR_FIRST = re.compile(rf"^(\d{{4}})([/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
# Compact year-month-day (``20240402``): a date only where the caller trusts the column.
_COMPACT = re.compile(r"^((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\.0+)?$")
# The month named before the day (``April 2, 2024``, ``Apr 02 2024``).
_MONTH_FIRST = re.compile(
    rf"^([A-Za-z]{{3,9}})\.?[ \-](\d{{1,2}})(?:st|nd|rd|th)?,?[ \-](\d{{4}}|\d{{2}}){_TIME}$"
)
# A weekday before a date (Excel's long date format: ``Tuesday, 2 April 2024``, ``Tue 02 Apr``).
_WEEKDAY = re.compile(
    r"^(?:MON|TUE|TUES|WED|WEDS|THU|THUR|THURS|FRI|SAT|SUN|MONDAY|TUESDAY|WEDNESDAY|THURSDAY"
    r"|FRIDAY|SATURDAY|SUNDAY)\.?,?\s+(?=\d|[A-Z])",
    re.IGNORECASE,
)
_NUMERIC = re.compile(rf"^(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
_MONTH_NAME = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?([\- /]?)([A-Za-z]{{3,9}})\.?,?[\- /]?(\d{{4}}|\d{{2}}){_TIME}$"
)
# A month with no day ("July 2010", "Jul-10"), or a run of months ("July 2010-September 2010"):
# read as the first day of the (first) month.
_MONTH_ONLY = re.compile(r"^([A-Za-z]{3,9})\.?[\- /,]*(\d{4}|\d{2})$")
_MONTH_YEAR = r"([A-Za-z]{3,9})\.?[ \-/]*(\d{4}|\d{2})"
_MONTH_RUN = re.compile(rf"^{_MONTH_YEAR}\s*(?:-|–|to)\s*{_MONTH_YEAR}$", re.IGNORECASE)
# Spaces of every kind (non-breaking, figure, narrow) are one space; runs of them too.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\ufeff]+")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")  # a fraction is the time of day, dropped
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (18264, 73051)  # 1950-01-01 … 2099-12-31


@dataclass
class DateParse:
    """Result of :func:`parse_dates`.

    ``values``: datetime64[ns] numpy array, one per row (NaT where unparseable); ``dates``: the
    same as a pandas Series on the input index (``index``; a fresh 0..n-1 index when None).
    ``formats``: names of the formats actually found (e.g. ``dd/mm/yyyy``, ``excel_serial``).
    ``day_first``: True/False for numeric day/month formats, None when none were present.
    ``day_first_basis``: ``"evidence"``, ``"default"`` (no value proved the order) or ``""``.
    ``period_basis``: for accounting periods (`parse_periods`), what decided their reading.
    """

    values: np.ndarray
    formats: list[str] = field(default_factory=list)
    day_first: bool | None = None
    day_first_basis: str = ""
    period_basis: str = ""
    index: Any = None

    @property
    def dates(self) -> pd.Series:
        """The dates as a datetime64[ns] Series on the input index (imports pandas)."""
        import pandas as pd

        return pd.Series(self.values, index=self.index, dtype="datetime64[ns]", copy=False)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _classify(text: str, excel_serials: bool) -> tuple[str, tuple]:
    """(family, fields) of one distinct value; family "" when it is no recognised date."""
    kind = _classify_date(text, excel_serials)
    if not kind[0] and (m := _WEEKDAY.match(text)):
        kind = _classify_date(text[m.end() :], excel_serials)
    return kind


def _classify_date(text: str, excel_serials: bool) -> tuple[str, tuple]:
    """`_classify` of a value with no weekday before it."""
    if m := _ISO.match(text):
        return ("iso datetime" if m.group(4) else "iso"), (m.group(1), m.group(2), m.group(3))
    if m := _NUMERIC.match(text):
        return "numeric", (m.group(1), m.group(2), m.group(3), m.group(4))
    if m := _MONTH_NAME.match(text):
        return "month name", (m.group(1), m.group(2), m.group(3), m.group(4))
    if m := _YEAR_FIRST.match(text):
        return "year first", (m.group(1), m.group(3), m.group(4), m.group(2))
    if m := _MONTH_FIRST.match(text):
        return "month first", (m.group(1), m.group(2), m.group(3))
    if m := _MONTH_ONLY.match(text):
        return "month", (m.group(1), m.group(2))
    if m := _MONTH_RUN.match(text):
        return "month run", (m.group(1), m.group(2), m.group(3), m.group(4))
    if excel_serials and (m := _SERIAL.match(text)):
        n = int(m.group(1))
        if SERIAL_RANGE[0] <= n <= SERIAL_RANGE[1]:
            return "excel_serial", (n,)
    if excel_serials and (m := _COMPACT.match(text)):
        return "compact", (m.group(1), m.group(2), m.group(3))
    return "", ()


def _month_number(word: str) -> int:
    """1-12 for a month's name or its three-letter abbreviation; 0 for any other word."""
    word = word.upper()
    if len(word) > 3 and word not in FULL_MONTHS:
        return 0
    return MONTHS.get(word[:3], 0)


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
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = parse_distinct_dates(list(np.asarray(uniques, dtype=object)), codes, excel_serials)
    parsed.index = values.index
    return parsed


def parse_distinct_dates(
    uniques: Sequence[object], codes: np.ndarray, excel_serials: bool = True
) -> DateParse:
    """`parse_dates` of a column given as its distinct values and each row's code (-1: missing).

    ``dates`` is then on a fresh 0..n-1 index (``values`` holds them without pandas).
    """
    texts = [_SPACES.sub(" ", str(v)).strip() for v in uniques]
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
            if not (month := _month_number(word)):
                continue
            ymd[i] = (_year(f[3]), month, int(f[0]))
            year = "yyyy" if len(f[3]) == 4 else "yy"
            names[i] = f"dd Month {year}" if len(word) > 3 else f"dd{f[1]}Mon{f[1]}{year}"
        elif kind == "month first":
            if not (month := _month_number(f[0])):
                continue
            ymd[i] = (_year(f[2]), month, int(f[1]))
            names[i] = "Month dd, yyyy" if len(f[2]) == 4 else "Month dd, yy"
        elif kind == "year first":
            ymd[i], names[i] = (int(f[0]), int(f[1]), int(f[2])), f"yyyy{f[3]}mm{f[3]}dd"
        elif kind == "compact":
            ymd[i], names[i] = (int(f[0]), int(f[1]), int(f[2])), "yyyymmdd"
        elif kind in ("month", "month run"):
            month = _month_number(f[0])
            last = _month_number(f[2]) if kind == "month run" else month
            if not month or not last:
                continue
            if kind == "month run" and (_year(f[3]), last) < (_year(f[1]), month):
                continue  # a run that ends before it starts is no period
            ymd[i] = (_year(f[1]), month, 1)
            names[i] = (
                "Month yyyy (first day of the month)"
                if kind == "month"
                else "Month yyyy-Month yyyy (a period: first day of its first month)"
            )
        elif kind == "excel_serial":
            stamp = EXCEL_EPOCH + timedelta(days=f[0])
            ymd[i], names[i] = (stamp.year, stamp.month, stamp.day), "excel_serial"

    parsed = days_from_ymd(ymd)
    valid = codes >= 0
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[valid] = parsed[codes[valid]]
    found = sorted({n for n, p in zip(names, parsed, strict=True) if n and not np.isnat(p)})
    if not any(k == "numeric" for k, _ in kinds):
        day_first, basis = None, ""
    return DateParse(
        values=out,
        formats=found,
        day_first=day_first,
        day_first_basis=basis,
    )


def days_from_ymd(ymd: list[tuple[int, int, int] | None]) -> np.ndarray:
    """datetime64[ns] for (year, month, day) triples; NaT for None or an impossible day."""
    out = np.full(len(ymd), np.datetime64("NaT"), dtype="datetime64[ns]")
    if not ymd:
        return out
    parts = np.array([t if t else (1970, 0, 0) for t in ymd], dtype=np.int64).reshape(-1, 3)
    years, months, days = parts[:, 0], parts[:, 1], parts[:, 2]
    valid = (months >= 1) & (months <= 12) & (days >= 1) & (years >= 1678) & (years <= 2261)
    month_index = np.where(valid, (years - 1970) * 12 + months - 1, 0)
    first = month_index.astype("datetime64[M]").astype("datetime64[D]")
    length = ((month_index + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(
        np.int64
    )
    valid &= days <= length
    out[valid] = (first[valid] + (days[valid] - 1)).astype("datetime64[ns]")
    return out


_PERIOD_VALUE = re.compile(r"^((?:19|20)\d\d)[-/ ]?P?(\d{1,2})(?:\.0+)?$")
_MONTH_WORDS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_NAME_YEAR_MONTH = re.compile(r"(?<!\d)(20\d\d)[-_ .]?(0[1-9]|1[0-2])(?!\d)")
_NAME_MONTH_YEAR = re.compile(r"(?<!\d)(0[1-9]|1[0-2])[-_ .](20\d\d)(?!\d)")
_NAME_WORD = re.compile(rf"(?<![a-z])({_MONTH_WORDS})[a-z]*[-_ .%20]*(20\d\d|\d\d)(?!\d)")
PERIOD_READINGS = {
    "calendar": "calendar months (yyyymm)",
    "fiscal": "fiscal periods (yyyyPP, P01 = April of yyyy; P13-P16 year-end, dated March)",
    "fiscal_end_year": "fiscal periods (yyyyPP, P01 = April of yyyy-1; P13-P16 dated March)",
}


def month_in_name(name: str) -> tuple[int, int] | None:
    r"""(year, month) a file's name says it covers.

    ``2019-04.csv``, ``Spend_201904``, ``April 2019.csv``, ``apr-19.xlsx``; None when the name gives
    no single month.
    """
    base = re.split(r"[\\/!]", name.lower())[-1]
    if m := _NAME_YEAR_MONTH.search(base):
        return int(m.group(1)), int(m.group(2))
    if m := _NAME_MONTH_YEAR.search(base):
        return int(m.group(2)), int(m.group(1))
    if m := _NAME_WORD.search(base):
        year = int(m.group(2))
        return (year if year > 99 else 2000 + year), MONTHS[m.group(1).upper()]
    return None


_MONTH_NAMES = "|".join(sorted(FULL_MONTHS | set(MONTHS), key=len, reverse=True))
_TITLE_MONTH_WORD = re.compile(
    rf"(?<![A-Z])({_MONTH_NAMES})(?![A-Z])(?:\.?[\s\-/']*((?:19|20)\d\d|\d\d)(?!\d))?"
)
_TITLE_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d\d)(?!\d)")


def month_in_title(lines: list[list[str]]) -> tuple[int, int] | None:
    """(year, month) the title lines above a header state, when they state exactly one month.

    For files with no date column, whose report title gives the month ("January 2012",
    "Aug-15", "Period 01/04/2024 to 30/04/2024"). Numeric dates are read day first (UK). Any
    second month — another month name, with or without a year ("April to June 2019"), or a
    numeric date in another month — makes the title a longer period: None.
    """
    text = " ".join(c for row in lines for c in row if c).upper()
    months: set[tuple[int, int]] = set()
    for m in _TITLE_MONTH_WORD.finditer(text):
        if m.group(2) is None:
            return None  # a month without its year: a range or a sentence, not one month
        year = int(m.group(2))
        months.add((year if year > 99 else 2000 + year, MONTHS[m.group(1)[:3]]))
    for m in _TITLE_NUMERIC_DATE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        months.add((year, month))
    return months.pop() if len(months) == 1 else None


def _period_month(year: int, period: int, reading: str) -> tuple[int, int] | None:
    """(year, month) of an accounting period under one reading; None if impossible."""
    if reading == "calendar":
        return (year, period) if 1 <= period <= 12 else None
    if not 1 <= period <= 16:
        return None
    start = year if reading == "fiscal" else year - 1  # the calendar year the fiscal year starts
    if period >= 12:  # P12 is March; P13-P16 are the year-end adjustments, dated March too
        return start + 1, 3
    month = period + 3
    return (start, month) if month <= 12 else (start + 1, month - 12)


def _months_apart(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (a[0] - b[0]) * 12 + a[1] - b[1]


def choose_period_reading(
    periods: list[tuple[int, int]], weights: list[int], file_month: tuple[int, int] | None
) -> tuple[str, str]:
    """(reading, basis) for a column of (year, period) pairs; see `parse_periods`."""
    if file_month is not None:

        def fit(reading: str) -> tuple[int, int]:
            """Rows in the file's month, and rows up to three months before it."""
            gaps = [
                (_months_apart(file_month, m), w)
                for (y, p), w in zip(periods, weights, strict=True)
                if (m := _period_month(y, p, reading)) is not None
            ]
            return sum(w for g, w in gaps if g == 0), sum(w for g, w in gaps if 0 <= g <= 3)

        scores = {r: fit(r) for r in PERIOD_READINGS}
        best = max(scores, key=lambda r: (scores[r], r == "calendar", r == "fiscal"))
        if scores[best][1] > 0:
            return best, f"the file name's month ({file_month[0]}-{file_month[1]:02d})"
    if any(p > 12 for _, p in periods):
        return "fiscal", "a period above 12 (only fiscal calendars have them)"
    return "calendar", "default (no period above 12 and no month in the file name)"


def parse_periods(
    values: pd.Series | Sequence[object],
    *,
    file_month: tuple[int, int] | None = None,
    codes: np.ndarray | None = None,
) -> DateParse:
    """Accounting periods (``201904``, ``2019-04``, ``2019 P4``) as the first day of a month.

    For files with a period column and no payment date. Finance systems number periods either
    as calendar months or as fiscal periods (P01 = April, P12 = March, P13-P16 year-end
    adjustments); Gateshead's ``201901`` is April 2019. The reading is decided once for the
    column from the evidence, in this order: the month the file's name gives (``file_month``;
    periods lag payments by up to three months, never lead them), then any period above 12
    (fiscal), else calendar months. ``formats`` names the reading and ``period_basis`` says
    what decided it. A period that is impossible under the reading is NaT (rejected).

    ``values`` is a Series of the rows; or, with ``codes`` (each row's position in ``values``,
    -1 for a missing cell), the column's distinct values (no pandas needed).
    """
    index = None
    if codes is None:
        import pandas as pd

        index = values.index
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    else:
        uniques = list(values)
    found: dict[int, tuple[int, int]] = {}
    for i, value in enumerate(np.asarray(uniques, dtype=object)):
        if m := _PERIOD_VALUE.match(str(value).strip()):
            found[i] = (int(m.group(1)), int(m.group(2)))
    weights = np.bincount(codes[codes >= 0], minlength=len(uniques))
    reading, basis = choose_period_reading(
        list(found.values()), [int(weights[i]) for i in found], file_month
    )
    ymd: list[tuple[int, int, int] | None] = [None] * len(uniques)
    for i, (year, period) in found.items():
        month = _period_month(year, period, reading)
        ymd[i] = (month[0], month[1], 1) if month else None
    parsed = days_from_ymd(ymd)
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[codes >= 0] = parsed[codes[codes >= 0]]
    formats = [PERIOD_READINGS[reading] + ", first day of the month"] if found else []
    return DateParse(values=out, formats=formats, period_basis=basis if found else "", index=index)
