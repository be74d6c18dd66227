"""Compare ``kil ingest`` outputs of this checkout with another source tree's, council by council.

Runs ``python -m kil_analysis ingest <folder> --out <tmp> --no-cache`` on each council folder
under ``<data>/spend/`` twice: once with ``--base`` (another kil source tree, e.g. main exported
by ``git archive main | tar -x -C /tmp/kil_base``) first on ``PYTHONPATH``, once with this
checkout. Prints, per council, whether ``spend.parquet``, ``rejects.csv`` and
``ingest_report.json`` are byte-identical; where the Parquet bytes differ it says whether the
tables read back equal row for row and column for column (same schema and schema metadata,
pandas' included; same values, same order).

    .venv/bin/python benchmarks/compare_ingest.py --base /tmp/kil_base [--data ../shared/data]

Exit status 0 when every council's outputs are byte- or row-identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from kil_analysis.paths import shared_data_dir

HERE = Path(__file__).resolve().parents[1]


def _ingest(tree: Path, folder: Path, out: Path) -> int:
    """Run one tree's ``kil ingest`` on ``folder`` into ``out``; returns the exit status.

    The process runs in ``tree`` as well as with it on ``PYTHONPATH``: ``python -m`` puts the
    current folder first on ``sys.path``, so run from another checkout it would import that
    checkout's package instead (and compare a tree with itself).
    """
    env = dict(os.environ, PYTHONPATH=str(tree))
    command = [
        *(sys.executable, "-m", "kil_analysis", "ingest"),
        *(str(folder.resolve()), "--out", str(out.resolve()), "--no-cache"),
    ]
    run = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 3):
        print(f"  {tree}: exit {run.returncode}: {run.stderr.strip()[-400:]}")
    return run.returncode


def _report_without_outputs(path: Path) -> dict:
    """The ingest report minus its ``outputs`` checksums (they follow the Parquet bytes)."""
    report = json.loads(path.read_text(encoding="utf-8"))
    report.pop("outputs", None)
    return report


def compare(base: Path, data: Path) -> bool:
    """Print each council's comparison; True when every output matches."""
    same_everywhere = True
    for folder in sorted(p for p in (data / "spend").iterdir() if p.is_dir()):
        with tempfile.TemporaryDirectory() as tmp:
            old, new = Path(tmp) / "base", Path(tmp) / "new"
            codes = (_ingest(base, folder, old), _ingest(HERE, folder, new))
            lines = [f"{folder.name}: exit {codes[0]} / {codes[1]}"]
            ok = codes[0] == codes[1]
            for name in ("spend.parquet", "rejects.csv", "ingest_report.json"):
                a, b = old / name, new / name
                if not (a.exists() and b.exists()):
                    lines.append(f"{name} missing")
                    ok = ok and not a.exists() and not b.exists()
                    continue
                if a.read_bytes() == b.read_bytes():
                    lines.append(f"{name} byte-identical")
                elif name == "spend.parquet":
                    ta, tb = pq.read_table(a), pq.read_table(b)
                    equal = ta.equals(tb, check_metadata=True)  # pandas' metadata too
                    lines.append(f"{name} {'row-identical' if equal else 'DIFFERS'}")
                    ok = ok and equal
                elif name == "ingest_report.json":
                    equal = _report_without_outputs(a) == _report_without_outputs(b)
                    lines.append(f"{name} {'same but outputs' if equal else 'DIFFERS'}")
                    ok = ok and equal
                else:
                    lines.append(f"{name} DIFFERS")
                    ok = False
            print(("  " if ok else "! ") + "; ".join(lines), flush=True)
            same_everywhere = same_everywhere and ok
    return same_everywhere


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the kil source tree to match")
    parser.add_argument("--data", type=Path, default=shared_data_dir(), help="../shared/data")
    args = parser.parse_args(argv)
    return 0 if compare(args.base.resolve(), args.data) else 1


if __name__ == "__main__":
    raise SystemExit(main())
