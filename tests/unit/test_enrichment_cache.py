"""A re-run of the case study on unchanged inputs reuses the enrichment, and gives exactly the
same supplier table; any change to what enrichment reads (spend, overrides, registers, the
classifier's code) makes it classify again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import kil_analysis.enrich.suppliers as suppliers_module
from kil_analysis import enrichment_cache as cache
from kil_analysis.pipeline import load_case_study

SPEND = """Supplier Name,Amount,Service Area,Payment Date
Avon Valley Community Trust CIC,1200.00,Adult Social Care,15/04/2023
Avon Valley Community Trust CIC,800.00,Adult Social Care,15/05/2023
Faraway Widgets Ltd,500.00,Corporate IT,20/05/2023
Bristol Food Network,750.00,Public Health,03/06/2023
"""


@pytest.fixture()
def council(tmp_path: Path, monkeypatch) -> Path:
    """A small Bristol folder of published files, with its own data folder."""
    monkeypatch.setenv("KIL_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "bristol" / "spend"
    folder.mkdir(parents=True)
    (folder / "spend-2023.csv").write_text(SPEND, encoding="utf-8")
    return folder.parent


@pytest.fixture()
def enrich_calls(monkeypatch) -> list[int]:
    """Counts the times enrichment really runs."""
    calls: list[int] = []
    real = suppliers_module.enrich_suppliers_and_merges

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppliers_module, "enrich_suppliers_and_merges", counting)
    return calls


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert_frame_equal(a, b, check_exact=True)
    for col in a.columns:  # None stays None and NaN stays NaN in text columns
        if a[col].dtype == object:
            assert a[col].map(type).tolist() == b[col].map(type).tolist(), col


def test_a_rerun_on_unchanged_inputs_reuses_the_enrichment_exactly(council, enrich_calls):
    first = load_case_study("bristol", council)
    second = load_case_study("bristol", council)
    assert len(enrich_calls) == 1
    _same(first.suppliers, second.suppliers)
    _same(first.merges, second.merges)
    _same(first.spend, second.spend)


def test_the_demo_enrichment_reads_back_unchanged(demo_data, tmp_path):
    """The demo's supplier table (every enrichment column and dtype) survives the store."""
    study = load_case_study("bristol")
    assert cache.write_entry(tmp_path, "k", (study.suppliers, study.merges))
    suppliers, merges = cache.read_entry(tmp_path, "k")
    _same(study.suppliers, suppliers)
    _same(study.merges, merges)


def test_a_new_overrides_file_is_applied_on_the_next_run(council, enrich_calls, tmp_path):
    before = load_case_study("bristol", council)
    row = before.suppliers.set_index("supplier_name").loc["Faraway Widgets Ltd"]
    assert row["org_type"] != "vcse"
    overrides = tmp_path / "data" / "overrides" / "bristol.csv"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(f"supplier_key,org_type\n{row['supplier_key']},vcse\n", encoding="utf-8")
    after = load_case_study("bristol", council)
    assert len(enrich_calls) == 2
    assert after.suppliers.set_index("supplier_name").loc["Faraway Widgets Ltd", "org_type"] == (
        "vcse"
    )


def test_changed_spend_or_register_files_classify_again(council, enrich_calls, tmp_path):
    load_case_study("bristol", council)
    registers = tmp_path / "data" / "registers"
    registers.mkdir(parents=True, exist_ok=True)
    (registers / "notes.txt").write_text("a register file arrived\n", encoding="utf-8")
    load_case_study("bristol", council)
    spend = council / "spend" / "spend-2023.csv"
    spend.write_text(SPEND + "New Supplier Ltd,900.00,Corporate IT,01/07/2023\n", "utf-8")
    study = load_case_study("bristol", council)
    assert len(enrich_calls) == 3
    assert "New Supplier Ltd" in set(study.suppliers["supplier_name"])


def test_a_change_to_the_classifier_source_changes_the_key(tmp_path, monkeypatch):
    for sub in cache.SOURCE_PATHS:
        if (cache.PACKAGE_DIR / sub).is_file():
            (tmp_path / sub).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(cache.PACKAGE_DIR / sub, tmp_path / sub)
        else:
            shutil.copytree(cache.PACKAGE_DIR / sub, tmp_path / sub)
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path)
    cache.source_digest.cache_clear()
    before = cache.source_digest()
    with open(tmp_path / "enrich" / "name_rules.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a rule changed\n")
    cache.source_digest.cache_clear()
    after = cache.source_digest()
    known = tmp_path / "enrich" / "known_organisations.csv"
    known.write_text(known.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cache.source_digest.cache_clear()
    listed = cache.source_digest()
    with open(tmp_path / "readers" / "parse" / "supplier_key.py", "a", encoding="utf-8") as fh:
        fh.write("\n# supplier keys made differently\n")
    cache.source_digest.cache_clear()
    keys = cache.source_digest()
    monkeypatch.undo()
    cache.source_digest.cache_clear()
    assert len({before, after, listed, keys}) == 4


def test_a_damaged_entry_is_recomputed(council, enrich_calls, tmp_path):
    first = load_case_study("bristol", council)
    store = tmp_path / "data" / "processed" / "bristol" / ".cache" / "enrich" / "published"
    (arrow,) = [p for p in store.glob("*.suppliers.arrow")]
    arrow.write_bytes(b"not arrow")
    again = load_case_study("bristol", council)
    assert len(enrich_calls) == 2
    _same(first.suppliers, again.suppliers)


def test_a_table_arrow_cannot_give_back_unchanged_is_not_stored(tmp_path):
    lists = pd.DataFrame({"supplier_key": ["A"], "candidates": [["x", "y"]]})
    numbers = pd.DataFrame(
        {"supplier_key": ["A", "B"], "note": pd.Series(["x", 1.5], dtype=object)}
    )
    merges = pd.DataFrame({"supplier_key": ["A"]})
    assert not cache.write_entry(tmp_path, "lists", (lists, merges))
    assert not cache.write_entry(tmp_path, "numbers", (numbers, merges))
    assert cache.read_entry(tmp_path, "lists") is None
    assert not list(tmp_path.iterdir())


def test_none_and_nan_in_one_text_column_read_back_as_they_were(tmp_path):
    notes = pd.Series(["x", None, float("nan"), None], dtype=object)
    frame = pd.DataFrame({"supplier_key": ["A", "B", "C", "D"], "note": notes})
    assert cache.write_entry(tmp_path, "k", (frame, frame.head(0)))
    suppliers, merges = cache.read_entry(tmp_path, "k")
    _same(frame, suppliers)
    _same(frame.head(0), merges)


def test_only_the_newest_entries_are_kept(tmp_path):
    frame = pd.DataFrame({"supplier_key": ["A"], "org_type": ["vcse"]})
    for i in range(cache.KEEP_ENTRIES + 2):
        cache.write_entry(tmp_path, f"k{i}", (frame, frame))
        marker = tmp_path / f"k{i}.json"
        os.utime(marker, ns=(i * 10**9, i * 10**9))
    kept = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert len(kept) == cache.KEEP_ENTRIES
    assert "k0" not in kept and cache.read_entry(tmp_path, "k0") is None
