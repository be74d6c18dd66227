"""The report sections beyond spend, on Bristol's demo data: what a reader sees when a section is
switched off, when its data was not supplied, and that supplier names reach the page escaped."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kil_analysis.pipeline import load_case_study
from kil_analysis.present import sections
from kil_analysis.section_inputs import load_section_inputs

SECTIONS = {
    "show_contracts": lambda inputs, show: sections.contracts_section(inputs, "2024-01-01", show),
    "show_funding": sections.funding_section,
    "show_prevention": sections.prevention_section,
    "show_multiplier": lambda inputs, show: sections.multiplier_section(
        inputs, "council", (0.10,), show
    ),
    "show_assets": sections.assets_section,
}


def page(items: list) -> str:
    """What the notebook shows for a section's display objects (their HTML or Markdown)."""
    out = []
    for item in items:
        for method in ("_repr_html_", "_repr_markdown_"):
            text = getattr(item, method, lambda: None)()
            if text:
                out.append(text)
                break
    return "\n".join(out)


@pytest.fixture(scope="module")
def study(demo_data: Path):
    """Bristol's demo case study (spend, grants and registers; no contract notices)."""
    return load_case_study("bristol", demo_data / "bristol")


@pytest.mark.parametrize("parameter", sorted(SECTIONS))
def test_a_switched_off_section_shows_one_line_naming_its_parameter(study, parameter):
    shown = page(SECTIONS[parameter](load_section_inputs(study), False))
    assert "switched off" in shown and f"{parameter} = False" in shown
    assert len(shown.splitlines()) == 1


def test_no_contract_notices_says_so_and_how_to_fetch_them(study):
    assert study.contracts is None  # the demo has no Contracts Finder notices
    shown = page(sections.contracts_section(load_section_inputs(study), "2024-01-01"))
    assert "No contract notices were supplied" in shown
    assert "contractsfinder.service.gov.uk" in shown


def test_no_grants_file_says_so_instead_of_reporting_zero_grants(study):
    without = dataclasses.replace(study, grants=None, grants_report=None, grants_rejects=None)
    shown = page(sections.funding_section(load_section_inputs(without)))
    assert "No 360Giving grants file was supplied" in shown
    # the grants route reads "not given", never £0
    assert re.search(r"Grants \(360Giving file\)</td>\s*<td>not given</td>", shown)


def test_a_grant_recipients_name_reaches_the_page_escaped(study):
    grants = study.grants.copy()
    largest = grants.groupby("recipient_key")["amount_pence"].sum().idxmax()  # listed first
    grants["recipient_name"] = grants["recipient_name"].astype(object)
    grants.loc[grants["recipient_key"] == largest, "recipient_name"] = "<script>x()</script> Trust"
    shown = page(
        sections.funding_section(load_section_inputs(dataclasses.replace(study, grants=grants)))
    )
    assert "&lt;script&gt;x()&lt;/script&gt; Trust" in shown
    assert "<script>" not in shown
