"""Writers for each council's published spend layout, with the quirks of the real files.

Newcastle (monthly, ``newcastle/spend/YYYY-MM.csv``, "Invoices over £250"), as the council
publishes: cp1252 (£ is byte 0xA3), CRLF, row 1 a title, row 2 all commas, header on row 3
``Directorate,Service Area,Group Description,Paid Date,Supplier Name,Internal Ref,Cap/Rev,
Cost Centre,Cost Centre Name,Total (excludes VAT)``, rows sorted by supplier name. Quirks by
month: April–December 2022 use ``dd-Mon-yyyy`` dates, two-decimal amounts, ``Revenue`` and
Service Area right-padded with spaces (as the council's 2017–18 files did); from January 2023
``dd/mm/yyyy`` dates, bare amounts (``1570.8``) and ``revenue``; June 2023 (``EXCEL_SERIAL_MONTH``)
has most dates as Excel serial numbers (``45090``); every fifth month ends with hundreds of rows
made only of commas. Individuals appear as ``Redacted Personal Data``.

Bristol (quarterly, ``bristol/spend/bristol-spend-over-500-YYYY-YY-qN.csv``): no copy of a
Bristol file was available to check, so this follows the layout the council describes
(supplier name, amount excluding VAT, description, department, payment date, transaction
number): header ``Supplier Name,Amount Excluding VAT,Description,Department,Payment Date,
Transaction Number``, UTF-8 with BOM, CRLF, ``dd/mm/yyyy`` dates, quarterly files, rows by
payment date; individuals appear as ``redacted``. Threshold £500.
"""

from __future__ import annotations

import calendar
import io
from pathlib import Path

import numpy as np
import pandas as pd

from kil_analysis.demo.payments import months
from kil_analysis.demo.suppliers import HOSTILE_NAMES, REDACTED_ID
from kil_analysis.readers.atomic import write_bytes_atomic

NEWCASTLE_HEADER = [
    "Directorate",
    "Service Area",
    "Group Description",
    "Paid Date",
    "Supplier Name",
    "Internal Ref",
    "Cap/Rev",
    "Cost Centre",
    "Cost Centre Name",
    "Total (excludes VAT)",
]
BRISTOL_HEADER = [
    "Supplier Name",
    "Amount Excluding VAT",
    "Description",
    "Department",
    "Payment Date",
    "Transaction Number",
]
NEWCASTLE_REDACTED = "Redacted Personal Data"
BRISTOL_REDACTED = "redacted"
EXCEL_SERIAL_MONTH = (2023, 6)
OLD_STYLE_UNTIL = (2022, 12)  # dd-Mon-yyyy dates, padded service areas, "Revenue"
EXCEL_EPOCH = 693594  # date(1899, 12, 30).toordinal(): Excel serial day 0

# Service kind -> (directorate, service area, ((cost centre, cost centre name), ...)).
NEWCASTLE_SERVICES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "adult_care": (
        "ASC & Integrated Services",
        "Adult Social Care",
        (
            ("1MK34", "Shared Lives - Adult LD"),
            ("1MA10", "Residential Care OP"),
            ("1MA12", "Nursing Care OP"),
            ("1MA20", "Direct Payments LD"),
            ("1MA22", "Supported Living LD"),
            ("1MA30", "Home Care-Spot Purchased OP"),
            ("1MA41", "Ind Day Care LD"),
        ),
    ),
    "child_care": (
        "Children, Education and Skills",
        "Children's Social Care",
        (
            ("1MC02", "Ind Sector Placements"),
            ("1MC10", "In-House Foster Carer Costs"),
            ("1MC12", "Special Guardianship Allow"),
            ("1MC15", "Adoption Payments"),
            ("1MC20", "Post 18 Staying Put"),
            ("1MC31", "CWD Care Packages"),
        ),
    ),
    "education": (
        "Children, Education and Skills",
        "Education Schools",
        (
            ("1EA01", "Schools Block"),
            ("1EA05", "High Needs Top Up"),
            ("1EA09", "Early Years Funding"),
        ),
    ),
    "early_help": (
        "Children, Education and Skills",
        "Early Help and Family Support",
        (("1EH10", "Family Hubs"), ("1EH20", "Youth Services")),
    ),
    "building": (
        "Operations & Reg Services",
        "Building Commercial Enterprise",
        (("1KBRM", "Sub Contractors R & M"), ("1KVWC", "Minor Works Contracts")),
    ),
    "highways": (
        "Place",
        "Transport",
        (("1KTCD", "A69 Routine Works"), ("1KT10", "Highways"), ("1KT22", "Street Lighting")),
    ),
    "facilities": (
        "Operations & Reg Services",
        "Facilities Serv and Civic Mgmt",
        (
            ("1KE27", "Bereavement Services Overhead"),
            ("1KF10", "Facility Services"),
            ("1KF12", "Civic Centre Running Costs"),
        ),
    ),
    "energy": (
        "Resources",
        "Commercial Dev & Property",
        (("1RP20", "Energy - Electricity"), ("1RP21", "Energy - Gas")),
    ),
    "ict": ("Resources", "ICT", (("2CAPI", "Capital Investment"), ("2CITC", "IT Services"))),
    "corporate": (
        "Assistant Chief Executive",
        "Policy, Comms and Performance",
        (
            ("1FT08", "Translation Unit"),
            ("1FA10", "Insurance Provision"),
            ("1FA20", "Corporate Finance"),
        ),
    ),
    "legal": (
        "Resources",
        "Legal Services",
        (("1FG20", "Legal Fees Care"), ("1FG52", "North of Tyne Devolution Deal")),
    ),
    "housing": (
        "City Futures",
        "Fairer Housing Unit",
        (("1HF10", "Temporary Accommodation Prem"), ("1HF20", "Homelessness Prevention")),
    ),
    "communities": (
        "City Futures",
        "Communities Team",
        (("1FW24", "Walkergate"), ("1FW30", "Ward Funding"), ("1FW40", "Voluntary Sector Grants")),
    ),
    "public_health": (
        "Public Health Service",
        "Public Health",
        (("1PH10", "Substance Misuse"), ("1PH20", "Healthy Lifestyles")),
    ),
    "culture": ("City Futures", "Museums, Arts and Culture", (("1CA10", "Arts Grants"),)),
    "transport": (
        "Operations & Reg Services",
        "Transport",
        (("1KTS1", "Transport Special"), ("1KTS2", "Fleet Internal & External Hire")),
    ),
    "waste": (
        "Operations & Reg Services",
        "Operations",
        (("1KE41", "Domestic Refuse Collection"), ("1KE45", "Waste Disposal")),
    ),
    "regen": ("Place", "Economic Development", (("1EC10", "Inward Investment"),)),
}
# Service kind -> (department, (descriptions, ...)).
BRISTOL_SERVICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "adult_care": (
        "Adult Social Care",
        (
            "Residential Care",
            "Nursing Care",
            "Home Care",
            "Direct Payments",
            "Supported Living",
            "Day Care",
        ),
    ),
    "child_care": (
        "Children and Families",
        (
            "Foster Care Allowances",
            "Independent Placements",
            "Special Guardianship",
            "Adoption Allowances",
            "Care Leavers Support",
        ),
    ),
    "education": (
        "Education and Skills",
        ("Schools Funding", "High Needs Top Up", "Early Years Funding"),
    ),
    "early_help": ("Children and Families", ("Family Support", "Youth Services")),
    "building": ("Housing and Landlord Services", ("Building Repairs", "Planned Maintenance")),
    "highways": ("Management of Place", ("Highways Maintenance", "Street Lighting")),
    "facilities": ("Resources", ("Cleaning", "Security", "Premises Costs")),
    "energy": ("Resources", ("Electricity", "Gas", "Water Charges")),
    "ict": ("Resources", ("IT Software", "IT Hardware", "Telecommunications")),
    "corporate": (
        "Resources",
        ("Consultants Fees", "Insurance", "Audit Fees", "Printing and Stationery"),
    ),
    "legal": ("Resources", ("Legal Fees", "Court Costs")),
    "housing": (
        "Housing and Landlord Services",
        ("Temporary Accommodation", "Homelessness Prevention"),
    ),
    "communities": (
        "Communities and Public Health",
        ("Grants to Voluntary Organisations", "Community Development"),
    ),
    "public_health": (
        "Communities and Public Health",
        ("Substance Misuse Services", "Sexual Health Services", "Healthy Lifestyles"),
    ),
    "culture": ("Growth and Regeneration", ("Arts Grants", "Museum Services")),
    "transport": ("Management of Place", ("Home to School Transport", "Vehicle Hire")),
    "waste": ("Management of Place", ("Waste Collection Contract", "Waste Disposal")),
    "regen": ("Growth and Regeneration", ("Regeneration Projects", "Economic Development")),
}


def published_spellings(
    suppliers: pd.DataFrame, council: str, rng: np.random.Generator
) -> list[list[str]]:
    """Each supplier's spellings as the council publishes them (index 0 is the usual one).

    Newcastle prints names in capitals. About 40% of suppliers also appear, in some months,
    as a variant: LTD/LIMITED swapped, a different case, a trailing payment reference
    (`` *4183``) or `` (SP PMTS)``. Hostile test names are always printed exactly.
    """
    hostile = {h[0] for h in HOSTILE_NAMES}
    out = []
    for name in suppliers["name"]:
        usual = name if (name in hostile or council != "newcastle") else name.upper()
        spellings = [usual]
        if name not in hostile and rng.random() < 0.4:
            options = []
            if usual.endswith((" Ltd", " LTD")):
                options.append(usual[:-4] + (" LIMITED" if usual.isupper() else " Limited"))
            options.append(name.title() if usual.isupper() else name.upper())
            options.append(f"{usual} *{int(rng.integers(1000, 9999))}")
            options.append(f"{usual} (SP PMTS)")
            take = rng.permutation(len(options))[: int(rng.integers(1, 3))]
            spellings += [options[i] for i in sorted(take)]
        out.append(spellings)
    return out


def _row_names(payments: pd.DataFrame, spellings: list[list[str]], redacted: str) -> np.ndarray:
    """The published supplier name of every payment line."""
    counts = np.array([len(s) for s in spellings])
    sidx = payments["sidx"].to_numpy()
    k = counts[np.maximum(sidx, 0)]
    draw = payments["variant_draw"].to_numpy()
    variant = np.where(draw < 0.75, 0, 1 + ((draw - 0.75) / 0.25 * (k - 1)).astype(int))
    variant = np.minimum(variant, k - 1)
    names = np.array(
        [spellings[i][v] if i >= 0 else redacted for i, v in zip(sidx, variant, strict=True)],
        dtype=object,
    )
    return names


def _choose(rng: np.random.Generator, kinds: np.ndarray, table: dict, n_options) -> np.ndarray:
    """Index of an option (cost centre or description) for each line, within its kind."""
    sizes = np.array([n_options(table[k]) for k in kinds])
    return (rng.random(len(kinds)) * sizes).astype(int)


def _format_amounts(pence: np.ndarray, two_decimals: bool) -> list[str]:
    if two_decimals:
        return [f"{p / 100:.2f}" for p in pence]
    return [f"{p / 100:.2f}".rstrip("0").rstrip(".") for p in pence]


def _csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, header=header, lineterminator="\r\n")
    return buf.getvalue()


def write_newcastle_spend(
    payments: pd.DataFrame, spellings: list[list[str]], out_dir: Path, rng: np.random.Generator
) -> list[Path]:
    """Write Newcastle's monthly files (``YYYY-MM.csv``) into ``out_dir``; return the paths."""
    p = payments.copy()
    p["name"] = _row_names(p, spellings, NEWCASTLE_REDACTED)
    kinds = p["kind"].to_numpy()
    cc = _choose(rng, kinds, NEWCASTLE_SERVICES, lambda v: len(v[2]))
    p["directorate"] = [NEWCASTLE_SERVICES[k][0] for k in kinds]
    p["service"] = [NEWCASTLE_SERVICES[k][1] for k in kinds]
    p["cc"] = [NEWCASTLE_SERVICES[k][2][i][0] for k, i in zip(kinds, cc, strict=True)]
    p["cc_name"] = [NEWCASTLE_SERVICES[k][2][i][1] for k, i in zip(kinds, cc, strict=True)]
    p["ref"] = 8_900_000 + np.arange(len(p)) * 2 + rng.integers(0, 2, len(p))
    paths = []
    for mi, (year, month) in enumerate(months()):
        m = p[p["month_index"] == mi].sort_values(["name", "ordinal", "ref"], kind="mergesort")
        old = (year, month) <= OLD_STYLE_UNTIL
        dates = pd.to_datetime(m["payment_date"])
        paid = dates.dt.strftime("%d-%b-%Y" if old else "%d/%m/%Y").to_numpy(object)
        if (year, month) == EXCEL_SERIAL_MONTH:
            serial = (m["ordinal"] - EXCEL_EPOCH).astype(str).to_numpy(object)
            paid = np.where(rng.random(len(m)) < 0.94, serial, paid)
        capital = m["capital"].to_numpy()
        negative = m["amount_pence"].to_numpy() < 0
        service = m["service"].to_numpy(object)
        if old:
            width = int(rng.integers(26, 40))
            service = np.array([s.ljust(max(width, len(s) + 1)) for s in service], dtype=object)
        frame = pd.DataFrame(
            {
                "Directorate": m["directorate"].to_numpy(),
                "Service Area": service,
                "Group Description": np.where(
                    capital,
                    "Capital Expenditure",
                    np.where(
                        negative & (rng.random(len(m)) < 0.6),
                        "Revenue Income",
                        "Revenue Expenditure",
                    ),
                ),
                "Paid Date": paid,
                "Supplier Name": m["name"].to_numpy(),
                "Internal Ref": m["ref"].to_numpy(),
                "Cap/Rev": np.where(capital, "Capital", "Revenue" if old else "revenue"),
                "Cost Centre": m["cc"].to_numpy(),
                "Cost Centre Name": m["cc_name"].to_numpy(),
                "Total (excludes VAT)": _format_amounts(m["amount_pence"].to_numpy(), old),
            },
            columns=NEWCASTLE_HEADER,
        )
        commas = "," * (len(NEWCASTLE_HEADER) - 1)
        title = (
            f"Newcastle City Council Invoices over \u00a3250 paid in "
            f"{calendar.month_name[month]} {year}{commas}\r\n{commas}\r\n"
        )
        text = title + _csv_text(frame)
        if mi % 5 == 2:
            text += (commas + "\r\n") * int(rng.integers(150, 900))
        path = out_dir / f"{year:04d}-{month:02d}.csv"
        write_bytes_atomic(path, text.encode("cp1252"))
        paths.append(path)
    return paths


def bristol_quarter_name(year: int, month: int) -> str:
    """File name of the Bristol quarter holding ``year``-``month`` (financial-year quarters)."""
    fy = year if month >= 4 else year - 1
    quarter = ((month - 4) % 12) // 3 + 1
    return f"bristol-spend-over-500-{fy}-{(fy + 1) % 100:02d}-q{quarter}.csv"


def write_bristol_spend(
    payments: pd.DataFrame, spellings: list[list[str]], out_dir: Path, rng: np.random.Generator
) -> list[Path]:
    """Write Bristol's quarterly files into ``out_dir``; return the paths."""
    p = payments.copy()
    p["name"] = _row_names(p, spellings, BRISTOL_REDACTED)
    kinds = p["kind"].to_numpy()
    d = _choose(rng, kinds, BRISTOL_SERVICES, lambda v: len(v[1]))
    p["department"] = [BRISTOL_SERVICES[k][0] for k in kinds]
    p["description"] = [BRISTOL_SERVICES[k][1][i] for k, i in zip(kinds, d, strict=True)]
    p["transaction"] = 5_100_000_000 + np.arange(len(p)) * 3 + rng.integers(0, 3, len(p))
    p["file"] = [bristol_quarter_name(y, m) for y, m in (months()[i] for i in p["month_index"])]
    paths = []
    for name, q in p.groupby("file", sort=True):
        q = q.sort_values(["ordinal", "transaction"], kind="mergesort")
        frame = pd.DataFrame(
            {
                "Supplier Name": q["name"].to_numpy(),
                "Amount Excluding VAT": _format_amounts(q["amount_pence"].to_numpy(), True),
                "Description": q["description"].to_numpy(),
                "Department": q["department"].to_numpy(),
                "Payment Date": pd.to_datetime(q["payment_date"])
                .dt.strftime("%d/%m/%Y")
                .to_numpy(),
                "Transaction Number": q["transaction"].to_numpy(),
            },
            columns=BRISTOL_HEADER,
        )
        path = out_dir / name
        write_bytes_atomic(path, _csv_text(frame).encode("utf-8-sig"))
        paths.append(path)
    return paths


def published_rows(
    payments: pd.DataFrame, spellings: list[list[str]], council: str
) -> pd.DataFrame:
    """The published name of every line with its supplier id (for the ground-truth file)."""
    redacted = NEWCASTLE_REDACTED if council == "newcastle" else BRISTOL_REDACTED
    return pd.DataFrame(
        {
            "supplier_id": payments["supplier_id"].to_numpy(),
            "published_name": _row_names(payments, spellings, redacted),
            "amount_pence": payments["amount_pence"].to_numpy(),
        }
    )


__all__ = [
    "REDACTED_ID",
    "published_spellings",
    "write_bristol_spend",
    "write_newcastle_spend",
    "published_rows",
    "bristol_quarter_name",
]
