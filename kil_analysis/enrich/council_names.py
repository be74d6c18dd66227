"""Councils under the shortened names finance systems give them ("MID DEVON DST CNL").

A supplier field of fixed width makes a finance officer shorten every long word of a council's
name, and each system does it its own way: DST, DIST or DISTR for DISTRICT; CNL, CNCL, COUNC or
CCL for COUNCIL; BORO for BOROUGH; MET or METRO for METROPOLITAN. Rather than list every
shortening, a name is read as a council when it is one of the council register's names
(:func:`kil_analysis.readers.registers.public_bodies.council_name_variants`) with words
shortened the way people shorten words: each word of the name is the register's word, or begins
with the register word's first letter and keeps some of its letters in order (a prefix or a
vowel-dropped form). What it must also have, so that a firm's name is not taken for a council:

- the same number of words as the register name, which ends COUNCIL, BOROUGH or AUTHORITY;
- the place words written out in full (every word but the shortened council-kind words);
- at least one word shortened (else the exact register match has already answered);
- exactly one council meets it.

A council is also written by its initials, one letter a word ("E D D C" or EDDC: East Devon
District Council; DMBC: a metropolitan borough council): the initials of a register name that
ends COUNCIL (small words such as OF and THE left out), four letters or more (three, as SCC or
NTC, are shared with too many other bodies), read only as the whole name (a qualifier dropped).
Initials two councils share (EDDC: East Devon's and East Dorset's; DMBC: Doncaster's and
Dudley's) still name a council, so the name is public, but not which one: every such council's
register id is given ("; "-joined), and the supplier is not placed.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.readers.registers.shape import Registers

# The words of a council's kind that finance systems shorten ("MID DEVON DST CNL").
KIND_WORDS = frozenset(
    "COUNCIL BOROUGH DISTRICT COUNTY CITY METROPOLITAN UNITARY AUTHORITY LONDON ROYAL".split()
)
_ENDINGS = ("COUNCIL", "BOROUGH", "AUTHORITY")


def is_shortened(token: str, word: str) -> bool:
    """Whether ``token`` is ``word`` shortened: same first letter, shorter, its letters in order.

    "DST" and "DIST" are DISTRICT shortened, "CNL" and "CNCL" COUNCIL, "BORO" BOROUGH; "DC" is
    not (two letters or fewer are initials, not a shortened word).
    """
    if len(token) < 3 or len(token) >= len(word) or token[0] != word[0]:
        return False
    it = iter(word)
    return all(letter in it for letter in token)


def council_name_index(registers: Registers) -> dict[tuple[int, str], list[tuple[str, ...]]]:
    """Council register names as word tuples (register id last), by word count and first word.

    Only names ending in COUNCIL, BOROUGH or AUTHORITY. The key is (word count, first word), or
    (word count, "*" + first letter) where the first word is a kind word that may itself be
    shortened.
    """
    rows = registers.organisations
    # the English councils register (GB-LAE-); the same council as a registered provider of
    # social housing (GB-SHPE-) is the same body, not a second candidate
    council = rows["public_kind"].eq("council").fillna(False)
    council &= rows["register_id"].fillna("").str.startswith("GB-LAE-")
    rows = rows.loc[council.to_numpy(), ["match_key", "register_id"]]
    index: dict[tuple[int, str], list[tuple[str, ...]]] = {}
    for key, rid in rows.drop_duplicates().itertuples(index=False):
        words = tuple(str(key).split())
        if len(words) < 2 or words[-1] not in _ENDINGS:
            continue
        first = "*" + words[0][0] if words[0] in KIND_WORDS else words[0]
        index.setdefault((len(words), first), []).append((*words, str(rid)))
    return index


_SMALL_WORDS = frozenset({"AND", "OF", "THE", "FOR", "IN", "ON", "AT", "TO", "UPON"})
MIN_INITIALS = 4


def council_initials_index(registers: Registers) -> dict[str, str]:
    """Council initials → the council register ids they stand for, "; "-joined (sorted).

    See the module docstring: initials of the council register's names that end COUNCIL, four
    letters or more. Councils in being are preferred: where any council in being has the
    initials, ended councils of the same initials are left out.
    """
    rows = registers.organisations
    council = rows["public_kind"].eq("council").fillna(False)
    council &= rows["register_id"].fillna("").str.startswith("GB-LAE-")
    rows = rows.loc[council.to_numpy(), ["match_key", "register_id", "active"]].drop_duplicates()
    held: dict[str, dict[str, bool]] = {}
    for key, rid, active in rows.itertuples(index=False):
        words = [w for w in str(key).split() if w not in _SMALL_WORDS]
        if len(words) < 2 or words[-1] != "COUNCIL":
            continue
        initials = "".join(w[0] for w in words)
        if len(initials) >= MIN_INITIALS:
            ids = held.setdefault(initials, {})
            ids[str(rid)] = ids.get(str(rid), False) or bool(active)
    out: dict[str, str] = {}
    for initials, ids in held.items():
        live = [rid for rid, active in ids.items() if active]
        out[initials] = "; ".join(sorted(live or ids))
    return out


def _fits(tokens: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Every token is its word, or a shortened kind word; at least one is shortened."""
    shortened = False
    for token, word in zip(tokens, words, strict=True):
        if token == word:
            continue
        if word not in KIND_WORDS or not is_shortened(token, word):
            return False
        shortened = True
    return shortened


def shortened_council_matches(text: pd.Series, registers: Registers | None) -> pd.Series:
    """The council register id each name is, written with shortened words (index preserved).

    ``text``: names as the rules read them (qualifiers dropped, upper case, single spaces).
    None where no council, or more than one, fits (see the module docstring for the test); a
    council's initials give every council that has them ("; "-joined).
    """
    if registers is None or text.empty:
        return pd.Series(None, index=text.index, dtype=object)
    index = council_name_index(registers)
    initials = council_initials_index(registers)

    def find(name: object) -> str | None:
        if not isinstance(name, str) or not name:
            return None
        if name in initials:
            return initials[name]
        tokens = tuple(name.split())
        n = len(tokens)
        candidates = index.get((n, tokens[0]), []) + index.get((n, "*" + tokens[0][0]), [])
        found = {row[-1] for row in candidates if _fits(tokens, row[:-1])}
        return found.pop() if len(found) == 1 else None

    unique = pd.Series(text.dropna().unique(), dtype=object)
    answers = dict(zip(unique, unique.map(find), strict=True))
    return text.map(answers).astype(object)
