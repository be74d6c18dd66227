"""Writing an ingest's three outputs together: spend.parquet, rejects.csv, ingest_report.json.

All three are written to temporary names first and renamed into place only when every one was
written (`kil_analysis.readers.publish.publish_together`), so a full disk or a crash never
leaves a new table beside a report that describes another one. ``rejects.csv`` is for people
to open in a spreadsheet: its text cells are neutralised so no published value runs as a
formula (`kil_analysis.readers.formulas`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kil_analysis.readers.formulas import neutralise
from kil_analysis.readers.publish import (
    REJECTS_FILE,
    REPORT_FILE,
    SPEND_FILE,
    publish_together,
    published_outputs,
)

if TYPE_CHECKING:
    from kil_analysis.readers.spend.reader import IngestResult


def write_outputs(result: IngestResult, out_dir: Path) -> dict[str, Path]:
    """Write the spend table, rejects and report into ``out_dir``; returns the paths written.

    The report written (and ``result.report``) gains ``outputs``: each table file's SHA-256.
    Nothing is written when ``out_dir`` already holds these very outputs (a re-run on unchanged
    files, `publish.published_outputs`): the report then gains the recorded ``outputs``.
    """
    out_dir = Path(out_dir)
    names = [SPEND_FILE, REJECTS_FILE]
    if (recorded := published_outputs(out_dir, names, result.report)) is not None:
        result.report["outputs"] = recorded
        return {name: out_dir / name for name in [*names, REPORT_FILE]}
    rejects = result.rejects.apply(neutralise)
    return publish_together(
        Path(out_dir),
        {
            SPEND_FILE: lambda p: result.spend.to_parquet(p, index=False),
            REJECTS_FILE: lambda p: rejects.to_csv(p, index=False),
        },
        result.report,
    )
