"""One grid of published cells → canonical spend rows, rejected rows and the file's report.

Works on a single table (a CSV, a ZIP member or a spreadsheet sheet). Every non-blank row after
the header is either kept or rejected with a reason from ``kil_analysis.schema``; the report's
counts and pence sums are computed from the same masks, so read = kept + rejected by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis import schema
from kil_analysis.readers.accounting import iso_day, row_accounting
from kil_analysis.readers.parse.amounts import parse_amounts
from kil_analysis.readers.parse.dates import parse_dates, parse_periods
from kil_analysis.readers.parse.redaction import is_redacted
from kil_analysis.readers.parse.supplier_key import supplier_keys
from kil_analysis.readers.parse.totals_rows import totals_rows
from kil_analysis.readers.spend.column_choice import (
    choose_columns,
    column_positions,
    evidence_report,
)
from kil_analysis.readers.spend.columns import (
    IGNORED,
    PERIOD,
    clean_header,
    header_evidence,
    looks_like_header,
)

HEADER_SEARCH_ROWS = 50
EARLIEST_PLAUSIBLE = pd.Timestamp("2000-01-01")
# Canonical columns the reader fills itself; every other column of the schema is optional text
# taken as published (service area, expense type, reference, ids, postcode, cap/rev).
_READ_OR_COMPUTED = {
    "council", "source_file", "source_row", "payment_date", "amount", "amount_pence",
    "supplier_name", "supplier_key", "is_redacted",
}  # fmt: skip
TEXT_COLUMNS = [c for c in schema.SPEND_COLUMNS if c not in _READ_OR_COMPUTED]
ID_COLUMNS = {"supplier_id", "company_number", "charity_number", "vat_number", "postcode"}
NULL_IDS = ["", "NA", "N/A", "#N/A", "NULL", "NONE", "-"]
# Order matters: a row gets the first reason that applies.
REASON_ORDER = [
    schema.REJECT_TOTALS_ROW,
    schema.REJECT_MISSING_AMOUNT,
    schema.REJECT_BAD_AMOUNT,
    schema.REJECT_MISSING_DATE,
    schema.REJECT_BAD_DATE,
    schema.REJECT_IMPLAUSIBLE_DATE,
    schema.REJECT_NO_SUPPLIER,
]


def _row_cells(cells: pd.DataFrame, i: int) -> list[str]:
    return [str(v) for v in cells.iloc[i].tolist()]


def find_header(cells: pd.DataFrame, where: str, overrides: Mapping[str, str] | None) -> int:
    """0-based index of the header row among the top rows of a grid.

    The header is the first row that names at least three fields, one of them the amount and
    another the supplier or the date (`looks_like_header`); failing that, the row that names
    the most fields. ValueError when the grid has no non-blank row.
    """
    best: tuple[int, int] | None = None
    for i in range(min(HEADER_SEARCH_ROWS, len(cells))):
        row = _row_cells(cells, i)
        if not any(c.strip() for c in row):
            continue
        if looks_like_header(row, overrides):
            return i
        evidence = header_evidence(row, overrides)
        if best is None or evidence > best[0]:
            best = (evidence, i)
    if best is None:
        raise ValueError(f"{where}: cannot find the date column; headers are: (no rows)")
    return best[1]


def _column_map(headers: list[str], chosen: dict[str, int], used: np.ndarray) -> dict[str, str]:
    """Published header → canonical field (or "ignored"); unnamed columns that hold data too."""
    by_pos = {pos: field for field, pos in chosen.items()}
    counts: dict[str, int] = {}
    out: dict[str, str] = {}
    for pos, header in enumerate(headers):
        if not header and not used[pos]:
            continue
        name = header or f"(unnamed column {pos + 1})"
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > 1:
            name = f"{name} (column {pos + 1})"
        out[name] = by_pos.get(pos, IGNORED)
    return out


def _filled(column: pd.Series) -> np.ndarray:
    """True where a cell holds more than whitespace (Arrow kernel; fast on long columns)."""
    trimmed = pc.utf8_trim_whitespace(pa.array(column.array))
    return np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(trimmed), 0), False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )


def _text(series: pd.Series, nulls: list[str]) -> pd.Series:
    s = series.astype("string").str.strip()
    return s.mask(s.isin(nulls))


def _quoted(cells: pd.Series) -> pd.Series:
    """Cells as CSV text: quoted (quotes doubled) where they hold a comma, quote or newline."""
    text = cells.astype("string").fillna("")
    needs = text.str.contains(r'[,"\r\n]', regex=True)
    return text.where(~needs, '"' + text.str.replace('"', '""', regex=False) + '"')


def _raw_text(rows: pd.DataFrame) -> pd.Series:
    """Each rejected row's cells as one CSV line (trailing empty cells dropped)."""
    joined = reduce(lambda a, b: a + "," + b, (_quoted(rows[c]) for c in rows.columns))
    return joined.str.replace(r",+$", "", regex=True)


def repeat_strings(values: list[str], counts: list[int]) -> pd.Series:
    """``values[i]`` repeated ``counts[i]`` times, as a "string" Series built in Arrow (fast)."""
    index = pa.array(np.repeat(np.arange(len(values), dtype=np.int32), counts))
    taken = pc.take(pa.array(values, type=pa.large_string()), index)
    return pd.Series(pd.arrays.ArrowStringArray(taken), dtype="string")


def finish_spend(frames: list[pd.DataFrame], source_files: list[str], council: str) -> pd.DataFrame:
    """Concatenate per-file spend frames and complete ``schema.SPEND_COLUMNS``.

    ``source_files[i]`` names the rows of ``frames[i]``. Supplier keys and redaction flags are
    computed once over all files (distinct names repeat from month to month).
    """
    sizes = [len(f) for f in frames]
    spend = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    n = len(spend)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    out["council"] = repeat_strings([council], [n])
    out["source_file"] = repeat_strings(source_files, sizes)
    out["source_row"] = spend.get("source_row", pd.Series([], dtype="int64")).astype("int64")
    out["payment_date"] = spend.get("payment_date", pd.Series([], dtype="datetime64[ns]")).astype(
        "datetime64[ns]"
    )
    pence = spend.get("amount_pence", pd.Series([], dtype="int64")).astype("int64")
    out["amount"] = pence.to_numpy() / 100.0
    out["amount_pence"] = pence.to_numpy()
    out["supplier_name"] = spend.get("supplier_name", pd.Series([], dtype=object)).astype("string")
    out["supplier_key"] = supplier_keys(out["supplier_name"])
    out["is_redacted"] = is_redacted(out["supplier_name"]).to_numpy(dtype=bool)
    for field in TEXT_COLUMNS:
        if field in spend:
            out[field] = spend[field].astype("string")
        else:
            out[field] = pd.array([pd.NA] * n, dtype="string")
    return out[schema.SPEND_COLUMNS]


def read_spend_grid(
    cells: pd.DataFrame,
    lines: np.ndarray,
    where: str,
    *,
    overrides: Mapping[str, str] | None = None,
    today: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read one grid of text cells; returns (spend, rejects, report).

    ``spend`` holds ``source_row``, ``payment_date``, ``amount_pence``, ``supplier_name`` and
    the optional text columns the file has; :func:`finish_spend` completes the schema once over
    all files (council, source_file, amount, supplier_key, is_redacted, absent columns).
    ``rejects`` holds every reject column except ``source_file``.
    ``report`` holds the per-file fields of the ingest report without ``path``/``encoding``.
    """
    if cells.shape[0] == 0:
        raise ValueError(f"{where}: cannot find the date column; headers are: (empty file)")
    header_index = find_header(cells, where, overrides)
    headers = [clean_header(h) for h in _row_cells(cells, header_index)]
    data = cells.iloc[header_index + 1 :]
    data_lines = np.asarray(lines[header_index + 1 :], dtype=np.int64)
    filled = [_filled(data[c]) for c in data.columns]
    filled_matrix = np.vstack(filled) if filled else np.zeros((0, len(data)), dtype=bool)
    nonblank = filled_matrix.any(axis=0) if len(data) else np.zeros(0, dtype=bool)
    used = filled_matrix[:, nonblank].any(axis=1) if len(data) else np.zeros(len(headers), bool)
    rows = data[nonblank]
    row_lines = data_lines[nonblank]
    choices = choose_columns(headers, rows, where, overrides)
    chosen = column_positions(choices)

    supplier = rows[chosen["supplier_name"]].str.strip()
    amount_text = rows[chosen["amount"]]
    date_field = "payment_date" if "payment_date" in chosen else PERIOD
    date_text = rows[chosen[date_field]].str.strip()
    amounts = parse_amounts(amount_text)
    parsed = parse_dates(date_text) if date_field == "payment_date" else parse_periods(date_text)
    pence = amounts["pence"].fillna(0).to_numpy(dtype=np.int64)
    ok = amounts["ok"].to_numpy(dtype=bool)
    dates = parsed.dates
    today = (today or pd.Timestamp.today()).normalize()
    latest = today + pd.Timedelta(days=366)

    amount_blank = (amount_text.str.strip() == "").to_numpy(dtype=bool)
    date_blank = (date_text == "").to_numpy(dtype=bool)
    supplier_blank = (supplier == "").to_numpy(dtype=bool)
    date_ok = dates.notna().to_numpy(dtype=bool)
    plausible = ((dates >= EARLIEST_PLAUSIBLE) & (dates <= latest)).to_numpy(dtype=bool)
    totals = totals_rows(date_blank & supplier_blank, pence, ok)
    conditions = [
        totals,
        amount_blank,
        ~ok,
        date_blank,
        ~date_ok,
        ~plausible,
        supplier_blank,
    ]
    reason = np.select(conditions, REASON_ORDER, default="")
    keep = reason == ""
    rejected = ~keep

    kept = rows[keep]
    spend = pd.DataFrame(
        {
            "source_row": row_lines[keep],
            "payment_date": dates[keep].to_numpy(dtype="datetime64[ns]"),
            "amount_pence": pence[keep],
            "supplier_name": supplier[keep].astype("string").reset_index(drop=True),
        }
    )
    for field in TEXT_COLUMNS:
        if field in chosen:
            nulls = NULL_IDS if field in ID_COLUMNS else [""]
            spend[field] = _text(kept[chosen[field]], nulls).reset_index(drop=True)

    rej_rows = rows[rejected]
    if rejected.any():
        details = np.select(
            [
                totals[rejected],
                (amount_blank | ~ok)[rejected],
                (date_blank | ~date_ok | ~plausible)[rejected],
            ],
            [
                "amount " + amount_text[rejected].str.strip() + " with no date or supplier",
                "amount " + amount_text[rejected].str.strip().replace("", "(blank)"),
                "date " + date_text[rejected].replace("", "(blank)"),
            ],
            default="supplier (blank)",
        )
        raw = _raw_text(rej_rows).to_numpy()
    else:
        details = raw = np.zeros(0, dtype=object)
    rejects = pd.DataFrame(
        {
            "source_row": row_lines[rejected],
            "reason": reason[rejected].astype(object),
            "detail": np.asarray(details, dtype=object),
            "raw": np.asarray(raw, dtype=object),
        }
    )

    reasons, counts = np.unique(reason[rejected], return_counts=True)
    kept_dates = spend["payment_date"]
    report: dict[str, Any] = {
        **row_accounting(
            int(keep.sum()),
            dict(zip(reasons, counts, strict=True)),
            int(pence[keep].sum(dtype=np.int64)),
            int(pence[rejected].sum(dtype=np.int64)),
        ),
        "header_row": int(lines[header_index]),
        "column_map": _column_map(headers + [""] * (len(used) - len(headers)), chosen, used),
        "column_evidence": evidence_report(choices),
        "date_formats": parsed.formats,
        "day_first": parsed.day_first,
        "day_first_basis": parsed.day_first_basis,
        "date_min": iso_day(kept_dates.min()),
        "date_max": iso_day(kept_dates.max()),
        "blank_rows_skipped": int((~nonblank).sum()),
    }
    return spend, rejects, report
