"""Register extracts in their real published layouts, for every synthetic organisation.

- Companies House "basic company data" (``BasicCompanyDataAsOneFile-2025-11-01.csv``): the real
  header line (unquoted, with its stray leading spaces), every data field quoted, UTF-8.
- Charity Commission register extract, Charity table (``publicextract.charity.txt``):
  tab-separated UTF-8 with a header, fields in the order of the Commission's data dictionary.
- Charity Commission area of operation (``publicextract.charity_area_of_operation.txt``, same
  format, CharityAreaOfOperation fields) and the rows of the cc-aoo-gss-iso.csv lookup it needs.
- An ONS Postcode Directory extract (``ONSPD_demo_extract.csv``) for every postcode handed out,
  with the directory's column names; ward codes and coordinates are synthetic.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from kil_analysis.demo import places as geo_data
from kil_analysis.demo.places import pcd7, pcd8
from kil_analysis.enrich.operations import AOO_COLUMNS, AOO_FILE
from kil_analysis.readers.atomic import write_bytes_atomic

CH_FILE = "BasicCompanyDataAsOneFile-2025-11-01.csv"
CHARITY_FILE = "publicextract.charity.txt"
ONSPD_FILE = "ONSPD_demo_extract.csv"
CH_HEADER_LINE = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,"
    "Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
    "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,"
    "SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,"
    "LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName,"
    " PreviousName_2.CONDATE, PreviousName_2.CompanyName,PreviousName_3.CONDATE,"
    " PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,"
    "PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE,"
    " PreviousName_6.CompanyName,PreviousName_7.CONDATE, PreviousName_7.CompanyName,"
    "PreviousName_8.CONDATE, PreviousName_8.CompanyName,PreviousName_9.CONDATE,"
    " PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,"
    "ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
)
CH_COLUMNS = CH_HEADER_LINE.split(",")
CHARITY_COLUMNS = [
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    "charity_reporting_status",
    "latest_acc_fin_period_start_date",
    "latest_acc_fin_period_end_date",
    "latest_income",
    "latest_expenditure",
    "charity_contact_address1",
    "charity_contact_address2",
    "charity_contact_address3",
    "charity_contact_address4",
    "charity_contact_address5",
    "charity_contact_postcode",
    "charity_contact_phone",
    "charity_contact_email",
    "charity_contact_web",
    "charity_company_registration_number",
    "charity_insolvent",
    "charity_in_administration",
    "charity_previously_excepted",
    "charity_is_cdf_or_cif",
    "charity_is_cio",
    "cio_is_dissolved",
    "date_cio_dissolution_notice",
    "charity_activities",
    "charity_gift_aid",
    "charity_has_land",
]
ONSPD_COLUMNS = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "oshlthau",
    "nhser",
    "ctry",
    "rgn",
    "streg",
    "pcon",
    "eer",
    "teclec",
    "ttwa",
    "pct",
    "nuts",
    "statsward",
    "oa01",
    "casward",
    "park",
    "lsoa01",
    "msoa01",
    "ur01ind",
    "oac01",
    "oa11",
    "lsoa11",
    "msoa11",
    "wz11",
    "ccg",
    "bua22",
    "ru11ind",
    "oac11",
    "lat",
    "long",
    "lep1",
    "lep2",
    "pfa",
    "imd",
    "calncv",
    "icb",
    "oa21",
    "lsoa21",
    "msoa21",
    "ru21ind",
]
CATEGORY = {
    "ltd": "Private Limited Company",
    "plc": "Public Limited Company",
    "llp": "Limited Liability Partnership",
    "cic": "Community Interest Company",
    "charitable_company": "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, "
    "use of 'Limited' exemption)",
    "academy_trust": "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, "
    "use of 'Limited' exemption)",
    "coop": "Registered Society",
    "cbs": "Registered Society",
}
ACCOUNTS = {
    "micro": ("MICRO ENTITY", "TOTAL EXEMPTION FULL", "UNAUDITED ABRIDGED"),
    "small": ("SMALL", "TOTAL EXEMPTION FULL", "UNAUDITED ABRIDGED"),
    "medium": ("FULL", "MEDIUM"),
    "large": ("GROUP", "FULL"),
}
SIC = {
    "construction": "41202 - Construction of domestic buildings",
    "highways": "42110 - Construction of roads and motorways",
    "facilities": "81210 - General cleaning of buildings",
    "energy": "35140 - Trade of electricity",
    "ict": "62020 - Information technology consultancy activities",
    "consultancy": "70229 - Management consultancy activities other than financial management",
    "transport": "49320 - Taxi operation",
    "waste": "38110 - Collection of non-hazardous waste",
    "legal": "69102 - Solicitors",
    "supplies": "46900 - Non-specialised wholesale trade",
    "care": "87300 - Residential care activities for the elderly and disabled",
    "outsourcing": "82990 - Other business support service activities n.e.c.",
    "education": "85200 - Primary education",
    "vcse_care": "88100 - Social work activities without accommodation for the elderly and "
    "disabled",
    "vcse_community": "88990 - Other social work activities without accommodation n.e.c.",
    "trades": "43390 - Other building completion and finishing",
}
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Victoria Street",
    "King Street",
    "Queen Street",
    "Park Road",
    "North Road",
    "Market Place",
    "Commercial Road",
    "Albion Road",
    "Grove Road",
    "Chapel Street",
    "Quayside",
)
ACTIVITIES = {
    "vcse_care": "Support, care and companionship for older and disabled people in the area.",
    "vcse_community": "Community activities, advice and facilities for local residents.",
}


def registered_name(name: str, legal_form: str, rng: np.random.Generator) -> str:
    """The name as Companies House holds it (capitals; LIMITED usually spelt out)."""
    upper = name.upper()
    if upper.endswith(" LTD") and rng.random() < 0.75:
        upper = upper[:-4] + " LIMITED"
    if legal_form == "cic" and not upper.endswith(" CIC"):
        upper += " CIC"
    if legal_form == "cic" and rng.random() < 0.3:
        upper = upper[:-4] + " COMMUNITY INTEREST COMPANY"
    return upper


def _address(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    numbers = rng.integers(1, 220, n)
    streets = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    units = np.where(rng.random(n) < 0.3, [f"UNIT {u}" for u in rng.integers(1, 40, n)], "")
    line1 = [f"{a} {b}".upper() for a, b in zip(numbers, streets, strict=True)]
    return np.array(line1, dtype=object), units.astype(object)


def companies_house_frame(orgs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Rows of the basic company data file for every organisation with a company number."""
    c = orgs[orgs["company_number"] != ""].reset_index(drop=True)
    n = len(c)
    line1, line2 = _address(rng, n)
    country = c["lad"].map(
        lambda code: (
            {"E": "ENGLAND", "W": "WALES", "S": "SCOTLAND"}[geo_data.LADS[code].country[0]]
            if code
            else "UNITED KINGDOM"
        )
    )
    country = np.where(rng.random(n) < 0.3, "UNITED KINGDOM", country)
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 28, n)
    inc = [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(day, month, c["incorporated"], strict=True)]
    acct = [
        ACCOUNTS[s][int(i) % len(ACCOUNTS[s])]
        for s, i in zip(c["size"].replace({"unknown": "small"}), rng.integers(0, 6, n), strict=True)
    ]
    frame = pd.DataFrame({col: "" for col in CH_COLUMNS}, index=range(n))
    frame[CH_COLUMNS[0]] = [
        registered_name(a, b, rng) for a, b in zip(c["name"], c["legal_form"], strict=True)
    ]
    frame[CH_COLUMNS[1]] = c["company_number"]
    frame["RegAddress.AddressLine1"] = np.where(line2 != "", line2, line1)
    frame[" RegAddress.AddressLine2"] = np.where(line2 != "", line1, "")
    frame["RegAddress.PostTown"] = c["lad"].map(
        lambda code: geo_data.LADS[code].town if code else ""
    )
    frame["RegAddress.Country"] = country
    frame["RegAddress.PostCode"] = c["postcode"]
    frame["CompanyCategory"] = c["legal_form"].map(CATEGORY)
    frame["CompanyStatus"] = "Active"
    frame["CountryOfOrigin"] = "United Kingdom"
    frame["IncorporationDate"] = inc
    frame["Accounts.AccountRefDay"] = "31"
    frame["Accounts.AccountRefMonth"] = "3"
    frame["Accounts.NextDueDate"] = "31/12/2025"
    frame["Accounts.LastMadeUpDate"] = "31/03/2024"
    frame["Accounts.AccountCategory"] = acct
    for col in (
        "Mortgages.NumMortCharges",
        "Mortgages.NumMortOutstanding",
        "Mortgages.NumMortPartSatisfied",
        "Mortgages.NumMortSatisfied",
        "LimitedPartnerships.NumGenPartners",
        "LimitedPartnerships.NumLimPartners",
    ):
        frame[col] = "0"
    frame["SICCode.SicText_1"] = (
        c["sector"].map(SIC).fillna("82990 - Other business support service activities n.e.c.")
    )
    frame["URI"] = "http://business.data.gov.uk/id/company/" + c["company_number"]
    frame["ConfStmtNextDueDate"] = [
        f"{d:02d}/{m:02d}/2026" for d, m in zip(day, month, strict=True)
    ]
    frame[" ConfStmtLastMadeUpDate"] = [
        f"{d:02d}/{m:02d}/2025" for d, m in zip(day, month, strict=True)
    ]
    return frame.sort_values([CH_COLUMNS[0], CH_COLUMNS[1]], kind="mergesort")


def write_companies_house(orgs: pd.DataFrame, path: Path, rng: np.random.Generator) -> Path:
    """Write the Companies House basic company data file (header unquoted, fields quoted)."""
    frame = companies_house_frame(orgs, rng)
    buf = io.StringIO()
    buf.write(CH_HEADER_LINE + "\r\n")
    frame.to_csv(buf, index=False, header=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    write_bytes_atomic(path, buf.getvalue().encode("utf-8"))
    return path


CHARITY_TYPE = {
    "charitable_company": "Charitable company",
    "cio": "CIO",
    "trust": "Trust",
    "village_hall": "Trust",
    "faith": "Other",
}


def charity_frame(orgs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Rows of the Charity table: every registered charity, plus removed predecessors."""
    c = orgs[orgs["charity_number"] != ""].reset_index(drop=True)
    n = len(c)
    line1, _ = _address(rng, n)
    income = c["income"].where(c["income"] > 0, 25_000).astype(int)
    reg_month = rng.integers(1, 13, n)
    rows = pd.DataFrame(
        {
            "registered_charity_number": c["charity_number"].astype(int),
            "linked_charity_number": 0,
            "charity_name": c["name"],
            "charity_type": c["legal_form"].map(CHARITY_TYPE),
            "charity_registration_status": "Registered",
            "date_of_registration": [
                f"{y}-{m:02d}-01 00:00:00"
                for y, m in zip(c["incorporated"], reg_month, strict=True)
            ],
            "date_of_removal": "",
            "charity_reporting_status": "Submission Received",
            "latest_acc_fin_period_start_date": "2023-04-01 00:00:00",
            "latest_acc_fin_period_end_date": "2024-03-31 00:00:00",
            "latest_income": income.astype(str) + ".00",
            "latest_expenditure": (income * rng.uniform(0.8, 1.1, n))
            .round(0)
            .astype(int)
            .astype(str)
            + ".00",
            "charity_contact_address1": line1,
            "charity_contact_address2": c["lad"].map(
                lambda x: geo_data.LADS[x].town.title() if x else ""
            ),
            "charity_contact_postcode": c["postcode"],
            "charity_company_registration_number": np.where(
                c["legal_form"] == "charitable_company", c["company_number"], ""
            ),
            "charity_insolvent": "False",
            "charity_in_administration": "False",
            "charity_previously_excepted": np.where(c["legal_form"] == "faith", "True", "False"),
            "charity_is_cio": np.where(c["legal_form"] == "cio", "True", "False"),
            "cio_is_dissolved": np.where(c["legal_form"] == "cio", "False", ""),
            "charity_activities": c["sector"]
            .map(ACTIVITIES)
            .fillna("To advance education and relieve need among people in the area of benefit."),
            "charity_gift_aid": np.where(rng.random(n) < 0.7, "True", "False"),
            "charity_has_land": np.where(rng.random(n) < 0.3, "True", "False"),
        }
    )
    # About one in ten charities converted from an older, now-removed charity of the same name.
    old = rows[rng.random(n) < 0.1].copy()
    old["registered_charity_number"] = rng.choice(
        np.arange(200_000, 530_000), len(old), replace=False
    )
    old = old[~old["registered_charity_number"].isin(rows["registered_charity_number"])]
    old["charity_registration_status"] = "Removed"
    old["date_of_registration"] = "1985-06-01 00:00:00"
    old["date_of_removal"] = "2019-03-31 00:00:00"
    old["charity_type"] = "Trust"
    old["charity_is_cio"] = "False"
    old["cio_is_dissolved"] = ""
    old["charity_company_registration_number"] = ""
    old["charity_reporting_status"] = "Removed"
    rows = pd.concat([rows, old], ignore_index=True).sort_values("registered_charity_number")
    rows.insert(0, "organisation_number", 5_000_000 + np.arange(len(rows)) * 7)
    return rows.reindex(columns=CHARITY_COLUMNS, fill_value="")


def write_charity_register(orgs: pd.DataFrame, path: Path, rng: np.random.Generator) -> Path:
    """Write the Charity Commission Charity table (tab-separated, header, UTF-8)."""
    return _write_tab_separated(charity_frame(orgs, rng), path)


AOO_LOOKUP_FILE = "cc-aoo-gss-iso.csv"
AOO_LOOKUP_HEADER = (
    "key,aootype,aookey,aooname,aoosort,welsh,master,GSS,ISO3166-1,ISO3166-1:3,ISO3166-2:GB,"
    "ContinentCode,oldCode"
)
# Rows of the real cc-aoo-gss-iso.csv for the areas the demo uses (ODbL, drkane/charity-lookups)
# are in demo/data/charity_areas_of_operation.csv (geo_data.CHARITY_AREAS): (key, aooname,
# aoosort, welsh, master, GSS, ISO3166-2:GB, oldCode); ISO3166-1 is GB/GBR and the continent
# EU for all of them. geo_data.CHARITY_AREA_OF_LAD maps a council's ONS code to its key.
THROUGHOUT_ENGLAND = "A-2"
_AREA_TYPES = {"A": "Region", "B": "Local Authority", "C": "Metropolitan Counties", "D": "Country"}


def _area_row(key: str) -> tuple[str, str, str, str, str]:
    """(type, description, parent type, parent description, welsh_ind) of a Commission area."""
    row = next(r for r in geo_data.CHARITY_AREAS if r[0] == key)
    kind = _AREA_TYPES[key.split("-")[0]]
    parent = ("Continent", "Europe") if kind == "Country" else ("", "")
    return kind, row[1].title(), *parent, "True" if row[3] == "Y" else "False"


def area_keys_of(org) -> list[str]:
    """The Commission areas one demo charity operates in (ground truth decides).

    National charities (paid by both councils, registered in London): Throughout England, plus
    each council's own area when they deliver locally. Large charities paid by no council:
    Throughout England. Every other charity: the area where it is registered.
    """
    councils = [c for c in org.councils.split("|") if c]
    if len(councils) > 1:
        own = [
            geo_data.CHARITY_AREA_OF_LAD[geo_data.COUNCIL_GEOGRAPHY[c]["area"][0]] for c in councils
        ]
        return [THROUGHOUT_ENGLAND] + (own if org.delivers_locally else [])
    if not councils and org.size == "large":
        return [THROUGHOUT_ENGLAND]
    return (
        [geo_data.CHARITY_AREA_OF_LAD.get(org.lad, THROUGHOUT_ENGLAND)]
        if org.lad
        else [THROUGHOUT_ENGLAND]
    )


def area_of_operation_frame(orgs: pd.DataFrame, charities: pd.DataFrame) -> pd.DataFrame:
    """Rows of the CharityAreaOfOperation table for every registered charity in ``charities``.

    ``charities`` are the Charity table's rows, which carry the organisation numbers.
    """
    registered = charities[charities["charity_registration_status"] == "Registered"]
    org_number = dict(
        zip(
            registered["registered_charity_number"].astype(str),
            registered["organisation_number"],
            strict=True,
        )
    )
    rows = []
    for org in orgs[orgs["charity_number"] != ""].itertuples():
        if org.charity_number not in org_number:
            continue
        for key in area_keys_of(org):
            kind, desc, parent_kind, parent_desc, welsh = _area_row(key)
            rows.append(
                (org_number[org.charity_number], int(org.charity_number), 0, kind, desc)
                + (parent_kind, parent_desc, welsh)
            )
    frame = pd.DataFrame(rows, columns=AOO_COLUMNS)
    return frame.sort_values(
        ["organisation_number", "geographic_area_type", "geographic_area_description"],
        kind="mergesort",
    ).reset_index(drop=True)


def _write_tab_separated(frame: pd.DataFrame, path: Path) -> Path:
    """The Commission's extract format: tab-separated UTF-8, header row, CRLF, no quoting."""
    buf = io.StringIO()
    frame.to_csv(
        buf, sep="\t", index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONE, escapechar="\\"
    )
    write_bytes_atomic(path, buf.getvalue().encode("utf-8"))
    return path


def aoo_lookup_text() -> str:
    """The cc-aoo-gss-iso.csv lookup (real layout, LF line ends) with the demo's areas."""
    lines = [AOO_LOOKUP_HEADER]
    for key, name, sort, welsh, master, gss, iso, old in geo_data.CHARITY_AREAS:
        kind, number = key.split("-")
        fields = (key, kind, number, name, sort, welsh, master, gss, "GB", "GBR", iso, "EU", old)
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def write_charity_extract(orgs: pd.DataFrame, folder: Path, rng: np.random.Generator) -> list[Path]:
    """Write the Charity table, its area-of-operation table and the cc-aoo lookup rows used.

    The Charity table is the same as :func:`write_charity_register` writes for ``rng``.
    """
    charities = charity_frame(orgs, rng)
    lookup = folder / AOO_LOOKUP_FILE
    write_bytes_atomic(lookup, aoo_lookup_text().encode("utf-8"))
    return [
        _write_tab_separated(charities, folder / CHARITY_FILE),
        _write_tab_separated(area_of_operation_frame(orgs, charities), folder / AOO_FILE),
        lookup,
    ]


def onspd_frame(lad_of: dict[str, str], rng: np.random.Generator) -> pd.DataFrame:
    """ONSPD rows for every postcode in ``lad_of`` (postcode -> LAD code), sorted by ``pcd``."""
    pcds = sorted(lad_of)
    lads = [geo_data.LADS[lad_of[p]] for p in pcds]
    n = len(pcds)
    frame = pd.DataFrame({col: "" for col in ONSPD_COLUMNS}, index=range(n))
    frame["pcd"] = [pcd7(p) for p in pcds]
    frame["pcd2"] = [pcd8(p) for p in pcds]
    frame["pcds"] = pcds
    frame["dointr"] = [
        f"{y}{m:02d}"
        for y, m in zip(rng.integers(1980, 2020, n), rng.integers(1, 13, n), strict=True)
    ]
    frame["oscty"] = [lad.county for lad in lads]
    frame["oslaua"] = [lad.code for lad in lads]
    # Synthetic ward codes: 20 wards per council, stable for a given LAD code.
    ward_base = {code: 100_000 + i * 50 for i, code in enumerate(sorted(geo_data.LADS))}
    frame["osward"] = [
        f"{lad.code[0]}05{ward_base[lad.code] + int(w):06d}"
        for lad, w in zip(lads, rng.integers(0, 20, n), strict=True)
    ]
    frame["usertype"] = "0"
    frame["osgrdind"] = "1"
    frame["ctry"] = [lad.country for lad in lads]
    frame["rgn"] = [lad.region for lad in lads]
    frame["lat"] = [
        f"{lad.lat + d:.6f}" for lad, d in zip(lads, rng.normal(0, 0.02, n), strict=True)
    ]
    frame["long"] = [
        f"{lad.lon + d:.6f}" for lad, d in zip(lads, rng.normal(0, 0.03, n), strict=True)
    ]
    return frame.sort_values("pcd", kind="mergesort")


def write_onspd(lad_of: dict[str, str], path: Path, rng: np.random.Generator) -> Path:
    """Write the ONSPD extract (CSV, UTF-8, the directory's column names)."""
    buf = io.StringIO()
    onspd_frame(lad_of, rng).to_csv(buf, index=False, lineterminator="\n")
    write_bytes_atomic(path, buf.getvalue().encode("utf-8"))
    return path
