"""The researcher's worksheet: the top suppliers by spend, to confirm or correct by hand.

Columns: ``supplier_key``, ``supplier_name``, ``total_spend_gbp`` (decimal string), ``rows``,
the current classification as ``current_org_type``/``current_vcse_form``/``current_size``/
``current_locality`` with their evidence and confidence, ``current_postcode`` and
``merged_names`` (the spellings merged into the row), then blank columns for the researcher:
``confirmed`` (y when the current values are right), ``org_type``, ``vcse_form``, ``size``,
``locality``, ``postcode``, ``organisation_key`` (undo or force a merge), ``note``. Saved back
(as CSV) it is an overrides file — see
:mod:`kil_analysis.enrich.overrides`. Every text cell that starts with = + - @ is prefixed with
``'`` so the CSV cannot run formulas when opened in a spreadsheet; reading undoes this.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.enrich.overrides import (
    EXTRA_FIELDS,
    OVERRIDE_FIELDS,
    neutralise,
    read_overrides,
)
from kil_analysis.readers.atomic import atomic_write

WORKSHEET_COLUMNS = [
    "supplier_key",
    "supplier_name",
    "total_spend_gbp",
    "rows",
    "current_org_type",
    "current_vcse_form",
    "org_type_evidence",
    "org_type_confidence",
    "current_size",
    "size_evidence",
    "current_locality",
    "locality_evidence",
    "current_postcode",
    "merged_names",
    "confirmed",
    *OVERRIDE_FIELDS,
    *EXTRA_FIELDS,
    "note",
]


def _pounds(pence: pd.Series) -> pd.Series:
    p = pd.to_numeric(pence, errors="coerce").fillna(0).astype("int64")
    sign = p.map(lambda v: "-" if v < 0 else "")
    a = p.abs()
    return sign + (a // 100).astype(str) + "." + (a % 100).astype(str).str.zfill(2)


def build_worksheet(
    suppliers: pd.DataFrame, top: int = 300, overrides: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Top ``top`` suppliers by total spend (pence) with blank columns to confirm or correct.

    Existing ``overrides`` are pre-filled into the researcher's columns so nothing is lost when
    the worksheet is regenerated. Redacted suppliers (individuals by redaction) are left out.
    """
    s = suppliers.copy()
    if "total_pence" not in s:
        s["total_pence"] = 0
    if "rows" not in s:
        s["rows"] = 0
    redacted = s["org_type_evidence"].eq("redacted")
    s = s[~redacted].sort_values(["total_pence", "supplier_key"], ascending=[False, True]).head(top)
    ws = pd.DataFrame(
        {
            "supplier_key": s["supplier_key"],
            "supplier_name": s["supplier_name"],
            "total_spend_gbp": _pounds(s["total_pence"]),
            "rows": s["rows"],
            "current_org_type": s["org_type"],
            "current_vcse_form": s["vcse_form"],
            "org_type_evidence": s["org_type_evidence"],
            "org_type_confidence": s["org_type_confidence"],
            "current_size": s["size"],
            "size_evidence": s["size_evidence"],
            "current_locality": s["locality"],
            "locality_evidence": s["locality_evidence"],
            "current_postcode": s["postcode"],
            "merged_names": s["merged_names"] if "merged_names" in s else None,
            "confirmed": "",
        }
    )
    for field in (*OVERRIDE_FIELDS, *EXTRA_FIELDS, "note"):
        ws[field] = ""
    if overrides is not None and not overrides.empty:
        ov = overrides.set_index("supplier_key")
        for field in (*OVERRIDE_FIELDS, *EXTRA_FIELDS, "note"):
            if field in ov:
                ws[field] = ws["supplier_key"].map(ov[field]).fillna("")
    return ws[WORKSHEET_COLUMNS].reset_index(drop=True)


def write_worksheet(worksheet: pd.DataFrame, path: Path) -> Path:
    """Write the worksheet CSV (UTF-8 with BOM for spreadsheets), neutralised, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = worksheet.apply(neutralise)
    atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))
    return path


def read_worksheet(path: Path) -> pd.DataFrame:
    """Read a saved worksheet as overrides (the same as :func:`read_overrides`)."""
    return read_overrides(path)
