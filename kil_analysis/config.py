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

# Fields where community organisations commonly deliver, with the words that mark a service
# area as belonging to one (matched at the start of a word, case-insensitively, against the
# published service-area name). A council's config may replace any field's list under
# ``commissioning_fields`` and add fields of its own; the report shows the lists used.
COMMISSIONING_FIELDS: dict[str, tuple[str, ...]] = {
    "children and families": (
        "child",
        "children",
        "families",
        "family",
        "youth",
        "young people",
        "early years",
        "foster",
        "sure start",
    ),
    "care and support": (
        "adult social care",
        "social care",
        "social services",
        "care",
        "carers",
        "supported living",
        "domiciliary",
        "home support",
        "learning disabilit",
        "mental health",
    ),
    "public health": (
        "public health",
        "health improvement",
        "wellbeing",
        "substance misuse",
        "drug",
        "alcohol",
        "sexual health",
        "smoking",
    ),
    "housing support": ("housing", "homeless", "tenancy", "hostel", "refuge"),
    "employment": ("employment", "employability", "skills", "jobs", "apprentice", "adult learning"),
    "leisure and culture": (
        "leisure",
        "culture",
        "cultural",
        "arts",
        "librar",
        "museum",
        "sport",
        "parks",
        "heritage",
        "community hub",
        "community centre",
    ),
}
# Service areas named for prevention and early help (the scorecard's early-intervention proxy).
EARLY_INTERVENTION_KEYWORDS: tuple[str, ...] = (
    "early help",
    "early intervention",
    "prevention",
    "preventative",
    "public health",
    "health improvement",
    "wellbeing",
    "sure start",
    "family support",
)


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
    commissioning_fields: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(COMMISSIONING_FIELDS)
    )
    early_intervention_keywords: tuple[str, ...] = EARLY_INTERVENTION_KEYWORDS
    notes: str = ""
    path: Path | None = None

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


def _keywords(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        raise ConfigError(f"{where}: '{key}' must be a list of words")
    return tuple(k.strip().lower() for k in value)


def _commissioning_fields(raw: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    given = raw.get("commissioning_fields") or {}
    if not isinstance(given, dict):
        raise ConfigError(f"{where}: 'commissioning_fields' must map a field to its keywords")
    fields = dict(COMMISSIONING_FIELDS)
    for name, words in given.items():
        fields[str(name)] = _keywords(words, where, f"commissioning_fields.{name}")
    return fields


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
        commissioning_fields=_commissioning_fields(raw, where),
        early_intervention_keywords=(
            _keywords(raw["early_intervention_keywords"], where, "early_intervention_keywords")
            if raw.get("early_intervention_keywords") is not None
            else EARLY_INTERVENTION_KEYWORDS
        ),
        notes=str(raw.get("notes") or ""),
    )


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
