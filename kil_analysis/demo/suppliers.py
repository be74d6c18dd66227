"""The synthetic supplier universe: who each demo council pays, with the ground truth.

One table, one row per organisation (or per group of individuals), holding what the enrichment
should find out: ``org_type`` (vcse/public/private/individual), ``vcse_form``, ``size``
(micro/small/medium/large; for charities the income bands micro < £10k, small < £100k,
medium < £1m, large otherwise), where it is registered (``lad``, ``postcode``) and its register
numbers. ``freq`` (expected payment lines a month) and ``median`` (£ a line) drive the spend.
National firms and charities are shared by both councils; the rest belong to one council.
Also builds decoy organisations (similar names, other places) for the registers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kil_analysis.demo import names as nm
from kil_analysis.demo import places as geo_data
from kil_analysis.demo.places import PostcodeBook

COUNCILS = ("bristol", "newcastle")
REDACTED_ID = "REDACTED"
# Hostile names that reports must escape (kept small and local).
HOSTILE_NAMES = (
    ("<script>alert(1)</script> Services Ltd", "private", "", "ltd"),
    ("<img src=x onerror=alert(1)> CIC", "vcse", "CIC", "cic"),
    ('Smith & Sons "Builders" Ltd', "private", "", "ltd"),
)
VCSE_FORM = {
    "trust": "charity",
    "charitable_company": "charity",
    "cio": "CIO",
    "cic": "CIC",
    "coop": "co-operative",
    "cbs": "community benefit society",
    "village_hall": "village hall",
    "faith": "faith group",
    "unincorporated": "unincorporated",
}
COMPANY_FORMS = {"ltd", "plc", "llp", "cic", "charitable_company", "coop", "cbs", "academy_trust"}
CHARITY_FORMS = {"trust", "charitable_company", "cio"}
COLUMNS = [
    "supplier_id",
    "councils",
    "name",
    "org_type",
    "vcse_form",
    "size",
    "sector",
    "legal_form",
    "lad",
    "postcode",
    "company_number",
    "charity_number",
    "incorporated",
    "freq",
    "median",
    "delivers_locally",
    "registered_charity",
    "income",
    "has_address",
]


@dataclass
class Universe:
    """Everything the writers need: spend suppliers, decoys and the postcodes handed out."""

    suppliers: pd.DataFrame
    decoys: pd.DataFrame
    postcodes: PostcodeBook


class _Numbers:
    """Unique company and charity numbers consistent with each organisation's age."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def company(self, form: str, year: int, country: str) -> str:
        """An 8-character company number for a company incorporated in ``year``."""
        r = self.rng
        if form in ("coop", "cbs"):
            if year < 2014:
                return self._unique(lambda: f"IP{int(r.integers(10000, 32000)):05d}R")
            return self._unique(lambda: f"RS{int(r.integers(7000, 9999)):06d}")
        # Companies House numbers grow roughly linearly with the date of incorporation.
        base = float(
            np.interp(
                year,
                [1950, 1990, 2000, 2010, 2015, 2020, 2025],
                [200_000, 2_400_000, 3_900_000, 7_100_000, 9_400_000, 12_400_000, 16_200_000],
            )
        )
        if form == "llp":
            return self._unique(lambda: f"OC{int(r.integers(300_000, 450_000)):06d}")
        if country.startswith("S"):
            return self._unique(lambda: f"SC{int(r.integers(100_000, 790_000)):06d}")
        return self._unique(lambda: f"{int(base + r.integers(-90_000, 90_000)):08d}")

    def charity(self, form: str, year: int) -> str:
        """A registered charity number (6 digits for older trusts, 7 for newer charities)."""
        r = self.rng
        if form == "cio" or year >= 2013:
            return self._unique(lambda: str(int(r.integers(1_150_000, 1_205_000))))
        if year < 1995:
            return self._unique(lambda: str(int(r.integers(200_000, 530_000))))
        return self._unique(lambda: str(int(r.integers(1_000_000, 1_150_000))))


_SUFFIXES = re.compile(r"\b(LTD|LIMITED|PLC|LLP|CIC|CIO|UK|THE|AND|CO|COMPANY)\b|[^A-Z0-9]")


def name_key(name: str) -> str:
    """A strict matching key: upper case, legal suffixes and punctuation removed.

    Two distinct demo organisations never share a key, so no normalisation of published
    spellings can merge them.
    """
    return _SUFFIXES.sub("", name.upper().replace("&", " AND "))


def _lognormal(rng: np.random.Generator, low: float, high: float) -> float:
    """A log-uniform draw between ``low`` and ``high`` (heavy-tailed, order-of-magnitude)."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


class _Builder:
    """Accumulates organisations while keeping names unique."""

    def __init__(self, rng: np.random.Generator, book: PostcodeBook, numbers: _Numbers) -> None:
        self.rng, self.book, self.numbers = rng, book, numbers
        self.rows: list[dict] = []
        self.names: set[str] = set()

    def new_name(self, make: Callable[..., str]) -> str:
        """Like :meth:`unique_name`, for callers that cannot skip an organisation."""
        name = self.unique_name(make)
        if name is None:
            raise RuntimeError("the demo generator ran out of unique organisation names")
        return name

    def unique_name(self, make: Callable[..., str]) -> str | None:
        """A name from ``make()`` whose matching key no other organisation shares."""
        for _ in range(50):
            name = make()
            if name_key(name) not in self.names:
                self.names.add(name_key(name))
                return name
        return None

    def add(
        self,
        prefix: str,
        councils: str,
        name: str,
        org_type: str,
        legal_form: str,
        sector: str,
        size: str,
        lad: str | None,
        freq: float,
        median: float,
        delivers_locally: bool = False,
        address: bool = True,
    ) -> dict:
        """Add one organisation; ``address=False`` means no published postcode anywhere."""
        r = self.rng
        year = (
            int(r.integers(1965, 2024))
            if legal_form not in ("cic", "cio")
            else int(r.integers(2010, 2024))
        )
        country = geo_data.LADS[lad].country if lad else "E92000001"
        company = (
            self.numbers.company(legal_form, year, country) if legal_form in (COMPANY_FORMS) else ""
        )
        registered_charity = (
            legal_form in CHARITY_FORMS
            or (legal_form == "village_hall" and r.random() < 0.8)
            or (legal_form == "faith" and r.random() < 0.5)
        )
        charity = self.numbers.charity(legal_form, year) if registered_charity else ""
        row = {
            "supplier_id": f"{prefix}{len(self.rows) + 1:05d}",
            "councils": councils,
            "name": name,
            "org_type": org_type,
            "vcse_form": VCSE_FORM.get(legal_form, "") if org_type == "vcse" else "",
            "size": size,
            "sector": sector,
            "legal_form": legal_form,
            "lad": lad or "",
            "has_address": bool(lad and address),
            "postcode": self.book.new(lad) if lad and address else "",
            "company_number": company,
            "charity_number": charity,
            "incorporated": year,
            "freq": freq,
            "median": median,
            "delivers_locally": delivers_locally,
            "registered_charity": registered_charity,
            "income": _income(r, size) if org_type == "vcse" else 0,
        }
        self.rows.append(row)
        return row


def _income(rng: np.random.Generator, size: str) -> int:
    """Latest annual income (£) within the charity size band (NCVO-style bands)."""
    low, high = {
        "micro": (800, 9_999),
        "small": (10_000, 99_999),
        "medium": (100_000, 999_999),
        "large": (1_000_000, 60_000_000),
    }[size]
    return int(_lognormal(rng, low, high))


def _size(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _company_suffix(form: str) -> str:
    return {"ltd": " Ltd", "plc": " PLC", "llp": " LLP", "cic": " CIC"}.get(form, "")


TOP_SECTORS = (
    "energy",
    "construction",
    "outsourcing",
    "care",
    "waste",
    "highways",
    "facilities",
    "construction",
    "care",
    "outsourcing",
    "energy",
    "ict",
)


def _national(b: _Builder) -> None:
    """Large national firms and charities (head offices in London and other cities)."""
    r = b.rng
    heavy = [
        "energy",
        "construction",
        "outsourcing",
        "care",
        "waste",
        "highways",
        "facilities",
        "ict",
        "transport",
        "consultancy",
        "legal",
        "supplies",
    ]
    for i in range(45):
        top = i < len(TOP_SECTORS)  # the big outsourcing/construction/energy contractors
        sector = TOP_SECTORS[i] if top else heavy[i % len(heavy)]
        trades = nm.TRADES[sector][:2] if top else nm.TRADES[sector]
        form = (
            "llp" if sector in ("legal", "consultancy") else ("plc" if r.random() < 0.35 else "ltd")
        )
        name = b.new_name(
            lambda t=trades, f=form: (
                nm.pick(r, nm.BRANDS) + " " + nm.pick(r, t) + _company_suffix(f)
            )
        )
        lad = (
            geo_data.LONDON[int(r.integers(len(geo_data.LONDON)))]
            if r.random() < 0.6
            else geo_data.ELSEWHERE[int(r.integers(len(geo_data.ELSEWHERE)))]
        )
        b.add(
            "S",
            "bristol|newcastle",
            name,
            "private",
            form,
            sector,
            "large",
            lad,
            freq=_lognormal(r, 8, 30) if top else _lognormal(r, 1, 10),
            median=_lognormal(r, 40_000, 160_000) if top else _lognormal(r, 3_000, 30_000),
        )
    for _ in range(25):
        form = ("charitable_company", "cio", "trust")[int(r.choice(3, p=[0.6, 0.25, 0.15]))]
        sector = nm.pick(r, ("vcse_care", "vcse_advice", "vcse_youth", "vcse_care"))
        name = b.new_name(
            lambda: (
                nm.pick(r, nm.WORDS)
                + " "
                + nm.pick(r, nm.NOUNS)
                + nm.pick(r, ("", " Trust", " Foundation", " UK", " Network"))
            )
        )
        b.add(
            "S",
            "bristol|newcastle",
            name,
            "vcse",
            form,
            sector,
            "large",
            geo_data.LONDON[int(r.integers(len(geo_data.LONDON)))],
            freq=_lognormal(r, 0.5, 6),
            median=_lognormal(r, 4_000, 30_000),
            delivers_locally=bool(r.random() < 0.7),
        )


PUBLIC_BODIES = {
    "bristol": (
        "North Somerset Council",
        "South Gloucestershire Council",
        "Bath & North East Somerset Council",
        "Somerset Council",
        "University Hospitals Bristol and Weston NHS Foundation Trust",
        "North Bristol NHS Trust",
        "Avon and Wiltshire Mental Health Partnership NHS Trust",
        "NHS Bristol North Somerset and South Gloucestershire ICB",
        "Avon and Somerset Constabulary",
        "Avon Fire and Rescue Service",
        "University of Bristol",
        "University of the West of England",
        "HM Courts & Tribunals Service",
        "Environment Agency",
    ),
    "newcastle": (
        "North Tyneside Council",
        "Gateshead Council",
        "Northumberland County Council",
        "Sunderland City Council",
        "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        "Cumbria Northumberland Tyne and Wear NHS Foundation Trust",
        "North East Ambulance Service NHS Foundation Trust",
        "NHS North East and North Cumbria ICB",
        "Northumbria Police",
        "Tyne and Wear Fire and Rescue Service",
        "Newcastle University",
        "Northumbria University",
        "Nexus Tyne and Wear Passenger Transport Executive",
        "HM Courts & Tribunals Service",
    ),
}


_PUBLIC_LADS = {
    "North Somerset": "E06000024",
    "South Gloucestershire": "E06000025",
    "Bath": "E06000022",
    "Somerset Council": "E06000066",
    "North Tyneside": "E08000022",
    "Gateshead": "E08000037",
    "Northumberland County": "E06000057",
    "Sunderland": "E08000024",
    "HM Courts": "E09000033",
    "Environment Agency": "E06000023",
    "Cumbria": "E08000037",
    "Ambulance": "E08000022",
    "North Cumbria ICB": "E08000021",
}


def _hostile(b: _Builder) -> None:
    """Small suppliers with names that reports must escape (paid by both councils)."""
    for (name, org_type, _form, legal), lad in zip(
        HOSTILE_NAMES, ("E06000023", "E08000021", "E06000023"), strict=True
    ):
        b.names.add(name_key(name))
        b.add(
            "S",
            "bristol|newcastle",
            name,
            org_type,
            legal,
            "vcse_community" if org_type == "vcse" else "supplies",
            "micro",
            lad,
            freq=0.08,
            median=400.0,
        )


def _public_body_lad(name: str, council: str) -> str:
    """Where a public body is based (its own council for councils; otherwise the city)."""
    for key, lad in _PUBLIC_LADS.items():
        if key in name:
            return lad
    return geo_data.COUNCIL_GEOGRAPHY[council]["area"][0]


def _public(b: _Builder, council: str) -> None:
    """Neighbouring councils, NHS trusts, police, universities and academy trusts."""
    r = b.rng
    geo = geo_data.COUNCIL_GEOGRAPHY[council]
    for name in PUBLIC_BODIES[council]:
        b.names.add(name_key(name))
        b.add(
            council[0].upper(),
            council,
            name,
            "public",
            "public_body",
            "public",
            "large",
            _public_body_lad(name, council),
            freq=_lognormal(r, 0.5, 8),
            median=_lognormal(r, 8_000, 90_000),
            address=False,
        )
    places = geo_data.PLACES[council]
    for _ in range(28):
        name = b.new_name(
            lambda: (
                nm.pick(r, places)
                + nm.pick(
                    r,
                    (
                        " Academy",
                        " Primary Academy",
                        " Learning Trust",
                        " Academy Trust",
                        " Community Academy",
                    ),
                )
            )
        )
        lad = geo["area"][0] if r.random() < 0.8 else nm.pick(r, geo["neighbours"])
        b.add(
            council[0].upper(),
            council,
            name,
            "public",
            "academy_trust",
            "education",
            _size(r, {"medium": 0.7, "large": 0.3}),
            lad,
            freq=_lognormal(r, 0.2, 2),
            median=_lognormal(r, 2_000, 25_000),
        )


def _private(b: _Builder, council: str) -> None:
    """Regional and local firms, care providers and sole traders."""
    r = b.rng
    geo = geo_data.COUNCIL_GEOGRAPHY[council]
    prefix = council[0].upper()
    places, region_places = geo_data.PLACES[council], geo_data.REGION_PLACES[council]
    trades = [t for t in nm.TRADES if t not in ("outsourcing", "energy")]
    for local in (False,) * 200 + (True,) * 550:
        sector = "care" if r.random() < 0.12 else nm.pick(r, tuple(trades))
        form = "ltd" if r.random() < 0.93 else nm.pick(r, ("plc", "llp"))
        if sector == "legal":
            form = "llp"
        where = places if local else region_places

        def make(s=sector, f=form, w=where) -> str:
            stem = nm.pick(r, nm.SURNAMES) if r.random() < 0.45 else nm.pick(r, w)
            if r.random() < 0.15:
                stem = f"{nm.pick(r, nm.SURNAMES)} & {nm.pick(r, nm.SURNAMES)}"
            return f"{stem} {nm.pick(r, nm.TRADES[s])}{_company_suffix(f)}"

        name = b.unique_name(make)
        if name is None:
            continue
        if local:
            lad = geo["area"][0] if r.random() < 0.9 else nm.pick(r, geo["neighbours"])
            size = _size(r, {"micro": 0.45, "small": 0.4, "medium": 0.13, "large": 0.02})
        else:
            lad = nm.pick(r, geo["region"] + geo["neighbours"])
            size = _size(r, {"micro": 0.1, "small": 0.5, "medium": 0.35, "large": 0.05})
        care = sector == "care"
        b.add(
            prefix,
            council,
            name,
            "private",
            form,
            sector,
            size,
            lad,
            freq=_lognormal(r, 0.5, 8) if care else _lognormal(r, 0.03, 2),
            median=_lognormal(r, 1_500, 14_000) if care else _lognormal(r, 350, 6_000),
        )
    sole_trades = ("construction", "transport", "consultancy", "supplies")
    for _ in range(100):
        name = b.new_name(
            lambda: (
                f"{nm.pick(r, tuple('ABCDEFGHJKLMNPRSTW'))} {nm.pick(r, nm.SURNAMES)} "
                f"{nm.pick(r, nm.TRADES[nm.pick(r, sole_trades)])}"
            )
        )
        b.add(
            prefix,
            council,
            name,
            "private",
            "sole_trader",
            "trades",
            "micro",
            geo["area"][0],
            freq=_lognormal(r, 0.02, 0.5),
            median=_lognormal(r, 280, 1_500),
            address=False,
        )


VCSE_FORMS = {  # legal form: share of local VCSE suppliers
    "trust": 0.18,
    "cio": 0.22,
    "charitable_company": 0.17,
    "cic": 0.15,
    "unincorporated": 0.10,
    "village_hall": 0.05,
    "faith": 0.07,
    "coop": 0.03,
    "cbs": 0.03,
}


def _vcse_name(r: np.random.Generator, form: str, where: tuple[str, ...]) -> str:
    p = nm.pick(r, where)
    if form == "village_hall":
        return nm.pick(r, nm.HALLS).format(p=p)
    if form == "faith":
        return nm.pick(r, nm.FAITH).format(p=p, s=nm.pick(r, nm.SAINTS))
    if form in ("coop", "cbs"):
        return nm.pick(r, nm.COOPS).format(p=p) + " Limited"
    if form == "cic" and r.random() < 0.5:
        return f"{nm.pick(r, nm.WORDS)} {nm.pick(r, nm.NOUNS)} {p} CIC"
    sector = nm.pick(r, tuple(nm.VCSE_PATTERNS))
    name = nm.pick(r, nm.VCSE_PATTERNS[sector]).format(p=p)
    return name + (" CIC" if form == "cic" else "")


def _vcse(b: _Builder, council: str, year_count: int = 3) -> None:
    """Local and regional charities, CIOs, CICs, co-ops, halls, faith and community groups."""
    r = b.rng
    geo = geo_data.COUNCIL_GEOGRAPHY[council]
    forms = list(VCSE_FORMS)
    p = np.array(list(VCSE_FORMS.values()))
    for local in (False,) * 60 + (True,) * 480:
        form = forms[int(r.choice(len(forms), p=p / p.sum()))]
        where = geo_data.PLACES[council] if local else geo_data.REGION_PLACES[council]
        name = b.unique_name(lambda f=form, w=where: _vcse_name(r, f, w))
        if name is None:
            continue
        lad = (
            (geo["area"][0] if r.random() < 0.9 else nm.pick(r, geo["neighbours"]))
            if (local)
            else nm.pick(r, geo["region"] + geo["neighbours"])
        )
        # Many unregistered groups publish no address anywhere.
        address = not (form == "unincorporated" or form == "faith") or r.random() < 0.5
        size = _size(r, {"micro": 0.3, "small": 0.42, "medium": 0.22, "large": 0.06})
        care = "Day Centre" in name or "Supported" in name or "Homeless" in name
        b.add(
            council[0].upper(),
            council,
            name,
            "vcse",
            form,
            "vcse_care" if care else "vcse_community",
            size,
            lad,
            freq=_lognormal(r, 0.02, 0.8) * (6 if care else 1),
            median=_lognormal(r, 300, 4_000) * (3 if size in ("medium", "large") else 1),
            address=address,
        )


def _decoys(b: _Builder, suppliers: pd.DataFrame) -> pd.DataFrame:
    """Organisations that are not suppliers: similar names elsewhere, and random others."""
    r = b.rng
    start = len(b.rows)
    all_lads = sorted(geo_data.LADS)
    registered = suppliers[
        (suppliers["company_number"] != "") | (suppliers["charity_number"] != "")
    ]
    for row in registered.itertuples():
        if r.random() > 0.45:
            continue
        base = (
            row.name.replace(" Ltd", "")
            .replace(" CIC", "")
            .replace(" PLC", "")
            .replace(" Limited", "")
            .replace(" LLP", "")
        )
        variant = nm.pick(
            r,
            (
                " (Holdings)",
                " Services",
                " North",
                " South West",
                " Group",
                " Developments",
                " (2019)",
                " Trading",
            ),
        )
        form = row.legal_form if row.legal_form in COMPANY_FORMS - {"academy_trust"} else "ltd"
        name = b.new_name(
            lambda v=variant, f=form, base=base: (
                base
                + v
                + _company_suffix(
                    "ltd" if f in ("trust", "cio", "village_hall", "faith", "unincorporated") else f
                )
            )
        )
        if name:
            b.add(
                "D",
                "",
                name,
                row.org_type,
                form,
                row.sector,
                row.size,
                all_lads[int(r.integers(len(all_lads)))],
                0.0,
                0.0,
            )
    for _ in range(2600):
        sector = nm.pick(r, tuple(nm.TRADES))
        form = "ltd" if r.random() < 0.9 else nm.pick(r, ("cic", "llp", "plc"))
        lad = all_lads[int(r.integers(len(all_lads)))]
        where = (
            geo_data.PLACES["bristol"]
            + geo_data.PLACES["newcastle"]
            + geo_data.REGION_PLACES["bristol"]
        )

        def make(s=sector, f=form, w=where) -> str:
            stem = nm.pick(r, nm.SURNAMES + nm.BRANDS) if r.random() < 0.6 else nm.pick(r, w)
            return f"{stem} {nm.pick(r, nm.TRADES[s])}{_company_suffix(f)}"

        name = b.new_name(make)
        if name:
            b.add(
                "D",
                "",
                name,
                "private" if form != "cic" else "vcse",
                form,
                sector,
                _size(r, {"micro": 0.5, "small": 0.35, "medium": 0.12, "large": 0.03}),
                lad,
                0.0,
                0.0,
            )
    for _ in range(1200):
        form = nm.pick(r, ("trust", "cio", "charitable_company", "trust"))
        lad = all_lads[int(r.integers(len(all_lads)))]
        where = (
            geo_data.PLACES["bristol"]
            + geo_data.PLACES["newcastle"]
            + geo_data.REGION_PLACES["newcastle"]
        )
        name = b.new_name(lambda f=form, w=where: _vcse_name(r, f, w))
        if name:
            b.add(
                "D",
                "",
                name,
                "vcse",
                form,
                "vcse_community",
                _size(r, {"micro": 0.4, "small": 0.4, "medium": 0.15, "large": 0.05}),
                lad,
                0.0,
                0.0,
            )
    return pd.DataFrame(b.rows[start:], columns=COLUMNS)


def build_universe(seed: int) -> Universe:
    """The whole synthetic universe for ``seed``: suppliers of both councils and decoys."""
    rng = np.random.default_rng([seed, 1])
    book = PostcodeBook(np.random.default_rng([seed, 2]))
    b = _Builder(rng, book, _Numbers(np.random.default_rng([seed, 3])))
    _national(b)
    _hostile(b)
    for council in COUNCILS:
        _public(b, council)
        _private(b, council)
        _vcse(b, council)
    suppliers = pd.DataFrame(b.rows, columns=COLUMNS)
    decoys = _decoys(b, suppliers)
    return Universe(suppliers=suppliers, decoys=decoys, postcodes=book)


def council_suppliers(universe: Universe, council: str) -> pd.DataFrame:
    """The suppliers one council pays (shared national organisations included)."""
    s = universe.suppliers
    return s[s["councils"].str.split("|").apply(lambda cs: council in cs)].reset_index(drop=True)


def locality(lad: pd.Series, council: str) -> pd.Series:
    """True locality of each registered address: in_area / in_region / outside / unknown."""
    geo = geo_data.COUNCIL_GEOGRAPHY[council]
    region = geo_data.LADS[geo["area"][0]].region
    lad_region = lad.map(lambda c: geo_data.LADS[c].region if c else "")
    out = np.where(
        lad == geo["area"][0],
        "in_area",
        np.where(lad_region == region, "in_region", np.where(lad == "", "unknown", "outside")),
    )
    return pd.Series(out, index=lad.index)
