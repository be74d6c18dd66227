"""Evaluating the supplier classifier against evidence it did not use.

Shared by ``benchmarks/classify_eval.py`` (prints figures) and the back-tests in
``tests/test_classify_devon.py``:

- Devon County Council's own Creditor Type codes on its published spend (2011-01, 2017-03,
  2024-03 files; later files use coarse categories): CIC/CHTY/VCS/VH/CHU should read as vcse,
  WGA/UNI/EDUC as public (and PRSH, parish and town councils, in a second public figure). One
  count per distinct supplier name, redacted names excluded. The codes are noisy (many
  charitable companies are coded LTD, community pre-schools WGA). Rules are calibrated on
  :data:`DEVON_CALIBRATION_FILES` (2011-01, 2017-03); :data:`DEVON_HELD_OUT_FILES` (2024-03) is
  the unseen month, scored in aggregate only.
- A hand-checked sample of 100 Devon names with the reasoning per name
  (tests/fixtures/enrich/devon_hand_checked.csv): precision and recall per org type.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kil_analysis.enrich.classify import classify_suppliers
from kil_analysis.enrich.keys import name_keys

VCSE_CODES = ("CIC", "CHTY", "VCS", "VH", "CHU")
PUBLIC_CODES = ("WGA", "UNI", "EDUC")
# Parish and town councils: public bodies outside the Whole of Government Accounts, which
# Devon codes on their own (72 of the 73 PRSH names of 2011-01 and 2017-03 are parish or town
# councils or a parish meeting).
PARISH_CODES = ("PRSH",)
# The coded Devon months (later files use coarse categories), split for calibration: rules are
# written against the calibration months; the held-out month is scored in aggregate only.
DEVON_CALIBRATION_FILES = ("DCCSpendingOver500_201101.csv", "DCCSpendingOver500_201703.csv")
DEVON_HELD_OUT_FILES = ("DCCSpendingOver500_202403.csv",)
DEVON_CODED_FILES = DEVON_CALIBRATION_FILES + DEVON_HELD_OUT_FILES


def devon_coded_names(root: Path, files: tuple[str, ...] = DEVON_CODED_FILES) -> pd.DataFrame:
    """Distinct (supplier name, creditor type) pairs from Devon's coded files, redactions out.

    ``files``: file names under ``root/spend/devon`` (default: every coded month).
    """
    frames = []
    for name in files:
        path = root / "spend" / "devon" / name
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", encoding_errors="replace")
        df.columns = [c.strip().lower() for c in df.columns]
        frames.append(df[["supplier name", "creditor type"]])
    df = pd.concat(frames).dropna()
    df.columns = ["name", "code"]
    df["name"] = df["name"].str.strip()
    df = df.drop_duplicates()
    return df[~df["name"].str.upper().str.contains(r"\bREDACTED\b")].reset_index(drop=True)


def recall_against_codes(df: pd.DataFrame, registers=None) -> dict[str, float]:
    """Share of Devon-coded VCSE / public names that the classifier reads the same way.

    Public recall is given three ways: on every public-coded name (WGA/UNI/EDUC), without the
    names the independent schools list holds (Devon codes those schools EDUC; the list says
    charity or company, which is what the classifier then reads), and with the parish and town
    councils Devon codes PRSH.
    """
    out = classify_suppliers(df["name"], registers)
    # names that share a key with an earlier spelling take that row's answer
    rows = out.set_index("supplier_key")
    keys = name_keys(df["name"])
    df = df.assign(org_type=keys.map(rows["org_type"]), public_kind=keys.map(rows["public_kind"]))
    vcse = df[df["code"].isin(VCSE_CODES)]
    public = df[df["code"].isin(PUBLIC_CODES)]
    with_parish = df[df["code"].isin(PUBLIC_CODES + PARISH_CODES)]
    # Devon codes independent schools and private nurseries EDUC; the independent schools list
    # names them as charities or companies. Recall is also given without those names.
    named_independent = public["public_kind"].eq("independent_school")
    state = public[~named_independent]
    return {
        "vcse_recall": round(float((vcse["org_type"] == "vcse").mean()), 3),
        "vcse_n": len(vcse),
        "public_recall": round(float((public["org_type"] == "public").mean()), 3),
        "public_n": len(public),
        "public_recall_without_named_independent_schools": round(
            float((state["org_type"] == "public").mean()), 3
        ),
        "public_n_without_named_independent_schools": len(state),
        "public_recall_with_parish_councils": round(
            float((with_parish["org_type"] == "public").mean()), 3
        ),
        "public_n_with_parish_councils": len(with_parish),
    }


def hand_checked_precision(sample: pd.DataFrame, registers=None) -> dict[str, object]:
    """Precision and recall per org type against the hand-checked sample."""
    out = classify_suppliers(sample["name"], registers)
    got = sample["name"].map(dict(zip(out["supplier_name"], out["org_type"], strict=False)))
    judged = sample["judged_org_type"]
    result: dict[str, object] = {}
    for kind in ("vcse", "public", "private", "individual"):
        predicted = got == kind
        result[f"{kind}_precision"] = (
            round(float((judged[predicted] == kind).mean()), 3) if predicted.any() else None
        )
        result[f"{kind}_predicted"] = int(predicted.sum())
        truth = judged == kind
        result[f"{kind}_recall"] = (
            round(float((got[truth] == kind).mean()), 3) if truth.any() else None
        )
    known = judged != "unknown"
    result["agreement_where_judged"] = round(float((got[known] == judged[known]).mean()), 3)
    code_vcse = sample["devon_code"].isin(VCSE_CODES)
    result["devon_code_vs_hand_vcse_agreement"] = round(
        float(((judged == "vcse") == code_vcse).mean()), 3
    )
    return result


TRUTH_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "truth"
TRUTH_SETS = {
    "trafford": "trafford_2024-25_top300.csv",
    "gateshead": "gateshead_2021-22_top300.csv",
    "newcastle": "newcastle_2019-20_top300.csv",
    "bradford": "bradford_explorer_top300.csv",
    "calderdale": "calderdale_explorer_top300.csv",
    "darlington": "darlington_explorer_top300.csv",
    "wakefield": "wakefield_explorer_top300.csv",
    "leeds": "leeds_explorer_top300.csv",
    "sheffield": "sheffield_explorer_top300.csv",
    "harrogate": "harrogate_explorer_top300.csv",
    "manchester": "manchester_explorer_top300.csv",
    "salford": "salford_explorer_top300.csv",
    "northtyneside": "northtyneside_explorer_top300.csv",
    "liverpool": "liverpool_explorer_top300.csv",
    "london": "london_explorer_top300.csv",  # the Greater London Authority
    "hyndburn": "hyndburn_2023-24_top300.csv",  # a district council; its monthly files, summed
}
# Round 9's transfer protocol (issue 7): rules are written from half A's errors only; half B is
# scored in aggregate before and after each rule (never its error rows), and a rule is kept only
# if B does not fall, so B's change says how far rules carry to sets they were not written from.
TRANSFER_HALVES = {
    "A": ("trafford", "bradford", "darlington", "leeds", "harrogate", "salford", "liverpool"),
    "B": (
        "gateshead",
        "calderdale",
        "wakefield",
        "sheffield",
        "manchester",
        "northtyneside",
        "london",
    ),
}
# Truth sets with no spend files in ../shared/data: only names and spend, from ODI Leeds' public
# spending explorer (summed over its years) or, for Hyndburn, from its monthly files (in a public
# repository, not in ../shared/data); scored from one payment line per name.
NAMES_ONLY = {
    "bradford",
    "calderdale",
    "darlington",
    "wakefield",
    "leeds",
    "sheffield",
    "harrogate",
    "manchester",
    "salford",
    "northtyneside",
    "liverpool",
    "london",
    "hyndburn",
}


def read_truth(name: str) -> pd.DataFrame:
    """One hand-checked truth set (tests/fixtures/truth): 300 rows, spend in exact pence."""
    from decimal import Decimal

    df = pd.read_csv(TRUTH_DIR / TRUTH_SETS[name], dtype=str, keep_default_na=False)
    df["spend_pence"] = df["spend"].map(lambda v: int(Decimal(v) * 100))
    return df


def truth_scores(truth: pd.DataFrame, predicted: pd.DataFrame) -> dict[str, object]:
    """Score predictions against a truth set, by count and by spend.

    ``predicted`` is aligned with ``truth`` (same index) and has ``org_type``, and optionally
    ``vcse_form`` and ``locality``. Org type accuracy is on high+medium-confidence labels;
    unknown share, VCSE share and not-a-supplier recall on all 300. Locality accuracy is where
    both the truth and the prediction say something other than unknown; coverage is the share
    of spend the prediction locates.
    """
    spend = truth["spend_pence"].astype("int64")
    total = int(spend.sum())
    sure = truth["confidence"].isin(["high", "medium"])
    right = predicted["org_type"].eq(truth["org_type"])

    def by_spend(mask: pd.Series, within: pd.Series | None = None) -> float:
        base = spend if within is None else spend[within]
        denom = int(base.sum())
        return (
            round(int(spend[mask & (within if within is not None else True)].sum()) / denom, 4)
            if denom
            else float("nan")
        )

    out: dict[str, object] = {
        "org_type_accuracy_by_spend": by_spend(right, sure),
        "org_type_accuracy_by_count": round(float(right[sure].mean()), 4),
        "unknown_share_of_spend": round(
            int(spend[predicted["org_type"].eq("unknown")].sum()) / total, 4
        ),
        "unknown_count": int(predicted["org_type"].eq("unknown").sum()),
        "vcse_share_predicted": round(
            int(spend[predicted["org_type"].eq("vcse")].sum()) / total, 4
        ),
        "vcse_share_truth": round(int(spend[truth["org_type"].eq("vcse")].sum()) / total, 4),
    }
    nas = truth["org_type"].eq("not_a_supplier")
    out["not_a_supplier_truth"] = int(nas.sum())
    out["not_a_supplier_recall"] = (
        round(float(predicted["org_type"][nas].eq("not_a_supplier").mean()), 4)
        if nas.any()
        else None
    )
    out["not_a_supplier_false"] = int((predicted["org_type"].eq("not_a_supplier") & ~nas).sum())
    if "locality" in predicted:
        located = predicted["locality"].ne("unknown")
        both = located & truth["locality"].ne("unknown")
        agree = predicted["locality"].eq(truth["locality"])
        out["located_share_of_spend"] = round(int(spend[located].sum()) / total, 4)
        out["locality_accuracy_by_spend"] = by_spend(agree, both) if both.any() else None
        out["locality_accuracy_by_count"] = (
            round(float(agree[both].mean()), 4) if both.any() else None
        )
        out["locality_compared"] = int(both.sum())
    return out


def merge_scores(truth: pd.DataFrame, organisation: pd.Series) -> dict[str, object]:
    """Merges against the truth set's ``same_org_as`` (names of one organisation).

    ``organisation``: our organisation key for each truth row (aligned with ``truth``). Pairs are
    unordered pairs of top-300 names; ``merge_recall`` is the share of the truth's same-org pairs
    we merged, ``merge_precision`` the share of our merged pairs that the truth calls one
    organisation (None when there are none).
    """
    names = truth["supplier_name"].str.strip().str.upper()
    head = truth["same_org_as"].str.strip().str.upper()
    truth_group = head.where(head != "", names)
    pairs_truth, pairs_ours = set(), set()
    idx = list(truth.index)
    for a_pos, a in enumerate(idx):
        for b in idx[a_pos + 1 :]:
            pair = (a, b)
            if truth_group[a] == truth_group[b]:
                pairs_truth.add(pair)
            if organisation[a] == organisation[b]:
                pairs_ours.add(pair)
    both = pairs_truth & pairs_ours
    return {
        "same_org_pairs_truth": len(pairs_truth),
        "merged_pairs": len(pairs_ours),
        "merge_recall": round(len(both) / len(pairs_truth), 3) if pairs_truth else None,
        "merge_precision": round(len(both) / len(pairs_ours), 3) if pairs_ours else None,
    }


TRUTH_SPEND = {
    "trafford": "spend/trafford",
    "gateshead": "spend/gateshead/odileeds_clean",
    "newcastle": "spend/newcastle/raw",
}


def truth_council(name: str):
    """The council config a truth set is scored against.

    The package's own config when there is one (Newcastle, Gateshead), else the one kept beside the
    truth sets (Trafford, in tests/fixtures/truth/councils).
    """
    from kil_analysis.config import load_council
    from kil_analysis.paths import COUNCILS_DIR

    folder = COUNCILS_DIR if (COUNCILS_DIR / f"{name}.yml").exists() else TRUTH_DIR / "councils"
    return load_council(name, folder)


def enrich_truth_council(name: str, root: Path, registers=None):
    """Ingest and enrich the shared spend files of a truth-set council.

    (all its files, as a case study would). Returns (spend, suppliers, merges).
    """
    from kil_analysis.enrich.suppliers import enrich_suppliers_and_merges
    from kil_analysis.readers.spend import ingest_spend

    config = truth_council(name)
    if name in NAMES_ONLY:
        spend = _names_only_spend(name, config.ons_code)
    else:
        spend = ingest_spend([root / TRUTH_SPEND[name]], council=config.ons_code).spend
    suppliers, merges = enrich_suppliers_and_merges(spend, config, registers)
    return spend, suppliers, merges


def _names_only_spend(name: str, council: str) -> pd.DataFrame:
    """A spend table of one payment line per name of a names-only truth set (:data:`NAMES_ONLY`).

    Read through the spend reader from a CSV it writes, so the names are keyed, redacted and
    totalled exactly as a council's file would be; the date is a placeholder (one year).
    """
    import tempfile

    from kil_analysis.readers.spend import ingest_spend

    truth = read_truth(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}_names.csv"
        pd.DataFrame(
            {
                "Payment Date": "01/06/2018",
                "Supplier Name": truth["supplier_name"],
                "Amount": truth["spend"],
            }
        ).to_csv(path, index=False)
        return ingest_spend([path], council=council, use_cache=False).spend


def truth_predictions(name: str, suppliers: pd.DataFrame, merges: pd.DataFrame) -> pd.DataFrame:
    """The truth set beside kil's reading of each name (looked up through the merges).

    Columns of the truth set plus ``organisation`` (our organisation key), ``predicted``,
    ``predicted_locality`` and ``kil_evidence`` (``not found`` where the name was not enriched).
    """
    from kil_analysis.enrich.merges import organisation_keys

    truth = read_truth(name)
    keys = name_keys(truth["supplier_name"])
    org = organisation_keys(keys, merges)
    rows = suppliers.set_index("supplier_key")
    return truth.assign(
        organisation=org,
        predicted=org.map(rows["org_type"]).fillna("unknown"),
        predicted_locality=org.map(rows["locality"]).fillna("unknown"),
        kil_evidence=org.map(rows["org_type_evidence"]).fillna("not found"),
    )


def score_truth_council(name: str, suppliers: pd.DataFrame, merges: pd.DataFrame) -> dict:
    """Truth-set scores (:func:`truth_scores`, :func:`merge_scores`) for an enriched council."""
    table = truth_predictions(name, suppliers, merges)
    predicted = pd.DataFrame(
        {"org_type": table["predicted"], "locality": table["predicted_locality"]},
        index=table.index,
    )
    result = truth_scores(table, predicted)
    result.update(merge_scores(table, table["organisation"]))
    result["not_found"] = int(table["kil_evidence"].eq("not found").sum())
    return result


def devon_recall_per_file(
    root: Path, registers=None, files: tuple[str, ...] = DEVON_CODED_FILES
) -> dict[str, dict[str, float]]:
    """:func:`recall_against_codes` for each coded Devon file on its own (``files`` as named)."""
    return {
        name: recall_against_codes(devon_coded_names(root, (name,)), registers) for name in files
    }
