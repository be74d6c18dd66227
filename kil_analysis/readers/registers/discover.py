"""Find every register under a folder, recognise each file by its layout, load it once.

:func:`load_registers` walks the registers (and lookups) folders. Each file's first line (or,
in a zip, its members' names and the first line or JSON keys of the first member) is tested
against :data:`LAYOUTS`, in order; the first test that accepts it decides the loader, whatever
the file is called. Small registers are converted once to Parquet in the cache folder, keyed by
the loader, the file's size and modification time and :data:`CACHE_VERSION` (a changed file or
loader is converted again) under data/cache/registers, never inside the registers folder;
Companies House and the ONS Postcode Directory are converted out of core with DuckDB. Files
that no layout accepts are listed in ``Registers.unrecognised``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kil_analysis.readers.atomic import build_once
from kil_analysis.readers.registers import charities, companies, public_bodies, societies
from kil_analysis.readers.registers.postcodes import (
    codepoint_to_parquet,
    find_district_lookup,
    is_codepoint_open,
    onspd_to_parquet,
)
from kil_analysis.readers.registers.shape import ORG_COLUMNS, Registers

CACHE_VERSION = 15
SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".zip")


@dataclass(frozen=True)
class Layout:
    """One register layout: a test on the header (or first data row) and its loader."""

    name: str
    test: Callable[[list[str]], bool]
    read: Callable[..., pd.DataFrame]
    label: str
    headerless: bool = False  # the test reads the first data row (no header in the file)


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "charity",
        charities.is_charity_extract,
        charities.read_charity_extract,
        "Charity Commission extract",
    ),
    Layout(
        "charity_other_names",
        charities.is_other_names,
        charities.read_other_names,
        "Charity Commission other names",
    ),
    Layout("ukcat", charities.is_ukcat, charities.read_ukcat, "UK-CAT charities"),
    Layout(
        "charity_company",
        charities.is_charity_company_numbers,
        charities.read_charity_company_numbers,
        "charitable companies",
    ),
    Layout(
        "cio_company",
        charities.is_cio_company_numbers,
        charities.read_cio_company_numbers,
        "CIO company numbers",
    ),
    Layout(
        "charity_alt_names",
        charities.is_alternative_names,
        charities.read_alternative_names,
        "charity alternative names",
    ),
    Layout(
        "federated",
        charities.is_federated_charities,
        charities.read_federated_charities,
        "federated charities",
    ),
    Layout(
        "charity_mergers",
        charities.is_register_of_mergers,
        charities.read_register_of_mergers,
        "charity register of mergers",
    ),
    Layout(
        "cic_numbers",
        companies.is_cic_numbers,
        companies.read_cic_numbers,
        "Community Interest Company numbers",
    ),
    Layout(
        "coops_2017",
        societies.is_coops_uk_2017,
        societies.read_coops_uk_2017,
        "Co-operatives UK (2017 layout)",
    ),
    Layout(
        "coops_2023",
        societies.is_coops_uk_2023,
        societies.read_coops_uk_2023,
        "Co-operatives UK (2023 layout)",
    ),
    Layout(
        "mutuals",
        societies.is_mutual_companies,
        societies.read_mutual_companies,
        "mutual societies",
    ),
    Layout(
        "social_housing",
        societies.is_social_housing,
        societies.read_social_housing,
        "social housing providers",
    ),
    Layout(
        "rsp_numbers",
        societies.is_rsp_numbers,
        societies.read_rsp_numbers,
        "registered providers' numbers",
    ),
    Layout(
        "local_authorities",
        public_bodies.is_local_authorities,
        public_bodies.read_local_authorities,
        "English local authorities",
    ),
    Layout(
        "police_forces",
        public_bodies.is_police_forces,
        public_bodies.read_police_forces,
        "police forces",
    ),
    Layout(
        "police_stations",
        public_bodies.is_police_stations,
        public_bodies.read_police_stations,
        "police stations",
    ),
    Layout(
        "fire",
        public_bodies.is_fire_services,
        public_bodies.read_fire_services,
        "fire and rescue services",
    ),
    Layout("schools", public_bodies.is_schools, public_bodies.read_schools, "schools"),
    Layout(
        "independent_schools",
        public_bodies.is_independent_schools,
        public_bodies.read_independent_schools,
        "independent schools",
    ),
    Layout(
        "academy_trusts",
        public_bodies.is_academy_trusts,
        public_bodies.read_academy_trusts,
        "academy trusts",
    ),
    Layout(
        "universities",
        public_bodies.is_universities,
        public_bodies.read_universities,
        "universities",
    ),
    Layout(
        "govuk",
        public_bodies.is_govuk_organisations,
        public_bodies.read_govuk_organisations,
        "GOV.UK organisations",
    ),
    Layout(
        "nhs_ods",
        public_bodies.is_nhs_ods,
        public_bodies.read_nhs_ods,
        "NHS organisations (ODS)",
        headerless=True,
    ),
)


def _cache_dir(registers_dir: Path) -> Path:
    """Where converted Parquet goes: data/cache/registers/<folder id>. Never inside the
    registers folder itself: it may be shared or read-only (and a root user can write where the
    permission bits say no). The folder id is a hash of its resolved path."""
    import hashlib

    from kil_analysis.paths import data_dir

    folder_id = hashlib.sha256(str(Path(registers_dir).resolve()).encode()).hexdigest()[:12]
    out = data_dir() / "cache" / "registers" / folder_id
    out.mkdir(parents=True, exist_ok=True)
    return out


def stamp(paths: list[Path]) -> str:
    """A cache key for files: total size and newest modification time (hex)."""
    total = sum(p.stat().st_size for p in paths)
    newest = max(int(p.stat().st_mtime) for p in paths)
    return f"{total:x}-{newest:x}"


def _split(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    row = next(csv.reader([line.strip("\r\n").lstrip("\ufeff")], delimiter=delimiter), [])
    return [c.strip() for c in row]


def _json_keys(head: str) -> list[str]:
    """Keys of the first record of a JSON array (read from the first few kB only)."""
    first = head.lstrip("\ufeff \r\n[").split("}", 1)[0]
    return re.findall(r'"([^"]+)"\s*:', first)


def file_header(path: Path) -> list[str]:
    """The header (or first row) a layout test reads: CSV/TSV first line, JSON first keys, and
    for a zip the first tabular or JSON member's. Empty when unreadable."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                members = [n for n in zf.namelist() if n.lower().endswith(SUFFIXES[:4])]
                if not members:
                    return []
                with zf.open(members[0]) as fh:
                    head = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace").read(4096)
                    suffix = Path(members[0]).suffix.lower()
        else:
            with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
                head = fh.read(4096)
            suffix = path.suffix.lower()
    except (OSError, zipfile.BadZipFile):
        return []
    if suffix == ".json" or head.lstrip().startswith("[{"):
        return _json_keys(head)
    return _split(head.splitlines()[0]) if head else []


def recognise(path: Path) -> Layout | None:
    """The first layout whose test accepts the file's header (None: not a known register)."""
    header = file_header(path)
    if not header:
        return None
    for layout in LAYOUTS:
        try:
            if layout.test(header):
                return layout
        except (IndexError, TypeError):
            continue
    return None


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and "_parquet" not in p.parts
    )


def _load_cached(
    path: Path, layout: Layout, cache: Path, lad_names: dict[str, str] | None
) -> pd.DataFrame:
    """A register file's rows, from the Parquet cache when it is current."""
    out = cache / f"{layout.name}-{stamp([path])}-v{CACHE_VERSION}.parquet"
    build_once(out, lambda target: _convert_register(path, layout, target, lad_names))
    return pd.read_parquet(out)  # the same dtypes whether converted now or read from the cache


def _convert_register(
    path: Path, layout: Layout, out: Path, lad_names: dict[str, str] | None
) -> None:
    """Read one register file with its layout and write its rows to ``out`` (Parquet)."""
    if layout.name == "local_authorities":
        frame = layout.read(path, lad_names)
    else:
        frame = layout.read(path)
    frame = frame[ORG_COLUMNS].copy()
    for col in ORG_COLUMNS:
        if col not in ("org_type_confidence", "size_confidence", "active"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["org_type_confidence"] = pd.to_numeric(frame["org_type_confidence"], errors="coerce")
    frame["size_confidence"] = pd.to_numeric(frame["size_confidence"], errors="coerce")
    frame["active"] = frame["active"].fillna(True).astype(bool)
    tmp = out.with_suffix(".part")
    frame.to_parquet(tmp, index=False)
    tmp.replace(out)


def _unzip_member(zip_path: Path, suffix: str, dest_dir: Path) -> Path:
    """Stream the first member ending in ``suffix`` out of a zip (no whole-file read)."""
    with zipfile.ZipFile(zip_path) as zf:
        members = [m for m in zf.namelist() if m.lower().endswith(suffix)]
        if not members:
            raise ValueError(f"{zip_path}: no {suffix} file inside the zip")
        out = dest_dir / Path(members[0]).name

        def unzip(target: Path) -> None:
            tmp = target.with_suffix(target.suffix + ".part")
            with zf.open(members[0]) as src, tmp.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            tmp.replace(target)

        return build_once(out, unzip)


def _load_companies_house(paths: list[Path], regs: Registers, cache: Path) -> None:
    csvs = [p for p in paths if p.suffix.lower() == ".csv"]
    if not csvs:
        csvs = [_unzip_member(paths[0], ".csv", cache)]
    out = cache / f"companies-{stamp(csvs)}-v{CACHE_VERSION}.parquet"
    build_once(out, lambda target: companies.companies_house_to_parquet(csvs, target))
    regs.companies_parquet = out
    regs.sources.append(f"{companies.CH_LABEL} ({', '.join(p.name for p in csvs)})")


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
    lookups = [
        read_aoo_lookup(p)
        for p in sorted(registers_dir.rglob(LOOKUP_PATTERN))
        if "_parquet" not in p.parts
    ]
    lookup = pd.concat(lookups, ignore_index=True).drop_duplicates("area_key") if lookups else None
    regs.areas_of_operation = map_area_codes(areas, lookup)
    where = f"{path.name}:{member}" if member else path.name
    how = "cc-aoo lookup" if lookup is not None else "no cc-aoo lookup: council names"
    regs.sources.append(f"charity area of operation ({where}; {how})")


def _read_lad_names(folder: Path) -> dict[str, str] | None:
    """lad_names.json ({ONS code: name}) from a lookups folder, if there."""
    for path in sorted(Path(folder).rglob("lad_names.json"))[:1]:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return {str(k).strip(): str(v) for k, v in data.items() if isinstance(v, str)}
    return None


def _first_row(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            return _split(fh.readline())
    except OSError:
        return []


def _reconcile(orgs: pd.DataFrame) -> pd.DataFrame:
    """Cross-register corrections: a school the independent-schools list holds is not public
    (Get Information About Schools lists independent schools too); a council housing company's
    name derived from the council's place ("WEST DEVON HOMES") that another register holds
    (a housing association, a charity) is that body, not the council's company; a social
    housing provider has the company and charity numbers the providers' numbers list gives it
    (:func:`societies.with_provider_numbers`)."""
    orgs = societies.with_provider_numbers(orgs)
    independent = set(orgs.loc[orgs["public_kind"].eq("independent_school"), "register_id"])
    state = orgs["public_kind"].eq("school") & orgs["register_id"].isin(independent)
    derived = orgs["register"].eq(public_bodies.HOUSING_COMPANY_REGISTER)
    held = set(orgs.loc[~derived, "match_key"])
    taken = derived & orgs["match_key"].isin(held)
    return orgs[~state & ~taken].reset_index(drop=True)


def load_registers(registers_dir: Path, lookups_dir: Path | None = None) -> Registers | None:
    """Discover and load every register and postcode lookup the folder(s) hold.

    Returns None when nothing usable is found. ``Registers.sources`` names each file read and
    how it was recognised; ``Registers.unrecognised`` lists files no layout accepted.
    """
    registers_dir = Path(registers_dir)
    regs = Registers()
    folders = [Path(p) for p in (lookups_dir, registers_dir) if p is not None and Path(p).is_dir()]
    for folder in folders:
        if regs.lad_names is None:
            regs.lad_names = _read_lad_names(folder)
    frames: list[pd.DataFrame] = []
    unrecognised: list[str] = []
    ch_files: list[Path] = []
    codepoint: list[Path] = []
    cache: Path | None = None
    if registers_dir.is_dir():
        for path in _files(registers_dir):
            if path.suffix.lower() == ".zip" and path.name.lower().startswith("basiccompanydata"):
                ch_files.append(path)
                continue
            header = file_header(path)
            if header and companies.is_companies_house(header):
                ch_files.append(path)
                continue
            if path.name.startswith("charity_scale") or charities.is_charity_scale(header):
                cache = cache or _cache_dir(registers_dir)
                regs.charity_scale = charities.read_charity_scale(path)
                regs.sources.append(f"charity scale ({path.name})")
                continue
            layout = recognise(path)
            if layout is None:
                if not path.match("cc-aoo-gss-iso*.csv"):  # read with the area-of-operation table
                    unrecognised.append(path.name)
                continue
            cache = cache or _cache_dir(registers_dir)
            frames.append(_load_cached(path, layout, cache, regs.lad_names))
            regs.sources.append(f"{layout.label} ({path.name})")
        if ch_files:
            cache = cache or _cache_dir(registers_dir)
            _load_companies_house(ch_files, regs, cache)
        _load_areas_of_operation(registers_dir, regs)
    for folder in folders:
        if regs.onspd_parquet is None:
            regs.onspd_parquet = onspd_to_parquet(folder, _cache_dir)
            if regs.onspd_parquet is not None:
                regs.sources.append("ONS Postcode Directory (supplied)")
        if regs.district_lads is None:
            regs.district_lads = find_district_lookup(folder)
            if regs.district_lads is not None:
                regs.sources.append("postcode district → local authority lookup")
        codepoint += [p for p in sorted(folder.rglob("*.csv")) if is_codepoint_open(_first_row(p))]
    if codepoint:
        cache = _cache_dir(registers_dir if registers_dir.is_dir() else folders[0])
        out = cache / f"codepoint-{stamp(codepoint)}-v{CACHE_VERSION}.parquet"
        regs.codepoint_parquet = build_once(
            out, lambda target: codepoint_to_parquet(codepoint, target)
        )
        regs.sources.append(f"OS Code-Point Open ({len(codepoint)} postcode areas)")
    if frames:
        regs.organisations = _reconcile(pd.concat(frames, ignore_index=True)[ORG_COLUMNS])
    regs.unrecognised = unrecognised
    if not regs.sources:
        return None
    return regs
