"""`keep_pandas_unloaded` leans on a private pyarrow object; ingest stays right without it.

Each case runs in a fresh process (this one has pandas loaded already, and the hiding is
once per process): with the installed pyarrow, the behaviour relied on holds (pandas hidden,
then seen again by pyarrow's type checks once imported); with the private object gone or
different, as in another pyarrow version, pandas is simply not hidden, and `kil ingest` writes
the same tables (only slower).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

CSV = (
    "Date,Supplier,Amount,Reference\n"
    '01/04/2024,"ACME, LTD",100.00,R1\n'
    "02/04/2024,B LTD,abc,R2\n"
    "03/04/2024,,7.25,R3\n"
)


def _python(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_hidden_pandas_is_seen_again_by_pyarrow_once_imported() -> None:
    code = (
        "import sys\n"
        "import pyarrow as pa\n"
        "from kil_analysis.readers.arrow_text import keep_pandas_unloaded, string_dtype\n"
        "hidden = keep_pandas_unloaded()\n"
        "loaded = 'pandas' in sys.modules\n"
        "pa.array([1, 2])\n"
        "still = 'pandas' in sys.modules\n"
        "import pandas as pd\n"
        "text = pd.Series(['a', None], dtype=string_dtype())\n"
        "ints = pd.Series([1, None], dtype='Int64')\n"
        "print(hidden, loaded, still, pa.array(text).to_pylist(), pa.array(ints).to_pylist(),\n"
        "      pa.table({'x': [1]}).to_pandas()['x'].tolist())\n"
    )
    run = _python(code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split(" ", 3)[:3] == ["True", "False", "False"]  # hidden, not loaded
    assert run.stdout.split(" ", 3)[3].strip() == "['a', None] [1, None] [1]"


@pytest.mark.parametrize(
    "change",
    ["del pyarrow.lib._pandas_api", "pyarrow.lib._pandas_api = object()"],
    ids=["absent", "another-kind"],
)
def test_ingest_is_the_same_when_pyarrows_private_pandas_importer_differs(
    tmp_path: Path, change: str
) -> None:
    folder = tmp_path / "spend"
    folder.mkdir()
    (folder / "2024-04.csv").write_text(CSV, encoding="utf-8")
    pd.DataFrame(
        {"Date": ["01/05/2024", "02/05/2024"], "Supplier": ["C LTD", "D LTD"], "Amount": [2, 3.5]}
    ).to_excel(folder / "2024-05.xlsx", index=False)
    code = (
        "import sys\n"
        "import pyarrow.lib, pyarrow.pandas_compat, pyarrow.feather\n"
        "from kil_analysis.readers.arrow_text import keep_pandas_unloaded\n"
        "if sys.argv[1]:\n"
        "    exec(sys.argv[1])\n"
        "    assert keep_pandas_unloaded() is False\n"
        "from kil_analysis.cli import main\n"
        "sys.exit(main(sys.argv[2:]))\n"
    )
    outputs = {}
    for label, how in (("changed", change), ("as installed", "")):
        for name in ("2024-04.csv", "."):
            out = tmp_path / f"{label}-{name}"
            run = _python(code, how, "ingest", str(folder / name), "--out", str(out))
            assert run.returncode == 0, run.stderr
            report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
            outputs[label, name] = (
                report["totals"],
                pq.read_table(out / "spend.parquet").to_pylist(),
                (out / "rejects.csv").read_text(encoding="utf-8"),
            )
    for name in ("2024-04.csv", "."):
        assert outputs["changed", name] == outputs["as installed", name]
    totals, rows, rejects = outputs["changed", "."]
    assert totals["rows_kept"] == 4 and totals["amount_kept"] == "112.75"
    assert [r["supplier_name"] for r in rows] == ["ACME, LTD", "", "C LTD", "D LTD"]
    assert "unparseable_amount" in rejects
