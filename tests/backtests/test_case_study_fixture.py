"""Back-test: every case-study measure on a small hand-built council, against figures worked
out by hand (the working is written beside each assertion).

The council: eleven named suppliers in 2022/23 and 2023/24 (twelve in all: PRINT LTD stops
after the first year, NEWCOMER LTD starts in the second), redacted payments to individuals, a
not-a-supplier line (a payment run) in each year, and a partial year 2024/25 (April–June only).
Two full years, one partial year. Amounts are in pounds below and in pence in the table.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kil_analysis.analysis import (
    cles,
    concentration,
    measures,
    opportunities,
    prevention,
    scorecard,
    trends,
    years,
)
from kil_analysis.config import COMMISSIONING_FIELDS
from kil_analysis.present import findings, narrative
from kil_analysis.readers.reference_figures import load_prevention_keywords
from kil_analysis.reporting import summary

# key: (name, org_type, size, locality)
SUPPLIERS = {
    "CARECO": ("CareCo Ltd", "private", "large", "outside"),
    "BUILDCO": ("BuildCo Ltd", "private", "large", "outside"),
    "AGEUK": ("Age UK Local", "vcse", "small", "in_area"),
    "YOUTH": ("Youth Trust", "vcse", "micro", "in_area"),
    "HOMEHELP": ("HomeHelp Ltd", "private", "small", "in_area"),
    "NHS": ("City NHS Trust", "public", "large", "in_region"),
    "REGIONCIC": ("Regional CIC", "vcse", "small", "in_region"),
    "TECH": ("Tech PLC", "private", "large", "outside"),
    "CAFE": ("Cafe Co-op", "vcse", "micro", "in_area"),
    "MYSTERY": ("Mystery Co", "unknown", "unknown", "unknown"),
    "PRINT": ("Print Ltd", "private", "medium", "in_area"),
    "NEWCOMER": ("Newcomer Ltd", "private", "small", "outside"),
    "REDACTED": ("Redacted Personal Data", "individual", "unknown", "unknown"),
    "PAYRUN": ("BACS PAYMENT RUN", "not_a_supplier", "unknown", "unknown"),
}

# (date, supplier key, pounds, service area)
LINES = [
    # 2022/23 — CareCo paid £3,000 every month (Apr 2022 … Mar 2023) plus £4,000 in March:
    *[
        (f"{y}-{m:02d}-15", "CARECO", 3000, "Adult Social Care")
        for y, m in [(2022, m) for m in range(4, 13)] + [(2023, m) for m in range(1, 4)]
    ],
    ("2023-03-20", "CARECO", 4000, "Adult Social Care"),  # CareCo 2022/23: 40,000
    ("2022-05-10", "BUILDCO", 20000, "Highways"),
    ("2022-06-10", "AGEUK", 10000, "Adult Social Care"),
    ("2022-07-10", "YOUTH", 5000, "Children's Services"),
    ("2022-08-10", "HOMEHELP", 6000, "Adult Social Care"),
    ("2022-09-10", "NHS", 8000, "Public Health"),
    ("2022-10-10", "REGIONCIC", 4000, "Public Health"),
    ("2022-11-10", "TECH", 3000, "Corporate IT"),
    ("2022-12-10", "CAFE", 1000, "Direct Payments"),
    ("2023-01-10", "MYSTERY", 2000, "Highways"),
    ("2023-02-10", "PRINT", 1000, "Corporate IT"),
    ("2022-04-20", "REDACTED", 5000, "Direct Payments"),
    ("2022-04-30", "PAYRUN", 10000, "Finance"),
    # 2023/24 — CareCo £4,000 a month plus £2,000 in March: 50,000
    *[
        (f"{y}-{m:02d}-15", "CARECO", 4000, "Adult Social Care")
        for y, m in [(2023, m) for m in range(4, 13)] + [(2024, m) for m in range(1, 4)]
    ],
    ("2024-03-20", "CARECO", 2000, "Adult Social Care"),
    ("2023-05-10", "BUILDCO", 10000, "Highways"),
    ("2023-06-10", "AGEUK", 15000, "Adult Social Care"),
    ("2023-07-10", "YOUTH", 5000, "Children's Services"),
    ("2023-08-10", "HOMEHELP", 8000, "Adult Social Care"),
    ("2023-09-10", "NHS", 8000, "Public Health"),
    ("2023-10-10", "REGIONCIC", 6000, "Public Health"),
    ("2023-11-10", "TECH", 4000, "Corporate IT"),
    ("2023-11-30", "TECH", -1000, "Corporate IT"),  # a credit note: Tech nets 3,000
    ("2023-12-10", "CAFE", 2000, "Direct Payments"),
    ("2024-01-10", "MYSTERY", 2000, "Highways"),
    ("2024-02-10", "NEWCOMER", 1000, "Children's Services"),
    ("2023-04-20", "REDACTED", 10000, "Direct Payments"),
    ("2023-04-30", "PAYRUN", 5000, "Finance"),
    # 2024/25, partial: April–June 2024 only
    ("2024-04-15", "CARECO", 8000, "Adult Social Care"),
    ("2024-05-15", "CARECO", 6000, "Adult Social Care"),
    ("2024-06-15", "CARECO", 6000, "Adult Social Care"),
    ("2024-05-10", "AGEUK", 10000, "Adult Social Care"),
    ("2024-06-10", "YOUTH", 2000, "Children's Services"),
]


def council() -> pd.DataFrame:
    """The fixture as an enriched spend table (the columns the measures read)."""
    rows = []
    for i, (date, key, pounds, area) in enumerate(LINES, start=1):
        name, org_type, size, locality = SUPPLIERS[key]
        rows.append(
            {
                "source_file": "fixture.csv",
                "source_row": i,
                "payment_date": pd.Timestamp(date),
                "amount_pence": pounds * 100,
                "supplier_key": key,
                "supplier_name": name,
                "is_redacted": key == "REDACTED",
                "org_type": org_type,
                "size": size,
                "locality": locality,
                "vcse_form": "charity" if org_type == "vcse" else None,
                "service_area": area,
            }
        )
    return pd.DataFrame(rows)


P = 100  # pence per pound


@pytest.fixture(scope="module")
def spend() -> pd.DataFrame:
    return council()


@pytest.fixture(scope="module")
def headline(spend) -> pd.DataFrame:
    return measures.headline_by_year(spend, "council")


def test_years_two_full_one_partial_with_its_missing_months(spend):
    cov = years.year_coverage(spend).set_index("financial_year")
    assert cov["months"].to_dict() == {"2022/23": 12, "2023/24": 12, "2024/25": 3}
    assert years.full_years(cov.reset_index()) == ["2022/23", "2023/24"]
    # 2024/25 holds April–June 2024: July 2024 … March 2025 are missing (9 months)
    missing = [str(m) for m in cov.at["2024/25", "missing_months"]]
    assert missing == [f"2024-{m:02d}" for m in range(7, 13)] + ["2025-01", "2025-02", "2025-03"]
    row = {
        "financial_year": "2024/25",
        "months": 3,
        "missing_months": cov.at["2024/25", "missing_months"],
    }
    assert narrative.partial_year_phrase(row) == "2024/25 (3 months: April–June 2024 only)"


def test_headline_2022_23_by_hand(headline):
    h = headline.set_index("financial_year").loc["2022/23"]
    # named suppliers: 40+20+10+5+6+8+4+3+1+2+1 = 100,000; redacted 5,000 → third party 105,000
    # not-a-supplier 10,000 → total 115,000
    assert h["total_pence"] == 115_000 * P
    assert h["third_party_pence"] == 105_000 * P
    assert h["not_a_supplier_pence"] == 10_000 * P
    assert h["not_a_supplier_share"] == pytest.approx(10 / 115)
    assert h["redacted_share"] == pytest.approx(5 / 105)
    # 13 CareCo lines + 10 other named lines + 1 redacted line; the payment run is not counted
    assert h["payments"] == 24
    assert h["suppliers"] == 11
    # coverage: all named spend but Mystery Co's 2,000 is classified, located and sized
    assert h["classified_share"] == pytest.approx(0.98)
    assert h["located_share"] == pytest.approx(0.98)
    assert h["size_known_share"] == pytest.approx(0.98)
    # VCSE: Age UK 10 + Youth 5 + Regional CIC 4 + Cafe 1 = 20,000 of 105,000
    assert h["vcse_pence"] == 20_000 * P
    assert h["vcse_share"] == pytest.approx(20 / 105)
    # local (council area): Age UK 10 + Youth 5 + HomeHelp 6 + Cafe 1 + Print 1 = 23,000
    assert h["local_share"] == pytest.approx(23 / 105)
    # local VCSE: Age UK 10 + Youth 5 + Cafe 1 = 16,000
    assert h["local_vcse_share"] == pytest.approx(16 / 105)
    # SME (micro/small/medium): Age UK 10, Youth 5, HomeHelp 6, Regional CIC 4, Cafe 1, Print 1
    assert h["sme_share"] == pytest.approx(27 / 105)
    # top 10 of 11 named suppliers: all but one £1,000 supplier = 99,000
    assert h["top10_share"] == pytest.approx(99 / 105)
    # HHI on named positive spend (shares in % of 100,000 are the amounts in thousands):
    # 40² + 20² + 10² + 8² + 6² + 5² + 4² + 3² + 2² + 1² + 1² = 2,256
    assert h["hhi"] == pytest.approx(2256)
    # 80% of 100,000: 40 + 20 + 10 + 8 + 6 = 84 ≥ 80 after five suppliers
    assert h["suppliers_for_80pc"] == 5
    assert not h["is_partial"] and h["months"] == 12


def test_headline_2023_24_by_hand(headline):
    h = headline.set_index("financial_year").loc["2023/24"]
    # named: 50+10+15+5+8+8+6+(4−1)+2+2+1 = 110,000; redacted 10,000; payment run 5,000
    assert h["third_party_pence"] == 120_000 * P and h["total_pence"] == 125_000 * P
    assert h["payments"] == 25  # 13 CareCo + 11 other named (Tech twice) + 1 redacted
    assert h["suppliers"] == 11  # Print Ltd gone, Newcomer Ltd new
    assert h["vcse_share"] == pytest.approx(28 / 120)  # 15 + 5 + 6 + 2
    assert h["local_share"] == pytest.approx(30 / 120)  # 15 + 5 + 8 + 2
    assert h["local_vcse_share"] == pytest.approx(22 / 120)  # 15 + 5 + 2
    assert h["sme_share"] == pytest.approx(37 / 120)  # 15 + 5 + 8 + 6 + 2 + 1
    assert h["top10_share"] == pytest.approx(109 / 120)  # all but Newcomer's 1,000
    # 10,000 × (50² + 15² + 10² + 8² + 8² + 6² + 5² + 3² + 2² + 2² + 1²) / 110² = 3,032/1.21
    assert h["hhi"] == pytest.approx(10_000 * 3032 / 110**2)
    assert h["suppliers_for_80pc"] == 5  # 50, 65, 75, 83, 91 of 110 (80% = 88)


def test_region_definition_adds_the_region(spend):
    h = measures.headline_by_year(spend, "region").set_index("financial_year")
    # 2022/23: local 23,000 + NHS 8,000 + Regional CIC 4,000 = 35,000 of 105,000
    assert h.at["2022/23", "local_share"] == pytest.approx(35 / 105)


def test_partial_year_is_flagged_and_left_out_of_trends(headline):
    h = headline.set_index("financial_year")
    assert h.at["2024/25", "is_partial"] and h.at["2024/25", "months"] == 3
    assert h.at["2024/25", "vcse_share"] == pytest.approx(12 / 32)  # Age UK 10 + Youth 2
    changes = trends.share_changes(headline)
    assert set(changes["to_year"]) == {"2023/24"} and set(changes["from_year"]) == {"2022/23"}
    vcse = changes[(changes["share"] == "vcse_share") & (changes["kind"] == "first_to_last")]
    assert vcse["change"].iloc[0] == pytest.approx(28 / 120 - 20 / 105)
    # the sentence compares full years only: 23.3% in 2023/24, up from 19.0% in 2022/23
    sentence = narrative.share_finding(headline, "vcse_share")
    assert sentence.startswith("In 2023/24, 23.3% of spend — £28k — went to VCSE organisations")
    assert "up from 19.0% in 2022/23" in sentence and "2024/25" not in sentence


def test_movers_add_up_to_the_change(spend):
    moved = trends.share_movers(spend, "vcse_share", "2022/23", "2023/24", n=10)
    # Age UK 15/120 − 10/105; Regional CIC 6/120 − 4/105; Cafe 2/120 − 1/105; Youth 5/120 − 5/105
    expected = {
        "AGEUK": 15 / 120 - 10 / 105,
        "REGIONCIC": 6 / 120 - 4 / 105,
        "CAFE": 2 / 120 - 1 / 105,
        "YOUTH": 5 / 120 - 5 / 105,
    }
    assert moved["supplier_key"].tolist() == ["AGEUK", "REGIONCIC", "CAFE", "YOUTH"]
    for key, value in expected.items():
        got = moved.set_index("supplier_key").at[key, "contribution"]
        assert got == pytest.approx(value)
    assert moved["contribution"].sum() == pytest.approx(28 / 120 - 20 / 105)


def test_cles_top_n_split_by_place_and_type(spend):
    by_year = cles.top_n_by_year(spend, top_n=3).set_index("financial_year")
    # 2022/23 top 3: CareCo 40 + BuildCo 20 + Age UK 10 = 70,000 of 105,000
    assert by_year.at["2022/23", "top_n_pence"] == 70_000 * P
    assert by_year.at["2022/23", "covered_share"] == pytest.approx(70 / 105)
    place = cles.top_n_split(spend, "locality", top_n=3)
    y1 = place[place["financial_year"] == "2022/23"].set_index("locality")["share"]
    assert y1.to_dict() == pytest.approx(
        {"in_area": 10 / 70, "in_region": 0.0, "outside": 60 / 70, "unknown": 0.0}
    )
    kind = cles.top_n_split(spend, "org_type", top_n=3)
    y1 = kind[kind["financial_year"] == "2022/23"].set_index("org_type")
    assert y1.at["private", "suppliers"] == 2 and y1.at["vcse", "share"] == pytest.approx(1 / 7)


def test_spend_size_bands_by_org_type(spend):
    profile = concentration.spend_size_profile(spend)
    y1 = profile[profile["financial_year"] == "2022/23"]
    # CareCo's 40,000 is the only supplier in £25k–£100k; the other ten are under £25k
    mid = y1[y1["band"] == "25k_100k"]
    assert mid[["org_type", "suppliers", "total_pence"]].values.tolist() == [
        ["private", 1, 40_000 * P]
    ]
    small = y1[y1["band"] == "under_25k"].set_index("org_type")
    assert small["suppliers"].sum() == 10 and small["total_pence"].sum() == 60_000 * P
    # private under £25k: BuildCo 20 + HomeHelp 6 + Tech 3 + Print 1 = 30,000 (4 suppliers)
    assert (
        small.at["private", "total_pence"] == 30_000 * P and small.at["private", "suppliers"] == 4
    )
    assert small.at["vcse", "total_pence"] == 20_000 * P


def test_locality_20_percent_test(spend):
    d = concentration.service_area_dominance(spend)
    y1 = d[d["financial_year"] == "2022/23"].set_index("service_area")
    # Finance holds only the payment run: no third-party spend, not tested
    assert "Finance" not in y1.index
    # Adult Social Care 56,000: CareCo 40,000 = 71.4%; Direct Payments 6,000: Cafe 1,000 =
    # 16.7% (redacted payments are not a supplier) — the one area that passes
    assert y1.at["Adult Social Care", "supplier_share"] == pytest.approx(40 / 56)
    assert y1.at["Direct Payments", "supplier_share"] == pytest.approx(1 / 6)
    assert not y1.at["Direct Payments", "breach"]
    assert y1["breach"].sum() == 5 and len(y1) == 6
    assert list(y1.index[:2]) == ["Adult Social Care", "Highways"]  # largest areas first


def test_supplier_churn(spend):
    churn = concentration.supplier_churn(spend, ["2022/23", "2023/24"]).iloc[0]
    assert churn["gained"] == 1 and churn["gained_pence"] == 1_000 * P  # Newcomer
    assert churn["lost"] == 1 and churn["lost_pence"] == 1_000 * P  # Print
    assert churn["continuing"] == 10 and churn["adjacent"]


def test_service_area_shares_follow_the_local_definition(spend):
    council = opportunities.service_area_shares(spend, "council", top=None).set_index(
        "service_area"
    )
    region = opportunities.service_area_shares(spend, "region", top=None).set_index("service_area")
    # Public Health over all years: NHS 16,000 + Regional CIC 10,000, both in the region
    assert council.at["Public Health", "local_share"] == pytest.approx(0.0)
    assert region.at["Public Health", "local_share"] == pytest.approx(1.0)
    assert council.at["Public Health", "vcse_share"] == pytest.approx(10 / 26)


def test_commissioning_opportunities(spend):
    leads = opportunities.commissioning_opportunities(spend, COMMISSIONING_FIELDS)
    # Only Adult Social Care pays a private supplier not known local or small: CareCo
    # 40 + 50 + 20 = 110,000 of the area's 56 + 73 + 30 = 159,000, confirmed (large, outside)
    assert leads["service_area"].tolist() == ["Adult Social Care"]
    row = leads.iloc[0]
    assert row["field"] == "care and support"
    assert row["opportunity_pence"] == row["confirmed_pence"] == 110_000 * P
    assert row["opportunity_share"] == pytest.approx(110 / 159)
    assert row["largest_suppliers"] == [("CareCo Ltd", 110_000 * P)]


def test_scorecard(spend, headline):
    kw = load_prevention_keywords()  # the package defaults; the fixture has no expense types
    lines = prevention.prevention_mask(spend, kw["service_keywords"], kw["expense_keywords"])
    card = scorecard.keep_it_local_scorecard(headline, spend, lines).set_index("principle")
    assert card.at["neighbourhood", "status"] == "not_in_published_data"
    assert card.at["commission_simply", "status"] == "not_in_published_data"
    # public bodies: NHS 8,000 of 120,000 in 2023/24, 8,000 of 105,000 in 2022/23
    assert card.at["whole_system", "value"] == pytest.approx(8 / 120)
    assert card.at["whole_system", "change"] == pytest.approx(8 / 120 - 8 / 105)
    # early intervention: the Public Health area, 14,000 of 120,000 third-party (12,000 of
    # 105,000 before); "Children's Services" names no prevention keyword
    assert card.at["early_intervention", "value"] == pytest.approx(14 / 120)
    assert card.at["early_intervention", "change"] == pytest.approx(14 / 120 - 12 / 105)
    assert card.at["community", "indicator"] == "local_vcse_share"
    assert card.at["community", "change"] == pytest.approx(22 / 120 - 16 / 105)
    assert card.at["local_spend", "year"] == "2023/24"  # the latest full year, not 2024/25


def test_summary_rows_fit_the_schema_and_carry_flags(headline, tmp_path):
    rows = summary.headline_rows(headline, {"top_n_share": {"2022/23": 70 / 105}})
    doc = {
        "council": "fixture",
        "council_name": "Fixture Council",
        "ons_code": "E99999999",
        "is_demo": False,
        "period": ["2022-04-15", "2024-06-15"],
        "local_definition": "council",
        "top_n": 3,
        "min_coverage": 0.5,
        "headline": rows,
    }
    summary.validate_summary(json.loads(json.dumps(doc)))
    by_year = {r["financial_year"]: r for r in rows}
    assert by_year["2022/23"]["total_spend"] == "115000.00"
    assert by_year["2022/23"]["not_a_supplier_spend"] == "10000.00"
    assert by_year["2024/25"]["is_partial"] is True
    assert by_year["2024/25"]["missing_months"][0] == "2024-07"
    assert by_year["2023/24"]["top_n_share"] is None


def test_findings_read_the_same_numbers(headline, spend):
    text = findings.concentration_summary(headline)
    assert "ten largest suppliers took 90.8% of spend" in text
    assert "5 of 11 named suppliers held 80%" in text
    assert "index was 2,506 (highly concentrated)" in text
    churn = concentration.supplier_churn(spend, years.full_years(headline))
    assert findings.churn_summary(churn).startswith(
        "Between 2022/23 and 2023/24, 1 supplier was new (£1,000 of spend in 2023/24) and "
        "1 supplier was no longer paid (£1,000 in 2022/23); 10 suppliers were paid in both years."
    )


def test_published_figures_sit_beside_ours_never_as_the_same_measure(headline):
    from kil_analysis.analysis import published

    figures = pd.DataFrame(
        [
            # a council's own figure for 2023/24: £30,000 with local suppliers
            {
                "figure": "spend_in_area",
                "period": "2023/24",
                "financial_year": "2023/24",
                "kind": "reported",
                "value": 30000.0,
                "value_high": None,
                "unit": "gbp",
                "definition": "influenceable spend in the area",
                "compare_with": "local_spend",
                "local_definition": "council",
                "source_title": "x",
                "source_url": "y",
            },
            {
                "figure": "target",
                "period": "2024/25",
                "financial_year": "2024/25",
                "kind": "target",
                "value": 0.4,
                "value_high": None,
                "unit": "share",
                "definition": "share in the region",
                "compare_with": "local_share",
                "local_definition": "region",
                "source_title": "x",
                "source_url": "y",
            },
        ]
    )
    side = published.side_by_side(figures, headline, "council").set_index("figure")
    # ours for 2023/24: local suppliers Age UK 15 + Youth 5 + HomeHelp 8 + Cafe 2 = £30,000
    assert side.at["spend_in_area", "our_value"] == pytest.approx(30000.0)
    assert not side["same_definition"].any()
    # the region figure is not compared with a council-area measure; 2024/25 is partial
    assert pd.isna(side.at["target", "our_value"]) and side.at["target", "our_year_is_partial"]
    # where the share is not measured, neither is the money: never £0 for unlocated spend
    unlocated = headline.assign(local_share=float("nan"))
    side = published.side_by_side(figures, unlocated, "council").set_index("figure")
    assert pd.isna(side.at["spend_in_area", "our_value"])
