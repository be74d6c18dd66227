"""Proposals: candidate organisations found by a look-up service, for the researcher to decide.

A candidate (from a reconciliation service or Companies House) becomes a proposal row
(:data:`PROPOSAL_COLUMNS`): the candidate's org-id, name, the service's own ``score`` and
``match`` flag, kil's ``similarity`` (0–100, rapidfuzz token-sort ratio of the two names with
legal-form words dropped — one scale across services), and what the candidate would make of the
supplier:

- The org-id's register says the type (:data:`ORG_ID_REGISTERS`, the org-id.guide lists):
  ``GB-CHC``/``GB-SC``/``GB-NIC`` charity registers → vcse, charity; ``GB-MPR`` (FCA mutuals) →
  vcse, co-operative or community benefit society; ``GB-EDU``, ``GB-NHS``, ``GB-LAE``,
  ``GB-LAS``, ``GB-LANI``, ``GB-PLA``, ``GB-GOR``, ``GB-GOVUK`` → public. ``GB-COH`` (a company)
  says nothing alone: its legal form decides.
- The legal form refines it: a reconciliation candidate's type (Find that Charity's organisation
  types: community-interest-company, charitable-incorporated-organisation, registered-society,
  community-amateur-sports-club, local-authority, university, …) or a Companies House
  ``company_type`` (``private-limited-guarant-nsc`` → vcse, company limited by guarantee;
  ``ltd``/``plc``/``llp`` → private; ``charitable-incorporated-organisation`` → vcse, CIO;
  ``registered-society-non-jurisdictional``/``industrial-and-provident-society`` → vcse,
  co-operative or community benefit society). A registered name ending "Community Interest
  Company"/"CIC" (the statutory ending, also in Welsh) makes a company a CIC.

Nothing is accepted here. The worksheet shows the best proposal per supplier
(:func:`best_proposals`); the researcher writes y or n in ``accept_proposal``; a saved worksheet
is read by :func:`kil_analysis.enrich.overrides.read_overrides`, where accepted proposals become
overrides. ``suggestion`` may say "accept?" when the service itself flagged a match, but it is
never the decision.
"""

from __future__ import annotations

import re

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys
from kil_analysis.enrich.locality import postcode_keys, postcode_text
from kil_analysis.enrich.matching import FUZZY_THRESHOLD

PROPOSAL_COLUMNS = [
    "supplier_key",
    "supplier_name",
    "total_pence",
    "service",
    "rank",  # the candidate's place in the service's answer, 1 = first
    "candidate_id",
    "candidate_name",
    "score",  # the service's own score (its scale; None for Companies House search)
    "similarity",  # kil's name similarity, 0–100
    "match",  # the service's own match flag
    "status",  # active / inactive / dissolved … where the answer says
    "candidate_type",
    "proposed_org_type",
    "proposed_vcse_form",
    "postcode",
    "proposed_locality",
    "from_cache",
]

# org-id prefix → (org_type, vcse_form, register). None: the legal form must decide.
ORG_ID_REGISTERS: dict[str, tuple[str | None, str | None, str]] = {
    "GB-CHC": ("vcse", "charity", "Charity Commission for England and Wales"),
    "GB-SC": ("vcse", "charity", "Scottish Charity Regulator"),
    "GB-NIC": ("vcse", "charity", "Charity Commission for Northern Ireland"),
    "GB-MPR": ("vcse", "co-operative or community benefit society", "FCA Mutuals Public Register"),
    "GB-COH": (None, None, "Companies House"),
    "GB-EDU": ("public", None, "Get Information About Schools (includes independent schools)"),
    "GB-NHS": ("public", None, "NHS Organisation Data Service"),
    "GB-LAE": ("public", None, "local authorities in England"),
    "GB-LAS": ("public", None, "local authorities in Scotland"),
    "GB-LANI": ("public", None, "local authorities in Northern Ireland"),
    "GB-PLA": ("public", None, "principal local authorities in Wales"),
    "GB-GOR": ("public", None, "Government Organisation Register"),
    "GB-GOVUK": ("public", None, "GOV.UK organisations"),
    # Learning providers and social housing providers are public, voluntary and private alike.
    "GB-UKPRN": (None, None, "UK Register of Learning Providers"),
    "GB-SHPE": (None, None, "Regulator of Social Housing"),
}

# Legal forms and organisation types → (org_type, vcse_form). Keys are Find that Charity's
# organisation types and Companies House's company_type enumeration (api-enumerations).
FORM_TYPES: dict[str, tuple[str, str | None]] = {
    "community-interest-company": ("vcse", "CIC"),
    "charitable-incorporated-organisation": ("vcse", "CIO"),
    "scottish-charitable-incorporated-organisation": ("vcse", "CIO"),
    "registered-society": ("vcse", "co-operative or community benefit society"),
    "registered-society-non-jurisdictional": ("vcse", "co-operative or community benefit society"),
    "industrial-and-provident-society": ("vcse", "co-operative or community benefit society"),
    "community-amateur-sports-club": ("vcse", "community amateur sports club"),
    "company-limited-by-guarantee": ("vcse", "company limited by guarantee"),
    "private-limited-guarant-nsc": ("vcse", "company limited by guarantee"),
    "private-limited-guarant-nsc-limited-exemption": ("vcse", "company limited by guarantee"),
    "registered-charity": ("vcse", "charity"),
    "registered-charity-england-and-wales": ("vcse", "charity"),
    "registered-charity-scotland": ("vcse", "charity"),
    "registered-charity-northern-ireland": ("vcse", "charity"),
    "local-authority": ("public", None),
    "government-organisation": ("public", None),
    "university": ("public", None),
    "further-education-or-sixth-form-college-corporation": ("public", None),
    "ltd": ("private", None),
    "plc": ("private", None),
    "llp": ("private", None),
    "limited-partnership": ("private", None),
    "private-unlimited": ("private", None),
    "private-unlimited-nsc": ("private", None),
    "private-limited-shares-section-30-exemption": ("private", None),
    "old-public-company": ("private", None),
    "oversea-company": ("private", None),
    "uk-establishment": ("private", None),
    "scottish-partnership": ("private", None),
    "registered-company": ("private", None),
}
# The statutory name ending of a community interest company (English or Welsh).
CIC_NAME = re.compile(
    r"\b(?:COMMUNITY INTEREST COMPANY|CIC|C I C|CWMNI BUDDIANT CYMUNEDOL|CBC)\s*$", re.I
)
_ID_IN_NAME = re.compile(r"\s*\((?:[A-Z]{2}-[A-Z0-9]+-[^)]+)\)\s*")
_INACTIVE = re.compile(r"\s*\[INACTIVE\]\s*", re.I)
ACCEPT_WORDS = frozenset({"y", "yes", "x", "true", "1", "accept", "accepted"})
REJECT_WORDS = frozenset({"n", "no", "false", "0", "reject", "rejected"})


def org_id_prefix(org_id: str | None) -> str | None:
    """The register part of an org-id: ``GB-CHC-1057949`` → ``GB-CHC`` (None if not one)."""
    if not isinstance(org_id, str):
        return None
    m = re.match(r"^([A-Z]{2}-[A-Z0-9]+)-\S+$", org_id.strip().upper())
    return m.group(1) if m else None


def propose_type(
    org_id: str | None, form: str | None, name: str | None
) -> tuple[str | None, str | None]:
    """What a candidate says about a supplier: (org_type, vcse_form), or (None, None).

    ``org_id``'s register decides first (a charity number is a charity whatever its company
    form); then ``form`` (a Find that Charity organisation type or a Companies House
    company_type); a company whose registered ``name`` carries the CIC ending is a CIC.
    """
    prefix = org_id_prefix(org_id)
    reg_type, reg_form, _ = ORG_ID_REGISTERS.get(prefix or "", (None, None, ""))
    form_key = (form or "").strip().lower()
    form_type, form_form = FORM_TYPES.get(form_key, (None, None))
    is_company = prefix == "GB-COH" or form_key in FORM_TYPES and prefix is None
    if is_company and isinstance(name, str) and CIC_NAME.search(name.replace(".", "").strip()):
        return "vcse", "CIC"
    if reg_type is not None:
        if reg_type == "vcse" and form_type == "vcse" and form_form not in (None, "charity"):
            return reg_type, form_form  # e.g. a charity that is a CIO
        return reg_type, reg_form
    return form_type, form_form


def clean_candidate_name(name: str | None) -> tuple[str, bool]:
    """Find that Charity writes "Name (GB-CHC-123) [INACTIVE]": the name, and whether inactive."""
    text = str(name or "")
    inactive = bool(_INACTIVE.search(text))
    text = _INACTIVE.sub(" ", text)
    text = _ID_IN_NAME.sub(" ", text)
    return " ".join(text.split()), inactive


def name_similarity(a: pd.Series, b: pd.Series) -> pd.Series:
    """Token-sort similarity (0–100) of two aligned name series, legal-form words ignored."""
    from rapidfuzz import fuzz

    ka = match_keys(name_keys(a.fillna("").astype(str)))
    kb = match_keys(name_keys(b.fillna("").astype(str)))
    return pd.Series(
        [round(fuzz.token_sort_ratio(x, y), 1) for x, y in zip(ka, kb, strict=True)],
        index=a.index,
        dtype=float,
    )


def reconciliation_candidates(answer: dict, service: str) -> list[dict]:
    """Candidates from one reconciliation answer (``{"result": [...]}``) as proposal fields."""
    out = []
    for rank, cand in enumerate(answer.get("result") or [], start=1):
        if not isinstance(cand, dict) or not cand.get("id"):
            continue
        types = cand.get("type") or []
        raw_ids = [t.get("id") if isinstance(t, dict) else str(t) for t in types]
        type_ids: list[str] = [str(t).strip("/") for t in raw_ids if t]
        raw = cand.get("name")
        if isinstance(raw, list):  # the 1.0 draft: [{"str": ..., "lang": ...}]
            raw = next((n.get("str") for n in raw if isinstance(n, dict) and n.get("str")), "")
        name, inactive = clean_candidate_name(raw)
        form = next((t for t in type_ids if t.lower() in FORM_TYPES), None)
        org_type, vcse_form = propose_type(str(cand["id"]), form, name)
        score = cand.get("score")
        out.append(
            {
                "service": service,
                "rank": rank,
                "candidate_id": str(cand["id"]).strip(),
                "candidate_name": name,
                "score": float(score) if isinstance(score, int | float) else None,
                "match": bool(cand.get("match", False)),
                "status": "inactive" if inactive else None,
                "candidate_type": ", ".join(type_ids) or None,
                "proposed_org_type": org_type,
                "proposed_vcse_form": vcse_form,
                "postcode": None,
            }
        )
    return out


def companies_house_candidates(answer: dict, service: str) -> list[dict]:
    """Candidates from one Companies House search answer (``{"items": [...]}``)."""
    out = []
    for rank, item in enumerate(answer.get("items") or [], start=1):
        if not isinstance(item, dict) or not item.get("company_number"):
            continue
        number = str(item["company_number"]).strip().upper()
        org_id = f"GB-COH-{number}"
        name = " ".join(str(item.get("title") or "").split())
        form = item.get("company_type")
        org_type, vcse_form = propose_type(org_id, form, name)
        address: dict = item["address"] if isinstance(item.get("address"), dict) else {}
        out.append(
            {
                "service": service,
                "rank": rank,
                "candidate_id": org_id,
                "candidate_name": name,
                "score": None,
                "match": False,
                "status": item.get("company_status"),
                "candidate_type": form,
                "proposed_org_type": org_type,
                "proposed_vcse_form": vcse_form,
                "postcode": address.get("postal_code"),
            }
        )
    return out


def finish_proposals(rows: pd.DataFrame) -> pd.DataFrame:
    """Add similarity, tidy postcodes and order the columns (:data:`PROPOSAL_COLUMNS`).

    ``rows`` carries supplier_key, supplier_name, total_pence plus the candidate fields. Rows are
    sorted by supplier spend, then the service's match flag and its own ranking (services in the
    order asked); a candidate a service returned twice for one supplier is kept once.
    """
    out = rows.copy()
    for col in PROPOSAL_COLUMNS:
        if col not in out:
            out[col] = None
    if out.empty:
        return out[PROPOSAL_COLUMNS].reset_index(drop=True)
    out["similarity"] = name_similarity(out["supplier_name"], out["candidate_name"])
    keys = postcode_keys(out["postcode"])
    out["postcode"] = postcode_text(keys)
    out["match"] = out["match"].fillna(False).astype(bool)
    out = out.sort_values(
        ["total_pence", "supplier_key", "match", "rank"],
        ascending=[False, True, False, True],
        kind="stable",
    )
    out = out.drop_duplicates(["supplier_key", "service", "candidate_id"], keep="first")
    return out[PROPOSAL_COLUMNS].reset_index(drop=True)


WORKSHEET_PROPOSAL_COLUMNS = [
    "proposal_service",
    "proposal_id",
    "proposal_name",
    "proposal_score",
    "proposal_similarity",
    "proposal_match",
    "proposal_org_type",
    "proposal_vcse_form",
    "proposal_postcode",
    "proposal_locality",
    "other_candidates",
    "suggestion",
    "accept_proposal",
]


def best_proposals(proposals: pd.DataFrame, others: int = 5) -> pd.DataFrame:
    """One row per supplier_key: its first proposal in worksheet columns, plus the next ones.

    ``other_candidates`` lists up to ``others`` further candidates as "id name (similarity)".
    ``suggestion`` reads "accept?" when the service flagged the first candidate as a match,
    "check" when the names are as alike as the register matcher requires of a fuzzy match
    (similarity ≥ :data:`~kil_analysis.enrich.matching.FUZZY_THRESHOLD`), else "weak".
    ``accept_proposal`` is left blank for the researcher.
    """
    if proposals is None or proposals.empty:
        return pd.DataFrame(columns=["supplier_key", *WORKSHEET_PROPOSAL_COLUMNS])
    p = proposals.reset_index(drop=True)
    first = p.drop_duplicates("supplier_key", keep="first").set_index("supplier_key")
    rest = p[~p.index.isin(p.drop_duplicates("supplier_key", keep="first").index)]
    label = pd.Series(
        [
            f"{cid} {name or ''} ({sim:.0f})" if pd.notna(sim) else f"{cid} {name or ''}"
            for cid, name, sim in zip(
                rest["candidate_id"], rest["candidate_name"], rest["similarity"], strict=True
            )
        ],
        index=rest.index,
        dtype=object,
    )
    other = label.groupby(rest["supplier_key"]).agg(lambda s: "; ".join(s.head(others)))

    def score_text(v) -> str:
        return "" if v is None or pd.isna(v) else f"{float(v):g}"

    out = pd.DataFrame(
        {
            "proposal_service": first["service"],
            "proposal_id": first["candidate_id"],
            "proposal_name": first["candidate_name"],
            "proposal_score": first["score"].map(score_text),
            "proposal_similarity": first["similarity"].map(score_text),
            "proposal_match": first["match"].map({True: "true", False: "false"}),
            "proposal_org_type": first["proposed_org_type"],
            "proposal_vcse_form": first["proposed_vcse_form"],
            "proposal_postcode": first["postcode"],
            "proposal_locality": first["proposed_locality"],
            "other_candidates": other.reindex(first.index),
            "suggestion": [
                "accept?" if m else ("check" if pd.notna(v) and v >= FUZZY_THRESHOLD else "weak")
                for m, v in zip(first["match"], first["similarity"], strict=True)
            ],
            "accept_proposal": "",
        }
    )
    return out.fillna("").reset_index()


def proposal_decisions(
    values: pd.Series, proposal_ids: pd.Series, others: pd.Series, path: str
) -> pd.DataFrame:
    """Read ``accept_proposal`` cells: ``decision`` (accepted / rejected / None) and ``chosen``.

    y/yes/x/accept accepts the proposal shown (``chosen`` is its ``proposal_id``); n/no/reject
    rejects it; an org-id listed in ``other_candidates`` accepts that candidate instead. Raises
    ValueError naming the file and row for anything else, or for y on a row with no proposal.
    """
    raw = values.fillna("").astype(str).str.strip()
    v = raw.str.lower()
    ids = proposal_ids.fillna("").astype(str).str.strip()
    decision = pd.Series(None, index=values.index, dtype=object)
    chosen = pd.Series(None, index=values.index, dtype=object)
    yes = v.isin(ACCEPT_WORDS)
    decision[yes] = "accepted"
    chosen[yes] = ids[yes]
    decision[v.isin(REJECT_WORDS)] = "rejected"
    as_id = raw.str.upper()
    listed = pd.Series(
        [
            bool(org_id_prefix(i)) and i in str(o or "").upper().split()
            for i, o in zip(as_id, others.fillna(""), strict=True)
        ],
        index=values.index,
    )
    other = (v != "") & decision.isna() & (listed | (as_id == ids.str.upper()))
    decision[other] = "accepted"
    chosen[other] = as_id[other]
    bad = (v != "") & decision.isna()
    if bad.any():
        row = int(bad.idxmax()) + 2
        raise ValueError(
            f"{path}: row {row}: accept_proposal {raw[bad].iloc[0]!r} is not y (accept), "
            "n (reject) or the org-id of one of the other candidates"
        )
    empty = decision.eq("accepted") & chosen.fillna("").eq("")
    if empty.any():
        row = int(empty.idxmax()) + 2
        raise ValueError(f"{path}: row {row}: accept_proposal is y but the row has no proposal")
    return pd.DataFrame({"decision": decision, "chosen": chosen})
