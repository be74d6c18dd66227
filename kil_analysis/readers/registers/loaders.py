"""Register loaders: whatever evidence is in the registers (and lookups) folder, in real formats.

Discovered by :func:`load_registers` (each optional):

* Companies House "BasicCompanyDataAsOneFile-YYYY-MM-DD.csv" (or its .zip, or the split
  "BasicCompanyData-…-partN_M.csv" files). About five million rows: converted once, out of core,
  with DuckDB to Parquet in a cache folder and only ever queried with DuckDB.
* Charity Commission extract ``publicextract.charity.txt`` (tab-separated, header row; or its zip)
  and its area-of-operation table ``publicextract.charity_area_of_operation.txt`` (or inside a
  zip), with the ``cc-aoo-gss-iso*.csv`` lookup of areas to ONS codes when present (see
  :mod:`kil_analysis.enrich.operations`).
* Charity lookups: ``charity-company-numbers.csv`` (charitable companies, with names),
  ``cio_company_numbers.csv`` (CIO numbers at Companies House → charity numbers),
  ``mutual-companies.csv`` (mutual societies), ``charity_scale.csv`` (Local / National …).
* Co-operatives UK open data (``open_data_organisations_*.csv``; street fields hold newlines).
* Postcode lookups (see :mod:`kil_analysis.enrich.locality`), and ``lad_names.json`` (ONS code →
  council name) for naming areas when there is no area lookup.

All registers share one table layout, :data:`ORG_COLUMNS`: the small ones are held in pandas, the
Companies House one as Parquet.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys
from kil_analysis.enrich.size import size_from_account_category, size_from_income

ORG_COLUMNS = [
    "register_id",  # org-id style: GB-COH-01234567, GB-CHC-1057949, GB-MPR-1234R
    "name",
    "match_key",
    "org_type",
    "vcse_form",
    "org_type_confidence",
    "postcode",
    "size",
    "size_rule",
    "size_confidence",
    "company_number",
    "charity_number",
    "active",
]

CH_CATEGORY_TYPES: dict[str, tuple[str, str | None, float]] = {
    "community interest company": ("vcse", "CIC", 0.95),
    "charitable incorporated organisation": ("vcse", "CIO", 0.95),
    "scottish charitable incorporated organisation": ("vcse", "CIO", 0.95),
    "registered society": ("vcse", "co-operative or community benefit society", 0.85),
    "industrial and provident society": ("vcse", "co-operative or community benefit society", 0.85),
    "private limited company": ("private", None, 0.85),
    "public limited company": ("private", None, 0.9),
    "limited liability partnership": ("private", None, 0.9),
    "limited partnership": ("private", None, 0.85),
    "private unlimited company": ("private", None, 0.8),
    "private unlimited": ("private", None, 0.8),
    "overseas entity": ("private", None, 0.7),
    "other company type": ("private", None, 0.5),
}
# "PRI/LBG/NSC (Private, Limited by guarantee, …)" and "PRIV LTD SECT. 30 (…)" are companies
# limited by guarantee: mostly non-profits (charities, clubs, academies, residents' companies).
GUARANTEE = ("vcse", "company limited by guarantee", 0.6)

CH_COLUMNS = {
    "CompanyName": "name",
    "CompanyNumber": "company_number",
    "RegAddress.PostCode": "postcode",
    "CompanyCategory": "category",
    "CompanyStatus": "status",
    "Accounts.AccountCategory": "account_category",
}
CHARITY_FILE = "publicextract.charity.txt"
CH_PATTERN = re.compile(r"^BasicCompanyData(?:AsOneFile)?-.*\.(?:csv|zip)$", re.I)


@dataclass
class Registers:
    """The evidence found: small registers in pandas, Companies House as Parquet, lookups.

    ``organisations`` has :data:`ORG_COLUMNS`; ``companies_parquet`` (may be None) has the same
    columns plus ``category``; ``charity_scale`` maps charity number → scale label;
    ``onspd_parquet`` / ``district_lads`` are postcode lookups; ``areas_of_operation`` holds the
    charities' areas of operation with ONS codes (``operations.AREA_COLUMNS``) and ``lad_names``
    ONS code → council name; ``sources`` names what was read.
    """

    organisations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ORG_COLUMNS))
    companies_parquet: Path | None = None
    charity_scale: dict[str, str] = field(default_factory=dict)
    onspd_parquet: Path | None = None
    district_lads: dict[str, list[str]] | None = None
    areas_of_operation: pd.DataFrame | None = None
    lad_names: dict[str, str] | None = None
    sources: list[str] = field(default_factory=list)

    def connect(self):  # -> duckdb.DuckDBPyConnection
        """A DuckDB connection with a view ``orgs`` over every register's rows (ORG_COLUMNS)."""
        import duckdb

        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")
        con.register("small_orgs", self.organisations[ORG_COLUMNS])
        parts = [f"SELECT {', '.join(ORG_COLUMNS)} FROM small_orgs"]
        if self.companies_parquet is not None:
            path = str(self.companies_parquet).replace("'", "''")
            parts.append(f"SELECT {', '.join(ORG_COLUMNS)} FROM read_parquet('{path}')")
        con.execute("CREATE VIEW orgs AS " + " UNION ALL ".join(parts))
        return con


def _cache_dir(registers_dir: Path) -> Path:
    """Where converted Parquet goes: <registers>/_parquet, else data/cache/registers."""
    from kil_analysis.paths import data_dir

    for candidate in (registers_dir / "_parquet", data_dir() / "cache" / "registers"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            probe = candidate / ".write_test"
            probe.write_text("")
            probe.unlink()
            return candidate
        except OSError:
            continue
    raise OSError(f"{registers_dir}: no writable folder for the register Parquet cache")


def _stamp(paths: list[Path]) -> str:
    total = sum(p.stat().st_size for p in paths)
    newest = max(int(p.stat().st_mtime) for p in paths)
    return f"{total:x}-{newest:x}"


def _unzip_member(zip_path: Path, suffix: str, dest_dir: Path) -> Path:
    """Stream the first member ending in ``suffix`` out of a zip (no whole-file read)."""
    with zipfile.ZipFile(zip_path) as zf:
        members = [m for m in zf.namelist() if m.lower().endswith(suffix)]
        if not members:
            raise ValueError(f"{zip_path}: no {suffix} file inside the zip")
        out = dest_dir / Path(members[0]).name
        if not out.exists():
            tmp = out.with_suffix(out.suffix + ".part")
            with zf.open(members[0]) as src, tmp.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            tmp.replace(out)
        return out


def _classify_categories(category: pd.Series) -> pd.DataFrame:
    key = category.fillna("").astype(str).str.strip().str.lower()
    guarantee = key.str.startswith("pri/lbg") | key.str.startswith("priv ltd sect")
    found = key.map(CH_CATEGORY_TYPES)
    org_type = found.map(lambda t: t[0] if isinstance(t, tuple) else None)
    form = found.map(lambda t: t[1] if isinstance(t, tuple) else None)
    conf = found.map(lambda t: t[2] if isinstance(t, tuple) else 0.0)
    org_type = org_type.where(~guarantee, GUARANTEE[0])
    form = form.where(~guarantee, GUARANTEE[1])
    conf = conf.where(~guarantee, GUARANTEE[2])
    return pd.DataFrame({"org_type": org_type, "vcse_form": form, "org_type_confidence": conf})


def companies_house_to_parquet(csv_paths: list[Path], out: Path, batch_rows: int = 250_000) -> Path:
    """Convert Companies House basic company data CSV(s) to Parquet in :data:`ORG_COLUMNS`.

    Out of core: DuckDB streams the CSV(s) to a narrow Parquet file, which is then read back in
    batches of ``batch_rows`` to add match keys, types and sizes. Peak memory is one batch.
    """
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    narrow = out.with_suffix(".narrow.parquet")
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in csv_paths)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    source = f"read_csv([{files}], header = true, all_varchar = true, quote = '\"')"
    actual = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    by_stripped = {c.strip(): c for c in actual}
    missing = [c for c in CH_COLUMNS if c not in by_stripped]
    if missing:
        raise ValueError(f"{csv_paths[0]}: not Companies House basic data (no {missing[0]})")
    select = ", ".join(f'"{by_stripped[c]}" AS {alias}' for c, alias in CH_COLUMNS.items())
    con.execute(f"COPY (SELECT {select} FROM {source}) TO '{narrow}' (FORMAT parquet)")
    con.close()

    tmp = out.with_suffix(".part")
    writer = None
    try:
        for batch in pq.ParquetFile(narrow).iter_batches(batch_size=batch_rows):
            df = batch.to_pandas()
            frame = _companies_frame(df)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
        narrow.unlink(missing_ok=True)
    if writer is None:  # empty register
        pd.DataFrame(columns=[*ORG_COLUMNS, "category"]).astype(str).to_parquet(tmp)
    tmp.replace(out)
    return out


def _companies_frame(df: pd.DataFrame) -> pd.DataFrame:
    number = df["company_number"].fillna("").str.strip().str.upper()
    types = _classify_categories(df["category"])
    size = size_from_account_category(df["account_category"])
    status = df["status"].fillna("").str.strip().str.lower()
    frame = pd.DataFrame(
        {
            "register_id": "GB-COH-" + number,
            "name": df["name"].fillna("").str.strip(),
            "match_key": match_keys(name_keys(df["name"])),
            "org_type": types["org_type"],
            "vcse_form": types["vcse_form"],
            "org_type_confidence": types["org_type_confidence"].astype(float),
            "postcode": df["postcode"].fillna("").str.strip().str.upper(),
            "size": size["size"],
            "size_rule": size["size_rule"],
            "size_confidence": size["size_confidence"].astype(float),
            "company_number": number,
            "charity_number": None,
            "active": ~status.str.startswith("dissolved") & ~status.str.contains("removed"),
            "category": df["category"].fillna("").str.strip(),
        }
    )
    for col in ("org_type", "vcse_form", "size_rule", "charity_number"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None).astype("string")
    return frame


def read_charity_extract(path: Path) -> pd.DataFrame:
    """Charity Commission ``publicextract.charity.txt`` (or its zip) → ORG_COLUMNS rows.

    Only main charities (linked_charity_number 0) are kept; size is the income band.
    """
    usecols = [
        "registered_charity_number",
        "linked_charity_number",
        "charity_name",
        "charity_registration_status",
        "latest_income",
        "charity_contact_postcode",
        "charity_company_registration_number",
        "charity_is_cio",
    ]
    df = pd.read_csv(
        path,
        sep="\t",
        dtype=str,
        usecols=lambda c: c in usecols,
        quoting=3,
        encoding="utf-8-sig",
        on_bad_lines="skip",
        compression="zip" if path.suffix.lower() == ".zip" else None,
    )
    linked = df.get("linked_charity_number", pd.Series("0", index=df.index)).fillna("0")
    df = df[linked.str.strip().isin(["0", ""])]
    number = df["registered_charity_number"].fillna("").str.strip()
    is_cio = df.get("charity_is_cio", pd.Series("", index=df.index)).fillna("")
    is_cio = is_cio.str.strip().str.lower().isin(["true", "1", "yes"])
    size = size_from_income(df["latest_income"])
    company = df.get("charity_company_registration_number", pd.Series(None, index=df.index))
    company = company.fillna("").str.strip().str.upper().str.zfill(8).where(company.notna(), None)
    return pd.DataFrame(
        {
            "register_id": "GB-CHC-" + number,
            "name": df["charity_name"].fillna("").str.strip(),
            "match_key": match_keys(name_keys(df["charity_name"])),
            "org_type": "vcse",
            "vcse_form": is_cio.map({True: "CIO", False: "charity"}),
            "org_type_confidence": 0.95,
            "postcode": df["charity_contact_postcode"].fillna("").str.strip().str.upper(),
            "size": size["size"],
            "size_rule": size["size_rule"],
            "size_confidence": size["size_confidence"],
            "company_number": company,
            "charity_number": number,
            "active": df["charity_registration_status"].fillna("").str.lower().ne("removed"),
        }
    )


def _org_frame(**cols) -> pd.DataFrame:
    frame = pd.DataFrame(cols)
    for col in ORG_COLUMNS:
        if col not in frame:
            frame[col] = None
    return frame[ORG_COLUMNS]


def read_charity_company_numbers(path: Path) -> pd.DataFrame:
    """charity-company-numbers.csv (org_id_a GB-CHC-…, org_id_b GB-COH-…, name) → ORG rows."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return _org_frame(
        register_id=df["org_id_a"],
        name=df["name"].fillna(""),
        match_key=match_keys(name_keys(df["name"])),
        org_type="vcse",
        vcse_form="charity",
        org_type_confidence=0.9,
        company_number=df["org_id_b"].str.replace("GB-COH-", "", regex=False),
        charity_number=df["org_id_a"].str.replace("GB-CHC-", "", regex=False),
        size="unknown",
        size_confidence=0.0,
        active=True,
    )


def read_cio_company_numbers(path: Path) -> pd.DataFrame:
    """cio_company_numbers.csv (company_number CE…, charity_number) → nameless ORG rows (ids)."""
    df = pd.read_csv(path, dtype=str)
    return _org_frame(
        register_id="GB-CHC-" + df["charity_number"],
        name="",
        match_key="",
        org_type="vcse",
        vcse_form="CIO",
        org_type_confidence=0.95,
        company_number=df["company_number"].str.strip().str.upper(),
        charity_number=df["charity_number"].str.strip(),
        size="unknown",
        size_confidence=0.0,
        active=True,
    )


def read_mutual_companies(path: Path) -> pd.DataFrame:
    """mutual-companies.csv (mutual_id GB-MPR-…, company_id GB-COH-…, name) → ORG rows."""
    df = pd.read_csv(path, dtype=str)
    return _org_frame(
        register_id=df["mutual_id"],
        name=df["name"].fillna(""),
        match_key=match_keys(name_keys(df["name"])),
        org_type="vcse",
        vcse_form="co-operative or community benefit society",
        org_type_confidence=0.8,
        company_number=df["company_id"].str.replace("GB-COH-", "", regex=False),
        size="unknown",
        size_confidence=0.0,
        active=True,
    )


COOP_FORMS = {
    "society": "co-operative or community benefit society",
    "community interest company": "CIC",
    "charitable incorporated organisation": "CIO",
    "scottish charitable incorporated organisation": "CIO",
    "company": "co-operative",
    "llp": "co-operative",
    "unincorporated": "co-operative",
}


def read_coops_uk(path: Path) -> pd.DataFrame:
    """Co-operatives UK open data CSV (quoted; street fields contain newlines) → ORG rows."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    number = df["Registered Number"].fillna("").str.strip().str.upper()
    registrar = df["Registrar"].fillna("")
    prefix = registrar.map({"FCA": "GB-MPR-", "Companies House": "GB-COH-"}).fillna("GB-CUK-")
    ident = (prefix + number).where(number != "", "GB-CUK-" + df["CUK Organisation ID"])
    form = df["Legal Form"].fillna("").str.strip().str.lower().map(COOP_FORMS)
    company = number.where(registrar == "Companies House", None)
    status = df.get("Registered Status", pd.Series("", index=df.index)).fillna("")
    return _org_frame(
        register_id=ident,
        name=df["Registered Name"].fillna(""),
        match_key=match_keys(name_keys(df["Registered Name"])),
        org_type="vcse",
        vcse_form=form.fillna("co-operative"),
        org_type_confidence=0.85,
        postcode=df["Registered Postcode"].fillna("").str.strip().str.upper(),
        company_number=company,
        size="unknown",
        size_confidence=0.0,
        active=~status.str.lower().str.contains("dead|dissolved"),
    )


def read_charity_scale(path: Path) -> dict[str, str]:
    """charity_scale.csv (reg_number, scale) → {charity number: Local / National / …}."""
    df = pd.read_csv(path, dtype=str)
    return dict(zip(df["reg_number"].str.strip(), df["scale"].fillna(""), strict=False))


def _find(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "_parquet" not in p.parts)


def _load_areas_of_operation(registers_dir: Path, regs: Registers) -> None:
    """Charities' areas of operation, mapped to ONS codes with the cc-aoo lookup(s) if present."""
    from kil_analysis.enrich.operations import (
        LOOKUP_PATTERN,
        find_area_of_operation,
        map_area_codes,
        read_aoo_lookup,
        read_area_of_operation,
    )

    found = find_area_of_operation(registers_dir)
    if found is None:
        return
    path, member = found
    areas = read_area_of_operation(path, member)
    lookups = [read_aoo_lookup(p) for p in _find(registers_dir, LOOKUP_PATTERN)]
    lookup = pd.concat(lookups, ignore_index=True).drop_duplicates("area_key") if lookups else None
    regs.areas_of_operation = map_area_codes(areas, lookup)
    where = f"{path.name}:{member}" if member else path.name
    how = "cc-aoo lookup" if lookup is not None else "no cc-aoo lookup: council names"
    regs.sources.append(f"charity area of operation ({where}; {how})")


def _read_lad_names(folder: Path) -> dict[str, str] | None:
    """lad_names.json ({ONS code: name}) from a lookups folder, if there."""
    import json

    for path in _find(folder, "lad_names.json")[:1]:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return {str(k).strip(): str(v) for k, v in data.items() if isinstance(v, str)}
    return None


def load_registers(registers_dir: Path, lookups_dir: Path | None = None) -> Registers | None:
    """Discover and load whatever registers and postcode lookups the folder(s) hold.

    Returns None when nothing usable is found. Companies House data is converted to Parquet once
    (cached by file size and time); later calls reuse it.
    """
    from kil_analysis.enrich.locality import find_district_lookup, onspd_to_parquet

    registers_dir = Path(registers_dir)
    regs = Registers()
    frames: list[pd.DataFrame] = []
    if registers_dir.is_dir():
        cache = None
        ch_files = [
            p for p in _find(registers_dir, "BasicCompanyData*") if CH_PATTERN.match(p.name)
        ]
        if ch_files:
            cache = _cache_dir(registers_dir)
            csvs = [p for p in ch_files if p.suffix.lower() == ".csv"]
            if not csvs:
                csvs = [_unzip_member(ch_files[0], ".csv", cache)]
            out = cache / f"companies-{_stamp(csvs)}.parquet"
            if not out.exists():
                companies_house_to_parquet(csvs, out)
            regs.companies_parquet = out
            regs.sources.append(f"Companies House ({', '.join(p.name for p in csvs)})")
        readers = [
            (CHARITY_FILE, read_charity_extract, "Charity Commission extract"),
            ("publicextract.charity.zip", read_charity_extract, "Charity Commission extract"),
            ("charity-company-numbers.csv", read_charity_company_numbers, "charitable companies"),
            ("cio_company_numbers.csv", read_cio_company_numbers, "CIO company numbers"),
            ("mutual-companies.csv", read_mutual_companies, "mutual societies"),
            ("open_data_organisations*.csv", read_coops_uk, "Co-operatives UK"),
        ]
        for pattern, reader, label in readers:
            for path in _find(registers_dir, pattern)[:1]:
                frames.append(reader(path))
                regs.sources.append(f"{label} ({path.name})")
        for path in _find(registers_dir, "charity_scale.csv")[:1]:
            regs.charity_scale = read_charity_scale(path)
            regs.sources.append(f"charity scale ({path.name})")
        _load_areas_of_operation(registers_dir, regs)
    for folder in [p for p in (lookups_dir, registers_dir) if p is not None and Path(p).is_dir()]:
        if regs.onspd_parquet is None:
            regs.onspd_parquet = onspd_to_parquet(Path(folder), _cache_dir)
            if regs.onspd_parquet is not None:
                regs.sources.append("ONS Postcode Directory")
        if regs.district_lads is None:
            regs.district_lads = find_district_lookup(Path(folder))
            if regs.district_lads is not None:
                regs.sources.append("postcode district → local authority lookup")
        if regs.lad_names is None:
            regs.lad_names = _read_lad_names(Path(folder))
    if frames:
        regs.organisations = pd.concat(frames, ignore_index=True)[ORG_COLUMNS]
    if not regs.sources:
        return None
    return regs
