"""Societies, co-operatives, mutuals and social housing providers, each recognised by layout.

* Co-operatives UK open data: the 2017 layout (``CUK Organisation ID, Registered Number,
  Registrar, Registered Name, Legal Form, Registered Postcode …``) and the 2023 layout
  (``Identifier, Name, …, Postcode, …, Companies House Number, …, Legal Form``). Street fields
  hold embedded newlines (quoted).
* Mutual societies (``mutual_id,company_id,name``: FCA register numbers GB-MPR-…).
* The Regulator of Social Housing's list of registered providers (``organisation_name,
  registration_number, …, designation, corporate_form``): non-profit providers are VCSE (housing
  associations), local-authority providers public, for-profit providers private.
* Registered providers' company and charity numbers (``RP Code,Company Number,Charity
  Number,Org ID``: the provider's registration number at the regulator, its Companies House or
  Mutuals Public Register number, its charity number): nameless rows under the provider's
  register id, whose numbers :func:`kil_analysis.readers.registers.discover.load_registers`
  gives to the provider's own rows (the list above names it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.readers.registers.shape import org_frame

COOP_FORMS = {
    "society": "co-operative or community benefit society",
    "community interest company": "CIC",
    "charitable incorporated organisation": "CIO",
    "scottish charitable incorporated organisation": "CIO",
    "company": "co-operative",
    "llp": "co-operative",
    "unincorporated": "co-operative",
    "limited partnership": "co-operative",
}
_POSTCODE = r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"


def is_coops_uk_2017(header: list[str]) -> bool:
    """Co-operatives UK open data, 2017 layout."""
    return {"CUK Organisation ID", "Registered Name", "Legal Form"} <= set(header)


def is_coops_uk_2023(header: list[str]) -> bool:
    """Co-operatives UK open data, 2023 layout."""
    return {"Identifier", "Name", "Postcode", "Companies House Number", "Legal Form"} <= set(header)


def _postcodes(s: pd.Series) -> pd.Series:
    s = s.fillna("").astype(str).str.strip().str.upper()
    return s.where(s.str.match(_POSTCODE))


def read_coops_uk_2017(path: Path) -> pd.DataFrame:
    """Co-operatives UK 2017 → rows (FCA numbers as GB-MPR-, Companies House as GB-COH-)."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    number = df["Registered Number"].fillna("").str.strip().str.upper()
    registrar = df["Registrar"].fillna("")
    prefix = registrar.map({"FCA": "GB-MPR-", "Companies House": "GB-COH-"}).fillna("GB-CUK-")
    ident = (prefix + number).where(number != "", "GB-CUK-" + df["CUK Organisation ID"])
    form = df["Legal Form"].fillna("").str.strip().str.lower().map(COOP_FORMS)
    status = df.get("Registered Status", pd.Series("", index=df.index)).fillna("")
    return org_frame(
        register_id=ident,
        name=df["Registered Name"],
        org_type="vcse",
        vcse_form=form.fillna("co-operative"),
        org_type_confidence=0.85,
        postcode=_postcodes(df["Registered Postcode"]),
        company_number=number.where(registrar == "Companies House", None),
        active=~status.str.lower().str.contains("dead|dissolved"),
        register="Co-operatives UK 2017",
    )


def read_coops_uk_2023(path: Path) -> pd.DataFrame:
    """Co-operatives UK 2023 → rows (its own ids GB-CUK-…, company numbers where given)."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    company = df["Companies House Number"].fillna("").str.strip().str.upper()
    company = company.where(company != "", None)
    form = df["Legal Form"].fillna("").str.strip().str.lower().map(COOP_FORMS)
    return org_frame(
        register_id="GB-CUK-" + df["Identifier"].fillna("").str.strip(),
        name=df["Name"],
        org_type="vcse",
        vcse_form=form.fillna("co-operative"),
        org_type_confidence=0.85,
        postcode=_postcodes(df["Postcode"]),
        company_number=company,
        register="Co-operatives UK 2023",
    )


def is_mutual_companies(header: list[str]) -> bool:
    """mutual-companies.csv: ``mutual_id,company_id,name``."""
    return header[:3] == ["mutual_id", "company_id", "name"]


def read_mutual_companies(path: Path) -> pd.DataFrame:
    """Mutual societies (FCA register) → rows."""
    df = pd.read_csv(path, dtype=str)
    return org_frame(
        register_id=df["mutual_id"],
        name=df["name"],
        org_type="vcse",
        vcse_form="co-operative or community benefit society",
        org_type_confidence=0.8,
        company_number=df["company_id"].str.replace("GB-COH-", "", regex=False),
        register="mutual societies",
    )


def is_social_housing(header: list[str]) -> bool:
    """The Regulator of Social Housing's registered providers."""
    return {"organisation_name", "registration_number", "designation"} <= set(header)


RSH_TYPES = {
    "non-profit": ("vcse", "housing association", 0.9, None),
    "local authority": ("public", None, 0.9, "council"),
    "profit": ("private", None, 0.85, None),
}


# How a housing provider's registered name ends, and what finance systems leave of it: "Irwell
# Valley Housing Association Limited" is paid as "IRWELL VALLEY HOUSING", "London & Quadrant
# Housing Trust" as "LONDON AND QUADRANT".
HOUSING_TAILS = (
    r" (?:ASSOCIATION|TRUST|GROUP|SOCIETY)$",
    r" HOUSING(?: ASSOCIATION| TRUST| GROUP| SOCIETY)?$",
)


def housing_short_names(match_key: pd.Series) -> list[pd.Series]:
    """A housing provider's match keys without its housing tail (:data:`HOUSING_TAILS`).

    One series per tail, None where nothing is dropped or one word would be left (a single
    word — "YORKSHIRE", "HOME" — is no provider's name).
    """
    out = []
    for tail in HOUSING_TAILS:
        short = match_key.str.replace(tail, "", regex=True)
        out.append(short.where((short != match_key) & short.str.contains(" ")))
    return out


def read_social_housing(path: Path) -> pd.DataFrame:
    """Registered providers of social housing → rows by designation (see module docstring).

    Each provider is also held under its short names (:func:`housing_short_names`, confidence
    0.1 lower), as finance systems write housing associations.
    """
    df = pd.read_csv(path, dtype=str)
    kind = df["designation"].fillna("").str.strip().str.lower().map(RSH_TYPES)
    full = org_frame(
        register_id="GB-SHPE-" + df["registration_number"].fillna("").str.strip(),
        name=df["organisation_name"],
        org_type=kind.map(lambda t: t[0] if isinstance(t, tuple) else None),
        vcse_form=kind.map(lambda t: t[1] if isinstance(t, tuple) else None),
        org_type_confidence=kind.map(lambda t: t[2] if isinstance(t, tuple) else 0.0),
        public_kind=kind.map(lambda t: t[3] if isinstance(t, tuple) else None),
        register="social housing providers (RSH)",
    )
    short = [
        full.assign(match_key=key, org_type_confidence=full["org_type_confidence"] - 0.1)
        for key in housing_short_names(full["match_key"])
    ]
    out = pd.concat([full, *(s.dropna(subset=["match_key"]) for s in short)], ignore_index=True)
    return out.drop_duplicates(["register_id", "match_key"]).reset_index(drop=True)


RSP_NUMBERS_REGISTER = "registered providers' numbers"
RSP_NUMBERS_COLUMNS = ("RP Code", "Company Number", "Charity Number")


def is_rsp_numbers(header: list[str]) -> bool:
    """Registered providers' numbers (rsp-charity-number.csv: ``RP Code,Company Number,…``)."""
    return set(RSP_NUMBERS_COLUMNS) <= set(header)


def read_rsp_numbers(path: Path) -> pd.DataFrame:
    """Registered providers' company and charity numbers → nameless rows (see module docstring).

    The register id is the provider's (``GB-SHPE-<RP code>``, as :func:`read_social_housing`
    writes it); a number left blank is None.
    """
    df = pd.read_csv(path, dtype=str).fillna("")

    def number(col: str) -> pd.Series:
        value = df[col].str.strip().str.upper()
        return value.where(value.ne(""), None)

    return org_frame(
        register_id="GB-SHPE-" + df["RP Code"].str.strip(),
        name="",
        match_key="",
        company_number=number("Company Number"),
        charity_number=number("Charity Number"),
        register=RSP_NUMBERS_REGISTER,
    )


def with_provider_numbers(orgs: pd.DataFrame) -> pd.DataFrame:
    """The social housing providers' rows given their company and charity numbers.

    The numbers come from the nameless :data:`RSP_NUMBERS_REGISTER` rows of the same register
    id, which are then dropped (the index reset); a number a provider's row already has is
    kept.
    """
    numbers = orgs["register"].eq(RSP_NUMBERS_REGISTER)
    if not numbers.any():
        return orgs
    by_id = orgs[numbers].drop_duplicates("register_id").set_index("register_id")
    rest = orgs[~numbers].reset_index(drop=True)
    for col in ("company_number", "charity_number"):
        given = rest["register_id"].map(by_id[col])
        rest[col] = rest[col].where(rest[col].notna(), given)
    return rest
