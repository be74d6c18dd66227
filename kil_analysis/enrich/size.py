"""Organisation size from register evidence, and spend-size bands from the council's payments.

Register size (``size`` ∈ schema.SIZES, with ``size_rule`` naming the rule):

* Companies House ``Accounts.AccountCategory`` — the accounts regime the company filed under:
  MICRO ENTITY → micro; SMALL, TOTAL EXEMPTION FULL/SMALL, AUDIT EXEMPTION SUBSIDIARY,
  UNAUDITED ABRIDGED, ABRIDGED, FILING EXEMPTION SUBSIDIARY → small; MEDIUM → medium;
  GROUP → large; FULL → large (caveat: FULL accounts are also filed voluntarily by small and
  medium companies, so its confidence is lower); DORMANT → micro; NO ACCOUNTS FILED,
  ACCOUNTS TYPE NOT AVAILABLE → unknown.
* Charity Commission latest gross income (GBP), NCVO's bands: under £10k micro, £10k–£100k small,
  £100k–£1m medium, £1m and over large.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ACCOUNT_CATEGORY_SIZE: dict[str, tuple[str, float]] = {
    "MICRO ENTITY": ("micro", 0.9),
    "SMALL": ("small", 0.85),
    "TOTAL EXEMPTION FULL": ("small", 0.8),
    "TOTAL EXEMPTION SMALL": ("small", 0.8),
    "AUDIT EXEMPTION SUBSIDIARY": ("small", 0.6),
    "FILING EXEMPTION SUBSIDIARY": ("small", 0.6),
    "UNAUDITED ABRIDGED": ("small", 0.8),
    "AUDITED ABRIDGED": ("small", 0.7),
    "ABRIDGED": ("small", 0.7),
    "MEDIUM": ("medium", 0.85),
    "GROUP": ("large", 0.7),
    "FULL": ("large", 0.5),
    "DORMANT": ("micro", 0.6),
}

INCOME_BANDS_GBP = (10_000, 100_000, 1_000_000)


def size_from_account_category(category: pd.Series) -> pd.DataFrame:
    """Size, size_rule and size_confidence from Companies House accounts categories."""
    key = category.fillna("").astype(str).str.strip().str.upper()
    size = key.map(lambda k: ACCOUNT_CATEGORY_SIZE.get(k, ("unknown", 0.0))[0])
    conf = key.map(lambda k: ACCOUNT_CATEGORY_SIZE.get(k, ("unknown", 0.0))[1])
    rule = ("accounts category " + key).where(size != "unknown", None)
    return pd.DataFrame({"size": size, "size_rule": rule, "size_confidence": conf})


def size_from_income(income_gbp: pd.Series) -> pd.DataFrame:
    """Size, size_rule and size_confidence from a charity's latest gross income (GBP)."""
    income = pd.to_numeric(income_gbp, errors="coerce")
    bins = [-np.inf, *INCOME_BANDS_GBP, np.inf]
    size = pd.cut(income, bins=bins, right=False, labels=["micro", "small", "medium", "large"])
    size = size.astype(object).where(income.notna(), "unknown")
    rule = pd.Series("charity income band", index=income.index).where(income.notna(), None)
    conf = pd.Series(0.85, index=income.index).where(income.notna(), 0.0)
    return pd.DataFrame({"size": size, "size_rule": rule, "size_confidence": conf})


SPEND_BANDS_PENCE = (
    (0, "under £10k"),
    (10_000_00, "£10k–£100k"),
    (100_000_00, "£100k–£1m"),
    (1_000_000_00, "£1m and over"),
)


def spend_size_band(total_pence: pd.Series) -> pd.Series:
    """Band of the council's own spend with each supplier (integer pence in, label out).

    This is *not* organisation size: a large national firm can receive £600 and a small local
    charity £2m. Bands: under £10k, £10k–£100k, £100k–£1m, £1m and over (net credits → under £10k).
    """
    total = pd.to_numeric(total_pence, errors="coerce").fillna(0)
    edges = [b for b, _ in SPEND_BANDS_PENCE[1:]]
    labels = [label for _, label in SPEND_BANDS_PENCE]
    idx = np.searchsorted(np.asarray(edges, dtype="int64"), total.to_numpy(), side="right")
    return pd.Series(np.asarray(labels, dtype=object)[idx], index=total_pence.index)
