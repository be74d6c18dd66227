"""Council configs: one validated YAML file per council in kil_analysis/councils/<slug>.yml.

A config says who the council is (name, ONS code, region, neighbours), what counts as "local"
(postcode districts wholly or partly in its area; postcode areas of its region), where its
published files come from (sources, for `kil fetch`) and any publication quirks that cannot be
recognised automatically (column overrides). Read safely (a ``yaml.SafeLoader`` that also
refuses aliases and deep nesting) and validated: a bad config — unknown or mistyped field, bad
code, unknown placeholder in a URL pattern — fails with one line naming the file and the field.
The folder is ``kil_analysis/councils/`` unless ``KIL_COUNCILS_DIR`` names another.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from kil_analysis.paths import councils_dir as councils_root

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


class ConfigError(ValueError):
    """A council config is missing, unreadable or invalid (message names the file and field)."""


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring council: its name and ONS code."""

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
    """One council's validated config (see the module docstring for what each part is for)."""

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
    notes: str = ""
    path: Path | None = None
    # Sections beyond the spend ledger (issue 10); each optional, validated by _beyond_fields.
    population: Population | None = None
    # Prevention and early intervention (the prevention section and the scorecard's indicator):
    # empty means the package defaults in data/prevention_keywords.yml.
    prevention_service_keywords: tuple[str, ...] = ()
    prevention_expense_keywords: tuple[str, ...] = ()
    multiplier_rates: dict[str, RateRange] = field(default_factory=dict)
    respend_survey: str = ""
    boundaries_file: str = ""
    boundaries_vintage: str = ""
    contract_buyer_names: tuple[str, ...] = ()

    @property
    def neighbour_codes(self) -> tuple[str, ...]:
        """The neighbours' ONS codes, in config order."""
        return tuple(n.ons_code for n in self.neighbours)


MAX_CONFIG_BYTES = 1_000_000
MAX_NESTING = 20
MAX_MONTHS = 600  # fifty years of monthly files is more than any council has published
MONTHLY_PLACEHOLDERS = {"year": 2024, "month": 1, "month_name": "January", "ym": "2024-01"}
# Fields read from the YAML that are not CouncilConfig fields themselves.
EXTRA_FIELDS = frozenset({"monthly_spend_url"})
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


class _ConfigLoader(yaml.SafeLoader):
    """``yaml.safe_load`` without aliases and with bounded nesting.

    Council configs need neither anchors nor deep structures; refusing aliases stops "billion
    laughs" files, and the depth limit stops a nesting bomb before Python's recursion limit.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing aliases and nesting deeper than MAX_NESTING."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(
                f"line {event.start_mark.line + 1}: YAML aliases (*{event.anchor}) are not "
                "allowed in a council config"
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"line {mark.line + 1}: nested more than {MAX_NESTING} levels deep"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _type_name(value: Any) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return names.get(type(value), repr(value))


def _require(raw: dict[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise ConfigError(f"{where}: missing required field '{key}'")
    value = raw[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{where}: field '{key}' must be {_type_name(kind())}, got {value!r}")
    return value


def _optional(raw: dict[str, Any], key: str, where: str, kind: type, default: Any) -> Any:
    """``raw[key]`` when present and of type ``kind``; ``default`` when absent or empty."""
    value = raw.get(key)
    if value is None or value == "":
        return default
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{where}: field '{key}' must be {_type_name(kind())}, got {value!r}")
    return value


def _texts(raw: dict[str, Any], key: str, where: str) -> list[str]:
    """An optional list of scalars, as text (ConfigError naming the key otherwise)."""
    values = _optional(raw, key, where, list, [])
    for i, value in enumerate(values):
        if isinstance(value, dict | list) or value is None:
            raise ConfigError(f"{where}: {key}[{i}] must be text, got {_type_name(value)}")
    return [str(v) for v in values]


def _check(pattern: re.Pattern[str], value: Any, where: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ConfigError(f"{where}: {what} {value!r} is not valid")
    return value


def _check_placeholders(template: Any, where: str, key: str) -> str:
    """``template`` when every ``{placeholder}`` in it is one a monthly pattern provides."""
    if not isinstance(template, str) or not template:
        raise ConfigError(f"{where}: {key} must be text, got {template!r}")
    known = ", ".join("{" + k + "}" for k in MONTHLY_PLACEHOLDERS)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(f"{where}: {key} is not a valid pattern ({exc})") from None
    for name in fields:
        if name not in MONTHLY_PLACEHOLDERS:
            raise ConfigError(f"{where}: {key} has unknown placeholder {{{name}}} (known: {known})")
    try:
        template.format(**MONTHLY_PLACEHOLDERS)
    except (ValueError, IndexError, KeyError) as exc:
        raise ConfigError(f"{where}: {key} is not a valid pattern ({exc})") from None
    return template


def _sha256(value: Any, where: str, what: str) -> str | None:
    if value in (None, ""):
        return None
    return _check(SHA256, value, where, what)


def _expand_sources(raw: dict[str, Any], where: str) -> tuple[Source, ...]:
    sources: list[Source] = []
    for i, item in enumerate(_optional(raw, "sources", where, list, [])):
        if not isinstance(item, dict) or "url" not in item or "file" not in item:
            raise ConfigError(f"{where}: sources[{i}] needs 'url' and 'file'")
        kind = item.get("kind", "spend")
        if kind not in SOURCE_KINDS:
            raise ConfigError(f"{where}: sources[{i}].kind must be one of {SOURCE_KINDS}")
        sha = _sha256(item.get("sha256"), where, f"sources[{i}].sha256")
        sources.append(Source(str(item["url"]), str(item["file"]), kind, sha))
    pattern = _optional(raw, "monthly_spend_url", where, dict, None)
    if pattern:
        if not {"url", "file", "first", "last"} <= set(pattern):
            raise ConfigError(f"{where}: monthly_spend_url needs url, file, first and last")
        sources.extend(_monthly_sources(pattern, where))
    return tuple(sources)


def _year_month(value: Any, where: str, key: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d{4})-(\d{2})", str(value))
    if not found or not 1 <= int(found[2]) <= 12:
        raise ConfigError(f"{where}: monthly_spend_url.{key} must be YYYY-MM, got {value!r}")
    return int(found[1]), int(found[2])


def _monthly_sources(pattern: dict[str, Any], where: str) -> list[Source]:
    import calendar

    url = _check_placeholders(pattern["url"], where, "monthly_spend_url.url")
    file = _check_placeholders(pattern["file"], where, "monthly_spend_url.file")
    y, m = _year_month(pattern["first"], where, "first")
    last_y, last_m = _year_month(pattern["last"], where, "last")
    months = (last_y - y) * 12 + last_m - m + 1
    if not 1 <= months <= MAX_MONTHS:
        raise ConfigError(
            f"{where}: monthly_spend_url first..last must span 1 to {MAX_MONTHS} months"
        )
    skip = set(_texts(pattern, "missing", f"{where} monthly_spend_url"))
    checksums = _optional(pattern, "sha256", f"{where} monthly_spend_url", dict, {})
    out = []
    while (y, m) <= (last_y, last_m):
        ym = f"{y:04d}-{m:02d}"
        if ym not in skip:
            fields = {"year": y, "month": m, "month_name": calendar.month_name[m], "ym": ym}
            sha = _sha256(checksums.get(ym), where, f"monthly_spend_url.sha256[{ym}]")
            out.append(Source(url.format(**fields), file.format(**fields), "spend", sha))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _keywords(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        raise ConfigError(f"{where}: '{key}' must be a list of words")
    return tuple(k.strip().lower() for k in value)


def _commissioning_fields(raw: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    given = _optional(raw, "commissioning_fields", where, dict, {})
    chosen = dict(COMMISSIONING_FIELDS)
    for name, words in given.items():
        chosen[str(name)] = _keywords(words, where, f"commissioning_fields.{name}")
    return chosen


def _neighbours(raw: dict[str, Any], where: str) -> tuple[Neighbour, ...]:
    items = _optional(raw, "neighbours", where, list, [])
    neighbours = []
    for i, n in enumerate(items):
        if not isinstance(n, dict):
            raise ConfigError(f"{where}: neighbours[{i}] must have name and ons_code")
        neighbours.append(
            Neighbour(
                _require(n, "name", f"{where} neighbours[{i}]"),
                _check(ONS_CODE, n.get("ons_code"), where, f"neighbours[{i}].ons_code"),
            )
        )
    return tuple(neighbours)


def _unknown_fields(raw: dict[str, Any], where: str) -> None:
    known = {f.name for f in fields(CouncilConfig)} - {"path"} | EXTRA_FIELDS
    for key in raw:
        if not isinstance(key, str) or key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where}: unknown field {str(key)!r}{hint}")


def parse_config(raw: Any, where: str) -> CouncilConfig:
    """Validate a loaded YAML mapping and return a CouncilConfig (ConfigError if invalid).

    Every message is one line naming ``where`` (the file) and the field at fault.
    """
    if raw is None:
        raise ConfigError(f"{where}: the file is empty")
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of fields, got {type(raw).__name__}")
    _unknown_fields(raw, where)
    slug = _check(SLUG, _require(raw, "slug", where), where, "slug")
    name = _require(raw, "name", where)
    ons_code = _check(ONS_CODE, _require(raw, "ons_code", where), where, "ons_code")
    region = _require(raw, "region", where)
    region_code = _check(ONS_CODE, _require(raw, "region_code", where), where, "region_code")
    districts = _texts(raw, "postcode_districts", where)
    if not districts:
        raise ConfigError(f"{where}: 'postcode_districts' must be a non-empty list")
    overrides = _optional(raw, "column_overrides", where, dict, {})
    for header, column in overrides.items():
        if isinstance(column, dict | list) or column is None:
            raise ConfigError(f"{where}: column_overrides[{header!r}] must be a column name")
    return CouncilConfig(
        slug=slug,
        name=name,
        short_name=_optional(raw, "short_name", where, str, name),
        ons_code=ons_code,
        region=region,
        region_code=region_code,
        neighbours=_neighbours(raw, where),
        postcode_districts=tuple(
            _check(POSTCODE_DISTRICT, d.upper(), where, "postcode district") for d in districts
        ),
        region_postcode_areas=tuple(
            _check(POSTCODE_AREA, a.upper(), where, "postcode area")
            for a in _texts(raw, "region_postcode_areas", where)
        ),
        postcode_districts_wholly_inside=tuple(
            _check(POSTCODE_DISTRICT, d.upper(), where, "postcode district")
            for d in _texts(raw, "postcode_districts_wholly_inside", where)
        ),
        sources=_expand_sources(raw, where),
        column_overrides={str(k): str(v) for k, v in overrides.items()},
        branch_based_suppliers=tuple(_texts(raw, "branch_based_suppliers", where)),
        commissioning_fields=_commissioning_fields(raw, where),
        notes=str(_optional(raw, "notes", where, str, "")),
        **_beyond_fields(raw, where),
    )


def _population(raw: dict[str, Any], where: str) -> Population | None:
    value = _optional(raw, "population", where, dict, None)
    if value is None:
        return None
    count, year, source = value.get("count"), value.get("year"), value.get("source")
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise ConfigError(f"{where}: population.count must be a positive whole number")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise ConfigError(f"{where}: population.year must be a year such as 2021")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"{where}: population.source must say where the figure comes from")
    unknown = sorted(set(value) - {"count", "year", "source"})
    if unknown:
        raise ConfigError(f"{where}: unknown field population.{unknown[0]}")
    return Population(count, year, source.strip())


def _rate_ranges(raw: dict[str, Any], where: str) -> dict[str, RateRange]:
    value = _optional(raw, "multiplier_rates", where, dict, {})
    out = {}
    for group, rates in value.items():
        here = f"{where}: multiplier_rates.{group}"
        if not isinstance(rates, dict) or set(rates) != {"low", "central", "high"}:
            raise ConfigError(f"{here} needs exactly low, central and high")
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
            for v in rates.values()
        ):
            raise ConfigError(f"{here}: rates are shares of a pound between 0 and 1")
        if not rates["low"] <= rates["central"] <= rates["high"]:
            raise ConfigError(f"{here}: low must not exceed central, nor central high")
        out[str(group)] = RateRange(
            float(rates["low"]), float(rates["central"]), float(rates["high"])
        )
    return out


def _optional_keywords(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    return () if value is None else _keywords(value, where, key)


def _beyond_fields(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """The optional fields of the sections beyond the spend ledger.

    Population (with its source) for per-resident figures, prevention keywords, local-multiplier
    rate overrides and a re-spend survey file, ward boundaries (file and vintage), and the names
    the council's notices use as buyer on Contracts Finder.
    """
    return {
        "population": _population(raw, where),
        "prevention_service_keywords": _optional_keywords(
            raw, "prevention_service_keywords", where
        ),
        "prevention_expense_keywords": _optional_keywords(
            raw, "prevention_expense_keywords", where
        ),
        "multiplier_rates": _rate_ranges(raw, where),
        "respend_survey": str(_optional(raw, "respend_survey", where, str, "")).strip(),
        "boundaries_file": str(_optional(raw, "boundaries_file", where, str, "")).strip(),
        "boundaries_vintage": str(_optional(raw, "boundaries_vintage", where, str, "")).strip(),
        "contract_buyer_names": tuple(
            " ".join(n.split()) for n in _texts(raw, "contract_buyer_names", where) if n.strip()
        ),
    }


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path``, read safely (no aliases, bounded size and nesting).

    ConfigError with one line naming the file (and the line, for a YAML error) otherwise.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: {size:,} bytes is too large for a council config")
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such council config") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f" at line {mark.line + 1}" if mark else ""
        problem = " ".join(str(exc.problem or exc.context or "").split())
        raise ConfigError(f"{path}: not valid YAML{line} ({problem})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None


def load_config_file(path: Path) -> CouncilConfig:
    """Read and validate one council config file (ConfigError, one line, if invalid)."""
    config = parse_config(read_yaml(path), str(path))
    if config.slug != Path(path).stem:
        raise ConfigError(f"{path}: slug '{config.slug}' does not match the file name")
    return replace(config, path=Path(path))


def council_config_path(slug: str, councils_dir: Path | None = None) -> Path:
    """Where ``slug``'s config is (or would be): ``<councils dir>/<slug>.yml``."""
    return Path(councils_dir or councils_root()) / f"{slug}.yml"


def council_slugs(councils_dir: Path | None = None) -> list[str]:
    """Slugs of every configured council, sorted."""
    return sorted(p.stem for p in Path(councils_dir or councils_root()).glob("*.yml"))


def load_council(slug: str, councils_dir: Path | None = None) -> CouncilConfig:
    """Load the config for one council by slug (ConfigError naming the known slugs if unknown)."""
    path = council_config_path(slug, councils_dir)
    if not path.exists():
        known = ", ".join(council_slugs(councils_dir)) or "none"
        raise ConfigError(f"unknown council '{slug}' (configured: {known})")
    return load_config_file(path)


def all_councils(councils_dir: Path | None = None) -> list[CouncilConfig]:
    """Every configured council, validated, in slug order."""
    return [load_council(s, councils_dir) for s in council_slugs(councils_dir)]
