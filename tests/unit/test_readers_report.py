"""Pieces shared by the spend, grants and contracts readers: result, accounting, totals rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kil_analysis.readers.accounting import account_files, row_accounting, sum_report
from kil_analysis.readers.parse.dates import parse_dates
from kil_analysis.readers.parse.totals_rows import labelled_total, totals_rows
from kil_analysis.readers.sources import find_inputs, input_files
from kil_analysis.readers.spend import IngestResult, ReadResult


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-23T22:10:19Z",
        "2025-01-23T22:10:19+01:00",
        "2025-01-23T23:59:59-0500",
        "2025-01-23T22:10:19.123Z",
        "2025-01-23 22:10:19 +01:00",
        "23/01/2025 22:10Z",
    ],
)
def test_timestamps_with_a_time_zone_keep_their_published_day(text):
    parsed = parse_dates(pd.Series([text]))
    assert parsed.dates.iat[0] == pd.Timestamp("2025-01-23")


def test_spend_result_is_a_read_result_with_spend_naming_its_table():
    table = pd.DataFrame({"a": [1]})
    result = IngestResult(table, pd.DataFrame(), {})
    assert isinstance(result, ReadResult) and result.spend is result.table


def test_accounting_adds_up_rows_and_pence_exactly():
    entry = row_accounting(3, {"b": 1, "a": 2}, 1001, -5)
    assert entry == {
        "rows_read": 6,
        "rows_kept": 3,
        "rows_rejected": {"a": 2, "b": 1},
        "amount_read": "9.96",
        "amount_kept": "10.01",
        "amount_rejected": "-0.05",
        "amount_rounding": "0.00",
    }
    other = {**row_accounting(1, {"a": 1}, 10, 20), "date_min": "2024-01-01", "date_max": None}
    totals = sum_report([{**entry, "date_min": None, "date_max": "2025-01-01"}, other], {"x": 1})
    assert totals["rows_read"] == 8 and totals["rows_rejected"] == {"a": 3, "b": 1}
    assert totals["amount_read"] == "10.26" and totals["amount_rejected"] == "0.15"
    assert list(totals)[-3:] == ["x", "date_min", "date_max"]
    assert (totals["date_min"], totals["date_max"]) == ("2024-01-01", "2025-01-01")


def test_account_files_reports_every_file_even_with_nothing_kept():
    kept = pd.DataFrame({"source_file": ["f1", "f1"]})
    rejected = pd.DataFrame({"source_file": ["f2"], "reason": ["bad"]})
    dates = pd.Series(pd.to_datetime(["2024-02-01", "2024-01-05"]))
    files = account_files(
        [{"path": "f1"}, {"path": "f2"}],
        kept,
        pd.Series([100, 250]),
        rejected,
        dates,
        pd.Series([7], dtype="Int64"),
    )
    assert files[0]["amount_kept"] == "3.50" and files[0]["date_min"] == "2024-01-05"
    assert files[1]["rows_read"] == 1 and files[1]["amount_rejected"] == "0.07"
    assert files[1]["date_min"] is None


def test_totals_rows_rule():
    pence = np.array([100, 200, 300, 600, 50, 999])
    ok = np.array([True, True, True, True, True, False])
    bare = np.array([False, False, False, True, True, True])  # amount only, nothing else
    # 600 is the sum above it; 50 is neither a sum nor the largest: left to other checks;
    # 999 is unparseable and never a total by the sum rule.
    assert totals_rows(bare, pence, ok).tolist() == [False, False, False, True, False, False]
    labelled = np.array([False, False, False, False, False, True])
    assert totals_rows(bare, pence, ok, labelled)[-1]
    largest = totals_rows(np.array([False, True]), np.array([10, 5000]), np.array([True, True]))
    assert largest.tolist() == [False, True]


def test_labelled_total_matches_total_labels_only():
    names = pd.Series(["Grand Total", "totals", "Totally Local Ltd", None, "Sub total"])
    assert labelled_total([names]).tolist() == [True, True, False, False, False]


def test_spend_and_grants_skip_the_same_files_in_folders(tmp_path):
    for name in ["a.csv", ".hidden.csv", "~$lock.xlsx", "notes.txt", "x.csv-metadata.json"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "b.csv").write_text("x", encoding="utf-8")
    found = find_inputs([tmp_path])
    spend = [i.path.name for i in found.files]
    grants = [p.name for p in input_files(tmp_path, (".csv", ".json"), ("-metadata.json",))]
    assert spend == grants == ["a.csv"]
    # Nothing in the folder passes silently except hidden files: each skip says why.
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert set(reasons) == {"~$lock.xlsx", "notes.txt", "x.csv-metadata.json"}
    assert "lock file" in reasons["~$lock.xlsx"] and "metadata" in reasons["x.csv-metadata.json"]
    assert [i.path.name for i in find_inputs([tmp_path / "notes.txt"]).files] == ["notes.txt"]
    with pytest.raises(FileNotFoundError):
        input_files([tmp_path / "missing"], (".csv",))
