"""Registers of community organisations with their postcodes, for the community asset map.

Found under a registers folder (each optional):

- Co-operatives UK open data, ``open_data_organisations_*.csv`` (the latest by name): the 2023
  layout (``Name``, ``Postcode``, ``Latitude``/``Longitude``, ``Legal Form``, ``Identifier``) or
  the 2017 one (``Registered Name``, ``Registered Postcode``, ``Registered Number``). Street
  fields hold newlines inside quotes (read by a CSV parser, never split on lines).
- UK Charity Activity Tags extracts (``ukcat/*.csv`` with ``org_id``, ``name``, ``postcode``,
  ``income``): registered charities with postcode and latest income.
- The Regulator of Social Housing's list of registered providers (``rsh_registered_providers*
  .csv``): names and designation but **no addresses**, so providers cannot be placed on a map.

Every table has ``source``, ``org_id``, ``name``, ``postcode`` (normalised ``AA9A 9AA`` or NA)
and, where the register gives them, ``lat``/``lon`` and ``income_gbp``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from kil_analysis.readers.parse.postcodes import extract_postcodes

COMMUNITY_COLUMNS = ["source", "org_id", "name", "postcode", "lat", "lon", "income_gbp"]


def _find(folder: Path, pattern: str) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "_parquet" not in p.parts)


def _frame(**cols) -> pd.DataFrame:
    frame = pd.DataFrame(cols)
    for col in COMMUNITY_COLUMNS:
        if col not in frame:
            frame[col] = pd.NA
    return frame[COMMUNITY_COLUMNS]


def read_coops(path: Path) -> pd.DataFrame:
    """Co-operatives UK open data (2023 or 2017 layout) as :data:`COMMUNITY_COLUMNS`."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    if "Name" in df and "Postcode" in df:
        return _frame(
            source="Co-operatives UK",
            org_id="GB-CUK-" + df["Identifier"].str.strip(),
            name=df["Name"].str.strip(),
            postcode=extract_postcodes(df["Postcode"]),
            lat=pd.to_numeric(df.get("Latitude"), errors="coerce"),
            lon=pd.to_numeric(df.get("Longitude"), errors="coerce"),
        )
    if "Registered Name" in df and "Registered Postcode" in df:
        return _frame(
            source="Co-operatives UK",
            org_id="GB-CUK-" + df.get("CUK Organisation ID", df["Registered Name"]).str.strip(),
            name=df["Registered Name"].str.strip(),
            postcode=extract_postcodes(df["Registered Postcode"]),
        )
    raise ValueError(f"{path}: not a Co-operatives UK open data file (no Name/Postcode columns)")


def read_ukcat(path: Path) -> pd.DataFrame:
    """A UK Charity Activity Tags extract (``org_id``, ``name``, ``postcode``, ``income``)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("org_id", "name", "postcode", "income") if c not in df]
    if missing:
        raise ValueError(f"{path}: not a UKCAT charity extract (no {missing[0]} column)")
    active = df.get("active", pd.Series("True", index=df.index)).str.lower() != "false"
    df = df[active]
    return _frame(
        source="Charity register (UKCAT)",
        org_id=df["org_id"].str.strip(),
        name=df["name"].str.strip(),
        postcode=extract_postcodes(df["postcode"]),
        income_gbp=pd.to_numeric(df["income"], errors="coerce"),
    )


def read_social_housing(path: Path) -> pd.DataFrame:
    """Registered providers of social housing.

    ``name``, ``registration_number``, ``designation`` (local authority / non-profit / profit),
    ``corporate_form``.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return pd.DataFrame(
        {
            "name": df["organisation_name"].str.strip(),
            "registration_number": df["registration_number"].str.strip(),
            "designation": df.get("designation", "").str.strip(),
            "corporate_form": df.get("corporate_form", "").str.strip(),
        }
    )


def load_community_registers(registers_dir: Path) -> dict[str, Any]:
    """Whatever community registers the folder holds.

    ``organisations`` (co-operatives and charities, :data:`COMMUNITY_COLUMNS`; charities found in
    several extracts kept once), ``social_housing`` (or None) and ``sources`` (file names read).
    """
    frames, sources = [], []
    coops = _find(registers_dir, "open_data_organisations_*.csv")
    if coops:
        frames.append(read_coops(coops[-1]))
        sources.append(f"Co-operatives UK ({coops[-1].name})")
    for path in _find(registers_dir, "*.csv"):
        if path.parent.name.lower() != "ukcat":
            continue
        try:
            frames.append(read_ukcat(path))
        except ValueError:
            continue  # other UKCAT tables (e.g. CIC numbers) carry no postcodes
        sources.append(f"UKCAT charities ({path.name})")
    housing_files = _find(registers_dir, "rsh_registered_providers*.csv")
    housing = read_social_housing(housing_files[0]) if housing_files else None
    if housing_files:
        sources.append(f"registered providers of social housing ({housing_files[0].name})")
    orgs = (
        pd.concat(frames, ignore_index=True).drop_duplicates(["source", "org_id"])
        if frames
        else pd.DataFrame(columns=COMMUNITY_COLUMNS)
    )
    return {"organisations": orgs, "social_housing": housing, "sources": sources}
