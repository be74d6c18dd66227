"""Read grants files (360Giving CSV/XLSX/JSON and older council grant lists) into one table.

Every non-blank data row is kept or rejected with a reason (``totals_row``, ``missing_amount``,
``unparseable_amount``, ``missing_date``, ``unparseable_date``, ``missing_recipient``,
``duplicate_grant``), and whole files that cannot be read (``unreadable_file``,
``unrecognised_layout``) are one rejected row each: whatever a file holds — garbage bytes, a
broken spreadsheet, JSON nested a thousand deep — it never raises. Rows and pence read = kept +
rejected, per file and in total (see `ReadResult`).

The same grants published twice (360Giving publishers put out CSV and JSON of one set): a file
whose grant identifiers and total are exactly those of an earlier file is not read again — it is
listed in ``report["skipped"]`` with ``duplicate_of`` — and a grant whose identifier was
already read from another file is rejected as ``duplicate_grant``, so no grant counts twice. Totals
rows follow the rule shared with the spend reader (`kil_analysis.readers.parse.totals_rows`):
labelled
``Total``, or an amount with nothing identifying a grant that sums the other rows.

Dates: the shared parser decides day/month order per column from the evidence; here the column
is split first by style — numeric dates with a two-digit year versus everything else — because
older lists mix a UK-typed ``28/08/12`` with a US-exported ``7/28/2014`` in one column, and each
style gets its own decision (reported in ``date_orders``). A 360Giving time-zone suffix is
dropped by the parser. Amounts are exact pence from the shared amount parser; ``amount`` (GBP
float) is for display only.
"""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kil_analysis.readers.accounting import ReadResult, account_files, exact_int_sum, sum_report
from kil_analysis.readers.archives import xlsx_inflation_problem
from kil_analysis.readers.decoding import decode
from kil_analysis.readers.grants.layout import (
    FIELDS,
    IDENTITY_FIELDS,
    is_grants_header,
    json_grant_fields,
    map_grant_columns,
)
from kil_analysis.readers.grants.registration import numbers_from_org_ids, registration_ids
from kil_analysis.readers.grids import csv_grid, excel_grids
from kil_analysis.readers.parse.amounts import parse_amounts
from kil_analysis.readers.parse.dates import parse_dates
from kil_analysis.readers.parse.postcodes import extract_postcodes
from kil_analysis.readers.parse.supplier_key import supplier_keys
from kil_analysis.readers.parse.totals_rows import labelled_total, totals_rows
from kil_analysis.readers.sources import input_files
from kil_analysis.readers.spend.columns import clean_header
from kil_analysis.schema import (
    REJECT_BAD_AMOUNT,
    REJECT_BAD_DATE,
    REJECT_MISSING_AMOUNT,
    REJECT_MISSING_DATE,
    REJECT_TOTALS_ROW,
)

REJECT_MISSING_RECIPIENT = "missing_recipient"
REJECT_UNREADABLE_FILE = "unreadable_file"
REJECT_UNRECOGNISED_LAYOUT = "unrecognised_layout"
REJECT_DUPLICATE_GRANT = "duplicate_grant"
REJECT_COLUMNS = ["source_file", "source_row", "reason", "detail", "raw"]
GRANT_COLUMNS = [
    "source_file",
    "source_row",
    "grant_id",
    "title",
    "amount_pence",
    "amount",
    "award_date",
    "recipient_name",
    "recipient_key",
    "recipient_org_id",
    "charity_number",
    "company_number",
    "recipient_registration",
    "recipient_postcode",
    "funder_id",
    "funder_name",
    "programme",
    "beneficiary_location_code",
]
SUFFIXES = (".csv", ".json", ".xlsx", ".xlsm", ".xls", ".ods")
CSVW_METADATA = ("-metadata.json",)  # CSV on the Web descriptions of a CSV, not grants
_HEADER_SEARCH_ROWS = 30
_NULLS = {"", "none", "n/a", "na", "nan", "null", "nil", "-", "--", "not applicable"}
_TWO_DIGIT_YEAR = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}$"


def _frame_from_grid(
    cells: pd.DataFrame, lines: np.ndarray, source: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Canonical text fields from a grid of cells (header found in the first rows), and info."""
    for i in range(min(_HEADER_SEARCH_ROWS, len(cells))):
        headers = list(cells.iloc[i])
        if is_grants_header(headers):
            break
    else:
        first = [str(h).strip() for h in (cells.iloc[0] if len(cells) else []) if str(h).strip()]
        raise _LayoutError(
            f"no header naming an amount and a recipient in the first {_HEADER_SEARCH_ROWS} rows "
            f"(first row: {', '.join(first[:12]) or 'empty'})"
        )
    mapping = map_grant_columns(headers)
    body = cells.iloc[i + 1 :]
    blank = body.apply(lambda c: c.astype(str).str.strip() == "").all(axis=1).to_numpy()
    body = body[~blank]
    out = pd.DataFrame(index=range(len(body)))
    for field in FIELDS:
        col = body[mapping[field]] if field in mapping else pd.Series(None, index=body.index)
        out[field] = col.to_numpy()
    out["source_file"] = source
    out["source_row"] = np.asarray(lines[i + 1 :])[~blank]
    text = [body[c].astype(str) for c in body.columns]
    joined = reduce(lambda a, b: a + "," + b, text) if text else pd.Series("", index=body.index)
    out["raw"] = joined.str.replace(r",+$", "", regex=True).to_numpy()
    column_map = {clean_header(headers[pos]): field for field, pos in sorted(mapping.items())}
    return out, {"header_row": int(lines[i]), "column_map": column_map}


class _LayoutError(ValueError):
    """A file that holds no recognisable grants table."""


def _read_one(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Canonical text fields of one file, and report info (format, encoding, header map)."""
    source = str(path)
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".json":
        text, encoding = decode(data)
        doc = json.loads(text)
        grants = doc.get("grants") if isinstance(doc, dict) else None
        if not isinstance(grants, list):
            raise _LayoutError('expected a 360Giving JSON object with a "grants" list')
        rows = [json_grant_fields(g) if isinstance(g, dict) else {} for g in grants]
        out = pd.DataFrame(rows, columns=list(FIELDS))
        out["source_file"] = source
        out["source_row"] = np.arange(1, len(rows) + 1)
        out["raw"] = [json.dumps(g, default=str)[:500] for g in grants]
        return out, {"format": "360giving-json", "encoding": encoding}
    if suffix == ".csv":
        text, encoding = decode(data)
        out, info = _frame_from_grid(*csv_grid(text, source), source)
        return out, {"format": "csv", "encoding": encoding, **info}
    if problem := xlsx_inflation_problem(data):
        raise ValueError(problem)
    errors = []
    for sheet, cells in excel_grids(data, suffix):
        try:
            out, info = _frame_from_grid(cells, np.arange(1, len(cells) + 1), source)
            return out, {"format": suffix[1:], "sheet": sheet, **info}
        except _LayoutError as exc:
            errors.append(f"{sheet}: {exc}")
    raise _LayoutError("; ".join(errors) or "no sheets")


def _clean(values: pd.Series) -> pd.Series:
    s = values.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return s.mask(s.str.lower().isin(_NULLS))


def _award_dates(values: pd.Series) -> tuple[pd.Series, list[str], list[str]]:
    """Dates, formats found and day/month decisions, one decision per date style (module doc)."""
    text = values.astype("string")
    short = text.str.match(_TWO_DIGIT_YEAR).fillna(False).astype(bool)
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    formats: set[str] = set()
    orders: list[str] = []
    for style, mask in (("two-digit year", short), ("other", ~short)):
        if not (mask & text.notna()).any():
            continue
        parsed = parse_dates(text[mask])
        dates[mask] = parsed.dates
        formats.update(parsed.formats)
        if parsed.day_first is not None:
            order = "day-first" if parsed.day_first else "month-first"
            orders.append(f"{style}: {order} ({parsed.day_first_basis})")
    return dates, sorted(formats), orders


def _finish(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series, dict[str, Any]]:
    """Typed table, reject reason per row (NA if kept), pence per row, date info; one file."""
    f = {c: _clean(raw[c]) for c in FIELDS}
    amounts = parse_amounts(f["amount"])
    dates, formats, orders = _award_dates(f["award_date"])
    parsed = registration_ids(f["registration_text"])
    from_id = numbers_from_org_ids(f["recipient_org_id"])
    charity_col = registration_ids("Charity " + f["charity_text"])
    company_col = registration_ids("Company " + f["company_text"])
    charity = charity_col["charity_number"].fillna(from_id["charity_number"])
    charity = charity.fillna(parsed["charity_number"])
    company = company_col["company_number"].fillna(from_id["company_number"])
    company = company.fillna(parsed["company_number"])
    org_id = f["recipient_org_id"].fillna(parsed["org_id"])
    org_id = org_id.fillna(charity_col["org_id"]).fillna(company_col["org_id"])
    postcode = extract_postcodes(f["recipient_postcode"]).fillna(f["recipient_postcode"])

    identity = pd.concat([f[c].notna() for c in IDENTITY_FIELDS], axis=1).any(axis=1)
    has_amount = f["amount"].notna()
    labelled = labelled_total(f[c] for c in ("recipient_name", "title", "grant_id"))
    totals = totals_rows(
        (has_amount & ~identity).to_numpy(dtype=bool),
        amounts["pence"].fillna(0).to_numpy(dtype="int64"),
        amounts["ok"].to_numpy(dtype=bool),
        labelled=labelled & has_amount.to_numpy(dtype=bool),
    )
    reason = pd.Series(pd.NA, index=raw.index, dtype="string")
    checks = [
        (pd.Series(totals, index=raw.index), REJECT_TOTALS_ROW),
        (~has_amount, REJECT_MISSING_AMOUNT),
        (~amounts["ok"], REJECT_BAD_AMOUNT),
        (f["recipient_name"].isna() & org_id.isna(), REJECT_MISSING_RECIPIENT),
        (f["award_date"].isna(), REJECT_MISSING_DATE),
        (dates.isna(), REJECT_BAD_DATE),
    ]
    for mask, why in checks:
        reason = reason.mask(reason.isna() & mask.astype(bool), why)
    table = pd.DataFrame(
        {
            "source_file": raw["source_file"].astype("string"),
            "source_row": raw["source_row"].astype("Int64"),
            "grant_id": f["grant_id"],
            "title": f["title"],
            "amount_pence": amounts["pence"],
            "amount": amounts["pence"].astype("Float64") / 100,
            "award_date": dates,
            "recipient_name": f["recipient_name"],
            "recipient_key": supplier_keys(f["recipient_name"]),
            "recipient_org_id": org_id,
            "charity_number": charity,
            "company_number": company,
            "recipient_registration": f["registration_text"],
            "recipient_postcode": postcode,
            "funder_id": f["funder_id"],
            "funder_name": f["funder_name"],
            "programme": f["programme"],
            "beneficiary_location_code": f["beneficiary_location_code"],
        },
        index=raw.index,
    )
    return table, reason, amounts["pence"], {"date_formats": formats, "date_orders": orders}


def _detail(reason: str, raw: pd.Series) -> str:
    if reason in (REJECT_BAD_AMOUNT, REJECT_MISSING_AMOUNT):
        return f"amount {raw['amount']!r}"
    if reason in (REJECT_BAD_DATE, REJECT_MISSING_DATE):
        return f"award date {raw['award_date']!r}"
    if reason == REJECT_TOTALS_ROW:
        return f"amount {raw['amount']!r} with no grant, recipient or date (or labelled total)"
    if reason == REJECT_DUPLICATE_GRANT:
        return f"grant {raw['grant_id']!r} was already read from another file"
    return "neither a recipient name nor an org id"


def _unreadable(path: Path, exc: BaseException) -> pd.DataFrame:
    """The one rejected row that stands for a file that cannot be read."""
    why = REJECT_UNRECOGNISED_LAYOUT if isinstance(exc, _LayoutError) else REJECT_UNREADABLE_FILE
    first_line = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    if not isinstance(exc, ValueError | OSError) or isinstance(exc, UnicodeError):
        first_line = f"{type(exc).__name__}: {first_line}"
    row = {"source_file": str(path), "source_row": pd.NA, "reason": why, "detail": first_line}
    return pd.DataFrame([{**row, "raw": ""}])


def _same_grants(
    ids: pd.Series, pence: int, earlier: list[tuple[str, frozenset, int]]
) -> str | None:
    """The earlier file holding exactly these grant identifiers and this total, if any."""
    key = frozenset(ids.dropna())
    if not key or len(key) != ids.notna().sum():
        return None
    return next((path for path, seen, total in earlier if seen == key and total == pence), None)


def read_grants(paths: Any) -> ReadResult:
    """Read grants files or folders (``.csv``, ``.json``, ``.xlsx``/``.xls``/``.ods``).

    Returns a `ReadResult`: ``table`` with `GRANT_COLUMNS` (``source_row`` is the 1-based line in
    a CSV, sheet row in a spreadsheet, or grant number in JSON), ``rejects`` (`REJECT_COLUMNS`),
    and ``report`` with ``files`` (``path``, ``format``, ``encoding``, ``column_map``,
    ``date_formats``, ``date_orders``, rows and amounts read/kept/rejected, ``date_min``/
    ``date_max``), ``skipped`` (files holding the same grants as an earlier one, with
    ``duplicate_of``), ``failed`` (files that could not be read: path and reason; each is also
    one rejected row) and ``totals`` (with ``duplicate_files``). See the package docstring for
    ids and registration numbers. Never raises for a file's contents (FileNotFoundError for a
    path that does not exist).
    """
    tables, reject_frames, rejected_pence, infos = [], [], [], []
    skipped: list[dict[str, str]] = []
    failed: list[dict[str, str]] = []
    earlier: list[tuple[str, frozenset, int]] = []
    seen_ids: set[str] = set()
    for path in input_files(paths, SUFFIXES, skip_in_folders=CSVW_METADATA):
        info: dict[str, Any] = {"path": str(path)}
        try:
            raw, extra = _read_one(path)
            table, reason, pence, date_info = _finish(raw)
        except Exception as exc:  # whatever the file holds, it is one rejected row, not a crash
            reject_frames.append(_unreadable(path, exc))
            failed.append({"path": str(path), "reason": str(reject_frames[-1]["detail"].iat[0])})
            rejected_pence.append(pd.Series([0], dtype="Int64"))
            infos.append(info)
            continue
        ids = table["grant_id"].astype("string")
        twin = _same_grants(ids, exact_int_sum(pence.fillna(0)), earlier)
        if twin is not None:
            skipped.append(
                {
                    "path": str(path),
                    "reason": f"the same {ids.notna().sum():,} grants as {twin} (same identifiers "
                    "and total): read once",
                    "duplicate_of": twin,
                }
            )
            continue
        earlier.append((str(path), frozenset(ids.dropna()), exact_int_sum(pence.fillna(0))))
        repeated = ids.isin(list(seen_ids)).fillna(False).astype(bool)
        reason = reason.mask(reason.isna() & repeated, REJECT_DUPLICATE_GRANT)
        seen_ids.update(ids[reason.isna()].dropna())
        info.update(extra)
        info.update(date_info)
        bad = reason.notna().to_numpy()
        rej = pd.DataFrame(
            {
                "source_file": str(path),
                "source_row": raw["source_row"][bad].astype("Int64"),
                "reason": reason[bad],
                "detail": [_detail(r, raw.loc[i]) for i, r in reason[bad].items()],
                "raw": raw["raw"][bad],
            }
        )
        reject_frames.append(rej)
        rejected_pence.append(pence[bad])
        tables.append(table[~bad])
        infos.append(info)
    table = (
        pd.concat(tables, ignore_index=True)
        if tables
        else _finish(pd.DataFrame(columns=[*FIELDS, "source_file", "source_row", "raw"]))[0]
    )
    table = table[GRANT_COLUMNS]
    rejects = (
        pd.concat(reject_frames, ignore_index=True)
        if reject_frames
        else pd.DataFrame(columns=REJECT_COLUMNS)
    )[REJECT_COLUMNS]
    rejects["source_row"] = rejects["source_row"].astype("Int64")
    pence = (
        pd.concat(rejected_pence, ignore_index=True)
        if rejected_pence
        else pd.Series([], dtype="Int64")
    )
    files = account_files(infos, table, table["amount_pence"], rejects, table["award_date"], pence)
    totals = sum_report(files)
    totals["recipients"] = int(table["recipient_org_id"].fillna(table["recipient_key"]).nunique())
    totals["duplicate_files"] = [s["path"] for s in skipped]
    report = {"files": files, "skipped": skipped, "failed": failed, "totals": totals}
    return ReadResult(table, rejects, report)
