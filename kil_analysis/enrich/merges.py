"""One organisation, one row: spelling variants of one organisation's name, merged on strong
evidence only, every merge listed and reversible.

Two supplier keys are the same organisation when (rules, each named in the ``rule`` column of
the merges table):

* ``same name`` — their names agree once case, punctuation, ``&``/AND, spacing (run-together
  words), the legal-form words LTD/LIMITED/PLC/LLP and THE, a bracketed abbreviation of up to
  four letters ("(UK)", "(NE)") and a "(DO NOT USE)"-style marker are set aside, and what
  remains is at least :data:`MIN_MERGE_KEY` letters (short names stay apart: a sole trader and
  a company can share a short name). Other words (UK, GROUP, a place) are kept: "UK FOSTERING"
  and "FOSTERING" stay two organisations;
* ``trading name`` — "X LTD T/A Y" and "X LTD", or "X LTD T/A Y" and "X LTD T/A Z" (the
  legal entity before "T/A" is the same; siblings only when it is a company, whose name is
  unique at Companies House);
* ``legal name and qualifier`` — "X LTD - Y" and "X LTD": a name that ends in a company form
  before a " - " qualifier (a fund, scheme or site the company is paid for) is that company;
* ``same register id`` — both were matched by identifier or exact name (with a qualifier
  dropped or spacing ignored, never fuzzy) to one register entry: a council's "MBC" and
  "COUNCIL" forms, a charity's working and registered names (an entry matched by more than
  :data:`MAX_REGISTER_GROUP` names is not used);
* ``truncated name`` — the finance system cut names at a fixed width (a length where names
  pile up: :func:`truncation_width`), and the cut name is the beginning of exactly one longer
  name.

A researcher reverses or forces a merge with the overrides file's ``organisation_key`` column
(the supplier_key of the organisation a row belongs to; its own key keeps it apart).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kil_analysis.enrich.name_rules import plain_text, strip_retired_marker

MIN_MERGE_KEY = 8
MAX_REGISTER_GROUP = 6
MIN_TRUNCATED_SHARE = 0.02
MERGE_COLUMNS = ["organisation_key", "supplier_key", "supplier_name", "rule", "total_pence"]
STRONG_METHODS = (
    "id:company_number",
    "id:charity_number",
    "id:org_id",
    "exact name",
    "exact name (qualifier dropped)",
    "exact name (spacing ignored)",
)


_BRACKETED_ABBREVIATION = r"\(\s*[A-Za-z]{1,4}\s*\)"
_MERGE_FILLER = r"\b(?:THE|LTD|LIMITED|PLC|LLP)\b"
_TRADING_AS = r"\s+(?:T/A|T\\A|TA|TRADING AS)\s+.*$"
_LEGAL_HEAD_QUALIFIER = r"(?<=\b(?:LTD|PLC|LLP))\s+-\s+.*$|(?<=\bLIMITED)\s+-\s+.*$"


def merge_keys(names: pd.Series) -> pd.Series:
    """Names with case, punctuation, spacing, LTD/LIMITED/PLC/LLP/THE, bracketed abbreviations
    and retired markers set aside (see the module docstring)."""
    raw = names.fillna("").astype(str).str.replace(_BRACKETED_ABBREVIATION, " ", regex=True)
    plain = strip_retired_marker(plain_text(raw))
    return plain.str.replace(_MERGE_FILLER, "", regex=True).str.replace(
        r"[^A-Z0-9]", "", regex=True
    )


def is_retired(names: pd.Series) -> pd.Series:
    """True where a name carries a "(DO NOT USE)"-style marker."""
    plain = plain_text(names)
    return strip_retired_marker(plain) != plain


def truncation_width(names: pd.Series) -> int | None:
    """The fixed width a finance system cut names at, or None: a name length (≥ 20) that at
    least :data:`MIN_TRUNCATED_SHARE` of distinct names (and at least 5) have, and at least
    1.5 times as many as the two lengths below it on average — names pile up where they were
    cut. Names
    from another system or year may be longer."""
    lengths = names.dropna().astype(str).str.strip().drop_duplicates().str.len()
    if lengths.empty:
        return None
    counts = lengths.value_counts()
    spikes = [
        int(width)
        for width, n in counts.items()
        if width >= 20
        and n >= 5
        and n / len(lengths) >= MIN_TRUNCATED_SHARE
        and n >= 1.5 * (counts.get(width - 1, 0) + counts.get(width - 2, 0)) / 2
    ]
    return max(spikes) if spikes else None


class _Groups:
    def __init__(self, keys: list[str]) -> None:
        self.parent = {k: k for k in keys}
        self.rule: dict[str, str] = {}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: str, b: str, rule: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.rule.setdefault(b, rule)
            self.rule.setdefault(a, rule)


def find_merges(suppliers: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which supplier keys are one organisation.

    ``suppliers``: one row per supplier_key with ``supplier_name``, ``total_pence`` and, when
    registers were used, ``register_id`` and ``register_match`` (or ``match_method``).
    ``overrides``: optional
    ``supplier_key`` → ``organisation_key`` (from the overrides file).

    Returns :data:`MERGE_COLUMNS`, one row per supplier_key that belongs to an organisation of
    two or more keys (``organisation_key`` is the key of the member with the most spend; its own
    row has rule ``kept``). Keys merged with no other are not listed.
    """
    s = suppliers.reset_index(drop=True)
    keys = s["supplier_key"].astype(str).tolist()
    groups = _Groups(keys)
    forced = {}
    if overrides is not None and "organisation_key" in overrides:
        ov = overrides.dropna(subset=["organisation_key"])
        forced = dict(zip(ov["supplier_key"], ov["organisation_key"], strict=False))
    free = ~s["supplier_key"].isin(forced)

    mk = merge_keys(s["supplier_name"])
    eligible = free & (mk.str.len() >= MIN_MERGE_KEY)
    key_arr = s["supplier_key"].astype(str).to_numpy()
    shared = eligible & mk.duplicated(keep=False)
    first_of: dict[str, str] = {}
    for i in s.index[shared]:
        head = first_of.setdefault(mk[i], key_arr[i])
        if head != key_arr[i]:
            groups.join(head, key_arr[i], "same name")

    trading = s["supplier_name"].fillna("").astype(str).str.contains(_TRADING_AS, case=False)
    by_key = dict(zip(mk[eligible], key_arr[eligible.to_numpy()], strict=True))
    if trading.any():
        names = s.loc[trading, "supplier_name"].str.replace(_TRADING_AS, "", case=False, regex=True)
        legal = merge_keys(names)
        company_head = names.str.upper().str.contains(r"\b(?:LTD|LIMITED|PLC|LLP)\s*$", regex=True)
        first_trading: dict[str, str] = {}
        for i in legal.index[free[legal.index] & (legal.str.len() >= MIN_MERGE_KEY)]:
            other = by_key.get(legal[i])
            if other is not None and other != key_arr[i]:
                groups.join(other, key_arr[i], "trading name")
            # siblings only under a company's name (unique at Companies House): two sole
            # traders "J SMITH T/A …" may be two people
            if not company_head[i]:
                continue
            sibling = first_trading.setdefault(legal[i], key_arr[i])
            if sibling != key_arr[i]:
                groups.join(sibling, key_arr[i], "trading name")

    upper = s["supplier_name"].fillna("").astype(str).str.strip().str.upper()
    qualified = upper.str.contains(_LEGAL_HEAD_QUALIFIER, regex=True)
    if qualified.any():
        heads = merge_keys(upper[qualified].str.replace(_LEGAL_HEAD_QUALIFIER, "", regex=True))
        for i in heads.index[free[heads.index] & (heads.str.len() >= MIN_MERGE_KEY)]:
            other = by_key.get(heads[i])
            if other is not None and other != key_arr[i]:
                groups.join(other, key_arr[i], "legal name and qualifier")

    method = "register_match" if "register_match" in s else "match_method"
    if "register_id" in s and method in s:
        strong = free & s["register_id"].notna() & s[method].isin(STRONG_METHODS)
        by_id = s[strong].groupby("register_id")["supplier_key"].agg(list)
        for members in by_id:
            if 2 <= len(members) <= MAX_REGISTER_GROUP:
                for other in members[1:]:
                    groups.join(members[0], other, "same register id")

    width = truncation_width(s["supplier_name"])
    if width is not None:
        upper = s["supplier_name"].fillna("").astype(str).str.strip().str.upper()
        cut = free & (upper.str.len() == width)
        longer = free & (upper.str.len() > width)
        prefix = upper[longer].str[:width]
        owners = prefix.groupby(prefix).groups
        for i in s.index[cut]:
            hit = owners.get(upper[i])
            if hit is not None and len(hit) == 1:
                groups.join(s.at[hit[0], "supplier_key"], s.at[i, "supplier_key"], "truncated name")

    for key, target in forced.items():
        if key in groups.parent and target in groups.parent and target != key:
            groups.join(target, key, "override")

    root = pd.Series([groups.find(k) for k in keys], index=s.index)
    size = root.map(root.value_counts())
    listed = s[size > 1].assign(_root=root[size > 1])
    if listed.empty:
        return pd.DataFrame(columns=MERGE_COLUMNS)
    # The organisation's key: its member with the most spend, a retired "(DO NOT USE)" record last.
    listed = listed.assign(_retired=is_retired(listed["supplier_name"]))
    listed = listed.sort_values(
        ["_root", "_retired", "total_pence", "supplier_key"], ascending=[True, True, False, True]
    )
    listed["organisation_key"] = listed.groupby("_root")["supplier_key"].transform("first")
    listed["rule"] = [
        "kept" if k == o else groups.rule.get(k, "merged")
        for k, o in zip(listed["supplier_key"], listed["organisation_key"], strict=True)
    ]
    return listed[MERGE_COLUMNS].reset_index(drop=True)


def organisation_keys(supplier_keys: pd.Series, merges: pd.DataFrame) -> pd.Series:
    """Each supplier_key's organisation key (itself when it was not merged), in the keys' dtype.

    Looked up once per distinct key, not once per payment line.
    """
    codes, distinct = pd.factorize(supplier_keys)
    mapping = dict(zip(merges["supplier_key"], merges["organisation_key"], strict=False))
    # one entry per distinct key, and a last one that code -1 (a missing key) picks
    merged = np.array([*(mapping.get(k, k) for k in distinct), None], dtype=object)
    out = pd.Series(merged[codes], index=supplier_keys.index)
    return out.where(codes >= 0, supplier_keys).astype(supplier_keys.dtype)
