"""Reference text and figures the report shows beside its own numbers.

Councils' published figures (``kil_analysis/data/published_figures.csv``, each with its source) and
the assumptions-and-caveats log (``docs/assumptions_caveats.md``). Kept in data files, not code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.paths import PACKAGE_DIR, PROJECT_ROOT

PUBLISHED_FIGURES = PACKAGE_DIR / "data" / "published_figures.csv"
CAVEATS_LOG = PROJECT_ROOT / "docs" / "assumptions_caveats.md"
SOURCES = (
    "Centre for Local Economic Strategies (CLES), *Creating a good local economy: the role of "
    "anchor institutions* and its procurement spend analysis: the top-300 supplier method, with "
    "spend split by where suppliers are based.",
    "Locality, *Keep it Local* (2018) and the Keep it Local network: the six principles, and the "
    "test that no supplier should hold more than 20% of a service area's spend.",
    "New Economics Foundation (NEF), *Plugging the Leaks* and *The Money Trail* (LM3): why money "
    "spent with local organisations recirculates in the local economy.",
    "Ministry of Housing, Communities and Local Government, *Local Government Transparency Code "
    "2015*: the spend-over-£500 files this report reads.",
)


def load_published_figures(council: str, path: Path = PUBLISHED_FIGURES) -> pd.DataFrame:
    """The published figures recorded for one council (slug); empty when there are none."""
    figures = pd.read_csv(path, dtype={"financial_year": "string", "local_definition": "string"})
    return figures[figures["council"] == council].reset_index(drop=True)


def caveats_log(path: Path = CAVEATS_LOG) -> str:
    """The assumptions-and-caveats log as Markdown (our own text).

    A pointer to it when the project's docs are not installed beside the package.
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return "The assumptions-and-caveats log is `docs/assumptions_caveats.md` in the project."
