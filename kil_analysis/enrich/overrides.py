"""The researcher's overrides file: corrections that always win, and are reported as such.

A CSV with ``supplier_key`` plus any of ``org_type``, ``vcse_form``, ``size``, ``locality`` and
``note`` (other columns — e.g. the worksheet's ``current_*`` columns — are ignored, so a saved
worksheet *is* an overrides file). Blank cells leave the classification alone. A worksheet row
marked ``confirmed`` (y/yes/x/true) pins the current values shown for its blank cells. Cells
that were neutralised against spreadsheet formula injection (a leading ``'`` before ``= + - @``)
are read back as typed.

``override_postcode`` places the supplier at that postcode; ``organisation_key`` (a supplier key)
says which organisation the row belongs to — its own key undoes an automatic merge, another key
forces one (see :mod:`kil_analysis.enrich.merges`).

Proposals (``kil resolve``): a worksheet row whose ``accept_proposal`` is y (yes/x/accept) takes
the proposal's org type, VCSE form and locality for its blank cells (cells the researcher filled
still win), and its org-id and postcode (``register_id``, ``postcode``); the note records
"accepted proposal <org-id> (<service>, similarity <n>)". The org-id of one of the row's
``other_candidates`` accepts that candidate instead (type and form from its org-id's register;
no postcode or locality is carried). n (no/reject) records the rejection,
which changes nothing but is pre-filled when the worksheet is regenerated. Precedence within a
row: the researcher's own cells, then an accepted proposal, then ``confirmed``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.enrich.proposals import proposal_decisions, propose_type
from kil_analysis.readers.formulas import unneutralise
from kil_analysis.schema import LOCALITIES, ORG_TYPES, SIZES

OVERRIDE_FIELDS = ("org_type", "vcse_form", "size", "locality")
# Set only by an accepted proposal: the organisation's org-id and registered postcode.
OVERRIDE_IDS = ("register_id", "postcode")
# Typed by the researcher, read by enrichment before classification: a postcode (placed like
# any other; it beats an accepted proposal's) and the organisation a supplier_key belongs to
# (its own key keeps it apart from automatic merges; see kil_analysis.enrich.merges).
RESEARCHER_IDS = ("override_postcode", "organisation_key")
ALLOWED = {"org_type": ORG_TYPES, "size": SIZES, "locality": LOCALITIES}


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
    blank = pd.Series("", index=df.index)
    picked = proposal_decisions(
        df.get("accept_proposal", blank),
        df.get("proposal_id", blank),
        df.get("other_candidates", blank),
        str(path),
    )
    decision, chosen = picked["decision"], picked["chosen"].fillna("")
    accepted = decision.eq("accepted")
    shown = accepted & chosen.eq(df.get("proposal_id", blank))
    # Another candidate chosen by its org-id: its register says the type; no postcode is carried.
    instead = pd.DataFrame(
        [propose_type(c, None, None) for c in chosen],
        columns=["org_type", "vcse_form"],
        index=df.index,
    ).fillna("")
    out = pd.DataFrame({"supplier_key": df["supplier_key"]})
    for field in OVERRIDE_FIELDS:
        value = df.get(field, blank)
        current = df.get(f"current_{field}", blank)
        proposed = df.get(f"proposal_{field}", blank).where(shown, "")
        if field in instead:
            proposed = proposed.where(~(accepted & ~shown), instead[field])
        if field == "locality":
            proposed = proposed.where(proposed.str.lower() != "unknown", "")
        if field == "vcse_form":  # a form only for a row that ends up VCSE
            proposed = proposed.where(out["org_type"].fillna("").eq("vcse"), "")
        value = value.where((value != "") | ~accepted, proposed)
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
    note = df.get("note", blank)
    similarity = df.get("proposal_similarity", blank)
    why = (
        "accepted proposal "
        + chosen
        + " ("
        + df.get("proposal_service", blank)
        + (", similarity " + similarity).where((similarity != "") & shown, "")
        + ")"
    )
    said = pd.Series([w in n for n, w in zip(note, why, strict=True)], index=df.index)
    note = note.where(~accepted | said, (note + "; ").where(note != "", "") + why)
    out["note"] = note.replace("", None)
    out["register_id"] = chosen.where(accepted, "").replace("", None)
    typed = df.get("override_postcode", blank)
    proposed_postcode = df.get("proposal_postcode", blank).where(shown, "")
    out["postcode"] = typed.where(typed != "", proposed_postcode).replace("", None)
    out["organisation_key"] = df.get("organisation_key", blank).replace("", None)
    out["proposal_id"] = df.get("proposal_id", blank).where(decision.notna(), None)
    out["proposal_decision"] = decision
    out["proposal_choice"] = chosen.where(accepted, None)  # the org-id accepted
    out = out[out["supplier_key"] != ""]
    has_value = out[list(OVERRIDE_FIELDS)].notna().any(axis=1) | out["proposal_decision"].notna()
    has_value |= out[["postcode", "organisation_key"]].notna().any(axis=1)
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
    for field in OVERRIDE_IDS:  # from an accepted proposal
        if field not in ov:
            continue
        value = keys.map(ov[field])
        hit = hit_any & value.notna()
        out[field] = out[field].astype(object) if field in out else None
        out.loc[hit, field] = value[hit]
        out.loc[hit, "overridden"] = True
    return out
