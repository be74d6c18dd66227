"""The part of a published supplier name that names the payee's legal entity.

Finance systems record a payee as the organisation's legal name plus what the ledger needs to
tell its accounts apart, and two shapes of that say which part is the legal entity:

- **the operator in brackets**: "<home or service> (<operator> LTD)" — adult social care pays
  each care home under the home's name with the company or charity that runs it in brackets
  ("SPRINGWOOD HOUSE (SHEFFCARE LTD)", "ROSE COURT (ANCHOR HANOVER LTD)"). A bracket that
  carries a legal form (LTD, LIMITED, PLC, LLP, CIC, CIO) is the legal entity; the words
  outside it are the home or service;
- **a ledger tag after the legal name**: "<legal name> LTD (<tag>)", "<legal name> LTD -
  <tag>", "<legal name> LTD T/A <trading name>" — the legal form closes the legal name and
  what follows is the ledger's tag (a funding stream such as Supporting People, "(SP)"; the
  account a provider's scheme is paid under, "(NEW ERA HOUSING)"; a trading name). A bracket
  inside the legal name ("DIMENSIONS (UK) LTD") is kept.

The legal entity's name is matched to the registers before anything else
(:func:`kil_analysis.enrich.matching.match_suppliers`, method :data:`LEGAL_ENTITY`) and, like
an exact match of the whole name, beats the LTD rule (step 5 of
:mod:`kil_analysis.enrich.classify`): a charity or society that names itself "… LTD" is found
by its register name. Where no register holds the legal entity the name rules decide as before.
"""

from __future__ import annotations

import re

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys

LEGAL_ENTITY = "exact name (legal entity)"
_FORM = r"(?:LTD|LIMITED|PLC|LLP|CIC|CIO)\.?"
# a bracket that carries a legal form: the operator ("(SHEFFCARE LTD)")
_OPERATOR = re.compile(r"\(([^()]*\b" + _FORM + r"(?![A-Z0-9])[^()]*)\)", re.IGNORECASE)
# a legal name closed by its legal form, then a ledger tag: "(SP)", " - <x>", "-<x>", "T/A <x>"
_TAGGED = re.compile(
    r"^(.*?\S.*\b"
    + _FORM
    + r")(?![A-Z0-9])\s*(?:\([^()]*\)?|-\s*\S.*|\s(?:T/A|T\\A|TA|TRADING AS)\s+\S.*)$",
    re.IGNORECASE,
)


def legal_entity_names(names: pd.Series) -> pd.Series:
    """The legal entity each published name names, where its shape says so (else None).

    Index preserved. The operator in brackets first (the only bracket with a legal form; where
    two brackets carry one, none is chosen), else the name up to its legal form where a ledger
    tag follows it. The words kept must be more than the legal form itself ("(LTD)" names no
    one).
    """
    text = names.fillna("").astype(str).str.strip()
    operators = text.str.findall(_OPERATOR)
    operator = operators.map(lambda found: found[0].strip() if len(found) == 1 else None)
    tagged = text.str.extract(_TAGGED, expand=False)
    entity = operator.where(operator.notna(), tagged).astype(object)
    bare = entity.fillna("").str.fullmatch(r"(?i)\s*(?:THE\s+)?" + _FORM + r"\s*")
    return entity.where(~bare & entity.notna(), None)


def legal_entity_keys(names: pd.Series, match_key: pd.Series) -> pd.Series:
    """Register-matching keys of each name's legal entity, index preserved.

    None where the name names no legal entity apart from itself, or where the key is the whole
    name's own ``match_key``.
    """
    entity = legal_entity_names(names)
    key = match_keys(name_keys(entity.fillna("")))
    return key.where(entity.notna() & key.ne("") & key.ne(match_key), None)
