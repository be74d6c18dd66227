"""Where a supplier is based, relative to the council: in_area / in_region / outside / unknown.

From the supplier's postcode (published in the spend file, or the matched register's registered
address), using the best lookup available, in this order:

1. ONS Postcode Directory (full file or an extract with pcds/pcd, oslaua and rgn; oscty too for
   county councils; or the download zip itself, ``Data/ONSPD_<MON>_<YEAR>_UK.csv`` inside, read
   out of core): exact unit postcode → local authority and region. Confidence 0.95.
2. ``postcode_district_to_lad.json`` ({"postcodes": {district: [LAD codes]}}): a district that
   lies wholly in the council → in_area (0.85); a district that straddles the council's boundary
   is **ambiguous** — locality ``unknown``, ``locality_ambiguous`` True, never counted local; a
   district in other councils → in_region when any of them is a configured neighbour or the
   postcode area is one of the config's region_postcode_areas (0.7), else outside (0.8). For a
   county council (whose code is not a district's LAD), the config's postcode_districts decide
   in_area (0.6).
3. The council config alone: a district in ``postcode_districts`` → in_area with confidence 0.5
   (the config lists districts wholly *or partly* inside, so this is the weakest evidence; when the
   config offers ``postcode_districts_wholly_inside`` the others are flagged ambiguous instead);
   postcode area in ``region_postcode_areas`` → in_region (0.6); else outside (0.6).

Precedence of locality in :func:`kil_analysis.enrich.enrich_suppliers` (first that applies wins):
the researcher's override; the config's ``branch_based_suppliers`` (names or supplier keys →
``in_area``, evidence ``config: branch-based``, confidence 0.6); the postcode (published with the
payments, else the matched register's registered address) through the lookups above.

Caveat (the "head office effect"): a registered address is where the organisation is registered,
not where it delivers — a national charity registered in London may run a local service. The
Charity Commission's area of operation is kept as separate evidence (``operates_in_area``, see
:mod:`kil_analysis.enrich.operations`) and never changes locality: a charity registered elsewhere
whose area of operation names the council is flagged "registered elsewhere, operates here".
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
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


def postcode_districts(postcodes: pd.Series) -> pd.Series:
    """Outward code (postcode district) of each postcode, or None."""
    return postcode_keys(postcodes).str.extract(POSTCODE)[0]


def find_district_lookup(folder: Path) -> dict[str, list[str]] | None:
    """Read postcode_district_to_lad.json from a folder (None when absent)."""
    paths = sorted(Path(folder).rglob(DISTRICT_FILE))
    if not paths:
        return None
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    return {str(k).upper(): list(v) for k, v in data.get("postcodes", {}).items()}


ONSPD_MAIN = re.compile(r"(?:^|/)Data/ONSPD_[A-Z]{3}_\d{4}_UK\.csv$", re.I)
ONSPD_MULTI = re.compile(r"(?:^|/)Data/multi_csv/ONSPD_[^/]*\.csv$", re.I)


def _onspd_columns(header: list[str]) -> dict[str, str] | None:
    """Which columns hold the postcode, LAD, county and region (None: not an ONSPD file).

    Older directories use ``pcds``/``pcd``/``pcd2``, ``oslaua``, ``oscty``, ``rgn``; newer ones
    name the vintage (``lad25cd``, ``cty25cd``, ``rgn25cd``, ``pcd7``).
    """
    cols = {c.strip().strip('"').lower(): c for c in header}

    def first(*patterns: str) -> str | None:
        for pattern in patterns:
            for low, orig in cols.items():
                if re.fullmatch(pattern, low):
                    return orig
        return None

    found = {
        "pc": first("pcds", "pcd", "pcd2", "pcd7", "pcd8"),
        "oslaua": first("oslaua", r"lad\d\dcd"),
        "oscty": first("oscty", r"cty\d\dcd"),
        "rgn": first("rgn", r"rgn\d\dcd"),
    }
    if found["pc"] is None or found["oslaua"] is None:
        return None
    return {k: v for k, v in found.items() if v is not None}


def _csv_header(line: str) -> list[str]:
    return [c.strip().strip('"') for c in line.strip("\r\n").split(",")]


def _onspd_csvs(folder: Path) -> list[Path]:
    found = []
    for path in sorted(Path(folder).rglob("*.csv")):
        if "_parquet" in path.parts:
            continue
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            header = _csv_header(fh.readline())
        if _onspd_columns(header) is not None:
            found.append(path)
    return found


def onspd_zip_members(zip_path: Path) -> list[str]:
    """The postcode CSV(s) inside an ONSPD download zip: ``Data/ONSPD_<MON>_<YEAR>_UK.csv``,
    else every ``Data/multi_csv/ONSPD_…csv`` part (one per postcode area). Empty: not ONSPD."""
    try:
        with zipfile.ZipFile(zip_path) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile:
        return []
    main = sorted(n for n in names if ONSPD_MAIN.search(n))
    return main[:1] or sorted(n for n in names if ONSPD_MULTI.search(n))


def _onspd_zips(folder: Path) -> list[tuple[Path, list[str]]]:
    found = []
    for path in sorted(Path(folder).rglob("*.zip")):
        if "_parquet" in path.parts:
            continue
        members = onspd_zip_members(path)
        if members:
            found.append((path, members))
    return found


def onspd_zip_to_parquet(zip_path: Path, members: list[str], out: Path) -> Path:
    """Stream the postcode CSV member(s) out of an ONSPD zip into the narrow Parquet.

    Never extracts or loads the whole file: pyarrow reads the compressed member in blocks,
    keeping only the postcode, LAD, county and region columns.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.string()) for c in ("pc_key", "oslaua", "oscty", "rgn")])
    tmp = out.with_suffix(".part")
    with zipfile.ZipFile(zip_path) as zf, pq.ParquetWriter(tmp, schema) as writer:
        for member in members:
            with zf.open(member) as fh:
                header = _csv_header(fh.readline().decode("utf-8-sig", errors="replace"))
            cols = _onspd_columns(header)
            if cols is None:
                raise ValueError(f"{zip_path}:{member}: no postcode/oslaua columns (not ONSPD)")
            wanted = sorted(set(cols.values()))
            with zf.open(member) as fh:
                reader = pacsv.open_csv(
                    fh,
                    read_options=pacsv.ReadOptions(block_size=8 << 20),
                    convert_options=pacsv.ConvertOptions(
                        include_columns=wanted,
                        column_types={c: pa.string() for c in wanted},
                        strings_can_be_null=True,
                    ),
                )
                for batch in reader:
                    key_col = pc.utf8_upper(pc.replace_substring(batch.column(cols["pc"]), " ", ""))
                    arrays = [key_col, batch.column(cols["oslaua"])]
                    for key in ("oscty", "rgn"):
                        arrays.append(
                            batch.column(cols[key])
                            if key in cols
                            else pa.nulls(batch.num_rows, pa.string())
                        )
                    writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
    tmp.replace(out)
    return out


def onspd_to_parquet(folder: Path, cache_dir: Callable[[Path], Path]) -> Path | None:
    """Convert an ONSPD CSV (full or extract) in ``folder`` to a narrow Parquet, once (DuckDB).

    Also accepts the ONSPD download zip as published (``Data/ONSPD_<MON>_<YEAR>_UK.csv``, or the
    ``Data/multi_csv/`` parts), streamed out of the zip without unpacking it. Columns kept:
    pc_key (postcode without spaces), oslaua, oscty and rgn where present.
    """
    import duckdb

    csvs = _onspd_csvs(folder)
    if not csvs:
        zips = _onspd_zips(folder)
        if not zips:
            return None
        zip_path, members = zips[0]
        stat = zip_path.stat()
        out = cache_dir(Path(folder)) / f"onspd-{stat.st_size:x}-{int(stat.st_mtime):x}.parquet"
        return out if out.exists() else onspd_zip_to_parquet(zip_path, members, out)
    src = csvs[0]
    stat = src.stat()
    out = cache_dir(Path(folder)) / f"onspd-{stat.st_size:x}-{int(stat.st_mtime):x}.parquet"
    if out.exists():
        return out
    con = duckdb.connect()
    path = str(src).replace("'", "''")
    source = f"read_csv('{path}', header = true, all_varchar = true)"
    header = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    cols = _onspd_columns(header)
    select = [
        f"upper(replace(\"{cols['pc']}\", ' ', '')) AS pc_key",
        f'"{cols["oslaua"]}" AS oslaua',
    ]
    for optional in ("oscty", "rgn"):
        select.append(
            f'"{cols[optional]}" AS {optional}' if optional in cols else f"NULL AS {optional}"
        )
    tmp = out.with_suffix(".part")
    con.execute(f"COPY (SELECT {', '.join(select)} FROM {source}) TO '{tmp}' (FORMAT parquet)")
    tmp.replace(out)
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
) -> pd.DataFrame:
    """Locality of each postcode against ``config`` (index preserved).

    Returns ``locality`` (schema.LOCALITIES), ``locality_evidence`` (text naming the postcode and
    lookup), ``locality_confidence`` (0–1) and ``locality_ambiguous`` (district straddles the
    council boundary).
    """
    idx = postcodes.index
    keys = postcode_keys(postcodes)
    district = postcode_districts(postcodes)
    area = district.str.extract(r"^([A-Z]{1,2})")[0]
    pretty = (keys.str[:-3] + " " + keys.str[-3:]).fillna("")
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
