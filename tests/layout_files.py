"""Spend files in the layouts councils publish, built from payments whose truth is known.

Each builder takes a list of `Payment` and returns a `Published` file: its name and bytes, the
payments a correct reader keeps (``kept``), the non-payment lines it must reject by reason
(``rejected``), and what else it must report. The shapes are those of real exports (title and
report-parameter blocks, headers over two lines, subtotals, several sheets, procurement-card
sections, finance-system headers, every encoding councils' systems write); the values are
written the ways councils write them. Used by the unit tests (one file per layout) and by the
property tests (hypothesis chooses the payments).
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import openpyxl


@dataclass(frozen=True)
class Payment:
    """One payment line as a council's ledger holds it (pence exact)."""

    day: date
    supplier: str
    pence: int
    service: str = "Adult Social Care"
    ref: str = "T1"


@dataclass
class Published:
    """A published file and what a correct reader must make of it."""

    name: str
    data: bytes
    kept: list[Payment]
    rejected: dict[str, int] = field(default_factory=dict)
    rejected_pence: int = 0
    report: dict[str, object] = field(default_factory=dict)  # entry fields to check
    tables: int = 1  # tables the file holds (sheets, sections read as one table each)
    skipped: int = 0  # sheets or members not read
    redacted: int = 0  # kept rows whose payee was withheld (blank or "(blank)")

    @property
    def kept_pence(self) -> int:
        return sum(p.pence for p in self.kept)


SUPPLIERS = [
    "ACME SERVICES LTD",
    "TOTAL GAS & POWER LIMITED",  # a supplier, not a totals line
    "Smith, J & Sons",  # a comma: quoted in CSV
    "O'Brien Care CIC",
    "Café Nero Group Ltd",  # non-ASCII: survives every encoding
    "Newtown Community Trust",
    "REDACTED PERSONAL DATA",
]


def sample_payments(n: int = 14, start: date = date(2024, 4, 2)) -> list[Payment]:
    """A fixed, varied month of payments: credits, pennies, thousands, a £1m line."""
    amounts = [123450, -1050, 375000, 50750, 12345, 99, 100000000, 55500, 71234, 60000]
    services = ["Adult Social Care", "Children's Services", "Highways"]
    return [
        Payment(
            start + timedelta(days=(i * 2) % 27),
            SUPPLIERS[i % len(SUPPLIERS)],
            amounts[i % len(amounts)] + i,
            services[i % len(services)],
            f"{4100000 + i}",
        )
        for i in range(n)
    ]


def pounds(pence: int, style: str = "plain") -> str:
    """Pence as councils write amounts: plain, £ with separators, brackets, padded, CR."""
    value = Decimal(pence) / 100
    text = f"{abs(value):,.2f}"
    if style == "plain":
        return f"{value:.2f}"
    if style == "pound":  # £ 3,750.00 / -£10.50
        return ("-£" if value < 0 else "£ ") + text
    if style == "brackets":  # (123.45) for credits
        return f"({text})" if value < 0 else text
    if style == "padded":
        return f" {value:,.2f} "
    if style == "cr":  # 123.45 CR
        return f"{text} CR" if value < 0 else text
    if style == "comma":  # 1.234,56
        return (f"{value:,.2f}").replace(",", "_").replace(".", ",").replace("_", ".")
    raise ValueError(style)


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """Rows as CSV text (quoted where needed), CRLF line ends, in ``encoding``."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def title_and_parameters(payments: list[Payment]) -> Published:
    """Eight rows of title and report parameters above the header (one names fields)."""
    rows = [
        ["Newtown Borough Council"],
        ["Payments to suppliers over £500"],
        ["Report parameters"],
        ["Supplier:", "All", "Amount:", "> 500", "Date:", "April 2024"],
        ["Period from", "01/04/2024", "to", "30/04/2024"],
        ["Run by:", "FINANCE\\JSMITH", "Run date:", "02/05/2024 09:14"],
        [],
        [],
        ["Payment Date", "Supplier Name", "Net Amount", "Service Area", "Transaction Number"],
    ]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence), p.service, p.ref] for p in payments]
    return Published("title-block.csv", csv_bytes(rows), payments, report={"header_row": 9})


def header_over_two_lines(payments: list[Payment]) -> Published:
    """A report writer's header broken over two physical lines."""
    rows = [["Payment", "Supplier", "Net", "Service"], ["Date", "Name", "Amount", "Area"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence), p.service] for p in payments]
    report = {"header_row": 1, "header_lines": 2}
    return Published("two-line-header.csv", csv_bytes(rows), payments, report=report)


def units_row_under_header(payments: list[Payment]) -> Published:
    """A row of units under the header (``dd/mm/yyyy``, ``£``, ``(£)``, ``GBP``), then payments."""
    rows = [
        ["Payment Date", "Supplier Name", "Net Amount", "VAT", "Gross", "Service Area"],
        ["dd/mm/yyyy", "", "£", "(£)", "GBP", ""],
    ]
    for p in payments:
        vat = p.pence // 5
        money = [pounds(p.pence), pounds(vat), pounds(p.pence + vat)]
        rows.append([_dmy(p.day), p.supplier, *money, p.service])
    report = {"header_row": 1, "header_lines": 2, "units_row": 2}
    report["column_map"] = {"Net Amount": "amount", "Payment Date": "payment_date"}
    return Published("units-row.csv", csv_bytes(rows), payments, report=report)


def two_level_header_with_gaps(payments: list[Payment]) -> Published:
    """A group row (``Payment | | Supplier | |``, merged cells left blank) above the names."""
    rows = [
        ["Payment", "", "", "Supplier", "", "Service"],
        ["Date", "Reference", "Amount", "Name", "Postcode", "Area"],
    ]
    rows += [
        [_dmy(p.day), p.ref, pounds(p.pence, "pound"), p.supplier, "NE1 4AB", p.service]
        for p in payments
    ]
    report = {"header_row": 1, "header_lines": 2}
    report["column_map"] = {"Payment Date": "payment_date", "Amount": "amount"}
    return Published("group-header.csv", csv_bytes(rows), payments, report=report)


def summary_block_in_csv(payments: list[Payment]) -> Published:
    """A report's summary block above the header and below the data: counts, the value, who
    ran it, page numbers; one count written in the amount column (a count, not pounds)."""
    total = sum(p.pence for p in payments)
    rows = [
        ["Payments to suppliers over £500"],
        ["Total number of transactions", str(len(payments))],
        ["Report run by:", "FINANCE\\JSMITH", "Run date:", "02/05/2024"],
        [],
        ["Payment Date", "Supplier Name", "Net Amount", "Service Area"],
    ]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence), p.service] for p in payments]
    rows += [
        [],
        ["Total number of transactions", str(len(payments))],
        ["Total value", pounds(total, "pound")],
        ["Number of payments", "", str(len(payments)), ""],
        ["Report run by:", "FINANCE\\JSMITH", "Run date:", "02/05/2024 09:14"],
        ["Page 1 of 1"],
    ]
    return Published(
        "summary-block.csv",
        csv_bytes(rows),
        payments,
        rejected={"title_or_note": 5},
        report={"header_row": 5},
    )


def supplier_first_summary_foot(payments: list[Payment]) -> Published:
    """A supplier-first export whose foot puts the report's totals in the supplier column:
    ``Total value,,<sum>``, ``Total for April,,<sum>`` — totals lines, not payments missing a
    date (a supplier named TOTAL GAS & POWER LIMITED, dated, is still paid)."""
    total = sum(p.pence for p in payments)
    rows = [["Supplier Name", "Payment Date", "Amount Paid", "Service Area"]]
    rows += [[p.supplier, _dmy(p.day), pounds(p.pence), p.service] for p in payments]
    rows += [
        ["Total value", "", pounds(total), ""],
        ["Total for April", "", pounds(total), ""],
    ]
    return Published(
        "supplier-first-foot.csv",
        csv_bytes(rows),
        payments,
        rejected={"totals_row": 2},
        rejected_pence=2 * total,
    )


def date_and_amount_run_together(payments: list[Payment]) -> Published:
    """An export that quotes amounts of four digits or more and loses the delimiter before the
    others (``08/06/2012806.36``): those rows are a cell short, the amount run into the date.
    Here every other line under £1,000 loses it (Lambeth's real month: 9 of 36): a file whose
    amounts are mostly joined has no column of amounts left to find, and is refused in one
    line naming it (the reader cannot tell the amount column from the shifted descriptions)."""
    lines = ["Body,Department,Supplier Name,Invoice Date,Invoice Nett Amount,Description"]
    kept, joined = [], 0
    for n, p in enumerate(payments):
        cells = ["Newtown", p.service, p.supplier, _dmy(p.day)]
        if n % 2 and 0 <= p.pence < 100000:  # under £1,000: written bare, its delimiter lost
            cells[-1] += pounds(p.pence)
            joined += 1
        else:
            cells.append(pounds(p.pence, "pound").replace("£ ", ""))
            kept.append(p)
        cells.append("RESIDENTIAL CARE")
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    rejected = {"date_and_amount_joined": joined} if joined else {}
    return Published("run-together.csv", data, kept, rejected=rejected)


def totals_and_subtotals(payments: list[Payment]) -> Published:
    """A grand total above the data, a subtotal under each service (labelled or bare) and a
    labelled grand total at the end."""
    header = ["Service Area", "Payment Date", "Supplier Name", "Amount"]
    total = sum(p.pence for p in payments)
    rows = [header, ["", "", "", pounds(total)]]
    services = sorted({p.service for p in payments})
    for n, service in enumerate(services):
        mine = [p for p in payments if p.service == service]
        rows += [[p.service, _dmy(p.day), p.supplier, pounds(p.pence)] for p in mine]
        subtotal = pounds(sum(p.pence for p in mine))
        rows.append(
            [f"{service} Total", "", "", subtotal] if n % 2 == 0 else ["", "", "", subtotal]
        )
    rows.append(["", "", "Grand Total", pounds(total)])
    ordered = [p for s in services for p in payments if p.service == s]
    return Published(
        "totals.csv",
        csv_bytes(rows),
        ordered,
        rejected={"totals_row": len(services) + 2},
        rejected_pence=3 * total,
    )


def labelled_total_with_a_date(payments: list[Payment]) -> Published:
    """``31/03/2024,Total,300.00``: a totals line with a date, in the supplier column."""
    rows = [["Date", "Supplier", "Amount"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence)] for p in payments]
    total = sum(p.pence for p in payments)
    rows.append(["30/04/2024", "Total", pounds(total)])
    return Published(
        "dated-total.csv",
        csv_bytes(rows),
        payments,
        rejected={"totals_row": 1},
        rejected_pence=total,
    )


def amounts_as_written(payments: list[Payment]) -> Published:
    """Amounts as councils write them (£ 3,750.00, -£10.50, (123.45), padded, 50.00 CR) in the
    net column beside VAT and gross columns: the net amount is taken."""
    styles = ["pound", "brackets", "padded", "cr", "plain"]
    rows = [["Date", "Supplier", "Net Amount", "VAT", "Gross Amount"]]
    for i, p in enumerate(payments):
        vat = p.pence // 5
        rows.append(
            [
                _dmy(p.day),
                p.supplier,
                pounds(p.pence, styles[i % len(styles)]),
                pounds(vat),
                pounds(p.pence + vat),
            ]
        )
    return Published("money-columns.csv", csv_bytes(rows), payments)


def text_dates(payments: list[Payment]) -> Published:
    """Dates as text with non-breaking spaces, and dd-Mon-yy."""
    rows = [["Transaction Date", "Payee", "Value"]]
    for i, p in enumerate(payments):
        day = p.day.strftime("%d\u00a0%b\u00a0%Y") if i % 2 else p.day.strftime("%d-%b-%y")
        rows.append([f"\u00a0{day} ", p.supplier, pounds(p.pence)])
    return Published("text-dates.csv", csv_bytes(rows), payments)


def us_dates(payments: list[Payment]) -> Published:
    """US month/day/year (an exported American system), decided by a day above 12."""
    rows = [["Invoice Payment Date", "Vendor Name", "Amount Paid"]]
    rows += [
        [f"{p.day.month}/{p.day.day}/{p.day.year}", p.supplier, pounds(p.pence)] for p in payments
    ]
    report = {"day_first": False, "day_first_basis": "evidence"}
    return Published("us-dates.csv", csv_bytes(rows), payments, report=report)


def excel_long_dates(payments: list[Payment]) -> Published:
    """Dates in Excel's long format, the weekday in front (``Tuesday, 02 April 2024``)."""
    rows = [["Payment Date", "Supplier", "Amount"]]
    rows += [[p.day.strftime("%A, %d %B %Y"), p.supplier, pounds(p.pence)] for p in payments]
    return Published("long-dates.csv", csv_bytes(rows), payments)


def sql_server_datetimes(payments: list[Payment]) -> Published:
    """Dates as SQL Server writes a datetime as text (``Apr  2 2024 12:00AM``)."""
    rows = [["Date Paid", "Creditor Name", "Net Value"]]
    for p in payments:
        day = f"{p.day.strftime('%b')} {p.day.day:>2} {p.day.year} 12:00AM"
        rows.append([day, p.supplier, pounds(p.pence)])
    return Published("sql-datetimes.csv", csv_bytes(rows), payments)


def ledger_compact_dates(payments: list[Payment]) -> Published:
    """A ledger extract dating lines ``yyyymmdd`` beside eight-digit document numbers."""
    rows = [["Posting Date", "Document No", "Vendor Name", "Amount"]]
    rows += [
        [p.day.strftime("%Y%m%d"), f"{20240000 + i:08d}", p.supplier, pounds(p.pence)]
        for i, p in enumerate(payments)
    ]
    report = {"date_formats": ["yyyymmdd"], "column_map": {"Posting Date": "payment_date"}}
    return Published("ledger.csv", csv_bytes(rows), payments, report=report)


def report_writer_bare_name(payments: list[Payment]) -> Published:
    """A district council's report writer: the payee under a bare ``Name`` after a ``Service
    Cost Centre`` column, procurement-card lines mixed in (``P-Card Feb 24`` as the reference),
    a first line of commas and 66 empty columns on every line, then lines of commas of two
    widths to the end; Windows-1252."""
    pad = [""] * 66
    rows = [[""] * 73]
    rows.append(
        ["Service Cost Centre", "Account Detail", "Description", "HBC ref no", "Name"]
        + ["Payment Date", "Net Amount (£)", *pad]
    )
    for i, p in enumerate(payments):
        ref = "P-Card Feb 24" if i % 4 == 0 else f"B0000{24564 + i}/5467{i}"
        rows.append(
            [p.service.upper(), "AGENCY STAFF", f"INVOICE {i}", ref, p.supplier, _dmy(p.day)]
            + [pounds(p.pence, "padded").strip(), *pad]
        )
    rows += [[""] * 17] + [[""] * 73] * 40
    report = {
        "header_row": 2,
        "column_map": {"Name": "supplier_name", "Service Cost Centre": "service_area"},
    }
    data = csv_bytes(rows, "cp1252")
    return Published("Spend-over-250-Feb-24.csv", data, payments, report=report)


def ledger_debit_credit(payments: list[Payment]) -> Published:
    """A ledger's two money columns: payments under ``Debit``, credit notes (positive) under
    ``Credit``, the other side 0.00 or blank; one line with both filled is no amount."""
    rows = [["Posting Date", "Supplier", "Debit", "Credit", "Cost Centre"]]
    for i, p in enumerate(payments):
        value = f"{abs(p.pence) / 100:,.2f}"
        other = "0.00" if i % 2 else ""
        debit, credit = (value, other) if p.pence >= 0 else (other, value)
        rows.append([_dmy(p.day), p.supplier, debit, credit, p.service])
    rows.append([_dmy(payments[0].day), "BOTH SIDES LTD", "12.00", "3.00", "Highways"])
    report = {"column_map": {"Debit": "amount", "Credit": "credit"}}
    return Published(
        "ledger-debit-credit.csv",
        csv_bytes(rows),
        payments,
        rejected={"unparseable_amount": 1},
        report=report,
    )


def fiscal_period_no_date(payments: list[Payment]) -> Published:
    """A ledger period (yyyyPP, P01 = April) and no payment date; the file name gives May."""
    rows = [["Period", "Supplier", "Amount", "Directorate"]]
    rows += [["201902", p.supplier, pounds(p.pence), p.service] for p in payments]
    kept = [replace(p, day=date(2019, 5, 1)) for p in payments]
    report = {"period_basis": "the file name's month (2019-05)"}
    return Published("spend-2019-05.csv", csv_bytes(rows), kept, report=report)


def duplicated_names(payments: list[Payment]) -> Published:
    """Two columns called Expense Type (a code, then its description)."""
    rows = [["Date", "Supplier", "Expense Type", "Expense Type", "Amount"]]
    rows += [[_dmy(p.day), p.supplier, "5701", p.service, pounds(p.pence)] for p in payments]
    report = {"column_map": {"Expense Type (column 4)": "expense_type"}}
    return Published("duplicate-names.csv", csv_bytes(rows), payments, report=report)


def withheld_payees(payments: list[Payment]) -> Published:
    """Payees left blank or reading ``(blank)``: payments whose payee was withheld."""
    rows = [["Payment Date", "Supplier Name", "Amount"]]
    kept = []
    for i, p in enumerate(payments):
        name = "" if i % 4 == 1 else "(blank)" if i % 4 == 3 else p.supplier
        rows.append([_dmy(p.day), name, pounds(p.pence)])
        kept.append(replace(p, supplier=name))
    withheld = sum(1 for p in kept if p.supplier in ("", "(blank)"))
    report = {"blank_supplier_rows": withheld}
    return Published("withheld.csv", csv_bytes(rows), kept, report=report, redacted=withheld)


def procurement_card_section(payments: list[Payment]) -> Published:
    """Invoices, then a titled section of procurement-card transactions under its own header."""
    half = len(payments) // 2
    rows = [["Payment Date", "Supplier Name", "Amount", "Service Area"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence), p.service] for p in payments[:half]]
    rows += [[], ["Purchase card transactions"], []]
    rows.append(["Merchant Name", "Transaction Date", "Merchant Category", "Amount", "Cardholder"])
    rows += [
        [p.supplier, _dmy(p.day), "Stationery", pounds(p.pence), p.service] for p in payments[half:]
    ]
    return Published(
        "with-pcards.csv",
        csv_bytes(rows),
        payments,
        rejected={"title_or_note": 1},
        report={"sections": 2},
    )


def cp1252_file(payments: list[Payment]) -> Published:
    """Windows-1252, as older finance systems export (£ is one byte)."""
    rows = [["Spend over £500 — April 2024"], ["Date", "Supplier", "Amount (£)"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence, "pound")] for p in payments]
    return Published(
        "cp1252.csv", csv_bytes(rows, "cp1252"), payments, report={"encoding": "cp1252"}
    )


def mojibake_file(payments: list[Payment]) -> Published:
    """UTF-8 read as cp1252 and saved again as UTF-8 (Café → CafÃ©), with a lost £ (U+FFFD)."""
    rows = [["Date", "Supplier", "Amount"]]
    for i, p in enumerate(payments):
        name = p.supplier.encode("utf-8").decode("cp1252") if i % 2 else p.supplier
        amount = "\ufffd" + pounds(p.pence) if i % 3 == 0 else pounds(p.pence)
        rows.append([_dmy(p.day), name, amount])
    report = {"encoding": "utf-8+mojibake-repaired+replacement-characters"}
    return Published("mojibake.csv", csv_bytes(rows), payments, report=report)


def utf16_tab_file(payments: list[Payment]) -> Published:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-delimited, commas inside amounts."""
    rows = [["Payment Date", "Supplier Name", "Amount"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence, "pound")] for p in payments]
    data = b"\xff\xfe" + csv_bytes(rows, "utf-16-le", delimiter="\t")
    return Published("unicode-text.txt", data, payments, report={"encoding": "utf-16-le"})


def lga_schema_variant(payments: list[Payment]) -> Published:
    """The LGA/ODI spend schema in its longer form (labels, codes, irrecoverable VAT)."""
    header = [
        "Organisation Name", "Organisation Code", "Effective Date", "Service Category Label",
        "Service Division Label", "Responsible Unit", "Expenses Type", "Detailed Expenses Type",
        "Expenses Code", "Narrative", "Date", "Transaction Number", "Net Amount",
        "Irrecoverable VAT Amount", "Supplier Name", "Supplier ID", "Contract Number", "Notes",
    ]  # fmt: skip
    rows = [header]
    for p in payments:
        rows.append(
            [
                "Newtown Borough Council", "E07000999", "2024-05-01", p.service, "Care",
                "Unit 4", "Supplies", "Equipment", "4100", "Purchase", p.day.isoformat(),
                p.ref, pounds(p.pence), "0.00", p.supplier, "S1", "", "",
            ]
        )  # fmt: skip
    report = {"column_map": {"Date": "payment_date", "Net Amount": "amount"}}
    return Published("lga-schema.csv", csv_bytes(rows), payments, report=report)


def oracle_export(payments: list[Payment]) -> Published:
    """An Oracle e-Business Suite export: upper-case coded headers, dd-MON-yy dates."""
    rows = [["INVOICE_NUM", "VENDOR_NAME", "VENDOR_SITE_CODE", "PAYMENT_DATE", "INVOICE_AMOUNT",
             "GL_CODE_COMBINATION", "COST_CENTRE_DESC"]]  # fmt: skip
    rows += [
        [p.ref, p.supplier, "MAIN", p.day.strftime("%d-%b-%y").upper(), pounds(p.pence),
         "01.4100.1234", p.service]
        for p in payments
    ]  # fmt: skip
    return Published("oracle.csv", csv_bytes(rows), payments)


def agresso_export(payments: list[Payment]) -> Published:
    """Unit4 Agresso: type-suffixed headers, supplier names under ``Apar name(T)``."""
    rows = [["Apar id(T)", "Apar name(T)", "Voucher no", "Voucher date(D)", "Amount(N)",
             "Dim 1(T)", "Period"]]  # fmt: skip
    rows += [
        [f"10{i:04d}", p.supplier, p.ref, p.day.isoformat() + " 00:00:00", pounds(p.pence),
         p.service, "202401"]
        for i, p in enumerate(payments)
    ]  # fmt: skip
    return Published("agresso.csv", csv_bytes(rows), payments)


def sap_semicolon_decimal_comma(payments: list[Payment]) -> Published:
    """A SAP export in a European locale: semicolons, decimal commas, dd.mm.yyyy."""
    rows = [["Pstng Date", "Vendor", "Name 1", "Amount in LC", "Cost Ctr"]]
    rows += [
        [p.day.strftime("%d.%m.%Y"), f"1{i:05d}", p.supplier, pounds(p.pence, "comma"), "CC100"]
        for i, p in enumerate(payments)
    ]
    data = csv_bytes(rows, delimiter=";")
    return Published("sap.csv", data, payments, report={"decimal_comma": True})


def sap_clearing_export(payments: list[Payment]) -> Published:
    """An SAP clearing-document export (a transport body's): cp1252 with ``Amount (£)``, a
    header with a trailing space, company-code\\document numbers, ``dd Mon yyyy`` clearing
    dates, quoted thousands and bracketed credits, an unused ``Merchant Category`` column beside
    the G/L account's text, and a footer holding the row count where the date goes."""
    rows = [["Entity", "Vendor Name", "Expenditure Account ", "Document Number",
             "Clearing Date", "Amount (£)", "Merchant Category"]]  # fmt: skip
    rows += [
        ["LONDON UNDERGROUND LTD", p.supplier, p.service, f"1005\\51092{i:05d}",
         p.day.strftime("%d %b %Y"), pounds(p.pence, "brackets"), ""]
        for i, p in enumerate(payments)
    ]  # fmt: skip
    total = sum(p.pence for p in payments)
    rows.append(["", "", "", "", f"{len(payments)} ", pounds(total, "brackets"), ""])
    report = {"column_map": {"Expenditure Account": "expense_type", "Merchant Category": "ignored"}}
    return Published(
        "clearing.csv",
        csv_bytes(rows, encoding="cp1252"),
        payments,
        rejected={"totals_row": 1},
        rejected_pence=total,
        report=report,
    )


def gross_vat_net_export(payments: list[Payment]) -> Published:
    """Gross, VAT and Net columns with the gross first and a ``G/L Description`` (SAP's text of
    the ledger account): the net amount is taken, the G/L text is the expense type."""
    rows = [["Authority Name", "Date of Payment", "SAP Document Number", "Gross", "VAT", "Net",
             "Supplier Name", "Directorate", "G/L description."]]  # fmt: skip
    for p in payments:
        vat = abs(p.pence) // 6
        rows.append(
            ["A Council", p.day.isoformat(), p.ref, pounds(p.pence + vat), pounds(vat),
             pounds(p.pence), p.supplier, p.service, "Agency Fees"]
        )  # fmt: skip
    report = {
        "column_map": {"Net": "amount", "Gross": "ignored", "G/L description.": "expense_type"}
    }
    return Published("gross-vat-net.csv", csv_bytes(rows), payments, report=report)


def parish_net_vat_total(payments: list[Payment]) -> Published:
    """A parish or town council's payments list: cheque numbers, ``Net``, ``VAT`` and a
    ``Total`` (the gross) and the power the payment was made under: the net is taken."""
    rows = [["Date", "Cheque No", "Payee", "Description", "Net", "VAT", "Total", "Power"]]
    for i, p in enumerate(payments):
        vat = abs(p.pence) // 5
        rows.append(
            [_dmy(p.day), str(100200 + i), p.supplier, p.service, pounds(p.pence), pounds(vat),
             pounds(p.pence + vat), "LGA 1972 s111"]
        )  # fmt: skip
    report = {"column_map": {"Net": "amount", "Total": "ignored", "VAT": "ignored"}}
    return Published("parish-payments.csv", csv_bytes(rows), payments, report=report)


def workbook(payments: list[Payment]) -> Published:
    """An .xlsx with a parameters sheet, then two months on sheets of different layouts: one
    with a blank leading column, title rows and a hidden row; one with real Excel dates."""
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Parameters"
    params.append(["Report", "Spend over £500"])
    params.append(["Run date", "02/06/2024"])
    half = len(payments) // 2
    april = book.create_sheet("April")
    april.append([None])  # a blank first row
    april.append([None, "Payments over £500: April 2024"])
    april.append([None, "Payment Date", "Supplier Name", "Amount", "Department"])
    for p in payments[:half]:
        april.append([None, _dmy(p.day), p.supplier, p.pence / 100, p.service])
    april.row_dimensions[5].hidden = True
    may = book.create_sheet("May")
    may.append(["Supplier", "Net", "Date Paid", "Reference"])
    for p in payments[half:]:
        may.append([p.supplier, p.pence / 100, p.day, p.ref])
    out = io.BytesIO()
    book.save(out)
    return Published("book.xlsx", out.getvalue(), payments, tables=2, skipped=1)


def workbook_with_summary(payments: list[Payment]) -> Published:
    """An .xlsx with the payments on one sheet and, beside them, a summary of the same spend
    by supplier and month (``Supplier Name, Month, Total`` and a grand total): the summary is
    not read, so nothing is counted twice. A summary of one row, or with a row of zero, cannot
    be told from payments: it is read as payments (each dated the first of its month)."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(["Payment Date", "Supplier Name", "Amount", "Service"])
    for p in payments:
        data.append([p.day, p.supplier, p.pence / 100, p.service])
    summary = book.create_sheet("Summary")
    summary.append(["Supplier Name", "Month", "Total"])
    sums: dict[tuple[str, date], int] = {}
    for p in payments:
        key = (p.supplier, p.day.replace(day=1))
        sums[key] = sums.get(key, 0) + p.pence
    for (supplier, month), pence in sums.items():
        summary.append([supplier, month.strftime("%b-%y"), pence / 100])
    total = sum(p.pence for p in payments)
    summary.append(["Grand Total", None, total / 100])
    out = io.BytesIO()
    book.save(out)
    if len(sums) >= 2 and 0 not in sums.values():
        return Published("with-summary.xlsx", out.getvalue(), payments, tables=1, skipped=1)
    read = [Payment(month, supplier, pence) for (supplier, month), pence in sums.items()]
    return Published(
        "with-summary.xlsx",
        out.getvalue(),
        payments + read,
        rejected={"totals_row": 1},
        rejected_pence=total,
        tables=2,
    )


def xls_html_report(payments: list[Payment]) -> Published:
    """A web report writer's "Excel" download: an HTML table under an ``.xls`` name, a title
    table above it, entities (``&amp;``) and line breaks in cells."""

    def row(cells: list[str], tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    head = row(["Payment<br/>Date", "Supplier Name", "Amount", "Service Area"], "th")
    body = "".join(
        row([_dmy(p.day), p.supplier, pounds(p.pence, "pound"), p.service]) for p in payments
    )
    doc = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">'
        "</head><body><table><tr><td>Payments over £500: April 2024</td></tr></table>"
        f"<table border=1>{head.replace('&lt;br/&gt;', '<br/>')}\n{body}</table></body></html>"
    )
    report = {"read_as": "an HTML table", "header_row": 2}
    return Published("payments-apr-24.xls", doc.encode("utf-8"), payments, report=report)


def xls_tab_text(payments: list[Payment]) -> Published:
    """Tab-separated Windows-1252 text saved under an ``.xls`` name."""
    rows = [["Payment Date", "Supplier Name", "Amount"]]
    rows += [[_dmy(p.day), p.supplier, pounds(p.pence)] for p in payments]
    data = csv_bytes(rows, "cp1252", delimiter="\t")
    return Published("spend.xls", data, payments, report={"read_as": "delimited text"})


def zipped_months(payments: list[Payment]) -> Published:
    """A ZIP of two monthly CSVs and a PDF of notes."""
    half = len(payments) // 2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in (("2024-04.csv", payments[:half]), ("2024-05.csv", payments[half:])):
            rows = [["Date", "Supplier", "Amount"]]
            rows += [[_dmy(p.day), p.supplier, pounds(p.pence)] for p in part]
            archive.writestr(name, csv_bytes(rows))
        archive.writestr("notes.pdf", b"%PDF-1.4")
    return Published("year.zip", buffer.getvalue(), payments, tables=2, skipped=1)


LAYOUTS: dict[str, Callable[[list[Payment]], Published]] = {
    f.__name__: f
    for f in (
        title_and_parameters,
        header_over_two_lines,
        units_row_under_header,
        two_level_header_with_gaps,
        summary_block_in_csv,
        supplier_first_summary_foot,
        date_and_amount_run_together,
        totals_and_subtotals,
        labelled_total_with_a_date,
        amounts_as_written,
        text_dates,
        us_dates,
        excel_long_dates,
        ledger_compact_dates,
        sql_server_datetimes,
        report_writer_bare_name,
        ledger_debit_credit,
        fiscal_period_no_date,
        duplicated_names,
        withheld_payees,
        procurement_card_section,
        cp1252_file,
        mojibake_file,
        utf16_tab_file,
        lga_schema_variant,
        oracle_export,
        agresso_export,
        sap_clearing_export,
        gross_vat_net_export,
        parish_net_vat_total,
        sap_semicolon_decimal_comma,
        workbook,
        workbook_with_summary,
        xls_html_report,
        xls_tab_text,
        zipped_months,
    )
}
