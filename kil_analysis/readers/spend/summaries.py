"""Summary sheets: a workbook's pivot of its own payments is not a second set of payments.

Councils publish workbooks with a data sheet and a summary beside it (``Supplier, Month,
Total``: the month's spend with each supplier). Read as payments, the summary counts every
pound twice. A table summarises another table of the same workbook when each of its rows holds
exactly (to the penny, never zero) what the other paid that row's supplier in that row's
month, one row per supplier and month, at least two rows, and either

- it has fewer rows than the other, one of them the sum of two or more payments (a pivot), or
- it has as many rows (every supplier paid once a month), comes after the other and holds
  fewer of its fields (a summary's supplier, month and total beside the payments' details).

Such a sheet is listed as not read, with the reason; the sheet it summarises is read. A summary
of one row, or with a row of zero, cannot be told from payments and is read as payments.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

_Key = tuple[str, int]  # (supplier as compared, months since year 0)


def _monthly_sums(spend: pa.Table) -> tuple[dict[_Key, int], dict[_Key, int]]:
    """Pence paid to each supplier in each month, and how many payments make each sum.

    Sums are Python integers (exact); the supplier is compared trimmed and in upper case.
    """
    names = pc.utf8_upper(pc.utf8_trim_whitespace(spend["supplier_name"])).to_pylist()
    dates = spend["payment_date"]
    months = pc.add(pc.multiply(pc.year(dates), 12), pc.month(dates)).to_pylist()
    sums: dict[_Key, int] = {}
    counts: dict[_Key, int] = {}
    for name, month, pence in zip(names, months, spend["amount_pence"].to_pylist(), strict=True):
        key = (name or "", month or 0)
        sums[key] = sums.get(key, 0) + int(pence)
        counts[key] = counts.get(key, 0) + 1
    return sums, counts


def summarised_table(
    spend: pa.Table, earlier: Sequence[pa.Table], later: Sequence[pa.Table]
) -> int | None:
    """Position in ``[*earlier, *later]`` of the table ``spend`` summarises, or None.

    ``earlier``/``later``: the workbook's other tables read, before and after ``spend`` (the
    rule is the module docstring's).
    """
    if spend.num_rows < 2:
        return None
    rows, _ = _monthly_sums(spend)
    if len(rows) < spend.num_rows or 0 in rows.values():  # not one row per supplier and month
        return None
    for i, other in enumerate([*earlier, *later]):
        fewer = other.num_rows > spend.num_rows
        copy = (
            other.num_rows == spend.num_rows
            and i < len(earlier)
            and set(spend.column_names) < set(other.column_names)
        )
        if not (fewer or copy):
            continue
        paid, counts = _monthly_sums(other)
        if not all(paid.get(key) == pence for key, pence in rows.items()):
            continue
        if copy or max(counts[key] for key in rows) >= 2:
            return i
    return None
