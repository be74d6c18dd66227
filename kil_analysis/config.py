"""Council configs: one validated YAML file per council in kil_analysis/councils/<slug>.yml.

A config says who the council is (name, ONS code, region, neighbours), what counts as "local"
(postcode districts wholly or partly in its area; postcode areas of its region), where its
published files come from (sources, for `kil fetch`) and any publication quirks that cannot be
recognised automatically (column overrides). Read with ``yaml.safe_load`` and validated: a bad
config fails with one line naming the file and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kil_analysis.paths import COUNCILS_DIR

ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
POSTCODE_AREA = re.compile(r"^[A-Z]{1,2}$")
SOURCE_KINDS = ("spend", "grants", "contracts")


class ConfigError(ValueError):
    """A council config is missing, unreadable or invalid (message names the file and field)."""


@dataclass(frozen=True)
class Neighbour:
    name: str
    ons_code: str


@dataclass(frozen=True)
class Source:
    """One published file: where to download it, what it holds, and its expected checksum."""

    url: str
    file: str
    kind: str = "spend"
    sha256: str | None = None


@dataclass(frozen=True)
class Population:
    """Residents of the council area, with the estimate's year and where the figure comes from."""

    count: int
    year: int
    source: str


@dataclass(frozen=True)
class RateRange:
    """A local re-spend rate (share of each pound, 0–1) as low / central / high sensitivity."""

    low: float
    central: float
    high: float


@dataclass(frozen=True)
class CouncilConfig:
    slug: str
    name: str
    short_name: str
    ons_code: str
    region: str
    region_code: str
    neighbours: tuple[Neighbour, ...]
    postcode_districts: tuple[str, ...]
    region_postcode_areas: tuple[str, ...]
    postcode_districts_wholly_inside: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    column_overrides: dict[str, str] = field(default_factory=dict)
    branch_based_suppliers: tuple[str, ...] = ()
    notes: str = ""
    path: Path | None = None
    # Sections beyond the spend ledger (issue 10); each optional, validated by _beyond_fields.
    population: Population | None = None
    prevention_service_keywords: tuple[str, ...] = ()
    prevention_expense_keywords: tuple[str, ...] = ()
    multiplier_rates: dict[str, RateRange] = field(default_factory=dict)
    respend_survey: str = ""
    boundaries_file: str = ""
    boundaries_vintage: str = ""
    contract_buyer_names: tuple[str, ...] = ()

    @property
    def neighbour_codes(self) -> tuple[str, ...]:
        return tuple(n.ons_code for n in self.neighbours)


def _require(raw: dict[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise ConfigError(f"{where}: missing required field '{key}'")
    value = raw[key]
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: field '{key}' must be a {kind.__name__}, got {value!r}")
    return value


def _check(pattern: re.Pattern[str], value: str, where: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ConfigError(f"{where}: {what} {value!r} is not valid")
    return value


def _expand_sources(raw: dict[str, Any], where: str) -> tuple[Source, ...]:
    sources: list[Source] = []
    for i, item in enumerate(raw.get("sources") or []):
        if not isinstance(item, dict) or "url" not in item or "file" not in item:
            raise ConfigError(f"{where}: sources[{i}] needs 'url' and 'file'")
        kind = item.get("kind", "spend")
        if kind not in SOURCE_KINDS:
            raise ConfigError(f"{where}: sources[{i}].kind must be one of {SOURCE_KINDS}")
        sources.append(Source(str(item["url"]), str(item["file"]), kind, item.get("sha256")))
    pattern = raw.get("monthly_spend_url")
    if pattern:
        if not isinstance(pattern, dict) or not {"url", "file", "first", "last"} <= set(pattern):
            raise ConfigError(f"{where}: monthly_spend_url needs url, file, first and last")
        sources.extend(_monthly_sources(pattern, where))
    return tuple(sources)


def _monthly_sources(pattern: dict[str, Any], where: str) -> list[Source]:
    import calendar

    try:
        y, m = (int(p) for p in str(pattern["first"]).split("-"))
        last_y, last_m = (int(p) for p in str(pattern["last"]).split("-"))
    except ValueError as exc:
        raise ConfigError(f"{where}: monthly_spend_url first/last must be YYYY-MM") from exc
    skip = {str(s) for s in pattern.get("missing", [])}
    checksums = pattern.get("sha256", {}) or {}
    out = []
    while (y, m) <= (last_y, last_m):
        ym = f"{y:04d}-{m:02d}"
        if ym not in skip:
            fields = {"year": y, "month": m, "month_name": calendar.month_name[m], "ym": ym}
            out.append(
                Source(
                    pattern["url"].format(**fields),
                    pattern["file"].format(**fields),
                    "spend",
                    checksums.get(ym),
                )
            )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def parse_config(raw: Any, where: str) -> CouncilConfig:
    """Validate a loaded YAML mapping and return a CouncilConfig (ConfigError if invalid)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of fields, got {type(raw).__name__}")
    slug = _check(SLUG, _require(raw, "slug", where), where, "slug")
    name = _require(raw, "name", where)
    ons_code = _check(ONS_CODE, _require(raw, "ons_code", where), where, "ons_code")
    region = _require(raw, "region", where)
    region_code = _check(ONS_CODE, _require(raw, "region_code", where), where, "region_code")
    neighbours = []
    for i, n in enumerate(raw.get("neighbours") or []):
        if not isinstance(n, dict):
            raise ConfigError(f"{where}: neighbours[{i}] must have name and ons_code")
        neighbours.append(
            Neighbour(
                _require(n, "name", f"{where} neighbours[{i}]"),
                _check(ONS_CODE, n.get("ons_code"), where, f"neighbours[{i}].ons_code"),
            )
        )
    districts = raw.get("postcode_districts") or []
    if not isinstance(districts, list) or not districts:
        raise ConfigError(f"{where}: 'postcode_districts' must be a non-empty list")
    areas = raw.get("region_postcode_areas") or []
    overrides = raw.get("column_overrides") or {}
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: 'column_overrides' must map published header to column")
    return CouncilConfig(
        slug=slug,
        name=name,
        short_name=raw.get("short_name") or name,
        ons_code=ons_code,
        region=region,
        region_code=region_code,
        neighbours=tuple(neighbours),
        postcode_districts=tuple(
            _check(POSTCODE_DISTRICT, str(d).upper(), where, "postcode district") for d in districts
        ),
        region_postcode_areas=tuple(
            _check(POSTCODE_AREA, str(a).upper(), where, "postcode area") for a in areas
        ),
        postcode_districts_wholly_inside=tuple(
            _check(POSTCODE_DISTRICT, str(d).upper(), where, "postcode district")
            for d in raw.get("postcode_districts_wholly_inside") or []
        ),
        sources=_expand_sources(raw, where),
        column_overrides={str(k): str(v) for k, v in overrides.items()},
        branch_based_suppliers=tuple(raw.get("branch_based_suppliers") or ()),
        notes=str(raw.get("notes") or ""),
        **_beyond_fields(raw, where),
    )


def _keywords(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty words or phrases")
    return tuple(v.strip() for v in value)


def _population(raw: dict[str, Any], where: str) -> Population | None:
    value = raw.get("population")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'population' needs count, year and source")
    count, year, source = value.get("count"), value.get("year"), value.get("source")
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise ConfigError(f"{where}: population.count must be a positive whole number")
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        raise ConfigError(f"{where}: population.year must be a year such as 2021")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{where}: population.source must say where the figure comes from")
    return Population(count, year, source.strip())


def _rate_ranges(raw: dict[str, Any], where: str) -> dict[str, RateRange]:
    value = raw.get("multiplier_rates") or {}
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where}: 'multiplier_rates' must map a supplier group to low/central/high"
        )
    out = {}
    for group, rates in value.items():
        here = f"{where}: multiplier_rates.{group}"
        if not isinstance(rates, dict) or set(rates) != {"low", "central", "high"}:
            raise ConfigError(f"{here} needs exactly low, central and high")
        if not all(isinstance(v, int | float) and 0 <= v <= 1 for v in rates.values()):
            raise ConfigError(f"{here}: rates are shares of a pound between 0 and 1")
        if not rates["low"] <= rates["central"] <= rates["high"]:
            raise ConfigError(f"{here}: low must not exceed central, nor central high")
        out[str(group)] = RateRange(
            float(rates["low"]), float(rates["central"]), float(rates["high"])
        )
    return out


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key) or ""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be text")
    return value.strip()


def _beyond_fields(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """The optional fields of the sections beyond the spend ledger: population (with its source)
    for per-resident figures, prevention keywords, local-multiplier rate overrides and a
    re-spend survey file, ward boundaries (file and vintage), and the names the council's
    notices use as buyer on Contracts Finder."""
    return {
        "population": _population(raw, where),
        "prevention_service_keywords": _keywords(raw, "prevention_service_keywords", where),
        "prevention_expense_keywords": _keywords(raw, "prevention_expense_keywords", where),
        "multiplier_rates": _rate_ranges(raw, where),
        "respend_survey": _text(raw, "respend_survey", where),
        "boundaries_file": _text(raw, "boundaries_file", where),
        "boundaries_vintage": _text(raw, "boundaries_vintage", where),
        "contract_buyer_names": _keywords(raw, "contract_buyer_names", where),
    }


def load_config_file(path: Path) -> CouncilConfig:
    """Read and validate one council config file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such council config") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    config = parse_config(raw, str(path))
    if config.slug != Path(path).stem:
        raise ConfigError(f"{path}: slug '{config.slug}' does not match the file name")
    return CouncilConfig(**{**config.__dict__, "path": Path(path)})


def council_slugs(councils_dir: Path = COUNCILS_DIR) -> list[str]:
    """Slugs of every configured council, sorted."""
    return sorted(p.stem for p in Path(councils_dir).glob("*.yml"))


def load_council(slug: str, councils_dir: Path = COUNCILS_DIR) -> CouncilConfig:
    """Load the config for one council by slug (ConfigError naming the known slugs if unknown)."""
    path = Path(councils_dir) / f"{slug}.yml"
    if not path.exists():
        known = ", ".join(council_slugs(councils_dir)) or "none"
        raise ConfigError(f"unknown council '{slug}' (configured: {known})")
    return load_config_file(path)


def all_councils(councils_dir: Path = COUNCILS_DIR) -> list[CouncilConfig]:
    """Every configured council, validated, in slug order."""
    return [load_council(s, councils_dir) for s in council_slugs(councils_dir)]
