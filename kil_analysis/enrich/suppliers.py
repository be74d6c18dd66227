"""One row per supplier: org type, VCSE form, size and locality, each with evidence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.config import CouncilConfig
from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.keys import name_keys
from kil_analysis.enrich.locality import assign_locality, postcode_keys
from kil_analysis.enrich.operations import (
    REGISTERED_ELSEWHERE,
    operates_in_area,
    registered_elsewhere_operates_here,
)
from kil_analysis.enrich.overrides import apply_overrides, read_overrides
from kil_analysis.enrich.size import spend_size_band
from kil_analysis.readers.registers.shape import Registers
from kil_analysis.schema import SUPPLIER_COLUMNS

EXTRA_COLUMNS = [
    "total_pence",
    "rows",
    "spend_band",
    "locality_ambiguous",
    "ambiguous_candidates",
    "charity_scale",
]


def _first_valid(s: pd.Series):
    s = s.dropna()
    s = s[s.astype(str).str.strip() != ""]
    return s.iloc[0] if len(s) else None


def _supplier_totals(spend: pd.DataFrame) -> pd.DataFrame:
    df = spend.copy()
    if "supplier_key" not in df:
        df["supplier_key"] = name_keys(df["supplier_name"])
    df["supplier_key"] = df["supplier_key"].fillna("").astype(str)
    if "amount_pence" not in df:
        df["amount_pence"] = (pd.to_numeric(df["amount"], errors="coerce") * 100).round()
    df["amount_pence"] = (
        pd.to_numeric(df["amount_pence"], errors="coerce").fillna(0).astype("int64")
    )
    grouped = df.groupby("supplier_key", sort=False)
    out = grouped.agg(
        supplier_name=("supplier_name", "first"),
        total_pence=("amount_pence", "sum"),
        rows=("amount_pence", "size"),
    )
    if "is_redacted" in df:
        out["is_redacted"] = grouped["is_redacted"].any()
    for col in ("company_number", "charity_number", "supplier_id", "vat_number", "postcode"):
        if col in df and df[col].notna().any():
            out[col] = grouped[col].agg(_first_valid)
    return out.reset_index()


def branch_based(supplier_keys: pd.Series, config: CouncilConfig) -> pd.Series:
    """Suppliers the config lists in ``branch_based_suppliers`` (names or supplier keys)."""
    listed = [str(n) for n in config.branch_based_suppliers if str(n).strip()]
    if not listed:
        return pd.Series(False, index=supplier_keys.index)
    keys = set(name_keys(pd.Series(listed))) | {n.strip().upper() for n in listed}
    return supplier_keys.isin(keys)


def _charity_numbers(
    out: pd.DataFrame, totals: pd.DataFrame, registers: Registers | None
) -> pd.Series:
    """Each supplier's registered charity number: matched register id, else the number
    published with the payments, else the charity registered under the matched company number."""
    number = out["register_id"].fillna("").str.extract(r"^GB-CHC-(\d+)$")[0]
    if "charity_number" in totals:
        published = (
            totals["charity_number"].astype("string").str.strip().str.extract(r"^(\d{6,7})$")[0]
        )
        number = number.where(number.notna(), published.reindex(out.index))
    company = out["register_id"].fillna("").str.extract(r"^GB-COH-(\w+)$")[0]
    if registers is not None and company.notna().any() and len(registers.organisations):
        orgs = registers.organisations
        both = orgs[orgs["company_number"].notna() & orgs["charity_number"].notna()]
        both = both[both["charity_number"].astype(str).str.strip() != ""]
        by_company = both.drop_duplicates("company_number").set_index("company_number")
        number = number.where(number.notna(), company.map(by_company["charity_number"]))
    return number.astype(object).where(number.notna(), None)


def enrich_suppliers(
    spend: pd.DataFrame,
    config: CouncilConfig,
    registers: Registers | None = None,
    overrides_path: Path | None = None,
) -> pd.DataFrame:
    """Enrich a council's spend table into one row per supplier_key.

    Columns: schema.SUPPLIER_COLUMNS plus ``total_pence`` (int, net of credits), ``rows``,
    ``spend_band`` (council's own spend band, not organisation size), ``locality_ambiguous``,
    ``ambiguous_candidates`` (register matches not forced) and ``charity_scale``. Confidence
    columns are floats in 0–1. Ids published with the payments (company/charity numbers, org ids
    in supplier_id) are matched first. Overrides (CSV) always win and set ``overridden``.
    Caveats: locality uses the registered address (head-office effect) unless the supplier is
    listed in the config's ``branch_based_suppliers`` (locality in_area, evidence
    ``config: branch-based``; overrides still win); size is organisation size from registers
    only, unknown otherwise.

    ``operates_in_area`` (nullable boolean) and ``operates_evidence`` come from the Charity
    Commission's area of operation (:mod:`kil_analysis.enrich.operations`), separate evidence
    that never changes ``locality``: a charity registered outside the area whose area of
    operation names the council has evidence starting "registered elsewhere, operates here".
    """
    totals = _supplier_totals(spend)
    ids = pd.DataFrame({"supplier_key": totals["supplier_key"]})
    for col in ("company_number", "charity_number"):
        if col in totals:
            ids[col] = totals[col]
    if "supplier_id" in totals:
        org = totals["supplier_id"].astype("string").str.upper().str.strip()
        ids["org_id"] = org.where(org.str.match(r"^GB-(?:COH|CHC|MPR|SC|NIC)-").fillna(False))
    ids = ids.dropna(how="all", subset=[c for c in ids.columns if c != "supplier_key"])
    names = totals["supplier_name"].fillna("").astype(str)
    if "is_redacted" in totals:
        names = names.where(~totals["is_redacted"].astype(bool), "REDACTED")
    classified = classify_suppliers(names, registers, ids=ids, keys=totals["supplier_key"])
    classified["supplier_name"] = totals["supplier_name"].to_numpy()
    out = totals[["supplier_key", "total_pence", "rows"]].merge(classified, on="supplier_key")

    published = totals["postcode"] if "postcode" in totals else pd.Series(None, index=totals.index)
    published = postcode_keys(published.reindex(out.index))
    postcode = published.where(published.notna(), postcode_keys(out["postcode"]))
    source = pd.Series("published with payments", index=out.index).where(
        published.notna(), "registered address"
    )
    pretty = (postcode.str[:-3] + " " + postcode.str[-3:]).where(postcode.notna(), None)
    locality = assign_locality(
        pretty.fillna(""),
        config,
        onspd=registers.onspd_parquet if registers else None,
        district_lads=registers.district_lads if registers else None,
    )
    has_pc = postcode.notna()
    locality.loc[has_pc, "locality_evidence"] += " [" + source[has_pc] + "]"
    branch = branch_based(out["supplier_key"], config)
    locality.loc[branch, "locality"] = "in_area"
    locality.loc[branch, "locality_evidence"] = "config: branch-based"
    locality.loc[branch, "locality_confidence"] = 0.6
    locality.loc[branch, "locality_ambiguous"] = False
    out = pd.concat([out, locality], axis=1)
    operates = operates_in_area(
        _charity_numbers(out, totals, registers),
        registers.areas_of_operation if registers else None,
        config,
        registers.lad_names if registers else None,
    )
    out = pd.concat([out, operates], axis=1)
    out["postcode"] = pretty

    out["org_type_evidence"] = out["evidence"]
    out["org_type_confidence"] = out["confidence"]
    reg = out["register_id"].notna() & out["size_rule"].notna()
    out["size_evidence"] = out["register_id"].where(reg, None)
    out["size"] = out["size"].fillna("unknown")
    out["spend_band"] = spend_size_band(out["total_pence"])
    out["overridden"] = False
    scale = registers.charity_scale if registers else {}
    charity = out["register_id"].fillna("").str.extract(r"^GB-CHC-(\d+)")[0]
    out["charity_scale"] = charity.map(scale) if scale else None
    if overrides_path is not None and Path(overrides_path).exists():
        out = apply_overrides(out, read_overrides(Path(overrides_path)))
    # Flag, never count local: registered outside the area, area of operation names the council.
    elsewhere = registered_elsewhere_operates_here(out)
    out.loc[elsewhere, "operates_evidence"] = (
        REGISTERED_ELSEWHERE + ": " + out.loc[elsewhere, "operates_evidence"]
    )
    out = out[SUPPLIER_COLUMNS + EXTRA_COLUMNS]
    return out.sort_values(["total_pence", "supplier_key"], ascending=[False, True]).reset_index(
        drop=True
    )
