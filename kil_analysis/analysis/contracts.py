"""Contracts a council publishes (OCDS, e.g. Contracts Finder): what it buys, and who can bid.

Input is the contracts table of :func:`kil_analysis.readers.contracts.reader.read_contracts`
(one row per release × award/contract × supplier). Measures here work on **deals**: one row per
contracting process (``ocid``) and award, taken from the latest release that has awards (else
the latest tender notice), so a tender, its award and an award update are counted once.

Money is in integer pence of the notice's currency; values in other currencies than GBP are
left out of every sum and counted apart. A framework award names many suppliers for one value,
so a deal's value is never split between its suppliers: supplier measures count awards, and
sum values only over awards with a single supplier.

The community-bidding threshold (:data:`COMMUNITY_BID_LIMIT_PENCE`, £500,000 a year): buyers'
selection tests commonly ask for annual turnover of up to twice the contract's annual value
(Cabinet Office guidance on the Standard Selection Questionnaire), and small and medium
charities — where most community organisations sit — have an income under £1m (Lloyds Bank
Foundation, *The Value of Small*, 2018). A contract worth more than £500,000 a year can therefore
shut out every small or medium community organisation that bids alone. Annual value is the
total value divided by the contract period in years, end date inclusive (1 April 2025 – 31 March
2029 is four years), at least one year (a three-month contract's annual value is its whole
value); with no period, the total value is used, and that is said.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from kil_analysis.readers.parse.supplier_key import supplier_keys

COMMUNITY_BID_LIMIT_PENCE = 500_000_00
# Bands of a deal's total value (pence, lower bound inclusive): £25k is the value above which
# councils must publish opportunities on Contracts Finder (Public Contracts Regulations 2015).
VALUE_BANDS_PENCE = (
    (0, "under £25k"),
    (25_000_00, "£25k–£100k"),
    (100_000_00, "£100k–£500k"),
    (500_000_00, "£500k–£1m"),
    (1_000_000_00, "£1m–£5m"),
    (5_000_000_00, "£5m and over"),
)
NOT_STATED = "value not stated"
DAYS_PER_YEAR = 365.25
DEAL_COLUMNS = [
    "ocid",
    "award_id",
    "level",
    "title",
    "buyer_name",
    "status",
    "date",
    "award_date",
    "start_date",
    "end_date",
    "value_pence",
    "currency",
    "suppliers",
    "supplier_names",
    "suitable_sme",
    "suitable_vcse",
    "procurement_method",
    "source_file",
]


def buyer_mask(contracts: pd.DataFrame, buyer_names: Iterable[str]) -> pd.Series:
    """Rows whose buyer is one of ``buyer_names``, compared as normalised names.

    (case, punctuation, ``&``/``and`` and ``Limited``/``Ltd`` ignored: ``LEEDS CITY COUNCIL``
    matches ``Leeds City Council``).
    """
    wanted = set(supplier_keys(pd.Series(list(buyer_names), dtype="string")).dropna())
    keys = supplier_keys(contracts["buyer_name"].astype("string"))
    return keys.isin(wanted).fillna(False).astype(bool)


def deals(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per contracting process and award (see the module docstring).

    ``ocid``, ``award_id``, ``level`` (award, contract or tender), title, buyer, dates,
    ``value_pence`` (Int64, exact), ``currency``, ``suppliers`` (how many the award names),
    ``supplier_names`` (joined with "; "), the tender's ``suitable_sme``/``suitable_vcse`` and
    ``procurement_method``. Sorted by ocid and award id.
    """
    if contracts.empty:
        return pd.DataFrame(columns=DEAL_COLUMNS)
    rows = contracts.assign(_date=contracts["date"].fillna(pd.Timestamp.min))
    has_award = rows.groupby("ocid")["level"].transform(lambda s: s.isin(["award"]).any())
    wanted = np.where(has_award, "award", "tender")
    rows = rows[rows["level"].to_numpy() == wanted]
    latest = rows.groupby("ocid")["_date"].transform("max")
    rows = rows[rows["_date"] == latest]
    release = rows.groupby("ocid")["release_id"].transform("max")
    rows = rows[rows["release_id"].fillna("") == release.fillna("")]
    rows = rows.assign(award_id=rows["award_id"].fillna(rows["ocid"]))
    names = (
        rows.dropna(subset=["supplier_name"])
        .groupby(["ocid", "award_id"])["supplier_name"]
        .agg(lambda s: "; ".join(dict.fromkeys(s)))
    )
    counts = rows.groupby(["ocid", "award_id"])["supplier_name"].count()
    first = rows.sort_values(["ocid", "award_id", "supplier_index"], na_position="first")
    first = first.drop_duplicates(["ocid", "award_id"]).set_index(["ocid", "award_id"])
    first["suppliers"] = counts.reindex(first.index).fillna(0).astype(int)
    first["supplier_names"] = names.reindex(first.index)
    out = first.reset_index()
    return out[DEAL_COLUMNS].sort_values(["ocid", "award_id"], ignore_index=True)


def _is_gbp(deal_table: pd.DataFrame) -> pd.Series:
    return deal_table["currency"].fillna("GBP").str.upper().eq("GBP").astype(bool)


def annual_value_pence(deal_table: pd.DataFrame) -> pd.DataFrame:
    """Each deal's ``annual_value_pence`` and ``period_known``.

    ``annual_value_pence`` (Int64) is the total value ÷ contract years, at least one year;
    ``period_known`` says the start and end dates are both published, end after start.
    """
    start, end = deal_table["start_date"], deal_table["end_date"]
    days = (pd.to_datetime(end) - pd.to_datetime(start)).dt.days + 1  # end date inclusive
    known = days.notna() & (days > 1)
    years = (days / DAYS_PER_YEAR).where(known, 1.0).clip(lower=1.0)
    value = deal_table["value_pence"].astype("Float64")
    annual = (value / years.astype("Float64")).round().astype("Int64")
    return pd.DataFrame(
        {"annual_value_pence": annual, "period_known": known.astype(bool)}, index=deal_table.index
    )


def value_band(value_pence: pd.Series) -> pd.Series:
    """Band label (:data:`VALUE_BANDS_PENCE`) of each total value; NA → "value not stated"."""
    edges = np.asarray([b for b, _ in VALUE_BANDS_PENCE[1:]], dtype="int64")
    labels = np.asarray([label for _, label in VALUE_BANDS_PENCE], dtype=object)
    known = value_pence.notna()
    idx = np.searchsorted(edges, value_pence.fillna(0).astype("int64").to_numpy(), side="right")
    return pd.Series(np.where(known, labels[idx], NOT_STATED), index=value_pence.index)


def value_profile(
    deal_table: pd.DataFrame, limit_pence: int = COMMUNITY_BID_LIMIT_PENCE
) -> pd.DataFrame:
    """Deals per value band (GBP only).

    ``band``, ``deals``, ``value_pence`` (exact sum) and ``over_limit`` (deals in the band whose
    annual value exceeds ``limit_pence``). Every band is listed, empty ones with zeros; deals
    without a stated value make the last row.
    """
    gbp = deal_table[_is_gbp(deal_table)]
    annual = annual_value_pence(gbp)["annual_value_pence"]
    frame = pd.DataFrame(
        {
            "band": value_band(gbp["value_pence"]),
            "value": gbp["value_pence"].fillna(0).astype("int64"),
            "over": (annual > limit_pence).fillna(False).astype(bool),
        }
    )
    order = [label for _, label in VALUE_BANDS_PENCE] + [NOT_STATED]
    grouped = frame.groupby("band").agg(
        deals=("value", "size"), value_pence=("value", "sum"), over_limit=("over", "sum")
    )
    out = grouped.reindex(order, fill_value=0).rename_axis("band").reset_index()
    return out.astype({"deals": int, "value_pence": "int64", "over_limit": int})


def too_large_to_bid(
    deal_table: pd.DataFrame, limit_pence: int = COMMUNITY_BID_LIMIT_PENCE
) -> dict[str, int]:
    """How many GBP deals have an annual value over ``limit_pence``.

    ``deals`` (with a stated value), ``over_limit``, ``over_limit_no_period`` (of those, judged on
    total value because no contract period was published), ``not_stated`` (no value) and
    ``other_currency``.
    """
    gbp = _is_gbp(deal_table)
    table = deal_table[gbp]
    annual = annual_value_pence(table)
    stated = table["value_pence"].notna()
    over = (annual["annual_value_pence"] > limit_pence).fillna(False).astype(bool)
    return {
        "deals": int(stated.sum()),
        "over_limit": int(over.sum()),
        "over_limit_no_period": int((over & ~annual["period_known"]).sum()),
        "not_stated": int((~stated).sum()),
        "other_currency": int((~gbp).sum()),
    }


def suitability_shares(deal_table: pd.DataFrame) -> pd.DataFrame:
    """For ``suitable_sme`` and ``suitable_vcse``: deals marked suitable.

    Not suitable and not stated, and the share marked suitable of those stated (NaN when none stated
    — not 0%). Columns: ``flag``, ``suitable``, ``not_suitable``, ``not_stated``,
    ``share_suitable``, ``value_suitable_pence`` (GBP value of the suitable deals).
    """
    rows = []
    gbp = _is_gbp(deal_table)
    for flag in ("suitable_sme", "suitable_vcse"):
        values = deal_table[flag].astype("boolean")
        yes, no = int(values.eq(True).sum()), int(values.eq(False).sum())
        value = deal_table["value_pence"].where(values.eq(True).fillna(False) & gbp)
        rows.append(
            {
                "flag": flag,
                "suitable": yes,
                "not_suitable": no,
                "not_stated": int(values.isna().sum()),
                "share_suitable": yes / (yes + no) if yes + no else float("nan"),
                "value_suitable_pence": int(value.fillna(0).sum()),
            }
        )
    return pd.DataFrame(rows)


def award_suppliers(contracts: pd.DataFrame, deal_table: pd.DataFrame) -> pd.DataFrame:
    """One row per supplier of each award deal.

    ``ocid``, ``award_id``, ``supplier_name``, ``supplier_key``, ``supplier_id``, the notice's
    ``supplier_scale`` (sme/large) and ``supplier_vcse`` flags, ``supplier_postcode``, ``suppliers``
    (how many share the award) and ``value_pence`` (the award's value, only when it has a single
    supplier and is in GBP; NA otherwise).
    """
    awards = deal_table[deal_table["level"].isin(["award", "contract"])]
    cols = ["ocid", "award_id", "source_file"]
    rows = contracts.assign(award_id=contracts["award_id"].fillna(contracts["ocid"]))
    rows = rows.merge(awards[cols], on=cols, how="inner").dropna(subset=["supplier_name"])
    rows = rows[rows["level"].isin(["award", "contract"])]
    rows = rows.drop_duplicates(["ocid", "award_id", "supplier_index"])
    single = rows.groupby(["ocid", "award_id"])["supplier_name"].transform("size")
    gbp = rows["currency"].fillna("GBP").str.upper().eq("GBP")
    out = rows.assign(
        suppliers=single.astype(int),
        value_pence=rows["value_pence"].where((single == 1) & gbp),
    )
    keep = [
        "ocid",
        "award_id",
        "supplier_name",
        "supplier_key",
        "supplier_id",
        "supplier_company_number",
        "supplier_scale",
        "supplier_vcse",
        "supplier_postcode",
        "suppliers",
        "value_pence",
    ]
    return out[keep].sort_values(["ocid", "award_id", "supplier_name"], ignore_index=True)


def notice_flags_beside_classification(
    suppliers: pd.DataFrame, classified: pd.DataFrame
) -> pd.DataFrame:
    """The notices' own ``vcse`` and ``scale`` flags beside kil's classification of the suppliers.

    ``classified`` is :func:`kil_analysis.enrich.classify_suppliers` output, by
    ``supplier_key``. One row per measure — ``vcse`` (notice says VCSE / kil says vcse) and
    ``sme`` (notice says SME / kil's size micro, small or medium) — with ``awards`` (supplier
    awards), ``notice_yes``, ``kil_yes``, ``both``, ``notice_not_stated``, ``kil_unknown`` and
    ``value_notice_yes_pence`` / ``value_kil_yes_pence`` (single-supplier awards only).
    """
    kil = classified.drop_duplicates("supplier_key").set_index("supplier_key")
    org_type = suppliers["supplier_key"].map(kil["org_type"]).fillna("unknown")
    size = suppliers["supplier_key"].map(kil["size"]).fillna("unknown")
    value = suppliers["value_pence"]
    measures = {
        "vcse": (
            suppliers["supplier_vcse"].astype("boolean"),
            (org_type == "vcse").where(org_type != "unknown"),
        ),
        "sme": (
            suppliers["supplier_scale"].map({"sme": True, "large": False}).astype("boolean"),
            size.isin(["micro", "small", "medium"]).where(size != "unknown"),
        ),
    }
    rows = []
    for measure, (notice, ours) in measures.items():
        ours = ours.astype("boolean")
        n_yes, k_yes = notice.eq(True).fillna(False), ours.eq(True).fillna(False)
        rows.append(
            {
                "measure": measure,
                "awards": len(suppliers),
                "notice_yes": int(n_yes.sum()),
                "kil_yes": int(k_yes.sum()),
                "both": int((n_yes & k_yes).sum()),
                "notice_not_stated": int(notice.isna().sum()),
                "kil_unknown": int(ours.isna().sum()),
                "value_notice_yes_pence": int(value.where(n_yes).fillna(0).sum()),
                "value_kil_yes_pence": int(value.where(k_yes).fillna(0).sum()),
            }
        )
    return pd.DataFrame(rows)


def ending_soon(
    deal_table: pd.DataFrame, reference_date: str | pd.Timestamp, months: int = 24
) -> pd.DataFrame:
    """Contracts (award deals) ending within ``months`` after ``reference_date``.

    These are the moments a council can re-commission. Adds ``window`` ("within 12 months" /
    "12–24 months" …, by whole years from the reference date) and ``annual_value_pence``; sorted by
    end date, then ocid.
    """
    ref = pd.Timestamp(reference_date).normalize()
    horizon = ref + pd.DateOffset(months=months)
    awards = deal_table[deal_table["level"].isin(["award", "contract"])]
    end = pd.to_datetime(awards["end_date"])
    soon = awards[(end > ref) & (end <= horizon)].copy()
    soon["annual_value_pence"] = annual_value_pence(soon)["annual_value_pence"]
    year = ((pd.to_datetime(soon["end_date"]) - ref).dt.days - 1) // 365
    soon["window"] = year.map(
        lambda y: "within 12 months" if y < 1 else f"{12 * int(y)}–{12 * (int(y) + 1)} months"
    )
    return soon.sort_values(["end_date", "ocid"], ignore_index=True)


def supplier_locality_evidence(contracts: pd.DataFrame) -> pd.DataFrame:
    """Suppliers' postcodes as the notices publish them.

    (inside ``address.streetAddress`` on Contracts Finder), for enrichment to use as locality
    evidence: one row per supplier and postcode with ``supplier_key``, ``supplier_name``,
    ``postcode``, ``org_id`` (the notice's party id: GB-COH-…, GB-CHC-…, or Contracts Finder's own
    GB-CFS-…), ``company_number`` and ``evidence`` (the ocid of the first notice that gives it).
    Suppliers without a postcode are left out.
    """
    rows = contracts.dropna(subset=["supplier_name", "supplier_postcode"])
    rows = rows.sort_values(["supplier_key", "supplier_postcode", "ocid"])
    rows = rows.drop_duplicates(["supplier_key", "supplier_postcode"])
    return pd.DataFrame(
        {
            "supplier_key": rows["supplier_key"],
            "supplier_name": rows["supplier_name"],
            "postcode": rows["supplier_postcode"],
            "org_id": rows["supplier_id"],
            "company_number": rows["supplier_company_number"],
            "evidence": "Contracts Finder notice " + rows["ocid"].astype(str),
        }
    ).reset_index(drop=True)
