"""``reports/<slug>/summary.json``: the notebook's headline figures plus the run manifest.

The summary's fields are defined once, in the JSON Schema ``summary.schema.json`` beside this
module (package data): :func:`year_fields` (the per-year fields, in order) and
:func:`headline_rows` (a ``measures.headline_by_year`` table → those fields, each property's
``x-column`` naming the column it comes from) are read from it, and every summary is checked
against it with ``jsonschema`` (:func:`validate_summary`).

The notebook writes the headline JSON (one entry per financial year) to the ``summary_path``
parameter; the runner reads and checks it (:func:`read_headline`), then adds the run
manifest (:mod:`kil_analysis.reporting.manifest`) and publishes the result.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

SUMMARY_FILE = "summary.json"
SCHEMA_FILE = Path(__file__).with_name("summary.schema.json")


class SummaryError(ValueError):
    """The notebook's headline JSON is missing or not in the agreed shape (one-line reason)."""


@cache
def summary_schema() -> dict[str, Any]:
    """The JSON Schema of ``summary.json`` (read once from the package)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _year_properties() -> dict[str, Any]:
    return summary_schema()["$defs"]["year"]["properties"]


def year_fields() -> tuple[str, ...]:
    """Every per-year field of ``summary.json``'s ``headline``, in the schema's order."""
    return tuple(_year_properties())


def year_number_fields() -> tuple[str, ...]:
    """The per-year fields that hold a number (counts, shares, indices).

    What the comparison report reads for each council and year.
    """
    return tuple(
        name
        for name, spec in _year_properties().items()
        if {"number", "integer"} & set(_types(spec))
    )


def _types(spec: dict[str, Any]) -> list[str]:
    return spec["type"] if isinstance(spec["type"], list) else [spec["type"]]


def _json_value(value: Any, spec: dict[str, Any]) -> Any:
    """One headline value as the schema's field wants it.

    (exact pounds from pence, YYYY-MM months, null for NaN).
    """
    from kil_analysis.readers.parse.amounts import pence_to_decimal_string

    kind = spec.get("x-kind")
    if kind == "pence":
        return pence_to_decimal_string(int(value))
    if kind == "months":
        return [str(m) for m in value]
    types = _types(spec)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if "integer" in types:
        return int(value)
    if "number" in types:
        return float(value)
    if "boolean" in types:
        return bool(value)
    return str(value)


def headline_rows(headline: Any, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``summary.json``'s per-year rows from a ``measures.headline_by_year`` table.

    ``extra`` maps a field to a {financial_year: value} dict for fields that are not headline
    columns (e.g. ``top_n_share`` from the CLES table). Raises KeyError naming a field whose
    column is missing.
    """
    extra = extra or {}
    rows = []
    for record in headline.to_dict("records"):
        row = {}
        for name, spec in _year_properties().items():
            if name in extra:
                value = extra[name].get(record["financial_year"])
            else:
                value = record[spec["x-column"]]
            row[name] = _json_value(value, spec)
        rows.append(row)
    return rows


def _where(error: Any) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "the summary"


def validate_summary(data: Any, *, require_manifest: bool = False) -> None:
    """Check a summary against the schema; SummaryError names the field that does not fit.

    Also takes the notebook's headline JSON, which has no manifest yet; the error is one line.
    """
    from jsonschema import Draft202012Validator

    if not isinstance(data, dict) or not isinstance(data.get("headline"), list):
        raise SummaryError("the notebook's summary has no 'headline' list")
    for i, row in enumerate(data["headline"]):
        missing = [f for f in year_fields() if not isinstance(row, dict) or f not in row]
        if missing:
            raise SummaryError(f"the notebook's summary headline[{i}] lacks {', '.join(missing)}")
    if require_manifest and "manifest" not in data:
        raise SummaryError("the summary has no 'manifest'")
    validator = Draft202012Validator(summary_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise SummaryError(f"summary {_where(first)}: {first.message.splitlines()[0][:200]}")


def read_headline(path: Path) -> dict[str, Any]:
    """Read and check the headline JSON the notebook wrote (SummaryError if absent/malformed)."""
    path = Path(path)
    if not path.is_file():
        raise SummaryError(f"the notebook did not write its summary to {path.name}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SummaryError(f"the notebook's summary is not valid JSON ({exc.msg})") from exc
    validate_summary(data)
    return data


def build_summary(headline: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The published summary.

    The notebook's headline JSON with the manifest added, checked against the schema (SummaryError
    if it does not fit).
    """
    summary = {**headline, "manifest": manifest}
    validate_summary(summary, require_manifest=True)
    return summary


def latest_year(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The headline row a summary leads with.

    Its latest *full* financial year (partial years are not compared with full ones), or its latest
    year when none is full (None when there are no years). Rows without ``is_partial`` (older
    summaries) count as full.
    """
    rows = [r for r in summary.get("headline") or [] if isinstance(r, dict)]
    full = [r for r in rows if not r.get("is_partial")]
    return max(full or rows, key=lambda r: str(r.get("financial_year", ""))) if rows else None


def read_summary(path: Path) -> dict[str, Any] | None:
    """A published ``summary.json`` (None if missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
