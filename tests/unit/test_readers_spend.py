"""The spend reader on small files made here, one publication quirk at a time."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis import schema
from kil_analysis.readers.spend import IngestResult, ingest_spend
from kil_analysis.readers.spend import reader as spend_module

NEWCASTLE_HEADER = (
    "Directorate,Service Area,Group Description,Paid Date,Supplier Name,Internal Ref,"
    "Cap/Rev,Cost Centre,Cost Centre Name,Total (excludes VAT)"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _ingest(tmp_path: Path, *paths: Path, **kwargs: object) -> IngestResult:
    kwargs.setdefault("cache_dir", tmp_path / "cache")
    return ingest_spend(list(paths), **kwargs)  # type: ignore[arg-type]


def _only_file(result: IngestResult) -> dict:
    (entry,) = result.report["files"]
    assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
    return entry


def test_cp1252_title_rows_and_comma_rows(tmp_path: Path) -> None:
    text = (
        "Newcastle City Council Invoices over £250 paid in June 2019,,,,,,,,,\r\n"
        ",,,,,,,,,\r\n"
        f"{NEWCASTLE_HEADER}\r\n"
        "People,Adult Social Care   ,Revenue Expenditure,43641,18 SEA VIEW VILLAS,7811328,"
        "revenue,1MK34,Shared Lives,1570.8\r\n"
        "People,Adult Social Care,Revenue Income,03/06/2019,Redacted Personal Data,7811329,"
        "revenue,1MK34,Shared Lives,-250\r\n" + ",,,,,,,,,\r\n" * 5
    )
    path = _write(tmp_path / "2019-06.csv", text, "cp1252")
    result = _ingest(tmp_path, path, council="E08000021")
    entry = _only_file(result)
    assert entry["encoding"] == "cp1252"
    assert entry["header_row"] == 3
    assert entry["rows_read"] == 2 and entry["blank_rows_skipped"] == 5
    assert entry["amount_read"] == "1320.80"
    assert entry["column_map"]["Group Description"] == "expense_type"
    assert entry["column_map"]["Cost Centre Name"] == "ignored"
    spend = result.spend
    assert list(spend.columns) == schema.SPEND_COLUMNS
    assert spend["source_row"].tolist() == [4, 5]
    assert spend["payment_date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-06-25", "2019-06-03"]
    assert spend["service_area"].tolist() == ["Adult Social Care", "Adult Social Care"]
    assert spend["is_redacted"].tolist() == [False, True]
    assert spend["amount_pence"].tolist() == [157080, -25000]
    assert spend["council"].unique().tolist() == ["E08000021"]
    assert spend["supplier_id"].isna().all()


def test_bom_double_bom_and_padded_headers(tmp_path: Path) -> None:
    body = "Body Name,Date,Supplier name, Amount \n18,02/03/2026,TRIP CT, 519.89 \n"
    bom = _write(tmp_path / "bom.csv", "\ufeff" + body)
    double = _write(tmp_path / "double.csv", "ï»¿" + body)
    result = _ingest(tmp_path, bom, double)
    encodings = [f["encoding"] for f in result.report["files"]]
    assert encodings[0] == "utf-8-sig"
    assert "double-encoded" in encodings[1]
    for entry in result.report["files"]:
        assert entry["column_map"]["Amount"] == "amount"
        assert "Body Name" in entry["column_map"]
        assert entry["amount_kept"] == "519.89"


def test_duplicated_headers_choose_the_description(tmp_path: Path) -> None:
    text = (
        "Date,Supplier,Expense Type,Expense Type,Amount\n"
        "01/04/2024,ACME LTD,5701,Care Spot,100.00\n"
        "02/04/2024,BETA LTD,5702,Agency Staff,200.00\n"
    )
    result = _ingest(tmp_path, _write(tmp_path / "dup.csv", text))
    assert result.spend["expense_type"].tolist() == ["Care Spot", "Agency Staff"]
    column_map = _only_file(result)["column_map"]
    assert column_map["Expense Type"] == "ignored"
    assert column_map["Expense Type (column 4)"] == "expense_type"


def test_leaked_unnamed_column_is_read_past_and_reported(tmp_path: Path) -> None:
    text = (
        "Paid Date,Supplier Name,Total (excludes VAT)\n"
        "2022-08-02,18 SEA VIEW VILLAS,1847.04,#N/A\n"
        "2022-08-03,ACME,10,Don\u0092t Redact\n"
    )
    result = _ingest(tmp_path, _write(tmp_path / "leak.csv", text))
    entry = _only_file(result)
    assert entry["rows_kept"] == 2
    assert entry["column_map"]["(unnamed column 4)"] == "ignored"


def test_identifier_placeholders_are_no_identifier(tmp_path: Path) -> None:
    # Wakefield's "Not yet available" company numbers and "Redacted" supplier ids must not make
    # unrelated suppliers share an identifier.
    text = (
        "Payment Date,Supplier Name,Net Amount,Supplier ID,Company Number\n"
        "01/04/2018,ACME LTD,10.00,Redacted,Not yet available\n"
        "02/04/2018,BETA LTD,20.00,redacted,n/a\n"
        "03/04/2018,GAMMA LTD,30.00,S123,01332249\n"
    )
    spend = _ingest(tmp_path, _write(tmp_path / "ids.csv", text)).spend
    assert spend["supplier_id"][:2].isna().all()
    assert spend["company_number"][:2].isna().all()
    assert spend["supplier_id"].iat[2] == "S123" and spend["company_number"].iat[2] == "01332249"


def test_totals_row_and_bad_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    text = (
        "Date,Supplier Name,Amount\n"
        "01/03/2026,A LTD,100.00\n"
        "02/03/2026,B LTD,(50.00)\n"
        "03/03/2026,C LTD,not money\n"
        "04/03/2026,D LTD,\n"
        "31/02/2026,E LTD,5.00\n"
        ",F LTD,6.00\n"
        "05/03/1999,G LTD,7.00\n"
        "06/03/2026,,8.00\n"
        ',," 76.00 "\n'
    )
    result = _ingest(tmp_path, _write(tmp_path / "mixed.csv", text))
    entry = _only_file(result)
    assert entry["rows_read"] == 9 and entry["rows_kept"] == 3
    assert entry["rows_rejected"] == {
        schema.REJECT_BAD_AMOUNT: 1,
        schema.REJECT_BAD_DATE: 1,
        schema.REJECT_IMPLAUSIBLE_DATE: 1,
        schema.REJECT_MISSING_AMOUNT: 1,
        schema.REJECT_MISSING_DATE: 1,
        schema.REJECT_TOTALS_ROW: 1,
    }
    # A dated payment with the payee left blank is a withheld name: kept, flagged redacted.
    assert entry["amount_kept"] == "58.00" and entry["blank_supplier_rows"] == 1
    withheld = result.spend[result.spend["source_row"] == 9]
    assert withheld["is_redacted"].tolist() == [True] and withheld["amount_pence"].tolist() == [800]
    read = Decimal(entry["amount_read"])
    assert read == Decimal(entry["amount_kept"]) + Decimal(entry["amount_rejected"])
    rejects = result.rejects.set_index("source_row")
    assert rejects.loc[10, "reason"] == schema.REJECT_TOTALS_ROW
    assert rejects.loc[4, "raw"] == "03/03/2026,C LTD,not money"
    assert list(result.rejects.columns) == schema.REJECT_COLUMNS


def test_us_dates_are_read_month_first_when_the_evidence_says_so(tmp_path: Path) -> None:
    text = "Payment Date,Vendor,Net Amount\n7/28/2024,A,1\n8/1/2024,B,2\n"
    result = _ingest(tmp_path, _write(tmp_path / "us.csv", text))
    entry = _only_file(result)
    assert entry["day_first"] is False
    assert result.spend["payment_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-07-28",
        "2024-08-01",
    ]


def test_bristol_layout_maps(tmp_path: Path) -> None:
    text = (
        "Supplier Name,Amount Excluding VAT,Description,Department,Payment Date,"
        "Transaction Number\nredacted,600.00,Care,People,15/01/2024,T1\n"
    )
    result = _ingest(tmp_path, _write(tmp_path / "bristol.csv", text))
    row = result.spend.iloc[0]
    assert (row["expense_type"], row["service_area"], row["transaction_ref"]) == (
        "Care",
        "People",
        "T1",
    )
    assert bool(row["is_redacted"])


def test_missing_essential_column_is_one_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "nodate.csv", "Supplier,Amount,Department\nA,1,B\n")
    with pytest.raises(ValueError, match=r"nodate\.csv: cannot find the date column; headers"):
        _ingest(tmp_path, path)


def test_a_header_that_names_no_amount_still_heads_every_payment(tmp_path: Path) -> None:
    """No header cell names the amount (``Paid £``): a payment line further down (a supplier
    called TOTAL …) must not be taken for the header, leaving the lines above it unread."""
    text = (
        "Date,Supplier,Paid £\n02/04/2024,ACME SERVICES LTD,1234.50\n"
        "04/04/2024,SMITH & SONS,-10.49\n06/04/2024,TOTAL GAS & POWER LIMITED,375.02\n"
    )
    entry = _only_file(_ingest(tmp_path, _write(tmp_path / "paid.csv", text)))
    assert entry["header_row"] == 1
    assert (entry["rows_read"], entry["rows_kept"]) == (3, 3)
    assert entry["amount_kept"] == "1599.03"


def test_lines_each_written_as_one_quoted_field_are_read_as_records(tmp_path: Path) -> None:
    """An export that wraps every whole line in quotes, the quotes inside doubled."""
    text = (
        '"Payment Date,Supplier Name,Amount"\r\n'
        '"02/04/2024,ACME SERVICES LTD,1234.50"\r\n'
        '"04/04/2024,""Smith, J & Sons"",-10.49"\r\n'
        "\r\n"
        '"06/04/2024,TOTAL GAS & POWER LIMITED,""1,375.02"""\r\n'
    )
    result = _ingest(tmp_path, _write(tmp_path / "quoted-lines.csv", text))
    entry = _only_file(result)
    assert (entry["rows_read"], entry["rows_kept"], entry["amount_kept"]) == (3, 3, "2599.03")
    assert result.spend["supplier_name"].tolist() == [
        "ACME SERVICES LTD",
        "Smith, J & Sons",
        "TOTAL GAS & POWER LIMITED",
    ]
    assert result.spend["source_row"].tolist() == [2, 3, 5]


def test_a_credit_column_before_the_debit_is_never_the_amount(tmp_path: Path) -> None:
    """``Credit Amount`` left of ``Debit Amount``: the credits must not read as payments."""
    text = (
        "Trans Date,Supplier Name,Credit Amount,Debit Amount\n"
        "02/04/2024,ACME SERVICES LTD,0.00,1234.50\n"
        "04/04/2024,SMITH & SONS,10.49,0.00\n"
    )
    result = _ingest(tmp_path, _write(tmp_path / "ledger.csv", text))
    entry = _only_file(result)
    assert result.spend["amount_pence"].tolist() == [123450, -1049]
    assert entry["column_map"]["Debit Amount"] == "amount"
    assert entry["column_map"]["Credit Amount"] == "credit"
    assert "negative amounts" in entry["column_evidence"]["amount"]["reason"]


def test_a_file_without_its_header_row_is_refused(tmp_path: Path) -> None:
    text = "02/04/2024,ACME SERVICES LTD,1234.50\n04/04/2024,TOTAL GAS & POWER LIMITED,-10.49\n"
    path = _write(tmp_path / "headerless.csv", text)
    with pytest.raises(ValueError, match=r"headerless\.csv: cannot find the header: every row"):
        _ingest(tmp_path, path)


def test_unnamed_columns_are_read_by_their_values_and_overrides_pin_them(tmp_path: Path) -> None:
    text = "When,Who,How Much\n01/02/2024,A LTD,12.5\n03/02/2024,B CIC,-4.10\n"
    path = _write(tmp_path / "odd.csv", text)
    entry = _only_file(_ingest(tmp_path, path))
    assert entry["column_map"] == {
        "When": "payment_date",
        "Who": "supplier_name",
        "How Much": "amount",
    }
    assert {e["confidence"] for e in entry["column_evidence"].values()} == {"low"}
    assert "chosen for its values" in entry["column_evidence"]["amount"]["reason"]
    result = _ingest(
        tmp_path,
        path,
        column_overrides={"When": "payment_date", "Who": "supplier_name", "How Much": "amount"},
    )
    assert result.spend["amount_pence"].tolist() == [1250, -410]
    pinned = _only_file(result)["column_evidence"]
    assert {e["confidence"] for e in pinned.values()} == {"pinned"}


def test_zip_members_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "Date,Supplier,Amount\n01/01/2024,A,1.00\n")
        archive.writestr("sub/b.csv", "Date,Supplier,Amount\n02/01/2024,B,2.00\n")
        archive.writestr("notes.pdf", b"%PDF")
    (folder / "year.zip").write_bytes(buffer.getvalue())
    _write(folder / "c.csv", "Date,Supplier,Amount\n03/01/2024,C,3.00\n")
    _write(folder / "readme.txt", "not a table")
    result = _ingest(tmp_path, folder)
    paths = [f["path"] for f in result.report["files"]]
    assert paths == [
        str(folder / "c.csv"),
        f"{folder / 'year.zip'}!a.csv",
        f"{folder / 'year.zip'}!sub/b.csv",
    ]
    assert result.report["totals"]["amount_kept"] == "6.00"
    assert set(result.spend["source_file"]) == set(paths)


def test_spreadsheets(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [
            ["Spend over £500", None, None],
            [None, None, None],
            ["Payment Date", "Supplier Name", "Amount"],
            [pd.Timestamp("2024-05-03"), "ACME LTD", 1234.5],
            [45420, "BETA LTD", -20],
        ]
    )
    path = tmp_path / "spend.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["notes"]]).to_excel(writer, sheet_name="About", header=False, index=False)
        frame.to_excel(writer, sheet_name="Data", header=False, index=False)
    result = _ingest(tmp_path, path)
    entry = _only_file(result)
    assert entry["sheet"] == "Data" and entry["header_row"] == 3
    assert result.spend["source_row"].tolist() == [4, 5]
    assert result.spend["payment_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-05-03",
        "2024-05-08",
    ]
    assert result.spend["amount_pence"].tolist() == [123450, -2000]


def test_outputs_are_written(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "Date,Supplier,Amount\n01/01/2024,A,1.00\n,,\nx,B,2\n")
    out = tmp_path / "out"
    result = ingest_spend([path], out_dir=out)
    assert (out / ".cache").is_dir()
    table = pd.read_parquet(out / "spend.parquet")
    assert list(table.columns) == schema.SPEND_COLUMNS and len(table) == 1
    rejects = pd.read_csv(out / "rejects.csv")
    assert rejects["reason"].tolist() == [schema.REJECT_BAD_DATE]
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["totals"] == result.report["totals"]
    assert not list(out.glob("*.tmp"))


def test_cache_is_keyed_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "s.csv", "Date,Supplier,Amount\n01/01/2024,A,1.00\n")
    calls: list[str] = []
    real = spend_module.read_file

    def counting(item, data, overrides):  # type: ignore[no-untyped-def]
        calls.append(item.display)
        return real(item, data, overrides)

    monkeypatch.setattr(spend_module, "read_file", counting)
    first = _ingest(tmp_path, path)
    second = _ingest(tmp_path, path)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first.spend, second.spend)
    assert first.report == second.report
    _ingest(tmp_path, path, use_cache=False)
    assert len(calls) == 2
    moved = _write(tmp_path / "moved.csv", path.read_text())
    third = _ingest(tmp_path, moved, council="E06000023")
    assert len(calls) == 2  # same bytes elsewhere: still a hit, names re-stamped
    assert third.spend["source_file"].tolist() == [str(moved)]
    assert third.spend["council"].tolist() == ["E06000023"]
    _write(path, "Date,Supplier,Amount\n01/01/2024,A,2.00\n")
    _ingest(tmp_path, path)
    assert len(calls) == 3


def _month_files(folder: Path) -> list[Path]:
    """Four monthly files: month m has m payments of £m.05 to supplier S<m>, one bad date."""
    folder.mkdir()
    paths = []
    for month in range(1, 5):
        rows = "".join(
            f"{day:02d}/{month:02d}/2024,S{month},{month}.05\n" for day in range(1, month + 1)
        )
        paths.append(
            _write(folder / f"2024-{month:02d}.csv", f"Date,Supplier,Amount\n{rows}x,T,9\n")
        )
    return paths


@pytest.mark.parametrize("cache_writable", [True, False])
def test_worker_processes_hand_back_every_row(tmp_path: Path, cache_writable: bool) -> None:
    # Two workers read the files; their tables come back through the cache (or, when it
    # cannot be written, directly): rows, pence, order and rejects are as published.
    files = _month_files(tmp_path / "spend")
    cache = tmp_path / "cache"
    if not cache_writable:
        cache.write_text("a file where the cache folder should be")
    result = _ingest(tmp_path, *files, cache_dir=cache, jobs=2, use_cache=cache_writable)
    spend = result.spend
    assert spend["source_file"].tolist() == [
        str(f) for f in files for _ in range(files.index(f) + 1)
    ]
    assert spend["supplier_name"].tolist() == [f"S{m}" for m in range(1, 5) for _ in range(m)]
    assert spend["amount_pence"].tolist() == [m * 100 + 5 for m in range(1, 5) for _ in range(m)]
    assert result.rejects["reason"].tolist() == [schema.REJECT_BAD_DATE] * 4
    assert result.rejects["source_row"].tolist() == [m + 2 for m in range(1, 5)]
    assert result.report["totals"]["amount_kept"] == "30.50"  # 1.05 + 2×2.05 + 3×3.05 + 4×4.05
    assert [f["rows_kept"] for f in result.report["files"]] == [1, 2, 3, 4]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _ingest(tmp_path, tmp_path / "nope.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no CSV"):
        _ingest(tmp_path, tmp_path / "empty")


def test_ods_spreadsheet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [["Date", "Payee", "Value"], ["01/02/2024", "ACME LTD", "10.00"], ["", "", ""]]
    )
    path = tmp_path / "spend.ods"
    frame.to_excel(path, header=False, index=False, engine="odf")
    result = _ingest(tmp_path, path)
    entry = _only_file(result)
    assert entry["rows_kept"] == 1 and entry["encoding"] == "spreadsheet"
    assert result.spend["payment_date"].iat[0] == pd.Timestamp("2024-02-01")


def test_rejected_raw_lines_keep_quoted_cells(tmp_path: Path) -> None:
    text = 'Date,Supplier,Amount,Notes\nsoon,"SMITH, J",1.00,"say ""hi"""\n'
    result = _ingest(tmp_path, _write(tmp_path / "q.csv", text))
    assert result.rejects["raw"].tolist() == ['soon,"SMITH, J",1.00,"say ""hi"""']


def test_duplicates_are_read_once_per_path_and_flagged(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "Date,Supplier,Amount\n01/01/2024,A,1.00\n")
    copy = _write(tmp_path / "b.csv", path.read_text())
    result = _ingest(tmp_path, path, tmp_path, path)
    assert [f["path"] for f in result.report["files"]] == [str(path), str(copy)]
    assert result.report["files"][1]["duplicate_of"] == str(path)
    assert result.report["totals"]["duplicate_files"] == [str(copy)]


def test_three_decimal_amounts_keep_the_published_sum_and_show_the_rounding(
    tmp_path: Path,
) -> None:
    text = "Date,Supplier,Amount\n" + "01/04/2024,ACME LTD,10.005\n" * 3
    entry = _only_file(_ingest(tmp_path, _write(tmp_path / "milli.csv", text)))
    assert entry["amount_read"] == "30.015"  # what was published
    assert entry["amount_kept"] == "30.03"  # three rows of £10.01
    assert entry["amount_rounding"] == "-0.015"  # the 1.5p, shown as its own line
    read, kept, rounding = (
        Decimal(entry[k]) for k in ("amount_read", "amount_kept", "amount_rounding")
    )
    assert read == kept + Decimal(entry["amount_rejected"]) + rounding


def test_blank_leading_columns_and_rows(tmp_path: Path) -> None:
    text = ",,,,\n,,,,\n,,Date,Supplier,Amount\n,,01/04/2024,ACME LTD,5.00\n"
    result = _ingest(tmp_path, _write(tmp_path / "offset.csv", text))
    entry = _only_file(result)
    assert entry["header_row"] == 3 and result.spend["amount_pence"].tolist() == [500]
