"""The Newcastle case study on the council's real published files (../shared/data): its
full-year totals equal an independent recount of the files, and what it says reads sensibly
(partial years named, shares that cannot be measured say so). Skipped when the files are absent.

The recount uses only the standard library (``csv``, ``decimal``, ``datetime``): it finds the
header row, the date and amount columns by their published names, and parses the four date
shapes Newcastle uses (``dd/mm/yy``, ``dd-Mon-yyyy``, ``dd/mm/yyyy``, Excel serial numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared_data

EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(text: str) -> dt.date:
    text = text.strip()
    if text.isdigit():
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%b-%Y", "%d-%b-%y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text!r}")


def _pounds(text: str) -> Decimal:
    cleaned = text.replace("£", "").replace(",", "").strip()
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    return Decimal(cleaned)


def _fy(day: dt.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def recount(folder: Path) -> dict[str, Decimal]:
    """Net pounds per financial year over every payment row of every file in ``folder``."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="cp1252", newline="") as handle:
            rows = list(csv.reader(handle))
        header_at = next(i for i, r in enumerate(rows) if "Supplier Name" in r)
        header = [h.strip() for h in rows[header_at]]
        date_col = next(i for i, h in enumerate(header) if h in ("Payment Date", "Paid Date"))
        amount_col = max(i for i, h in enumerate(header) if "Total" in h)
        for row in rows[header_at + 1 :]:
            if not any(cell.strip() for cell in row):
                continue  # the trailing rows made only of commas
            totals[_fy(_date(row[date_col]))] += _pounds(row[amount_col])
    return dict(totals)


@pytest.fixture(scope="module")
def newcastle(shared_data, tmp_path_factory):
    import os

    from kil_analysis.analysis import measures
    from kil_analysis.pipeline import load_case_study

    raw = shared_data / "spend" / "newcastle" / "raw"
    old = os.environ.get("KIL_DATA_DIR")
    os.environ["KIL_DATA_DIR"] = str(tmp_path_factory.mktemp("newcastle-data"))
    try:
        study = load_case_study("newcastle", raw)
    finally:
        if old is None:
            del os.environ["KIL_DATA_DIR"]
        else:
            os.environ["KIL_DATA_DIR"] = old
    return {"raw": raw, "study": study, "headline": measures.headline_by_year(study.spend)}


def test_full_year_totals_equal_an_independent_recount_of_the_files(newcastle):
    headline = newcastle["headline"].set_index("financial_year")
    full = headline.index[~headline["is_partial"]].tolist()
    assert full == ["2017/18", "2019/20"]
    counted = recount(newcastle["raw"])
    for year in full:
        assert Decimal(int(headline.at[year, "total_pence"])) / 100 == counted[year], year
    # and every year, partial ones included, adds up to the same grand total
    assert sum(counted.values()) == Decimal(int(headline["total_pence"].sum())) / 100


def test_partial_years_and_their_missing_months_are_named(newcastle):
    from kil_analysis.present import narrative

    text = narrative.years_covered(newcastle["headline"])
    assert "2010/11 (1 month: August 2010 only)" in text
    assert "2016/17 (3 months: January–March 2017 only)" in text
    assert "2018/19 (9 months: no payments in October–December 2018)" in text
    assert "2020/21 (4 months: April–July 2020 only)" in text


def test_what_cannot_be_measured_says_so_and_trends_use_full_years(newcastle):
    from kil_analysis.present import narrative

    headline = newcastle["headline"]
    assert headline["local_share"].isna().all() and (headline["located_share"] == 0).all()
    local = narrative.share_finding(headline, "local_share")
    assert local == (
        "In 2019/20, the share of spend with suppliers based in the council's area is "
        "not measured (0.0% of spend was located)."
    )
    vcse = narrative.share_finding(headline, "vcse_share")
    assert vcse.startswith("In 2019/20, ") and "in 2017/18" in vcse
    assert "2010/11" not in vcse and "2020/21" not in vcse
