"""Back-test on Devon's published suppliers and the hand-checked sample (needs ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kil_analysis.enrich import classify_suppliers

FIXTURE = Path(__file__).parent / "fixtures" / "enrich" / "devon_hand_checked.csv"
VCSE_CODES = ("CIC", "CHTY", "VCS", "VH", "CHU")
PUBLIC_CODES = ("WGA", "UNI", "EDUC")


def devon(shared: Path) -> pd.DataFrame:
    frames = []
    for path in sorted((shared / "spend" / "devon").glob("DCCSpendingOver500_20*.csv"))[:3]:
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", encoding_errors="replace")
        df.columns = [c.strip().lower() for c in df.columns]
        frames.append(df[["supplier name", "creditor type"]])
    df = pd.concat(frames).dropna().set_axis(["name", "code"], axis=1)
    df["name"] = df["name"].str.strip()
    df = df.drop_duplicates()
    return df[~df["name"].str.upper().str.contains(r"\bREDACTED\b")]


def test_hand_checked_sample_is_complete() -> None:
    sample = pd.read_csv(FIXTURE)
    assert len(sample) == 100 and sample["reasoning"].notna().all()
    assert set(sample["judged_org_type"]) <= {"vcse", "public", "private", "individual", "unknown"}


def test_devon_recall_from_names(shared_data: Path) -> None:
    df = devon(shared_data)
    out = classify_suppliers(df["name"])
    types = df["name"].map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    types = types.fillna("unknown")
    vcse = (types[df["code"].isin(VCSE_CODES)] == "vcse").mean()
    public = (types[df["code"].isin(PUBLIC_CODES)] == "public").mean()
    # Regression floor at the measured figures (0.839 / 0.854 here, names only). The target is
    # 0.9 each: about a tenth of Devon's VCSE-coded names carry no cue at all (MULTILINGUA,
    # TADPOOL, YOUNG DEVON ...) and many public-coded ones are Devon miscodings (community
    # pre-schools, Ltd nurseries and firms coded WGA/EDUC) — see test_devon_recall_target.
    assert vcse >= 0.83
    assert public >= 0.85


@pytest.mark.xfail(reason="target 0.9 not reached from names alone (0.84 VCSE, 0.865 public)")
def test_devon_recall_target(shared_data: Path) -> None:
    df = devon(shared_data)
    out = classify_suppliers(df["name"])
    types = df["name"].map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    assert (types[df["code"].isin(VCSE_CODES)] == "vcse").mean() >= 0.9
    assert (types[df["code"].isin(PUBLIC_CODES)] == "public").mean() >= 0.9


def test_hand_checked_precision(shared_data: Path) -> None:
    sample = pd.read_csv(FIXTURE)
    out = classify_suppliers(sample["name"])
    got = sample["name"].map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    for kind, floor in (("vcse", 0.9), ("public", 0.75)):
        predicted = got == kind
        assert (sample.loc[predicted, "judged_org_type"] == kind).mean() >= floor
