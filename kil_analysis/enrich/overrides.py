"""The researcher's overrides file: corrections that always win, and are reported as such.

A CSV with ``supplier_key`` plus any of ``org_type``, ``vcse_form``, ``size``, ``locality``,
``postcode``, ``organisation_key`` (force or undo a merge: see :mod:`kil_analysis.enrich.merges`)
and ``note`` (other columns — e.g. the worksheet's ``current_*`` columns — are ignored, so a saved
worksheet *is* an overrides file). Blank cells leave the classification alone. A worksheet row
marked ``confirmed`` (y/yes/x/true) pins the current values shown for its blank cells. Cells
that were neutralised against spreadsheet formula injection (a leading ``'`` before ``= + - @``)
are read back as typed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.schema import LOCALITIES, ORG_TYPES, SIZES

OVERRIDE_FIELDS = ("org_type", "vcse_form", "size", "locality")
# Read by enrichment before classification: a postcode (placed like any other) and the
# organisation a supplier_key belongs to (its own key keeps it apart from automatic merges).
EXTRA_FIELDS = ("postcode", "organisation_key")
ALLOWED = {"org_type": ORG_TYPES, "size": SIZES, "locality": LOCALITIES}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells starting with = + - @ (tab, CR) so spreadsheets show text."""
    s = values.astype(object)
    text = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
    return s.where(~text, "'" + s.astype(str))


def unneutralise(values: pd.Series) -> pd.Series:
    """Undo :func:`neutralise`: drop a leading ``'`` that precedes = + - @ (tab, CR)."""
    s = values.astype(object)
    marked = s.map(
        lambda v: (
            isinstance(v, str) and len(v) > 1 and v[0] == "'" and v[1:].startswith(FORMULA_START)
        )
    )
    return s.where(~marked, s.astype(str).str[1:])


def read_overrides(path: Path) -> pd.DataFrame:
    """Read and validate an overrides CSV (or saved worksheet); one row per supplier_key.

    Raises ValueError naming the file, row and expected values for a bad cell.
    """
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df.apply(unneutralise)
    if "supplier_key" not in df:
        raise ValueError(f"{path}: an overrides file needs a 'supplier_key' column")
    df = df.apply(lambda c: c.str.strip())
    confirmed = df.get("confirmed", pd.Series("", index=df.index)).str.lower()
    confirmed = confirmed.isin(["y", "yes", "x", "true", "1"])
    out = pd.DataFrame({"supplier_key": df["supplier_key"]})
    for field in OVERRIDE_FIELDS:
        value = df.get(field, pd.Series("", index=df.index))
        current = df.get(f"current_{field}", pd.Series("", index=df.index))
        value = value.where((value != "") | ~confirmed, current)
        if field in ALLOWED:
            value = value.str.lower()
            bad = (value != "") & ~value.isin(ALLOWED[field])
            if bad.any():
                row = int(bad.idxmax()) + 2
                raise ValueError(
                    f"{path}: row {row}: {field} {value[bad].iloc[0]!r} is not one of "
                    f"{', '.join(ALLOWED[field])}"
                )
        out[field] = value.replace("", None)
    out["note"] = df.get("note", pd.Series("", index=df.index)).replace("", None)
    for extra in EXTRA_FIELDS:
        out[extra] = df.get(extra, pd.Series("", index=df.index)).replace("", None)
    out = out[out["supplier_key"] != ""]
    has_value = out[[*OVERRIDE_FIELDS, *EXTRA_FIELDS]].notna().any(axis=1)
    return out[has_value].drop_duplicates("supplier_key", keep="last").reset_index(drop=True)


def apply_overrides(suppliers: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """Apply overrides to an enriched supplier table (copy returned).

    Overridden fields get evidence ``override`` (plus the note), confidence 1.0, and the row
    ``overridden`` True. An org_type override to something other than vcse clears vcse_form.
    """
    out = suppliers.copy()
    if "overridden" not in out:
        out["overridden"] = False
    if overrides.empty:
        return out
    ov = overrides.set_index("supplier_key")
    keys = out["supplier_key"]
    hit_any = keys.isin(ov.index)
    note = keys.map(ov["note"]) if "note" in ov else pd.Series(None, index=out.index)
    evidence = ("override: " + note.fillna("")).str.rstrip(": ").where(note.notna(), "override")
    for field in OVERRIDE_FIELDS:
        if field not in ov:
            continue
        value = keys.map(ov[field])
        hit = hit_any & value.notna()
        out[field] = out[field].astype(object)
        out.loc[hit, field] = value[hit]
        if field == "vcse_form":
            continue
        ev_col = {"org_type": "org_type_evidence", "size": "size_evidence"}.get(
            field, f"{field}_evidence"
        )
        conf_col = ev_col.replace("_evidence", "_confidence")
        out.loc[hit, ev_col] = evidence[hit]
        out.loc[hit, conf_col] = 1.0
        if field == "size":
            out.loc[hit, "size_rule"] = "override"
        if field == "org_type":
            out.loc[hit & (value != "vcse"), "vcse_form"] = None
            out.loc[hit, "match_method"] = "override"
        out.loc[hit, "overridden"] = True
    form_hit = hit_any & keys.map(ov.get("vcse_form", pd.Series(dtype=object))).notna()
    out.loc[form_hit, "overridden"] = True
    return out
