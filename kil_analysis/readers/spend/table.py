"""One grid of published cells → canonical spend rows, rejected rows and the table's report.

Works on a single table (a CSV, a ZIP member or a spreadsheet sheet), which may hold several
sections, each under its own header (invoices, then procurement-card transactions; or the
header repeated at every page break of a report export): each section's columns are chosen
from its own header and values. Every non-blank row under a header is either kept or rejected
with a reason from ``kil_analysis.schema``; the report's counts and sums are computed from the
same masks, so rows read = kept + rejected by construction, and the amount read (the exact
published sum) = kept + rejected + rounding.

A row with a date and an amount but a blank supplier (or ``(blank)``) is a payment whose payee
was withheld: it is kept, flagged as redacted, and counted in ``blank_supplier_rows``.
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
from kil_analysis.readers.accounting import exact_int_sum, iso_day, row_accounting, sum_report
from kil_analysis.readers.arrow_text import STRING, TEXT, bools, matches, string_series, text_array
from kil_analysis.readers.parse.amounts import read_amounts
from kil_analysis.readers.parse.dates import month_in_name, parse_dates, parse_periods
from kil_analysis.readers.parse.redaction import is_redacted
from kil_analysis.readers.parse.supplier_key import supplier_keys
from kil_analysis.readers.parse.totals_rows import totals_rows
from kil_analysis.readers.spend.column_choice import (
    choose_columns,
    column_positions,
    evidence_report,
)
from kil_analysis.readers.spend.columns import IGNORED, PERIOD, clean_header, header_scores
from kil_analysis.readers.spend.header import Header, find_header, header_like_rows
from kil_analysis.readers.spend.rows import labelled_totals, split_amounts, title_lines

EARLIEST_PLAUSIBLE = pd.Timestamp("2000-01-01")
REJECT_TITLE = "title_or_note"
REJECT_SPLIT_AMOUNT = "split_amount"
REJECT_IMPLAUSIBLE_AMOUNT = "implausible_amount"
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
    REJECT_TITLE,
    REJECT_SPLIT_AMOUNT,
    schema.REJECT_MISSING_AMOUNT,
    schema.REJECT_BAD_AMOUNT,
    REJECT_IMPLAUSIBLE_AMOUNT,
    schema.REJECT_MISSING_DATE,
    schema.REJECT_BAD_DATE,
    schema.REJECT_IMPLAUSIBLE_DATE,
]


def _column_map(headers: list[str], chosen: dict[str, int], used: np.ndarray) -> dict[str, str]:
    """Published header → canonical field (or "ignored"); unnamed columns that hold data too."""
    by_pos = {pos: field for field, pos in chosen.items()}
    counts: dict[str, int] = {}
    out: dict[str, str] = {}
    for pos, header in enumerate(headers):
        if not header and not (pos < len(used) and used[pos]):
            continue
        name = header or f"(unnamed column {pos + 1})"
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > 1:
            name = f"{name} (column {pos + 1})"
        out[name] = by_pos.get(pos, IGNORED)
    return out


def _filled(column: pd.Series) -> np.ndarray:
    """True where a cell holds more than whitespace (Arrow kernel; fast on long columns)."""
    return bools(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(text_array(column))), 0))


def _stripped(column: pd.Series) -> pd.Series:
    return string_series(pc.utf8_trim_whitespace(text_array(column)), column.index)


def _text(series: pd.Series, nulls: list[str]) -> pd.Series:
    """Cells stripped of spaces, with the given placeholders (and blanks) as missing."""
    trimmed = pc.utf8_trim_whitespace(text_array(series))
    missing = pc.is_in(trimmed, value_set=pa.array(nulls, type=TEXT))
    return string_series(pc.if_else(missing, pa.scalar(None, TEXT), trimmed), series.index)


def filled_matrix(frame: pd.DataFrame) -> np.ndarray:
    """(columns × rows) True where a cell holds more than whitespace, in one Arrow pass."""
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        return np.zeros((max(frame.shape[1], 1), frame.shape[0]), dtype=bool)
    stacked = pa.concat_arrays([text_array(frame[c]) for c in frame.columns])
    lengths = pc.utf8_length(pc.utf8_trim_whitespace(stacked))
    return bools(pc.greater(lengths, 0)).reshape(frame.shape[1], frame.shape[0])


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
    """Concatenate per-table spend frames and complete ``schema.SPEND_COLUMNS``.

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
            out[field] = string_series(pa.nulls(n, TEXT))
    return out[schema.SPEND_COLUMNS]


def _best_amount_guess(names: list[str], overrides: Mapping[str, str] | None) -> int | None:
    """The column whose header most plainly names the amount (for finding section breaks)."""
    scored = [(header_scores(n, overrides).get("amount", 0.0), -i) for i, n in enumerate(names)]
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= 0.5 else None


def _section_break(
    rows: pd.DataFrame, names: list[str], filled_count: np.ndarray, overrides
) -> int | None:
    """Position (within ``rows``) of the first row that starts a new section, or None."""
    amount = _best_amount_guess(names, overrides)
    if amount is None or amount not in rows.columns:
        return None
    no_digit = ~matches(rows[amount], r"\d")
    candidates = no_digit & (filled_count >= 3)
    candidates[:1] = False  # the first row under a header continues it, never a new section
    candidates = pd.Series(candidates)
    found = header_like_rows(rows, candidates, overrides)
    return found[0] if found else None


def _last_filled(filled: np.ndarray) -> np.ndarray:
    """Per row, the index of the last filled column (-1 for a blank row)."""
    if filled.shape[0] == 0:
        return np.full(filled.shape[1], -1)
    reversed_first = np.argmax(filled[::-1, :], axis=0)
    last = filled.shape[0] - 1 - reversed_first
    return np.where(filled.any(axis=0), last, -1)


def _read_section(
    cells: pd.DataFrame,
    lines: np.ndarray,
    header: Header,
    where: str,
    overrides: Mapping[str, str] | None,
    today: pd.Timestamp,
    hidden_rows: set[int],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any], int | None]:
    """Read the rows under one header; also the grid index of the next section's header."""
    headers = [clean_header(h) for h in header.names]
    data = cells.iloc[header.stop :]
    data_lines = np.asarray(lines[header.stop :], dtype=np.int64)
    filled = filled_matrix(data)
    nonblank = filled.any(axis=0)
    positions = np.flatnonzero(nonblank)
    filled_rows = filled[:, nonblank]
    rows = data.iloc[positions]
    filled_count = filled_rows.sum(axis=0)
    next_header = None
    blank_rows = int((~nonblank).sum())
    cut = _section_break(rows, headers, filled_count, overrides)
    if cut is not None:
        break_at = int(positions[cut])
        next_header = header.stop + break_at
        blank_rows = int((~nonblank[:break_at]).sum())
        rows, filled_rows, filled_count = rows.iloc[:cut], filled_rows[:, :cut], filled_count[:cut]
        positions = positions[:cut]
    row_lines = data_lines[positions]
    used = filled_rows.any(axis=1) if filled_rows.size else np.zeros(len(headers), dtype=bool)

    choices = choose_columns(headers, rows, where, overrides)
    chosen = column_positions(choices)
    supplier = _stripped(rows[chosen["supplier_name"]])
    amount_text = rows[chosen["amount"]]
    date_field = "payment_date" if "payment_date" in chosen else PERIOD
    date_text = _stripped(rows[chosen[date_field]])
    amounts = read_amounts(amount_text)
    if date_field == "payment_date":
        parsed = parse_dates(date_text)
    else:
        parsed = parse_periods(date_text, file_month=month_in_name(where))
    pence = amounts.pence
    ok = amounts.ok
    dates = parsed.dates
    latest = today + pd.Timedelta(days=366)

    amount_blank = ~_filled(amount_text)
    date_blank = (date_text == "").to_numpy(dtype=bool)
    supplier_blank = (supplier == "").to_numpy(dtype=bool)
    date_ok = dates.notna().to_numpy(dtype=bool)
    plausible = ((dates >= EARLIEST_PLAUSIBLE) & (dates <= latest)).to_numpy(dtype=bool)
    essential = {chosen["supplier_name"], chosen["amount"]}
    labelled = labelled_totals(
        supplier, supplier_blank, (rows[c] for c in rows.columns if c not in essential)
    )
    totals = totals_rows(date_blank & supplier_blank, pence, ok, labelled=labelled)
    titles = title_lines(filled_count, amount_blank)
    named_width = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    split, joined = split_amounts(rows, chosen["amount"], named_width, _last_filled(filled_rows))
    conditions = [
        totals,
        titles,
        split,
        amount_blank,
        ~ok,
        amounts.implausible,
        date_blank,
        ~date_ok,
        ~plausible,
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
            "supplier_name": supplier[keep].reset_index(drop=True),
        }
    )
    for field in TEXT_COLUMNS:
        if field in chosen:
            nulls = NULL_IDS if field in ID_COLUMNS else [""]
            spend[field] = _text(kept[chosen[field]], nulls).reset_index(drop=True)

    rejects = _rejects(
        rows[rejected],
        row_lines[rejected],
        reason[rejected],
        {
            "totals": totals[rejected],
            "split": split[rejected],
            "amount": (amount_blank | ~ok | amounts.implausible)[rejected],
            "date": (date_blank | ~date_ok | ~plausible)[rejected],
        },
        _stripped(amount_text)[rejected],
        date_text[rejected],
        joined[rejected],
    )
    reasons, counts = np.unique(reason[rejected], return_counts=True)
    kept_dates = spend["payment_date"]
    blank_suppliers = int((keep & (supplier_blank | is_redacted_blank(supplier))).sum())
    report: dict[str, Any] = {
        **row_accounting(
            int(keep.sum()),
            dict(zip(reasons, counts, strict=True)),
            exact_int_sum(pence[keep]),
            exact_int_sum(pence[rejected]),
            amount_read=amounts.exact_sum(np.ones(len(pence), dtype=bool)),
        ),
        "header_row": int(lines[header.start]),
        "column_map": _column_map(
            headers + [""] * (len(used) - len(headers)), chosen, np.asarray(used)
        ),
        "column_evidence": evidence_report(choices),
        "date_formats": parsed.formats,
        "day_first": parsed.day_first,
        "day_first_basis": parsed.day_first_basis,
        "date_min": iso_day(kept_dates.min()),
        "date_max": iso_day(kept_dates.max()),
        "blank_rows_skipped": blank_rows,
    }
    if header.stop - header.start > 1:
        report["header_lines"] = header.stop - header.start
    if amounts.decimal_comma:
        report["decimal_comma"] = True
    if blank_suppliers:
        report["blank_supplier_rows"] = blank_suppliers
    if hidden_rows:
        hidden = int(np.isin(row_lines, np.fromiter(hidden_rows, dtype=np.int64)).sum())
        if hidden:
            report["hidden_rows"] = hidden
    return spend, rejects, report, next_header


def is_redacted_blank(names: pd.Series) -> np.ndarray:
    """Names that read ``(blank)``: Excel's label for an empty cell, a withheld payee."""
    return matches(names, r"(?i)^\(\s*blank\s*\)$")


def _rejects(
    rows: pd.DataFrame,
    lines: np.ndarray,
    reasons: np.ndarray,
    about: dict[str, np.ndarray],
    amount: pd.Series,
    date: pd.Series,
    joined: pd.Series,
) -> pd.DataFrame:
    """The rejected rows with their reason, a one-line detail and the row as CSV text."""
    if len(rows):
        details = np.select(
            [about["totals"], about["split"], about["amount"], about["date"]],
            [
                "a totals line: amount " + amount.replace("", "(blank)"),
                "amount "
                + amount
                + " then "
                + joined.str.split(",", n=1).str[-1]
                + ": an unquoted comma split the number ("
                + joined
                + "?)",
                "amount " + amount.replace("", "(blank)"),
                "date " + date.replace("", "(blank)"),
            ],
            default="not a payment line: one cell of text and no amount",
        )
        raw = _raw_text(rows).to_numpy()
    else:
        details = raw = np.zeros(0, dtype=object)
    return pd.DataFrame(
        {
            "source_row": lines,
            "reason": reasons.astype(object),
            "detail": np.asarray(details, dtype=object),
            "raw": np.asarray(raw, dtype=object),
        }
    )


def _merge_sections(
    parts: list[tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]],
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """One table's sections as one result: rows concatenated, counts and sums added."""
    if len(parts) == 1:
        return parts[0]
    reports = [r for _, _, r in parts]
    totals = sum_report(reports)
    totals.pop("files", None)
    report = {**reports[0], **totals}
    report["blank_rows_skipped"] = sum(r["blank_rows_skipped"] for r in reports)
    report["date_formats"] = sorted({f for r in reports for f in r["date_formats"]})
    for key in ("blank_supplier_rows", "hidden_rows"):
        if any(key in r for r in reports):
            report[key] = sum(r.get(key, 0) for r in reports)
    report["sections"] = [
        {
            "header_row": r["header_row"],
            "rows_read": r["rows_read"],
            "rows_kept": r["rows_kept"],
            "amount_read": r["amount_read"],
            "column_map": r["column_map"],
        }
        for r in reports
    ]
    spend = pd.concat([s for s, _, _ in parts], ignore_index=True)
    rejects = pd.concat([r for _, r, _ in parts], ignore_index=True)
    return spend, rejects, report


def read_spend_grid(
    cells: pd.DataFrame,
    lines: np.ndarray,
    where: str,
    *,
    overrides: Mapping[str, str] | None = None,
    today: pd.Timestamp | None = None,
    hidden_rows: set[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read one grid of text cells; returns (spend, rejects, report).

    ``spend`` holds ``source_row``, ``payment_date``, ``amount_pence``, ``supplier_name`` and
    the optional text columns the file has; :func:`finish_spend` completes the schema once over
    all files (council, source_file, amount, supplier_key, is_redacted, absent columns).
    ``rejects`` holds every reject column except ``source_file``. ``report`` holds the
    per-table fields of the ingest report without ``path``/``encoding``; with ``sections`` when
    the grid holds more than one. ``hidden_rows``: 1-based rows a spreadsheet hides (counted
    in the report; they are read like any other). ValueError (one line, naming ``where``)
    when the date, supplier or amount column cannot be found.
    """
    if cells.shape[0] == 0:
        raise ValueError(f"{where}: cannot find the date column; headers are: (empty file)")
    cells = (
        cells if all(isinstance(t, pd.StringDtype) for t in cells.dtypes) else cells.astype(STRING)
    )
    today = (today or pd.Timestamp.today()).normalize()
    parts = []
    start = 0
    while True:
        header = find_header(cells.iloc[start:], where, overrides)
        header = Header(header.start + start, header.stop + start, header.names)
        spend, rejects, report, next_header = _read_section(
            cells, lines, header, where, overrides, today, hidden_rows or set()
        )
        parts.append((spend, rejects, report))
        if next_header is None or next_header <= header.start or len(parts) >= 50:
            break
        start = next_header
    return _merge_sections(parts)
