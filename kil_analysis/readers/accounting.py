"""What every reader returns, and the ingest report's accounting of rows and pence.

The spend, grants and contracts readers all return a `ReadResult` (the spend reader's
`IngestResult` is one, with ``spend`` naming its table) whose ``report`` is
``{"files": [entry, ...], "totals": {...}}``. Each entry and the totals carry ``rows_read``,
``rows_kept``, ``rows_rejected`` (count by reason, sorted), ``amount_read``/``amount_kept``/
``amount_rejected``/``amount_rounding`` (exact pounds as decimal strings) and ``date_min``/
``date_max`` (ISO days of the kept rows). Invariant, per file and in total: rows read = kept +
rejected, and amount read = kept + rejected + rounding exactly.

``amount_read`` is the exact sum of the amounts as published (some councils publish three
decimals, or Excel's ``896.3999999999999``); kept and rejected rows hold amounts rounded to the
penny, and ``amount_rounding`` is what that rounding added or took away (``0.00`` when every
amount was published in pence). Sums use Python integers or Decimal: no total can overflow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import numpy as np

from kil_analysis.readers.parse.amounts import EXACT, decimal_to_string, pence_to_decimal_string

if TYPE_CHECKING:
    import pandas as pd

AMOUNT_FIELDS = ("amount_read", "amount_kept", "amount_rejected", "amount_rounding")


@dataclass
class ReadResult:
    """What a reader returns: the table, the rejected rows, and the accounting report.

    ``report`` has ``files`` (one entry per input file) and ``totals``, each with ``rows_read``,
    ``rows_kept``, ``rows_rejected`` (by reason) and ``amount_read``/``amount_kept``/
    ``amount_rejected`` as exact decimal strings (pounds). Invariant: read = kept + rejected.
    """

    table: pd.DataFrame
    rejects: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)


def exact_int_sum(values: np.ndarray | pd.Series) -> int:
    """Exact sum of integers (pence) as a Python int.

    Int64 when it cannot overflow, else Python integers (10 rows of ``9500000000000000`` pounds
    would wrap in int64).
    """
    array = np.asarray(values, dtype=np.int64)
    if len(array) == 0:
        return 0
    if int(np.abs(array).max()) < (2**62) // len(array):
        return int(array.sum(dtype=np.int64))
    return sum(int(v) for v in array)


def row_accounting(
    rows_kept: int,
    rows_rejected: Mapping[str, int],
    pence_kept: int,
    pence_rejected: int,
    amount_read: Decimal | None = None,
) -> dict[str, Any]:
    """The rows and amounts of one report entry: read = kept + rejected (+ rounding).

    ``rows_rejected`` counts rows by reject reason; pence are exact integers. ``amount_read`` is
    the exact published sum in pounds when the reader has it; without it the amounts read are
    the kept and rejected pence (no rounding).
    """
    kept, rejected = int(pence_kept), int(pence_rejected)
    by_reason = {str(r): int(n) for r, n in sorted(rows_rejected.items())}
    with localcontext(EXACT):
        rounded = Decimal(kept + rejected).scaleb(-2)
        read = rounded if amount_read is None else Decimal(amount_read)
        rounding = read - rounded
    return {
        "rows_read": int(rows_kept) + sum(by_reason.values()),
        "rows_kept": int(rows_kept),
        "rows_rejected": by_reason,
        "amount_read": decimal_to_string(read),
        "amount_kept": pence_to_decimal_string(kept),
        "amount_rejected": pence_to_decimal_string(rejected),
        "amount_rounding": decimal_to_string(rounding),
    }


def iso_day(stamp: Any) -> str | None:
    """``YYYY-MM-DD`` of a timestamp, or None for NaT/NA (``date_min``/``date_max``).

    numpy datetime64 values and dates are read without pandas; anything else through it.
    """
    if stamp is None:
        return None
    if isinstance(stamp, np.datetime64):
        return None if np.isnat(stamp) else str(stamp.astype("datetime64[D]"))
    if type(stamp) is date:
        return stamp.isoformat()
    import pandas as pd

    return None if pd.isna(stamp) else pd.Timestamp(stamp).date().isoformat()


def account_files(
    infos: list[dict[str, Any]],
    kept: pd.DataFrame,
    kept_pence: pd.Series,
    rejected: pd.DataFrame,
    dates: pd.Series,
    rejected_pence: pd.Series | None = None,
) -> list[dict[str, Any]]:
    """Per-file report entries (rows and exact amounts read = kept + rejected, date range).

    ``infos`` holds one dict per input file with at least ``path`` (matching ``source_file``);
    ``kept_pence``/``dates`` align with ``kept``; ``rejected_pence`` (optional; none counted when
    absent) with ``rejected``. Each entry is the info followed by the `row_accounting` fields
    and ``date_min``/``date_max``.
    """
    import pandas as pd

    kept_rows = kept["source_file"].value_counts()
    kept_sum = _exact_sums(kept_pence, kept["source_file"])
    rej_pence = rejected_pence if rejected_pence is not None else pd.Series(0, index=rejected.index)
    rej_sum = _exact_sums(rej_pence, rejected["source_file"])
    reasons = rejected.groupby(["source_file", "reason"]).size()
    lo = dates.groupby(kept["source_file"]).min()
    hi = dates.groupby(kept["source_file"]).max()
    out = []
    for info in infos:
        f = info["path"]
        by_reason = {r: n for (g, r), n in reasons.items() if g == f}
        counts = row_accounting(
            kept_rows.get(f, 0), by_reason, kept_sum.get(f, 0), rej_sum.get(f, 0)
        )
        out.append(
            {**info, **counts, "date_min": iso_day(lo.get(f)), "date_max": iso_day(hi.get(f))}
        )
    return out


def _exact_sums(pence: pd.Series, groups: pd.Series) -> dict[Any, int]:
    """Exact sum of pence per group (Python ints; missing pence count nothing)."""
    import pandas as pd

    values = pd.Series(pence.to_numpy(), dtype="Int64").fillna(0).astype(object)
    return {
        key: sum(int(v) for v in part)
        for key, part in values.groupby(groups.to_numpy(), sort=False)
    }


def sum_report(
    files: list[dict[str, Any]], extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Totals over per-file report entries: counts added, reasons merged, amounts summed exactly.

    ``extra`` (reader-specific totals) is placed before ``date_min``/``date_max``, the overall
    date range of the entries' ranges.
    """
    reasons: Counter[str] = Counter()
    for f in files:
        reasons.update(f["rows_rejected"])
    totals: dict[str, Any] = {
        "files": len(files),
        "rows_read": sum(f["rows_read"] for f in files),
        "rows_kept": sum(f["rows_kept"] for f in files),
        "rows_rejected": dict(sorted(reasons.items())),
    }
    with localcontext(EXACT):
        for key in AMOUNT_FIELDS:
            totals[key] = decimal_to_string(
                sum((Decimal(f.get(key, "0")) for f in files), Decimal(0))
            )
    totals.update(extra or {})
    mins = [f["date_min"] for f in files if f.get("date_min")]
    maxs = [f["date_max"] for f in files if f.get("date_max")]
    totals["date_min"] = min(mins) if mins else None
    totals["date_max"] = max(maxs) if maxs else None
    return totals
