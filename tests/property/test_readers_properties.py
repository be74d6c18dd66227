"""Property tests: malformed spend files never crash the reader and never lose a row."""

from __future__ import annotations

import itertools
import tempfile
from decimal import Context, Decimal, localcontext
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kil_analysis.readers.parse.amounts import debit_less_credit, read_amounts
from kil_analysis.readers.spend import ingest_spend

_counter = itertools.count()
CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='",\r\n\x00'),
    max_size=12,
)
AMOUNT = st.one_of(
    CELL,
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).map(str),
    st.sampled_from(["", " 1,496.00 ", "(12.50)", "12.50-", "-3.46945E-18", "£5", "1e999"]),
)
DATE = st.one_of(
    CELL,
    st.sampled_from(["", "01/02/2024", "7/28/2024", "43641", "2024-03-01 00:00:00", "31/02/2024"]),
    st.dates().map(lambda d: d.strftime("%d-%b-%Y")),
)
ROW = st.tuples(DATE, CELL, AMOUNT, CELL)
HEADER = "Payment Date,Supplier Name,Amount,Department"


def _check(path: Path, cache: Path) -> dict | None:
    """Ingest; a ValueError must name the file. Returns the single file's report, or None."""
    try:
        result = ingest_spend([path], cache_dir=cache, use_cache=False)
    except ValueError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return None
    (entry,) = result.report["files"]
    assert entry["rows_read"] == entry["rows_kept"] + sum(entry["rows_rejected"].values())
    with localcontext(Context(prec=200)):  # exact: a published 1E-22 is in the sum
        assert Decimal(entry["amount_read"]) == Decimal(entry["amount_kept"]) + Decimal(
            entry["amount_rejected"]
        ) + Decimal(entry["amount_rounding"])
    assert len(result.spend) == entry["rows_kept"]
    assert len(result.rejects) == sum(entry["rows_rejected"].values())
    return entry


@given(
    title_rows=st.lists(CELL, max_size=3),
    rows=st.lists(st.one_of(ROW, st.just(None)), max_size=25),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_structured_files_account_for_every_row(
    title_rows: list[str], rows: list[tuple[str, str, str, str] | None], newline: str, encoding: str
) -> None:
    lines = [t + ",,," for t in title_rows] + [HEADER]
    expected = 0
    for row in rows:
        if row is None:
            lines.append(",,,")
            continue
        lines.append(",".join(row))
        expected += any(cell.strip() for cell in row)
    text = newline.join(lines) + newline
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{next(_counter)}.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        entry = _check(path, Path(tmp) / "cache")
    if entry is not None and encoding != "cp1252":
        # The title rows are junk text, so the header is the first row that looks like one.
        assert entry["rows_read"] == expected


@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_give_rows_or_a_clear_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"junk{next(_counter)}.csv"
        path.write_bytes(HEADER.encode() + b"\n" + data)
        _check(path, Path(tmp) / "cache")
        bare = Path(tmp) / "bare.csv"
        bare.write_bytes(data)
        _check(bare, Path(tmp) / "cache")


LEDGER_SIDE = st.one_of(
    st.just(""),
    st.just("0.00"),
    st.integers(min_value=1, max_value=10**11).map(lambda p: f"{p / 100:,.2f}"),
)


@given(st.lists(st.tuples(LEDGER_SIDE, LEDGER_SIDE), min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_a_ledger_line_reads_as_its_debit_less_its_credit_or_not_at_all(
    sides: list[tuple[str, str]],
) -> None:
    """Each line with at most one non-zero side reads as debit - credit to the penny; a line
    with both sides non-zero reads as no amount (it is rejected, never netted)."""

    def pence(text: str) -> int:
        return round(Decimal(text.replace(",", "") or "0") * 100)

    read = read_amounts(
        debit_less_credit(pa.array([d for d, _ in sides]), pa.array([c for _, c in sides]))
    )
    for (debit, credit), ok, got in zip(sides, read.ok, read.pence, strict=True):
        if not debit and not credit:
            assert not ok  # blank: the reader rejects it as a missing amount
        elif pence(debit) and pence(credit):
            assert not ok
        else:
            assert ok and got == pence(debit) - pence(credit)
