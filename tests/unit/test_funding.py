"""VCSE funding: grants read once when a council publishes the same set twice, filtered to
the report period, funding routes side by side, grant sizes, and the charity-income split beside
The Value of Small's 84% (hand-computed; then Trafford's real 360Giving files)."""

from __future__ import annotations

import pandas as pd
import pytest

from kil_analysis.analysis import funding
from kil_analysis.analysis.measures import grants_in_period
from kil_analysis.present import funding as views
from kil_analysis.readers.grants import read_grants


def test_income_split_by_hand_and_not_measured_below_coverage():
    recipients = pd.DataFrame(
        {"charity_number": ["1", "2", "3", None, "4"], "pence": [900, 100, 500, 7000, 500]}
    )
    sizes = pd.Series({"1": "large", "2": "small", "3": "medium"})
    split = funding.income_size_split(recipients, sizes)
    # charities: 900 + 100 + 500 + 500 = 2000 pence, of which 1500 with a known size
    assert split["charity_pence"] == 2000 and split["coverage"] == pytest.approx(0.75)
    assert split["larger_share"] == pytest.approx(900 / 1500) and split["measured"]
    thin = funding.income_size_split(recipients, pd.Series({"2": "small"}))
    assert not thin["measured"] and pd.isna(thin["larger_share"])


def test_grant_size_bands_and_routes_never_added():
    grants = pd.DataFrame({"amount_pence": [50_000, 250_000, 1_500_000, 20_000_000]})
    profile = funding.grant_size_profile(grants).set_index("band")
    assert profile.at["under £1k", "grants"] == 1 and profile.at["£1k–£5k", "grants"] == 1
    assert profile.at["£10k–£50k", "pence"] == 1_500_000
    assert profile.at["£100k and over", "grants"] == 1 and profile["grants"].sum() == 4
    spend = pd.DataFrame(
        {
            "org_type": ["vcse", "vcse", "private"],
            "expense_type": ["Grants, Contribs & Subs", "Third Party Payments", "x"],
            "amount_pence": [100, 200, 400],
            "supplier_key": ["A", "B", "C"],
        }
    )
    routes = funding.funding_routes(spend, None, None, None, None).set_index("route")
    assert not routes.at["Grants (360Giving file)", "available"]
    assert routes.at["Spend-file payments coded as grants", "pence"] == 100
    assert routes.at["Other spend-file payments", "pence"] == 200


@pytest.mark.shared_data
def test_trafford_csv_and_json_of_one_set_are_read_once(shared_data):
    read = read_grants([shared_data / "grants" / "trafford"])
    kept = read.table  # the reader reads the JSON twin of the CSV once
    assert len(kept) == 555
    [skipped] = read.report["skipped"]
    assert skipped["path"].endswith(".json") and skipped["duplicate_of"].endswith(".csv")
    assert int(kept["amount_pence"].sum()) == 129_143_654  # the CSV's own total, £1,291,436.54
    note = views.read_once_note(read.report, read.rejects)
    assert note.startswith("**Grants read once:**") and "holds the same grants as" in note
    in_period = grants_in_period(kept, ("2019-04-01", "2020-03-31"))
    assert in_period["award_date"].between("2019-04-01", "2020-03-31").all()
    # independent: every award date in the file's 2019/20, counted from the table's dates
    assert len(in_period) == int(kept["award_date"].between("2019-04-01", "2020-03-31").sum()) > 0


def test_without_expense_types_grants_in_the_spend_file_are_not_given_never_0():
    spend = pd.DataFrame(
        {
            "org_type": ["vcse", "vcse"],
            "expense_type": [None, " "],
            "amount_pence": [100, 200],
            "supplier_key": ["A", "B"],
        }
    )
    routes = funding.funding_routes(spend, None, None, None, None).set_index("route")
    assert not routes.at["Spend-file payments coded as grants", "available"]
    every = routes.loc["All spend-file payments (no expense types to tell grants apart)"]
    assert every["pence"] == 300 and every["items"] == 2
    sentence = views.routes_sentence(routes.reset_index(), ("2023-04-01", "2024-03-31"))
    assert "spend\\-file payments coded as grants: not given" in sentence
