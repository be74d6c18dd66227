"""Caches filled by several processes at once (two reports converting one register)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import sys, time
from pathlib import Path
from kil_analysis.readers.atomic import build_once

out, log = Path(sys.argv[1]), Path(sys.argv[2])

def build(target):
    with log.open("a") as fh:
        fh.write("built\\n")
    time.sleep(0.5)  # long enough for the other process to arrive while this one builds
    tmp = target.with_suffix(".part")  # the same temporary name in both processes
    tmp.write_text("register rows")
    tmp.replace(target)

print(build_once(out, build).read_text())
"""


def test_two_processes_asking_at_once_build_the_cache_once(tmp_path: Path) -> None:
    out, log = tmp_path / "cache" / "companies.parquet", tmp_path / "log.txt"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(out), str(log)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [o[0].strip() for o in outputs] == ["register rows", "register rows"]
    assert log.read_text().splitlines() == ["built"]  # the second waited and found it built
