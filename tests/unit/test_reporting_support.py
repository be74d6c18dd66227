"""Helpers for the report-runner tests: a tiny notebook honouring the case-study contract.

It has the same ``parameters`` cell as ``notebooks/case_study.ipynb`` and writes the same
headline JSON to ``summary_path``, so the runner can be tested (quickly) without the real
analysis. Council ``broken`` raises in a cell, as a notebook failing on bad data would.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

XSS_SCRIPT = "<script>window.__xss = 'script';</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss = 'img'\">"
# slug -> council name shown in the report and on the index (hostile on purpose).
NAMES = {
    "alpha": f"Alpha {XSS_SCRIPT} Council",
    "beta": f"Beta {XSS_IMG} & Sons",
    "broken": "Broken Borough",
}
HEADLINE = [
    {
        "financial_year": "2022/23",
        "total_spend_gbp": 101_500_000.25,
        "total_spend": "101500000.25",
        "suppliers": 1234,
        "vcse_share": 0.081,
        "local_share": 0.42,
        "top10_share": 0.35,
    },
    {
        "financial_year": "2023/24",
        "total_spend_gbp": 123_456_789.0,
        "total_spend": "123456789.00",
        "suppliers": 2345,
        "vcse_share": 0.125,
        "local_share": 0.5,
        "top10_share": 0.3,
    },
]
# Every other field summary.schema.json requires of a year (the stand-in's values).
_YEAR_DEFAULTS = {
    "months": 12,
    "is_partial": False,
    "missing_months": [],
    "payments": 5000,
    "redacted_spend": "0.00",
    "redacted_share": 0.0,
    "not_a_supplier_spend": "0.00",
    "not_a_supplier_share": 0.0,
    "classified_share": 0.9,
    "located_share": 0.8,
    "size_known_share": 0.0,
    "vcse_spend": "0.00",
    "local_spend": "0.00",
    "local_vcse_spend": "0.00",
    "local_vcse_share": None,
    "sme_spend": "0.00",
    "sme_share": None,
    "top_n_share": 0.8,
    "hhi": 120.0,
    "suppliers_for_80pc": 150,
}
HEADLINE = [{**_YEAR_DEFAULTS, "third_party_spend": row["total_spend"], **row} for row in HEADLINE]
# The run parameters the stand-in's summary records (as the real notebook's does).
SUMMARY_FIELDS = {
    "ons_code": "E99999999",
    "period": ["2022-04-01", "2025-03-31"],
    "local_definition": "council",
    "top_n": 300,
    "min_coverage": 0.5,
}

PARAMETERS = """\
council = "bristol"
data_dir = ""
registers_dir = ""
lookups_dir = ""
period_start = "2022-04-01"
period_end = "2025-03-31"
local_definition = "council"
top_n = 300
summary_path = ""
"""

SETUP = f"""\
import hashlib, html, json, warnings
from pathlib import Path
from IPython.display import Markdown, display
NAMES = {json.dumps(NAMES)}
HEADLINE = json.loads({json.dumps(HEADLINE)!r})
SUMMARY_FIELDS = json.loads({json.dumps(SUMMARY_FIELDS)!r})
if council == "broken":
    raise ValueError(f"no spend rows for {{council}} in {{data_dir}}")
files = sorted(p for p in Path(data_dir).rglob("*") if p.is_file())
name = NAMES.get(council, council)
warnings.warn("a warning that belongs in the notebook, not the report")
"""

NARRATIVE = """\
display(Markdown(f"# {html.escape(name)} (demo data)\\n\\nSupplier: {html.escape(name)}"))
"""

CHART = """\
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(4, 2), dpi=80)
ax.bar([r["financial_year"] for r in HEADLINE], [r["total_spend_gbp"] / 1e6 for r in HEADLINE])
ax.set_title(f"Total spend, £m: {name}")
plt.show()
"""

SUMMARY = """\
if summary_path:
    Path(summary_path).write_text(json.dumps({
        "council": council, "council_name": name, "is_demo": True, **SUMMARY_FIELDS,
        "headline": HEADLINE,
        "data_files": [
            {"path": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in files
        ],
    }))
"""


def contract_notebook() -> nbformat.NotebookNode:
    """The stand-in case-study notebook (unexecuted, with the ``kil`` kernelspec)."""
    params = new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Stand-in case study"),
            params,
            new_code_cell(SETUP),
            new_code_cell(NARRATIVE),
            new_code_cell(CHART),
            new_code_cell(SUMMARY),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "kil",
        "display_name": "Python (kil)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_contract_notebook(folder: Path) -> Path:
    """Write the stand-in as ``folder/case_study.ipynb`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case_study.ipynb"
    nbformat.write(contract_notebook(), str(path))
    return path


def write_published_files(folder: Path, slug: str) -> Path:
    """A council's tiny 'published' files (spend/ and grants/) under ``folder/slug``."""
    root = folder / slug
    (root / "spend").mkdir(parents=True, exist_ok=True)
    (root / "grants").mkdir(parents=True, exist_ok=True)
    (root / "spend" / "2023-04.csv").write_text(
        "Supplier,Amount\nAcme Ltd,100.00\n", encoding="utf-8"
    )
    (root / "grants" / "grants.json").write_text('{"grants": []}', encoding="utf-8")
    return root
