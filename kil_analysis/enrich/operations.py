"""Where a charity says it operates: the Charity Commission's area of operation, as evidence.

The "head office effect": a registered address is where an organisation is registered, not where
it works. A national charity registered in London may run a service in the council's area. The
Charity Commission register extract records each charity's *area of operation*
(``publicextract.charity_area_of_operation.txt``, the CharityAreaOfOperation table: one row per
charity and area, e.g. ``Local Authority`` / ``Bristol City`` or ``Region`` /
``Throughout England``). This module reads that table and says, per charity, whether its area of
operation names the council.

Area → ONS code, in this order:

1. The cc-aoo lookup when it is in the registers folder (``cc-aoo-gss-iso.csv``, old layout:
   ``key,aootype,aookey,aooname,…,GSS,…`` such as ``B-139 … BRISTOL CITY … E06000023``; or
   ``cc-aoo-gss-iso-new.csv``: ``geographic_area_type,geographic_area_description,GSS,…``).
   Descriptions are compared upper-cased with punctuation removed.
2. The Commission's four fixed national/regional areas ("Throughout England And Wales",
   "Throughout England", "Throughout Wales", "Throughout London"), known without a lookup.
3. Without a code, the council's own name: the description with "City", "Council", "County",
   "Borough", "of", "the" removed equal to the config's name or short name, likewise stripped
   (``Bristol City`` = ``Bristol City Council``), or to the ONS name from ``lad_names.json`` when
   the lookups folder has it (``Newcastle Upon Tyne City`` = ``Newcastle upon Tyne``). This is
   weaker evidence and says so; areas of other councils are then recognised only by not matching.

``operates_in_area`` (nullable boolean) per charity:

* True — an area row is the council (ONS code equal to ``config.ons_code``, or its name).
* NA — no area names the council but one covers it broadly: a national area (England and Wales,
  England, Wales as the council's country), the council's region, or a county / metropolitan
  county that may contain it ("operates nationally", not evidence of local delivery); or an area
  description that could not be mapped; or no area of operation on the register; or not a
  charity.
* False — every area is somewhere else (other councils, other countries).

The area of operation never changes ``locality`` (which stays with the registered postcode): a
charity registered outside the area whose area of operation names the council is flagged
("registered elsewhere, operates here") so reports can show it, not silently counted local.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from kil_analysis.config import CouncilConfig

AOO_FILE = "publicextract.charity_area_of_operation.txt"
# Fields of the CharityAreaOfOperation table, in the order of the Commission's data dictionary
# (the published file also starts with ``date_of_extract``; columns are read by name).
AOO_COLUMNS = [
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "geographic_area_type",
    "geographic_area_description",
    "parent_geographic_area_type",
    "parent_geographic_area_description",
    "welsh_ind",
]
LOOKUP_PATTERN = "cc-aoo-gss-iso*.csv"
# The Commission's fixed "A" areas (cc-aoo-gss-iso.csv A-1 … A-4) and their ONS codes.
NATIONAL_AREAS = {
    "THROUGHOUT ENGLAND AND WALES": "K04000001",
    "THROUGHOUT ENGLAND": "E92000001",
    "THROUGHOUT WALES": "W92000004",
    "THROUGHOUT LONDON": "E12000007",
}
AREA_COLUMNS = ["charity_number", "area_type", "area_description", "gss", "mapped_by"]
OPERATES_COLUMNS = ["operates_in_area", "operates_evidence"]
REGISTERED_ELSEWHERE = "registered elsewhere, operates here"
_NAME_NOISE = re.compile(r"\b(?:CITY|COUNCIL|COUNTY|BOROUGH|METROPOLITAN|DISTRICT|OF|THE)\b")


def area_keys(descriptions: pd.Series) -> pd.Series:
    """Area descriptions compared across spellings: upper case, '&' → AND, no punctuation."""
    s = descriptions.astype(object).fillna("").astype(str).str.upper()
    s = s.str.replace("&", " AND ", regex=False).str.replace(r"[^A-Z0-9]+", " ", regex=True)
    return s.str.strip()


def place_keys(names: pd.Series) -> pd.Series:
    """Area or council names without the words that differ between them (City, Council, …)."""
    s = area_keys(names).str.replace(_NAME_NOISE, " ", regex=True)
    return s.str.replace(r"\s+", " ", regex=True).str.strip()


def find_area_of_operation(folder: Path) -> tuple[Path, str | None] | None:
    """The area-of-operation table in ``folder``: the .txt, or (zip, member) inside a zip."""
    folder = Path(folder)
    texts = sorted(p for p in folder.rglob(AOO_FILE) if "_parquet" not in p.parts)
    if texts:
        return texts[0], None
    for zip_path in sorted(folder.rglob("*.zip")):
        if "_parquet" in zip_path.parts:
            continue
        try:
            with zipfile.ZipFile(zip_path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(AOO_FILE)]
        except zipfile.BadZipFile:
            continue
        if names:
            return zip_path, names[0]
    return None


def read_area_of_operation(path: Path, member: str | None = None) -> pd.DataFrame:
    """CharityAreaOfOperation table (tab-separated UTF-8 with header; or a zip member) → rows.

    Returns ``charity_number``, ``area_type``, ``area_description`` for main charities only
    (linked_charity_number 0), de-duplicated, sorted.
    """
    wanted = {
        "registered_charity_number",
        "linked_charity_number",
        "geographic_area_type",
        "geographic_area_description",
    }
    options = dict(
        sep="\t",
        dtype=str,
        usecols=lambda c: c.strip() in wanted,
        quoting=3,
        encoding="utf-8-sig",
        on_bad_lines="skip",
        keep_default_na=False,
    )
    path = Path(path)
    if member is not None or path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            name = member or next(n for n in zf.namelist() if n.lower().endswith(".txt"))
            with zf.open(name) as fh:
                df = pd.read_csv(io.TextIOWrapper(fh, encoding="utf-8-sig"), **options)
    else:
        df = pd.read_csv(path, **options)
    df.columns = [c.strip() for c in df.columns]
    missing = wanted - set(df.columns) - {"linked_charity_number"}
    if missing:
        raise ValueError(
            f"{path}: not a Charity Commission area of operation file (no {min(missing)})"
        )
    linked = df.get("linked_charity_number", pd.Series("0", index=df.index)).str.strip()
    df = df[linked.isin(["0", ""])]
    out = pd.DataFrame(
        {
            "charity_number": df["registered_charity_number"].str.strip(),
            "area_type": df["geographic_area_type"].str.strip(),
            "area_description": df["geographic_area_description"].str.strip(),
        }
    )
    out = out[(out["charity_number"] != "") & (out["area_description"] != "")]
    out = out.drop_duplicates().sort_values(["charity_number", "area_type", "area_description"])
    return out.reset_index(drop=True)


def read_aoo_lookup(path: Path) -> pd.DataFrame:
    """A cc-aoo lookup (old ``aooname`` or new ``geographic_area_description`` layout).

    Returns ``area_key`` (see :func:`area_keys`) and ``gss`` (ONS code; empty for areas abroad).
    """
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    name = next((c for c in ("aooname", "geographic_area_description") if c in df.columns), None)
    if name is None or "GSS" not in df.columns:
        raise ValueError(f"{path}: not a cc-aoo-gss-iso lookup (no aooname/GSS columns)")
    out = pd.DataFrame({"area_key": area_keys(df[name]), "gss": df["GSS"].str.strip()})
    out = out[out["area_key"] != ""]
    # A name listed twice (rare): keep the row that has a code.
    out = out.sort_values(["area_key", "gss"], ascending=[True, False], kind="mergesort")
    return out.drop_duplicates("area_key").reset_index(drop=True)


def map_area_codes(areas: pd.DataFrame, lookup: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``gss`` (ONS code or None) and ``mapped_by`` to area rows.

    ``mapped_by``: ``lookup`` (the lookup lists the area, with or without a code: areas abroad
    have none), ``national`` (one of :data:`NATIONAL_AREAS`), ``name`` (no lookup given: a local
    authority, country or continent row, recognised later by the council's name only) or ``""``
    (not recognised).
    """
    out = areas.copy()
    key = area_keys(out["area_description"])
    national = key.map(NATIONAL_AREAS)
    if lookup is not None:
        codes = lookup.set_index("area_key")["gss"]
        listed = key.isin(codes.index)
        gss = key.map(codes).replace("", None)
        by_name = pd.Series(False, index=out.index)
    else:
        listed = pd.Series(False, index=out.index)
        gss = pd.Series(None, index=out.index, dtype=object)
        kind = out["area_type"].fillna("").str.strip().str.lower()
        by_name = kind.isin(["local authority", "country", "continent"])
    gss = gss.where(gss.notna(), national)
    out["gss"] = gss.astype(object).where(gss.notna(), None)
    out["mapped_by"] = np.select(
        [listed, national.notna(), by_name], ["lookup", "national", "name"], ""
    )
    return out[AREA_COLUMNS]


def council_name_keys(config: CouncilConfig, lad_names: dict[str, str] | None = None) -> set[str]:
    """The council's names as :func:`place_keys` (config name, short name, ONS name)."""
    names = [config.name, config.short_name]
    if lad_names and config.ons_code in lad_names:
        names.append(lad_names[config.ons_code])
    keys = place_keys(pd.Series(names))
    return {k for k in keys if k}


def _covers_broadly(gss: pd.Series, config: CouncilConfig) -> pd.Series:
    """Areas that cover the council without naming it (nation, region, a possible county)."""
    ons = config.ons_code
    country = {"E": {"K04000001", "E92000001"}, "W": {"K04000001", "W92000004"}}.get(ons[0], set())
    code = gss.fillna("")
    broad = code.isin(country) | (code == config.region_code)
    if ons.startswith("E08"):  # metropolitan districts lie in metropolitan counties (E11)
        broad |= code.str.startswith("E11")
    if ons.startswith("E07"):  # shire districts lie in counties (E10)
        broad |= code.str.startswith("E10")
    if ons.startswith("E10"):  # a county council's area holds shire districts (E07)
        broad |= code.str.startswith("E07")
    return broad


def operates_in_area(
    charity_numbers: pd.Series,
    areas: pd.DataFrame | None,
    config: CouncilConfig,
    lad_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Whether each charity's area of operation names the council (index preserved).

    ``charity_numbers``: registered charity numbers (None for suppliers that are not charities).
    ``areas``: :func:`map_area_codes` output (None → no evidence). Returns ``operates_in_area``
    (pandas nullable boolean: True / False / NA, see the module docstring) and
    ``operates_evidence`` (text naming the areas and the register id; None when no evidence).
    """
    idx = charity_numbers.index
    number = charity_numbers.astype(object).where(charity_numbers.notna(), None)
    result = pd.DataFrame(
        {
            "operates_in_area": pd.array([pd.NA] * len(idx), dtype="boolean"),
            "operates_evidence": pd.Series([None] * len(idx), index=idx, dtype=object),
        },
        index=idx,
    )
    has_number = number.notna() & (number.astype(str).str.strip() != "")
    if areas is None or not has_number.any():
        return result
    wanted = set(number[has_number].astype(str).str.strip())
    rows = areas[areas["charity_number"].isin(wanted)].copy()
    listed = number.astype(str).str.strip().isin(set(rows["charity_number"])) & has_number
    none_listed = has_number & ~listed
    result.loc[none_listed, "operates_evidence"] = (
        "no area of operation on the register [GB-CHC-" + number[none_listed].astype(str) + "]"
    )
    if rows.empty:
        return result

    gss = rows["gss"].astype(object)
    by_code = gss.eq(config.ons_code).fillna(False)
    by_name = gss.isna() & place_keys(rows["area_description"]).isin(
        council_name_keys(config, lad_names)
    )
    rows["here"] = by_code | by_name
    rows["broad"] = ~rows["here"] & _covers_broadly(gss, config)
    rows["unmapped"] = ~rows["here"] & ~rows["broad"] & (rows["mapped_by"] == "")
    rows["no_lookup"] = rows["mapped_by"] == "name"
    rows["label"] = rows["area_description"] + np.where(
        gss.notna(), " (" + gss.fillna("") + ")", np.where(by_name, " (council name)", "")
    )
    rows = rows.sort_values(["charity_number", "area_description"], kind="mergesort")
    grouped = rows.groupby("charity_number", sort=False)
    summary = pd.DataFrame(
        {
            "here": grouped["here"].any(),
            "broad": grouped["broad"].any(),
            "unmapped": grouped["unmapped"].any(),
            "no_lookup": grouped["no_lookup"].any(),
            "here_labels": rows[rows["here"]].groupby("charity_number")["label"].agg("; ".join),
            "broad_labels": rows[rows["broad"]].groupby("charity_number")["label"].agg("; ".join),
            "all_labels": grouped["label"].agg(lambda s: "; ".join(s.iloc[:5])),
            "n_areas": grouped.size(),
        }
    )
    summary["operates"] = pd.array(
        np.where(
            summary["here"], True, np.where(summary["broad"] | summary["unmapped"], pd.NA, False)
        ),
        dtype="boolean",
    )
    more = np.where(summary["n_areas"] > 5, " …", "")
    summary["evidence"] = np.select(
        [summary["here"], summary["broad"], summary["unmapped"]],
        [
            "area of operation names the council: " + summary["here_labels"].fillna(""),
            "operates nationally or region-wide, council not named: "
            + summary["broad_labels"].fillna(""),
            "area of operation not recognised: " + summary["all_labels"] + more,
        ],
        np.where(
            summary["no_lookup"],
            "area of operation elsewhere only (by name; no cc-aoo lookup): ",
            "area of operation elsewhere only: ",
        )
        + summary["all_labels"]
        + more,
    )
    key = number.astype(str).str.strip()
    hit = listed
    result.loc[hit, "operates_in_area"] = key[hit].map(summary["operates"]).astype("boolean")
    result.loc[hit, "operates_evidence"] = (
        key[hit].map(summary["evidence"]) + " [GB-CHC-" + key[hit] + "]"
    )
    return result


def registered_elsewhere_operates_here(suppliers: pd.DataFrame) -> pd.Series:
    """Suppliers registered outside the council's area whose area of operation names it.

    ``locality`` in_region or outside and ``operates_in_area`` True (False when the column is
    absent). Locality is not changed: these are reported, not counted local.
    """
    if "operates_in_area" not in suppliers or "locality" not in suppliers:
        return pd.Series(False, index=suppliers.index)
    operates = suppliers["operates_in_area"].astype("boolean").fillna(False).astype(bool)
    return suppliers["locality"].isin(["in_region", "outside"]) & operates
