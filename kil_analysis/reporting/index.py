"""``reports/index.html``: every council's latest report on one page.

The index is built from what is on disk under ``reports/``, so it always agrees with the
reports it links to: ``<slug>/summary.json`` for a published report, ``<slug>/failed.json``
when the latest run of that council failed (its previous report, if any, is still linked).
Every value that came from data is escaped (:mod:`kil_analysis.reporting.escaping`); the page
is static HTML with inline CSS, no scripts, so it opens offline from a file or an e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kil_analysis.readers.atomic import write_text_atomic
from kil_analysis.reporting.escaping import href, text
from kil_analysis.reporting.publish import FAILED_FILE, FAILED_NOTEBOOK, REPORT_HTML, read_failure
from kil_analysis.reporting.summary import SUMMARY_FILE, latest_year, read_summary

# The comparison report (notebooks/compare_councils.ipynb), beside the index when built.
COMPARISON_HTML = "comparison.html"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 72rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
p.lede { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { padding: 0.45rem 0.6rem; border-bottom: 1px solid #ddd; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-size: 0.75rem; padding: 0.05rem 0.4rem;
         border-radius: 0.25rem; margin-left: 0.3rem; white-space: nowrap; }
.demo { background: #fff3cd; color: #664d03; border: 1px solid #e6c85c; }
.failed { background: #f8d7da; color: #842029; border: 1px solid #e4a1a8; }
.notrun { background: #e2e3e5; color: #41464b; border: 1px solid #c4c8cb; }
tr.run-failed td { background: #fff7f7; }
.reason { color: #842029; font-size: 0.9rem; }
p.compare { font-size: 1.05rem; }
footer { margin-top: 2rem; color: #555; font-size: 0.85rem; }
"""


@dataclass(frozen=True)
class IndexEntry:
    """One council's row on the index page."""

    slug: str
    name: str
    status: str  # "ok", "failed" or "not run"
    summary: dict[str, Any] | None = None
    error: str | None = None
    has_report: bool = False
    has_failed_notebook: bool = False

    @property
    def is_demo(self) -> bool:
        """True when the council's latest summary says it was built on demo data."""
        return bool(self.summary and self.summary.get("is_demo"))


def collect_entries(
    reports_root: Path, councils: Mapping[str, str] | None = None
) -> list[IndexEntry]:
    """An entry for every report folder under ``reports_root`` and every council, by slug.

    ``councils`` maps slug → name; those without any report are listed as not run.
    """
    reports_root = Path(reports_root)
    councils = dict(councils or {})
    folders = {
        p.name: p
        for p in (reports_root.iterdir() if reports_root.is_dir() else [])
        if p.is_dir() and not p.name.startswith(".")
    }
    entries = []
    for slug in sorted(set(folders) | set(councils)):
        folder = reports_root / slug
        summary = read_summary(folder / SUMMARY_FILE)
        failure = read_failure(folder / FAILED_FILE) if (folder / FAILED_FILE).exists() else None
        has_report = summary is not None and (folder / REPORT_HTML).is_file()
        if summary is None and failure is None and slug not in councils:
            continue  # a stray folder, not a report
        name = str((summary or {}).get("council_name") or councils.get(slug) or slug)
        status = "failed" if failure is not None else ("ok" if has_report else "not run")
        entries.append(
            IndexEntry(
                slug=slug,
                name=name,
                status=status,
                summary=summary,
                error=str(failure.get("error") or "unknown error") if failure else None,
                has_report=has_report,
                has_failed_notebook=(folder / FAILED_NOTEBOOK).is_file(),
            )
        )
    return entries


def _money_m(value: Any) -> str:
    try:
        return f"£{float(value) / 1e6:,.1f}m"
    except (TypeError, ValueError):
        return "–"


def _count(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "–"


def _share(value: Any) -> str:
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "–"


def render_row(entry: IndexEntry) -> str:
    """One ``<tr>`` for ``entry``; every value from data is escaped."""
    row = latest_year(entry.summary) if entry.summary else None
    row = row or {}
    name = text(entry.name)
    if entry.has_report:
        name = f'<a href="{href(entry.slug, REPORT_HTML)}">{name}</a>'
    badges = ""
    if entry.is_demo:
        badges += ' <span class="badge demo">demo data</span>'
    if entry.status == "failed":
        badges += ' <span class="badge failed">run failed</span>'
    elif entry.status == "not run":
        badges += ' <span class="badge notrun">no report yet</span>'
    cells = [
        f"<td>{name}{badges}<br><small>{text(entry.slug)}</small></td>",
        f"<td>{text(row.get('financial_year', '–'))}</td>",
        f'<td class="num">{text(_money_m(row.get("total_spend_gbp")))}</td>',
        f'<td class="num">{text(_count(row.get("suppliers")))}</td>',
        f'<td class="num">{text(_share(row.get("vcse_share")))}</td>',
        f'<td class="num">{text(_share(row.get("local_share")))}</td>',
        f'<td class="num">{text(_share(row.get("top10_share")))}</td>',
        f"<td>{_status_cell(entry)}</td>",
    ]
    css = ' class="run-failed"' if entry.status == "failed" else ""
    return f"<tr{css}>" + "".join(cells) + "</tr>"


def _status_cell(entry: IndexEntry) -> str:
    if entry.status == "ok":
        return f'<a href="{href(entry.slug, REPORT_HTML)}">report</a>'
    if entry.status == "not run":
        return f"not run yet: <code>kil report {text(entry.slug)}</code>"
    parts = [f'<span class="reason">Failed: {text(entry.error)}</span>']
    if entry.has_failed_notebook:
        parts.append(f'<a href="{href(entry.slug, FAILED_NOTEBOOK)}">failed notebook</a>')
    if entry.has_report:
        parts.append(f'<a href="{href(entry.slug, REPORT_HTML)}">previous report</a>')
    return "<br>".join(parts)


def render_index(entries: list[IndexEntry], *, has_comparison: bool = False) -> str:
    """The whole index page as a string (linking to ``comparison.html`` if ``has_comparison``)."""
    failed = sum(e.status == "failed" for e in entries)
    demo = any(e.is_demo for e in entries)
    lede = (
        "Headline Keep it Local measures for the latest financial year in each council's "
        "report. Shares are of total spend in that year."
    )
    if demo:
        lede += " Rows marked <em>demo data</em> are built on generated data, not real spend."
    if failed:
        lede += f" <strong>{failed} run(s) failed</strong>; the reason is shown on the row."
    rows = "\n".join(render_row(e) for e in entries) or (
        '<tr><td colspan="8">No reports yet: run <code>kil report --all</code>.</td></tr>'
    )
    compare = (
        f'<p class="compare"><a href="{href(COMPARISON_HTML)}">Compare the councils side by '
        "side</a>: VCSE, local and top-10 shares by year, with the caveats.</p>\n"
        if has_comparison
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keep it Local case studies</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>Keep it Local case studies</h1>
<p class="lede">{lede}</p>
{compare}<table>
<thead><tr><th>Council</th><th>Year</th><th class="num">Total spend</th>
<th class="num">Suppliers</th><th class="num">VCSE share</th><th class="num">Local share</th>
<th class="num">Top-10 share</th><th>Report</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer>Each report's <code>summary.json</code> holds these figures for every year and the
run manifest (parameters, code version, data checksums).</footer>
</main>
</body>
</html>
"""


def write_index(reports_root: Path, councils: Mapping[str, str] | None = None) -> Path:
    """Write ``reports_root/index.html`` atomically from the reports on disk; return its path."""
    path = Path(reports_root) / "index.html"
    has_comparison = (Path(reports_root) / COMPARISON_HTML).is_file()
    entries = collect_entries(reports_root, councils)
    write_text_atomic(path, render_index(entries, has_comparison=has_comparison))
    return path
