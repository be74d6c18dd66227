"""Published headers are recognised by meaning, across the layouts councils actually use."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.readers.spend.column_choice import choose_columns
from kil_analysis.readers.spend.columns import (
    SYNONYMS,
    clean_header,
    header_key,
    header_scores,
    header_words,
    looks_like_header,
)

LAYOUTS = {
    "newcastle 2010": "Directorate,Service Area,Payment Date,Supplier Name,Internal Ref,"
    "Capital/ Revenue,Grand Total",
    "newcastle 2017": "Directorate,Service Area,Group Description,Paid Date,Supplier Name,"
    "Internal Ref,Cap/Rev,Cost Centre,Cost Centre Name,Total",
    "newcastle 2019": "Directorate,Service Area,Group Description,Paid Date,Supplier Name,"
    "Internal Ref,Cap/Rev,Cost Centre,Cost Centre Name,Total (excludes VAT)",
    "devon 2011": "Body,Name of Body,Date,Transaction Number,Invoice Number,Amount,Supplier Name,"
    "Supplier ID,VAT Reg no,Expense Area,Expense Type,Expense Code,Creditor Type",
    "devon 2026": "\ufeffBody,Name of Body,Date,Transaction number, Amount ,Supplier name,"
    "Supplier ID,VAT reg no,Expense area,Expense type,Expense code,Costcuk,Creditor type",
    "trafford": "OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,"
    "BeneficiaryName,BeneficiaryOtherID,PaymentDate,TransactionNumber,Amount,"
    "IrrecoverableVATAmount,Purpose,ProclassLabel,ProclassCode,InvoiceNumber,ProfitCentre,"
    "VATRegistrationNumber",
    "bristol": "Supplier Name,Amount Excluding VAT,Description,Department,Payment Date,"
    "Transaction Number",
}

EXPECTED = {
    "newcastle 2010": {
        "service_area": "Service Area",
        "payment_date": "Payment Date",
        "supplier_name": "Supplier Name",
        "transaction_ref": "Internal Ref",
        "cap_rev": "Capital/ Revenue",
        "amount": "Grand Total",
    },
    "newcastle 2019": {"expense_type": "Group Description", "amount": "Total (excludes VAT)"},
    "devon 2011": {
        "transaction_ref": "Transaction Number",
        "supplier_id": "Supplier ID",
        "vat_number": "VAT Reg no",
        "service_area": "Expense Area",
        "expense_type": "Expense Type",
    },
    "devon 2026": {"amount": " Amount ", "payment_date": "Date"},
    "trafford": {
        "payment_date": "PaymentDate",
        "supplier_name": "BeneficiaryName",
        "supplier_id": "BeneficiaryOtherID",
        "service_area": "OrganisationalUnit",
        "expense_type": "Purpose",
        "transaction_ref": "TransactionNumber",
        "vat_number": "VATRegistrationNumber",
    },
    "bristol": {
        "supplier_name": "Supplier Name",
        "amount": "Amount Excluding VAT",
        "expense_type": "Description",
        "service_area": "Department",
        "payment_date": "Payment Date",
        "transaction_ref": "Transaction Number",
    },
}


def _rows(headers: list[str], n: int = 40) -> pd.DataFrame:
    """Plausible data under any header: dates, money, names, codes, by what the header says."""
    columns = []
    for i, header in enumerate(headers):
        key = header_key(header)
        if "date" in key:
            values = [f"{1 + d % 28:02d}/04/2024" for d in range(n)]
        elif key in {"amount", "total", "grandtotal", "totalexcludesvat", "amountexcludingvat"}:
            values = [f"{100 + 7.13 * d:.2f}" for d in range(n)]
        elif "supplier" in key and "id" not in key or "beneficiaryname" in key:
            values = [f"SUPPLIER {chr(65 + d % 26)}{d} LTD" for d in range(n)]
        elif "vat" in key or "id" in key or "number" in key or "ref" in key or "code" in key:
            values = [f"{9000000 + d * 37 + i}" for d in range(n)]
        else:
            values = [f"Area {d % 5}" for d in range(n)]
        columns.append(values)
    return pd.DataFrame(dict(enumerate(columns)))


def _chosen(headers: list[str], rows: pd.DataFrame | None = None, overrides=None) -> dict:
    rows = _rows(headers) if rows is None else rows
    choices = choose_columns(headers, rows, "test.csv", overrides)
    return {field: headers[c.position] for field, c in choices.items()}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_published_layouts_are_headers(layout: str) -> None:
    headers = LAYOUTS[layout].split(",")
    assert looks_like_header(headers)
    chosen = _chosen(headers)
    assert {"payment_date", "supplier_name", "amount"} <= chosen.keys()
    for field, header in EXPECTED.get(layout, {}).items():
        assert chosen[field] == header


def test_headers_are_normalised() -> None:
    assert header_key(" Total (excludes VAT) ") == "totalexcludesvat"
    assert header_key("Supplier ID(T)") == "supplierid"
    assert clean_header("ï»¿Body Name") == "Body Name"
    assert clean_header("\ufeffBody") == "Body"


def test_abbreviated_and_run_together_headers_are_read_as_words() -> None:
    assert header_words("TransNo") == ("transaction", "number")
    assert header_words("PaidDate") == ("paid", "date")
    assert header_words("suppliername") == ("supplier", "name")
    assert header_words("Cipfsubj(T)") == ("cipfa", "subjective")
    assert header_words("Pymt Amt") == ("payment", "amount")


def test_title_rows_are_not_headers() -> None:
    assert not looks_like_header(["Newcastle City Council Invoices over £250 paid in May", ""])
    assert not looks_like_header(["Supplier", "Amount"])  # too few columns to be sure


def test_vat_and_gross_columns_do_not_become_the_amount() -> None:
    headers = ["Payment Date", "Supplier", "VAT Amount", "Gross Amount", "Net Amount"]
    rows = pd.DataFrame(
        {
            0: ["01/04/2024", "02/04/2024"] * 10,
            1: ["ACME LTD", "AGE UK"] * 10,
            2: ["20.00", "0.00"] * 10,
            3: ["120.00", "55.50"] * 10,
            4: ["100.00", "55.50"] * 10,
        }
    )
    choices = choose_columns(headers, rows, "test.csv")
    assert headers[choices["amount"].position] == "Net Amount"
    assert "Gross Amount" in choices["amount"].reason


def test_an_empty_column_serves_a_field_only_when_no_column_with_values_claims_it() -> None:
    """A template's unused columns (``Amount``, ``Merchant Category``) beside the ones the
    payments are in: the money is read from ``Net Value`` and the expense type from the G/L
    account's text; an empty column is still taken when it is the only one naming its field."""
    headers = ["Payment Date", "Supplier", "Amount", "Net Value", "Merchant Category",
               "G/L Description", "Service Area"]  # fmt: skip
    rows = pd.DataFrame(
        {
            0: ["01/04/2024", "02/04/2024"] * 10,
            1: [f"SUPPLIER {i} LTD" for i in range(20)],
            2: [""] * 20,
            3: ["100.00", "55.50"] * 10,
            4: [""] * 20,
            5: ["Agency Fees", "Rents"] * 10,
            6: [""] * 20,
        }
    )
    choices = choose_columns(headers, rows, "test.csv")
    chosen = {field: headers[c.position] for field, c in choices.items()}
    assert chosen["amount"] == "Net Value"
    assert chosen["expense_type"] == "G/L Description"
    assert chosen["service_area"] == "Service Area"


def test_a_ledger_accounts_text_is_the_expense_type_not_its_code() -> None:
    for header in ("G/L Description", "Expenditure Account", "Nominal Description"):
        assert header_scores(header).get("expense_type", 0) >= 0.5, header
    for header in ("Account Code", "Expenditure Account Code", "Account Name"):
        assert "expense_type" not in header_scores(header), header


@pytest.mark.parametrize(
    ("headers", "net"),
    [
        (["Date", "Payee", "Net", "VAT", "Total"], "Net"),  # a parish council's payments
        (["Date", "Supplier", "Amount", "VAT Amount", "Net Amount"], "Net Amount"),
        (
            ["Date", "Supplier", "Amount Paid", "Amount Excluding VAT", "VAT"],
            "Amount Excluding VAT",
        ),
    ],
)
def test_the_net_is_taken_beside_a_gross_under_any_name(headers: list[str], net: str) -> None:
    gross = {"Total": "120.00", "Amount": "120.00", "Amount Paid": "120.00"}
    rows = pd.DataFrame(
        {
            i: (
                ["01/04/2024", "02/04/2024"] * 10
                if i == 0
                else [f"SUPPLIER {n} LTD" for n in range(20)]
                if i == 1
                else [gross.get(h, "100.00" if h == net else "20.00")] * 20
            )
            for i, h in enumerate(headers)
        }
    )
    choice = choose_columns(headers, rows, "test.csv")["amount"]
    assert headers[choice.position] == net
    assert "the net amount is taken" in choice.reason


def test_values_decide_when_the_header_misleads() -> None:
    """Gateshead's shape: names under ``Supplier ID(T)``, the date under ``Updated``."""
    headers = ["Nstrg(T)", "TransNo", "Period", "Supplier ID(T)", "Amount", "Updated"]
    rows = pd.DataFrame(
        {
            0: ["Schools", "Care, Wellbeing and Learning", "Resources"] * 20,
            1: [str(200053492 + i) for i in range(60)],
            2: ["202103"] * 60,
            3: [f"SUPPLIER {i} LTD" for i in range(60)],
            4: [f"{10 + i}.{i % 10}5" for i in range(60)],
            5: [f"2021-06-{1 + i % 28:02d}" for i in range(60)],
        }
    )
    choices = choose_columns(headers, rows, "test.csv")
    chosen = {field: headers[c.position] for field, c in choices.items()}
    assert chosen["supplier_name"] == "Supplier ID(T)"
    assert chosen["payment_date"] == "Updated"
    assert chosen["amount"] == "Amount"
    assert chosen["service_area"] == "Nstrg(T)" and choices["service_area"].confidence == "low"
    assert "supplier_id" not in chosen and "Period" not in chosen.values()
    assert choices["amount"].confidence == "high"
    assert "values fit the supplier" in choices["supplier_name"].reason


def test_a_bare_name_column_is_the_payee_not_the_cost_centre_beside_it() -> None:
    """A report writer's layout (Hyndburn's): the payee under a bare ``Name``, after a
    ``Service Cost Centre`` whose values are text just as varied in a short month."""
    headers = ["Service Cost Centre", "Account Detail", "Description", "Ref", "Name", "Date", "Net"]
    rows = pd.DataFrame(
        {
            0: [f"COST CENTRE {i % 9}" for i in range(40)],
            1: ["AGENCY STAFF", "GAS", "ELECTRICITY", "GRANTS"] * 10,
            2: [f"INVOICE {i}" for i in range(40)],
            3: [f"B0000{18580 + i}/57559" for i in range(40)],
            4: [f"SUPPLIER {i} LTD" for i in range(40)],
            5: ["04/01/2017"] * 40,
            6: [f"{300 + i}.25" for i in range(40)],
        }
    )
    chosen = _chosen(headers, rows)
    assert chosen["supplier_name"] == "Name"
    assert chosen["service_area"] == "Service Cost Centre"


def test_a_column_naming_another_field_serves_the_supplier_only_when_nothing_else_fits() -> None:
    """No header names the supplier: the unnamed text column is taken, not the directorate's."""
    headers = ["Directorate", "Payee Ref", "Nm(T)", "Paid", "Amount"]
    rows = pd.DataFrame(
        {
            0: [f"DIRECTORATE {i % 20}" for i in range(40)],
            1: [str(70000 + i) for i in range(40)],
            2: [f"TRADER {i} LIMITED" for i in range(40)],
            3: ["02/04/2024"] * 40,
            4: ["10.50"] * 40,
        }
    )
    assert _chosen(headers, rows)["supplier_name"] == "Nm(T)"
    # With no such column, the other field's column is still read rather than the file refused.
    only = pd.DataFrame({0: rows[0], 1: rows[1], 2: rows[3], 3: rows[4]})
    assert _chosen(["Directorate", "Payee Ref", "Paid", "Amount"], only)["supplier_name"] == (
        "Directorate"
    )


def test_codes_and_periods_are_never_the_amount() -> None:
    headers = ["Date", "Supplier", "Ref", "Value"]
    rows = pd.DataFrame(
        {
            0: ["01/04/2024"] * 30,
            1: [f"NAME {i}" for i in range(30)],
            2: [str(300001072 + i) for i in range(30)],
            3: ["abc"] * 30,  # a "Value" column of words: no amount to be found
        }
    )
    with pytest.raises(ValueError, match="test.csv: cannot find the amount column"):
        choose_columns(headers, rows, "test.csv")


def test_a_period_stands_in_for_a_missing_payment_date() -> None:
    headers = ["Period", "Supplier Name", "Amount"]
    rows = pd.DataFrame({0: ["202104"] * 30, 1: [f"NAME {i}" for i in range(30)], 2: ["1.50"] * 30})
    choices = choose_columns(headers, rows, "test.csv")
    assert "payment_date" not in choices and headers[choices["period"].position] == "Period"


def test_overrides_pin_and_can_ignore() -> None:
    headers = ["Date", "Supplier", "Amount", "Net"]
    rows = pd.DataFrame(
        {
            0: ["01/04/2024"] * 30,
            1: [f"NAME {i}" for i in range(30)],
            2: ["1.50"] * 30,
            3: ["2"] * 30,
        }
    )
    assert _chosen(headers, rows, {"Net": "amount"})["amount"] == "Net"
    with pytest.raises(ValueError, match="cannot find the supplier column"):
        _chosen(headers, rows, {"Supplier": "ignored"})
    choices = choose_columns(headers, rows, "t.csv", {"Net": "amount"})
    assert choices["amount"].confidence == "pinned"


def test_every_synonym_is_unique() -> None:
    keys = [s for synonyms in SYNONYMS.values() for s in synonyms]
    assert len(keys) == len(set(keys))
