"""nbconvert's last pass over the report page, done cell by cell: the page must be byte for
byte the one nbconvert's own HTMLExporter writes — whatever the cells hold, self-contained or
not, and whether the cells were put through the pass while the kernel ran or at the end."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kil_analysis.reporting import html
from kil_analysis.reporting.page_cells import CELL_MARK, CellCache

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)


def _stock_page(nb, title):
    """The page as nbconvert's HTMLExporter writes it with the report's template."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file=html.OFFLINE_TEMPLATE_NAME,
        extra_loaders=[DictLoader({html.OFFLINE_TEMPLATE_NAME: html.OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        optimistic_validation=True,
    )
    body, _ = exporter.from_notebook_node(html.prepare_for_html(nb, title))
    return body


def _html_cell(markup):
    cell = new_code_cell("show()")
    cell.outputs = [new_output("display_data", data={"text/html": markup, "text/plain": "x"})]
    return cell


def _report_like_notebook():
    table = (
        "<table><thead><tr><th>Supplier</th><th>£</th></tr></thead><tbody>"
        "<tr><td>St Mary&#39;s &amp; St John&#x27;s C of E</td><td>1,200</td></tr>"
        "<tr><td>O&quot;Brien &lt;Care&gt; Ltd</td><td>&pound;3</td></tr></tbody></table>"
    )
    chart = new_code_cell("chart()")
    chart.outputs = [
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        new_output("stream", name="stdout", text="a & b < c\n"),
        new_output("stream", name="stderr", text="warning\n"),
    ]
    cells = [
        new_markdown_cell("# Newcastle's *spend*\n\nIt's £5m & more <br> <b>bold</b>"),
        new_markdown_cell(f'<div class="note"><img src="data:image/png;base64,{PNG}"></div>'),
        _html_cell(table),
        chart,
        _html_cell(
            f'<figure><img src="data:image/png;base64,{PNG}" alt="A chart"><br>'
            "<figcaption>Source: Newcastle City Council &ndash; 2024</figcaption></figure>"
        ),
        _html_cell("<details><summary>Files</summary><p>one<p>two</details>"),
        new_code_cell("x = 1"),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "kil", "display_name": "kil", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nbformat.from_dict(nb)


def test_the_page_is_nbconverts_byte_for_byte(monkeypatch):
    from kil_analysis.reporting import page_cells

    def whole_page(_page):
        raise AssertionError("every cell here is self-contained: done cell by cell")

    monkeypatch.setattr(page_cells, "whole_page_pass", whole_page)
    nb = _report_like_notebook()
    page = html.notebook_to_html(nb, "Newcastle (real data)")
    assert page == _stock_page(nb, "Newcastle (real data)")
    assert CELL_MARK not in page
    assert 'tabindex="0"' in page and "No description has been provided" in page


@pytest.mark.parametrize(
    "markup",
    [
        "<div><p>a stray end tag</p></div></div>",  # would close the page's own elements
        "<div><p>left open",  # the next cells would be inside it
        "<p>an unclosed comment <!-- swallows the next cells",
        "<style>p { color: red }",  # so does an unclosed style element
        "<div><span>closed out of order</div></span>",
        "</main></body>text after the page",
    ],
)
def test_a_cell_that_is_not_self_contained_still_gives_nbconverts_page(markup):
    nb = _report_like_notebook()
    nb.cells.insert(3, _html_cell(markup))
    assert html.notebook_to_html(nb, "T") == _stock_page(nb, "T")


def test_cells_prepared_while_the_kernel_ran_give_the_same_page():
    nb = _report_like_notebook()
    cache = CellCache()
    running = nbformat.from_dict(nb)
    running.cells = [nbformat.from_dict(c) for c in nb.cells[:5]]
    running.cells[3].outputs = [new_output("display_data", data={"text/html": "<p>Drawing…</p>"})]
    html.prepare_cells(running, cache)
    prepared = len(cache)
    assert prepared == 5
    assert html.notebook_to_html(nb, "T", cache) == _stock_page(nb, "T")
    assert len(cache) == prepared + 3  # the changed cell and the two not yet run, done now
