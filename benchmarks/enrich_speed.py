"""Enrichment time for one council's five years with every shared register loaded.

Run: .venv/bin/python benchmarks/enrich_speed.py

Newcastle's shared files (raw 2017-01 … 2020-07 and the re-published 2020-08 … 2022-08, with
the 2010 month: about five and a half years of payments) are ingested once; then, each stage in
a fresh process with its own empty data folder (so the register cache starts cold):

1. cold — load every shared register (converting each to Parquet), convert the packaged ONS
   Postcode Directory, enrich;
2. warm — the same again, registers and postcode directory read from the cache.

Target: warm enrichment (registers loaded from cache + enrich) under 20 s on 2 cores.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stage(data_dir: str, spend_path: str) -> dict[str, float]:
    """Load registers and enrich the spend table; seconds per step and peak RSS."""
    os.environ["KIL_DATA_DIR"] = data_dir
    import pandas as pd

    from kil_analysis.config import load_council
    from kil_analysis.enrich import load_registers
    from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
    from kil_analysis.paths import shared_data_dir

    root = shared_data_dir()
    spend = pd.read_parquet(spend_path)
    t0 = time.perf_counter()
    registers = load_registers(root / "registers", root / "lookups")
    t1 = time.perf_counter()
    suppliers, merges = enrich_suppliers_and_merges(spend, load_council("newcastle"), registers)
    t2 = time.perf_counter()
    return {
        "load_registers_s": round(t1 - t0, 1),
        "enrich_s": round(t2 - t1, 1),
        "total_s": round(t2 - t0, 1),
        "suppliers": len(suppliers),
        "merges": int((merges["rule"] != "kept").sum()),
        "peak_mb": round(_peak_mb()),
    }


def main() -> int:
    from kil_analysis.paths import shared_data_dir
    from kil_analysis.readers.spend import ingest_spend

    root = shared_data_dir()
    folders = [root / "spend/newcastle/raw", root / "spend/newcastle/odileeds_clean"]
    if not all(f.is_dir() for f in folders):
        print(f"skipped: {folders[0]} not available")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        spend = ingest_spend(folders).spend
        path = Path(tmp) / "spend.parquet"
        spend.to_parquet(path)
        dates = spend["payment_date"]
        print(
            f"ingested {len(spend):,} payment lines, {dates.min():%Y-%m} … {dates.max():%Y-%m}, "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        data_dir = Path(tmp) / "data"
        for label in ("cold", "warm"):
            with ProcessPoolExecutor(max_workers=1) as pool:
                result = pool.submit(stage, str(data_dir), str(path)).result()
            print(f"{label}: {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
