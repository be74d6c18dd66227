"""Back-tests on the hand-checked truth sets (tests/fixtures/truth; needs ../shared/data).

Rules were calibrated on Trafford 2024/25 (round 1), then on Trafford and Gateshead 2021/22
(rounds 2 to 4; rounds 3 to 5 also on spend files no truth set covers), in round 5 also on
Bradford (names and spend only, a council with no files in ../shared/data; unseen in round 4),
and in round 6 also on Calderdale and Darlington (names and spend only; scored unseen once at
the end of round 5), and in round 7 also on Wakefield and Leeds (scored unseen on round 6's
code, then read by the lead), and after round 7's merge also on Sheffield, Harrogate,
Manchester, Salford and North Tyneside (labelled while round 7 was written, scored once unseen
on its merged code, then read by the lead). Newcastle 2019/20 is scored unseen.
Each floor sits a little below the figure
measured when the rules were last changed (benchmarks/classify_eval.py prints them), so a
regression fails while a better rule passes; the issue's targets for unseen councils are kept as
expected failures where not yet met.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kil_analysis.enrich import load_registers
from kil_analysis.enrich.evaluation import enrich_truth_council, read_truth, score_truth_council

pytestmark = pytest.mark.shared_data

# measured (by spend, round 8; twelve calibration sets, benchmarks/classify_eval.py): trafford
# 0.994, gateshead 0.988, bradford 0.971, calderdale 0.972, darlington 0.939, wakefield 0.995,
# leeds 0.950, sheffield 0.955, harrogate 0.981, manchester 0.928, salford 0.827, northtyneside
# 0.965 org type accuracy (round 7's end: 0.993 / 0.977 / 0.937 / 0.958 / 0.893 / 0.992 / 0.940 /
# 0.927 / 0.946 / 0.910 / 0.820 / 0.910); unknown 0.005 / 0.013 / 0.038 / 0.014 / 0.034 / 0.001 /
# 0.049 / 0.030 / 0.019 / 0.037 / 0.162 / 0.021 of top-300 spend; VCSE share gap 0.002 / 0.002 /
# 0.008 / 0.011 / 0.019 / 0.006 / 0.021 / 0.021 / 0.001 / 0.002 / 0.014 / 0.013 (national firms
# by published lists, the payee's legal entity in brackets or before a ledger tag, a charity's
# working name not a company with UK/GROUP, financial mutuals). Newcastle (held out, read once
# when the rules were done): 0.900 -> 0.919 by spend, unknown 0.087 -> 0.076, VCSE share 8.90% ->
# 9.41% against 12.27% (gap 0.029), merges 0.4 at 0.8.
# measured (by spend, round 7; seven calibration sets): trafford 0.991, gateshead 0.977,
# bradford 0.937, calderdale 0.950, darlington 0.891, wakefield 0.991, leeds 0.936 org type
# accuracy; unknown 0.006 / 0.021 / 0.069 / 0.031 / 0.079 / 0.004 / 0.059 of top-300 spend;
# VCSE share gap 0.002 / 0.002 / 0.008 / 0.008 / 0.019 / 0.007 / 0.021 (care homes by the
# house's name and care brands read private; a payee's account tail dropped; women's centres,
# Barnardo's own company and NAS SERVICES read VCSE); merges as round 6, precision 1.0.
# Newcastle (held out, read once when the rules were done): 0.891 -> 0.900 by spend, unknown
# 0.135 -> 0.088, VCSE share 8.90% against 12.27% (gap 0.034, unchanged), merges 0.4 at 0.8.
# measured (by spend, round 6; Calderdale and Darlington now calibration sets): trafford 0.991,
# gateshead 0.976, bradford 0.927, calderdale 0.945, darlington 0.880 org type accuracy;
# unknown 0.009 / 0.028 / 0.089 / 0.037 / 0.097 of top-300 spend; VCSE share gap 0.001 /
# 0.002 / 0.010 / 0.010 / 0.019; not-a-supplier recall 1.0 wherever the set has one (Calderdale's
# "Loan Investment/Repayments" reads as a treasury line); merges 0.25 / 0.714 / 0.235 / 0.133 /
# 0.143 at precision 1.0. Newcastle (held out) read once when the rules were done: see below.
# measured (by spend, round 5): trafford 0.991, gateshead 0.976, bradford (now a calibration
# set) 0.913 org type accuracy; unknown 0.009 / 0.028 / 0.089 of top-300 spend; VCSE share gap
# 0.001 / 0.002 / 0.020. Bradford's round-4 gap of 0.001 was two errors cancelling (IBM, £55m,
# read VCSE through a charity's working name; charities' own companies, ~£40m, read private);
# with both mended in part (IBM now unknown; CHANGE GROW LIVE and ACTION FOR CHILDREN SERVICES
# read VCSE; HORTON HOUSING SUPPORT, LOCALA, NAS SERVICES still not) the gap is honest and
# larger. Newcastle (held out) is read once when the rules are done.
# measured (by spend, round 4): trafford 0.991, gateshead 0.976, newcastle (held out, read once
# when the rules were done) 0.891 org type accuracy; unknown 0.009 / 0.028 / 0.135 of top-300
# spend; VCSE share gap 0.001 / 0.002 / 0.034; merges as round 3.
# measured (by spend, round 3): trafford 0.991, gateshead 0.972, newcastle 0.891 org type
# accuracy; unknown 0.009 / 0.032 / 0.141 of top-300 spend; VCSE share gap to the hand check
# 0.001 / 0.002 / 0.034; merge recall 0.25 / 0.714 / 0.4 at precision 1.0 / 1.0 / 0.8.
# (round 2: newcastle 0.889, unknown 0.142, VCSE gap 0.035; round 1: accuracy 0.920 / 0.941 /
# 0.818, unknown 0.079 / 0.061 / 0.199.) Newcastle's VCSE gap bound is its measured figure,
# not the target (1.5 points), which it still misses.
# bradford (labelled after round 4 was written, scored once; two labels set to the project's
# definitions, see its notes): 0.887 by spend, unknown 0.071, VCSE gap 0.001, merges 0.235 at 1.0.
# calderdale, darlington (held out: labelled from the explorer while round 5 was written, by
# team members who never saw kil's output, kept from round 5's engineer; scored once on it):
# 0.913 / 0.877 by spend, unknown 0.049 / 0.093, VCSE share gap 0.024 / 0.018, merges 0.067 /
# 0.143 at 1.0; Calderdale 0.915 and unknown 0.047 once "TELEGRAPHIC TRANSFERS", seen there,
# reads as an account.
# wakefield, leeds (labelled from the explorer while round 6 was written, by team members who
# never saw kil's output; scored once, unseen, on round 6's merged code): 0.866 / 0.670 by
# spend, unknown 0.111 / 0.300, VCSE share gap 0.002 / 0.022 (Wakefield's two errors
# cancelling: N/A read as a charity registered under it, its housing association's accounts as
# academies), not-a-supplier 0 of 3 / 0 of 2. Then read by the lead, who wrote the placeholder,
# Secretary of State, metropolitan-district, PFI, foster-carer and A/C rules from what they
# showed: 0.986 / 0.920, unknown 0.008 / 0.077, gap 0.012 / 0.022 — seen figures since.
FLOORS = {
    "trafford": {"accuracy": 0.992, "unknown": 0.006, "vcse_gap": 0.003, "merge_recall": 0.25},
    "gateshead": {"accuracy": 0.985, "unknown": 0.013, "vcse_gap": 0.003, "merge_recall": 0.7},
    "newcastle": {"accuracy": 0.915, "unknown": 0.078, "vcse_gap": 0.03, "merge_recall": 0.4},
    "bradford": {"accuracy": 0.968, "unknown": 0.04, "vcse_gap": 0.009, "merge_recall": 0.2},
    "calderdale": {"accuracy": 0.972, "unknown": 0.013, "vcse_gap": 0.010, "merge_recall": 0.13},
    "darlington": {"accuracy": 0.936, "unknown": 0.036, "vcse_gap": 0.02, "merge_recall": 0.14},
    "wakefield": {"accuracy": 0.992, "unknown": 0.003, "vcse_gap": 0.007, "merge_recall": 0.5},
    "leeds": {"accuracy": 0.948, "unknown": 0.049, "vcse_gap": 0.021, "merge_recall": 0.19},
    # Sheffield, Harrogate, Manchester, Salford and North Tyneside: labelled while round 7 was
    # written, scored once unseen on round 7's merged code (right / unknown by spend: sheffield
    # 0.922 / 0.056, harrogate 0.938 / 0.027, manchester 0.852 / 0.101, salford 0.818 / 0.170,
    # northtyneside 0.769 / 0.210), then read by the lead, whose rules brought them to 0.927 /
    # 0.051, 0.946 / 0.024, 0.910 / 0.051, 0.820 / 0.168, 0.910 / 0.072 (seen).
    # (round 8, the two engineers' branches merged: sheffield 0.981 / 0.025, northtyneside
    # 0.976 / 0.020, with every account recognised)
    "sheffield": {"accuracy": 0.978, "unknown": 0.027, "vcse_gap": 0.020, "merge_recall": 0.19},
    "harrogate": {"accuracy": 0.982, "unknown": 0.018, "vcse_gap": 0.003, "merge_recall": 0.25},
    "manchester": {"accuracy": 0.925, "unknown": 0.038, "vcse_gap": 0.003, "merge_recall": 0.23},
    "salford": {"accuracy": 0.829, "unknown": 0.162, "vcse_gap": 0.013, "merge_recall": 0.4},
    "northtyneside": {"accuracy": 0.972, "unknown": 0.022, "vcse_gap": 0.013, "merge_recall": 0.5},
    # Liverpool and the GLA (london): labelled while round 8 was written, scored once unseen on
    # main (0.847 / 0.052, 0.907 / 0.031) and once on round 8's merged code (0.852 / 0.052,
    # 0.909 / 0.030), then read by the lead (seen since): 0.883 / 0.053, 0.924 / 0.029.
    "liverpool": {"accuracy": 0.887, "unknown": 0.05, "vcse_gap": 0.018, "merge_recall": 0.6},
    # (round 9, branch names: calderdale 0.974 / 0.012, leeds 0.951 / 0.048, liverpool 0.890 /
    # 0.048, harrogate 0.982 / 0.018, salford 0.828, sheffield 0.979, gateshead unknown 0.012)
    # (round 10, faith institutions and former national bodies: harrogate 0.9825 / 0.0173,
    # salford 0.8292 / 0.1618)
    "london": {"accuracy": 0.92, "unknown": 0.031, "vcse_gap": 0.056, "merge_recall": 0.35},
    # Hyndburn 2023/24: labelled while round 10 was written, scored once unseen on main (0.804 /
    # 0.178, VCSE 4.5% against 13.3%) and on round 10's engineers' branches (the same), then
    # read by the lead: 0.812 / 0.178, VCSE 3.7% (a law firm no longer its foundation, row C3v;
    # its leisure trust, 10% of the spend, stays unknown: no shipped register holds its name).
    "hyndburn": {"accuracy": 0.81, "unknown": 0.178, "vcse_gap": 0.096, "merge_recall": 0.3},
}
HELD_OUT = ("newcastle",)
VCSE_GAP_TARGET = 0.015  # the target on unseen councils: within 1.5 points


@pytest.fixture(scope="module")
def registers(shared_data: Path):
    return load_registers(shared_data / "registers", shared_data / "lookups")


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scores(request, shared_data: Path, registers) -> tuple[str, dict]:
    name = request.param
    _spend, suppliers, merges = enrich_truth_council(name, shared_data, registers)
    return name, score_truth_council(name, suppliers, merges)


def test_every_truth_name_is_found_among_the_enriched_suppliers(scores) -> None:
    _name, s = scores
    assert s["not_found"] == 0


def test_org_type_accuracy_does_not_regress(scores) -> None:
    name, s = scores
    assert s["org_type_accuracy_by_spend"] >= FLOORS[name]["accuracy"], s


def test_unknown_share_does_not_grow(scores) -> None:
    name, s = scores
    assert s["unknown_share_of_spend"] <= FLOORS[name]["unknown"], s


def test_every_finance_system_account_is_recognised_and_no_supplier_is_taken_for_one(
    scores,
) -> None:
    name, s = scores
    assert s["not_a_supplier_false"] == 0, s
    if s["not_a_supplier_truth"]:
        if s["not_a_supplier_recall"] < 1.0 and name in (*HELD_OUT, "liverpool"):
            # Liverpool: "NBS RE INSPIRE PROCEEDS AC" (a proceeds account the labeller could
            # not place, low) and "EVENTS BACS" (a payment account named by its purpose)
            pytest.xfail(f"{name}: a finance-system account not recognised: {s}")
        assert s["not_a_supplier_recall"] == 1.0, s


def test_vcse_share_of_top_spend_does_not_drift_from_the_hand_check(scores) -> None:
    name, s = scores
    gap = abs(s["vcse_share_predicted"] - s["vcse_share_truth"])
    assert gap <= FLOORS[name]["vcse_gap"], s


def test_vcse_share_target(scores) -> None:
    """The issue's target: the VCSE share of top-300 spend within 1.5 points of the hand check.
    Newcastle 2019/20 (held out; 9.41% against 12.27% in round 8), Darlington (11.75% against
    13.68%: charities paid under names no shared register holds; NECA SERVICES LTD, the
    addictions charity's company, reads private through LTD), Leeds (5.61% against 7.69%:
    Aspire Services (Leeds) Ltd, a community benefit society no register holds under that name,
    and Health For All (Leeds) read private through LTD) and Sheffield (8.60% against 10.72%)
    do not reach it: expected failures. Bradford, Calderdale, Gateshead, Trafford, Wakefield,
    Manchester, Salford, North Tyneside and, since round 8, Harrogate (2.62% against 2.75%:
    HELP-LINK UK LTD, a heating firm, is no longer the charity THE HELP LINK) do."""
    name, s = scores
    met = abs(s["vcse_share_predicted"] - s["vcse_share_truth"]) <= VCSE_GAP_TARGET
    if not met and name in (
        "darlington",
        "leeds",
        "sheffield",
        "liverpool",
        "london",
        "hyndburn",
        *HELD_OUT,
    ):
        # Liverpool (12.9% against 14.7% since round 9 read L'ARCHE LIVERPOOL and BIRTENSHAW
        # MERSEYSIDE as branches by place): care charities' services and charities no shared
        # register holds; the GLA (32.3%
        # against 37.8%): housing associations under former names no shared register holds
        # (A2 DOMINION LONDON, AFFINITY HOMES GROUP, CIRCLE ANGLIA, LHA-ASRA, PA HOUSING)
        # Hyndburn (3.7% against 13.3%): its leisure trust, paid as HYNDBURN LEISURE, which the
        # shared extract holds only as LEISURE IN HYNDBURN (its previous name)
        # Sheffield: charities' care homes paid by the home's name, museums and trusts known
        # by place (SHEFFIELD FUTURES, MUSEUMS SHEFFIELD) that no shared register holds
        pytest.xfail(f"{name} VCSE share off the hand check: {s}")
    assert met, s


def test_merges_are_mostly_right_where_they_are_made(scores) -> None:
    name, s = scores
    if s["merge_precision"] is not None:
        # Harrogate: of two merges one joins a trader and its later company (HAVEN BUILDING &
        # MAINTENANCE and … LTD), which its labeller kept apart as two legal entities
        floor = {"newcastle": 0.75, "harrogate": 0.5}.get(name, 0.95)
        assert s["merge_precision"] >= floor, s


def test_merge_recall_does_not_regress(scores) -> None:
    name, s = scores
    if s["merge_recall"] is not None:
        assert s["merge_recall"] >= FLOORS[name]["merge_recall"], s


def test_located_suppliers_are_placed_right(scores) -> None:
    name, s = scores
    if name == "harrogate":
        # the borough was absorbed into North Yorkshire in 2023: the 2025 postcode directory
        # places its HG postcodes there, so a supplier in the old borough reads in_region
        pytest.skip("Harrogate's council no longer exists in the postcode directory")
    if name == "london":
        # the GLA's area is every London borough: one council code cannot say in_area
        pytest.skip("the GLA's area is all of London, not one council's")
    if s["locality_compared"]:
        assert s["locality_accuracy_by_count"] >= 0.9, s


def test_unseen_council_targets(scores) -> None:
    """The issue's targets on unseen councils: ≥ 90% of top-300 spend typed right, ≤ 10% of it
    unknown. Every set but Salford reaches them since round 8 (Darlington 0.939, 3.4% unknown,
    once national firms were read by the lists that name them: DE-POEL, NPOWER; Newcastle,
    held out, 0.920 and 7.6%). Salford and Liverpool do not: expected failures."""
    name, s = scores
    met = s["org_type_accuracy_by_spend"] >= 0.9 and s["unknown_share_of_spend"] <= 0.10
    if not met and name in ("salford", "liverpool", "hyndburn"):
        # Hyndburn 0.812, 17.8% unknown: its leisure trust (a charity the shared extract holds
        # only under a previous name) and trading firms with no legal form in their names
        # Liverpool 0.883: the council's companies (LIVERPOOL STREETSCENE SERVICES, SCHOOL
        # IMPROVEMENT LIVERPOOL, LIVERPOOL VISION) read private, no register says who owns them
        # Salford 0.827, 16.2% unknown: joint ventures of the council and contractors named
        # without a legal form (S&W TLP, URBAN VISION, PEEL) that no shared register holds
        pytest.xfail(f"{name} below the unseen-council targets: {s}")
    assert met, s


def test_truth_sets_are_complete() -> None:
    for name in FLOORS:
        truth = read_truth(name)
        assert len(truth) == 300 and truth["spend_pence"].gt(0).all()
        assert set(truth["confidence"]) <= {"high", "medium", "low"}
