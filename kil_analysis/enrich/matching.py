"""Matching suppliers to register rows: ids first, then exact normalised name, then fuzzy.

Every match carries ``match_method`` (``id:company_number``, ``id:charity_number``, ``id:org_id``,
``exact name (legal entity)``, ``exact name``, ``exact name (abbreviations expanded)``,
``exact name (qualifier dropped)``,
``exact name (spacing ignored)``, ``truncated name``, ``fuzzy name``), a
``match_score`` (0–100; 100 for ids and exact names) and the
matched ``register_id``. Ambiguous matches — one exact key shared by registered organisations of
different types, or two fuzzy candidates within ``margin`` points of each other — are reported in
``ambiguous_candidates`` and not forced (no register evidence is taken from them).

Where several registers hold one name, the register of the *legal body* wins
(:func:`register_tier`): a statutory public body — council, police or fire service, government
organisation, NHS body (tier 0; a charity registered under a council's exact name is a trust the
council administers) — over a charity, society, academy trust or university (tier 1) over an
establishment list — schools, GP practices, police stations (tier 2) — over Companies House
(tier 3). Types that differ within the winning tier are
ambiguous. Bodies of one type and one register that share a name at different addresses (St
Mary's Primary School is in dozens of towns) leave the address open: every postcode is kept in
``postcode_candidates`` and the supplier is placed only by one inside the council
(:func:`kil_analysis.enrich.suppliers.enrich_suppliers_and_merges`).

A name with a qualifier in brackets or after a dash ("STOCKPORT MBC (ACCTS
RECEIVABLE)", "ACME - SALES LEDGER") is tried again without it; a long name that may have been
cut at a fixed field width is matched to the single register name it begins.

Fuzzy matching compares only within blocks of names that share their first significant word
(after legal-form words are dropped), with rapidfuzz ``process.cdist`` (``token_sort_ratio``) on
each block: no Python loop over suppliers × register rows, and for a register of millions of rows
only the rows of the blocks in play are read (DuckDB semi-join on the Parquet file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kil_analysis.enrich.legal_entity import LEGAL_ENTITY
from kil_analysis.enrich.locality import postcode_keys
from kil_analysis.readers.registers.shape import ORG_COLUMNS, Registers

# What a match carries: the register's organisation fields, plus how it was matched.
MATCH_COLUMNS = [
    "register_id",
    "match_method",
    "match_score",
    *(c for c in ORG_COLUMNS if c not in {"register_id", "name", "match_key", "active"}),
    "ambiguous_candidates",
    "postcode_candidates",
    "register_id_candidates",  # the bodies of postcode_candidates, in the same order
]
FUZZY_THRESHOLD = 90
FUZZY_MARGIN = 3
MAX_CELLS = 40_000_000  # score-matrix cells per cdist call (uint8: 40 MB)
MAX_CANDIDATE_ROWS = 300_000  # register rows held in memory at once during fuzzy matching

_ORG_SELECT = ", ".join(f"o.{c}" for c in ORG_COLUMNS)


ESTABLISHMENT_KINDS = ("school", "gp_practice", "independent_school")
TRUNCATED_MIN_LENGTH = 30  # names at least this long (as published) may be cut at a field width


STATUTORY_PREFIXES = ("GB-LAE-", "GB-POLICE-", "GB-FIRE-", "GB-GOR-", "GB-NHS-")


def register_tier(found: pd.DataFrame) -> pd.Series:
    """0 statutory public bodies (councils, police, fire, government, NHS), 1 charities,
    societies and other registered bodies, 2 establishment lists and government bodies'
    derived initialisms, 3 Companies House."""
    kind = (
        found["public_kind"].fillna("")
        if "public_kind" in found
        else pd.Series("", index=found.index)
    )
    rid = found["register_id"].fillna("")
    tier = pd.Series(1, index=found.index)
    tier = tier.mask(rid.str.startswith("GB-COH-") & ~kind.eq("academy_trust"), 3)
    tier = tier.mask(kind.isin(ESTABLISHMENT_KINDS), 2)
    if "register" in found:
        tier = tier.mask(found["register"].fillna("").eq("police stations"), 2)
    statutory = rid.str.startswith(STATUTORY_PREFIXES) & ~kind.isin(ESTABLISHMENT_KINDS)
    tier = tier.mask(statutory & tier.eq(1), 0)
    if "register" in found and "org_type_confidence" in found:
        # A government body's initialism that kil derives from its name ("DISC" for the Defence
        # Intelligence and Security Centre, read_govuk_organisations) is no register's name for
        # it: a charity or society registered under that word is the better evidence.
        derived = found["register"].fillna("").eq("GOV.UK organisations")
        derived &= pd.to_numeric(found["org_type_confidence"], errors="coerce").lt(0.95)
        tier = tier.mask(derived, 2)
    return tier


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["supplier_key", *MATCH_COLUMNS])


def _normalise_company_number(s: pd.Series) -> pd.Series:
    s = s.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    s = s.str.replace(r"^GBCOH", "", regex=True)
    return s.where(~s.str.fullmatch(r"\d{1,8}").fillna(False), s.str.zfill(8)).replace("", pd.NA)


def _normalise_charity_number(s: pd.Series) -> pd.Series:
    s = s.astype("string").str.upper().str.replace(r"^GB-?CHC-?", "", regex=True)
    return s.str.extract(r"(\d{6,8})")[0]


def match_ids(ids: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Match on identifiers published with the spend (one row per supplier_key at most).

    ``ids`` has supplier_key and any of company_number, charity_number, org_id (360Giving/OCDS
    style "GB-COH-…"/"GB-CHC-…"/"GB-MPR-…"). Charity numbers beat company numbers (a charitable
    company is first a charity for Keep it Local purposes).
    """
    frames = []
    con = registers.connect()
    specs = []
    if "charity_number" in ids:
        specs.append(("charity_number", _normalise_charity_number(ids["charity_number"])))
    if "org_id" in ids:
        specs.append(("register_id", ids["org_id"].astype("string").str.upper().str.strip()))
    if "company_number" in ids:
        specs.append(("company_number", _normalise_company_number(ids["company_number"])))
    for column, values in specs:
        wanted = pd.DataFrame({"supplier_key": ids["supplier_key"], "value": values}).dropna()
        wanted = wanted.drop_duplicates()
        if wanted.empty:
            continue
        con.register("wanted", wanted)
        found = con.execute(
            f"SELECT w.supplier_key, {_ORG_SELECT} FROM wanted w JOIN orgs o "
            f"ON o.{column} = w.value"
        ).df()
        if found.empty:
            continue
        # Prefer charity rows (they carry the charity id and income band), then active.
        found["_rank"] = found["register_id"].str.startswith("GB-CHC").astype(int) * 2
        found["_rank"] += found["active"].fillna(False).astype(int)
        found = found.sort_values(
            ["supplier_key", "_rank", "register_id"], ascending=[True, False, True]
        )
        found = found.drop_duplicates("supplier_key")
        method = "org_id" if column == "register_id" else column
        found["match_method"] = f"id:{method}"
        found["match_score"] = 100
        frames.append(found)
    con.close()
    if not frames:
        return _empty()
    out = pd.concat(frames, ignore_index=True).drop_duplicates("supplier_key")
    out["ambiguous_candidates"] = None
    out["postcode_candidates"] = None
    out["register_id_candidates"] = None
    return out[["supplier_key", *MATCH_COLUMNS]]


def _best_of(found: pd.DataFrame, method: str) -> pd.DataFrame:
    """Collapse several register rows per supplier: best tier, then charity rows, then active;
    differing types within the best tier are reported as ambiguous."""
    found = found.copy()
    found["_tier"] = register_tier(found)
    found["_rank"] = found["register_id"].str.startswith("GB-CHC").astype(int) * 2
    found["_rank"] += found["active"].fillna(False).astype(int)
    # among rows of one body (a charity in several lists), the one that carries its address
    found["_placed"] = found["postcode"].notna().astype(int)
    found = found.sort_values(
        ["supplier_key", "_tier", "_rank", "register_id", "_placed", "name"],
        ascending=[True, True, False, True, False, True],
    )
    top = found.groupby("supplier_key")["_tier"].transform("min")
    found = found[found["_tier"] == top]
    live = found[found["active"].fillna(False).astype(bool)]
    basis = pd.concat([live, found[~found["supplier_key"].isin(live["supplier_key"])]])
    types = basis.groupby("supplier_key")["org_type"].nunique(dropna=False)
    ids = basis.groupby("supplier_key")["register_id"].agg(lambda s: "; ".join(s.unique()[:5]))
    best = basis.drop_duplicates("supplier_key").set_index("supplier_key")
    best["match_method"] = method
    best["match_score"] = 100
    best["ambiguous_candidates"] = None
    clash = types[types > 1].index
    best.loc[clash, "ambiguous_candidates"] = ids[clash]
    shared = _shared_name_postcodes(found, best)
    best["postcode_candidates"] = shared["postcode_candidates"]
    best["register_id_candidates"] = shared["register_id_candidates"]
    return best.reset_index()[["supplier_key", *MATCH_COLUMNS]]


def _shared_name_postcodes(found: pd.DataFrame, best: pd.DataFrame) -> pd.DataFrame:
    """Postcodes of the bodies of the best row's register that share its name, open or closed
    (a payment may predate a closure), and those bodies' register ids: columns
    ``postcode_candidates`` and ``register_id_candidates``, "; "-joined in the same order, where
    there is more than one address (else None); ``found`` holds the best tier's rows, ``best`` is
    indexed by supplier_key.

    The name alone does not say which of them the council paid, so the best row's postcode is
    not taken as the supplier's address (a council pays its own school, not the one of the same
    name 200 miles away). Postcodes are compared as :func:`kil_analysis.enrich.locality.
    postcode_keys` reads them; an invalid one places nothing and is not a candidate."""
    same = found[found["register"].eq(found["supplier_key"].map(best["register"]))]
    same = same.assign(_pc=postcode_keys(same["postcode"]))
    same = same[same["_pc"].notna()].drop_duplicates(["supplier_key", "_pc"])
    per = same.groupby("supplier_key").agg(
        postcode_candidates=("postcode", list), register_id_candidates=("register_id", list)
    )
    per = per[per["postcode_candidates"].map(len) > 1].map("; ".join)
    out = per.reindex(best.index).astype(object)
    return out.where(out.notna(), None)


def match_exact(
    keys: pd.DataFrame, registers: Registers, column: str = "match_key", method: str = "exact name"
) -> pd.DataFrame:
    """Exact match of ``column`` (a legal-form-insensitive key) against registers' match keys.

    When several register rows share the key they are collapsed by :func:`_best_of`.
    """
    if column not in keys:
        return _empty()
    wanted = keys[["supplier_key", column]].dropna().drop_duplicates()
    wanted = wanted.rename(columns={column: "match_key"})
    wanted = wanted[wanted["match_key"] != ""]
    if wanted.empty:
        return _empty()
    found = _joined(wanted, registers, "USING (match_key)")
    return _best_of(found, method) if len(found) else _empty()


def _joined(wanted: pd.DataFrame, registers: Registers, join: str) -> pd.DataFrame:
    """Every register row (``o``) that ``join`` pairs with a wanted key (``w``), with its
    supplier_key: ``join`` is the SQL after ``FROM wanted w JOIN orgs o``."""
    con = registers.connect()
    try:
        con.register("wanted", wanted)
        return con.execute(
            f"SELECT w.supplier_key, {_ORG_SELECT} FROM wanted w JOIN orgs o {join}"
        ).df()
    finally:
        con.close()


# Words a register name may carry that a finance system leaves off: "HUMANKIND CHARITY" is paid
# as "HUMANKIND"; a charity whose trustees are incorporated under the Charities Act is
# registered as "NUGENT CARE TRUSTEES (INCORPORATED)" and paid as "NUGENT CARE".
REGISTER_TAIL = r" (?:THE )?(?:CHARITY|TRUSTEES)$"
MIN_SPACED_KEY = 8  # letters a key must keep for the spacing-ignored match


def match_variant(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Exact match with spacing ignored and a register's "… CHARITY"/"… TRUSTEES" tail dropped.

    Method ``exact name (spacing ignored)``. Finance systems run words together to fit a field
    ("HOUSING21" for "HOUSING 21", "HOSPITALTRUST") and leave off what a charity's registered
    name ends with. Keys are compared with every space removed; only keys of at least
    :data:`MIN_SPACED_KEY` letters are tried, and :func:`_best_of` reports a key that meets
    organisations of different types as ambiguous.
    """
    wanted = keys[["supplier_key", "match_key"]].dropna().drop_duplicates("supplier_key").copy()
    wanted["flat"] = wanted["match_key"].str.replace(" ", "", regex=False)
    wanted = wanted[wanted["flat"].str.len() >= MIN_SPACED_KEY][["supplier_key", "flat"]]
    if wanted.empty:
        return _empty()
    flat_register_key = f"replace(regexp_replace(o.match_key, '{REGISTER_TAIL}', ''), ' ', '')"
    found = _joined(wanted, registers, f"ON w.flat = {flat_register_key}")
    return _best_of(found, "exact name (spacing ignored)") if len(found) else _empty()


def match_truncated(keys: pd.DataFrame, registers: Registers) -> pd.DataFrame:
    """Long names (``raw_length`` ≥ :data:`TRUNCATED_MIN_LENGTH`) matched to the register names
    they begin — the name was cut at a fixed field width ("GREATER MANCHESTER COMBINED
    AUTHORI"). Taken only when every candidate is one organisation (one register id) or the
    best tier agrees on the type; blocked on the first word."""
    if "raw_length" not in keys:
        return _empty()
    wanted = keys[keys["raw_length"] >= TRUNCATED_MIN_LENGTH][["supplier_key", "match_key"]]
    wanted = wanted.dropna().drop_duplicates("supplier_key")
    wanted = wanted[wanted["match_key"].str.len() >= 12].copy()
    if wanted.empty:
        return _empty()
    wanted["block"] = _first_token(wanted["match_key"])
    found = _joined(
        wanted,
        registers,
        "ON split_part(o.match_key, ' ', 1) = w.block "
        "AND starts_with(o.match_key, w.match_key) AND o.match_key <> w.match_key",
    )
    if found.empty:
        return _empty()
    found["_tier"] = register_tier(found)
    found = found[found["_tier"] == found.groupby("supplier_key")["_tier"].transform("min")]
    n_ids = found.groupby("supplier_key")["register_id"].transform("nunique")
    return _best_of(found[n_ids <= 3].drop(columns="_tier"), "truncated name")


def _first_token(match_key: pd.Series) -> pd.Series:
    return match_key.str.split(" ", n=1).str[0].fillna("")


def _score_block(
    queries: pd.DataFrame, choices: pd.DataFrame, threshold: int, margin: int
) -> list[pd.DataFrame]:
    """Best register candidate per query name within one block, with ambiguity flagged."""
    from rapidfuzz import fuzz, process

    results = []
    choice_keys = choices["match_key"].tolist()
    step = max(1, MAX_CELLS // max(1, len(choice_keys)))
    for start in range(0, len(queries), step):
        q = queries.iloc[start : start + step]
        scores = process.cdist(
            q["match_key"].tolist(),
            choice_keys,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold - margin,
            dtype=np.uint8,
            workers=-1,
        )
        order = np.argsort(scores, axis=1, kind="stable")[:, ::-1][:, :2]
        rows = np.arange(len(q))
        best = scores[rows, order[:, 0]]
        second = scores[rows, order[:, 1]] if scores.shape[1] > 1 else np.zeros_like(best)
        keep = best >= threshold
        if not keep.any():
            continue
        picked = choices.iloc[order[keep, 0]].reset_index(drop=True)
        runner = choices.iloc[order[keep, 1] if scores.shape[1] > 1 else order[keep, 0]]
        runner = runner.reset_index(drop=True)
        res = picked.copy()
        res["supplier_key"] = q["supplier_key"].to_numpy()[keep]
        res["match_score"] = best[keep].astype(int)
        close = (second[keep] >= best[keep].astype(int) - margin) & (second[keep] > 0)
        close &= (runner["register_id"] != picked["register_id"]).to_numpy()
        # one registered name held by two registers (a housing society in the FCA's and the
        # housing regulator's lists, under its full and short names) is one organisation
        close &= (runner["name"].str.upper() != picked["name"].str.upper()).to_numpy()
        res["ambiguous_candidates"] = np.where(
            close,
            picked["register_id"]
            + " "
            + picked["name"]
            + " | "
            + runner["register_id"]
            + " "
            + runner["name"],
            None,
        )
        results.append(res)
    return results


def _block_batches(counts: pd.Series, limit: int) -> list[list[str]]:
    """Group blocks so that each batch fetches at most ``limit`` register rows (a single block
    larger than the limit is a batch of its own)."""
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for block, n in counts.sort_index().items():
        if current and size + n > limit:
            batches.append(current)
            current, size = [], 0
        current.append(block)
        size += int(n)
    if current:
        batches.append(current)
    return batches


def match_fuzzy(
    keys: pd.DataFrame,
    registers: Registers,
    threshold: int = FUZZY_THRESHOLD,
    margin: int = FUZZY_MARGIN,
    max_candidates: int = MAX_CANDIDATE_ROWS,
) -> pd.DataFrame:
    """Fuzzy match (rapidfuzz token_sort_ratio ≥ ``threshold``) blocked by first word.

    A best candidate is ambiguous when a different organisation scores within ``margin`` of it;
    ambiguous rows carry ``ambiguous_candidates`` and no register fields. Register rows are
    fetched from DuckDB a batch of blocks at a time (at most ``max_candidates`` rows, unless one
    block alone is larger), so memory stays bounded however large the register is.
    """
    wanted = keys[["supplier_key", "match_key"]].dropna().drop_duplicates("supplier_key")
    wanted = wanted[wanted["match_key"].str.len() >= 4].copy()
    if wanted.empty:
        return _empty()
    wanted["block"] = _first_token(wanted["match_key"])
    con = registers.connect()
    try:
        con.register("blocks", pd.DataFrame({"block": wanted["block"].unique()}))
        counts = con.execute(
            "SELECT split_part(match_key, ' ', 1) AS block, count(*) AS n FROM orgs "
            "WHERE match_key <> '' AND split_part(match_key, ' ', 1) IN (SELECT block FROM blocks) "
            "GROUP BY 1"
        ).df()
        results = []
        for batch in _block_batches(counts.set_index("block")["n"], max_candidates):
            con.register("batch", pd.DataFrame({"block": batch}))
            cand = con.execute(
                f"SELECT {_ORG_SELECT}, split_part(o.match_key, ' ', 1) AS block FROM orgs o "
                "WHERE o.match_key <> '' "
                "AND split_part(o.match_key, ' ', 1) IN (SELECT block FROM batch)"
            ).df()
            cand = cand.sort_values(
                ["active", "match_key", "register_id"], ascending=[False, True, True]
            ).drop_duplicates(["match_key", "org_type"])
            cand = cand.reset_index(drop=True)
            groups = cand.groupby("block", sort=False).indices
            todo = wanted[wanted["block"].isin(groups.keys())]
            for block, rows in todo.groupby("block", sort=False).indices.items():
                choices = cand.iloc[groups[block]]
                results += _score_block(todo.iloc[rows], choices, threshold, margin)
    finally:
        con.close()
    if not results:
        return _empty()
    out = pd.concat(results, ignore_index=True)
    out["match_method"] = "fuzzy name"
    out["postcode_candidates"] = None
    out["register_id_candidates"] = None
    return out[["supplier_key", *MATCH_COLUMNS]]


def match_suppliers(
    keys: pd.DataFrame,
    registers: Registers,
    ids: pd.DataFrame | None = None,
    fuzzy: bool = True,
) -> pd.DataFrame:
    """Best register match per supplier_key: id > the legal entity's exact name (``entity_key``:
    the operator in brackets, or the legal name before a ledger tag) > exact name > exact name
    with finance-system
    abbreviations expanded (``expanded_key``) > exact name with the qualifier dropped
    (``core_key``) > exact name with spacing ignored (:func:`match_variant`) > truncated
    name (``raw_length``) > fuzzy name (one row each).

    ``keys`` has supplier_key and match_key (optionally entity_key, expanded_key, core_key and
    raw_length); ``ids``
    optionally the identifiers (see match_ids). Rows whose best evidence is ambiguous keep
    ``ambiguous_candidates`` and the method, but their register fields are blanked so nothing
    is forced. ``fuzzy`` False leaves fuzzy matching out.
    """
    parts = []
    done: set[str] = set()

    def add(found: pd.DataFrame) -> None:
        nonlocal done
        parts.append(found)
        done |= set(found["supplier_key"])

    if ids is not None and not ids.empty:
        add(match_ids(ids, registers))
    # the payee's legal entity, where the name's shape says which part it is ("<home>
    # (<OPERATOR> LTD)", "<legal name> LTD (<tag>)": :mod:`kil_analysis.enrich.legal_entity`)
    add(
        match_exact(
            keys[~keys["supplier_key"].isin(done)],
            registers,
            column="entity_key",
            method=LEGAL_ENTITY,
        )
    )
    add(match_exact(keys[~keys["supplier_key"].isin(done)], registers))
    add(
        match_exact(
            keys[~keys["supplier_key"].isin(done)],
            registers,
            column="expanded_key",
            method="exact name (abbreviations expanded)",
        )
    )
    add(
        match_exact(
            keys[~keys["supplier_key"].isin(done)],
            registers,
            column="core_key",
            method="exact name (qualifier dropped)",
        )
    )
    add(match_variant(keys[~keys["supplier_key"].isin(done)], registers))
    add(match_truncated(keys[~keys["supplier_key"].isin(done)], registers))
    if fuzzy:
        add(match_fuzzy(keys[~keys["supplier_key"].isin(done)], registers))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return _empty()
    out = pd.concat(parts, ignore_index=True).drop_duplicates("supplier_key")
    return blank_ambiguous(out)


def blank_ambiguous(found: pd.DataFrame) -> pd.DataFrame:
    """Matches whose best evidence is ambiguous keep ``ambiguous_candidates`` and the method,
    with their register fields blanked so nothing is forced."""
    out = found.copy()
    amb = out["ambiguous_candidates"].notna()
    blank = [
        c for c in MATCH_COLUMNS if c not in ("match_method", "match_score", "ambiguous_candidates")
    ]
    out[blank] = out[blank].astype(object)
    out.loc[amb, blank] = None
    return out.reset_index(drop=True)
