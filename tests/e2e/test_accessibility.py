"""The case-study reports in headless Chromium as a reader on a phone sees them: axe-core finds
no serious or critical accessibility violation, and the first screen at phone width (390 px)
shows the title, the demo/real label and the first finding.

Reports built: the demo case study (Bristol's layout) and, when ``../shared/data`` is there,
Newcastle's real published files. axe-core comes from npm (``package.json``, installed by
``make install``); Chromium from Debian (``.ci/run``). Without either the test skips with the
reason. Screenshots are saved as ``<slug>-390.png`` in the test's temporary folder.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kil_analysis.paths import PROJECT_ROOT
from tests.e2e.test_browser import _chromium, devtools_page

pytestmark = pytest.mark.slow

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
BLOCKING = ("serious", "critical")

# What the first screen must hold, read from the DOM at the phone viewport: the title (h1),
# the label saying what the data is, and the first finding (the first sentence after it).
FIRST_SCREEN = """
(() => {
  const box = (el) => el ? {text: el.innerText.trim(), top: el.getBoundingClientRect().top,
    bottom: el.getBoundingClientRect().bottom, right: el.getBoundingClientRect().right} : null;
  const paragraphs = Array.from(document.querySelectorAll('.jp-RenderedMarkdown p'));
  const label = paragraphs.find(p => /^(Demo data|Published data)\\./.test(p.innerText.trim()));
  const after = label ? paragraphs.slice(paragraphs.indexOf(label) + 1) : [];
  return {h1: box(document.querySelector('h1')), label: box(label), finding: box(after[0]),
          height: window.innerHeight, width: window.innerWidth};
})()
"""
AXE_RUN = """
axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
  target: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))
"""


def _kil(*args: str, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kil_analysis", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """slug → index.html of each case study built for the check."""
    _chromium()
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed ({AXE.relative_to(PROJECT_ROOT)}): run `make install`")
    root = tmp_path_factory.mktemp("a11y")
    env = {**os.environ, "KIL_DATA_DIR": str(root / "data"), "KIL_REPORTS_DIR": str(root / "r")}
    _kil("demo", env=env)
    _kil("report", "bristol", "--demo", env=env)
    built = {"bristol-demo": root / "r" / "bristol" / "index.html"}
    from kil_analysis.paths import shared_data_dir

    raw = shared_data_dir() / "spend" / "newcastle" / "raw"
    if raw.is_dir():
        _kil("report", "newcastle", "--data", str(raw), env=env)
        built["newcastle-published"] = root / "r" / "newcastle" / "index.html"
    return built


def _open_at_phone_width(page: Path, profile: Path, screenshot: Path) -> dict:
    """Open ``page`` at 390 px, run axe and read the first screen; save a screenshot."""
    with devtools_page(_chromium(), profile, timeout=60) as tools:
        tools.call("Page.enable")
        tools.call("Emulation.setDeviceMetricsOverride", **PHONE)
        tools.call("Page.navigate", url=page.as_uri())
        tools.wait_for("Page.loadEventFired", 30)
        first = tools.evaluate(FIRST_SCREEN)
        shot = tools.call("Page.captureScreenshot", format="png")["data"]
        screenshot.write_bytes(base64.b64decode(shot))
        tools.evaluate(AXE.read_text(encoding="utf-8"))
        result = tools.call(
            "Runtime.evaluate", expression=AXE_RUN, awaitPromise=True, returnByValue=True
        )
        violations = result["result"].get("value")
    return {"first": first, "violations": violations}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="module")
def seen(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    shots = tmp_path_factory.mktemp("screens")
    out = {}
    for name, page in reports.items():
        screenshot = shots / f"{name}-390.png"
        out[name] = _open_at_phone_width(page, shots / f"profile-{name}", screenshot)
        out[name]["screenshot"] = screenshot
    return out


def test_no_serious_or_critical_accessibility_violations(seen: dict[str, dict]):
    for name, result in seen.items():
        assert result["violations"] is not None, f"{name}: axe did not run"
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
        assert blocking == [], f"{name}: {json.dumps(blocking, indent=1)}"


def test_first_screen_at_phone_width_shows_title_label_and_first_finding(seen: dict[str, dict]):
    for name, result in seen.items():
        first = result["first"]
        assert first["width"] == PHONE["width"], name
        assert _png_size(result["screenshot"]) == (PHONE["width"], PHONE["height"])
        for part in ("h1", "label", "finding"):
            box = first[part]
            assert box is not None, f"{name}: no {part} on the page"
            assert 0 <= box["top"] and box["bottom"] <= first["height"], (name, part, box)
            assert box["right"] <= first["width"] + 1, (name, part, box)
        assert first["h1"]["text"].startswith("Keep it Local case study: ")
        demo = name.endswith("-demo")
        assert ("DEMO DATA" in first["h1"]["text"]) is demo
        assert first["label"]["text"].startswith("Demo data." if demo else "Published data.")
        assert (
            first["finding"]["text"].startswith("In 20") and " of spend" in first["finding"]["text"]
        )
