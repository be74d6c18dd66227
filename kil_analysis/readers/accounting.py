"""What every reader returns, and the ingest report's accounting of rows and pence.

The spend, grants and contracts readers all return a `ReadResult` (the spend reader's
`IngestResult` is one, with ``spend`` naming its table) whose ``report`` is
``{"files": [entry, ...], "totals": {...}}``. Each entry and the totals carry ``rows_read``,
``rows_kept``, ``rows_rejected`` (count by reason, sorted), ``amount_read``/``amount_kept``/
``amount_rejected`` (exact pounds as decimal strings) and ``date_min``/``date_max`` (ISO days of
the kept rows). Invariant, per file and in total: read = kept + rejected, rows and pence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from kil_analysis.readers.parse.amounts import pence_to_decimal_string


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


def row_accounting(
    rows_kept: int, rows_rejected: Mapping[str, int], pence_kept: int, pence_rejected: int
) -> dict[str, Any]:
    """The rows and amounts of one report entry: read = kept + rejected, by construction.

    ``rows_rejected`` counts rows by reject reason; pence are exact integers.
    """
    kept, rejected = int(pence_kept), int(pence_rejected)
    by_reason = {str(r): int(n) for r, n in sorted(rows_rejected.items())}
    return {
        "rows_read": int(rows_kept) + sum(by_reason.values()),
        "rows_kept": int(rows_kept),
        "rows_rejected": by_reason,
        "amount_read": pence_to_decimal_string(kept + rejected),
        "amount_kept": pence_to_decimal_string(kept),
        "amount_rejected": pence_to_decimal_string(rejected),
    }


def iso_day(stamp: Any) -> str | None:
    """``YYYY-MM-DD`` of a timestamp, or None for NaT/NA (``date_min``/``date_max``)."""
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
    kept_rows = kept["source_file"].value_counts()
    kept_sum = kept_pence.astype("Int64").fillna(0).groupby(kept["source_file"]).sum()
    rej_pence = (
        rejected_pence.astype("Int64").fillna(0)
        if rejected_pence is not None
        else pd.Series(0, index=rejected.index, dtype="Int64")
    )
    rej_sum = rej_pence.groupby(rejected["source_file"]).sum()
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


def _pence(decimal_string: str) -> int:
    return int(Decimal(decimal_string) * 100)


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
    for key in ("amount_read", "amount_kept", "amount_rejected"):
        totals[key] = pence_to_decimal_string(sum(_pence(f[key]) for f in files))
    totals.update(extra or {})
    mins = [f["date_min"] for f in files if f.get("date_min")]
    maxs = [f["date_max"] for f in files if f.get("date_max")]
    totals["date_min"] = min(mins) if mins else None
    totals["date_max"] = max(maxs) if maxs else None
    return totals
