"""The executed notebook as one offline page: code hidden, images embedded, no script."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kil_analysis.reporting import escaping, html
from tests.unit.test_reporting_support import NAMES, XSS_IMG, XSS_SCRIPT

PNG = (  # 1x1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _notebook_with_outputs() -> nbformat.NotebookNode:
    code = new_code_cell(
        "secret_code_marker = 1",
        outputs=[
            new_output("stream", name="stderr", text="UserWarning: noisy\n"),
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        ],
    )
    removed = new_code_cell("x = 2", outputs=[new_output("stream", name="stdout", text="gone")])
    removed.metadata["tags"] = ["remove-cell"]
    return new_notebook(cells=[new_markdown_cell("# Heading"), code, removed])


def test_html_hides_code_embeds_images_and_loads_nothing_from_the_network():
    body = html.notebook_to_html(_notebook_with_outputs(), title=f"{NAMES['alpha']} (demo data)")
    assert "secret_code_marker" not in body
    assert "UserWarning: noisy" not in body
    assert ">gone<" not in body
    assert 'src="data:image/png;base64,' in body
    assert "<script" not in body  # no require.js, MathJax or Mermaid from a CDN
    assert "<title>Alpha &lt;script&gt;" in body
    html.check_html(body)


def test_check_html_rejects_large_or_networked_pages():
    with pytest.raises(html.ExportError, match="MB"):
        html.check_html("x" * 2000, max_bytes=1000)
    with pytest.raises(html.ExportError, match="network"):
        html.check_html('<script src="https://cdn.example/require.js"></script>')
    for unescaped in (XSS_SCRIPT, XSS_IMG, "<p>Supplier <svg onload=alert(1)></p>"):
        with pytest.raises(html.ExportError, match="unescaped text from data"):
            html.check_html(f"<html><body>{unescaped}</body></html>")
    html.check_html(f"<p>{escaping.text(XSS_IMG)} {escaping.text(XSS_SCRIPT)}</p>")


def test_markdown_with_unescaped_names_fails_the_export(tmp_path: Path):
    nb = new_notebook(cells=[new_markdown_cell(f"# {XSS_IMG}")])
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    with pytest.raises(html.ExportError, match="unescaped"):
        html.export_html(tmp_path / "x.ipynb", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_one_exporter_serves_every_page_of_a_process_each_with_its_own_content():
    """The exporter is built once per process (and warmed while the kernel runs): a page
    exported after another carries only its own title and cells."""
    html.warm_up()
    first = html.notebook_to_html(_notebook_with_outputs(), title="First council")
    second = html.notebook_to_html(
        new_notebook(cells=[new_markdown_cell("# Second heading")]), title="Second council"
    )
    assert "<title>First council</title>" in first and "Warm-up" not in first
    assert "<title>Second council</title>" in second
    assert "Second heading" in second and 'src="data:image/png' not in second
    assert 'id="Heading"' in first and 'id="Heading"' not in second
