"""Faults a user meets with `kil report`, reproduced: Ctrl-C and a killed batch mid-run, a
reports folder that is read-only or a file. Each must end in one line, leave no process, no
staging folder and no half-published report behind.

The interrupt tests run the real case-study notebook on the demo data with `--jobs 2` and
stop the batch while both councils' notebooks are executing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kil_analysis.paths import PROJECT_ROOT
from kil_analysis.reporting.publish import remove_stale_staging

pytestmark = pytest.mark.slow
KIL = [sys.executable, "-m", "kil_analysis"]


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _wait_for(condition, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture()
def running_batch(demo_data: Path, tmp_path: Path):
    """`kil --quiet report --all --demo --jobs 2`, started in its own process group and
    returned once both councils' notebooks are executing (kernels started)."""
    reports = tmp_path / "reports"
    env = {**os.environ, "KIL_REPORTS_DIR": str(reports)}
    proc = subprocess.Popen(
        [*KIL, "--quiet", "report", "--all", "--demo", "--jobs", "2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def both_executing() -> bool:
        # the executed notebook is written only at the end, so a run shows as its staging folder
        staged = [p for p in reports.glob(".staging-*") if p.is_dir()]
        return len(staged) >= 2 and len(_children(proc.pid)) >= 4  # 2 workers + 2 kernels

    try:
        assert _wait_for(both_executing, 120), "the batch never started two notebooks"
        # Kernels are running cells now; a demo report takes a few seconds more, so stop soon
        # (a longer wait let a fast machine finish the batch before the signal).
        time.sleep(0.5)
        assert proc.poll() is None, "the batch finished before it could be stopped"
        yield proc, reports, _children(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _nothing_left(reports: Path, processes: set[int]) -> None:
    assert _wait_for(lambda: not _alive(processes), 30), f"still running: {_alive(processes)}"
    assert not list(reports.glob(".staging-*")), "staging folders left behind"
    time.sleep(3)  # long enough for a straggler to try to publish
    assert not list(reports.glob("*/index.html")), "a report was published after the stop"
    assert not list(reports.glob("*/failed.json")), "a failure was recorded after the stop"


def test_ctrl_c_prints_one_line_and_stops_every_worker_and_kernel(running_batch):
    proc, reports, processes = running_batch
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["kil report: interrupted"], err
    _nothing_left(reports, processes)
    assert not list(reports.glob(".batch-*")), "the batch's lease was not dropped"


def test_killed_batch_leaves_no_worker_and_publishes_nothing(running_batch):
    proc, reports, processes = running_batch
    os.kill(proc.pid, signal.SIGKILL)  # the parent alone: no chance to clean up
    proc.wait(timeout=30)
    _nothing_left(reports, processes)
    leases = list(reports.glob(".batch-*"))
    assert len(leases) == 1  # the dead batch's lease; the next batch sweeps it
    assert remove_stale_staging(reports) == leases and not list(reports.glob(".batch-*"))


DROP_ROOT_OVERRIDE = [  # root ignores permission bits unless these capabilities are dropped
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search",
    "--inh-caps=-dac_override,-dac_read_search",
]


def _run_without_override(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``kil`` so that permission bits apply (for root: without CAP_DAC_OVERRIDE)."""
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip(
                "running as root without setpriv (util-linux): cannot make a folder read-only"
            )
        prefix = DROP_ROOT_OVERRIDE
    return subprocess.run(
        [*prefix, *KIL, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture()
def open_folder():
    """A scratch folder, made writable again afterwards so it can be removed."""
    folder = Path(tempfile.mkdtemp(prefix="kil-faults-"))
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def _unwritable(target: Path, shape: str) -> Path:
    """``target`` made a file, or a read-only folder."""
    if shape == "file":
        target.write_text("not a folder")
    else:
        target.mkdir()
        target.chmod(0o555)
    return target


@pytest.mark.parametrize("shape", ["read-only folder", "file"])
@pytest.mark.parametrize("how", ["--out", "KIL_REPORTS_DIR"])
def test_unwritable_reports_folder_is_one_line(demo_data: Path, open_folder: Path, shape, how):
    target = _unwritable(open_folder / "reports", shape)
    env = dict(os.environ)
    args = ["report", "--all", "--demo"]
    if how == "--out":
        args += ["--out", str(target)]
    else:
        env["KIL_REPORTS_DIR"] = str(target)
    done = _run_without_override(args, env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    expected = "is a file, not a folder" if shape == "file" else "cannot write in"
    assert lines[0].startswith("kil report: ") and expected in lines[0] and str(target) in lines[0]


@pytest.mark.parametrize("shape", ["read-only folder", "file"])
def test_unwritable_demo_out_is_one_line(open_folder: Path, shape):
    target = _unwritable(open_folder / "demo", shape)
    done = _run_without_override(["demo", "--out", str(target)], dict(os.environ))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kil demo: ") and str(target) in lines[0]
