"""How many real supplier names does each rule fire on, and how often does it fire wrongly?

Run: .venv/bin/python benchmarks/rule_audit.py [--json]

Reads every shared spend file (../shared/data/spend: Newcastle, Gateshead, Devon, Trafford),
takes the distinct published supplier names, and prints:

1. for each entry of ``name_rules.ABBREVIATIONS`` (and each word the vowel-dropped rule
   restores) and ``known_organisations.csv``: the distinct
   names it matches, the councils they come from, and (known organisations) whether a shared
   register already holds the name. An entry that matches one name in one council's files exists
   for that name, not for how finance systems write names: it should be justified or dropped;
2. for each name rule (``name_rules.RULES``, first match wins, as the classifier reads them):
   the distinct names it decides, per council, and — on Devon's coded files, where the council
   gives each creditor a type — how many of the coded names it fires on and how many of those
   Devon codes as another type (VCSE CIC/CHTY/VCS/VH/CHU, public WGA/UNI/EDUC/PRSH, private
   LTD/PLC/LLP, individual SOLE; other codes are not compared). Devon's codes are noisy
   (community pre-schools coded WGA, charitable companies LTD), so a disagreement is a name to
   read, not proof of a wrong rule;
3. the register-matching rules that are not name rules (exact match with finance-system
   abbreviations expanded; spacing-ignored exact match; a
   one-word charity or public body name not taken for a company; initials held only as a
   charity's working name, not evidence alone; a charity's own company by the charity's name;
   a council's statutory name beating a charity registered under it; a council's name with its
   kind words shortened; an academy under its trust's name; a government body's name not taken
   for a company; a payment's "RE …" and a former name as qualifiers; a payee's account tail,
   "… LIMITED RENT A/C", dropped; the payee's legal entity, a bracketed operator or the legal
   name before a ledger tag, matched on its own; a VCSE register name with a place or the kind
   of body after it, or without the register's bracket), counted the same way.

Examples are drawn only from the calibration councils' and Devon's files, never from
Newcastle's (its 2019/20 top 300 is the held-out truth set).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kil_analysis.enrich.keys import match_keys, name_keys  # noqa: E402
from kil_analysis.enrich.name_rules import (  # noqa: E402
    ABBREVIATIONS,
    VOWEL_DROPPED_WORDS,
    apply_name_rules,
    known_organisations,
    match_known_organisations,
    plain_text,
    restore_vowel_dropped,
    rule_text,
)
from kil_analysis.paths import shared_data_dir  # noqa: E402
from kil_analysis.readers.spend import ingest_spend  # noqa: E402

COUNCILS = {
    "newcastle": ["spend/newcastle/raw", "spend/newcastle/odileeds_clean"],
    "gateshead": ["spend/gateshead/odileeds_clean"],
    "devon": ["spend/devon"],
    "trafford": ["spend/trafford"],
}


HELD_OUT = "newcastle"  # never an example from its files
DEVON_TYPES = {
    **dict.fromkeys(("CIC", "CHTY", "VCS", "VH", "CHU"), "vcse"),
    **dict.fromkeys(("WGA", "UNI", "EDUC", "PRSH"), "public"),
    **dict.fromkeys(("LTD", "PLC", "LLP"), "private"),
    "SOLE": "individual",
}


def example(names: pd.DataFrame, hit: pd.Series) -> str:
    """One matched name from a council other than the held-out one ("" when none)."""
    shown = names.loc[np.asarray(hit) & names["council"].ne(HELD_OUT).to_numpy(), "name"]
    return str(shown.iloc[0]) if len(shown) else ""


def devon_codes(root: Path) -> pd.Series:
    """Devon's own creditor type per coded supplier name, as an org type (name → type)."""
    from kil_analysis.enrich.evaluation import devon_coded_names

    coded = devon_coded_names(root)
    coded = coded.assign(org_type=coded["code"].map(DEVON_TYPES)).dropna(subset=["org_type"])
    coded = coded.drop_duplicates("name", keep=False)  # a name coded two ways says nothing
    return coded.set_index("name")["org_type"]


def firing_table(names: pd.DataFrame, fired: pd.Series, says: pd.Series, codes: pd.Series):
    """Per rule: distinct names it fires on, per council, and its agreement with Devon's codes.

    ``fired`` names the rule (None where it did not fire) and ``says`` the org type it gives,
    both aligned with ``names``.
    """
    frame = names.assign(rule=fired.to_numpy(), says=says.to_numpy())
    frame = frame.dropna(subset=["rule"])
    frame["devon_code"] = frame["name"].map(codes).where(frame["council"].eq("devon"))
    rows = []
    for rule, group in frame.groupby("rule", sort=False):
        coded = group.dropna(subset=["devon_code"])
        row = {"rule": rule, "names": len(group), "councils": group["council"].nunique()}
        for council in COUNCILS:
            row[council] = int(group["council"].eq(council).sum())
        row["devon_coded"] = len(coded)
        row["devon_disagree"] = int(coded["devon_code"].ne(coded["says"]).sum())
        row["example"] = example(names, names.index.isin(group.index))
        rows.append(row)
    return pd.DataFrame(rows).sort_values("names", ascending=False)


def name_rule_counts(names: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """:func:`firing_table` for every name rule (first match wins, as the classifier reads)."""
    rules = apply_name_rules(names["name"])
    fired = rules["rule"].where(~rules["rule"].fillna("").str.startswith("known organisation"))
    fired = fired.where(fired.notna() | rules["rule"].isna(), "known organisation")
    return firing_table(names, fired, rules["org_type"], codes)


def register_rule_counts(names: pd.DataFrame, registers, codes: pd.Series) -> pd.DataFrame:
    """:func:`firing_table` for the register-matching rules that are not name rules."""
    from kil_analysis.enrich.classify import (
        STATUTORY_COUNCIL,
        WEAK_WORKING_NAME_LETTERS,
        classify_suppliers,
        core_names,
        expanded_keys,
        match_own_companies,
        other_names_only,
        own_company_keys,
        register_names_carry_forms,
    )
    from kil_analysis.enrich.council_names import shortened_council_matches
    from kil_analysis.enrich.matching import match_exact, match_variant
    from kil_analysis.enrich.public_names import academy_by_trust_matches

    keys = pd.DataFrame({"supplier_key": names.index.astype(str)})
    keys["match_key"] = match_keys(name_keys(names["name"])).to_numpy()
    exact = match_exact(keys, registers)
    found = set(exact["supplier_key"])
    keys["expanded_key"] = expanded_keys(names["name"], keys["match_key"]).to_numpy()
    expanded = match_exact(
        keys[~keys["supplier_key"].isin(found)], registers, "expanded_key", "expanded"
    )
    expanded = expanded[expanded["ambiguous_candidates"].isna()].set_index("supplier_key")
    found |= set(expanded.index)
    variant = match_variant(keys[~keys["supplier_key"].isin(found)], registers)
    variant = variant[variant["ambiguous_candidates"].isna()].set_index("supplier_key")
    fired = pd.Series(None, index=keys["supplier_key"], dtype=object)
    says = pd.Series(None, index=keys["supplier_key"], dtype=object)
    fired[expanded.index] = "exact name (abbreviations expanded)"
    fired[variant.index] = "exact name (spacing ignored)"
    one_word = exact[
        exact["org_type"].isin(["vcse", "public"]) & exact["ambiguous_candidates"].isna()
    ]
    one_word = one_word.set_index("supplier_key")
    mk = keys.set_index("supplier_key")["match_key"]
    one_word = one_word[~mk.reindex(one_word.index).str.contains(" ", na=False)]
    pos = one_word.index.astype(int)
    backed = register_names_carry_forms(
        names["name"].iloc[pos].set_axis(one_word.index), mk.reindex(one_word.index), registers
    )
    guarded = backed.index[~backed]
    fired[guarded] = "one-word charity or public name not taken for a company"
    # a GOV.UK organisation's name in a name with a company form its list names do not carry
    # ("ROYAL MAIL GROUP PLC": the body was sold)
    gov = exact[
        exact["register_id"].fillna("").str.startswith("GB-GOR-")
        & exact["ambiguous_candidates"].isna()
    ].set_index("supplier_key")
    gov = gov[mk.reindex(gov.index).str.contains(" ", na=False)]
    gov_backed = register_names_carry_forms(
        names["name"].iloc[gov.index.astype(int)].set_axis(gov.index),
        mk.reindex(gov.index),
        registers,
    )
    fired[gov_backed.index[~gov_backed]] = "government body's name not taken for a company"
    # initials a charity calls itself, held by no other register: not evidence alone ("IBM")
    short = one_word[one_word["org_type"].eq("vcse")]
    short_key = mk.reindex(short.index)
    short_key = short_key[short_key.str.len().le(WEAK_WORKING_NAME_LETTERS)]
    weak = short_key.index[other_names_only(short_key, registers).to_numpy()]
    weak = weak.difference(guarded)  # a company form in the name is read first
    fired[weak] = "initials held only as a charity's working name: not evidence alone"
    # a charity's own company, where nothing matched the whole name
    unmatched = ~keys["supplier_key"].isin(found | set(variant.index)).to_numpy()
    own_keys = keys.loc[unmatched, ["supplier_key", "match_key"]].copy()
    own_keys["own_key"] = own_company_keys(
        rule_text(names["name"][unmatched]), own_keys["match_key"].set_axis(own_keys.index)
    ).to_numpy()
    own = match_own_companies(own_keys.dropna(subset=["own_key"]), registers)
    fired[own["supplier_key"]] = "charity's own company"
    charity = exact[exact["register_id"].fillna("").str.startswith("GB-CHC-")]
    council = names["name"].iloc[charity["supplier_key"].astype(int)].str.upper()
    council = charity["supplier_key"][council.str.contains(STATUTORY_COUNCIL).to_numpy()]
    fired[council] = "statutory council name beats a charity's exact name"
    # a council under its register name with its kind words shortened (MID DEVON DST CNL):
    # counted where no exact match answered, as the classifier tries it
    open_ = ~keys["supplier_key"].isin(found | set(variant.index)).to_numpy()
    core = rule_text(core_names(names["name"][open_]))
    shortened = shortened_council_matches(core, registers).dropna()
    fired[shortened.index.astype(str)] = "council name shortened"
    # an academy under its trust's name (TED WRAGG ST JAMES), tried the same way
    academy = academy_by_trust_matches(core, registers).dropna()
    academy = academy[~academy.index.isin(shortened.index)]
    fired[academy.index.astype(str)] = "academy named by its trust"
    # a payment in respect of something ("… RE <home>") or a former name ("… FORMERLY …")
    # dropped as a qualifier: the names whose core name these two add
    from kil_analysis.enrich.classify import FORMER_NAME, IN_RESPECT_OF

    respect = names["name"].str.contains(IN_RESPECT_OF, regex=True).to_numpy()
    formerly = names["name"].str.contains(FORMER_NAME, case=False, regex=True).to_numpy()
    fired[keys["supplier_key"][respect & fired.isna().to_numpy()]] = "qualifier: in respect of"
    fired[keys["supplier_key"][formerly & fired.isna().to_numpy()]] = "qualifier: former name"
    # the payee's account tail ("… LIMITED RENT A/C", "… LTD INVOICE PAYMENTS") dropped before
    # the rules and registers read the name
    from kil_analysis.enrich.name_rules import ACCOUNT_TAIL

    plain = plain_text(names["name"].str.replace("A/C", " ACCOUNT ", case=False, regex=False))
    tail = plain.str.contains(ACCOUNT_TAIL, regex=True).to_numpy()
    fired[keys["supplier_key"][tail & fired.isna().to_numpy()]] = "payee's account tail dropped"
    # the payee's legal entity matched on its own: the operator in brackets ("<home> (<OPERATOR>
    # LTD)") or the legal name before a ledger tag ("<x> LTD (SP)", "<x> LTD T/A <y>"), counted
    # where the whole name met no register
    from kil_analysis.enrich.legal_entity import LEGAL_ENTITY, legal_entity_keys

    keys["entity_key"] = legal_entity_keys(
        names["name"].set_axis(keys.index), keys["match_key"]
    ).to_numpy()
    entity = match_exact(keys[~keys["supplier_key"].isin(found)], registers, "entity_key")
    entity = entity[entity["ambiguous_candidates"].isna()]
    fired[entity["supplier_key"]] = LEGAL_ENTITY
    # a VCSE body's register name with a place or the kind of body after it, or without the
    # register's bracket (kil_analysis.enrich.branch_names): where the classifier takes them
    from kil_analysis.enrich.branch_names import METHODS as VARIANT_METHODS

    read = classify_suppliers(names["name"], registers).set_index("supplier_name")["evidence"]
    read = read.reindex(names["name"].str.strip()).fillna("").to_numpy()
    for method in VARIANT_METHODS:
        took = pd.Series(read, index=keys["supplier_key"]).str.endswith(f"({method})")
        fired[took[took].index] = method
    # what the classifier finally reads for the names these rules fire on
    hit = fired.notna().to_numpy()
    final = classify_suppliers(names["name"][hit], registers)
    says[hit] = (
        final.set_index("supplier_name")["org_type"]
        .reindex(names["name"][hit].str.strip())
        .to_numpy()
    )
    return firing_table(names, fired.reset_index(drop=True), says.reset_index(drop=True), codes)


def payee_rule_counts(names: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """:func:`firing_table` for :mod:`kil_analysis.enrich.payee_rules` (read before the name
    rules; redacted names are not in ``names``, so the commercial-redaction rule is not
    counted here)."""
    from kil_analysis.enrich.payee_rules import read_payees

    readings = read_payees(names["name"], pd.Series(False, index=names.index))
    fired = readings["evidence"].str.removeprefix("name rule: ")
    return firing_table(names, fired, readings["org_type"], codes)


def shared_names(root: Path) -> pd.DataFrame:
    """Distinct (council, supplier name) pairs from every shared spend file, redactions out."""
    frames = []
    for council, folders in COUNCILS.items():
        paths = [root / f for f in folders if (root / f).is_dir()]
        if not paths:
            continue
        spend = ingest_spend(paths).spend
        names = spend.loc[~spend["is_redacted"], "supplier_name"].dropna().drop_duplicates()
        frames.append(pd.DataFrame({"council": council, "name": names.to_numpy()}))
    return pd.concat(frames, ignore_index=True).drop_duplicates()


def abbreviation_counts(names: pd.DataFrame) -> pd.DataFrame:
    """Distinct names and councils per abbreviation (whole word in the plain name)."""
    plain = plain_text(names["name"])
    rows = []
    for short, full in ABBREVIATIONS.items():
        hit = plain.str.contains(rf"\b{re.escape(short)}\b", regex=True)
        rows.append(
            {
                "abbreviation": short,
                "expands_to": full,
                "names": int(hit.sum()),
                "councils": int(names.loc[hit, "council"].nunique()),
                "example": example(names, hit),
            }
        )
    # the vowel-dropped rule (one general rule, not a list): each word it restores
    restored = restore_vowel_dropped(plain)
    for word in VOWEL_DROPPED_WORDS:
        hit = restored.str.contains(rf"\b{word}\b") & ~plain.str.contains(rf"\b{word}\b")
        if hit.any():
            rows.append(
                {
                    "abbreviation": f"(vowels dropped) {word}",
                    "expands_to": word,
                    "names": int(hit.sum()),
                    "councils": int(names.loc[hit, "council"].nunique()),
                    "example": example(names, hit),
                }
            )
    return pd.DataFrame(rows).sort_values(["names", "abbreviation"])


def known_counts(names: pd.DataFrame, registers) -> pd.DataFrame:
    """Distinct names and councils per known organisation, and whether a register holds it."""
    found = match_known_organisations(rule_text(names["name"]))
    table = known_organisations()
    held = set()
    if registers is not None and len(registers.organisations):
        keys = match_keys(name_keys(table["name"]))
        held = set(table.loc[keys.isin(set(registers.organisations["match_key"])), "name"])
    rows = []
    for name in table["name"]:
        hit = found["name"].eq(name)
        rows.append(
            {
                "known_organisation": name,
                "names": int(hit.sum()),
                "councils": int(names.loc[hit.to_numpy(), "council"].nunique()),
                "in_shared_register": name in held,
            }
        )
    return pd.DataFrame(rows).sort_values(["names", "known_organisation"])


def main() -> int:
    from kil_analysis.enrich import load_registers

    root = shared_data_dir()
    if not (root / "spend").is_dir():
        print(f"skipped: {root}/spend not available")
        return 0
    names = shared_names(root)
    registers = load_registers(root / "registers", root / "lookups")
    names = names.reset_index(drop=True)
    abbreviations = abbreviation_counts(names)
    known = known_counts(names, registers)
    codes = devon_codes(root)
    rules = name_rule_counts(names, codes)
    register_rules = register_rule_counts(names, registers, codes)
    payee_rules = payee_rule_counts(names, codes)
    if "--json" in sys.argv:
        print(
            json.dumps(
                {
                    "abbreviations": abbreviations.to_dict("records"),
                    "known": known.to_dict("records"),
                    "name_rules": rules.to_dict("records"),
                    "register_rules": register_rules.to_dict("records"),
                    "payee_rules": payee_rules.to_dict("records"),
                },
                indent=1,
            )
        )
        return 0
    print(f"{len(names):,} distinct names in {names['council'].nunique()} councils' files")
    with pd.option_context("display.width", 250, "display.max_rows", 500):
        print(abbreviations.to_string(index=False))
        print(known.to_string(index=False))
        print("== name rules (first match wins); devon_disagree: Devon codes another type")
        print(rules.to_string(index=False))
        print("== register-matching rules")
        print(register_rules.to_string(index=False))
        print("== payee rules (read before the name rules)")
        print(payee_rules.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
