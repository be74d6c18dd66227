"""Back-tests of the Keep it Local measures against figures computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.analysis import measures


def payments(rows):
    cols = ["payment_date", "supplier_key", "supplier_name", "amount_pence", "org_type", "locality"]
    df = pd.DataFrame(rows, columns=cols)
    df["payment_date"] = pd.to_datetime(df["payment_date"])
    df["is_redacted"] = df["supplier_key"] == "REDACTED"
    df["vcse_form"] = None
    df["size"] = "unknown"
    df["service_area"] = "Care"
    return df


@pytest.fixture
def spend():
    # FY 2023/24: total 1000.00; VCSE 300.00 (HALL 100 + AGE 200); local 150.00.
    # FY 2024/25: total 500.00 incl. a -50.00 credit note; VCSE 250.00.
    return payments(
        [
            ("2023-04-01", "BIGCO", "BigCo Ltd", 50000, "private", "outside"),
            ("2023-06-30", "HALL", "Village Hall", 10000, "vcse", "in_area"),
            ("2024-03-31", "AGE", "Age Concern", 20000, "vcse", "in_region"),
            ("2023-12-01", "REDACTED", "Redacted Personal Data", 15000, "individual", "unknown"),
            ("2023-12-02", "LOCALFIRM", "Local Firm", 5000, "private", "in_area"),
            ("2024-04-01", "AGE", "AGE CONCERN", 25000, "vcse", "in_region"),
            ("2025-03-31", "BIGCO", "BigCo Ltd", 30000, "private", "outside"),
            ("2025-01-10", "BIGCO", "BigCo Ltd", -5000, "private", "outside"),
        ]
    )


def test_financial_year_runs_april_to_march():
    fy = measures.financial_year(
        pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", "1999-12-31"]))
    )
    assert fy.tolist() == ["2023/24", "2024/25", "1999/00"]


def test_financial_year_at_the_edges():
    """Last second of March, dates before 1970, a missing date, second-resolution dates, and
    London-time dates (their own calendar, not UTC's) each get the year a finance officer
    would write."""
    naive = pd.Series(
        pd.to_datetime(["2024-03-31 23:59:59", None, "1969-04-01 00:00:00", "1969-03-31 12:00:00"]),
        index=[10, 20, 30, 40],
        name="payment_date",
    )
    fy = measures.financial_year(naive)
    assert fy.iloc[[0, 2, 3]].tolist() == ["2023/24", "1969/70", "1968/69"]
    assert pd.isna(fy.iloc[1]) and fy.index.tolist() == [10, 20, 30, 40]
    assert fy.name == "payment_date"
    assert measures.financial_year(naive.astype("datetime64[s]")).equals(fy)
    london = pd.Series(pd.to_datetime(["2024-04-01 00:30"]).tz_localize("Europe/London"))
    assert measures.financial_year(london).tolist() == ["2024/25"]  # 23:30 on 31 March in UTC


def test_headline_by_year_matches_hand_computed_figures(spend):
    h = measures.headline_by_year(spend, "council").set_index("financial_year")
    assert h.loc["2023/24", "total_pence"] == 100000
    assert h.loc["2023/24", "suppliers"] == 4  # redacted is not a supplier
    assert h.loc["2023/24", "vcse_share"] == pytest.approx(0.30)
    assert h.loc["2023/24", "local_share"] == pytest.approx(0.15)
    assert h.loc["2023/24", "redacted_share"] == pytest.approx(0.15)
    assert h.loc["2024/25", "total_pence"] == 50000  # credit note nets off
    assert h.loc["2024/25", "vcse_share"] == pytest.approx(0.50)
    assert h.loc["2024/25", "top10_share"] == pytest.approx(1.0)


def test_region_definition_counts_in_region_as_local(spend):
    h = measures.headline_by_year(spend, "region").set_index("financial_year")
    assert h.loc["2023/24", "local_share"] == pytest.approx(0.35)


def test_unknown_local_definition_is_a_clear_error(spend):
    with pytest.raises(ValueError, match="unknown local_definition 'ward'"):
        measures.headline_by_year(spend, "ward")


def test_supplier_totals_rank_named_suppliers_and_keep_one_spelling(spend):
    t = measures.supplier_totals(spend)
    assert t["supplier_key"].tolist() == ["BIGCO", "AGE", "HALL", "LOCALFIRM"]
    assert t.loc[0, "total_pence"] == 75000
    assert t.loc[1, "supplier_name"] in {"Age Concern", "AGE CONCERN"}
    assert t["share"].sum() == pytest.approx(1 - 15000 / 150000)
    assert t["cumulative_share"].is_monotonic_increasing


def test_top_n_share_and_half_of_spend(spend):
    assert measures.top_n_share(spend, 1) == pytest.approx(75000 / 150000)
    assert measures.suppliers_for_half_of_spend(spend) == 1


def test_spend_by_year_and_org_type_has_every_category(spend):
    table = measures.spend_by_year_and(spend, "org_type", ["vcse", "private", "public"])
    assert list(table.columns) == ["vcse", "private", "public"]
    assert table.loc["2024/25", "private"] == 25000
    assert table.loc["2023/24", "public"] == 0


def test_in_period_filters_inclusively(spend):
    mask = measures.in_period(spend, "2023-06-30", "2024-03-31")
    assert mask.sum() == 4


def test_grants_by_year_and_recipients_also_paid_as_suppliers(spend):
    grants = pd.DataFrame(
        {
            "award_date": pd.to_datetime(["2023-05-01", "2023-09-01", "2024-04-02"]),
            "recipient_key": ["HALL", "NEWGROUP", "HALL"],
            "recipient_name": ["Village Hall", "New Group", "Village Hall"],
            "amount_pence": [100000, 50000, 25000],
        }
    )
    by_year = measures.grants_by_year(grants).set_index("financial_year")
    assert by_year.loc["2023/24", "grants"] == 2
    assert by_year.loc["2023/24", "total_pence"] == 150000
    assert by_year.loc["2024/25", "recipients"] == 1
    r = measures.grant_recipients_paid_as_suppliers(grants, spend).set_index("recipient_key")
    assert r.loc["HALL", "grant_pence"] == 125000
    assert r.loc["HALL", "also_a_supplier"] and r.loc["HALL", "supplier_spend_pence"] == 10000
    assert not r.loc["NEWGROUP", "also_a_supplier"]


def test_local_share_is_not_measured_when_no_supplier_location_is_known(spend):
    unknown = spend.assign(locality="unknown")
    h = measures.headline_by_year(unknown)
    assert h["local_share"].isna().all() and (h["located_share"] == 0).all()
    assert measures.headline_by_year(spend)["local_share"].notna().all()


def test_months_flag_part_years(spend):
    h = measures.headline_by_year(spend).set_index("financial_year")
    assert h.loc["2023/24", "months"] == 4  # Apr, Jun, Dec, Mar
    assert h.loc["2023/24", "is_partial"]
    assert [str(m) for m in h.loc["2023/24", "missing_months"]][:2] == ["2023-05", "2023-07"]


def test_not_a_supplier_lines_are_spend_but_never_a_supplier(spend):
    run = payments(
        [("2023-05-01", "PAYRUN", "BACS Payment Run", 100000, "not_a_supplier", "unknown")]
    )
    both = pd.concat([spend, run], ignore_index=True)
    h = measures.headline_by_year(both).set_index("financial_year")
    # total grows by the payment run; third-party spend, suppliers and shares do not move
    assert h.at["2023/24", "total_pence"] == 200000
    assert h.at["2023/24", "third_party_pence"] == 100000
    assert h.at["2023/24", "suppliers"] == 4
    assert h.at["2023/24", "vcse_share"] == pytest.approx(0.30)
    assert h.at["2023/24", "not_a_supplier_share"] == pytest.approx(0.5)
    assert "PAYRUN" not in measures.supplier_totals(both)["supplier_key"].tolist()
    assert measures.top_suppliers(both, 1)["supplier_key"].tolist() == ["BIGCO"]


def test_a_share_below_the_minimum_coverage_is_not_measured(spend):
    # 2023/24: named spend 850.00; BigCo's 500.00 unlocated → 41% located: not measured
    mostly_unknown = spend.assign(
        locality=spend["locality"].where(spend["supplier_key"] != "BIGCO", "unknown")
    )
    h = measures.headline_by_year(mostly_unknown).set_index("financial_year")
    assert h.at["2023/24", "located_share"] == pytest.approx(350 / 850)
    assert pd.isna(h.at["2023/24", "local_share"])
    assert h.at["2023/24", "local_pence"] == 15000  # the money found is still reported
    lower = measures.headline_by_year(mostly_unknown, min_coverage=0.4)
    assert lower.set_index("financial_year").at["2023/24", "local_share"] == pytest.approx(0.15)


def test_size_unknown_means_sme_share_not_measured(spend):
    h = measures.headline_by_year(spend)
    assert h["sme_share"].isna().all() and (h["size_known_share"] == 0).all()


def test_grants_are_kept_to_the_report_period():
    grants = pd.DataFrame(
        {
            "award_date": pd.to_datetime(["2019-05-01", "2023-09-01", "2025-04-02"]),
            "recipient_key": ["A", "B", "C"],
            "amount_pence": [1, 2, 3],
        }
    )
    kept = measures.grants_in_period(grants, ("2023-04-01", "2025-03-31"))
    assert kept["recipient_key"].tolist() == ["B"]


def test_measures_sharing_one_per_supplier_table_leave_it_as_it_was(spend):
    """The notebook computes the per-supplier, per-year table once and hands it to several
    measures; none of them may change it under the next one."""
    from kil_analysis.analysis import cles, concentration

    shared = measures.supplier_year_totals(spend)
    before = shared.copy()
    headline = measures.headline_by_year(spend, "council", per_supplier=shared)
    cles.top_n_by_year(spend, 2, per_supplier=shared)
    cles.top_n_split(spend, "org_type", 2, per_supplier=shared)
    concentration.spend_size_profile(spend, per_supplier=shared)
    concentration.supplier_churn(spend, ["2023/24", "2024/25"], per_supplier=shared)
    pd.testing.assert_frame_equal(shared, before)
    assert headline.set_index("financial_year").loc["2023/24", "suppliers"] == 4
