"""NEF LM3 scenarios: hand-computed R1/R2/R3, the published rates' ranges, the shift scenario,
the not-applicable rule and the council's re-spend survey read back."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from kil_analysis.analysis import multiplier
from kil_analysis.readers.reference_figures import SURVEY_TEMPLATE, load_lm3_coefficients
from kil_analysis.readers.respend_survey import SurveyError, read_respend_survey, survey_rates

# £1,000 with local SMEs, £500 with large local firms, £1,000 with suppliers elsewhere; £200
# with suppliers of unknown location and £300 to individuals stay out of the model.
GROUPS = {
    "local_sme": 100_000,
    "local_large": 50_000,
    "local_size_unknown": 0,
    "non_local": 100_000,
    "local_vcse": 0,
    "location_unknown": 20_000,
    "excluded": 30_000,
}


@pytest.fixture(scope="module")
def rates():
    return multiplier.published_rates(load_lm3_coefficients())


def test_published_rates_span_the_two_studies(rates):
    # local SME: Northumberland local 0.76 and FSB/CLES local SME 0.63 apply
    assert (rates["local_sme"].low, rates["local_sme"].high) == (Decimal("0.63"), Decimal("0.76"))
    assert rates["local_sme"].central == Decimal("0.695")
    # large local firm: 0.76 (Northumberland local) and 0.40 (FSB/CLES large) → midpoint 0.58
    assert (rates["local_large"].low, rates["local_large"].central) == (
        Decimal("0.40"),
        Decimal("0.58"),
    )
    # non-local: only Northumberland's 0.36
    assert rates["non_local"].low == rates["non_local"].high == Decimal("0.36")
    assert rates["local_vcse"].central == Decimal("0.695")


def test_lm3_by_hand(rates):
    # central: R1 = 1000+500+1000 = £2,500; R2 = 1000×0.695 + 500×0.58 + 1000×0.36 = £1,345;
    # R3 = 1345 × 0.58 (local recipient, size unknown) = £780.10; value £4,625.10; LM3 1.85004
    central = multiplier.lm3(GROUPS, rates, "central")
    assert (central["r1"], central["r2"], central["r3"]) == (250_000, 134_500, 78_010)
    assert central["value"] == 462_510 and central["lm3"] == Decimal("1.85004")
    # low: R2 = 630 + 200 + 360 = £1,190; R3 = 1190 × 0.40 = £476; LM3 = 4166/2500 = 1.6664
    low = multiplier.lm3(GROUPS, rates, "low")
    assert (low["r2"], low["r3"], low["lm3"]) == (119_000, 47_600, Decimal("1.6664"))
    # high: R2 = 760 + 380 + 360 = £1,500; R3 = 1500 × 0.76 = £1,140; LM3 = 5140/2500 = 2.056
    high = multiplier.lm3(GROUPS, rates, "high")
    assert (high["r2"], high["r3"], high["lm3"]) == (150_000, 114_000, Decimal("2.056"))


def test_moving_ten_percent_to_local_vcse_by_hand(rates):
    # 10% of R1 (£250) moves from non-local suppliers (36p) to local VCSE groups (69.5p):
    # R2 = 695 + 290 + 750×0.36 + 250×0.695 = £1,428.75; R3 = 1428.75 × 0.58 = £828.675 → 828.68
    table = multiplier.lm3_scenarios(GROUPS, rates, (0.10,))
    row = table[(table["scenario"] == "shift 10%") & (table["bound"] == "central")].iloc[0]
    assert row["moved_pence"] == 25_000 and row["r1"] == 250_000
    assert (row["r2"], row["r3"]) == (142_875, 82_868)
    assert row["value_pence"] == 475_743 and row["extra_value_pence"] == 475_743 - 462_510
    assert set(table["bound"]) == {"low", "central", "high"} and len(table) == 6


def test_shift_is_capped_at_the_non_local_spend_there_is():
    groups = {"local_sme": 90_000, "non_local": 10_000}
    shifted, moved = multiplier.shift_to_local_vcse(groups, 0.5)
    assert moved == 10_000 and shifted["non_local"] == 0 and shifted["local_vcse"] == 10_000


def test_groups_from_the_enriched_spend_and_located_share():
    spend = pd.DataFrame(
        {
            "amount_pence": [100, 200, 300, 400, 500, 600],
            "locality": ["in_area", "in_area", "in_region", "outside", "unknown", "unknown"],
            "size": ["small", "large", "unknown", "medium", "small", "unknown"],
            "org_type": ["vcse", "private", "private", "private", "private", "individual"],
            "is_redacted": [False, False, False, False, False, True],
        }
    )
    groups = multiplier.spend_by_group(spend, "council")
    assert groups["local_sme"] == 100 and groups["local_large"] == 200
    assert groups["non_local"] == 700 and groups["location_unknown"] == 500
    assert groups["excluded"] == 600
    assert multiplier.located_share(groups) == pytest.approx(1000 / 1500)
    # with "region" as local, the in-region supplier of unknown size is local
    assert multiplier.spend_by_group(spend, "region")["local_size_unknown"] == 300


def test_survey_template_reads_back_and_replaces_the_published_rates(tmp_path, rates):
    rows, rejects = read_respend_survey(SURVEY_TEMPLATE)
    assert len(rows) == 1 and rejects == []
    path = tmp_path / "survey.csv"
    path.write_text(
        "supplier_name,supplier_group,turnover_gbp,spent_locally_gbp,financial_year,notes\n"
        'A,local_sme,"£1,000",700,2023/24,\n'
        "B,local_sme,3000,1500,2023/24,\n"
        "C,local,3000,1500,2023/24,\n"
        "D,non_local,100,150,2023/24,\n"
        "E,non_local,lots,10,2023/24,\n",
        encoding="utf-8",
    )
    rows, rejects = read_respend_survey(path)
    assert rows["supplier_name"].tolist() == ["A", "B"]
    assert rejects == [
        "survey.csv line 4: supplier_group 'local' is not one of "
        "local_sme, local_large, local_size_unknown, non_local, local_vcse",
        "survey.csv line 5: spent_locally_gbp must be between 0 and turnover_gbp",
        "survey.csv line 6: turnover_gbp 'lots' is not an amount",
    ]
    measured = survey_rates(rows)
    # central = (700 + 1500) / (1000 + 3000) = 0.55; low 0.5 (B); high 0.7 (A)
    sme = measured["local_sme"]
    assert (sme.low, sme.central, sme.high) == (Decimal("0.5"), Decimal("0.55"), Decimal("0.7"))
    merged = multiplier.rates_with_overrides(rates, None, measured)
    assert merged["local_sme"].origin == "council survey (2 responses)"
    assert merged["non_local"].origin == "published studies"


def test_survey_without_a_column_is_one_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("supplier_name,turnover_gbp\nA,1\n", encoding="utf-8")
    with pytest.raises(SurveyError, match=r"bad\.csv: missing column 'supplier_group'") as err:
        read_respend_survey(path)
    assert "\n" not in str(err.value)


def test_config_rates_override_and_a_group_without_rates_is_an_error(rates):
    from kil_analysis.config import RateRange

    merged = multiplier.rates_with_overrides(rates, {"non_local": RateRange(0.2, 0.3, 0.4)})
    assert (
        merged["non_local"].central == Decimal("0.3")
        and merged["non_local"].origin == "council config"
    )
    with pytest.raises(ValueError, match="local_large"):
        multiplier.lm3({"local_large": 10}, {"local_size_unknown": rates["local_size_unknown"]})
