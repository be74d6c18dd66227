"""Public bodies under names their registers do not hold: an academy named by its trust.

A multi-academy trust's schools are paid under the trust's name with the school's after it
("TED WRAGG ST JAMES", "TED WRAGG EXWICK HEIGHTS": St James School and Exwick Heights Primary
School of The Ted Wragg Multi Academy Trust), and the school's own words need not say school.
A finance officer reads such a name as the trust's academy when it has three parts:

- the trust's own name, which is an academy trust's register name without its kind words
  (:data:`TRUST_TAIL`: MULTI ACADEMY TRUST, ACADEMY TRUST, LEARNING TRUST, EDUCATION TRUST,
  SCHOOLS PARTNERSHIP, TRUST …) and a leading THE: two words or more, not ending on a joining
  word (AND, OF, IN …);
- that own name distinctive: held by exactly one academy trust, and the first words of no other
  register organisation's name (a charity's, society's or public body's: GREATER MANCHESTER,
  NORTH WEST, ST JOHNS and WHITE ROSE begin too many other names to be one trust's);
- after it, the first words of a school's name in the schools register (Get Information About
  Schools: "ST JAMES" begins "St James School", "EXWICK HEIGHTS" "Exwick Heights Primary
  School"), with no company or charity legal form.

The classifier asks only where no name rule and no register has read the name
(:func:`kil_analysis.enrich.classify.classify_suppliers`, step 5), so "… ACADEMY", "… SCHOOL"
and "… COLLEGE" names keep the school rule's reading. The trust's register id is the evidence;
the school is not placed (the school's name alone is shared by schools in many towns).
"""

from __future__ import annotations

import bisect
import re

import pandas as pd

from kil_analysis.enrich.name_rules import LEGAL_FORMS
from kil_analysis.readers.registers.shape import Registers

# The kind words that end an academy trust's register name (after legal form and THE are gone).
TRUST_TAIL = re.compile(
    r" (?:MULTI ACADEMY TRUST|MULTI ACADEMIES TRUST|ACADEMY TRUST|ACADEMIES TRUST"
    r"|CATHOLIC EDUCATION TRUST|EDUCATION TRUST|EDUCATIONAL TRUST|LEARNING TRUST"
    r"|SCHOOLS TRUST|SCHOOL TRUST|SCHOOLS PARTNERSHIP|LEARNING PARTNERSHIP|TRUST)$"
)
JOINING_WORDS = frozenset("AND OF IN FOR THE AT ON TO WITH".split())
LEGAL_FORM = re.compile(LEGAL_FORMS)
# Register rows of a trust's own family: its schools and other trusts share its words.
_FAMILY = ("academy_trust", "school", "independent_school")
ACADEMY_BY_TRUST = "academy named by its trust"


def _own_name(key: str) -> str | None:
    """An academy trust's match key without a leading THE and its :data:`TRUST_TAIL`."""
    key = key.removeprefix("THE ")
    own = TRUST_TAIL.sub("", key)
    words = own.split()
    if own == key or len(words) < 2 or words[-1] in JOINING_WORDS:
        return None
    return own


def _begins(sorted_keys: list[str], words: str) -> bool:
    """Whether any of ``sorted_keys`` is ``words`` or begins with ``words`` and a space."""
    i = bisect.bisect_left(sorted_keys, words)
    return i < len(sorted_keys) and (
        sorted_keys[i] == words or sorted_keys[i].startswith(words + " ")
    )


def trust_own_names(registers: Registers) -> dict[str, str]:
    """Distinctive academy trust own names (see the module docstring) → the trust's register id.

    Computed once per loaded registers (kept beside their organisations table).
    """
    cached = registers.derived.get("trust_own_names")
    if cached is not None and cached[0] is registers.organisations:
        return cached[1]  # type: ignore[return-value]
    rows = registers.organisations
    kind = rows["public_kind"]
    trusts = rows.loc[kind.eq("academy_trust").fillna(False).to_numpy()]
    owners: dict[str, set[str]] = {}
    for key, rid in zip(trusts["match_key"], trusts["register_id"], strict=True):
        own = _own_name(str(key)) if isinstance(key, str) else None
        if own:
            owners.setdefault(own, set()).add(str(rid))
    single = {own: next(iter(ids)) for own, ids in owners.items() if len(ids) == 1}
    others = rows.loc[~kind.isin(_FAMILY).fillna(False).to_numpy(), "match_key"].dropna()
    # an own name can only begin a key that begins with its first word
    heads = {own.partition(" ")[0] for own in single}
    other_keys = sorted({k for k in others.astype(str).tolist() if k.partition(" ")[0] in heads})
    found = {own: rid for own, rid in single.items() if not _begins(other_keys, own)}
    registers.derived["trust_own_names"] = (registers.organisations, found)
    return found


def state_school_keys(registers: Registers | None) -> frozenset[str]:
    """Match keys of the schools register's state schools (computed once per registers).

    Get Information About Schools lists independent schools too; those the independent
    schools list holds are dropped when the registers load (``discover._reconcile``), so what
    is left here is a state school's name. A school name a charity register holds and no state
    school does is the charity's school (a non-maintained special or independent school:
    ``classify.charity_school``).
    """
    if registers is None:
        return frozenset()
    cached = registers.derived.get("state_school_keys")
    if cached is not None and cached[0] is registers.organisations:
        return cached[1]  # type: ignore[return-value]
    rows = registers.organisations
    keys = rows.loc[rows["public_kind"].eq("school").fillna(False).to_numpy(), "match_key"]
    found = frozenset(keys.dropna().astype(str).tolist())
    registers.derived["state_school_keys"] = (registers.organisations, found)
    return found


def school_name_keys(registers: Registers) -> list[str]:
    """The schools register's match keys, sorted, without a leading THE (computed once)."""
    cached = registers.derived.get("school_name_keys")
    if cached is not None and cached[0] is registers.organisations:
        return cached[1]  # type: ignore[return-value]
    rows = registers.organisations
    keys = rows.loc[rows["public_kind"].eq("school").fillna(False).to_numpy(), "match_key"]
    found = sorted({k.removeprefix("THE ") for k in keys.dropna().astype(str).tolist()})
    registers.derived["school_name_keys"] = (registers.organisations, found)
    return found


def academy_by_trust_matches(text: pd.Series, registers: Registers | None) -> pd.Series:
    """The academy trust register id each name is an academy of, by the trust's name (index kept).

    ``text``: names as the rules read them (qualifiers dropped, upper case, single spaces).
    None where the name is not "<distinctive trust own name> <a school's first words>".
    """
    if registers is None or text.empty:
        return pd.Series(None, index=text.index, dtype=object)
    owners = trust_own_names(registers)
    schools = school_name_keys(registers)
    longest = max((len(own.split()) for own in owners), default=0)

    def find(name: object) -> str | None:
        if not isinstance(name, str) or LEGAL_FORM.search(name):
            return None
        words = name.removeprefix("THE ").split()
        for n in range(min(longest, len(words) - 1), 1, -1):
            rid = owners.get(" ".join(words[:n]))
            if rid is not None:
                return rid if _begins(schools, " ".join(words[n:])) else None
        return None

    unique = pd.Series(text.dropna().unique(), dtype=object)
    answers = dict(zip(unique, unique.map(find), strict=True))
    return text.map(answers).astype(object)
