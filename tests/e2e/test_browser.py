"""Reports opened in headless Chromium: no console errors, nothing fetched from the network,
and no script runs from hostile council or supplier names. Skipped when Chromium is absent.

The browser is driven over the DevTools protocol (with ``websocket-client``, already installed
as a Jupyter dependency); without it, Chromium's console log on stderr is checked instead.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import json
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kil_analysis.readers import atomic
from kil_analysis.reporting import publish
from kil_analysis.reporting.html import notebook_to_html
from kil_analysis.reporting.index import write_index
from tests.unit.test_reporting_support import HEADLINE, NAMES, XSS_IMG, XSS_SCRIPT

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.skip("no Chromium installed (apt-get install chromium) to open the reports in")


class DevTools:
    """A minimal DevTools-protocol client for one page: navigate, collect events, evaluate."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)[
            "result"
        ].get("value")

    def wait_for(self, event: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                message = json.loads(self.ws.recv())
            except Exception:  # noqa: BLE001 - websocket timeout
                return
            self.events.append(message)
            if message.get("method") == event:
                return

    def drain(self, seconds: float) -> None:
        self.wait_for("never.happens", seconds)


@contextmanager
def devtools_page(browser: str, profile: Path, timeout: float = 20) -> Iterator[DevTools]:
    """Headless Chromium with one blank page, driven over the DevTools protocol; the browser
    is closed afterwards. ``timeout`` is seconds per protocol message."""
    import websocket

    proc = subprocess.Popen(
        [
            browser,
            *CHROMIUM_FLAGS,
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("Chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = [t for t in json.load(resp) if t.get("type") == "page"]
        ws = websocket.create_connection(
            targets[0]["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True
        )
        try:
            yield DevTools(ws)
        finally:
            ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _open_with_devtools(browser: str, page: Path, profile: Path) -> dict:
    with devtools_page(browser, profile) as tools:
        for domain in ("Runtime", "Log", "Network", "Page"):
            tools.call(f"{domain}.enable")
        tools.call("Page.navigate", url=page.as_uri())
        tools.wait_for("Page.loadEventFired", 20)
        tools.drain(0.5)
        xss = tools.evaluate("typeof window.__xss")
        title = tools.evaluate("document.title")
        images = tools.evaluate(
            "Array.from(document.images).filter(i => i.naturalWidth > 0).length"
        )
    errors, requests = [], []
    for e in tools.events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(json.dumps(params.get("args")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            requests.append(params["request"]["url"])
    return {
        "errors": errors,
        "external_requests": [u for u in requests if not u.startswith(("file:", "data:"))],
        "xss": xss,
        "title": title,
        "images": images,
    }


def _open_with_console_log(browser: str, page: Path, profile: Path) -> dict:
    done = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            f"--user-data-dir={profile}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    errors = [line for line in done.stderr.splitlines() if "Uncaught" in line or "CONSOLE" in line]
    dom = done.stdout
    return {
        "errors": errors,
        "external_requests": [],
        # Without DevTools, look for elements a hostile name would have injected.
        "xss": "maybe" if re.search(r"<script|<img[^>]*\sonerror=", dom) else "undefined",
        "title": None,
        "images": None,
    }


def open_in_chromium(page: Path, profile: Path) -> dict:
    browser = _chromium()
    try:
        import websocket  # noqa: F401
    except ImportError:
        return _open_with_console_log(browser, page, profile)
    return _open_with_devtools(browser, page, profile)


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2), dpi=60)
    ax.bar(["2022/23", "2023/24"], [101.5, 123.5])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A council report (exported as the runner exports it) and an index, both full of
    hostile names, escaped the way the notebook's narrative helper and the index escape them."""
    import pandas as pd

    root = tmp_path_factory.mktemp("browser")
    table = pd.DataFrame({"supplier": [XSS_SCRIPT, XSS_IMG], "spend_gbp": [1.5, 2.5]})
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Case study"),
            new_code_cell(
                "display(Markdown(text))",
                outputs=[
                    new_output(
                        "display_data",
                        data={
                            "text/markdown": f"Top supplier: **{html_lib.escape(XSS_IMG)}**",
                            "text/plain": "<IPython.core.display.Markdown object>",
                        },
                    )
                ],
            ),
            new_code_cell(
                "chart",
                outputs=[new_output("display_data", data={"image/png": _png(), "text/plain": "F"})],
            ),
            new_code_cell(
                "table",
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/html": table.to_html(), "text/plain": "table"},
                        execution_count=3,
                    )
                ],
            ),
        ]
    )
    nbformat.validate(nb)
    report = root / "reports" / "alpha" / "index.html"
    report.parent.mkdir(parents=True)
    report.write_text(notebook_to_html(nb, title=f"{NAMES['alpha']} (demo data)"), "utf-8")
    atomic.write_json_atomic(
        report.parent / "summary.json",
        {"council": "alpha", "council_name": NAMES["alpha"], "is_demo": True, "headline": HEADLINE},
    )
    publish.record_failure(root / "reports" / "beta", "beta", f"execute failed: {XSS_IMG}")
    index = write_index(root / "reports", {"gamma": XSS_SCRIPT})
    return {"report": report, "index": index}


@pytest.mark.parametrize("which", ["report", "index"])
def test_page_opens_offline_without_console_errors_or_injected_script(
    pages: dict[str, Path], which: str, tmp_path: Path
):
    seen = open_in_chromium(pages[which], tmp_path / "profile")
    assert seen["errors"] == []
    assert seen["external_requests"] == []
    assert seen["xss"] == "undefined"  # neither <script> nor onerror from a name ran
    if seen["title"] is not None:
        expected = NAMES["alpha"] if which == "report" else "Keep it Local case studies"
        assert expected in seen["title"]
    if which == "report" and seen["images"] is not None:
        assert seen["images"] == 1  # the embedded chart decodes
