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

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kil_analysis import schema
from kil_analysis.readers.accounting import exact_int_sum, iso_day, row_accounting, sum_report
from kil_analysis.readers.arrow_text import (
    TEXT,
    Distinct,
    has_digit,
    is_frame,
    matches,
    text_array,
    top_rows,
)
from kil_analysis.readers.arrow_text import filled as filled_cells
from kil_analysis.readers.arrow_text import trimmed as trimmed_cells
from kil_analysis.readers.parse.amounts import debit_less_credit, read_amounts
from kil_analysis.readers.parse.dates import (
    DateParse,
    month_in_name,
    month_in_title,
    parse_distinct_dates,
    parse_periods,
)
from kil_analysis.readers.parse.redaction import redacted_flags
from kil_analysis.readers.parse.supplier_key import supplier_key_array
from kil_analysis.readers.parse.totals_rows import totals_rows
from kil_analysis.readers.spend.column_choice import (
    choose_columns,
    column_positions,
    evidence_report,
    sample_positions,
)
from kil_analysis.readers.spend.columns import (
    CREDIT,
    IGNORED,
    PERIOD,
    clean_header,
    header_scores,
)
from kil_analysis.readers.spend.header import Header, find_header, header_like_rows
from kil_analysis.readers.spend.rows import (
    count_lines,
    joined_date_amounts,
    labelled_totals,
    split_amounts,
    summary_lines,
    title_lines,
)

if TYPE_CHECKING:
    import pandas as pd

EARLIEST_PLAUSIBLE = np.datetime64("2000-01-01", "ns")
REJECT_TITLE = "title_or_note"
REJECT_SPLIT_AMOUNT = "split_amount"
REJECT_JOINED_DATE_AMOUNT = "date_and_amount_joined"
REJECT_IMPLAUSIBLE_AMOUNT = "implausible_amount"
# Canonical columns the reader fills itself; every other column of the schema is optional text
# taken as published (service area, expense type, reference, ids, postcode, cap/rev).
_READ_OR_COMPUTED = {
    "council", "source_file", "source_row", "payment_date", "amount", "amount_pence",
    "supplier_name", "supplier_key", "is_redacted",
}  # fmt: skip
TEXT_COLUMNS = [c for c in schema.SPEND_COLUMNS if c not in _READ_OR_COMPUTED]
ID_COLUMNS = {"supplier_id", "company_number", "charity_number", "vat_number", "postcode"}
TITLE_ROWS = 20  # the lines above a header read for the month a file states
# Placeholders finance systems put in identifier columns (compared upper-cased): no identifier.
NULL_IDS = [
    "", "NA", "N/A", "N.A.", "#N/A", "NULL", "NONE", "NIL", "-", "--", "TBC", "UNKNOWN",
    "NOT KNOWN", "NOT APPLICABLE", "NOT AVAILABLE", "NOT YET AVAILABLE", "REDACTED", "WITHHELD",
]  # fmt: skip
# Order matters: a row gets the first reason that applies.
REASON_ORDER = [
    schema.REJECT_TOTALS_ROW,
    REJECT_TITLE,
    REJECT_SPLIT_AMOUNT,
    REJECT_JOINED_DATE_AMOUNT,
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


def _quoted(cell: str | None) -> str:
    """A cell as CSV text: quoted (quotes doubled) where it holds a comma, quote or newline."""
    text = cell or ""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _raw_line(cells: Sequence[str | None]) -> str:
    """One rejected row's cells as one CSV line (trailing empty cells dropped)."""
    return ",".join(_quoted(c) for c in cells).rstrip(",")


def repeat_text(values: list[str], counts: list[int]) -> pa.Array:
    """``values[i]`` repeated ``counts[i]`` times, as one Arrow ``large_string`` array."""
    index = pa.array(np.repeat(np.arange(len(values), dtype=np.int32), counts))
    return pc.take(pa.array(values, type=TEXT), index)


class KnownKeys:
    """The supplier keys of the names met so far, so that each name's key is computed once.

    An ingest completes its spend table a group of files at a time (`finish_spend_table`);
    names recur from month to month (Newcastle: 7,468 distinct names, 22,650 counted group by
    group), and the key of a name is the same wherever it is met.
    """

    def __init__(self) -> None:
        """No names known yet."""
        self.names: pa.Array = pa.array([], type=TEXT)
        self.keys: pa.Array = pa.array([], type=TEXT)

    def of(self, names: pa.Array) -> pa.Array:
        """`supplier_key_array` of distinct ``names`` (no nulls), computed for new ones only."""
        where = pc.index_in(names, value_set=self.names)
        new = pc.is_null(where)
        if pc.any(new).as_py():
            fresh = pc.filter(names, new)
            self.names = pa.concat_arrays([self.names, fresh])
            self.keys = pa.concat_arrays([self.keys, supplier_key_array(fresh).cast(TEXT)])
            where = pc.index_in(names, value_set=self.names)
        return pc.take(self.keys, where)


def finish_spend_table(
    tables: list[pa.Table],
    source_files: list[str],
    council: str,
    known: KnownKeys | None = None,
) -> pa.Table:
    """Concatenate per-table spend parts (Arrow) and complete ``schema.SPEND_COLUMNS``.

    ``source_files[i]`` names the rows of ``tables[i]``; a part without an optional column gets
    it as missing. Supplier keys and redaction flags are computed once per distinct name
    (distinct names repeat from month to month); with ``known``, keys already computed for
    an earlier group of files are reused. Returns an Arrow table with exactly
    ``schema.SPEND_COLUMNS`` in order (text ``large_string``, ``payment_date`` timestamp[ns]).
    """
    sizes = [t.num_rows for t in tables]
    parts = [t for t in tables if t.num_columns]
    spend = pa.concat_tables(parts, promote_options="default") if parts else pa.table({})
    n = sum(sizes)

    def column(name: str, kind: pa.DataType) -> pa.Array | pa.ChunkedArray:
        if name not in spend.column_names:
            return pa.nulls(n, kind)
        values = spend.column(name)
        return values if values.type == kind else values.cast(kind)

    pence = column("amount_pence", pa.int64()).fill_null(0)
    names = column("supplier_name", TEXT)
    if isinstance(names, pa.ChunkedArray):
        names = names.combine_chunks()
    distinct = pc.dictionary_encode(names)  # one encoding for the keys and the flags
    codes = pc.fill_null(distinct.indices, -1).to_numpy(zero_copy_only=False)
    redacted = np.append(redacted_flags(distinct.dictionary), False)[codes]  # null: not
    if known is None:
        keys = supplier_key_array(distinct.dictionary)
    else:
        keys = known.of(distinct.dictionary)
    fields = {
        "council": repeat_text([council], [n]),
        "source_file": repeat_text(source_files, sizes),
        "source_row": column("source_row", pa.int64()),
        "payment_date": column("payment_date", pa.timestamp("ns")),
        "amount": pc.divide(pc.cast(pence, pa.float64()), 100.0),
        "amount_pence": pence,
        "supplier_name": names,
        "supplier_key": pc.take(keys, distinct.indices),
        "is_redacted": pa.array(redacted),
    }
    for field in TEXT_COLUMNS:
        fields[field] = column(field, TEXT)
    return pa.table({name: fields[name] for name in schema.SPEND_COLUMNS})


def _best_amount_guess(names: list[str], overrides: Mapping[str, str] | None) -> int | None:
    """The column whose header most plainly names the amount (for finding section breaks)."""
    scored = [(header_scores(n, overrides).get("amount", 0.0), -i) for i, n in enumerate(names)]
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= 0.5 else None


def _section_break(
    columns: list[pa.Array], names: list[str], filled_count: np.ndarray, overrides
) -> int | None:
    """Position (within the rows) of the first row that starts a new section, or None."""
    amount = _best_amount_guess(names, overrides)
    if amount is None or amount >= len(columns):
        return None
    candidates = ~has_digit(columns[amount]) & (filled_count >= 3)
    candidates[:1] = False  # the first row under a header continues it, never a new section
    found = header_like_rows(columns, candidates, overrides)
    return found[0] if found else None


def _last_filled(filled: np.ndarray) -> np.ndarray:
    """Per row, the index of the last filled column (-1 for a blank row)."""
    if filled.shape[0] == 0:
        return np.full(filled.shape[1], -1)
    reversed_first = np.argmax(filled[::-1, :], axis=0)
    last = filled.shape[0] - 1 - reversed_first
    return np.where(filled.any(axis=0), last, -1)


def _filled_matrix(columns: list[pa.Array], n: int) -> np.ndarray:
    """(columns × rows) True where a cell holds more than whitespace.

    The columns are tested as one array (one pass of each kernel, not one per column).
    """
    if not columns or n == 0:
        return np.zeros((max(len(columns), 1), n), dtype=bool)
    return filled_cells(pa.concat_arrays(columns)).reshape(len(columns), n)


def _text_column(column: pa.Array, nulls: list[str]) -> pa.Array:
    """Cells stripped of spaces, with the given placeholders (any case; and blanks) as missing.

    With blanks the only placeholder (``[""]``) no cell is upper-cased; a column with nothing
    missing is returned as trimmed.
    """
    trimmed = trimmed_cells(column)
    if list(nulls) == [""]:
        missing = pc.equal(pc.binary_length(trimmed), 0)
    else:
        missing = pc.is_in(pc.utf8_upper(trimmed), value_set=pa.array(nulls, type=TEXT))
    if not pc.any(missing).as_py():
        return trimmed
    return pc.if_else(missing, pa.scalar(None, TEXT), trimmed)


def _stated_month(cells: list[pa.Array], header: Header) -> tuple[tuple[int, int], str] | None:
    """((year, month), basis) a file's title lines state for all its rows (no date column).

    Only the title lines above the header ("January 2012") count, not the file's name: a name
    such as ``Suppliers April 2019.csv`` is as likely a summary table of totals as payments.
    None when the title states no single month.
    """
    lo = max(header.start - TITLE_ROWS, 0)
    if month := month_in_title(top_rows([c.slice(lo) for c in cells], header.start - lo)):
        return month, "its title states"
    return None


def _read_section(
    cells: list[pa.Array],
    lines: np.ndarray,
    header: Header,
    where: str,
    overrides: Mapping[str, str] | None,
    today: np.datetime64,
    hidden_rows: set[int],
) -> tuple[pa.Table, pa.Table, dict[str, Any], int | None]:
    """Read the rows under one header; also the grid index of the next section's header."""
    headers = [clean_header(h) for h in header.names]
    n_data = max(len(cells[0]) - header.stop, 0)
    data = [c.slice(header.stop) for c in cells]
    data_lines = np.asarray(lines[header.stop :], dtype=np.int64)
    filled = _filled_matrix(data, n_data)
    nonblank = filled.any(axis=0)
    positions = np.flatnonzero(nonblank)
    blank_rows = int((~nonblank).sum())
    filled_rows = filled[:, nonblank]
    filled_count = filled_rows.sum(axis=0)
    columns = data if blank_rows == 0 else [pc.filter(c, pa.array(nonblank)) for c in data]
    next_header = None
    cut = _section_break(columns, headers, filled_count, overrides)
    if cut is not None:
        break_at = int(positions[cut])
        next_header = header.stop + break_at
        blank_rows = int((~nonblank[:break_at]).sum())
        columns = [c.slice(0, cut) for c in columns]
        filled_rows, filled_count, positions = (
            filled_rows[:, :cut],
            filled_count[:cut],
            positions[:cut],
        )
    n = len(positions)
    row_lines = data_lines[positions]
    used = filled_rows.any(axis=1) if filled_rows.size else np.zeros(len(headers), dtype=bool)

    picks = pa.array(sample_positions(n))
    sample = {i: c.take(picks) for i, c in enumerate(columns)}
    stated = _stated_month(cells, header)
    choices = choose_columns(headers, sample, where, overrides, undated=stated is not None)
    chosen = column_positions(choices)
    supplier = Distinct(columns[chosen["supplier_name"]])
    amount_text = columns[chosen["amount"]]
    if CREDIT in chosen:  # a ledger's Debit and Credit columns: credits are negative amounts
        amount_text = debit_less_credit(amount_text, columns[chosen[CREDIT]])
    amounts = read_amounts(amount_text)
    if "payment_date" in chosen or PERIOD in chosen:
        date_cells = Distinct(
            columns[chosen["payment_date" if "payment_date" in chosen else PERIOD]]
        )
        if "payment_date" in chosen:
            parsed = parse_distinct_dates(date_cells.values.to_pylist(), date_cells.codes)
        else:
            parsed = parse_periods(
                date_cells.values.to_pylist(),
                codes=date_cells.codes,
                file_month=month_in_name(where),
            )
        date_blank = date_cells.empty()
    else:  # no date column: every row is dated by the month the file states (_stated_month)
        assert stated is not None
        (year, month), basis = stated
        date_cells = Distinct(pa.repeat(pa.scalar("", pa.string()), n))
        parsed = DateParse(
            values=np.full(n, np.datetime64(f"{year}-{month:02d}-01", "ns")),
            formats=[f"no date column: every row dated {year}-{month:02d}-01, the month {basis}"],
        )
        date_blank = np.zeros(n, dtype=bool)
    pence = amounts.pence
    ok = amounts.ok
    dates = np.asarray(parsed.values, dtype="datetime64[ns]")
    latest = (today + np.timedelta64(366, "D")).astype("datetime64[ns]")

    amount_blank = ~filled_rows[chosen["amount"]]  # the filled test already made of every cell
    if CREDIT in chosen:
        amount_blank &= ~filled_rows[chosen[CREDIT]]
    supplier_blank = supplier.empty()
    date_ok = ~np.isnat(dates)
    plausible = date_ok & (dates >= EARLIEST_PLAUSIBLE) & (dates <= latest)
    essential = {chosen["supplier_name"], chosen["amount"]}
    others = (c for i, c in enumerate(columns) if i not in essential)
    labelled = labelled_totals(supplier, supplier_blank, others, ~date_ok)
    # A footer may hold the row count where the date goes (``,,,,15694 ,"478,294,036.16",``):
    # a line with no supplier and no date that parses is a candidate total all the same.
    # A line counting the report's lines: a note, its number no pounds (rows.summary_lines).
    counted = count_lines(columns, filled_rows, ~date_ok)
    named_width = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    last_filled = _last_filled(filled_rows)
    split, joined = split_amounts(columns, chosen["amount"], named_width, last_filled)
    if "payment_date" in chosen:
        run_together, run_parts = joined_date_amounts(
            columns[chosen["payment_date"]],
            chosen["payment_date"],
            chosen["amount"],
            named_width,
            last_filled,
        )
    else:
        run_together, run_parts = np.zeros(n, dtype=bool), [""] * n
    # a run-together row's amount cell holds a shifted cell, no published amount: no pounds
    money = ~counted & ~run_together
    totals = totals_rows(~date_ok & supplier_blank & money, pence, ok, labelled=labelled & money)
    # a dated row is a payment, whatever its first cell says ("PRINTED BY US LTD", 02/04/2024)
    titles = title_lines(filled_count, amount_blank) | summary_lines(
        columns, filled_rows, (amount_blank | ~ok) & ~date_ok, counted
    )
    conditions = [
        totals,
        titles,
        split,
        run_together,
        amount_blank,
        ~ok,
        amounts.implausible,
        date_blank,
        ~date_ok,
        ~plausible,
    ]
    rejected = np.logical_or.reduce(conditions)
    keep = ~rejected
    reason = np.select([c[rejected] for c in conditions], REASON_ORDER, default="")

    every_row = bool(keep.all())  # most tables: nothing to filter out
    keep_mask = pa.array(keep)

    def kept(values: np.ndarray) -> np.ndarray:
        return values if every_row else values[keep]

    fields: dict[str, pa.Array] = {
        "source_row": pa.array(kept(row_lines)),
        "payment_date": pa.array(kept(dates)),
        "amount_pence": pa.array(kept(pence)),
        "supplier_name": supplier.text(None if every_row else keep),
    }
    for field in TEXT_COLUMNS:
        if field in chosen:
            nulls = NULL_IDS if field in ID_COLUMNS else [""]
            column = columns[chosen[field]]
            if not every_row:
                column = pc.filter(column, keep_mask)
            fields[field] = _text_column(column, nulls)
    spend = pa.table(fields)

    rejects = _rejects(
        columns,
        np.flatnonzero(rejected),
        row_lines[rejected],
        reason,
        {
            "totals": totals[rejected],
            "count": counted[rejected],
            "title": titles[rejected],
            "split": split[rejected],
            "run_together": run_together[rejected],
            "amount": (amount_blank | ~ok | amounts.implausible)[rejected],
            "date": (date_blank | ~date_ok | ~plausible)[rejected],
        },
        trimmed_cells(pc.filter(amount_text, pa.array(rejected))),
        date_cells.text(rejected),
        joined,
        run_parts,
    )
    reasons, counts = np.unique(reason, return_counts=True)
    kept_dates = dates[keep]
    blank_suppliers = int(
        (keep & (supplier_blank | supplier.rows(is_redacted_blank(supplier.values)))).sum()
    )
    report: dict[str, Any] = {
        **row_accounting(
            int(keep.sum()),
            dict(zip(reasons, counts, strict=True)),
            exact_int_sum(pence[keep]),
            exact_int_sum(pence[rejected & money]),
            amount_read=amounts.exact_sum(money),
        ),
        "header_row": int(lines[header.start]),
        "column_map": _column_map(
            headers + [""] * (len(used) - len(headers)), chosen, np.asarray(used)
        ),
        "column_evidence": evidence_report(choices),
        "date_formats": parsed.formats,
        "day_first": parsed.day_first,
        "day_first_basis": parsed.day_first_basis,
        "date_min": iso_day(kept_dates.min()) if len(kept_dates) else None,
        "date_max": iso_day(kept_dates.max()) if len(kept_dates) else None,
        "blank_rows_skipped": blank_rows,
    }
    if header.stop - header.start > 1:
        report["header_lines"] = header.stop - header.start
    if header.units_row is not None:
        report["units_row"] = int(lines[header.units_row])
    if parsed.period_basis:
        report["period_basis"] = parsed.period_basis
    if amounts.decimal_comma:
        report["decimal_comma"] = True
    if blank_suppliers:
        report["blank_supplier_rows"] = blank_suppliers
    if hidden_rows:
        hidden = int(np.isin(row_lines, np.fromiter(hidden_rows, dtype=np.int64)).sum())
        if hidden:
            report["hidden_rows"] = hidden
    return spend, rejects, report, next_header


def is_redacted_blank(names: pa.Array) -> np.ndarray:
    """Names that read ``(blank)``: Excel's label for an empty cell, a withheld payee."""
    return matches(names, r"(?i)^\(\s*blank\s*\)$")


def _rejects(
    columns: list[pa.Array],
    positions: np.ndarray,
    lines: np.ndarray,
    reasons: np.ndarray,
    about: dict[str, np.ndarray],
    amount: pa.Array,
    date: pa.Array,
    joined: list[str],
    run_parts: list[str],
) -> pa.Table:
    """The rejected rows with their reason, a one-line detail and the row as CSV text.

    ``positions`` index ``columns``; every other argument holds the rejected rows only
    (``amount`` and ``date``: their trimmed amount and date cells). An Arrow table (missing
    values null); rejected rows are few, so their text is made in plain Python.
    """
    if len(positions):
        index = pa.array(positions)
        cells = [pc.take(c, index).to_pylist() for c in columns]
        raw = [_raw_line(row) for row in zip(*cells, strict=True)]
        details = [
            _detail(
                bool(about["totals"][k]),
                bool(about["count"][k]),
                bool(about["title"][k]),
                bool(about["split"][k]),
                bool(about["run_together"][k]),
                bool(about["amount"][k]),
                bool(about["date"][k]),
                a,
                d,
                joined[i],
                run_parts[i],
            )
            for k, (i, a, d) in enumerate(
                zip(positions, amount.to_pylist(), date.to_pylist(), strict=True)
            )
        ]
    else:
        details = raw = []
    return pa.table(
        {
            "source_row": pa.array(np.asarray(lines, dtype=np.int64)),
            "reason": pa.array(reasons.tolist(), TEXT),
            "detail": pa.array(details, TEXT),
            "raw": pa.array(raw, TEXT),
        }
    )


def _detail(
    totals: bool,
    count: bool,
    title: bool,
    split: bool,
    run_together: bool,
    amount_bad: bool,
    date_bad: bool,
    amount: str | None,
    date: str | None,
    joined: str,
    run_parts: str,
) -> str | None:
    """The one-line detail of a rejected row (None when the cell it would quote is missing).

    The first that applies: a totals line, a title, note or summary line, a split amount, a date
    and amount run together, the amount, the date, else a line of text that is not a payment.
    """
    if count and amount:
        return f"a summary line counting the report's lines ({amount}): no pounds"
    if totals:
        return None if amount is None else f"a totals line: amount {amount or '(blank)'}"
    if title:
        return "not a payment line: a title, note or summary line of the report (no amount)"
    if split:
        if amount is None:
            return None
        rest = joined.split(",", 1)[-1]
        return f"amount {amount} then {rest}: an unquoted comma split the number ({joined}?)"
    if run_together:
        return (
            f"date {date} runs into the amount ({run_parts}?): a delimiter is missing and the "
            "cells after it have shifted; its pounds are not counted"
        )
    if amount_bad:
        return None if amount is None else f"amount {amount or '(blank)'}"
    if date_bad:
        return None if date is None else f"date {date or '(blank)'}"
    return "not a payment line: one cell of text and no amount"


def _merge_sections(
    parts: list[tuple[pa.Table, pa.Table, dict[str, Any]]],
) -> tuple[pa.Table, pa.Table, dict[str, Any]]:
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
    spend = pa.concat_tables([s for s, _, _ in parts], promote_options="default")
    rejects = pa.concat_tables([r for _, r, _ in parts])
    return spend, rejects, report


def grid_columns(cells: pd.DataFrame | Sequence[pa.Array]) -> list[pa.Array]:
    """A grid's columns as Arrow ``large_string`` arrays (a DataFrame's, or columns given)."""
    if is_frame(cells):
        return [text_array(cells[c]) for c in cells.columns]
    return [c if c.type == TEXT else c.cast(TEXT) for c in cells]


def read_spend_grid(
    cells: pd.DataFrame | Sequence[pa.Array],
    lines: np.ndarray,
    where: str,
    *,
    overrides: Mapping[str, str] | None = None,
    today: date | None = None,
    hidden_rows: set[int] | None = None,
) -> tuple[pa.Table, pa.Table, dict[str, Any]]:
    """Read one grid of text cells; returns (spend, rejects, report), both Arrow tables.

    ``cells``: a DataFrame of text, or its columns as Arrow string arrays (`grids.csv_columns`).

    ``spend`` (an Arrow table) holds ``source_row``, ``payment_date``, ``amount_pence``,
    ``supplier_name`` and the optional text columns the file has; :func:`finish_spend_table`
    completes the schema once over all files (council, source_file, amount, supplier_key,
    is_redacted, absent columns).
    ``rejects`` holds every reject column except ``source_file`` (``source_row``, then
    ``reason``, ``detail`` and ``raw`` as ``large_string``). ``report`` holds the
    per-table fields of the ingest report without ``path``/``encoding``; with ``sections`` when
    the grid holds more than one. ``hidden_rows``: 1-based rows a spreadsheet hides (counted
    in the report; they are read like any other). ``today`` (a date or datetime, e.g. a
    pandas Timestamp; default the local date today): rows dated more than 366 days after it
    are rejected as implausible. ValueError (one line, naming ``where``) when the date,
    supplier or amount column cannot be found.
    """
    columns = grid_columns(cells)
    if not columns or len(columns[0]) == 0:
        raise ValueError(f"{where}: cannot find the date column; headers are: (empty file)")
    day = _day(today or date.today())
    parts = []
    start = 0
    while True:
        header = find_header([c.slice(start) for c in columns], where, overrides)
        header = Header(
            header.start + start,
            header.stop + start,
            header.names,
            None if header.units_row is None else header.units_row + start,
        )
        spend, rejects, report, next_header = _read_section(
            columns, lines, header, where, overrides, day, hidden_rows or set()
        )
        parts.append((spend, rejects, report))
        if next_header is None or next_header <= header.start or len(parts) >= 50:
            break
        start = next_header
    return _merge_sections(parts)


def _day(moment: date) -> np.datetime64:
    """The calendar day of a date or datetime (a pandas Timestamp is one), as datetime64[D]."""
    if isinstance(moment, datetime):
        moment = moment.date()
    return np.datetime64(moment.isoformat(), "D")
