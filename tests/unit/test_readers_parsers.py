"""Unit and property tests for the value parsers: amounts, dates, supplier keys, redaction."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kil_analysis.readers.parse.amounts import (
    debit_less_credit,
    parse_amounts,
    pence_to_decimal_string,
)
from kil_analysis.readers.parse.dates import month_in_title, parse_dates
from kil_analysis.readers.parse.redaction import is_redacted
from kil_analysis.readers.parse.supplier_key import supplier_key, supplier_keys


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1234.5", 123450),
        (" 1,496.00 ", 149600),
        (" 507.50 ", 50750),
        ("£1,200", 120000),
        ("(250.00)", -25000),
        ("250.00-", -25000),
        ("-2733.52", -273352),
        ("-3.46945E-18", 0),
        ("1.2345e3", 123450),
        ("0.005", 1),
        ("-0.005", -1),
        ("0.0049", 0),
        (".5", 50),
        ("£ -5.00", -500),
        ("57,492,900.67", 5749290067),
        ("(1,234.56) CR", -123456),  # a credit marked twice is still a credit
        ("(5.00)-", -500),
        ("-5.00 CR", -500),  # a signed amount joined with its CR flag: a credit, never +5.00
        ("-5.00-", -500),
        ("3\u2009750.00", 375000),  # thin space grouping thousands
        ("1\u202f234\u202f567.89", 123456789),  # narrow no-break spaces
        ("12.00\u2007", 1200),  # a figure space padding the cell
        ("\u2009-£10.50\u2009", -1050),
        ("1\u3000234.00", 123400),  # ideographic space: a space class like the others
    ],
)
def test_amounts_parse_to_exact_pence(text: str, pence: int) -> None:
    result = parse_amounts(pd.Series([text]))
    assert bool(result["ok"].iat[0])
    assert int(result["pence"].iat[0]) == pence


@pytest.mark.parametrize(
    "text",
    [
        "", "  ", None, "abc", "-", "12.34.5", "1e400", "N/A",
        "12 50", "12\u200950.00", "1234 567.00", "1 2345.00",  # a space that groups no thousands
        "--5.00",
    ],
)  # fmt: skip
def test_unparseable_amounts_are_not_ok(text: str | None) -> None:
    result = parse_amounts(pd.Series([text], dtype="string"))
    assert not bool(result["ok"].iat[0])
    assert pd.isna(result["pence"].iat[0])


def test_spaced_thousands_take_the_columns_decimal_separator() -> None:
    """``1 234,56`` beside ``12,50`` is a decimal-comma column; beside ``1 234.56`` a point one."""
    comma = parse_amounts(pd.Series(["1\u2009234,56", "12,50", "3\u202f750,00"]))
    assert comma["pence"].tolist() == [123456, 1250, 375000]
    point = parse_amounts(pd.Series(["1\u2009234.56", "12.50", "3\u202f750"]))
    assert point["pence"].tolist() == [123456, 1250, 375000]


def test_amounts_keep_index_and_dtypes() -> None:
    result = parse_amounts(pd.Series(["1", None, "2"], index=[10, 11, 12]))
    assert list(result.index) == [10, 11, 12]
    assert str(result["pence"].dtype) == "Int64"
    assert result["ok"].tolist() == [True, False, True]


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
@settings(max_examples=200, deadline=None)
def test_amounts_round_half_up_like_decimal(value: Decimal) -> None:
    expected = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    result = parse_amounts(pd.Series([f"{value:,f}"]))
    assert int(result["pence"].iat[0]) == expected


@pytest.mark.parametrize(
    ("pence", "text"), [(-123450, "-1234.50"), (5, "0.05"), (0, "0.00"), (-5, "-0.05")]
)
def test_pence_to_decimal_string(pence: int, text: str) -> None:
    assert pence_to_decimal_string(pence) == text


def test_a_ledger_line_is_its_debit_or_its_credit_as_a_negative_amount() -> None:
    debit = pa.array(["10.00", "", "0.00", "5.00", None, " 3 ", "1,200.00"])
    credit = pa.array(["", "2.50", "4.00", "1.00", None, "0.00", ""])
    assert debit_less_credit(debit, credit).to_pylist() == [
        "10.00",
        "-2.50",  # a credit only
        "-4.00",  # the debit side 0.00
        "5.00 / 1.00",  # both sides: no amount (rejected, both shown), never netted by a guess
        "",
        "3",
        "1,200.00",
    ]


def _dates(values: list[str | None]) -> list[str | None]:
    parsed = parse_dates(pd.Series(values, dtype="string")).dates
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parsed]


def test_dates_in_each_published_format() -> None:
    assert _dates(["12/08/10"]) == ["2010-08-12"]
    assert _dates(["18-Jan-2017", "10-jan-2017"]) == ["2017-01-18", "2017-01-10"]
    assert _dates(["25/06/2019", "1/7/2019"]) == ["2019-06-25", "2019-07-01"]
    assert _dates(["04 September 2017"]) == ["2017-09-04"]
    assert _dates(["21.03.2015"]) == ["2015-03-21"]
    assert _dates(["2024-03-01 00:00:00", "2022-08-02"]) == ["2024-03-01", "2022-08-02"]
    assert _dates(["43641", "43619"]) == ["2019-06-25", "2019-06-03"]
    assert _dates(["", None, "soon", "31/02/2020"]) == [None, None, None, None]


def test_long_and_year_first_dates_as_spreadsheets_and_ledgers_write_them() -> None:
    # Excel's long date format, with the weekday in front (one format per file, as exported).
    assert _dates(["Tuesday, 02 April 2024", "Sunday, 31 March 2024"]) == [
        "2024-04-02",
        "2024-03-31",
    ]
    assert _dates(["Tue 02 Apr 2024", "Wed 31/01/2024"]) == ["2024-04-02", "2024-01-31"]
    # The month before the day (a US system's long date), with or without the comma.
    assert _dates(["April 2, 2024", "Mar 31 2024"]) == ["2024-04-02", "2024-03-31"]
    # Year first with slashes or dots, and a day and month name run together (SAS, Oracle).
    assert _dates(["2024/04/02", "2024.03.31", "02APR2024"]) == [
        "2024-04-02",
        "2024-03-31",
        "2024-04-02",
    ]
    result = parse_dates(pd.Series(["20240402", "20240331"]))
    assert [d.strftime("%Y-%m-%d") for d in result.dates] == ["2024-04-02", "2024-03-31"]
    assert result.formats == ["yyyymmdd"]
    # Not dates: a word and a number, a weekday before nothing, an impossible day or month.
    assert _dates(["UNIT 4 LTD", "Friday", "2024/13/01", "Feb 30 2024", "20241301"]) == [None] * 5


def test_dates_with_a_12_hour_time_or_an_excel_time_fraction() -> None:
    # SQL Server's default text for a datetime (day space-padded), a 12-hour time, and an
    # Excel day number with its time of day as a fraction: the calendar day is kept.
    assert _dates(["Apr  2 2024 12:00AM", "Mar 31 2024  4:15PM"]) == ["2024-04-02", "2024-03-31"]
    assert _dates(["02/04/2024 01:30 PM", "31/03/2024 9:05 a.m."]) == ["2024-04-02", "2024-03-31"]
    assert _dates(["45384.4166666667", "45384.5"]) == ["2024-04-02", "2024-04-02"]
    # A fraction does not make any number a date: outside 1950-2099 it is none.
    assert _dates(["12345.67", "45384.5 PM"]) == [None, None]


def test_compact_dates_need_a_column_trusted_to_hold_dates() -> None:
    # An eight-digit number is a reference as often as a date: read only where the caller
    # trusts the column (its header says date), as Excel day numbers are.
    assert parse_dates(pd.Series(["20240402"]), excel_serials=False).dates.isna().all()


def test_a_month_or_a_run_of_months_is_dated_by_its_first_day() -> None:
    # Some councils date each line by the month or quarter it was paid in (Darlington 2010).
    assert _dates(["July 2010", "Jul-10", "Sept 2019"]) == [
        "2010-07-01",
        "2010-07-01",
        "2019-09-01",
    ]
    result = parse_dates(pd.Series(["July 2010-September 2010", "Apr 2019 to Jun 2019"]))
    assert [d.strftime("%Y-%m-%d") for d in result.dates] == ["2010-07-01", "2019-04-01"]
    assert result.formats == ["Month yyyy-Month yyyy (a period: first day of its first month)"]
    # Not a month, or a run that ends before it starts, is no date.
    assert _dates(["Hello 2019", "March 2011 to February 2011", "Total 2019"]) == [None] * 3


def test_the_month_a_title_states() -> None:
    assert month_in_title([["", "", "January 2012"]]) == (2012, 1)
    assert month_in_title([["Payments over £500"], ["Aug-15"]]) == (2015, 8)
    assert month_in_title([["Period from 01/04/2024 to 30/04/2024"]]) == (2024, 4)
    # A longer period, or a month without its year, states no single month.
    assert month_in_title([["Payments April to June 2019"]]) is None
    assert month_in_title([["Period 01/04/2024 to 31/05/2024"]]) is None
    assert month_in_title([["Spend over £500 2019/20"]]) is None
    # Letters inside words are no month ("description", "marketing").
    assert month_in_title([["select s.description, marketing", "March 2020"]]) == (2020, 3)


def test_day_month_order_is_decided_from_the_evidence() -> None:
    us = parse_dates(pd.Series(["7/28/2014", "1/2/2014", "12/1/2014"]))
    assert us.day_first is False
    assert [d.strftime("%Y-%m-%d") for d in us.dates] == ["2014-07-28", "2014-01-02", "2014-12-01"]
    uk = parse_dates(pd.Series(["28/7/2014", "1/2/2014"]))
    assert uk.day_first is True and uk.day_first_basis == "evidence"
    assert uk.dates.iat[1] == pd.Timestamp("2014-02-01")


def test_day_first_is_the_reported_default_without_evidence() -> None:
    result = parse_dates(pd.Series(["01/02/2020", "03/04/2020"]))
    assert result.day_first is True
    assert result.day_first_basis == "default"
    assert result.formats == ["dd/mm/yyyy"]


def test_excel_serials_can_be_switched_off() -> None:
    assert parse_dates(pd.Series(["43641"]), excel_serials=False).dates.isna().all()
    assert parse_dates(pd.Series(["43641"])).formats == ["excel_serial"]


@given(st.lists(st.text(max_size=12), max_size=20))
@settings(max_examples=100, deadline=None)
def test_dates_never_crash_on_arbitrary_text(values: list[str]) -> None:
    result = parse_dates(pd.Series(values, dtype="string"))
    assert len(result.dates) == len(values)
    assert str(result.dates.dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    "name",
    [
        "Redacted Personal Data",
        "REDACTED UNDER DP ACT",
        "Redacted",
        "redacted",
        "REDACTED COMMERCIAL CONFIDENTIALITY",
        "*****",
        "Personal data",
        "Personal Data Withheld",
        "Withheld",
        "NAME WITHHELD",
        "",  # a payee left blank: withheld
        "(blank)",  # the same, after a pivot table
    ],
)
def test_redaction_variants_are_recognised(name: str) -> None:
    assert is_redacted(pd.Series([name])).iat[0]


@pytest.mark.parametrize(
    "name",
    ["REDACTIVE EVENTS LTD", "PEE WEES PERSONAL HOMECARE LTD", "WITHERIDGE PARISH", "ACME"],
)
def test_redaction_has_no_false_positives(name: str) -> None:
    assert not is_redacted(pd.Series([name])).iat[0]


def test_redaction_handles_missing_names() -> None:
    assert is_redacted(pd.Series([None, "Redacted"], dtype="string")).tolist() == [False, True]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Acme Limited", "ACME LTD."),
        ("AMAZON *4183", "Amazon"),
        ("BT (SP PMTS)", "BT"),
        ("Smith & Sons Ltd - REF 123", "SMITH AND SONS LIMITED"),
        ("St. John's Church", "ST JOHNS CHURCH"),
        ("M&S P.L.C.", "M AND S PLC"),
        ("Bakers, The", "BAKERS"),
        ("  age   uk  newcastle ", "AGE UK NEWCASTLE"),
    ],
)
def test_supplier_key_groups_spellings(a: str, b: str) -> None:
    assert supplier_key(a) == supplier_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AGE UK NEWCASTLE", "AGE UK NORTH TYNESIDE"),
        ("ST JOHNS CHURCH", "ST JAMES CHURCH"),
        ("ACME LTD", "ACME PLC"),
        ("THEATRE ROYAL", "ROYAL"),
        ("NEWCASTLE CVS", "NEWCASTLE CVS 2"),
        ("A1 TAXIS", "A TAXIS"),
    ],
)
def test_supplier_key_never_merges_different_organisations(a: str, b: str) -> None:
    assert supplier_key(a) != supplier_key(b)


def test_supplier_keys_vectorised_keeps_na() -> None:
    keys = supplier_keys(pd.Series(["The Acme Ltd", None], dtype="string"))
    assert keys.iat[0] == "ACME LTD" and pd.isna(keys.iat[1])


@given(st.text(alphabet=st.sampled_from(list("ABC THE&.,'()*-LIMTDPRF0123")), max_size=30))
@settings(max_examples=300, deadline=None)
@example("THE THE X")
@example("X THE THE")
@example("A *1 (SP PMTS)")
@example("X - REF 12 - REF 3")
def test_supplier_key_is_stable_when_reapplied(name: str) -> None:
    key = supplier_key(name)
    assert supplier_key(key) == key
    assert key == key.strip() and "  " not in key
