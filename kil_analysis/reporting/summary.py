"""``reports/<slug>/summary.json``: the notebook's headline figures plus the run manifest.

The notebook writes the headline JSON (one entry per financial year) to the ``summary_path``
parameter; the runner reads and checks it (:func:`read_headline`), then adds the run
manifest (:mod:`kil_analysis.reporting.manifest`) and publishes the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUMMARY_FILE = "summary.json"
HEADLINE_FIELDS = ("financial_year", "total_spend_gbp", "suppliers")


class SummaryError(ValueError):
    """The notebook's headline JSON is missing or not in the agreed shape (one-line reason)."""


def read_headline(path: Path) -> dict[str, Any]:
    """Read and check the headline JSON the notebook wrote (SummaryError if absent/malformed)."""
    path = Path(path)
    if not path.is_file():
        raise SummaryError(f"the notebook did not write its summary to {path.name}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SummaryError(f"the notebook's summary is not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("headline"), list):
        raise SummaryError("the notebook's summary has no 'headline' list")
    for i, row in enumerate(data["headline"]):
        missing = [f for f in HEADLINE_FIELDS if not isinstance(row, dict) or f not in row]
        if missing:
            raise SummaryError(f"the notebook's summary headline[{i}] lacks {', '.join(missing)}")
    return data


def build_summary(headline: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The published summary: the notebook's headline JSON with the manifest added."""
    return {**headline, "manifest": manifest}


def latest_year(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The headline row of the latest financial year (None when there are none)."""
    rows = [r for r in summary.get("headline") or [] if isinstance(r, dict)]
    return max(rows, key=lambda r: str(r.get("financial_year", ""))) if rows else None


def read_summary(path: Path) -> dict[str, Any] | None:
    """A published ``summary.json`` (None if missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
