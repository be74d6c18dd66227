"""Charity registers, each recognised by its layout (header), whatever the file is called.

* Charity Commission extract, charity table (``publicextract.charity.txt`` or its zip: tab
  separated, ``registered_charity_number … charity_name … latest_income``): registered names,
  contact postcode, income band, company number, CIO flag.
* Charity Commission extract, other names (``publicextract.charity_other_names`` as zipped JSON
  or tab-separated text: ``registered_charity_number, charity_name_type, charity_name``): the
  working and previous names charities are paid under.
* UK-CAT charity lists (``org_id,reg_number,name,postcode,…,income,…,company_number``): names,
  postcodes and income.
* Charity lookups: charitable companies (``org_id_a,org_id_b,name``), CIO company numbers
  (``company_number,charity_number``), alternative names (``org_id,alternative_name``),
  federated charities (``type,reg_number,name``), the charity scale table
  (``reg_number,scale``) and the Commission's register of mergers
  (``transferor_name,transferor_regno,…,transferee_name,transferee_regno,…``): the names of
  charities that merged, both the one that transferred and the one that received.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from kil_analysis.enrich.size import size_from_income
from kil_analysis.readers.registers.shape import org_frame

CHARITY_COLUMNS = {"registered_charity_number", "charity_name", "charity_registration_status"}
OTHER_NAMES_COLUMNS = {"registered_charity_number", "charity_name_type", "charity_name"}
UKCAT_COLUMNS = {"org_id", "reg_number", "name", "postcode", "income"}


def _number(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip().str.replace(r"\.0$", "", regex=True)


def is_charity_extract(header: list[str]) -> bool:
    """The Charity Commission extract's charity table."""
    return CHARITY_COLUMNS <= {c.strip() for c in header}


def read_charity_extract(path: Path) -> pd.DataFrame:
    """Charity Commission ``publicextract.charity.txt`` (or its zip) → register rows.

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
        compression="zip" if Path(path).suffix.lower() == ".zip" else None,
    )
    linked = df.get("linked_charity_number", pd.Series("0", index=df.index)).fillna("0")
    df = df[linked.str.strip().isin(["0", ""])]
    number = _number(df["registered_charity_number"])
    is_cio = df.get("charity_is_cio", pd.Series("", index=df.index)).fillna("")
    is_cio = is_cio.str.strip().str.lower().isin(["true", "1", "yes"])
    size = size_from_income(df["latest_income"])
    company = df.get("charity_company_registration_number", pd.Series(None, index=df.index))
    company = company.fillna("").str.strip().str.upper().str.zfill(8).where(company.notna(), None)
    return org_frame(
        register_id="GB-CHC-" + number,
        name=df["charity_name"],
        org_type="vcse",
        vcse_form=is_cio.map({True: "CIO", False: "charity"}),
        org_type_confidence=0.95,
        postcode=df["charity_contact_postcode"],
        size=size["size"],
        size_rule=size["size_rule"],
        size_confidence=size["size_confidence"],
        company_number=company,
        charity_number=number,
        active=df["charity_registration_status"].fillna("").str.lower().ne("removed"),
        register="Charity Commission extract",
    )


# An other name ending in a legal form no charity can hold — a limited liability partnership
# or a public limited company — is the name of a firm linked to the charity (the law firm that
# founded its foundation: "… (UK) LLP" recorded as a CIO's previous name), not the charity's:
# read as the charity's, it would make the firm a charity wherever the firm is paid.
FIRM_FORM_NAME = re.compile(r"\b(?:LLP|L\.L\.P\.?|PLC|P\.L\.C\.?)\W*$", re.IGNORECASE)


def is_other_names(header: list[str]) -> bool:
    """The Charity Commission extract's other-names table (JSON keys or text header)."""
    return OTHER_NAMES_COLUMNS <= {c.strip() for c in header}


def _read_json_records(path: Path) -> pd.DataFrame:
    """A Charity Commission JSON table (a list of records; BOM tolerated), plain or zipped."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            member = next(n for n in zf.namelist() if n.lower().endswith((".json", ".txt")))
            raw = zf.read(member)
    else:
        raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    if text.lstrip().startswith("["):
        return pd.DataFrame(json.loads(text))
    return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, quoting=3)


def read_other_names(path: Path) -> pd.DataFrame:
    """Charity Commission working and previous names → one register row per name.

    Register id is the registered charity's (linked charities belong to their main charity).
    Previous names count as evidence too: finance systems keep a supplier's old name for years.
    """
    df = _read_json_records(path)
    df = df[~df["charity_name"].fillna("").astype(str).str.contains(FIRM_FORM_NAME)]
    number = _number(df["registered_charity_number"])
    kind = df["charity_name_type"].fillna("").astype(str).str.strip().str.lower()
    return org_frame(
        register_id=("GB-CHC-" + number).to_numpy(),
        name=df["charity_name"].to_numpy(),
        org_type="vcse",
        vcse_form="charity",
        org_type_confidence=(kind.map({"previous name": 0.85}).fillna(0.9)).to_numpy(),
        charity_number=number.to_numpy(),
        register="Charity Commission other names",
    )


def is_ukcat(header: list[str]) -> bool:
    """UK-CAT's charity tables (sample.csv, top2000.csv)."""
    return UKCAT_COLUMNS <= set(header)


def read_ukcat(path: Path) -> pd.DataFrame:
    """UK-CAT charity table → rows with registered name, postcode, income band, company number.

    The ``postcode`` column sometimes holds a town (top2000: ``POOLE``): only values shaped like
    a postcode are kept (the locality stage validates them again).
    """
    df = pd.read_csv(
        path,
        dtype=str,
        usecols=["org_id", "reg_number", "name", "postcode", "active", "income", "company_number"],
    )
    size = size_from_income(df["income"])
    company = df["company_number"].fillna("").str.strip().str.upper()
    company = company.where(company != "", None)
    active = df["active"].fillna("True").str.lower().ne("false")
    return org_frame(
        register_id=df["org_id"].fillna("").str.strip(),
        name=df["name"],
        org_type="vcse",
        vcse_form="charity",
        org_type_confidence=0.95,
        postcode=df["postcode"].where(
            df["postcode"].fillna("").str.match(r"^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$")
        ),
        size=size["size"],
        size_rule=size["size_rule"],
        size_confidence=size["size_confidence"],
        company_number=company,
        charity_number=_number(df["reg_number"]),
        active=active,
        register="UK-CAT charities",
    )


def is_charity_company_numbers(header: list[str]) -> bool:
    """charity-company-numbers.csv: ``org_id_a`` (GB-CHC-…), ``org_id_b`` (GB-COH-…), name."""
    return header[:3] == ["org_id_a", "org_id_b", "name"]


def read_charity_company_numbers(path: Path) -> pd.DataFrame:
    """Charitable companies (charity id, company id, name) → register rows."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    return org_frame(
        register_id=df["org_id_a"],
        name=df["name"].fillna(""),
        org_type="vcse",
        vcse_form="charity",
        org_type_confidence=0.9,
        company_number=df["org_id_b"].str.replace("GB-COH-", "", regex=False),
        charity_number=df["org_id_a"].str.replace("GB-CHC-", "", regex=False),
        register="charitable companies",
    )


def is_cio_company_numbers(header: list[str]) -> bool:
    """cio_company_numbers.csv: ``company_number`` (CE…) and ``charity_number``."""
    return header[:2] == ["company_number", "charity_number"]


def read_cio_company_numbers(path: Path) -> pd.DataFrame:
    """CIO numbers at Companies House → nameless rows (matched by id only)."""
    df = pd.read_csv(path, dtype=str)
    return org_frame(
        register_id="GB-CHC-" + _number(df["charity_number"]),
        name="",
        match_key="",
        org_type="vcse",
        vcse_form="CIO",
        org_type_confidence=0.95,
        company_number=df["company_number"].str.strip().str.upper(),
        charity_number=_number(df["charity_number"]),
        register="CIO company numbers",
    )


def is_alternative_names(header: list[str]) -> bool:
    """charity-names.csv: ``org_id,alternative_name,…``."""
    return header[:2] == ["org_id", "alternative_name"]


def _charity_names(ident: pd.Series, names: pd.Series, label: str) -> pd.DataFrame:
    """Charity names under org ids (GB-CHC-, GB-NIC-, GB-SC-) → register rows (0.85: lists
    kept outside the Commission)."""
    return org_frame(
        register_id=ident,
        name=names,
        org_type="vcse",
        vcse_form="charity",
        org_type_confidence=0.85,
        charity_number=ident.str.extract(r"^GB-CHC-(\d+)$")[0],
        register=label,
    )


def read_alternative_names(path: Path) -> pd.DataFrame:
    """Alternative names of charities by org id (GB-CHC-, GB-NIC-, GB-SC-) → register rows."""
    df = pd.read_csv(path, dtype=str, usecols=[0, 1])
    ident = df.iloc[:, 0].fillna("").str.strip()
    return _charity_names(ident, df.iloc[:, 1], "charity alternative names")


def is_federated_charities(header: list[str]) -> bool:
    """federated-charities.csv: ``type,reg_number,name`` (Age UK, Mind, Scouts … branches)."""
    return header[:3] == ["type", "reg_number", "name"]


def read_federated_charities(path: Path) -> pd.DataFrame:
    """Members of charity federations (found by name keywords upstream) → register rows.

    Numbers starting NI/SC are Northern Irish / Scottish charities; the rest England and Wales.
    Confidence is lower than the Commission's own names: the list is keyword-built.
    """
    df = pd.read_csv(path, dtype=str)
    number = df["reg_number"].fillna("").str.strip().str.upper()
    ident = (
        number.str.replace(r"^NI(\d+)$", r"GB-NIC-\1", regex=True)
        .str.replace(r"^(SC\d+)$", r"GB-SC-\1", regex=True)
        .str.replace(r"^(\d+)$", r"GB-CHC-\1", regex=True)
    )
    return _charity_names(ident, df["name"], "federated charities")


def is_charity_scale(header: list[str]) -> bool:
    """charity_scale.csv: ``reg_number,scale``."""
    return header[:2] == ["reg_number", "scale"]


def read_charity_scale(path: Path) -> dict[str, str]:
    """charity_scale.csv (reg_number, scale) → {charity number: Local / National / …}."""
    df = pd.read_csv(path, dtype=str)
    return dict(zip(df["reg_number"].str.strip(), df["scale"].fillna(""), strict=False))


MERGERS_COLUMNS = ("transferor_name", "transferor_regno", "transferee_name", "transferee_regno")


def is_register_of_mergers(header: list[str]) -> bool:
    """ccew-register-of-mergers.csv: ``transferor_name,transferor_regno,…,transferee_name,…``."""
    return set(MERGERS_COLUMNS) <= {c.strip() for c in header}


def read_register_of_mergers(path: Path) -> pd.DataFrame:
    """The Charity Commission's register of merged charities → one row per named charity.

    Both sides are charities' names: the receiving charity (confidence 0.85) and the one that
    transferred its property and closed (0.8, ``active`` False) — finance systems keep paying a
    charity under the name it had before it merged, for years. Only a side with a registered
    charity number is taken: a side without one may be a company, a council or an unregistered
    body, so its name says nothing here.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    frames = []
    for side, conf, active in (("transferee", 0.85, True), ("transferor", 0.8, False)):
        number = _number(df[f"{side}_regno"])
        has = number.str.fullmatch(r"\d{6,7}") & df[f"{side}_name"].str.strip().ne("")
        frames.append(
            org_frame(
                register_id=("GB-CHC-" + number[has]).to_numpy(),
                name=df.loc[has, f"{side}_name"].to_numpy(),
                org_type="vcse",
                vcse_form="charity",
                org_type_confidence=conf,
                charity_number=number[has].to_numpy(),
                active=active,
                register="charity register of mergers",
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates(["register_id", "match_key"]).reset_index(drop=True)
