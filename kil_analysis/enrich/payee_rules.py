"""Payees whose published name the general name rules misread, by how ledgers write them.

Each rule here is one a council's finance officer would recognise, reads the whole class of
names it describes (never one name), and is counted on every shared spend file by
``benchmarks/rule_audit.py``. The classifier reads them once (:func:`read_payees`), and decides
by them first, before the redaction, register and name rules
(:func:`kil_analysis.enrich.classify.classify_suppliers`, step 2 of its precedence) — all but
rule 5, which only stops the person rules at their own step (step 8):

1. **A payee withheld as commercially confidential** ("REDACTED COMMERCIAL CONFIDENTIALITY",
   "WITHHELD - COMMERCIALLY SENSITIVE") is a placeholder for payments to firms whose names the
   council may withhold under the Transparency Code's commercial-confidentiality exemption:
   ``not_a_supplier`` (the line stays in total spend). Payees withheld as *personal data* stay
   ``individual`` (the redaction rule), as the truth sets' definitions say. The ingest stage's
   ``is_redacted`` flag stays True for both: the name is withheld either way.
2. **The courts named by their kind** ("COMBINED COURT", "FAMILY COURT", "ACCOUNTANT GENERAL
   SENIOR COURT": HM Courts and Tribunals Service): ``public``; but not "<x> COURT" alone,
   which is far more often a care home or a block of flats. (Pay, payroll and cash accounts,
   PAYE and National Insurance, are read with every other finance-system account by
   :mod:`kil_analysis.enrich.account_names`; a passenger transport executive's initials with
   every public body's by :mod:`kil_analysis.enrich.public_initials`.)
3. **A company of the Norse Group** ("DEVON NORSE LTD", "NORSE SOUTH WEST LTD", "NPS SOUTH
   WEST LTD", "NPS NORTH EAST LTD"): the group is wholly owned by Norfolk County Council
   (Norse Group annual report), and its regional companies are joint ventures with other
   councils, so every one is owned by councils. The truth sets' definition reads a company
   wholly owned by public bodies as ``public`` (Trafford Leisure CIC, Yorwaste, NPS North
   East); a joint venture with a private firm stays private. NPS is read only before a
   region or GROUP/PROPERTY (NPS MEDIA LTD is another firm).
4. **A school named with the company that runs it** ("WITHERSLACK GROUP T/A HALL CLIFFE
   SCHOOL", "HARTWELL SCHOOL (WITHERSLACK GROUP)", "ROSSENDALE SCH - ASPRIS CHILD SVCS",
   "ACORN CARE & EDUCATION SALES LEDGER RE BELMONT SCH"): the payee is the operator, an
   independent provider, not a state school: ``private``. Only where one part of the name
   (split at a bracket, " - ", T/A or RE) names a SCHOOL and another names a company (LTD,
   GROUP, SERVICES, "CARE AND EDUCATION", a sales ledger); not for an academy trust or a
   pre-school, and not for colleges (a further-education "college group" is a public
   corporation).
5. **Not a person, whatever the person rules say**: the general person rules
   (:mod:`kil_analysis.enrich.name_rules`: initials and a surname, a common given name and a
   surname) also fire on a building's name ("JACK SIMPSON HOUSE", "ANGELA COURT": the GP
   register's building rule, :data:`kil_analysis.readers.registers.public_bodies.BUILDING_NAME`),
   on a phrase after the article ("A BRIGHTER TOMORROW", "A LITTLE HELP") and on initials
   before a word that is an activity or trade by its ending, not a surname ("R H
   ADVERTISING", "J H COUNSELLING", "K J REFRIGERATION", "A S PNEUMATICS": -ING of eight
   letters or more but -LING, which surnames end in (GOSLING, CROSSLING), -TION, -SION, -ICS,
   a long -MENT; not "… T/A …", a sole trader's trading name), on initials and a region ("E D T
   SOUTH WEST"), on a last word that is a quality, a partnership or a trade ("B SUPPORTIVE",
   "PETER EVANS PARTNERSHIP", "W J CONTRACTS": -SHIP, -ITY, -IVE, CONTRACTS, BUSINESS,
   IRONWORK), and on a letter hyphened to a word ("F-TEC", "T-ASC": a brand's style). Such
   names are not read as people
   (``not_person``; the classifier then leaves them to the other rules, else unknown).
6. **A couple by their initials** ("SL & SL CRABTREE", "CCA & CM BOLLAND"): two sets of two or
   three initials and one surname, no trade word (foster carers and landlords are paid so):
   ``individual``. Single initials ("J & B HAULAGE", "S & B COMMERCIALS") are a firm's style,
   not read here.

What a supplier *is* is fixed, not by date: a body sold since (Royal Mail, 2013; Remploy,
2015) reads as what it is now, as the truth sets' definitions do.
"""

from __future__ import annotations

import re

import pandas as pd

from kil_analysis.enrich.name_rules import LEGAL_FORMS, RULES, plain_text, rule_text

COMMERCIAL_REDACTION = re.compile(
    r"\bCOMMERCIAL(?:LY)?\b|\bCONFIDENTIAL(?:ITY)?\b|\bSENSITIVE\b|\bTRADE SECRETS?\b"
)
_NO_FORM = r"^(?!.*" + LEGAL_FORMS + r")"
# The courts by their kind ("COMBINED COURT", "FAMILY COURT", "SENIOR COURTS"), and the
# Accountant General of the Senior Courts (the Court Funds Office): HM Courts and Tribunals
# Service, central government. A court's kind word is needed: "<x> COURT" alone is far more
# often a care home or block of flats.
COURTS = re.compile(
    _NO_FORM + r".*(?:\b(?:COMBINED|FAMILY|CROWN|COUNTY|MAGISTRATES|SENIOR|CORONERS?|YOUTH)"
    r" COURTS?\b|\bACCOUNTANT GENERAL\b|\bCOURT FUNDS OFFICE\b)"
)
_REGIONS = (
    r"(?:NORTH|SOUTH|EAST|WEST|NORTHERN|SOUTHERN|EASTERN|WESTERN|MIDLANDS|LONDON|CENTRAL"
    r"|GROUP|PROPERTY|PROPERTIES)"
)
NORSE_GROUP = re.compile(r"\bNORSE\b|^NPS " + _REGIONS + r"\b")
_SCHOOL_PART = re.compile(r"\b(?:SCHOOL|SCH)\b")
_NOT_OPERATED = re.compile(
    r"\b(?:ACADEMY TRUST|MULTI ACADEMY|PRE ?SCH(?:OOL)?S?|PTA|PTFA|FRIENDS OF|FOUNDATION)\b"
)
_OPERATOR_PART = re.compile(
    r"\b(?:LTD|LIMITED|PLC|LLP|GROUP|SERVICES|SVCS|CARE AND EDUCATION|SALES LEDGER)\b"
)
_NAME_PARTS = re.compile(r"\s*\(\s*|\s*\)\s*|\s+-\s+|\s+(?:T/A|T\\A|TRADING AS|RE:?)\s+")
_BUSINESS_CUE = next(rule.pattern for rule in RULES if rule.name == "business cue")
COUPLE = re.compile(r"^[A-Z]{2,3} AND [A-Z]{2,3} [A-Z]{3,}$")
NOT_TRADE = re.compile(r"^(?!.*(?:" + _BUSINESS_CUE + r"))")

# Not a person although a person rule reads one (rule 5): a building's name, a phrase after the
# article A, initials before an activity or trade word by its ending.
# (-LING is left out of the -ING words but for -LLING: GOSLING, CROSSLING are surnames.)
NOT_A_PERSON = re.compile(
    r"^A [A-Z]{3,} [A-Z]{3,}|"
    r"^(?:[A-Z] ){1,3}(?:[A-Z]{3,} )?(?:[A-Z]{4,}(?:[^L ]|LL)ING|[A-Z]{3,}(?:TION|SION)"
    r"|[A-Z]{4,}ICS|[A-Z]{4,}MENT)$|"
    # initials and a region ("E D T SOUTH WEST"): a firm's area, not a surname
    r"^(?:[A-Z] ){1,3}(?:[A-Z]{3,} )?(?:(?:SOUTH|NORTH) (?:WEST|EAST)|(?:EAST|WEST) MIDLANDS)$|"
    # a last word that is a quality, a partnership or a trade, never a surname ("B SUPPORTIVE",
    # "ADAM CONTINUITY", "PETER EVANS PARTNERSHIP", "W J CONTRACTS", "W M IRONWORK")
    r"\b(?:[A-Z]{4,}(?:SHIP|ITY|IVE)|CONTRACTS|BUSINESS|IRONWORKS?)$"
)
# A single letter joined to a word by a hyphen ("F-TEC", "T-ASC", "E-SCHOOLS", "N-GAGE") is a
# brand's style; the person rules see an initial and a surname once punctuation is dropped.
HYPHEN_BRAND = re.compile(r"^[A-Z]-[A-Z0-9]{2,}$")
COMMERCIALLY_WITHHELD = "redacted (commercially confidential)"
READING_COLUMNS = ["org_type", "evidence", "confidence"]


def not_a_person(plain: pd.Series, names: pd.Series | None = None) -> pd.Series:
    """Whether a name the person rules would read as a person is not one (rule 5; index kept).

    ``plain``: the names as :func:`kil_analysis.enrich.name_rules.plain_text` gives them;
    ``names``: the names as published (aligned), for the hyphenated brand ("F-TEC").
    """
    from kil_analysis.readers.registers.public_bodies import BUILDING_NAME

    out = plain.str.contains(NOT_A_PERSON) | plain.str.contains(BUILDING_NAME)
    if names is not None:
        raw = names.fillna("").astype(str).str.strip().str.upper()
        out |= raw.str.contains(HYPHEN_BRAND)
    return out


def commercially_withheld(names: pd.Series, redacted: pd.Series) -> pd.Series:
    """Whether each redacted name says it was withheld for commercial reasons (index kept).

    ``redacted``: the ingest stage's redaction flag, aligned with ``names``.
    """
    upper = names.fillna("").astype(str).str.upper()
    return redacted.astype(bool) & upper.str.contains(COMMERCIAL_REDACTION)


def school_with_operator(names: pd.Series) -> pd.Series:
    """Whether a name names a school in one part and the company running it in another.

    Parts: the name split at brackets, " - ", T/A and RE (see the module docstring, rule 4).
    """
    upper = names.fillna("").astype(str).str.upper().str.replace("&", " AND ", regex=False)

    def operated(name: str) -> bool:
        if _NOT_OPERATED.search(name) or not _SCHOOL_PART.search(name):
            return False
        parts = [p for p in _NAME_PARTS.split(name) if p.strip()]
        if len(parts) < 2:
            return False
        school = [bool(_SCHOOL_PART.search(p)) for p in parts]
        operator = [
            bool(_OPERATOR_PART.search(p)) and not s for p, s in zip(parts, school, strict=True)
        ]
        return any(school) and any(operator)

    return upper.map(operated).astype(bool)


def read_payees(
    names: pd.Series, redacted: pd.Series, text: pd.Series | None = None
) -> pd.DataFrame:
    """The readings of the module docstring's rules, one row per name (index kept).

    Columns ``org_type`` (None where no rule here reads the name), ``evidence`` and
    ``confidence`` (0–1), and ``not_person`` (rule 5: the person rules must not read the name
    as a person). ``redacted``: the ingest stage's redaction flag per name; only
    rule 1 reads redacted names, the others only names that are not redacted. ``text``: the
    names as the rules read them (:func:`kil_analysis.enrich.name_rules.rule_text`: single
    letters joined, "N P S" → NPS), when the caller has it; the couple rule reads the plain
    text (initials kept apart).
    """
    out = pd.DataFrame(None, index=names.index, columns=READING_COLUMNS, dtype=object)
    plain = plain_text(names).astype(object)
    text = (rule_text(names) if text is None else text).astype(object)
    is_redacted = redacted.astype(bool)
    open_ = ~is_redacted

    def read(mask: pd.Series, kind: str, evidence: str, confidence: float) -> None:
        nonlocal open_
        mask = mask & open_
        out.loc[mask, READING_COLUMNS] = (kind, evidence, confidence)
        open_ &= ~mask

    commercial = commercially_withheld(names, is_redacted)
    out.loc[commercial, READING_COLUMNS] = ("not_a_supplier", COMMERCIALLY_WITHHELD, 0.85)
    read(text.str.contains(COURTS), "public", "name rule: courts", 0.85)
    read(text.str.contains(NORSE_GROUP), "public", "name rule: Norse Group company", 0.75)
    read(school_with_operator(names), "private", "name rule: school named with operator", 0.7)
    couple = plain.str.contains(COUPLE)
    couple[couple] = plain[couple].str.contains(NOT_TRADE)
    read(couple, "individual", "name rule: couple by initials", 0.6)
    out["confidence"] = pd.to_numeric(out["confidence"], errors="coerce")
    out["not_person"] = not_a_person(plain, names) & ~is_redacted
    return out
