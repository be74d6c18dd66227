"""Prevention and early intervention: keyword matching, shares per year, VCSE share within,
and a trend over full years only (hand-computed on a small table)."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.analysis import prevention
from kil_analysis.readers.reference_figures import load_prevention_keywords


def _lines(month_starts, service, pence, org_type):
    return [
        {"payment_date": d, "service_area": service, "expense_type": "Third Party Payments",
         "amount_pence": pence, "org_type": org_type}
        for d in month_starts
    ]  # fmt: skip


@pytest.fixture()
def spend() -> pd.DataFrame:
    y1 = pd.date_range("2020-04-01", periods=12, freq="MS") + pd.Timedelta(days=14)
    y2 = pd.date_range("2021-04-01", periods=12, freq="MS")
    rows = _lines(y1, "Adult Social Care", 10_000, "private")
    rows += _lines(y1, "Early Help and Family Support", 5_000, "vcse")
    rows += _lines(y2, "Adult Social Care", 10_000, "private")
    rows += _lines(y2, "Early Help and Family Support", 5_000, "private")
    rows += _lines([pd.Timestamp("2021-06-10")] * 2, "Homelessness Prevention", 15_000, "vcse")
    rows += _lines([pd.Timestamp("2022-04-05")], "Public Health", 100_000, "unknown")
    rows += _lines([pd.Timestamp("2022-04-06")], "Care, Wellbeing & Learning", 7_000, "vcse")
    return pd.DataFrame(rows)


def test_keywords_match_at_word_starts_and_not_broad_directorates():
    kw = load_prevention_keywords()["service_keywords"]
    s = pd.Series(["Homelessness Prevention", "Public Health", "Care, Wellbeing & Learning",
                   "Children's Centre Services", "Unprevented", "Early  Help"])  # fmt: skip
    mask = prevention.prevention_mask(
        pd.DataFrame({"service_area": s, "expense_type": None}), kw, ()
    )
    assert mask.tolist() == [True, True, False, True, False, True]


def test_shares_by_year_and_full_year_trend_by_hand(spend):
    kw = load_prevention_keywords()
    mask = prevention.prevention_mask(spend, kw["service_keywords"], kw["expense_keywords"])
    table = prevention.prevention_by_year(spend, mask).set_index("financial_year")
    # 2020/21: total 12×£100 + 12×£50 = £1,800; prevention £600, all to a VCSE group
    assert table.at["2020/21", "prevention_pence"] == 60_000
    assert table.at["2020/21", "prevention_share"] == pytest.approx(60_000 / 180_000)
    assert table.at["2020/21", "vcse_share_within"] == pytest.approx(1.0)
    # 2021/22: £600 family support (private) + 2 × £150 homelessness prevention (VCSE) = £900
    # of £2,100; VCSE share of it £300 / £900
    assert table.at["2021/22", "prevention_pence"] == 90_000
    assert table.at["2021/22", "prevention_share"] == pytest.approx(90_000 / 210_000)
    assert table.at["2021/22", "vcse_share_within"] == pytest.approx(1 / 3)
    # 2022/23 holds one month: partial, and its 93% share stays out of the trend
    assert table.at["2022/23", "partial"] and table.at["2022/23", "months"] == 1
    assert table.at["2022/23", "classified_share_within"] == 0.0
    trend = prevention.full_year_trend(table.reset_index())
    assert (trend["first_year"], trend["last_year"]) == ("2020/21", "2021/22")
    assert trend["change"] == pytest.approx(90_000 / 210_000 - 1 / 3)


def test_no_prevention_spend_reads_as_not_measured_not_zero(spend):
    mask = pd.Series(False, index=spend.index)
    table = prevention.prevention_by_year(spend, mask)
    assert table["vcse_share_within"].isna().all() and (table["prevention_share"] == 0).all()
    assert prevention.full_year_trend(table.iloc[:1]) is None
