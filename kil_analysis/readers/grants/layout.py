"""Which published grant column (or 360Giving JSON field) holds which grants-table field.

Headers are compared with the spend reader's `header_key` (case, spaces and punctuation ignored)
after dropping 360Giving's numbered-repeat segments (``Beneficiary Location:0:Geographic Code`` is
``Beneficiary Location:Geographic Code``). Each field lists its synonyms in order of preference:
the 360Giving flattened titles first, then the layouts of older council grant lists (Devon's
``Grant Beneficiary``, ``Beneficiary's registration Number``, ``Purpose of Grant``, ``Date Grant
Awarded``). When several columns qualify, the earliest synonym wins, then the leftmost column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kil_analysis.readers.spend.columns import header_key

GRANT_SYNONYMS: dict[str, list[str]] = {
    "grant_id": ["identifier", "grantidentifier", "grantid", "grantreference", "grantref"],
    "title": ["title", "granttitle", "purposeofgrant", "purpose", "grantpurpose", "description"],
    "amount": [
        "amountawarded",
        "grantamount",
        "amount",
        "amountgbp",
        "awardamount",
        "grantvalue",
        "value",
        "amountpaid",
        "amountdisbursed",
    ],  # fmt: skip
    "award_date": [
        "awarddate",
        "dategrantawarded",
        "dateawarded",
        "grantawarddate",
        "dateofaward",
        "datepaid",
        "paymentdate",
        "date",
    ],  # fmt: skip
    "recipient_name": [
        "recipientorgname",
        "recipientindname",
        "grantbeneficiary",
        "beneficiary",
        "beneficiaryname",
        "recipient",
        "recipientname",
        "grantrecipient",
        "organisation",
        "organisationname",
        "organization",
        "payee",
    ],  # fmt: skip
    "recipient_org_id": ["recipientorgidentifier", "recipientindidentifier"],
    "charity_text": ["recipientorgcharitynumber", "charitynumber", "charityno", "charityregno"],
    "company_text": ["recipientorgcompanynumber", "companynumber", "companyno"],
    "registration_text": [
        "beneficiarysregistrationnumber",
        "beneficiaryregistrationnumber",
        "registrationnumber",
        "registrationno",
        "regno",
        "recipientregistrationnumber",
        "registerednumber",
    ],  # fmt: skip
    "recipient_postcode": ["recipientorgpostalcode", "postalcode", "postcode", "recipientpostcode"],
    "funder_id": ["fundingorgidentifier", "funderidentifier"],
    "funder_name": ["fundingorgname", "fundername", "funder"],
    "programme": [
        "grantprogrammetitle",
        "grantprogramme",
        "programme",
        "programmetitle",
        "scheme",
        "fund",
        "service",
    ],  # fmt: skip
    "beneficiary_location_code": [
        "beneficiarylocationgeographiccode",
        "beneficiarylocationcode",
        "wardcode",
        "lacode",
    ],  # fmt: skip
}
FIELDS = tuple(GRANT_SYNONYMS)
_RANK = {syn: (f, i) for f, syns in GRANT_SYNONYMS.items() for i, syn in enumerate(syns)}
# Fields identifying a grant: a row with none of these but an amount is a totals row.
IDENTITY_FIELDS = (
    "grant_id", "title", "award_date", "recipient_name", "recipient_org_id", "charity_text",
    "company_text", "registration_text",
)  # fmt: skip


def grant_header_key(header: object) -> str:
    """`header_key` after dropping 360Giving numbered repeats (``:0:``)."""
    return header_key(re.sub(r":\s*\d+\s*:", ":", "" if header is None else str(header)))


def map_grant_columns(headers: Sequence[object]) -> dict[str, int]:
    """``{field: column position}`` for the headers of a grants table (see the module doc)."""
    best: dict[str, tuple[int, int]] = {}
    for pos, header in enumerate(headers):
        hit = _RANK.get(grant_header_key(header))
        if hit and (hit[0] not in best or (hit[1], pos) < best[hit[0]]):
            best[hit[0]] = (hit[1], pos)
    return {f: pos for f, (_, pos) in best.items()}


def is_grants_header(headers: Sequence[object]) -> bool:
    """A header row that names at least an amount and a recipient (name or id)."""
    found = map_grant_columns(headers)
    return "amount" in found and ("recipient_name" in found or "recipient_org_id" in found)


def _first(items: Any) -> dict[str, Any]:
    if isinstance(items, list):
        return next((i for i in items if isinstance(i, dict)), {})
    return items if isinstance(items, dict) else {}


def _joined(items: Any, key: str) -> str | None:
    values = [
        str(i[key]) for i in items or [] if isinstance(i, dict) and i.get(key) not in (None, "")
    ]
    return ";".join(values) if values else None


def json_grant_fields(grant: dict[str, Any]) -> dict[str, Any]:
    """The grants-table fields (as published text) of one 360Giving JSON grant.

    Uses the first recipient organisation (or the recipient individual), funder and programme;
    every beneficiary location's code, joined with ``;``.
    """
    recipient = _first(grant.get("recipientOrganization")) or _first(
        grant.get("recipientIndividual")
    )
    funder = _first(grant.get("fundingOrganization"))
    return {
        "grant_id": grant.get("id"),
        "title": grant.get("title"),
        "amount": grant.get("amountAwarded"),
        "award_date": grant.get("awardDate"),
        "recipient_name": recipient.get("name"),
        "recipient_org_id": recipient.get("id"),
        "charity_text": recipient.get("charityNumber"),
        "company_text": recipient.get("companyNumber"),
        "registration_text": None,
        "recipient_postcode": recipient.get("postalCode"),
        "funder_id": funder.get("id"),
        "funder_name": funder.get("name"),
        "programme": _first(grant.get("grantProgramme")).get("title"),
        "beneficiary_location_code": _joined(grant.get("beneficiaryLocation"), "geoCode"),
    }
