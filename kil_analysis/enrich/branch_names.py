"""A VCSE body paid under a register name that differs from it in a documented way.

Three ways a payee's name differs from the register's name of the same charity or society, both
as a finance officer would recognise them:

- **A branch by its place.** A national or regional charity is paid by the branch or service
  the council contracts with, named "<charity> <place>" or "<place> <charity>" ("L'ARCHE
  LIVERPOOL", "BIRTENSHAW MERSEYSIDE", "NORTHCOTT THEATRE EXETER", "TOUCHSTONE - LEEDS",
  "GATESHEAD HATZOLA"). The place must be a real place — a council's area (ONS names, the
  county councils of the councils register), an English region or metropolitan county
  (:data:`REGIONS`) — and what is left must be a register name of a VCSE body that is strong
  evidence of one: two words or more with no single letters ("LIVING OPTIONS", not "O C R"), or
  one word of :data:`MIN_ONE_WORD_LETTERS` letters or more that at most
  :data:`MAX_ONE_WORD_REGISTER_NAMES` register names carry (a proper name: BIRTENSHAW, not
  ACTION, INSPIRE, CASA or COMET, which name hundreds of bodies or a firm as often as a
  charity). The branch is not the register row's address: no postcode is taken from it.
- **The kind of body after a register name.** A charity registered as "NIDDERDALE PLUS" or
  "TYNESIDE WOMENS HEALTH" is paid as "… PARTNERSHIP" or "… PROJECT": one of
  :data:`KIND_WORDS` after a strong register name (as above) of a VCSE body. Not the other way
  round: a register name that is the payee's name and FOUNDATION or TRUST is a company's own
  foundation ("SCOTTISH POWER FOUNDATION", "NOMINET TRUST"), not the company paid.
- **A register name with a description in brackets.** The Charity Commission lists many
  charities with what they do in brackets ("BIRTENSHAW HALL (CHILDREN'S CHARITABLE TRUST)",
  "FAMILY LINKS (EDUCATIONAL PROGRAMMES)"); finance systems carry the name without it. The
  bracket must not be a place: "FIRST STEPS NURSERY (BATH)" is one town's nursery, not another
  town's "FIRST STEPS NURSERY".

Both are read where a fuzzy match would be (precedence step 7 in
:mod:`kil_analysis.enrich.classify`): after the legal-form rules, so a "… LTD" stays the
company the LTD rule reads, and before the soft name rules (a care home by the house's name, a
business cue). Measured on every shared spend name (``benchmarks/rule_audit.py``) before they
were kept: see ``docs/assumptions_caveats.md`` C3u.
"""

from __future__ import annotations

import pandas as pd

from kil_analysis.enrich.keys import match_keys, name_keys
from kil_analysis.enrich.matching import _empty, match_exact
from kil_analysis.enrich.operations import place_keys
from kil_analysis.readers.registers.shape import Registers

BRANCH = "register name and a place"
BRACKET_DROPPED = "register name without its bracket"
KIND_ADDED = "register name and the kind of body"
METHODS = (BRANCH, BRACKET_DROPPED, KIND_ADDED)
# The kind of voluntary body a payee's name may end in that its register name leaves out.
KIND_WORDS = frozenset(
    {
        "PARTNERSHIP",
        "PROJECT",
        "CENTRE",
        "TRUST",
        "CHARITY",
        "ASSOCIATION",
        "SOCIETY",
        "FOUNDATION",
        "NETWORK",
        "CLUB",
    }
)
# English regions (ONS), the metropolitan counties, the compass sub-regions charities name
# their branches by, and the nations; the councils' own areas come from the registers loaded.
REGIONS = (
    "NORTH EAST",
    "NORTH WEST",
    "SOUTH EAST",
    "SOUTH WEST",
    "EAST MIDLANDS",
    "WEST MIDLANDS",
    "EAST OF ENGLAND",
    "EAST ANGLIA",
    "YORKSHIRE",
    "YORKSHIRE AND THE HUMBER",
    "YORKSHIRE AND HUMBER",
    "LONDON",
    "GREATER LONDON",
    "GREATER MANCHESTER",
    "MERSEYSIDE",
    "TYNE AND WEAR",
    "WEST YORKSHIRE",
    "SOUTH YORKSHIRE",
    "TEESSIDE",
    "TEES VALLEY",
    "ENGLAND",
    "WALES",
    "SCOTLAND",
    "NORTHERN IRELAND",
)
# the score these matches carry (0-100; confidence is scaled by it as a fuzzy match's is)
VARIANT_SCORE = 80
MAX_PLACE_WORDS = 3
MIN_ONE_WORD_LETTERS = 6
MAX_ONE_WORD_REGISTER_NAMES = 8
_COUNTY = r"^(.*?)\s+COUNTY COUNCIL$"


def place_names(registers: Registers | None) -> frozenset[str]:
    """Place keys a branch may be named by (upper case, as :func:`operations.place_keys`).

    :data:`REGIONS`, the council areas of ``registers.lad_names`` (ONS names) and the counties
    of the councils register ("DEVON COUNTY COUNCIL" → DEVON). Cached per registers object.
    """
    names = set(REGIONS)
    if registers is None:
        return frozenset(names)
    cached = registers.derived.get("branch_place_names")
    if cached is not None and cached[0] is registers.organisations:
        return cached[1]  # type: ignore[return-value]
    if registers.lad_names:
        names |= set(place_keys(pd.Series(list(registers.lad_names.values()))))
    rows = registers.organisations
    council = rows.loc[rows["public_kind"].eq("council").fillna(False).to_numpy(), "name"]
    county = council.astype(str).str.upper().str.extract(_COUNTY)[0].dropna()
    names |= set(place_keys(county))
    out = frozenset(n for n in names if n)
    registers.derived["branch_place_names"] = (registers.organisations, out)
    return out


def _register_names_carrying(words: set[str], registers: Registers) -> dict[str, int]:
    """How many distinct register match keys carry each of ``words`` as a whole word."""
    if not words:
        return {}
    cached = registers.derived.get("register_word_counts")
    if cached is None or cached[0] is not registers.organisations:
        keys = registers.organisations["match_key"].dropna().drop_duplicates()
        tokens = keys.str.split(" ").explode()
        # a word twice in one name counts once
        tokens = tokens.reset_index().drop_duplicates()["match_key"]
        cached = (registers.organisations, tokens.value_counts())
        registers.derived["register_word_counts"] = cached
    counts: pd.Series = cached[1]
    return {w: int(counts.get(w, 0)) for w in words}


def strong_stems(stems: pd.Series, registers: Registers) -> pd.Series:
    """Whether each stem (a match key) is strong evidence of one body's name (index kept).

    Two words or more with no single-letter word, or one word of at least
    :data:`MIN_ONE_WORD_LETTERS` letters carried by at most :data:`MAX_ONE_WORD_REGISTER_NAMES`
    register names.
    """
    stems = stems.fillna("")
    words = stems.str.split(" ")
    several = words.str.len().ge(2) & ~words.map(lambda w: any(len(x) == 1 for x in w))
    one = words.str.len().eq(1) & stems.str.len().ge(MIN_ONE_WORD_LETTERS)
    counts = _register_names_carrying(set(stems[one]), registers)
    rare = stems.map(lambda s: counts.get(s, 10**9) <= MAX_ONE_WORD_REGISTER_NAMES)
    return several | (one & rare)


def branch_stems(
    keys: pd.Series, places: frozenset[str], before: bool = True, most: int = MAX_PLACE_WORDS
) -> pd.DataFrame:
    """Every (row, stem) where a key is a stem with a place after it (or, ``before``, before it).

    ``keys``: match keys (index kept as column ``row``). ``places``: the words that may be
    added, of 1 to ``most`` words; the stem keeps at least one word.
    """
    frames = []
    keys = keys.dropna()
    keys = keys[keys.str.contains(" ")]
    for n in range(1, most + 1):
        tail = keys.str.rsplit(" ", n=n)
        ok = tail.str.len().eq(n + 1)
        place = tail[ok].str[1:].str.join(" ")
        hit = place.isin(places)
        frames.append(pd.DataFrame({"row": place.index[hit], "stem": tail[ok][hit].str[0]}))
        if not before:
            continue
        head = keys.str.split(" ", n=n)
        ok = head.str.len().eq(n + 1)
        place = head[ok].str[:-1].str.join(" ")
        hit = place.isin(places)
        frames.append(pd.DataFrame({"row": place.index[hit], "stem": head[ok][hit].str[-1]}))
    return pd.concat(frames, ignore_index=True).drop_duplicates()


def match_branches(keys: pd.DataFrame, registers: Registers, kind: bool = False) -> pd.DataFrame:
    """Register matches of names that are a VCSE body's name and a place (or a kind of body).

    Method :data:`BRANCH`; with ``kind``, one of :data:`KIND_WORDS` after the name instead of a
    place (method :data:`KIND_ADDED`).

    ``keys``: ``supplier_key`` with ``match_key`` and optionally ``core_key`` (the name without
    its qualifier: "TOUCHSTONE - LEEDS"). Only a strong stem (:func:`strong_stems`) that the
    registers hold for VCSE bodies alone is taken; a branch's postcode is not (the branch is
    not the register row's address).
    """
    places = KIND_WORDS if kind else place_names(registers)
    columns = [c for c in ("match_key", "core_key") if c in keys]
    stems = pd.concat(
        [
            branch_stems(
                keys[c], places, before=not kind, most=1 if kind else MAX_PLACE_WORDS
            ).assign(supplier_key=lambda f, c=c: keys.loc[f["row"], "supplier_key"].to_numpy())
            for c in columns
        ],
        ignore_index=True,
    )
    if stems.empty:
        return _empty()
    stems = stems[strong_stems(stems["stem"], registers).to_numpy()]
    found = match_exact(stems.rename(columns={"stem": "branch_key"}), registers, "branch_key")
    found = found[found["org_type"].eq("vcse") & found["ambiguous_candidates"].isna()].copy()
    found["match_method"] = KIND_ADDED if kind else BRANCH
    found["match_score"] = VARIANT_SCORE
    if not kind:
        for col in ("postcode", "postcode_candidates", "register_id_candidates", "area_code"):
            found[col] = None
    return found.drop_duplicates("supplier_key").reset_index(drop=True)


def bracket_free_register_keys(registers: Registers) -> pd.DataFrame:
    """VCSE register rows whose name has a bracketed description, keyed without it.

    Columns ``register_id`` and ``bracket_free_key``; a bracket that holds a place
    (:func:`place_names`) is not dropped, and a key left with one word is not kept. Cached.
    """
    cached = registers.derived.get("bracket_free_register_keys")
    if cached is not None and cached[0] is registers.organisations:
        return cached[1]
    rows = registers.organisations
    rows = rows.loc[
        rows["org_type"].eq("vcse").to_numpy()
        & rows["name"].astype(str).str.contains("(", regex=False).to_numpy(),
        ["register_id", "name"],
    ]
    inner = rows["name"].str.extract(r"\(([^)]*)\)?")[0].fillna("")
    place = place_keys(inner).isin(place_names(registers))
    key = match_keys(name_keys(rows["name"].str.replace(r"\([^)]*(?:\)|$)", " ", regex=True)))
    keep = ~place & key.str.contains(" ")
    out = pd.DataFrame({"register_id": rows["register_id"][keep], "bracket_free_key": key[keep]})
    registers.derived["bracket_free_register_keys"] = (registers.organisations, out)
    return out


def match_bracket_dropped(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Register matches of names that are a VCSE register name without its bracket.

    Method :data:`BRACKET_DROPPED` (the bracket a description, not a place).

    ``keys``: ``supplier_key`` with ``match_key`` and optionally ``core_key``. The register row
    is read whole (its postcode and size too) where the names under that key are one body's.
    """
    index = bracket_free_register_keys(registers)
    if index.empty:
        return _empty()
    columns = [c for c in ("match_key", "core_key") if c in keys]
    wanted = pd.concat(
        [keys[["supplier_key", c]].rename(columns={c: "bracket_free_key"}) for c in columns]
    ).dropna()
    pairs = wanted.merge(index, on="bracket_free_key")
    if pairs.empty:
        return _empty()
    one = pairs.groupby("supplier_key")["register_id"].transform("nunique").eq(1)
    pairs = pairs[one].drop_duplicates("supplier_key")
    rows = registers.organisations
    rows = rows[rows["register_id"].isin(set(pairs["register_id"]))]
    rows = rows.drop_duplicates("register_id")[["register_id", "match_key"]]
    wanted = pairs.merge(rows, on="register_id")[["supplier_key", "match_key"]]
    found = match_exact(wanted, registers)
    found = found[found["org_type"].eq("vcse") & found["ambiguous_candidates"].isna()].copy()
    found["match_method"] = BRACKET_DROPPED
    found["match_score"] = VARIANT_SCORE
    return found.reset_index(drop=True)


def match_name_variants(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Bracket dropped, then a place, then the kind of body, each for the names still open.

    :func:`match_bracket_dropped`, then :func:`match_branches` (a place, then ``kind``); one
    row per supplier matched.
    """
    parts = []
    rest = keys
    for matcher in (
        match_bracket_dropped,
        match_branches,
        lambda k, r: match_branches(k, r, kind=True),
    ):
        if rest.empty:
            break
        found = matcher(rest, registers)
        if not found.empty:
            parts.append(found)
            rest = rest[~rest["supplier_key"].isin(found["supplier_key"])]
    return pd.concat(parts, ignore_index=True) if parts else _empty()
