"""Synthetic geography for the demo: local authorities, their postcode districts, place names.

The reference data lives in data files beside this module (package data), read on first use:

- ``data/local_authorities.csv`` — code, name, region, country, post town, centre, county;
- ``data/postcode_districts.csv`` — the postcode districts (and, for districts that straddle a
  boundary, the sectors) in each local authority;
- ``data/geography.yml`` — which authorities play which part for each demo council, where
  national head offices are, neighbourhood names, Charity Commission area keys;
- ``data/charity_areas_of_operation.csv`` — the rows of the Commission's area lookup used.

Postcode districts and the councils they fall in follow the real ONS Postcode Directory
(districts that straddle a boundary, such as BS8 or NE3, are split between councils by postcode
sector). The unit postcodes themselves are made up but have real shapes (``BS1 5TR``). Ward codes
(``osward``) and coordinates are synthetic: plausible codes and positions near each council,
not real wards. The module-level names (``LADS``, ``COUNCIL_GEOGRAPHY``, ``LONDON``,
``ELSEWHERE``, ``PLACES``, ``REGION_PLACES``, ``CHARITY_AREAS``, ``CHARITY_AREA_OF_LAD``) are
loaded lazily, so importing the module reads nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml


@dataclass(frozen=True)
class Lad:
    """A local authority district: code, name, region, country, post town, centre and districts.

    ``districts`` maps a postcode district to the sectors (inward first digit) lying in this
    council; an empty tuple means every sector.
    """

    code: str
    name: str
    region: str
    country: str
    town: str
    lat: float
    lon: float
    districts: tuple[tuple[str, tuple[int, ...]], ...]
    county: str = "E99999999"


def data_text(name: str) -> str:
    """The text of ``kil_analysis/demo/data/<name>`` (shipped as package data)."""
    return resources.files("kil_analysis.demo").joinpath("data", name).read_text("utf-8")


def read_csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of a demo data CSV file, as dicts of text, in file order."""
    return list(csv.DictReader(data_text(name).splitlines()))


@cache
def geography() -> dict[str, Any]:
    """``data/geography.yml`` as loaded (lists as tuples are made by the accessors)."""
    return yaml.safe_load(data_text("geography.yml"))


@cache
def local_authorities() -> dict[str, Lad]:
    """Every demo local authority by ONS code, in file order, with its postcode districts."""
    districts: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
    for row in read_csv_rows("postcode_districts.csv"):
        sectors = tuple(int(s) for s in row["sectors"].split())
        districts.setdefault(row["lad"], []).append((row["district"], sectors))
    return {
        row["code"]: Lad(
            row["code"],
            row["name"],
            row["region"],
            row["country"],
            row["town"],
            float(row["lat"]),
            float(row["lon"]),
            tuple(districts.get(row["code"], ())),
            row["county"],
        )
        for row in read_csv_rows("local_authorities.csv")
    }


@cache
def charity_areas() -> tuple[tuple[str, ...], ...]:
    """Rows of the Commission's area lookup that the demo uses.

    Each row: (key, aooname, aoosort, welsh, master, GSS, ISO3166-2:GB, oldCode).
    """
    columns = ("key", "aooname", "aoosort", "welsh", "master", "GSS", "ISO3166-2:GB", "oldCode")
    return tuple(
        tuple(row[c] for c in columns) for row in read_csv_rows("charity_areas_of_operation.csv")
    )


@cache
def charity_area_of_lad() -> dict[str, str]:
    """ONS code of a council → its Charity Commission area-of-operation key."""
    by_code = {row[5]: row[0] for row in charity_areas() if row[0].startswith("B-")}
    return {**by_code, **geography()["charity_area_of_lad"]}


def _tuples(mapping: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in mapping.items()}


_LAZY: dict[str, Callable[[], Any]] = {
    "LADS": local_authorities,
    "COUNCIL_GEOGRAPHY": lambda: {c: _tuples(g) for c, g in geography()["councils"].items()},
    "LONDON": lambda: tuple(geography()["london"]),
    "ELSEWHERE": lambda: tuple(geography()["elsewhere"]),
    "PLACES": lambda: _tuples(geography()["places"]),
    "REGION_PLACES": lambda: _tuples(geography()["region_places"]),
    "CHARITY_AREAS": charity_areas,
    "CHARITY_AREA_OF_LAD": charity_area_of_lad,
}


@cache
def _lazy(name: str) -> Any:
    return _LAZY[name]()


def __getattr__(name: str) -> Any:
    """The reference data as module attributes, read from the data files on first use."""
    if name in _LAZY:
        return _lazy(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in inward codes (no C I K M O V)


def pcd7(pcds: str) -> str:
    """ONSPD ``pcd``: outward code left-justified so the postcode is 7 characters."""
    out, inward = pcds.split(" ")
    return (out.ljust(4) + inward)[:7] if len(out) < 4 else out + inward


def pcd8(pcds: str) -> str:
    """ONSPD ``pcd2``: outward code left-justified to 4 characters, a space, the inward code."""
    out, inward = pcds.split(" ")
    return out.ljust(4) + " " + inward


class PostcodeBook:
    """Hands out unique synthetic unit postcodes inside a given council and remembers them."""

    def __init__(self, rng: np.random.Generator) -> None:
        """Hand out postcodes drawn with ``rng``."""
        self._rng = rng
        self.lad_of: dict[str, str] = {}

    def new(self, lad_code: str) -> str:
        """A fresh postcode (``BS3 4QT`` shape) lying in local authority ``lad_code``."""
        lad = local_authorities()[lad_code]
        while True:
            district, sectors = lad.districts[self._rng.integers(len(lad.districts))]
            sector = (
                int(sectors[self._rng.integers(len(sectors))])
                if sectors
                else int(self._rng.integers(10))
            )
            a, b = self._rng.integers(len(INWARD_LETTERS), size=2)
            code = f"{district} {sector}{INWARD_LETTERS[a]}{INWARD_LETTERS[b]}"
            if code not in self.lad_of:
                self.lad_of[code] = lad_code
                return code
