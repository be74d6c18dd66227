"""A 360Giving grants file for each demo council (flattened CSV with the standard titles).

Grants go to the council's VCSE suppliers. Recipient ids follow 360Giving practice:
``GB-CHC-<charity number>`` for registered charities, ``GB-COH-<company number>`` for CICs,
co-operatives and other companies, and ``360G-<council>-<slug>`` for unregistered groups.
Funders: Bristol ``GB-LAE-BST``, Newcastle ``GB-LAE-NET``. About 60% of postcodes are filled.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kil_analysis.readers.atomic import write_bytes_atomic

COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "URL",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Planned Dates:Duration (months)",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:Street Address",
    "Recipient Org:City",
    "Recipient Org:County",
    "Recipient Org:Country",
    "Recipient Org:Postal Code",
    "Recipient Org:Description",
    "Recipient Org:Web Address",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Latitude",
    "Beneficiary Location:Longitude",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Grant Programme:URL",
    "From an open call?",
    "Related Activity",
    "Last modified",
    "Data Source",
]
FUNDERS = {
    "bristol": (
        "GB-LAE-BST",
        "Bristol City Council",
        "E06000023",
        "Bristol, City of",
        "https://www.bristol.gov.uk/",
    ),
    "newcastle": (
        "GB-LAE-NET",
        "Newcastle City Council",
        "E08000021",
        "Newcastle upon Tyne",
        "https://www.newcastle.gov.uk/",
    ),
}
PROGRAMMES = (
    ("CCF", "Community Capacity Fund", "Communities"),
    ("WELL", "Wellbeing Grants", "Public Health"),
    ("YTH", "Youth Activities Fund", "Children and Young People"),
    ("HAF", "Holiday Activities and Food", "Children and Young People"),
)


def slugify(name: str) -> str:
    """Lower-case slug of a name for made-up 360Giving org ids."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def recipient_id(row, council: str) -> str:
    """The 360Giving org identifier for a recipient."""
    if row.charity_number:
        return f"GB-CHC-{row.charity_number}"
    if row.company_number:
        return f"GB-COH-{row.company_number}"
    return f"360G-{council}-{slugify(row.name)}"


def grants_frame(
    suppliers: pd.DataFrame, council: str, rng: np.random.Generator, n_grants: int = 150
) -> pd.DataFrame:
    """``n_grants`` grants from ``council`` to its VCSE suppliers, April 2022 – March 2025."""
    funder, funder_name, lad_code, lad_name, url = FUNDERS[council]
    vcse = suppliers[
        (suppliers["org_type"] == "vcse") & (suppliers["councils"] == council)
    ].reset_index(drop=True)
    vcse = vcse[~vcse["name"].str.contains("<")].reset_index(drop=True)
    pick = rng.choice(len(vcse), n_grants, replace=True)
    recipients = vcse.iloc[pick].reset_index(drop=True)
    start = date(2022, 4, 1).toordinal()
    days = np.sort(rng.integers(0, 1095, n_grants))
    award = [date.fromordinal(start + int(d)) for d in days]
    amount = (np.exp(rng.uniform(np.log(500), np.log(60_000), n_grants)) // 50 * 50).astype(int)
    prog = rng.integers(0, len(PROGRAMMES), n_grants)
    months = rng.choice([3, 6, 12, 12, 24], n_grants)
    has_pc = rng.random(n_grants) < 0.6
    prefix = f"360G-{'bristolcc' if council == 'bristol' else 'newcastlecc'}"
    ends = [
        pd.Timestamp(a) + pd.DateOffset(months=int(m)) - pd.DateOffset(days=1)
        for a, m in zip(award, months, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "Identifier": [f"{prefix}-{PROGRAMMES[p][0]}{i + 1:04d}" for i, p in enumerate(prog)],
            "Title": [
                f"{PROGRAMMES[p][1]} grant to {n}"
                for p, n in zip(prog, recipients["name"], strict=True)
            ],
            "Description": [
                f"Funding towards {PROGRAMMES[p][2].lower()} activities delivered by {n}."
                for p, n in zip(prog, recipients["name"], strict=True)
            ],
            "Currency": "GBP",
            "Amount Applied For": "",
            "Amount Awarded": amount,
            "Amount Disbursed": "",
            "Award Date": [a.isoformat() for a in award],
            "Planned Dates:Start Date": [a.isoformat() for a in award],
            "Planned Dates:End Date": [e.date().isoformat() for e in ends],
            "Planned Dates:Duration (months)": months,
            "Recipient Org:Identifier": [recipient_id(r, council) for r in recipients.itertuples()],
            "Recipient Org:Name": recipients["name"],
            "Recipient Org:Charity Number": recipients["charity_number"],
            "Recipient Org:Company Number": recipients["company_number"],
            "Recipient Org:Country": "England",
            "Recipient Org:Postal Code": np.where(has_pc, recipients["postcode"], ""),
            "Beneficiary Location:Name": lad_name,
            "Beneficiary Location:Country Code": "GB",
            "Beneficiary Location:Geographic Code": lad_code,
            "Beneficiary Location:Geographic Code Type": "LAD",
            "Funding Org:Identifier": funder,
            "Funding Org:Name": funder_name,
            "Funding Org:Department": [PROGRAMMES[p][2] for p in prog],
            "Grant Programme:Code": [PROGRAMMES[p][0] for p in prog],
            "Grant Programme:Title": [PROGRAMMES[p][1] for p in prog],
            "From an open call?": "Yes",
            "Last modified": "2025-04-30T09:00:00Z",
            "Data Source": url,
        }
    )
    return frame.reindex(columns=COLUMNS, fill_value="")


def write_grants(
    suppliers: pd.DataFrame, council: str, path: Path, rng: np.random.Generator
) -> Path:
    """Write ``<slug>_grants_360giving.csv`` (UTF-8, LF, as 360Giving CSVs usually are)."""
    frame = grants_frame(suppliers, council, rng)
    write_bytes_atomic(path, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return path
