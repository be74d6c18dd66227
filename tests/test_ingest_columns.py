"""Published headers are recognised by meaning, across the layouts councils actually use."""

from __future__ import annotations

import pytest

from kil_analysis.ingest.columns import (
    SYNONYMS,
    clean_header,
    header_key,
    looks_like_header,
    map_columns,
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


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_published_layouts_are_headers(layout: str) -> None:
    headers = LAYOUTS[layout].split(",")
    assert looks_like_header(headers)
    chosen = {field: headers[pos] for field, pos in map_columns(headers).items()}
    assert {"payment_date", "supplier_name", "amount"} <= chosen.keys()
    for field, header in EXPECTED.get(layout, {}).items():
        assert chosen[field] == header


def test_headers_are_normalised() -> None:
    assert header_key(" Total (excludes VAT) ") == "totalexcludesvat"
    assert clean_header("ï»¿Body Name") == "Body Name"
    assert clean_header("\ufeffBody") == "Body"


def test_title_rows_are_not_headers() -> None:
    assert not looks_like_header(["Newcastle City Council Invoices over £250 paid in May", ""])
    assert not looks_like_header(["Supplier", "Amount"])  # too few columns to be sure


def test_overrides_beat_synonyms_and_can_ignore() -> None:
    headers = ["Date", "Supplier", "Amount", "Net"]
    assert map_columns(headers, {"Net": "amount"})["amount"] == 3
    assert "supplier_name" not in map_columns(headers, {"Supplier": "ignored"})


def test_every_synonym_is_unique() -> None:
    keys = [s for synonyms in SYNONYMS.values() for s in synonyms]
    assert len(keys) == len(set(keys))
