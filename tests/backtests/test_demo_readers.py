"""The demo spend goes through the real readers (no shortcut) and reconciles to the penny."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.readers.spend import ingest_spend


@pytest.fixture(scope="module")
def demo_dir(demo_data: Path) -> Path:
    return demo_data


@pytest.mark.parametrize("slug,code", [("newcastle", "E08000021"), ("bristol", "E06000023")])
def test_demo_spend_reads_without_rejects_and_reconciles(demo_dir, tmp_path, slug, code):
    result = ingest_spend(
        [demo_dir / slug / "spend"], council=code, use_cache=False, cache_dir=tmp_path / "cache"
    )
    totals = result.report["totals"]
    truth = pd.read_csv(
        demo_dir / "truth" / f"{slug}_suppliers.csv", dtype=str, keep_default_na=False
    )
    assert totals["rows_read"] == totals["rows_kept"] == truth["lines"].astype(int).sum()
    assert not totals["rows_rejected"] and result.rejects.empty
    expected = sum(Decimal(a) for a in truth["amount"])
    assert Decimal(totals["amount_kept"]) == expected
    assert result.spend["amount_pence"].sum() == int(expected * 100)
    assert 0.2 < result.spend["is_redacted"].mean() < 0.3
    dates = pd.to_datetime(result.spend["payment_date"])
    assert dates.min() == pd.Timestamp("2022-04-01") and dates.max() <= pd.Timestamp("2025-03-31")
    if slug == "newcastle":  # every month's dates fall in that month, Excel serials included
        month = result.spend["source_file"].str.extract(r"(\d{4}-\d{2})\.csv$")[0]
        assert (dates.dt.strftime("%Y-%m") == month).all()
