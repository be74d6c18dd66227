"""Synthetic payment lines for one council: who was paid, when, how much, for which service.

Council-neutral: the layout writers (``spend_layouts``) turn this table into each council's
published files. Amounts are integer pence; credit notes are negative (about 5% of named lines);
about a quarter of lines are payments to individuals (redacted), mostly in social care.
The share of spend with the ten largest suppliers is calibrated to ``TOP10_TARGET``.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd

from kil_analysis.demo.suppliers import REDACTED_ID

FIRST_MONTH = (2022, 4)  # April 2022 ... March 2025: three financial years
N_MONTHS = 36
ROWS_PER_MONTH = 1400
REDACTED_SHARE = 0.25
CREDIT_SHARE = 0.05
TOP10_TARGET = 0.42
SIGMA = 0.9  # spread of line amounts around a supplier's median (log scale)
REDACTED_MEDIAN = 650.0
# Year-on-year growth of each kind of supplier's share of lines (index 0, 1, 2 = FY 22/23..24/25).
TRENDS = {"bristol": {"vcse": 0.10, "private": 0.0}, "newcastle": {"vcse": 0.04, "private": 0.0}}

# Which kinds of service each sector of supplier is paid for (kind: probability).
SECTOR_KINDS: dict[str, dict[str, float]] = {
    "care": {"adult_care": 0.65, "child_care": 0.35},
    "vcse_care": {"adult_care": 0.5, "communities": 0.2, "public_health": 0.15, "housing": 0.15},
    "vcse_community": {
        "communities": 0.55,
        "public_health": 0.15,
        "early_help": 0.2,
        "culture": 0.1,
    },
    "vcse_advice": {"communities": 0.5, "housing": 0.3, "public_health": 0.2},
    "vcse_youth": {"early_help": 0.7, "communities": 0.3},
    "construction": {"building": 0.6, "housing": 0.25, "highways": 0.15},
    "highways": {"highways": 1.0},
    "facilities": {"facilities": 0.8, "housing": 0.2},
    "energy": {"energy": 1.0},
    "ict": {"ict": 1.0},
    "consultancy": {"corporate": 0.5, "regen": 0.5},
    "transport": {"transport": 1.0},
    "waste": {"waste": 1.0},
    "legal": {"legal": 1.0},
    "supplies": {"facilities": 0.4, "education": 0.3, "corporate": 0.3},
    "outsourcing": {"corporate": 0.4, "facilities": 0.3, "adult_care": 0.3},
    "trades": {"building": 0.5, "transport": 0.3, "corporate": 0.2},
    "public": {
        "adult_care": 0.25,
        "child_care": 0.15,
        "public_health": 0.2,
        "corporate": 0.2,
        "legal": 0.1,
        "transport": 0.1,
    },
    "education": {"education": 1.0},
    "redacted": {
        "child_care": 0.55,
        "adult_care": 0.35,
        "legal": 0.04,
        "housing": 0.04,
        "education": 0.02,
    },
}
KINDS = sorted({k for kinds in SECTOR_KINDS.values() for k in kinds})


def months() -> list[tuple[int, int]]:
    """(year, month) of every month in the demo period, in order."""
    y, m = FIRST_MONTH
    out = []
    for _ in range(N_MONTHS):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _weekdays(year: int, month: int) -> np.ndarray:
    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    return np.array([d.toordinal() for d in days if d.weekday() < 5])


def _expected_top10_share(
    freq: np.ndarray, median: np.ndarray, n_named: float, n_redacted: float
) -> float:
    spend = freq / freq.sum() * n_named * median * np.exp(SIGMA**2 / 2)
    total = spend.sum() + n_redacted * REDACTED_MEDIAN * np.exp(0.7**2 / 2)
    return float(np.sort(spend)[-10:].sum() / total)


def calibrate_medians(suppliers: pd.DataFrame) -> np.ndarray:
    """Supplier medians with the national firms scaled so the top-10 share hits the target."""
    freq = suppliers["freq"].to_numpy(float)
    median = suppliers["median"].to_numpy(float)
    national = (
        suppliers["supplier_id"].str.startswith("S") & (suppliers["org_type"] == "private")
    ).to_numpy()
    n = ROWS_PER_MONTH * N_MONTHS
    lo, hi = 0.01, 100.0
    for _ in range(60):
        k = np.sqrt(lo * hi)
        m = np.where(national, median * k, median)
        share = _expected_top10_share(freq, m, n * (1 - REDACTED_SHARE), n * REDACTED_SHARE)
        lo, hi = (k, hi) if share < TOP10_TARGET else (lo, k)
    return np.where(national, median * np.sqrt(lo * hi), median)


def _pick_kinds(rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
    """A service kind for each line, drawn from its supplier sector's mix (vectorised)."""
    out = np.full(len(sectors), "corporate", dtype=object)
    u = rng.random(len(sectors))
    for sector, mix in SECTOR_KINDS.items():
        idx = np.flatnonzero(sectors == sector)
        if not len(idx):
            continue
        cum = np.cumsum(list(mix.values()))
        out[idx] = np.array(list(mix))[np.minimum(np.searchsorted(cum, u[idx]), len(mix) - 1)]
    return out


def generate_payments(
    suppliers: pd.DataFrame, council: str, threshold: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Payment lines for ``council`` over the 36 demo months, sorted by date.

    Columns: ``month_index`` (0..35), ``payment_date`` (date), ``supplier_id`` (or
    ``REDACTED``), ``amount_pence`` (int; negative for credit notes), ``kind`` (service kind),
    ``variant`` (which published spelling: 0 = usual), ``capital`` (bool).
    """
    s = suppliers.reset_index(drop=True)
    median = calibrate_medians(s)
    freq = s["freq"].to_numpy(float)
    trend = TRENDS[council]
    frames = []
    for mi in range(N_MONTHS):
        fy = mi // 12
        n = int(rng.normal(ROWS_PER_MONTH * (1 + 0.03 * fy), 90))
        n_red = int(rng.binomial(n, REDACTED_SHARE))
        weight = freq * (1 + fy * s["org_type"].map(trend).fillna(0.0).to_numpy())
        idx = rng.choice(len(s), size=n - n_red, p=weight / weight.sum())
        frames.append(
            pd.DataFrame({"month_index": mi, "sidx": np.concatenate([idx, np.full(n_red, -1)])})
        )
    # Every supplier is paid at least once in the period.
    frames.append(
        pd.DataFrame({"month_index": rng.integers(0, N_MONTHS, len(s)), "sidx": np.arange(len(s))})
    )
    rows = pd.concat(frames, ignore_index=True)
    sidx = rows["sidx"].to_numpy()
    named = sidx >= 0
    fy = rows["month_index"].to_numpy() // 12
    base = np.where(named, median[np.maximum(sidx, 0)], REDACTED_MEDIAN)
    spread = np.where(named, SIGMA, 0.7)
    pounds = base * np.exp(rng.normal(0, 1, len(rows)) * spread) * 1.04**fy
    small = pounds < threshold
    bump = small & (rng.random(len(rows)) < 0.92)  # a few split lines stay under the threshold
    pounds = np.where(bump, threshold + rng.random(len(rows)) * threshold, pounds)
    credit = named & (rng.random(len(rows)) < CREDIT_SHARE)
    pounds = np.where(credit, -pounds * rng.uniform(0.05, 0.6, len(rows)), pounds)
    pence = np.round(pounds * 100).astype(np.int64)
    pence = np.where(rng.random(len(rows)) < 0.3, pence // 100 * 100, pence)  # whole pounds
    pence[pence == 0] = 100
    sectors = np.where(named, s["sector"].to_numpy(object)[np.maximum(sidx, 0)], "redacted")
    kinds = _pick_kinds(rng, sectors)
    weekday_table = [_weekdays(y, m) for y, m in months()]
    mi = rows["month_index"].to_numpy()
    dates = np.empty(len(rows), dtype=np.int64)
    for i, wd in enumerate(weekday_table):
        sel = np.flatnonzero(mi == i)
        dates[sel] = wd[rng.integers(0, len(wd), len(sel))]
    variant_grid = rng.random((len(s), N_MONTHS))
    out = pd.DataFrame(
        {
            "month_index": mi,
            "ordinal": dates,
            "supplier_id": np.where(
                named, s["supplier_id"].to_numpy(object)[np.maximum(sidx, 0)], REDACTED_ID
            ),
            "sidx": sidx,
            "amount_pence": pence,
            "kind": kinds,
            "variant_draw": np.where(named, variant_grid[np.maximum(sidx, 0), mi], 0.0),
            "capital": np.isin(kinds, ["ict", "building"]) & (rng.random(len(rows)) < 0.3),
        }
    )
    out = out.sort_values(["ordinal", "supplier_id", "amount_pence"], kind="mergesort")
    out["payment_date"] = [date.fromordinal(int(o)) for o in out["ordinal"]]
    return out.reset_index(drop=True)
