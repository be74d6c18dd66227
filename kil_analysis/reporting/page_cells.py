"""nbconvert's last pass over the report page, cell by cell, mostly while the kernel runs.

nbconvert's ``HTMLExporter`` renders the page, then parses all of it with BeautifulSoup to give
images without an ``alt`` nbconvert's placeholder text, make each cell's input wrapper and
output focusable (``tabindex="0"``) and write the page out again: on Newcastle's page, two
thirds of the export, after the kernel has finished. That pass changes nothing across a
cell's edges, so here it is applied to each cell's HTML alone (:func:`cell_pass`) and to the
page around the cells (:func:`page_pass`), and the results are joined: the same bytes, as
long as every cell's HTML is self-contained — each end tag closing an element opened within
the cell, nothing left open, no comment or ``<style>`` running on. A cell that is not
makes :func:`page_pass` do nbconvert's one pass over the whole page instead.

A cell's result depends on its HTML alone, so a :class:`CellCache` filled while the kernel
runs (from the cells finished so far) serves the export of the finished notebook; a cell
whose HTML has changed since (a chart put in place later) is simply done again.
"""

from __future__ import annotations

import threading
from typing import Any

# Put around each cell's HTML by the report template (see reporting.html); never in a page.
CELL_MARK = "<!--kil-cell-edge-7d1e94-->"
# Stands for the cells in the page around them while that is parsed alone.
CELLS_PLACEHOLDER = "kilcellsgohere7d1e94"
WRAPPER = "kil-cell-7d1e94"
# nbconvert's HTMLExporter.from_notebook_node: the text it gives an image with no alt.
MISSING_ALT = "No description has been provided for this image"
# Its selectors; every cell lies inside the page's <body class="jp-Notebook">.
FOCUSABLE_IN_PAGE = (
    ".jp-Notebook div.jp-Cell-inputWrapper",
    ".jp-Notebook div.jp-OutputArea-output",
)
FOCUSABLE_IN_CELL = ("div.jp-Cell-inputWrapper", "div.jp-OutputArea-output")


class CellCache:
    """A cell's HTML -> the same after nbconvert's pass (None: not self-contained).

    Safe to share between the thread that fills it and the one that reads it.
    """

    def __init__(self) -> None:
        """An empty cache."""
        self._done: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def __contains__(self, cell_html: object) -> bool:
        """True when ``cell_html`` has been put through the pass."""
        with self._lock:
            return cell_html in self._done

    def get(self, cell_html: str) -> str | None:
        """The pass's result for ``cell_html``, worked out now if not yet known."""
        with self._lock:
            if cell_html in self._done:
                return self._done[cell_html]
        result = cell_pass(cell_html)
        with self._lock:
            self._done[cell_html] = result
        return result

    def __len__(self) -> int:
        """How many cells' HTML it holds."""
        with self._lock:
            return len(self._done)


def _soup_class() -> type:
    from bs4 import BeautifulSoup

    class CellSoup(BeautifulSoup):
        """BeautifulSoup noting whether every end tag closed an element opened in the cell.

        (BeautifulSoup closes the latest open element of the end tag's name, and the
        elements opened after it: in the cell, if there is one, wherever the cell is.)
        """

        nested = True
        wrapper_closed = False

        def handle_endtag(self, name: str, nsprefix: str | None = None) -> None:
            current = self.currentTag
            if name == WRAPPER:  # nothing of the cell may be left open
                closes_wrapper = current is not None and current.parent is self
                self.wrapper_closed = self.wrapper_closed or closes_wrapper
                self.nested = self.nested and closes_wrapper
            elif not self.open_tag_counter.get(name):
                self.nested = False  # in the page it would close an element around the cell
            super().handle_endtag(name, nsprefix)

    return CellSoup


_CELL_SOUP: list[type] = []


def cell_pass(cell_html: str) -> str | None:
    """``cell_html`` after nbconvert's pass, or None when it is not self-contained.

    Parsed inside a wrapper element of its own, which must be closed by its own end tag with
    every element inside it closed, and no end tag inside it without an element to close.
    """
    if not _CELL_SOUP:
        _CELL_SOUP.append(_soup_class())
    opening, closing = f"<{WRAPPER}>", f"</{WRAPPER}>"
    soup = _CELL_SOUP[0](opening + cell_html + closing, features="html.parser")
    if not (soup.nested and soup.wrapper_closed) or len(soup.contents) != 1:
        return None
    _give_alt_and_focus(soup, FOCUSABLE_IN_CELL)
    out = str(soup)
    if not (out.startswith(opening) and out.endswith(closing)):
        return None
    return out[len(opening) : -len(closing)]


def whole_page_pass(page_html: str) -> str:
    """The page after nbconvert's pass over all of it (``page_html`` without cell marks)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, features="html.parser")
    _give_alt_and_focus(soup, FOCUSABLE_IN_PAGE)
    return str(soup)


def page_pass(marked_html: str, cache: CellCache | None = None) -> str:
    """The page nbconvert writes, from the page rendered with :data:`CELL_MARK` around cells.

    Cells come from ``cache`` where it has them (others are done now); the whole page is
    done in one pass when any cell is not self-contained or the page is not laid out as
    expected (marks unpaired, text between cells, cells outside the ``jp-Notebook`` body).
    """
    parts = marked_html.split(CELL_MARK)
    whole = "".join(parts)
    between = parts[2:-1:2]
    if len(parts) % 2 == 0 or any(between) or CELLS_PLACEHOLDER in whole:
        return whole_page_pass(whole)
    around = _around_cells(parts[0] + CELLS_PLACEHOLDER + parts[-1])
    if around is None:
        return whole_page_pass(whole)
    cache = cache if cache is not None else CellCache()
    cells = [cache.get(cell) for cell in parts[1:-1:2]]
    if any(cell is None for cell in cells):
        return whole_page_pass(whole)
    before, after = around
    return before + "".join(cells) + after  # type: ignore[arg-type]


def _around_cells(skeleton: str) -> tuple[str, str] | None:
    """The page before and after its cells, after the pass (None: not as expected)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(skeleton, features="html.parser")
    spot = soup.find(string=lambda text: CELLS_PLACEHOLDER in text)
    if spot is None or not any("jp-Notebook" in (p.get("class") or []) for p in spot.parents):
        return None
    _give_alt_and_focus(soup, FOCUSABLE_IN_PAGE)
    pieces = str(soup).split(CELLS_PLACEHOLDER)
    return (pieces[0], pieces[1]) if len(pieces) == 2 else None


def _give_alt_and_focus(soup: Any, focusable: tuple[str, ...]) -> None:
    """What nbconvert's HTMLExporter does to the parsed page, in the same order."""
    for element in soup.select("img:not([alt])"):
        element.attrs["alt"] = MISSING_ALT
    for selector in focusable:
        for element in soup.select(selector):
            element.attrs["tabindex"] = "0"
