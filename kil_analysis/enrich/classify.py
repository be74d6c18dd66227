"""Who is each supplier: organisation type and VCSE form, from registers and name rules.

Precedence — the one place it is written down (first that applies wins):

1. The researcher's override (applied by :func:`kil_analysis.enrich.enrich_suppliers`).
2. The payees the general rules misread (:mod:`kil_analysis.enrich.payee_rules`): a payee
   withheld as commercially confidential → ``not_a_supplier``; the courts by their kind →
   ``public``; a Norse Group company (owned by councils) → ``public``; a school named with
   the company that runs it → ``private``; a couple by their initials → ``individual``. Then
   a redacted name (the ingest stage's redaction rule) → ``individual`` (confidence 0.95).
3. A registered charity's exact name (or charity number) where the name's only public cue is
   a council, government or police/fire word ("FIELD STUDIES COUNCIL", but not a parish, town,
   city, district, county or borough council's statutory name) → ``vcse``; a name on
   the independent-schools list → that list's reading (charity or company), not ``public``
   (unless the list holds that name for two or more schools: then the school rule decides).
   Then strong name rules: a finance-system account, bulk payment run, internal recharge,
   suspense, pay or cash account (:mod:`kil_analysis.enrich.account_names`, the one list) →
   ``not_a_supplier`` (PAYE and National Insurance → ``public``, HMRC's); a public or VCSE body
   on the curated list of organisations known by name (``known_organisations.csv``; a
   statutory body on it is never a name with a company form, "NECA TRAINING LTD"); a public
   body by name (NHS body, council, police/fire, central government, a public body by
   initials, university, academy or multi-academy trust, school or college) → ``public``.
   These beat registers because academies, NHS bodies and council companies are themselves
   registered as companies or charities.
4. Register evidence matched by an identifier published with the payment (charity number, then
   360Giving/OCDS org id, then company number).
5. Register evidence matched by the payee's legal entity where the name's shape says which part
   it is — a bracketed operator carrying a legal form ("SPRINGWOOD HOUSE (SHEFFCARE LTD)"), or
   the legal name before a ledger tag ("GUINNESS PARTNERSHIP LTD (SP)", "… LIMITED T/A …"):
   :mod:`kil_analysis.enrich.legal_entity` — then by exact normalised name (legal-form words
   ignored), then with the
   finance-system abbreviations expanded as the name rules read them ("… HOUSING ASSOC", "… PRIM
   SCH"; a payee's account tail dropped, "… LIMITED RENT A/C"), then with a qualifier dropped
   ("(ACCTS RECEIVABLE)", "- SALES LEDGER", "T/A …"; not when one word is left), then with
   spacing ignored and a register's "… CHARITY"/"… TRUSTEES" tail dropped, then as a name cut
   at a fixed field width; then a council's register name with its kind words shortened ("MID
   DEVON DST CNL", :mod:`kil_analysis.enrich.council_names`),
   then an academy under its trust's name ("TED WRAGG ST JAMES",
   :mod:`kil_analysis.enrich.public_names`) → ``public``,
   where no rule reads the name; and, where nothing matched the whole name, a charity's own
   company by the charity's name ("ACTION FOR CHILDREN SERVICES LTD": the name without a
   SERVICES/TRADING/SUPPORT/ENTERPRISES tail and legal form is a registered VCSE body's name
   of two words or more, which at most three registered bodies hold; a housing association's
   company, "<x> HOUSING SUPPORT LTD", by "<x> HOUSING ASSOCIATION/SOCIETY/TRUST") → ``vcse``,
   form ``unspecified``. A charity, society or public body
   known by one word, or a government organisation (GOV.UK's list still holds bodies sold
   since: "ROYAL MAIL GROUP PLC"), is not taken for a name that carries a company form or
   UK/GROUP its register names do not ("CARE UK LTD"); a name of three letters or fewer that
   registers hold only as a charity's working or previous name ("IBM") is no evidence alone,
   and a longer one-word working name decides at confidence 0.6 at most. Where registers
   disagree the legal body's register wins (charities, societies and public bodies over
   establishment lists over Companies House; see :mod:`kil_analysis.enrich.matching`). A
   charity's working or previous name (not its registered name: "THE HELP LINK") is not taken
   for a name with a company's UK or GROUP that none of its names carries ("HELP-LINK UK LTD").
6. Name rules that state a legal form, in the order of
   :data:`kil_analysis.enrich.name_rules.RULES`: VCSE names (church councils, CVS, PTAs,
   pre-schools, village halls), school federations, CIC, CIO, community benefit society, a
   financial mutual (building or friendly society, mutual insurer → private), co-operative,
   charity cues, faith groups, "… Trust/Foundation Ltd", then PLC and LTD/LLP → private. LTD
   reads private only here, after the charity, CIC and society registers. A national firm on
   the curated list (energy, water and telecoms companies, the largest contractors, outsourcers,
   consultancies, banks, insurers, law firms, staffing agencies and care groups, each by the
   published list that names it) reads private here too (confidence 0.8): after the exact
   register matches, and never over a strong rule ("ZURICH MUNICIPAL IMPREST ACCOUNT").
7. Register evidence matched by fuzzy name (unambiguous, score ≥ 90); then a VCSE body's
   register name with a place before or after it ("L'ARCHE LIVERPOOL", a branch) or without
   the register's bracketed description ("BIRTENSHAW HALL (CHILDREN'S CHARITABLE TRUST)"):
   :mod:`kil_analysis.enrich.branch_names`.
8. The remaining name rules: softer VCSE cues (association, society, club, trust …; form
   ``unspecified``), public pension schemes, hospitals, business cues, personal names. Soft cues
   (PROJECT, COMMUNITY, CHAPEL, CENTRE, CARE) never decide alone; a care name with a faith
   word (CATHOLIC CARE, ST JOHN OF GOD CARE SERVICES) is the faith's charity. A "… GROUP" without a
   community, political or medical word, and names built on a trade noun, read private at low
   confidence (0.55); so, at 0.5, do "<brand> UK" and "<surname> & <surname>" with no legal
   form, a care home by the house's name alone ("BECKSIDE LODGE") and a care firm's brand run
   together with CARE ("CAREMARK (LEEDS)"); a childminder reads as a person — but not a
   building's name, a phrase after the article A, or initials before a trade word
   (:func:`kil_analysis.enrich.payee_rules.not_a_person`).
9. Otherwise ``unknown`` (confidence 0).

Where no rule reads the full name, the same rules in the same order read its core name (a
bracketed or dashed qualifier dropped: "BLUEBIRD CARE (BRADFORD NORTH)"; what the payment is in
respect of, "… RE OXFIELD COURT"; a former name, "… FORMERLY …"), at the step of the rule that
reads it; the evidence says ``(qualifier dropped)``.

A VCSE organisation's form is ``unspecified`` unless a register or the name states it
(``unincorporated`` only on positive evidence).

Confidence is a float in 0–1 throughout (1.0 only for overrides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kil_analysis.enrich.branch_names import METHODS as VARIANT_METHODS
from kil_analysis.enrich.branch_names import match_name_variants
from kil_analysis.enrich.council_names import shortened_council_matches
from kil_analysis.enrich.keys import match_keys, name_keys, redacted_mask
from kil_analysis.enrich.legal_entity import LEGAL_ENTITY, legal_entity_keys
from kil_analysis.enrich.matching import (
    MATCH_COLUMNS,
    blank_ambiguous,
    match_exact,
    match_fuzzy,
    match_suppliers,
)
from kil_analysis.enrich.name_rules import KNOWN_RULE, RULES, apply_name_rules, rule_text
from kil_analysis.enrich.payee_rules import read_payees
from kil_analysis.enrich.public_names import (
    ACADEMY_BY_TRUST,
    academy_by_trust_matches,
    state_school_keys,
)
from kil_analysis.readers.registers.shape import Registers

CLASSIFY_COLUMNS = [
    "supplier_key",
    "supplier_name",
    "org_type",
    "vcse_form",
    "evidence",
    "confidence",
    "match_method",
    "register_id",
    "postcode",
    "size",
    "size_rule",
    "size_confidence",
    "ambiguous_candidates",
    "postcode_candidates",  # same-name bodies' addresses when the name does not settle which
    "register_id_candidates",  # those bodies' register ids, in the same order
    "public_kind",
    "area_code",
    "register_match",  # how the named register entry was matched (id, exact name …)
]
# Strong name rules that yield to an exact match in the Charity Commission's register.
CHARITY_YIELDING_RULES = ("local authority", "central government", "police or fire")
# Further-education and sixth-form colleges and academy trusts are exempt charities, never on
# the Charity Commission's register: a college or learning trust registered there under its
# whole name is a charity (adult-education and specialist colleges, "… LEARNING TRUST"
# charities). Schools are not so read: many schools share a saint's or a place's name with a
# registered charity (a school's foundation, another school), so the school rule decides them
# where a state school of the schools register has the name; a school name a charity register
# holds and no state school does is the charity's school (a non-maintained special or
# independent school: "THE ROYAL SCHOOL FOR THE BLIND"; :func:`public_names.state_school_keys`).
EDUCATION_RULES_YIELDING = ("school or college", "academy or multi-academy trust")
_SCHOOL_WORD = r"\b(?:SCHOOLS?|PRIMARY|INFANTS?|JUNIOR|ACADEMY|ACADEMIES|HIGH|GRAMMAR)\b"
# The statutory names of councils: never a charity's name, whatever a register holds.
STATUTORY_COUNCIL = r"\b(?:PARISH|TOWN|CITY|DISTRICT|COUNTY|BOROUGH) COUNCIL\b"
# Register matches of the whole name (as published, or as the rules read it).
WHOLE_NAME = ("exact name", "exact name (abbreviations expanded)")
# Rules up to and including this one are read before fuzzy register matches (step 6).
LAST_LEGAL_FORM_RULE = "limited company or partnership"
# The word that brings in a payee's former name ("SONOVATE LTD/FORMERLY AURORA").
FORMER_NAME = r"\b(?:FORMERLY|PREVIOUSLY)\b"
_QUALIFIER = re.compile(
    r"\([^)]*(?:\)|$)|\s+-\s+.*$|\s+(?:T/A|T\\A|TA|TRADING AS)\s+.*$|"
    # the payee's former name ("SONOVATE LTD/FORMERLY AURORA", "HUMANKIND FORMERLY DISC")
    r"\s*/?\s*" + FORMER_NAME + r".*$",
    re.IGNORECASE,
)
# What the payment is in respect of, after the payee's name of two words or more ("ST ANNES
# COMMUNITY SERVICES RE OXFIELD COURT", "LAUDCARE LTD RE WESTBURY COURT"; not "SWISS RE …").
IN_RESPECT_OF = re.compile(r"^(\S+\s+\S.*?)\s+RE:?\s+\S.*$", re.IGNORECASE)


def core_names(names: pd.Series) -> pd.Series:
    """Names without a qualifier (bracketed text, a tail after " - ", a trading name …).

    Qualifiers: bracketed text, a tail after " - ", a "T/A …" trading name, what the payment is
    in respect of ("… RE <home>", after a name of two words or more), a former name ("…
    FORMERLY …").

    A bracket the field width cut before it closed ("MID DEVON DST CNL(CAREFIRST ONLY") is a
    qualifier too.
    """
    names = names.fillna("").astype(str).str.replace(IN_RESPECT_OF, r"\1", regex=True)
    return names.str.replace(_QUALIFIER, " ", regex=True).str.strip()


def read_core_names(rules: pd.DataFrame, names: pd.Series, core: pd.Series) -> pd.DataFrame:
    """The name rules read again on the core name where the full name met none (index kept).

    A franchise's or branch's territory in brackets or after a dash ("BLUEBIRD CARE (BRADFORD
    NORTH)", "SMITH J - FOSTER CARER") hides the words the rules anchor on the end of a name;
    the same rules, in the same order, read the name without it. Column ``on_core`` marks the
    names read so (their evidence says ``(qualifier dropped)``).
    """
    out = rules.assign(on_core=False)
    open_ = rules["rule"].isna() & core.ne(names.str.strip()) & core.ne("")
    if not open_.any():
        return out
    again = apply_name_rules(core[open_])
    again = again[again["rule"].notna()]
    out.loc[again.index, again.columns] = again
    out.loc[again.index, "on_core"] = True
    return out


def expanded_keys(
    names: pd.Series, match_key: pd.Series, text: pd.Series | None = None
) -> pd.Series:
    """Register-matching keys of the names as the rules read them (None where no other key).

    Index preserved. Finance-system abbreviations expanded, single letters joined, run-together
    and truncated words restored (:func:`kil_analysis.enrich.name_rules.rule_text`):
    "WESTCOUNTRY HOUSING ASSOC" meets the register's "Westcountry Housing Association", "N Y A
    S" the charity's working name NYAS. Three single letters or fewer joined ("S C C") are
    initials that too many bodies share to be evidence of one, so such a one-word key is not
    tried.
    """
    key = match_keys(name_keys(rule_text(names) if text is None else text))
    initials = ~key.str.contains(" ", na=False) & key.str.len().lt(4)
    return key.where((key != match_key) & ~initials)


def shared_independent_school_names(registers: Registers) -> set[str]:
    """Match keys the independent-schools list holds for two or more schools (by URN)."""
    rows = registers.organisations
    rows = rows.loc[rows["public_kind"].eq("independent_school").fillna(False).to_numpy()]
    urns = rows.groupby("match_key")["register_id"].nunique()
    return set(urns.index[urns > 1])


# A charity's own company — its trading or service subsidiary — is named after the charity with
# what it does after it ("CHANGE GROW LIVE SERVICES LIMITED", "ACTION FOR CHILDREN SERVICES
# LTD", "HORTON HOUSING SUPPORT LTD", "<charity> TRADING LTD", "<charity> ENTERPRISES").
OWN_COMPANY_TAIL = re.compile(
    r"(?: (?:SERVICES|SERVICE|TRADING|ENTERPRISES|ENTERPRISE|SUPPORT|VENTURES))+"
    r"(?: (?:LTD|LIMITED|CIC|COMPANY|CO))*(?: THE)?$"
)
OWN_COMPANY = "charity's own company"
OWN_COMPANY_MAX_HOLDERS = 3


def own_company_keys(text: pd.Series, match_key: pd.Series) -> pd.Series:
    """Match keys of the charity a name may be the own company of (None where no such stem).

    ``text``: the names as the rules read them; index preserved. The stem is the name without
    its :data:`OWN_COMPANY_TAIL` (the words a charity's subsidiary adds, then a legal form); it
    must keep two words or more, since one word ("NAS SERVICES LTD") is shared by too many
    bodies to be evidence of one.
    """
    tail = text.str.contains(OWN_COMPANY_TAIL, regex=True)
    stem = text.where(tail, "").str.replace(OWN_COMPANY_TAIL, "", regex=True)
    key = match_keys(name_keys(stem))
    keep = tail & key.str.contains(" ", na=False) & (key != match_key)
    return key.where(keep)


def registers_per_key(keys: pd.Series, registers: Registers) -> pd.Series:
    """How many organisations (distinct register ids) the registers hold under each match key.

    Index preserved; 0 where none.
    """
    rows = registers.organisations
    rows = rows.loc[rows["match_key"].isin(set(keys.dropna())), ["match_key", "register_id"]]
    counts = rows.groupby("match_key")["register_id"].nunique()
    return keys.map(counts).fillna(0).astype(int)


# The word a housing association's name ends in that its companies leave out: Horton Housing
# Association's support company is "HORTON HOUSING SUPPORT LTD", not "… ASSOCIATION SUPPORT".
OWN_COMPANY_PARENT_WORDS = ("ASSOCIATION", "SOCIETY", "TRUST")


def match_own_companies(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Register matches of names read as a charity's own company.

    By the charity's name (:func:`match_own_companies_by_stem`), else — a housing association's
    company, stem
    "<x> HOUSING" — by that name with one of :data:`OWN_COMPANY_PARENT_WORDS` after it, where
    exactly one of them is a VCSE body's name ("HORTON HOUSING" + ASSOCIATION).

    Other stems are not completed so: "<place> COMMUNITY", "<x> CARE" or "STEPPING STONES" with
    TRUST or ASSOCIATION after it is as often another body of that phrase (on the shared
    names, 2 of 4 such readings were wrong).
    """
    own = match_own_companies_by_stem(keys, registers)
    rest = keys[~keys["supplier_key"].isin(own["supplier_key"])]
    rest = rest[rest["own_key"].str.endswith(" HOUSING", na=False)]
    if rest.empty:
        return own
    variants = pd.concat(
        [rest.assign(own_key=rest["own_key"] + " " + word) for word in OWN_COMPANY_PARENT_WORDS],
        ignore_index=True,
    )
    found = variants[variants["own_key"].isin(registers.organisations["match_key"])]
    one = found.groupby("supplier_key")["own_key"].nunique().loc[lambda n: n == 1].index
    found = found[found["supplier_key"].isin(one)][["supplier_key", "own_key"]]
    parent = match_own_companies_by_stem(found, registers)
    return pd.concat([own, parent], ignore_index=True) if not parent.empty else own


def match_own_companies_by_stem(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Register matches of names read as a charity's own company (method :data:`OWN_COMPANY`).

    ``keys``: ``supplier_key`` and ``own_key`` (:func:`own_company_keys`). Only a VCSE body's
    unambiguous match is kept, and only where at most :data:`OWN_COMPANY_MAX_HOLDERS`
    registered bodies hold the stem: a stem that many share ("NEW LIFE": 6 charities,
    "STEPPING STONES": 19) is a common phrase, not one charity's name (one charity is often
    held under two or three ids: its English and Scottish numbers, a housing register row).
    """
    own = match_exact(keys, registers, column="own_key", method=OWN_COMPANY)
    own = own[own["org_type"].eq("vcse") & own["ambiguous_candidates"].isna()]
    stem = keys.drop_duplicates("supplier_key").set_index("supplier_key")["own_key"]
    holders = registers_per_key(stem.reindex(own["supplier_key"]), registers)
    return own[(holders <= OWN_COMPANY_MAX_HOLDERS).to_numpy()]


OTHER_NAMES_REGISTER = "Charity Commission other names"
# A working name this short is a set of initials that many bodies share ("IBM", "DAS", "EON"),
# as the abbreviation-expanded match already holds for joined initials (expanded_keys).
WEAK_WORKING_NAME_LETTERS = 3


def other_names_only(keys: pd.Series, registers: Registers) -> pd.Series:
    """Whether every register row under each match key is a charity's working or previous name.

    Index preserved. Such a name is what a charity calls itself, not its registered name: a
    one-word working name ("IBM" for a company's corporate trust, "JAMES" for a project) is
    shared by chance with companies, people and places, so it is weak evidence alone.
    """
    rows = registers.organisations
    rows = rows.loc[rows["match_key"].isin(set(keys.dropna())), ["match_key", "register"]]
    only = rows.groupby("match_key")["register"].agg(
        lambda r: bool(r.eq(OTHER_NAMES_REGISTER).all())
    )
    held = only.to_dict()
    return pd.Series([bool(held.get(k, False)) for k in keys], index=keys.index, dtype=bool)


_FORM_WORDS = r"\b(?:LTD|LIMITED|PLC|LLP|UK|GROUP)\b"
_COMPANY_FORM = r"\b(?:LTD|LIMITED|PLC)\b"


def _form_words(names: pd.Series) -> pd.Series:
    """The company-form words (LTD/LIMITED read alike, PLC, LLP, UK, GROUP) in each name."""
    found = names.fillna("").astype(str).str.upper().str.findall(_FORM_WORDS)
    return found.map(lambda words: frozenset("LTD" if w == "LIMITED" else w for w in words))


def register_names_carry_forms(
    names: pd.Series, keys: pd.Series, registers: Registers
) -> pd.Series:
    """Whether a register row backs each name's company-form words (index preserved).

    True where the name's company-form words (LTD, UK, GROUP …) are all in the name of some
    register row that shares its match key (a row with a company number counts as LTD: a
    charitable company), or where the name has none.
    """
    wanted = _form_words(names)
    rows = registers.organisations
    rows = rows.loc[rows["match_key"].isin(set(keys)), ["match_key", "name", "company_number"]]
    company = rows["company_number"].notna() & rows["company_number"].astype(str).ne("")
    forms = _form_words(rows["name"])
    forms = forms.where(~company, forms.map(lambda f: f | {"LTD"}))
    held = rows.assign(forms=forms).groupby("match_key")["forms"].agg(list)
    return pd.Series(
        [
            not want or any(want <= have for have in held.get(key, []))
            for want, key in zip(wanted, keys, strict=True)
        ],
        index=names.index,
    )


def _a_state_school_name(match_keys: pd.Series, registers: Registers | None) -> pd.Series:
    """Whether each name may be a state school's: held by the schools register's state schools.

    Without a schools register nothing says a name is not a state school's, so every name may
    be one (the school rule decides, as before the register was consulted).
    """
    state = state_school_keys(registers)
    if not state:
        return pd.Series(True, index=match_keys.index)
    return match_keys.isin(state)


def classify_suppliers(
    names: Iterable[str] | pd.Series,
    registers: Registers | None = None,
    ids: pd.DataFrame | None = None,
    keys: pd.Series | None = None,
) -> pd.DataFrame:
    """Classify supplier names (one output row per distinct supplier_key, in first-seen order).

    ``names``: supplier names as published. ``registers``: from :func:`load_registers` (None →
    name rules only). ``ids``: optional identifiers per supplier_key (company_number,
    charity_number, org_id) — see :func:`kil_analysis.enrich.matching.match_ids`. ``keys``:
    supplier keys aligned with ``names`` when the caller already has them (e.g. the spend table).

    Returns :data:`CLASSIFY_COLUMNS`: org_type ∈ schema.ORG_TYPES, vcse_form where vcse,
    ``evidence`` (register id with match method, ``name rule: …`` or ``redacted``),
    ``confidence`` (0–1), and the register's postcode and size where matched.
    """
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    series = series.reset_index(drop=True).fillna("").astype(str).str.strip()
    key = keys.reset_index(drop=True) if keys is not None else name_keys(series)
    redacted = redacted_mask(series)
    frame = pd.DataFrame({"supplier_key": key, "supplier_name": series, "redacted": redacted})
    frame["redacted"] = frame.groupby("supplier_key")["redacted"].transform("any")
    frame = frame.drop_duplicates("supplier_key").reset_index(drop=True)
    frame["match_key"] = match_keys(frame["supplier_key"])

    text = rule_text(frame["supplier_name"])
    rules = apply_name_rules(frame["supplier_name"], text)
    core = core_names(frame["supplier_name"])
    rules = read_core_names(rules, frame["supplier_name"], core)
    frame["core_key"] = match_keys(name_keys(core))
    frame["core_key"] = frame["core_key"].where(frame["core_key"] != frame["match_key"])
    # A single word left once the qualifier is dropped ("WAVE - ANGLIAN WATER BUSINESS" →
    # WAVE) names no one organisation: not tried.
    frame["core_key"] = frame["core_key"].where(frame["core_key"].str.contains(" ", na=False))
    frame["expanded_key"] = expanded_keys(frame["supplier_name"], frame["match_key"], text)
    frame["raw_length"] = frame["supplier_name"].str.len()
    # the payee's legal entity where the name's shape says which part it is (step 5)
    frame["entity_key"] = legal_entity_keys(frame["supplier_name"], frame["match_key"])
    if registers is not None:
        want = frame[~frame["redacted"]]
        cols = ["supplier_key", "match_key", "entity_key", "core_key", "expanded_key"]
        cols.append("raw_length")
        matched = match_suppliers(want[cols], registers, ids, fuzzy=False)
        # a charity's own company, by the charity's name (where nothing matched the whole name)
        frame["own_key"] = own_company_keys(text, frame["match_key"])
        own_open = frame["own_key"].notna() & ~frame["redacted"]
        own_open &= ~frame["supplier_key"].isin(matched["supplier_key"])
        own = match_own_companies(frame.loc[own_open, ["supplier_key", "own_key"]], registers)
        if not own.empty:
            matched = pd.concat([matched, own], ignore_index=True)
        # Fuzzy matching only where it could decide (step 7): no strong or legal-form name rule
        # and no other register match.
        legal_names = [r.name for r in RULES]
        legal_names = set(legal_names[: legal_names.index(LAST_LEGAL_FORM_RULE) + 1])
        open_ = ~rules["rule_strong"].astype(bool) & ~rules["rule"].isin(legal_names)
        open_ &= ~frame["redacted"] & ~frame["supplier_key"].isin(matched["supplier_key"])
        fuzzy_found = blank_ambiguous(match_fuzzy(frame.loc[open_, cols], registers))
        if not fuzzy_found.empty:
            matched = pd.concat([matched, fuzzy_found], ignore_index=True)
        # a VCSE body's register name and a place, or without the register's bracket (same
        # step, :mod:`kil_analysis.enrich.branch_names`)
        open_ &= ~frame["supplier_key"].isin(fuzzy_found["supplier_key"])
        variant_found = match_name_variants(frame.loc[open_, cols], registers)
        if not variant_found.empty:
            matched = pd.concat([matched, variant_found], ignore_index=True)
        matched = frame[["supplier_key"]].merge(matched, on="supplier_key", how="left")
    else:
        matched = pd.DataFrame({"supplier_key": frame["supplier_key"]})
        for col in MATCH_COLUMNS:
            matched[col] = None
    matched = matched.set_index(frame.index)

    out = frame[["supplier_key", "supplier_name"]].copy()
    org_type = pd.Series("unknown", index=frame.index, dtype=object)
    form = pd.Series(None, index=frame.index, dtype=object)
    evidence = pd.Series("no evidence", index=frame.index, dtype=object)
    confidence = pd.Series(0.0, index=frame.index)
    decided = pd.Series(False, index=frame.index)

    def decide(mask: pd.Series, kind, vform, ev, conf) -> None:
        nonlocal decided
        mask = mask & ~decided
        org_type[mask] = kind[mask] if isinstance(kind, pd.Series) else kind
        form[mask] = vform[mask] if isinstance(vform, pd.Series) else vform
        evidence[mask] = ev[mask] if isinstance(ev, pd.Series) else ev
        confidence[mask] = conf[mask] if isinstance(conf, pd.Series) else conf
        decided = decided | mask

    rule_ev = "name rule: " + rules["rule"].fillna("")
    rule_ev = rule_ev.where(~rules["on_core"].astype(bool), rule_ev + " (qualifier dropped)")
    # Payees the general rules misread (:mod:`kil_analysis.enrich.payee_rules`, step 2): a
    # payee withheld as commercially confidential, the courts, the Norse Group's companies, a
    # school named with its operator, a couple by initials.
    payee = read_payees(frame["supplier_name"], frame["redacted"], text)
    decide(
        payee["org_type"].notna(), payee["org_type"], None, payee["evidence"], payee["confidence"]
    )
    decide(frame["redacted"], "individual", None, "redacted", 0.95)
    # A registered charity's exact name beats the council / government / police words in it
    # ("FIELD STUDIES COUNCIL"): councils and departments are not registered charities, while
    # NHS bodies, schools and universities keep their public reading (step 3), colleges and
    # learning trusts not (:data:`EDUCATION_RULES_YIELDING`).
    # A principal or parish council by its statutory name ("HALBERTON PARISH COUNCIL") is
    # the council even where a charity it administers is registered under that name.
    statutory_council = frame["supplier_name"].str.upper().str.contains(STATUTORY_COUNCIL)
    charity_exact = (
        matched["register_id"].fillna("").str.startswith("GB-CHC-")
        & matched["match_method"].isin([*WHOLE_NAME, "id:charity_number"])
        & (
            rules["rule"].isin(CHARITY_YIELDING_RULES)
            | (
                rules["rule"].isin(EDUCATION_RULES_YIELDING)
                & ~(
                    frame["supplier_name"].str.upper().str.contains(_SCHOOL_WORD)
                    & _a_state_school_name(frame["match_key"], registers)
                )
            )
        )
        & ~(statutory_council & matched["match_method"].isin(WHOLE_NAME))
    )
    # Likewise the independent-schools list beats the school rule: an independent school is a
    # charity or a company, not a public body.
    # Not where the list holds the name for two or more schools ("ST THOMAS MORE SCHOOL"): a
    # saint's or place's name that several schools share is no evidence of which one is paid,
    # and most schools of a shared name are state schools, so the school rule decides.
    independent = (
        matched["public_kind"].eq("independent_school")
        & matched["match_method"].isin(WHOLE_NAME)
        & rules["rule"].isin(["school or college", "academy or multi-academy trust"])
    )
    if registers is not None and independent.any():
        independent &= ~frame["match_key"].isin(shared_independent_school_names(registers))
    exact_ev = matched["register_id"].fillna("") + " (" + matched["match_method"].fillna("") + ")"
    decide(charity_exact, "vcse", matched["vcse_form"], exact_ev, 0.9)
    decide(independent, matched["org_type"], matched["vcse_form"], exact_ev, 0.85)
    decide(
        rules["rule_strong"].astype(bool),
        rules["org_type"],
        None,
        rule_ev,
        rules["rule_confidence"],
    )
    has_register = matched["org_type"].notna() & matched["register_id"].notna()
    method = matched["match_method"].fillna("")
    # Fuzzy and qualifier-dropped matches are weaker than a legal form in the name (step 7).
    fuzzy = method.isin(["fuzzy name", "exact name (qualifier dropped)", *VARIANT_METHODS])
    # A name with a company legal form (or CIC, CIO) matched to an establishment list (a school)
    # is the company or charity that runs it — an independent school — not the state school:
    # the legal-form rule decides.
    national_firm = rules["rule"].fillna("").str.startswith(KNOWN_RULE)
    national_firm &= rules["org_type"].eq("private")
    # (a national firm on the list with a company form in the name, "CAMBIAN WHINFELL SCHOOL
    # LTD", likewise; without one it is no legal form: NORTHGATE SURGERY, a GP practice, is not
    # the listed NORTHGATE)
    company_form = rules["rule"].isin(["plc", LAST_LEGAL_FORM_RULE, "cic", "cio"])
    company_form |= national_firm & frame["supplier_name"].str.upper().str.contains(_COMPANY_FORM)
    establishment = matched["public_kind"].isin(["school", "gp_practice"])
    has_register &= ~(company_form & establishment)
    # A PLC or LLP is never a charity or society: a charity's name met in one is not its evidence.
    plc_llp = rules["rule"].eq("plc") | frame["supplier_name"].str.upper().str.contains(r"\bLLP\b")
    has_register &= ~(plc_llp & matched["org_type"].eq("vcse"))
    # A charity, society or public body known by one word ("CARE", "COLAS", a government
    # body's initials "ACCO") is not the evidence for a name that carries a company form or a
    # company's UK/GROUP ("CARE UK LTD", "COLAS LTD", "ACCO UK LTD") unless one of its register
    # names carries those words too ("HOME GROUP LIMITED"): otherwise the one word is shared by
    # chance with a firm, and the LTD rule decides instead.
    # (the key that matched: "S E L F LTD" met a register as the initials SELF)
    used_key = frame["expanded_key"].where(
        method.eq("exact name (abbreviations expanded)"), frame["match_key"]
    )
    used_key = frame["entity_key"].where(method.eq(LEGAL_ENTITY), used_key)
    # So too a government organisation (GOV.UK's list, which still holds bodies sold since, as
    # "Royal Mail") for a name with a company form its list names do not carry ("ROYAL MAIL
    # GROUP PLC"): the company, not the public body, is paid.
    government = matched["register_id"].fillna("").str.startswith("GB-GOR-")
    # a national firm on the curated list is the firm GOV.UK's list still names ("ROYAL MAIL")
    has_register &= ~(government & national_firm)
    # And an NHS body (ODS: trusts are never companies) for a name with a company form or a CIC
    # its names do not carry: a care firm or social enterprise named as a trust is known for
    # short ("MERSEY CARE LTD", "BERKSHIRE HEALTHCARE LTD", "… COMMUNITY HEALTH CIC"), not
    # the trust.
    nhs = matched["register_id"].fillna("").str.startswith("GB-NHS-")
    upper = frame["supplier_name"].str.upper()
    has_register &= ~(nhs & upper.str.contains(r"\bCIC\b|\bCOMMUNITY INTEREST\b"))
    chance = ~used_key.str.contains(" ", na=False) | government | nhs
    # And a charity's working or previous name (what it calls itself, not its registered name:
    # "THE HELP LINK") for a company's name — a legal form and a company's UK or GROUP — that
    # none of its names carries ("HELP-LINK UK LTD", a heating firm): a company of that phrase,
    # not the charity. (LTD alone is no such sign: a charitable company is "… LTD" and its
    # working name drops it — on the calibration sets that reading was wrong 4 times in 7; nor
    # is UK alone: the charity SADS UK.)
    exact_vcse = matched["org_type"].eq("vcse") & method.str.startswith("exact") & ~chance
    exact_vcse &= upper.str.contains(r"\b(?:UK|GROUP)\b") & upper.str.contains(_COMPANY_FORM)
    working = pd.Series(False, index=frame.index)
    if registers is not None and exact_vcse.any():
        working = other_names_only(used_key.where(exact_vcse), registers) & exact_vcse
    if registers is not None and working.any():
        # only the company's UK/GROUP is looked for in its names here (LTD, see above)
        without_ltd = upper[working].str.replace(_COMPANY_FORM, " ", regex=True)
        working.loc[working] = ~register_names_carry_forms(
            without_ltd, used_key[working], registers
        ).to_numpy()
    chance &= matched["org_type"].isin(["vcse", "public"]) & method.str.startswith("exact")
    if registers is not None and chance.any():
        chance &= ~register_names_carry_forms(
            frame.loc[chance, "supplier_name"], used_key[chance], registers
        ).reindex(frame.index, fill_value=True)
    chance |= working
    has_register &= ~chance
    # A name of three letters or fewer that registers hold only as a charity's working or
    # previous name ("IBM", "DAS", "EON") is not evidence alone: initials that many bodies
    # share. The name rules decide, else unknown. (Longer one-word working names — RNIB,
    # SENSE, CORAM, but also THRIVE, SERENDIPITY, THOMAS — were right about 6 times in 10 on
    # the shared names, so they still decide, at the lower confidence below.)
    one_word_other_name = ~used_key.str.contains(" ", na=False) & matched["org_type"].eq("vcse")
    one_word_other_name &= method.str.startswith("exact")
    if registers is not None and one_word_other_name.any():
        one_word_other_name &= other_names_only(used_key.where(one_word_other_name), registers)
    has_register &= ~(one_word_other_name & used_key.str.len().le(WEAK_WORKING_NAME_LETTERS))
    reg_ev = matched["register_id"].fillna("") + " (" + method + ")"
    score = pd.to_numeric(matched["match_score"], errors="coerce").fillna(0) / 100.0
    reg_conf = pd.to_numeric(matched["org_type_confidence"], errors="coerce").fillna(0.5)
    reg_conf = reg_conf * np.where(fuzzy, score * 0.9, 1.0)
    reg_conf = reg_conf * np.where(method.eq("truncated name"), 0.9, 1.0)
    # a one-word working or previous name is right about 6 times in 10 (see above)
    reg_conf = reg_conf.where(~one_word_other_name, np.minimum(reg_conf, 0.6))
    # A guarantee company whose name carries a more specific VCSE rule keeps the rule's form.
    vague = matched["vcse_form"].eq("company limited by guarantee") & rules["org_type"].eq("vcse")
    reg_form = matched["vcse_form"].where(~vague, rules["vcse_form"])
    # a charity's own company is in the charity's group, not the charity: its form is not known
    own_company = method.eq(OWN_COMPANY)
    reg_form = reg_form.where(~own_company, "unspecified")
    reg_conf = reg_conf * np.where(own_company, 0.85, 1.0)
    decide(has_register & ~fuzzy, matched["org_type"], reg_form, reg_ev, reg_conf)
    # A council under its register name with words shortened ("MID DEVON DST CNL"), where no
    # rule and no register has read the name (step 5, :mod:`kil_analysis.enrich.council_names`).
    council = pd.Series(None, index=frame.index, dtype=object)
    academy = council.copy()
    open_names = ~decided & rules["rule"].isna() & ~has_register
    if registers is not None and open_names.any():
        core_text = rule_text(core_names(frame.loc[open_names, "supplier_name"]))
        council.loc[open_names] = shortened_council_matches(core_text, registers)
        # an academy under its trust's name ("TED WRAGG ST JAMES", same step,
        # :mod:`kil_analysis.enrich.public_names`)
        academy.loc[open_names] = academy_by_trust_matches(core_text, registers)
    shortened = council.notna()
    decide(shortened, "public", None, council + " (council name shortened)", 0.8)
    academy = academy.where(~shortened)
    decide(academy.notna(), "public", None, academy + f" ({ACADEMY_BY_TRUST})", 0.75)
    legal_rules = [r.name for r in RULES]
    legal_rules = set(legal_rules[: legal_rules.index(LAST_LEGAL_FORM_RULE) + 1])
    legal = rules["rule"].isin(legal_rules)
    # a national firm on the curated list is read where a legal form would be (step 6)
    legal |= national_firm
    decide(legal, rules["org_type"], rules["vcse_form"], rule_ev, rules["rule_confidence"])
    decide(has_register & fuzzy, matched["org_type"], reg_form, reg_ev, reg_conf)
    matched_rule = rules["rule"].notna()
    # not a person though a person rule says so (a building's name, "A <phrase>", initials and
    # a trade word: :func:`kil_analysis.enrich.payee_rules.not_a_person`)
    matched_rule &= ~(rules["org_type"].eq("individual") & payee["not_person"])
    decide(matched_rule, rules["org_type"], rules["vcse_form"], rule_ev, rules["rule_confidence"])

    out["org_type"] = org_type
    form = form.where(form.notna(), "unspecified")
    out["vcse_form"] = form.where(org_type == "vcse", None)
    out["evidence"] = evidence
    out["confidence"] = confidence.round(2)
    from_register = has_register & evidence.str.startswith("GB-")
    out["match_method"] = matched["match_method"].where(matched["match_method"].notna(), None)
    out.loc[~from_register & matched["ambiguous_candidates"].isna(), "match_method"] = None
    out["match_method"] = out["match_method"].where(
        out["match_method"].notna(), np.where(frame["redacted"], "redacted", None)
    )
    rule_used = evidence.str.startswith("name rule")
    out.loc[rule_used, "match_method"] = "name rule"
    # The register entry is named whenever it agrees with the decision (a council read by its
    # name rule still carries GB-LAE-…), with how it was matched.
    agrees = has_register & matched["org_type"].eq(org_type) & ~fuzzy
    named = from_register | agrees
    out["register_id"] = matched["register_id"].where(named, None)
    out["register_match"] = matched["match_method"].where(named, None)
    out.loc[shortened, "register_id"] = council[shortened]
    out.loc[shortened, "register_match"] = "council name shortened"
    out.loc[shortened, "match_method"] = "council name shortened"
    for col in (
        "postcode",
        "postcode_candidates",
        "register_id_candidates",
        "size",
        "size_rule",
        "size_confidence",
        "public_kind",
        "area_code",
    ):
        out[col] = matched[col].where(matched["register_id"].notna(), None)
    # a register's kind of public body only for a supplier read as public (a name rule that
    # overrules the register, ROYAL MAIL on GOV.UK's list, leaves no kind behind)
    kind = out["public_kind"]
    out["public_kind"] = kind.where(out["org_type"].eq("public") | kind.eq("independent_school"))
    by_trust = academy.notna()
    out.loc[by_trust, "register_id"] = academy[by_trust]
    out.loc[by_trust, ["register_match", "match_method"]] = ACADEMY_BY_TRUST
    out.loc[by_trust, "public_kind"] = "academy_trust"
    if shortened.any() and registers is not None:
        # the council is placed as its own area, like a council matched by its full name
        rows = registers.organisations.drop_duplicates("register_id").set_index("register_id")
        out.loc[shortened, "public_kind"] = "council"
        out.loc[shortened, "area_code"] = council[shortened].map(rows["area_code"])
    out["size"] = out["size"].fillna("unknown")
    out["size_confidence"] = pd.to_numeric(out["size_confidence"], errors="coerce").fillna(0.0)
    out["ambiguous_candidates"] = matched["ambiguous_candidates"]
    return out[CLASSIFY_COLUMNS]
