"""The data-quality panel: what was read, kept and rejected per file, and how well suppliers
could be identified. Tables for people to read; the ingest report stays the record.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def ingest_file_table(report: Mapping) -> pd.DataFrame:
    """One row per published file: rows and pounds read/kept/rejected, encoding, dates."""
    rows = []
    for f in report["files"]:
        rejected = sum((f.get("rows_rejected") or {}).values())
        rows.append(
            {
                "file": str(f["path"]).replace("\\", "/").rsplit("/", 1)[-1],
                "rows read": f["rows_read"],
                "rows kept": f["rows_kept"],
                "rows rejected": rejected,
                "£ read": float(f["amount_read"]),
                "£ rejected": float(f["amount_rejected"]),
                "encoding": f.get("encoding", ""),
                "date formats": ", ".join(f.get("date_formats") or []),
                "first date": f.get("date_min") or "",
                "last date": f.get("date_max") or "",
            }
        )
    return pd.DataFrame(rows)


def files_not_read(report: Mapping) -> pd.DataFrame:
    """Files, ZIP members and sheets that were not read: ``file``, ``status``, ``reason``.

    ``status`` is ``failed`` (it could not be read: the figures leave it out) or ``skipped``
    (not a spend table: a README, links, metadata, a second copy of the same data). Failed
    come first. Empty when everything given was read.
    """
    rows = [
        {"file": str(item["path"]).replace("\\", "/"), "status": status, "reason": item["reason"]}
        for status in ("failed", "skipped")
        for item in report.get(status, [])
    ]
    return pd.DataFrame(rows, columns=["file", "status", "reason"])


def rejects_by_reason(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows per reason, with an example file and line for each."""
    if rejects.empty:
        return pd.DataFrame(columns=["reason", "rows", "example"])
    g = rejects.groupby("reason", sort=True)
    out = g.size().rename("rows").to_frame()
    first = g.first()
    out["example"] = (
        first["source_file"].astype(str).str.rsplit("/", n=1).str[-1]
        + " line "
        + first["source_row"].astype(str)
    )
    return out.reset_index().sort_values("rows", ascending=False, ignore_index=True)


def identification_coverage(spend: pd.DataFrame, suppliers: pd.DataFrame) -> pd.DataFrame:
    """Share of named suppliers and of net spend by how each supplier was identified.

    ``match_method`` comes from the enrichment (register id, exact name, fuzzy, name rule,
    override, none); redacted payments are shown as their own line.
    """
    method = suppliers.set_index("supplier_key")["match_method"].fillna("none")
    s = spend[["supplier_key", "amount_pence", "is_redacted"]]  # not a copy of every column
    s = s.assign(method=spend["supplier_key"].map(method).fillna("none"))
    s.loc[s["is_redacted"], "method"] = "redacted (individual)"
    total = s["amount_pence"].sum()
    out = s.groupby("method").agg(
        suppliers=("supplier_key", "nunique"), spend_pence=("amount_pence", "sum")
    )
    out["share_of_spend"] = out["spend_pence"] / total if total else 0.0
    return out.sort_values("spend_pence", ascending=False).reset_index()


def classification_caveats(spend: pd.DataFrame) -> list[str]:
    """Plain-language caveats on the measures, from the data itself (shares of net spend)."""
    total = spend["amount_pence"].sum()
    if not total:
        return []

    def share(mask: pd.Series) -> float:
        return float(spend.loc[mask, "amount_pence"].sum() / total)

    notes = []
    unknown_type = share(spend["org_type"] == "unknown")
    if unknown_type > 0:
        notes.append(
            f"{unknown_type:.1%} of net spend went to suppliers whose organisation type could "
            "not be established; the VCSE share is a lower bound."
        )
    unknown_place = share((spend["locality"] == "unknown") & ~spend["is_redacted"])
    if unknown_place > 0:
        notes.append(
            f"{unknown_place:.1%} of net spend went to named suppliers with no known location "
            "(or a postcode district shared with a neighbouring council); the local share is a "
            "lower bound."
        )
    redacted = share(spend["is_redacted"])
    if redacted > 0:
        notes.append(
            f"{redacted:.1%} of net spend is redacted (payments to individuals, mostly care); it "
            "is counted in total spend but not attributed to any supplier type or place."
        )
    if "operates_in_area" in spend:
        operates = spend["operates_in_area"].astype("boolean").fillna(False).astype(bool)
        elsewhere = share(operates & spend["locality"].isin(["in_region", "outside"]))
        if elsewhere > 0:
            notes.append(
                f"{elsewhere:.1%} of net spend went to charities registered outside the council's "
                "area whose Charity Commission area of operation names it (registered elsewhere, "
                "operates here). They are not counted as local, so the local share may understate "
                "spend delivered locally."
            )
    return notes
