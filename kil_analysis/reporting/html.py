"""An executed notebook as one self-contained HTML page a researcher can forward.

Code cells and prompts are hidden, images are embedded as base64, and the page loads nothing
from the network: the JupyterLab template's require.js, MathJax and Mermaid ``<script>`` tags
(CDN fetches that fail offline and print console errors) are dropped by a small template that
extends ``lab``. Error output from cells (warnings on stderr) stays in the executed ``.ipynb``
for debugging and is left out of the page.
"""

from __future__ import annotations

import copy
import functools
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kil_analysis.reporting.jupyter_stack import skip_iri_grammar

skip_iri_grammar()  # before nbformat: see kil_analysis.reporting.jupyter_stack

import nbformat  # noqa: E402

# Extends the stock lab template, removing every block that pulls a script from a CDN.
OFFLINE_TEMPLATE_NAME = "kil_offline.html.j2"
OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<style type="text/css">
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
/* links told apart from text without relying on colour (WCAG 1.4.1) */
/* (this sheet comes before the theme's, so the selectors must be more specific than its) */
body .jp-RenderedHTMLCommon a:link, body .jp-RenderedHTMLCommon a:visited {
  text-decoration: underline;
}
</style>
{%- endblock extra_css -%}
"""
REMOVE_CELL_TAGS = frozenset({"remove-cell", "remove_cell"})
# The one page must stay small enough to e-mail.
MAX_HTML_BYTES = 3 * 1024 * 1024


class ExportError(RuntimeError):
    """The HTML could not be produced or is not what a report must be (one-line reason)."""


def prepare_for_html(nb: nbformat.NotebookNode, title: str | None = None) -> nbformat.NotebookNode:
    """A copy of ``nb`` ready for the page.

    Stderr streams and cells tagged ``remove-cell`` are dropped and the page title is set.
    """
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        if REMOVE_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cells.append(cell)
    nb.cells = cells
    if title:
        nb.metadata["title"] = title
    return nb


def notebook_to_html(nb: nbformat.NotebookNode, title: str | None = None) -> str:
    """Render ``nb`` as a self-contained offline HTML page (code and prompts hidden)."""
    body, _resources = page_exporter().from_notebook_node(prepare_for_html(nb, title))
    return body


@functools.cache
def page_exporter() -> Any:
    """The HTML exporter of this process (nbconvert's, configured for the report page).

    One per process: its Jinja templates are compiled on first use (a fifth of an export),
    and :func:`warm_up` does that while a notebook runs. The notebook is validated once
    after the preprocessors rather than after each of them (``optimistic_validation``).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=OFFLINE_TEMPLATE_NAME,
        extra_loaders=[DictLoader({OFFLINE_TEMPLATE_NAME: OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        optimistic_validation=True,
    )


def warm_up() -> None:
    """Render a two-cell notebook, so the exporter is ready for the real page.

    Its templates compiled, Markdown renderer and HTML parser imported; run while the kernel
    works.
    """
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Warm-up"), nbformat.v4.new_code_cell("1")]
    )
    notebook_to_html(nb, "Warm-up")


def check_html(body: str, max_bytes: int = MAX_HTML_BYTES) -> None:
    """Raise ExportError if the page is too large, fetches from elsewhere, or has any script.

    Reports are static (charts are PNG), so a ``<script>`` element or an event handler
    attribute can only be text from data that reached the page unescaped.
    """
    size = len(body.encode("utf-8"))
    if size > max_bytes:
        raise ExportError(f"the HTML is {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB)")
    lowered = body.lower()
    for marker in ('<script src="http', "<script src='http", '<link rel="stylesheet" href="http'):
        if marker in lowered:
            raise ExportError(f"the HTML fetches from the network ({marker}...)")
    finder = _ScriptFinder()
    finder.feed(body)
    finder.close()
    if finder.found:
        raise ExportError(f"the HTML contains {finder.found}: unescaped text from data?")


class _ScriptFinder(HTMLParser):
    """Notes the first ``<script>`` element or ``on...=`` event-handler attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found:
            return
        if tag == "script":
            self.found = "a <script> element"
        handlers = [name for name, _ in attrs if name.startswith("on")]
        if handlers and not self.found:
            self.found = f"an event handler ({handlers[0]}= on <{tag}>)"


def export_html(notebook_path: Path, html_path: Path, title: str | None = None) -> dict[str, Any]:
    """Write ``notebook_path`` as HTML to ``html_path``, checked by :func:`check_html`.

    Returns ``{"bytes": size, "images": count}``.
    """
    nb = nbformat.read(str(notebook_path), as_version=4)
    body = notebook_to_html(nb, title)
    check_html(body)
    Path(html_path).write_text(body, encoding="utf-8")
    return {"bytes": len(body.encode("utf-8")), "images": body.count('src="data:image/')}
