"""One row per organisation: org type, VCSE form, size and locality, each with evidence.

:func:`enrich_suppliers_and_merges` classifies every supplier_key of a council's spend, places
every supplier that has a postcode from any source (published with the payments, a grants or
contracts file, a register match, an override; a council as its own area), then merges the
spelling variants of one organisation (:mod:`kil_analysis.enrich.merges`) into one row and
lists each merge.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.config import CouncilConfig
from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.keys import name_keys
from kil_analysis.enrich.locality import (
    assign_locality,
    councils_in_region,
    place_postcodes,
    postcode_keys,
    postcode_text,
)
from kil_analysis.enrich.merges import MERGE_COLUMNS, find_merges
from kil_analysis.enrich.operations import (
    REGISTERED_ELSEWHERE,
    operates_in_area,
    registered_elsewhere_operates_here,
)
from kil_analysis.enrich.overrides import apply_overrides, read_overrides
from kil_analysis.enrich.payee_rules import commercially_withheld
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
    "merged_names",
]
POSTCODE_SOURCES = ("published with payments", "grants or contracts", "registered address")


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
    published with the payments, else the charity registered under the matched company number,
    else the number the matched register row carries (a housing association's, from the
    registered providers' numbers)."""
    number = out["register_id"].fillna("").str.extract(r"^GB-CHC-(\d+)$")[0]
    if "charity_number" in totals:
        published = (
            totals["charity_number"].astype("string").str.strip().str.extract(r"^(\d{6,7})$")[0]
        )
        number = number.where(number.notna(), published.reindex(out.index))
    if registers is None or not len(registers.organisations):
        return number.astype(object).where(number.notna(), None)
    orgs = registers.organisations
    held = orgs[orgs["charity_number"].notna()]
    held = held[held["charity_number"].astype(str).str.strip() != ""]
    company = out["register_id"].fillna("").str.extract(r"^GB-COH-(\w+)$")[0]
    if company.notna().any():
        by_company = held[held["company_number"].notna()].drop_duplicates("company_number")
        by_company = by_company.set_index("company_number")["charity_number"]
        number = number.where(number.notna(), company.map(by_company))
    by_id = held.drop_duplicates("register_id").set_index("register_id")["charity_number"]
    number = number.where(number.notna(), out["register_id"].map(by_id))
    return number.astype(object).where(number.notna(), None)


def _postcodes(
    out: pd.DataFrame, totals: pd.DataFrame, extra: pd.DataFrame | None, overrides
) -> tuple[pd.Series, pd.Series]:
    """Each supplier's postcode and where it came from: override, published with the payments,
    a grants or contracts file (``extra``: supplier_key, postcode), the register's address."""
    published = totals["postcode"] if "postcode" in totals else pd.Series(None, index=totals.index)
    candidates = [("published with payments", postcode_keys(published.reindex(out.index)))]
    if extra is not None and not extra.empty:
        ex = extra.assign(_pc=postcode_keys(extra["postcode"])).dropna(subset=["_pc"])
        ex = ex.drop_duplicates("supplier_key").set_index("supplier_key")["_pc"]
        candidates.append(("grants or contracts", out["supplier_key"].map(ex)))
    candidates.append(("registered address", postcode_keys(out["postcode"])))
    if overrides is not None and "postcode" in overrides:
        ov = overrides.dropna(subset=["postcode"]).set_index("supplier_key")["postcode"]
        candidates.insert(0, ("override", postcode_keys(out["supplier_key"].map(ov))))
    postcode = pd.Series(None, index=out.index, dtype=object)
    source = pd.Series(None, index=out.index, dtype=object)
    for label, values in candidates:
        take = postcode.isna() & values.notna()
        postcode[take] = values[take]
        source[take] = label
    return postcode, source


def _one_row_per_organisation(out: pd.DataFrame, merges: pd.DataFrame) -> pd.DataFrame:
    """Collapse merged supplier keys: spend and rows summed, the attributes of the member with
    the strongest org-type evidence (then the most spend), names listed in ``merged_names``."""
    if merges.empty:
        out["merged_names"] = None
        return out
    mapping = dict(zip(merges["supplier_key"], merges["organisation_key"], strict=True))
    org = out["supplier_key"].map(mapping)
    org = org.fillna(out["supplier_key"])
    out = out.assign(_org=org, _known=out["org_type"].ne("unknown"))
    totals = out.groupby("_org").agg(total_pence=("total_pence", "sum"), rows=("rows", "sum"))
    names = out.sort_values("total_pence", ascending=False).groupby("_org")["supplier_name"]
    listed = names.agg(lambda s: " | ".join(s) if len(s) > 1 else None)
    out = out.sort_values(
        ["_org", "_known", "org_type_confidence", "total_pence"],
        ascending=[True, False, False, False],
    )
    best = out.drop_duplicates("_org").set_index("_org")
    best = best.drop(columns=["total_pence", "rows"]).join(totals)
    best["merged_names"] = listed
    best["supplier_key"] = best.index
    heads = merges[merges["rule"] == "kept"].set_index("organisation_key")["supplier_name"]
    best["supplier_name"] = pd.Series(best.index.map(heads), index=best.index).fillna(
        best["supplier_name"]
    )
    return best.reset_index(drop=True).drop(columns=["_known"])


def _locate(
    postcodes: pd.Series, config: CouncilConfig, registers: Registers | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Place postcodes ("AB1 2CD" form) with the best lookups the registers offer: the
    :func:`assign_locality` frame and the :func:`place_postcodes` frame, index preserved."""
    placed = place_postcodes(
        postcodes,
        onspd=registers.onspd_parquet if registers else None,
        codepoint=registers.codepoint_parquet if registers else None,
    )
    locality = assign_locality(
        postcodes,
        config,
        onspd=registers.onspd_parquet if registers else None,
        district_lads=registers.district_lads if registers else None,
        placed=placed,
    )
    return locality, placed


def _address_inside(
    candidates: pd.Series, ids: pd.Series, config: CouncilConfig, registers: Registers | None
) -> pd.DataFrame:
    """For names that several bodies share ("; "-joined postcodes and the bodies' register ids,
    in the same order, see :func:`kil_analysis.enrich.matching._best_of`): the first address
    inside the council, as a postcode key (column ``postcode``), and that body's register id
    (``register_id``), else None — the council's payment is taken to be to the body in its own
    area, and otherwise the name does not say where the supplier is."""
    each = pd.DataFrame(
        {"postcode": candidates.str.split("; "), "register_id": ids.str.split("; ")}
    ).explode(["postcode", "register_id"])
    keys = postcode_keys(each["postcode"])
    pretty = postcode_text(keys).fillna("")
    locality, _placed = _locate(pretty.reset_index(drop=True), config, registers)
    inside = each.assign(postcode=keys)[locality["locality"].eq("in_area").to_numpy()]
    first = inside[~inside.index.duplicated()]
    out = first.reindex(candidates.index).astype(object)
    return out.where(out.notna(), None)


def enrich_suppliers_and_merges(
    spend: pd.DataFrame,
    config: CouncilConfig,
    registers: Registers | None = None,
    overrides_path: Path | None = None,
    extra_postcodes: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Enrich a council's spend table into one row per organisation, and list the merges.

    Returns ``(suppliers, merges)``. ``suppliers`` has schema.SUPPLIER_COLUMNS plus
    ``total_pence`` (int, net of credits), ``rows``, ``spend_band`` (council's own spend band,
    not organisation size), ``locality_ambiguous``, ``ambiguous_candidates`` (register matches
    not forced), ``charity_scale`` and ``merged_names`` (the published names joined, when more
    than one). Its ``supplier_key`` is the organisation's key (the key of its member with the
    most spend). ``merges`` has :data:`kil_analysis.enrich.merges.MERGE_COLUMNS`: every supplier
    key that was merged, with the rule that joined it — map a spend row's key to its
    organisation with :func:`kil_analysis.enrich.merges.organisation_keys`.

    Ids published with the payments (company/charity numbers, org ids in supplier_id) are
    matched first. ``extra_postcodes`` (supplier_key, postcode) adds postcodes from grants or
    contracts files. Overrides (CSV) always win and set ``overridden``; their ``postcode`` is
    the first postcode source and ``organisation_key`` forces or undoes a merge.
    Caveats: locality uses the registered address (head-office effect) unless the supplier is
    listed in the config's ``branch_based_suppliers`` (locality in_area, evidence
    ``config: branch-based``; overrides still win); size is organisation size from registers
    only, unknown otherwise.

    ``operates_in_area`` (nullable boolean) and ``operates_evidence`` come from the Charity
    Commission's area of operation (:mod:`kil_analysis.enrich.operations`), separate evidence
    that never changes ``locality``: a charity registered outside the area whose area of
    operation names the council has evidence starting "registered elsewhere, operates here".
    """
    overrides = None
    if overrides_path is not None and Path(overrides_path).exists():
        overrides = read_overrides(Path(overrides_path))
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
        redacted = totals["is_redacted"].astype(bool)
        # a payee withheld as commercially confidential keeps its marker: it is no person
        # (:mod:`kil_analysis.enrich.payee_rules`)
        names = names.where(~redacted | commercially_withheld(names, redacted), "REDACTED")
    classified = classify_suppliers(names, registers, ids=ids, keys=totals["supplier_key"])
    classified["supplier_name"] = totals["supplier_name"].to_numpy()
    out = totals[["supplier_key", "total_pence", "rows"]].merge(classified, on="supplier_key")

    postcode, source = _postcodes(out, totals, extra_postcodes, overrides)
    shared = source.eq("registered address") & out["postcode_candidates"].notna()
    if shared.any():
        inside = _address_inside(
            out.loc[shared, "postcode_candidates"],
            out.loc[shared, "register_id_candidates"],
            config,
            registers,
        )
        postcode[shared] = inside["postcode"]
        source[shared & postcode.isna()] = None
        # the register entry named is the body the supplier is placed by
        placed_by = shared & postcode.notna() & out["register_id"].notna()
        chosen = inside["register_id"].reindex(out.index)[placed_by]
        first = out.loc[placed_by, "register_id"]
        out.loc[placed_by, "evidence"] = [
            ev.replace(old, new, 1) if isinstance(ev, str) else ev
            for ev, old, new in zip(out.loc[placed_by, "evidence"], first, chosen, strict=True)
        ]
        out.loc[placed_by, "register_id"] = chosen
    pretty = postcode_text(postcode)
    locality, placed = _locate(pretty.fillna(""), config, registers)
    has_pc = postcode.notna()
    locality.loc[has_pc, "locality_evidence"] += " [" + source[has_pc] + "]"
    # A council with no postcode is placed as its own area (register area_code).
    area = out["area_code"].where(~has_pc & out["area_code"].notna())
    own = area.notna() & locality["locality"].eq("unknown")
    if own.any():
        near = area.isin(config.neighbour_codes) | councils_in_region(
            area, config, registers.district_lads if registers else None
        )
        loc = pd.Series("outside", index=out.index).mask(near, "in_region")
        loc = loc.mask(area == config.ons_code, "in_area")
        locality.loc[own, "locality"] = loc[own]
        locality.loc[own, "locality_evidence"] = "public body's own area " + area[own]
        locality.loc[own, "locality_confidence"] = 0.85
        locality.loc[own & area.eq(config.ons_code), "locality_evidence"] += " (the council)"
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
    out["postcode_source"] = source.where(has_pc, None)
    out["council_code"] = placed["council_code"].where(has_pc, area)
    out["ward_code"] = placed["ward_code"]
    out["easting"] = placed["easting"]
    out["northing"] = placed["northing"]

    out["org_type_evidence"] = out["evidence"]
    out["org_type_confidence"] = out["confidence"]
    reg = out["register_id"].notna() & out["size_rule"].notna()
    out["size_evidence"] = out["register_id"].where(reg, None)
    out["size"] = out["size"].fillna("unknown")
    out["overridden"] = False
    scale = registers.charity_scale if registers else {}
    charity = out["register_id"].fillna("").str.extract(r"^GB-CHC-(\d+)")[0]
    out["charity_scale"] = charity.map(scale) if scale else None

    merges = find_merges(out, overrides)
    out = _one_row_per_organisation(out, merges)
    out["spend_band"] = spend_size_band(out["total_pence"])
    if overrides is not None:
        member_to_org = dict(zip(merges["supplier_key"], merges["organisation_key"], strict=True))
        ov = overrides.assign(
            supplier_key=overrides["supplier_key"].map(lambda k: member_to_org.get(k, k))
        )
        out = apply_overrides(out, ov.drop_duplicates("supplier_key", keep="last"))
    # Flag, never count local: registered outside the area, area of operation names the council.
    elsewhere = registered_elsewhere_operates_here(out)
    out.loc[elsewhere, "operates_evidence"] = (
        REGISTERED_ELSEWHERE + ": " + out.loc[elsewhere, "operates_evidence"]
    )
    out = out[SUPPLIER_COLUMNS + EXTRA_COLUMNS]
    out = out.sort_values(["total_pence", "supplier_key"], ascending=[False, True])
    return out.reset_index(drop=True), merges[MERGE_COLUMNS]


def enrich_suppliers(
    spend: pd.DataFrame,
    config: CouncilConfig,
    registers: Registers | None = None,
    overrides_path: Path | None = None,
    extra_postcodes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per organisation (see :func:`enrich_suppliers_and_merges`, without the merges)."""
    return enrich_suppliers_and_merges(spend, config, registers, overrides_path, extra_postcodes)[0]
