"""Registration numbers of grant recipients: free text and org ids to register numbers.

Older council grant lists give a free-text "registration number" (``Charity 1057949``,
``Company No. 08242480``, ``1144548``, ``IP 12345 R``, ``none``); 360Giving files give org ids
(``GB-CHC-1057949``, ``GB-COH-08242480``, ``GB-SC-SC012345``, ``GB-NIC-100002``,
``GB-MPR-12345R``, ``360G-…``). Both become ``org_id``, ``charity_number`` and
``company_number``.

Rules for free text (each number-like token is read with the label written before it —
"charity", "company"/"co."/"CIC"/"Ltd", "industrial & provident"/"society" — and its shape):

- ``SC`` + 6 digits: a Scottish charity (``GB-SC-``) when labelled charity, else a Scottish
  company (``GB-COH-``) — both registers use this shape.
- ``NIC`` + digits: a Northern Ireland charity (``GB-NIC-`` + digits).
- Two letters + 6 digits with a Companies House prefix (``OC``, ``NI``, ``SO``, ``RS``, ``CE``,
  ``RC``, …): a company (``GB-COH-``).
- ``IP`` + digits (optionally ``R``/``C``), or digits + ``R`` labelled society: the Mutuals Public
  Register (``GB-MPR-`` + the number without ``IP``).
- Digits labelled company (or CIC): a company number, zero-padded to 8 (``8242480`` →
  ``08242480``).
- Digits labelled charity, or unlabelled: 7 digits starting 1 (1000000–1299999) or 6 digits
  starting 2–7 (the Commission's older numbers) → a charity (``GB-CHC-``); 8 digits starting 0 →
  a company (``GB-COH-``), whatever the label.
- Anything else (3–5 digit council references, HMRC ``XR…`` numbers, 8 digits not starting 0
  without a company label, ``Exception order no …``) is ambiguous: no id is derived and the text
  stays in the published column for a researcher to resolve. ``none``/``N/A``/blank → no id.

When the text holds several numbers the first charity becomes the org id (then the first company,
then the first society); ``charity_number`` and ``company_number`` keep the first of each kind.
"""

from __future__ import annotations

import re

import pandas as pd

_COH_PREFIXES = (
    "OC|NI|SO|NC|R0|RS|CE|CS|FC|GE|GN|GS|IC|IS|LP|NA|NF|NL|NO|NP|NR|NV|NZ|PC|RC|SA|SE|SF|SG|SL|SP|"
    "SR|SZ|ZC|AC|ES|FE|SI"
)
_TOKEN = re.compile(
    r"\bNIC\s?\d{5,6}\b"
    r"|\bIP\s?\d{3,6}\s?[RC]?\b"
    rf"|\b(?:SC|{_COH_PREFIXES})\s?\d{{6}}\b"
    r"|\b\d{3,6}\s?R\b"
    r"|\b[A-Z]{1,3}\d+\b"
    r"|\d+(?:/\d+)?"
)
_CHARITY_LABEL = re.compile(r"CHA?RI?TY|CHAIRTY|CHARITABLE|\bCHTY\b|\bREG(?:ISTERED)? CHAR")
_COMPANY_LABEL = re.compile(r"COMPAN|\bCO\b|\bCIC\b|\bLTD\b|\bLIMITED\b|\bCRN\b")
_SOCIETY_LABEL = re.compile(r"INDUSTRIAL|PROVIDENT|SOCIETY|\bIPS\b|\bFCA\b|MUTUAL")


def _label(segment: str) -> str | None:
    found = [
        (m.start(), kind)
        for kind, pattern in (
            ("charity", _CHARITY_LABEL),
            ("company", _COMPANY_LABEL),
            ("society", _SOCIETY_LABEL),
        )
        for m in pattern.finditer(segment)
    ]
    return max(found)[1] if found else None  # the label written closest to the number


def classify_token(token: str, label: str | None) -> tuple[str, str] | None:
    """(kind, number) for one number-like token read with its label; None when ambiguous.

    ``kind`` is ``charity`` (number as the register writes it: digits, ``SC…`` or ``NIC…``),
    ``company`` (8 characters) or ``society`` (Mutuals Public Register number).
    """
    t = re.sub(r"\s", "", token.upper())
    if re.fullmatch(r"NIC\d{5,6}", t):
        return "charity", t
    if re.fullmatch(r"SC\d{6}", t):
        return ("charity", t) if label == "charity" else ("company", t)
    if re.fullmatch(rf"(?:{_COH_PREFIXES})\d{{6}}", t):
        return "company", t
    if re.fullmatch(r"IP\d{3,6}[RC]?", t):
        return "society", t[2:]
    if re.fullmatch(r"\d{3,6}R", t):
        return ("society", t) if label == "society" else None
    if not t.isdigit():
        return None
    if len(t) == 8 and t.startswith("0"):
        return "company", t
    if label == "company" and len(t) <= 8 and int(t) > 0:
        return "company", t.zfill(8)
    if label in ("charity", None):
        if (len(t) == 7 and t.startswith("1")) or (len(t) == 6 and t[0] in "234567"):
            return "charity", t
    return None


def parse_registration(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(org_id, charity_number, company_number) from one free-text registration entry."""
    if text is None or pd.isna(text):
        return None, None, None
    s = str(text).upper().replace(".", ". ")
    found: dict[str, str] = {}
    start = 0
    for m in _TOKEN.finditer(s):
        hit = classify_token(m.group(0), _label(s[start : m.start()]))
        start = m.end()
        if hit and hit[0] not in found:
            found[hit[0]] = hit[1]
    charity, company, society = found.get("charity"), found.get("company"), found.get("society")
    org_id = None
    if charity:
        org_id = charity_org_id(charity)
    elif company:
        org_id = f"GB-COH-{company}"
    elif society:
        org_id = f"GB-MPR-{society}"
    return org_id, charity, company


def charity_org_id(number: str) -> str:
    """The org id of a charity number: ``SC…`` → GB-SC-, ``NIC…`` → GB-NIC-, else GB-CHC-."""
    if number.startswith("SC"):
        return f"GB-SC-{number}"
    if number.startswith("NIC"):
        return f"GB-NIC-{number[3:]}"
    return f"GB-CHC-{number}"


def registration_ids(texts: pd.Series) -> pd.DataFrame:
    """`parse_registration` over a Series (distinct values parsed once).

    Returns ``org_id``, ``charity_number``, ``company_number`` (string dtype, NA when none) on the
    same index.
    """
    text = texts.astype("string")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = [parse_registration(u) for u in uniques]
    cols = ("org_id", "charity_number", "company_number")
    out = {}
    for i, name in enumerate(cols):
        values = pd.array([p[i] for p in parsed] + [None], dtype="string")
        out[name] = pd.Series(values[codes], index=texts.index, dtype="string")  # -1 → None
    return pd.DataFrame(out, index=texts.index)


def numbers_from_org_ids(org_ids: pd.Series) -> pd.DataFrame:
    """``charity_number`` and ``company_number`` implied by org ids (string dtype; NA if none).

    GB-CHC-1057949 → 1057949; GB-SC-SC012345 → SC012345; GB-NIC-100002 → NIC100002;
    GB-COH-8242480 → 08242480 (zero-padded). Other schemes (GB-MPR-, 360G-, …) imply neither.
    """
    ids = org_ids.astype("string").str.strip().str.upper()
    chc = ids.str.extract(r"^GB-CHC-(\d{6,7})$")[0]
    sc = ids.str.extract(r"^GB-SC-(SC\d{6})$")[0]
    nic = "NIC" + ids.str.extract(r"^GB-NIC-(\d{5,6})$")[0]
    coh = ids.str.extract(r"^GB-COH-([A-Z]{2}\d{6}|\d{1,8})$")[0]
    coh = coh.where(~coh.str.isdigit().fillna(False), coh.str.zfill(8))
    return pd.DataFrame(
        {
            "charity_number": chc.fillna(sc).fillna(nic).astype("string"),
            "company_number": coh.astype("string"),
        },
        index=org_ids.index,
    )
