"""Reference figures shipped in ``kil_analysis/data/`` (each row with its source).

Published benchmarks, local-multiplier re-spend rates and the default prevention keywords.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from kil_analysis.paths import PACKAGE_DIR

DATA_DIR = PACKAGE_DIR / "data"
BENCHMARKS_FILE = DATA_DIR / "published_benchmarks.csv"
LM3_FILE = DATA_DIR / "lm3_coefficients.csv"
PREVENTION_FILE = DATA_DIR / "prevention_keywords.yml"
SURVEY_TEMPLATE = DATA_DIR / "respend_survey_template.csv"


def load_benchmarks(path: Path = BENCHMARKS_FILE) -> pd.DataFrame:
    """Published benchmarks.

    ``measure``, ``value`` (a share, 0–1), ``scope``, ``year``, ``definition`` and ``source``.
    """
    table = pd.read_csv(path, dtype={"measure": str, "scope": str, "definition": str})
    return table.astype({"value": float, "year": int})


def load_lm3_coefficients(path: Path = LM3_FILE) -> pd.DataFrame:
    """Published local re-spend rates.

    ``study``, ``supplier_group``, ``respend_local`` (share of a pound, 0–1, kept as text-exact),
    ``definition`` and ``source``.
    """
    return pd.read_csv(path, dtype=str).astype({"respend_local": str})


def load_prevention_keywords(path: Path = PREVENTION_FILE) -> dict[str, tuple[str, ...]]:
    """The default prevention keywords: ``service_keywords`` and ``expense_keywords``."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        k: tuple(str(v) for v in raw.get(k) or ()) for k in ("service_keywords", "expense_keywords")
    }
