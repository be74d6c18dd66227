"""summary.json is defined once, by its JSON Schema: the field list, the rows the notebook
writes, what the runner accepts and what the comparison reads all come from it."""

from __future__ import annotations

import copy
import re

import pytest
from jsonschema import Draft202012Validator

from kil_analysis.analysis import measures
from kil_analysis.reporting import summaries, summary
from tests.unit.test_reporting_support import HEADLINE, SUMMARY_FIELDS


def _valid() -> dict:
    return {
        "council": "alpha",
        "council_name": "Alpha",
        "is_demo": True,
        **SUMMARY_FIELDS,
        "headline": copy.deepcopy(HEADLINE),
    }


def test_the_schema_is_a_valid_json_schema_shipped_with_the_package():
    Draft202012Validator.check_schema(summary.summary_schema())
    assert summary.SCHEMA_FILE.is_file()


def test_every_year_field_comes_from_a_headline_column():
    columns = set(measures.HEADLINE_COLUMNS) | {"top_n_share"}  # top_n_share: the CLES table
    specs = summary.summary_schema()["$defs"]["year"]["properties"]
    for name, spec in specs.items():
        assert spec["x-column"] in columns or name == "top_n_share", name
        assert spec.get("description"), f"{name} needs a description (what, units)"
    # every share, coverage and flag the headline computes reaches summary.json
    shown = {spec["x-column"] for spec in specs.values()}
    assert set(measures.HEADLINE_COLUMNS) <= shown


def test_comparison_reads_the_numeric_fields_the_schema_defines():
    assert summaries.MEASURES == summary.year_number_fields()
    assert {"vcse_share", "local_share", "sme_share", "months", "hhi"} <= set(summaries.MEASURES)


def test_a_valid_summary_passes_and_each_kind_of_fault_is_named():
    summary.validate_summary(_valid())
    missing = _valid()
    del missing["headline"][1]["local_vcse_share"]
    with pytest.raises(summary.SummaryError, match=re.escape("headline[1] lacks local_vcse_share")):
        summary.validate_summary(missing)
    wrong = _valid()
    wrong["headline"][0]["total_spend"] = 101500000.25  # money must be an exact decimal string
    with pytest.raises(summary.SummaryError, match=r"summary headline\[0\]\.total_spend: "):
        summary.validate_summary(wrong)
    unknown = _valid()
    unknown["headline"][0]["vcse_percent"] = 8.1  # a field nobody defined
    with pytest.raises(summary.SummaryError, match="vcse_percent"):
        summary.validate_summary(unknown)
    local = _valid()
    local["local_definition"] = "ward"
    with pytest.raises(summary.SummaryError, match="local_definition"):
        summary.validate_summary(local)


def test_the_runner_refuses_to_publish_a_summary_without_a_manifest():
    with pytest.raises(summary.SummaryError, match="manifest"):
        summary.validate_summary(_valid(), require_manifest=True)


def test_the_index_leads_with_the_latest_full_year_not_a_partial_one():
    doc = _valid()
    partial = {**doc["headline"][1], "financial_year": "2024/25", "months": 4, "is_partial": True}
    doc["headline"].append(partial)
    assert summary.latest_year(doc)["financial_year"] == "2023/24"
    only_partial = {"headline": [partial]}
    assert summary.latest_year(only_partial)["financial_year"] == "2024/25"
