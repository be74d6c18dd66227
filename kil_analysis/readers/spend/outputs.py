"""Writing an ingest's three outputs atomically: spend.parquet, rejects.csv, ingest_report.json.

Each file is written to a temporary name in the same folder and renamed into place, so a crash
never leaves a half-written table beside a report that describes a different one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from kil_analysis.readers.atomic import atomic_write

if TYPE_CHECKING:
    from kil_analysis.readers.spend.reader import IngestResult

SPEND_FILE = "spend.parquet"
REJECTS_FILE = "rejects.csv"
REPORT_FILE = "ingest_report.json"


def write_outputs(result: IngestResult, out_dir: Path) -> dict[str, Path]:
    """Write the spend table, rejects and report into ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {
        "spend": out_dir / SPEND_FILE,
        "rejects": out_dir / REJECTS_FILE,
        "report": out_dir / REPORT_FILE,
    }
    atomic_write(written["spend"], lambda p: result.spend.to_parquet(p, index=False))
    atomic_write(written["rejects"], lambda p: result.rejects.to_csv(p, index=False))
    text = json.dumps(result.report, indent=2, ensure_ascii=False)
    atomic_write(written["report"], lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))
    return written
