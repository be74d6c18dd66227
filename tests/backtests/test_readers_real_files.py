"""The spend reader on every real published file in ../shared/data/spend (skipped when absent).

Rows and pounds per file are recounted here independently, with the standard library only
(csv + Decimal, every amount summed exactly as published, no rounding), so a reader bug cannot
hide behind its own arithmetic. Every file is recounted: Newcastle (raw and re-published),
Gateshead's 36 months, Devon and Trafford (the zipped year included).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Context, Decimal, InvalidOperation, localcontext
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis import schema
from kil_analysis.readers.spend import IngestResult, ingest_spend

# Amount headers as the councils publish them (after stripping spaces and a BOM).
AMOUNT_HEADERS = {"total", "grand total", "total (excludes vat)", "amount"}
SUPPLIER_HEADERS = {"supplier name", "beneficiaryname", "supplier id(t)"}


def _spend_files(root: Path) -> list[Path]:
    spend = root / "spend"
    return sorted(p for p in spend.rglob("*") if p.suffix.lower() in {".csv", ".zip"})


def _tables(path: Path) -> list[tuple[str, bytes]]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return [
                (f"{path}!{name}", archive.read(name))
                for name in sorted(archive.namelist())
                if name.lower().endswith(".csv")
            ]
    return [(str(path), path.read_bytes())]


def _recount(data: bytes) -> tuple[int, Decimal]:
    """Non-blank rows after the header, and the exact sum of their amounts as published."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header_at = next(
        i
        for i, row in enumerate(rows)
        if {c.strip().lower() for c in row} & AMOUNT_HEADERS
        and {c.strip().lower() for c in row} & SUPPLIER_HEADERS
    )
    header = [c.strip().lower() for c in rows[header_at]]
    amount_col = next(i for i, c in enumerate(header) if c in AMOUNT_HEADERS)
    count, total = 0, Decimal(0)
    for row in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        cell = row[amount_col].strip().replace(",", "") if amount_col < len(row) else ""
        try:
            value = Decimal(cell)
        except InvalidOperation:
            continue
        with localcontext(Context(prec=200)):
            total += value
    return count, total


@pytest.fixture(scope="session")
def real_spend(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> IngestResult:
    """Every real spend file ingested once for the session (fresh cache)."""
    cache = tmp_path_factory.mktemp("ingest-cache")
    return ingest_spend([shared_data / "spend"], council="E00000000", cache_dir=cache)


@pytest.fixture(scope="session")
def file_reports(real_spend: IngestResult) -> dict[str, dict]:
    return {entry["path"]: entry for entry in real_spend.report["files"]}


def test_every_real_file_loads(
    shared_data: Path, real_spend: IngestResult, file_reports: dict[str, dict]
) -> None:
    expected = {name for path in _spend_files(shared_data) for name, _ in _tables(path)}
    assert set(file_reports) == expected
    assert len([p for p in expected if "/newcastle/" in p]) == 66
    assert real_spend.report["failed"] == []
    # Everything else in the folders is named, with why it was not read.
    skipped = {Path(s["path"]).name: s["reason"] for s in real_spend.report["skipped"]}
    assert set(skipped) == {
        "PUBLISHER_README.md", "README.md", "csv-metadata.json", "source_urls.txt",
    }  # fmt: skip
    assert "source_urls.txt" in skipped["source_urls.txt"]


def test_rows_and_pounds_match_an_independent_recount(
    shared_data: Path, file_reports: dict[str, dict]
) -> None:
    for path in _spend_files(shared_data):
        for name, data in _tables(path):
            rows, pounds = _recount(data)
            entry = file_reports[name]
            assert entry["rows_read"] == rows, name
            assert Decimal(entry["amount_read"]) == pounds, name


def test_every_row_and_penny_is_accounted_for(file_reports: dict[str, dict]) -> None:
    for name, entry in file_reports.items():
        assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
        read, kept, rejected, rounding = (
            Decimal(entry[k])
            for k in ("amount_read", "amount_kept", "amount_rejected", "amount_rounding")
        )
        with localcontext(Context(prec=200)):  # exact: Excel's -3.46945E-18 is in a total
            assert read == kept + rejected + rounding, name
        assert abs(rounding) <= Decimal("0.005") * entry["rows_read"], name


def test_devon_float_noise_is_a_rounding_line_not_a_lost_penny(
    file_reports: dict[str, dict],
) -> None:
    # Devon's 2024-03 file holds Excel's 896.3999999999999 and the like: the published sum is
    # kept exactly, the penny rounding shown apart, and the rounded rows sum to the kept total.
    entry = file_reports[next(p for p in file_reports if p.endswith("202403.csv"))]
    rounding = Decimal(entry["amount_rounding"])
    assert rounding != 0 and abs(rounding) < Decimal("0.10")
    with localcontext(Context(prec=200)):
        published = Decimal(entry["amount_read"]) - rounding
    assert published == Decimal(entry["amount_kept"]) + Decimal(entry["amount_rejected"])


def test_table_matches_report(real_spend: IngestResult) -> None:
    spend, report = real_spend.spend, real_spend.report
    assert list(spend.columns) == schema.SPEND_COLUMNS
    assert list(real_spend.rejects.columns) == schema.REJECT_COLUMNS
    assert len(spend) == report["totals"]["rows_kept"]
    assert Decimal(int(spend["amount_pence"].sum())) / 100 == Decimal(
        report["totals"]["amount_kept"]
    )
    assert str(spend["payment_date"].dtype) == "datetime64[ns]"
    assert spend["council"].eq("E00000000").all()
    assert spend["supplier_name"].notna().all()
    assert (spend["supplier_name"] == spend["supplier_name"].str.strip()).all()


def test_newcastle_raw_has_the_published_row_count(file_reports: dict[str, dict]) -> None:
    raw = [e for p, e in file_reports.items() if "/newcastle/raw/" in p]
    assert len(raw) == 41
    assert sum(e["rows_read"] for e in raw) == 242_011
    assert all(e["encoding"] == "cp1252" and e["header_row"] == 3 for e in raw)


def test_newcastle_excel_serial_month_lands_in_june_2019(
    real_spend: IngestResult, file_reports: dict[str, dict]
) -> None:
    name = next(p for p in file_reports if p.endswith("newcastle/raw/2019-06.csv"))
    assert "excel_serial" in file_reports[name]["date_formats"]
    dates = real_spend.spend.loc[real_spend.spend["source_file"] == name, "payment_date"]
    assert len(dates) == file_reports[name]["rows_kept"] > 5000
    assert dates.between(pd.Timestamp("2019-06-01"), pd.Timestamp("2019-06-30")).all()


def test_every_file_dates_fall_in_the_month_or_year_it_covers(
    file_reports: dict[str, dict],
) -> None:
    for name, entry in file_reports.items():
        if m := re.search(r"spend-(20\d\d)-\d\d\.(?:csv|zip)", name):  # financial year
            start = int(m.group(1))
            assert entry["date_min"] >= f"{start}-04-01", name
            assert entry["date_max"] <= f"{start + 1}-03-31", name
        elif m := re.search(r"(20\d\d)-?(\d\d)(?:_from_dash12)?\.csv$", name):
            month = f"{m.group(1)}-{m.group(2)}"
            assert entry["date_max"][:7] == month, name
            # Gateshead's 2020-06 file holds one line updated on 29 May (a late posting).
            late = "gateshead/odileeds_clean/2020-06.csv" in name
            assert entry["date_min"][:7] == ("2020-05" if late else month), name
        else:  # pragma: no cover - a new file someone added
            pytest.fail(f"no expected period for {name}")


def test_devon_totals_row_is_rejected_as_totals(real_spend: IngestResult) -> None:
    rejects = real_spend.rejects
    devon = rejects[rejects["source_file"].str.endswith("DCCSpendingOver500_202603.csv")]
    assert devon["reason"].tolist() == [schema.REJECT_TOTALS_ROW]
    assert "57,492,900.67" in devon["raw"].iat[0]


def test_trafford_zip_is_read_without_unzipping(file_reports: dict[str, dict]) -> None:
    names = [p for p in file_reports if ".zip!" in p]
    assert len(names) == 1 and names[0].endswith(
        "trafford-supplier-spend-2024-25.zip!trafford-supplier-spend-2024-25.csv"
    )
    assert file_reports[names[0]]["rows_kept"] > 200_000


def test_gateshead_columns_are_recognised_by_what_they_hold(
    real_spend: IngestResult, file_reports: dict[str, dict]
) -> None:
    gateshead = {p: e for p, e in file_reports.items() if "/gateshead/" in p}
    assert len(gateshead) == 36
    assert sum(e["rows_read"] for e in gateshead.values()) == 313_828
    for entry in gateshead.values():
        assert entry["column_map"]["Supplier ID(T)"] == "supplier_name"
        assert entry["column_map"]["Updated"] == "payment_date"
        assert entry["column_map"]["Amount"] == "amount"
        assert entry["column_map"]["Period"] == "ignored"
        assert "values fit the supplier" in entry["column_evidence"]["supplier_name"]["reason"]
    april = next(e for p, e in gateshead.items() if p.endswith("2019-04.csv"))
    assert april["rows_rejected"] == {"unparseable_amount": 1}
    rejects = real_spend.rejects
    reversal = rejects[rejects["raw"].str.contains("reversal of transaction 41249145")]
    assert reversal["reason"].tolist() == [schema.REJECT_BAD_AMOUNT]


def test_headers_map_by_meaning(file_reports: dict[str, dict]) -> None:
    devon_2026 = file_reports[next(p for p in file_reports if p.endswith("202603.csv"))]
    assert devon_2026["column_map"]["Amount"] == "amount"
    assert devon_2026["column_map"]["Costcuk"] == "ignored"
    odileeds = file_reports[
        next(p for p in file_reports if p.endswith("odileeds_clean/2022-08.csv"))
    ]
    assert odileeds["column_map"]["(unnamed column 11)"] == "ignored"
    assert odileeds["column_map"]["Total (excludes VAT)"] == "amount"
    trafford = file_reports[next(p for p in file_reports if p.endswith("2026-27.csv"))]
    assert trafford["column_map"]["PaymentDate"] == "payment_date"
    assert trafford["column_map"]["EffectiveDate"] == "ignored"
    assert trafford["column_map"]["BeneficiaryName"] == "supplier_name"
    assert all(e["column_map"] for e in file_reports.values())


def test_redaction_and_negative_amounts_survive(real_spend: IngestResult) -> None:
    spend = real_spend.spend
    newcastle = spend[spend["source_file"].str.contains("/newcastle/raw/")]
    share = newcastle["is_redacted"].mean()
    assert 0.1 < share < 0.5
    assert (newcastle["amount_pence"] < 0).sum() > 270 * 40
    trafford = spend[spend["source_file"].str.contains("/trafford/")]
    assert not trafford["vat_number"].isin(["NA", ""]).any()
    assert trafford["vat_number"].notna().any()
    # Trafford's redacted lines carry the id "Redacted": no identifier, and only on those lines.
    assert trafford["supplier_id"].isna().eq(trafford["is_redacted"]).all()
    assert not real_spend.report["totals"]["duplicate_files"]
    devon = spend[spend["source_file"].str.contains("/devon/")]
    assert not devon.loc[devon["supplier_name"] == "REDACTIVE EVENTS LTD", "is_redacted"].any()
