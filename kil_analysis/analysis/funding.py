"""How a council funds VCSE organisations: grants, contracts and other payments, and to whom.

Three published routes, shown side by side and **never added**: a grant paid is usually also a
payment line in the spend file, and a contract is paid through it. The routes are the 360Giving
grants file (grants awarded in the report period), contract awards on Contracts Finder (awarded
in the period) and the spend file's payments, split into lines coded as grants (expense type
names a grant) and all other payments.

Recipient size is the charity's latest gross income where a register gives it (NCVO bands, as
``enrich.size``: under £10k micro, £10k–£100k small, £100k–£1m medium, £1m and over large).
The published finding beside it — 84% of local government funding to charities goes to larger
charities (income over £1m; Lloyds Bank Foundation, *The Value of Small*, 2018) — is a
side-by-side, not a target; below :data:`MIN_INCOME_COVERAGE` of the pounds with a known income,
the split reads "not measured".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kil_analysis.analysis.prevention import keyword_pattern
from kil_analysis.enrich.size import size_from_income

MIN_INCOME_COVERAGE = 0.5
GRANT_EXPENSE_WORDS = ("grant",)
INCOME_SIZES = ("micro", "small", "medium", "large")
GRANT_BANDS_PENCE = (
    (0, "under £1k"),
    (1_000_00, "£1k–£5k"),
    (5_000_00, "£5k–£10k"),
    (10_000_00, "£10k–£50k"),
    (50_000_00, "£50k–£100k"),
    (100_000_00, "£100k and over"),
)


def funding_routes(
    spend: pd.DataFrame,
    grants: pd.DataFrame | None,
    recipient_types: pd.Series | None,
    contract_awards_pence: int | None,
    contract_awards: int | None,
) -> pd.DataFrame:
    """VCSE funding by route (pence, counts), side by side.

    ``route``, ``pence``, ``items`` (grants, awards or payment lines), ``recipients`` and
    ``available`` (False when the source was not supplied: the row then reads "not supplied", never
    £0). Files without expense types cannot tell grants from other payments: the "coded as
    grants" row is then not available and one row holds every spend-file payment.

    ``recipient_types`` maps grant ``recipient_key`` → org_type (kil's classification of the
    recipients); ``contract_awards_pence`` is the value of awards to VCSE suppliers in the
    period (single-supplier awards), ``contract_awards`` their number (None when no notices).
    """
    vcse = spend[spend["org_type"] == "vcse"]
    pattern = keyword_pattern(GRANT_EXPENSE_WORDS)
    assert pattern is not None  # GRANT_EXPENSE_WORDS is not empty
    expense = vcse["expense_type"] if "expense_type" in vcse else pd.Series("", index=vcse.index)
    coded = expense.astype("string").fillna("").map(lambda t: bool(pattern.search(t)))
    coded = coded.astype(bool)
    rows = []
    if grants is not None and recipient_types is not None:
        g = grants[grants["recipient_key"].map(recipient_types).eq("vcse").fillna(False)]
        rows.append(
            (
                "Grants (360Giving file)",
                int(g["amount_pence"].sum()),
                len(g),
                int(g["recipient_key"].nunique()),
                True,
            )
        )
    else:
        rows.append(("Grants (360Giving file)", 0, 0, 0, False))
    if contract_awards is not None:
        rows.append(
            (
                "Contract awards (Contracts Finder)",
                int(contract_awards_pence or 0),
                int(contract_awards),
                pd.NA,
                True,
            )
        )
    else:
        rows.append(("Contract awards (Contracts Finder)", 0, 0, 0, False))
    types = vcse["expense_type"] if "expense_type" in vcse else pd.Series(dtype="string")
    if not types.astype("string").str.strip().fillna("").ne("").any():
        # no expense types in the files: grants cannot be told apart from other payments
        rows.append(("Spend-file payments coded as grants", 0, 0, 0, False))
        parts = [("All spend-file payments (no expense types to tell grants apart)", vcse)]
    else:
        parts = [
            ("Spend-file payments coded as grants", vcse[coded]),
            ("Other spend-file payments", vcse[~coded]),
        ]
    for label, part in parts:
        rows.append(
            (
                label,
                int(part["amount_pence"].sum()),
                len(part),
                int(part["supplier_key"].nunique()),
                True,
            )
        )
    out = pd.DataFrame(rows, columns=["route", "pence", "items", "recipients", "available"])
    return out.astype({"pence": "int64", "items": "int64", "recipients": "Int64"})


def grant_size_profile(grants: pd.DataFrame) -> pd.DataFrame:
    """Grants per size band (:data:`GRANT_BANDS_PENCE`).

    ``band``, ``grants``, ``pence``, ``share`` (of the grants' total value). Every band is listed.
    """
    edges = np.asarray([b for b, _ in GRANT_BANDS_PENCE[1:]], dtype="int64")
    labels = [label for _, label in GRANT_BANDS_PENCE]
    pence = grants["amount_pence"].astype("int64")
    band = pd.Series(np.asarray(labels, dtype=object)[np.searchsorted(edges, pence, "right")])
    frame = pd.DataFrame({"band": band.to_numpy(), "pence": pence.to_numpy()})
    out = frame.groupby("band").agg(grants=("pence", "size"), pence=("pence", "sum"))
    out = out.reindex(labels, fill_value=0).rename_axis("band").reset_index()
    total = int(out["pence"].sum())
    out["share"] = out["pence"] / total if total else float("nan")
    return out.astype({"grants": int, "pence": "int64"})


def charity_sizes(numbers: pd.Series, incomes: pd.Series) -> pd.Series:
    """Size band (micro/small/medium/large, NCVO income bands) per charity number.

    From registered charity numbers and their latest gross income in GBP (same index).
    """
    size = size_from_income(incomes.reset_index(drop=True))["size"]
    return pd.Series(size.to_numpy(), index=numbers.astype(str).to_numpy()).groupby(level=0).first()


def income_size_split(
    recipients: pd.DataFrame, sizes: pd.Series, min_coverage: float = MIN_INCOME_COVERAGE
) -> dict[str, object]:
    """Funding to charities by the recipient's income band.

    ``recipients``: ``charity_number`` and ``pence`` per grant or payment (rows without a
    charity number are not charities and are left out). ``sizes``: charity number → size band
    (:func:`charity_sizes`, or a register's income band). Returns ``table`` (``size``:
    micro/small/medium/large/unknown, ``recipients``, ``pence``, ``share_of_known``),
    ``charity_pence`` (all funding to charities), ``coverage`` (share of it whose size is
    known), ``larger_share`` (share of the known going to charities with income of £1m or more;
    NaN below ``min_coverage`` — not measured) and ``measured`` (bool).
    """
    charities = recipients.dropna(subset=["charity_number"])
    numbers = charities["charity_number"].astype(str)
    size = numbers.map(sizes).where(lambda v: v.isin(INCOME_SIZES), "unknown")
    frame = pd.DataFrame(
        {"size": size.to_numpy(), "pence": charities["pence"].astype("int64"), "c": numbers}
    )
    table = frame.groupby("size").agg(recipients=("c", "nunique"), pence=("pence", "sum"))
    table = table.reindex([*INCOME_SIZES, "unknown"], fill_value=0).rename_axis("size")
    total = int(table["pence"].sum())
    known = int(table.loc[list(INCOME_SIZES), "pence"].sum())
    table["share_of_known"] = table["pence"] / known if known else float("nan")
    table.loc["unknown", "share_of_known"] = float("nan")
    coverage = known / total if total else 0.0
    measured = bool(total) and coverage >= min_coverage
    larger = int(table.at["large", "pence"]) / known if measured else float("nan")
    return {
        "table": table.reset_index().astype({"recipients": int, "pence": "int64"}),
        "charity_pence": total,
        "coverage": coverage,
        "larger_share": larger,
        "measured": measured,
    }
