"""The researcher's worksheet: the top suppliers by spend, to confirm or correct by hand.

Columns: ``supplier_key``, ``supplier_name``, ``total_spend_gbp`` (decimal string), ``rows``,
the current classification as ``current_org_type``/``current_vcse_form``/``current_size``/
``current_locality`` with their evidence and confidence, then blank columns for the researcher:
``confirmed`` (y when the current values are right), ``org_type``, ``vcse_form``, ``size``,
``locality``, ``override_postcode``, ``organisation_key`` (undo or force a merge; the row's
``merged_names`` lists the spellings merged into it), ``note``. Where ``kil resolve`` found
candidates, the proposal columns
(:data:`~kil_analysis.enrich.proposals.WORKSHEET_PROPOSAL_COLUMNS`: service, org-id, name, score,
similarity, match flag, proposed org type / VCSE form / postcode / locality, other candidates, a
``suggestion``) sit before them, and ``accept_proposal`` (y or n) is the researcher's decision.
Saved back (as CSV) it is an overrides file — see :mod:`kil_analysis.enrich.overrides`. Every
text cell that a spreadsheet would run as a formula (= + - @, full-width forms too) is prefixed
with ``'`` (`kil_analysis.readers.formulas`); reading undoes this.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kil_analysis.enrich.overrides import OVERRIDE_FIELDS, RESEARCHER_IDS, read_overrides
from kil_analysis.enrich.proposals import WORKSHEET_PROPOSAL_COLUMNS, best_proposals
from kil_analysis.readers.atomic import atomic_write
from kil_analysis.readers.formulas import neutralise

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
    "postcode",
    "merged_names",
    *WORKSHEET_PROPOSAL_COLUMNS,
    "confirmed",
    *OVERRIDE_FIELDS,
    *RESEARCHER_IDS,
    "note",
]


def _pounds(pence: pd.Series) -> pd.Series:
    p = pd.to_numeric(pence, errors="coerce").fillna(0).astype("int64")
    sign = p.map(lambda v: "-" if v < 0 else "")
    a = p.abs()
    return sign + (a // 100).astype(str) + "." + (a % 100).astype(str).str.zfill(2)


def build_worksheet(
    suppliers: pd.DataFrame,
    top: int = 300,
    overrides: pd.DataFrame | None = None,
    proposals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Top ``top`` suppliers by total spend (pence) with blank columns to confirm or correct.

    Existing ``overrides`` are pre-filled into the researcher's columns so nothing is lost when
    the worksheet is regenerated. Redacted suppliers (individuals by redaction) are left out.
    ``proposals`` (from ``kil resolve``): each supplier's best candidate fills the proposal
    columns, and suppliers with a proposal are listed even below the top ``top``; an earlier
    decision on the same proposal (same org-id) is pre-filled in ``accept_proposal``.
    """
    s = suppliers.copy()
    if "total_pence" not in s:
        s["total_pence"] = 0
    if "rows" not in s:
        s["rows"] = 0
    redacted = s["org_type_evidence"].eq("redacted")
    s = s[~redacted].sort_values(["total_pence", "supplier_key"], ascending=[False, True])
    best = best_proposals(proposals)
    in_top = np.arange(len(s)) < top
    s = s[in_top | s["supplier_key"].isin(best["supplier_key"]).to_numpy()]
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
            "postcode": s["postcode"],
            "merged_names": s["merged_names"] if "merged_names" in s else None,
            "confirmed": "",
        }
    )
    for field in (*OVERRIDE_FIELDS, *RESEARCHER_IDS, "note"):
        ws[field] = ""
    ws = ws.merge(best, on="supplier_key", how="left")
    ws[WORKSHEET_PROPOSAL_COLUMNS] = ws[WORKSHEET_PROPOSAL_COLUMNS].fillna("")
    if overrides is not None and not overrides.empty:
        ov = overrides.set_index("supplier_key")
        for field in (*OVERRIDE_FIELDS, "organisation_key", "note"):
            if field in ov:
                ws[field] = ws["supplier_key"].map(ov[field]).astype(object).fillna("")
        if "proposal_decision" in ov:
            same = ws["supplier_key"].map(ov["proposal_id"]).eq(ws["proposal_id"])
            decision = ws["supplier_key"].map(ov["proposal_decision"])
            choice = ws["supplier_key"].map(ov["proposal_choice"]).astype(object)
            earlier = decision.map({"accepted": "y", "rejected": "n"}).astype(object)
            other = decision.eq("accepted") & choice.ne(ws["proposal_id"]) & choice.notna()
            still = pd.Series(  # a candidate chosen earlier and still among the others
                [
                    str(c) in str(o).split()
                    for c, o in zip(choice, ws["other_candidates"], strict=True)
                ],
                index=ws.index,
            )
            earlier = earlier.where(~other, choice.where(still, None))
            ws["accept_proposal"] = earlier.where(same & earlier.notna(), ws["accept_proposal"])
    return ws[WORKSHEET_COLUMNS].reset_index(drop=True)


def write_worksheet(worksheet: pd.DataFrame, path: Path) -> Path:
    """Write the worksheet CSV (UTF-8 with BOM for spreadsheets), neutralised, atomically.

    Only ``.csv`` is written (the saved sheet is read back as an overrides CSV); any other
    suffix raises ValueError naming the path, rather than writing CSV text under that name.
    """
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise ValueError(
            f"{path}: the worksheet is written as CSV so that it can be read back as overrides;"
            " give a path ending in .csv"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = worksheet.apply(neutralise)
    atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))
    return path


def read_worksheet(path: Path) -> pd.DataFrame:
    """Read a saved worksheet as overrides (the same as :func:`read_overrides`)."""
    return read_overrides(path)
