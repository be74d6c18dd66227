"""Every layout councils publish (tests/layout_files.py) is read to the row and the penny.

Each file is built from payments whose truth is known: the reader must keep exactly those
payments (date, payee and pence), reject exactly the non-payment lines with their reasons, and
say in the report what it saw (header lines, sections, decimal commas, encodings, …).
"""

from __future__ import annotations

from collections import Counter
from decimal import Context, Decimal, localcontext
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.readers.spend import ingest_spend
from tests.layout_files import LAYOUTS, Payment, Published, sample_payments


def ingest_published(tmp_path: Path, published: Published):
    path = tmp_path / published.name
    path.write_bytes(published.data)
    return ingest_spend([path], cache_dir=tmp_path / "cache", use_cache=False)


def kept_rows(spend: pd.DataFrame) -> Counter:
    return Counter(
        zip(
            spend["payment_date"].dt.date,
            spend["supplier_name"].astype(str),
            spend["amount_pence"].astype(int),
            strict=True,
        )
    )


def truth_rows(payments: list[Payment]) -> Counter:
    return Counter((p.day, p.supplier.strip(), p.pence) for p in payments)


def check_accounting(report: dict) -> None:
    for entry in [*report["files"], report["totals"]]:
        assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
        read, kept, rejected, rounding = (
            Decimal(entry[k])
            for k in ("amount_read", "amount_kept", "amount_rejected", "amount_rounding")
        )
        with localcontext(Context(prec=200)):  # exact, whatever the published decimals
            assert read == kept + rejected + rounding


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layout_is_read_to_the_row_and_the_penny(tmp_path: Path, layout: str) -> None:
    published = LAYOUTS[layout](sample_payments())
    result = ingest_published(tmp_path, published)
    report = result.report
    check_accounting(report)
    assert report["failed"] == []
    assert len(report["files"]) == published.tables
    assert len(report["skipped"]) == published.skipped
    assert kept_rows(result.spend) == truth_rows(published.kept)
    assert report["totals"]["rows_kept"] == len(published.kept)
    assert Decimal(report["totals"]["amount_kept"]) == Decimal(published.kept_pence) / 100
    assert report["totals"]["rows_rejected"] == published.rejected
    assert Decimal(report["totals"]["amount_rejected"]) == Decimal(published.rejected_pence) / 100
    assert int(result.spend["is_redacted"].sum()) == published.redacted + sum(
        1 for p in published.kept if p.supplier.upper().startswith("REDACTED")
    )
    entry = report["files"][0]
    for key, expected in published.report.items():
        if key == "column_map":
            for header, field in expected.items():  # type: ignore[union-attr]
                assert entry["column_map"][header] == field
        elif key == "sections":
            assert len(entry["sections"]) == expected
        else:
            assert entry[key] == expected, key


def test_other_money_columns_are_named_and_the_net_amount_taken(tmp_path: Path) -> None:
    published = LAYOUTS["amounts_as_written"](sample_payments())
    entry = ingest_published(tmp_path, published).report["files"][0]
    assert entry["column_map"]["Net Amount"] == "amount"
    reason = entry["column_evidence"]["amount"]["reason"]
    assert "Gross Amount" in reason and "net amount is taken" in reason


def test_a_workbook_reads_each_data_sheet_and_names_the_others(tmp_path: Path) -> None:
    result = ingest_published(tmp_path, LAYOUTS["workbook"](sample_payments()))
    files = {e["sheet"]: e for e in result.report["files"]}
    assert set(files) == {"April", "May"}
    assert files["April"]["path"].endswith("book.xlsx [sheet April]")
    assert files["April"]["header_row"] == 3 and files["April"]["hidden_rows"] == 1
    assert files["May"]["column_map"]["Date Paid"] == "payment_date"
    (skipped,) = result.report["skipped"]
    assert skipped["path"].endswith("[sheet Parameters]") and "no spend table" in skipped["reason"]
    assert set(result.spend["source_file"]) == {files["April"]["path"], files["May"]["path"]}


def test_a_period_is_read_as_the_fiscal_month_the_file_name_gives(tmp_path: Path) -> None:
    entry = ingest_published(tmp_path, LAYOUTS["fiscal_period_no_date"](sample_payments()))
    (fmt,) = entry.report["files"][0]["date_formats"]
    assert fmt.startswith("fiscal periods") and "P01 = April" in fmt


def test_a_file_with_no_date_column_is_dated_by_the_month_its_title_states(
    tmp_path: Path,
) -> None:
    # Darlington's report-writer layout: a title giving the month, no date on the lines.
    text = (
        ",,Borough Council - Analysis of Transactions Over £500,,\n"
        ",,January 2012,,\n,,,,\n"
        ",,Directorate,Supplier,Invoice Line Value (net of VAT)\n"
        'INSERTED DETAIL,,Resources,ADT FIRE & SECURITY PLC,"7,209.91"\n'
        "INSERTED DETAIL,,Resources,FLOWERS BY NATTRASS,540.00\n"
    )
    path = tmp_path / "transactions.csv"
    path.write_text(text, encoding="utf-8")
    result = ingest_spend([path], cache_dir=tmp_path / "c", use_cache=False)
    assert result.spend["payment_date"].dt.strftime("%Y-%m-%d").tolist() == ["2012-01-01"] * 2
    assert result.spend["amount_pence"].tolist() == [720991, 54000]
    (fmt,) = result.report["files"][0]["date_formats"]
    assert "no date column" in fmt and "2012-01-01" in fmt and "title" in fmt
    # With no month in the title the file is still refused, in one line: a month in its name
    # alone is no date (a summary of totals can be named so).
    undated = tmp_path / "undated" / "2012-01.csv"
    undated.parent.mkdir()
    undated.write_text(text.replace("January 2012", "All months"), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        ingest_spend([undated], cache_dir=tmp_path / "c", use_cache=False)
    assert str(raised.value).endswith(
        "2012-01.csv: cannot find the date column; headers are: Directorate, Supplier, "
        "Invoice Line Value (net of VAT)"
    )


def test_a_period_above_twelve_means_a_fiscal_calendar(tmp_path: Path) -> None:
    text = "Period,Supplier,Amount\n201901,ACME LTD,10.00\n201913,ACME LTD,-2.00\n"
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    result = ingest_spend([path], cache_dir=tmp_path / "c")
    dates = result.spend["payment_date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2019-04-01", "2020-03-01"]  # P01 = April; P13 is a year-end adjustment
    assert "period above 12" in result.report["files"][0]["period_basis"]
