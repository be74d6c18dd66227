"""Synthetic geography for the demo: local authorities, their postcode districts, place names.

Postcode districts and the councils they fall in follow the real ONS Postcode Directory
(districts that straddle a boundary, such as BS8 or NE3, are split between councils by postcode
sector). The unit postcodes themselves are made up but have real shapes (``BS1 5TR``). Ward codes
(``osward``) and coordinates are synthetic: plausible codes and positions near each council,
not real wards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENGLAND = "E92000001"
WALES = "W92000004"
SCOTLAND = "S92000003"
REGION_NAMES = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
    "W99999999": "Wales",
    "S99999999": "Scotland",
}


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


def _lad(code, name, region, town, lat, lon, districts, country=ENGLAND, county="E99999999"):
    return Lad(code, name, region, country, town, lat, lon, tuple(districts), county)


ALL = ()
LADS: dict[str, Lad] = {
    lad.code: lad
    for lad in [
        # Bristol and its neighbours (South West).
        _lad(
            "E06000023",
            "Bristol, City of",
            "E12000009",
            "BRISTOL",
            51.4545,
            -2.5879,
            [
                ("BS1", ALL),
                ("BS2", ALL),
                ("BS3", ALL),
                ("BS4", ALL),
                ("BS5", ALL),
                ("BS6", ALL),
                ("BS7", ALL),
                ("BS8", (1, 2, 4)),
                ("BS9", ALL),
                ("BS10", ALL),
                ("BS11", ALL),
                ("BS13", (0, 7, 8, 9)),
                ("BS14", ALL),
                ("BS16", (1, 2, 3, 4)),
                ("BS99", ALL),
            ],
        ),
        _lad(
            "E06000024",
            "North Somerset",
            "E12000009",
            "WESTON-SUPER-MARE",
            51.39,
            -2.85,
            [
                ("BS8", (3,)),
                ("BS20", ALL),
                ("BS21", ALL),
                ("BS22", ALL),
                ("BS23", ALL),
                ("BS48", ALL),
                ("BS49", ALL),
            ],
        ),
        _lad(
            "E06000025",
            "South Gloucestershire",
            "E12000009",
            "BRISTOL",
            51.54,
            -2.46,
            [
                ("BS16", (5, 6, 7, 9)),
                ("BS30", ALL),
                ("BS32", ALL),
                ("BS34", ALL),
                ("BS35", ALL),
                ("BS36", ALL),
                ("BS37", ALL),
            ],
        ),
        _lad(
            "E06000022",
            "Bath and North East Somerset",
            "E12000009",
            "BATH",
            51.38,
            -2.36,
            [("BA1", ALL), ("BA2", ALL), ("BS31", (1, 2)), ("BS39", ALL)],
        ),
        _lad(
            "E06000026",
            "Plymouth",
            "E12000009",
            "PLYMOUTH",
            50.3755,
            -4.1427,
            [("PL1", ALL), ("PL4", ALL), ("PL6", ALL)],
        ),
        _lad(
            "E07000041",
            "Exeter",
            "E12000009",
            "EXETER",
            50.7184,
            -3.5339,
            [("EX1", ALL), ("EX2", ALL), ("EX4", ALL)],
            county="E10000008",
        ),
        _lad(
            "E06000030",
            "Swindon",
            "E12000009",
            "SWINDON",
            51.5558,
            -1.7797,
            [("SN1", ALL), ("SN2", ALL), ("SN5", ALL)],
        ),
        _lad(
            "E07000081",
            "Gloucester",
            "E12000009",
            "GLOUCESTER",
            51.8642,
            -2.2382,
            [("GL1", ALL), ("GL2", ALL), ("GL4", ALL)],
            county="E10000013",
        ),
        _lad(
            "E06000066",
            "Somerset",
            "E12000009",
            "TAUNTON",
            51.0150,
            -3.1000,
            [("TA1", ALL), ("TA2", ALL), ("BA11", ALL)],
        ),
        _lad(
            "E06000054",
            "Wiltshire",
            "E12000009",
            "SALISBURY",
            51.0688,
            -1.7945,
            [("SP1", ALL), ("SP2", ALL), ("SN15", ALL)],
        ),
        _lad(
            "E06000052",
            "Cornwall",
            "E12000009",
            "TRURO",
            50.2632,
            -5.0510,
            [("TR1", ALL), ("TR15", ALL), ("PL25", ALL)],
        ),
        # Newcastle and its neighbours (North East).
        _lad(
            "E08000021",
            "Newcastle upon Tyne",
            "E12000001",
            "NEWCASTLE UPON TYNE",
            54.9783,
            -1.6178,
            [
                ("NE1", ALL),
                ("NE2", ALL),
                ("NE3", (1, 2, 3, 4, 5)),
                ("NE4", ALL),
                ("NE5", ALL),
                ("NE6", ALL),
                ("NE7", ALL),
                ("NE13", (6, 8, 9)),
                ("NE15", (6, 7, 8)),
                ("NE20", (0,)),
                ("NE99", ALL),
            ],
            county="E11000007",
        ),
        _lad(
            "E08000022",
            "North Tyneside",
            "E12000001",
            "NORTH SHIELDS",
            55.0170,
            -1.4490,
            [
                ("NE3", (9,)),
                ("NE12", ALL),
                ("NE25", ALL),
                ("NE26", ALL),
                ("NE28", ALL),
                ("NE29", ALL),
                ("NE30", ALL),
                ("NE27", (0,)),
            ],
            county="E11000007",
        ),
        _lad(
            "E08000037",
            "Gateshead",
            "E12000001",
            "GATESHEAD",
            54.9527,
            -1.6034,
            [("NE8", ALL), ("NE9", ALL), ("NE10", ALL), ("NE11", ALL), ("NE16", (4, 5, 6))],
            county="E11000007",
        ),
        _lad(
            "E06000057",
            "Northumberland",
            "E12000001",
            "MORPETH",
            55.1680,
            -1.6880,
            [
                ("NE61", ALL),
                ("NE63", ALL),
                ("NE46", ALL),
                ("NE65", ALL),
                ("NE22", ALL),
                ("NE15", (0,)),
                ("NE20", (9,)),
            ],
        ),
        _lad(
            "E08000024",
            "Sunderland",
            "E12000001",
            "SUNDERLAND",
            54.9069,
            -1.3838,
            [("SR1", ALL), ("SR2", ALL), ("SR4", ALL), ("SR5", ALL)],
            county="E11000007",
        ),
        _lad(
            "E08000023",
            "South Tyneside",
            "E12000001",
            "SOUTH SHIELDS",
            54.9986,
            -1.4323,
            [("NE33", ALL), ("NE34", ALL)],
            county="E11000007",
        ),
        _lad(
            "E06000047",
            "County Durham",
            "E12000001",
            "DURHAM",
            54.7761,
            -1.5733,
            [("DH1", ALL), ("DH7", ALL), ("DL14", ALL)],
        ),
        _lad(
            "E06000002",
            "Middlesbrough",
            "E12000001",
            "MIDDLESBROUGH",
            54.5742,
            -1.2350,
            [("TS1", ALL), ("TS4", ALL), ("TS5", ALL)],
        ),
        _lad(
            "E06000005",
            "Darlington",
            "E12000001",
            "DARLINGTON",
            54.5236,
            -1.5595,
            [("DL1", ALL), ("DL3", ALL)],
        ),
        # London (head offices of national firms and charities).
        _lad(
            "E09000033",
            "Westminster",
            "E12000007",
            "LONDON",
            51.4973,
            -0.1372,
            [("SW1P", ALL), ("SW1E", ALL), ("W1G", ALL), ("W1K", ALL)],
            county="E13000001",
        ),
        _lad(
            "E09000001",
            "City of London",
            "E12000007",
            "LONDON",
            51.5155,
            -0.0922,
            [("EC2V", ALL), ("EC3M", ALL), ("EC4M", ALL)],
            county="E13000001",
        ),
        _lad(
            "E09000007",
            "Camden",
            "E12000007",
            "LONDON",
            51.5290,
            -0.1255,
            [("NW1", ALL), ("WC1X", ALL), ("WC1H", ALL)],
            county="E13000001",
        ),
        _lad(
            "E09000028",
            "Southwark",
            "E12000007",
            "LONDON",
            51.5035,
            -0.0804,
            [("SE1", ALL), ("SE15", ALL)],
            county="E13000002",
        ),
        _lad(
            "E09000019",
            "Islington",
            "E12000007",
            "LONDON",
            51.5416,
            -0.1022,
            [("N1", ALL), ("N7", ALL), ("EC1V", ALL)],
            county="E13000001",
        ),
        _lad(
            "E09000030",
            "Tower Hamlets",
            "E12000007",
            "LONDON",
            51.5099,
            -0.0059,
            [("E14", ALL), ("E1", ALL)],
            county="E13000001",
        ),
        # Elsewhere in England, Wales and Scotland.
        _lad(
            "E08000003",
            "Manchester",
            "E12000002",
            "MANCHESTER",
            53.4808,
            -2.2426,
            [("M1", ALL), ("M2", ALL), ("M4", ALL), ("M15", ALL)],
            county="E11000001",
        ),
        _lad(
            "E08000012",
            "Liverpool",
            "E12000002",
            "LIVERPOOL",
            53.4084,
            -2.9916,
            [("L1", ALL), ("L3", ALL)],
            county="E11000002",
        ),
        _lad(
            "E06000007",
            "Warrington",
            "E12000002",
            "WARRINGTON",
            53.3900,
            -2.5970,
            [("WA1", ALL), ("WA3", ALL)],
        ),
        _lad(
            "E08000035",
            "Leeds",
            "E12000003",
            "LEEDS",
            53.8008,
            -1.5491,
            [("LS1", ALL), ("LS11", ALL)],
            county="E11000006",
        ),
        _lad(
            "E08000025",
            "Birmingham",
            "E12000005",
            "BIRMINGHAM",
            52.4862,
            -1.8904,
            [("B1", ALL), ("B3", ALL), ("B4", ALL)],
            county="E11000005",
        ),
        _lad(
            "E06000018",
            "Nottingham",
            "E12000004",
            "NOTTINGHAM",
            52.9548,
            -1.1581,
            [("NG1", ALL), ("NG2", ALL)],
        ),
        _lad(
            "E06000038",
            "Reading",
            "E12000008",
            "READING",
            51.4543,
            -0.9781,
            [("RG1", ALL), ("RG2", ALL)],
        ),
        _lad(
            "E06000042",
            "Milton Keynes",
            "E12000008",
            "MILTON KEYNES",
            52.0406,
            -0.7594,
            [("MK9", ALL), ("MK14", ALL)],
        ),
        _lad(
            "E07000008",
            "Cambridge",
            "E12000006",
            "CAMBRIDGE",
            52.2053,
            0.1218,
            [("CB1", ALL), ("CB4", ALL)],
            county="E10000003",
        ),
        _lad(
            "W06000015",
            "Cardiff",
            "W99999999",
            "CARDIFF",
            51.4816,
            -3.1791,
            [("CF10", ALL), ("CF11", ALL)],
            country=WALES,
            county="W99999999",
        ),
        _lad(
            "S12000036",
            "City of Edinburgh",
            "S99999999",
            "EDINBURGH",
            55.9533,
            -3.1883,
            [("EH1", ALL), ("EH3", ALL)],
            country=SCOTLAND,
            county="S99999999",
        ),
    ]
}

# Which LADs play which part for each demo council.
COUNCIL_GEOGRAPHY: dict[str, dict[str, tuple[str, ...]]] = {
    "bristol": {
        "area": ("E06000023",),
        "neighbours": ("E06000024", "E06000025", "E06000022"),
        "region": (
            "E06000026",
            "E07000041",
            "E06000030",
            "E07000081",
            "E06000066",
            "E06000054",
            "E06000052",
        ),
    },
    "newcastle": {
        "area": ("E08000021",),
        "neighbours": ("E08000022", "E08000037", "E06000057"),
        "region": ("E08000024", "E08000023", "E06000047", "E06000002", "E06000005"),
    },
}
LONDON = ("E09000033", "E09000001", "E09000007", "E09000028", "E09000019", "E09000030")
ELSEWHERE = (
    "E08000003",
    "E08000012",
    "E06000007",
    "E08000035",
    "E08000025",
    "E06000018",
    "E06000038",
    "E06000042",
    "E07000008",
    "W06000015",
    "S12000036",
)

PLACES: dict[str, tuple[str, ...]] = {
    "bristol": (
        "Bedminster",
        "Southville",
        "Easton",
        "St Pauls",
        "Knowle",
        "Hartcliffe",
        "Lawrence Weston",
        "Fishponds",
        "Clifton",
        "Redland",
        "Totterdown",
        "Bishopsworth",
        "Henbury",
        "Lockleaze",
        "Brislington",
        "Whitchurch",
        "Withywood",
        "Horfield",
        "Montpelier",
        "Barton Hill",
        "St Werburghs",
        "Ashley Down",
        "Hotwells",
        "Kingsdown",
        "Speedwell",
        "Avonmouth",
        "Shirehampton",
        "Sea Mills",
        "Stockwood",
        "Lawrence Hill",
        "St George",
        "Hillfields",
        "Southmead",
        "Filwood",
        "Windmill Hill",
        "Bishopston",
        "Cotham",
        "Eastville",
        "Stapleton",
        "Westbury-on-Trym",
        "Ashton Vale",
        "Hengrove",
        "Frome Vale",
        "Redfield",
        "Harbourside",
        "Temple Meads",
        "Broadmead",
        "Stokes Croft",
    ),
    "newcastle": (
        "Byker",
        "Heaton",
        "Jesmond",
        "Walker",
        "Elswick",
        "Benwell",
        "Fenham",
        "Gosforth",
        "Kenton",
        "Westerhope",
        "Walkergate",
        "Scotswood",
        "Arthurs Hill",
        "Shieldfield",
        "Sandyford",
        "Denton Burn",
        "Lemington",
        "Newburn",
        "Throckley",
        "Blakelaw",
        "Cowgate",
        "Kingston Park",
        "Fawdon",
        "Ouseburn",
        "Wingrove",
        "Dinnington",
        "Brunswick Village",
        "Chapel House",
        "Slatyford",
        "High Heaton",
        "Longbenton",
        "Spital Tongues",
        "Grainger",
        "Quayside",
        "Westgate",
        "Castle",
        "Parklands",
        "Lemington Riverside",
        "Walker Riverside",
        "Bells Close",
        "Callerton",
        "Hazlerigg",
        "Woolsington",
        "Cruddas Park",
        "Pendower",
        "Montagu",
        "Red House Farm",
        "Scotswood Road",
    ),
}
REGION_PLACES: dict[str, tuple[str, ...]] = {
    "bristol": (
        "Severn Vale",
        "Mendip",
        "Cotswold",
        "Wessex",
        "Avon Valley",
        "Somerset",
        "Kingswood",
        "Keynsham",
        "Portishead",
        "Clevedon",
        "Nailsea",
        "Yate",
        "Thornbury",
        "Weston",
        "Bath",
        "Frome",
        "Stroud",
        "Taunton",
        "Exmoor",
        "Tamar",
    ),
    "newcastle": (
        "Tyneside",
        "Wearside",
        "Northumbria",
        "Tyne Valley",
        "Cheviot",
        "Durham",
        "Gateshead",
        "Whitley Bay",
        "Tynemouth",
        "Wallsend",
        "Hexham",
        "Morpeth",
        "Cramlington",
        "Blyth",
        "Sunderland",
        "Teesside",
        "Washington",
        "Consett",
        "Jarrow",
        "Felling",
    ),
}

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
        self._rng = rng
        self.lad_of: dict[str, str] = {}

    def new(self, lad_code: str) -> str:
        """A fresh postcode (``BS3 4QT`` shape) lying in local authority ``lad_code``."""
        lad = LADS[lad_code]
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
