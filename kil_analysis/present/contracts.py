"""The contracts section's sentences, tables and chart (measures from ``analysis.contracts``).

Titles, supplier and buyer names come from the notices: escaped before Markdown/HTML
(``escape_markdown``, ``display.table``) and made safe for charts (``house_style.safe_label``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from IPython.display import HTML

from kil_analysis.analysis import contracts as measures
from kil_analysis.present import house_style as hs
from kil_analysis.present.display import table
from kil_analysis.present.narrative import escape_markdown, gbp, listing, pct

CONTRACTS_FINDER_SEARCH = (
    "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search"
    "?publishedFrom=2025-01-01T00:00:00&publishedTo=2025-03-31T23:59:59"
    "&stages=tender,award&limit=100"
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def no_notices(council_name: str, contracts_dir: str) -> str:
    """What to say when no OCDS notices were supplied for the council.

    With the command that fetches them (Contracts Finder's OCDS search returns every buyer's
    notices; the report keeps the council's own).
    """
    name = escape_markdown(council_name)
    folder = escape_markdown(contracts_dir)
    return (
        f"**No contract notices were supplied for {name}**, so this section has nothing to "
        f"measure. Contracts Finder publishes every English council's notices as OCDS: save "
        f"them as JSON in `{folder}` and re-run the report, for example\n\n"
        f'`mkdir -p {folder} && curl -L -o {folder}/contracts-finder-2025-q1.json "'
        f'{CONTRACTS_FINDER_SEARCH}"`\n\n'
        "(the search returns up to 100 releases a call and a `cursor` for the next page; the "
        "report keeps the notices whose buyer is the council). Or pass the `contracts_dir` "
        "parameter to point at a folder of notices."
    )


def no_notices_for_buyer(council_name: str, buyers: list[str], releases: int) -> str:
    """What to say when notices were supplied but none has the council as buyer."""
    return (
        f"{releases:,} contract notices were supplied, but none names "
        + listing([escape_markdown(b) for b in buyers])
        + f" as buyer, so there is nothing to measure for {escape_markdown(council_name)}. "
        "If the council publishes under another name, add it to `contract_buyer_names` in "
        "its config."
    )


def overview(deal_table: pd.DataFrame, over: dict[str, int], limit_pence: int) -> str:
    """Paragraph: how many contracts, their value.

    And how many are too large for a community organisation to bid for (with the threshold and why).
    """
    if deal_table.empty:
        return "No contracts or opportunities are recorded in the notices."
    awards = int(deal_table["level"].isin(["award", "contract"]).sum())
    tenders = len(deal_table) - awards
    total = int(deal_table["value_pence"].fillna(0).sum())
    text = (
        f"The notices describe {len(deal_table):,} contracts: {awards:,} awarded and "
        f"{tenders:,} opportunities still open or planned, worth {gbp(total)} where a value is "
        f"stated. {over['over_limit']:,} of the {over['deals']:,} with a stated value are worth "
        f"more than {gbp(limit_pence)} a year — too large for a small or medium community "
        "organisation to bid for alone: buyers' selection tests commonly ask for annual "
        "turnover of up to twice a contract's annual value, and small and medium charities "
        "have an income under £1m (Lloyds Bank Foundation, The Value of Small, 2018)."
    )
    if over["over_limit_no_period"]:
        text += (
            f" For {over['over_limit_no_period']:,} of them no contract period was published, "
            "so the judgement rests on the total value."
        )
    if over["not_stated"]:
        text += f" {over['not_stated']:,} notices state no value."
    return text


def value_profile_table(profile: pd.DataFrame) -> HTML:
    """Contracts per value band, with how many in each are over the community-bid limit."""
    shown = profile.rename(
        columns={
            "band": "Total value",
            "deals": "Contracts",
            "value_pence": "Value",
            "over_limit": "Over £500k a year",
        }
    )
    return table(shown, {"Value": "pence", "Contracts": "int"})


def value_profile_chart(profile: pd.DataFrame, source: str) -> Figure:
    """Bars: contracts per value band, the part over the community-bid limit darker."""
    fig, ax = hs.new_figure()
    x = np.arange(len(profile))
    under = profile["deals"] - profile["over_limit"]
    ax.bar(x, under, color=hs.OKABE_ITO["sky_blue"], label="Within reach (annual value ≤ £500k)")
    ax.bar(
        x,
        profile["over_limit"],
        bottom=under,
        color=hs.OKABE_ITO["vermillion"],
        label="Over £500k a year",
    )
    ax.set_xticks(x, profile["band"], rotation=20, ha="right")
    ax.set_ylabel("Contracts")
    ax.legend(loc="upper right")
    over, total = int(profile["over_limit"].sum()), int(profile["deals"].sum())
    title = f"{over} of {total} contracts are worth more than £500k a year"
    alt = "Bar chart of contracts by total value band: " + "; ".join(
        f"{r.band} {r.deals} ({r.over_limit} over £500k a year)" for r in profile.itertuples()
    )
    return hs.finish(fig, ax, title=title, source=source, alt=alt)


def suitability_sentence(shares: pd.DataFrame) -> str:
    """Sentence: the share of contracts the buyer marked suitable for SMEs and for VCSEs."""
    parts = []
    labels = {"suitable_sme": "small and medium-sized firms", "suitable_vcse": "VCSE organisations"}
    for r in shares.itertuples():
        stated = r.suitable + r.not_suitable
        if not stated:
            parts.append(f"no notice says whether it suits {labels[r.flag]} (not measured)")
        else:
            parts.append(
                f"{pct(r.share_suitable)} of {stated:,} were marked suitable for {labels[r.flag]}"
            )
    return "Of the notices that say so, " + listing(parts) + "."


def flags_table(compared: pd.DataFrame) -> HTML:
    """Awards to VCSE and SME suppliers: the notices' flags beside kil's classification."""
    shown = compared.assign(
        measure=compared["measure"].map({"vcse": "VCSE supplier", "sme": "SME supplier"})
    ).rename(
        columns={
            "measure": "Supplier is",
            "awards": "Supplier awards",
            "notice_yes": "Notice says yes",
            "kil_yes": "kil says yes",
            "both": "Both say yes",
            "notice_not_stated": "Notice silent",
            "kil_unknown": "kil unknown",
            "value_notice_yes_pence": "Value, notice yes",
            "value_kil_yes_pence": "Value, kil yes",
        }
    )
    return table(shown, {"Value, notice yes": "pence", "Value, kil yes": "pence"})


def flags_sentence(compared: pd.DataFrame) -> str:
    """What the flag comparison shows, and the caveat on framework values."""
    v = compared.set_index("measure")
    return (
        f"The notices flag {int(v.at['vcse', 'notice_yes']):,} supplier awards as going to "
        f"VCSE organisations; kil's classification finds {int(v.at['vcse', 'kil_yes']):,} "
        f"(both agree on {int(v.at['vcse', 'both']):,}). They flag "
        f"{int(v.at['sme', 'notice_yes']):,} as SMEs; kil finds "
        f"{int(v.at['sme', 'kil_yes']):,} where a register gives the size "
        f"({int(v.at['sme', 'kil_unknown']):,} of {int(v.at['sme', 'awards']):,} sizes unknown "
        "to kil). Values count only awards with a single supplier: a framework names many "
        "suppliers for one value."
    )


def pipeline_table(soon: pd.DataFrame, n: int = 25) -> HTML:
    """Contracts ending soon: title, supplier(s), end date, value and suitability."""
    cols = [
        "window",
        "end_date",
        "title",
        "supplier_names",
        "value_pence",
        "annual_value_pence",
        "suitable_vcse",
    ]
    shown = soon.head(n)[cols].assign(
        end_date=lambda d: pd.to_datetime(d["end_date"]).dt.strftime("%Y-%m-%d"),
        value_pence=lambda d: d["value_pence"].map(
            lambda v: "not stated" if pd.isna(v) else f"£{int(v) / 100:,.0f}"
        ),
        annual_value_pence=lambda d: d["annual_value_pence"].map(
            lambda v: "not stated" if pd.isna(v) else f"£{int(v) / 100:,.0f}"
        ),
        suitable_vcse=lambda d: d["suitable_vcse"].map(
            lambda v: "not stated" if pd.isna(v) else ("yes" if v else "no")
        ),
    )
    shown = shown.rename(
        columns={
            "window": "Ends",
            "end_date": "End date",
            "title": "Contract",
            "supplier_names": "Supplier(s)",
            "value_pence": "Total value",
            "annual_value_pence": "A year",
            "suitable_vcse": "Marked suitable for VCSEs",
        }
    )
    return table(shown, empty="No awarded contract ends in the next 24 months.")


def pipeline_sentence(soon: pd.DataFrame, reference_date: str) -> str:
    """Sentence: how many contracts end within 12 and 12–24 months of the reference date."""
    if soon.empty:
        return f"No awarded contract in the notices ends in the 24 months after {reference_date}."
    within = int((soon["window"] == "within 12 months").sum())
    later = len(soon) - within
    value = int(soon["value_pence"].fillna(0).sum())
    return (
        f"{len(soon):,} awarded contracts end in the 24 months after {reference_date} "
        f"({within:,} within 12 months, {later:,} in the 12 months after), worth "
        f"{gbp(value)} where stated: the moments the council can re-commission, and design a "
        "contract a local organisation can bid for."
    )


def locality_evidence_table(evidence: pd.DataFrame, n: int = 15) -> HTML:
    """Suppliers' postcodes from the notices (locality evidence for enrichment)."""
    cols = ["supplier_name", "postcode", "org_id", "company_number"]
    shown = evidence.head(n)[cols].rename(
        columns={"postcode": "Postcode", "org_id": "Org id", "company_number": "Company number"}
    )
    return table(shown, empty="The notices give no supplier postcodes.")


def source_line(council_name: str) -> str:
    """The source line under the contracts chart."""
    return f"Source: Contracts Finder notices (OCDS) with {council_name} as buyer; kil analysis."


def limit_note(limit_pence: int = measures.COMMUNITY_BID_LIMIT_PENCE) -> str:
    """How the community-bid threshold was chosen (Markdown)."""
    return (
        f"*Threshold:* a contract is counted as too large for a community organisation when "
        f"its annual value exceeds {gbp(limit_pence)} (total value ÷ contract years, at least "
        "one year). Buyers commonly ask for annual turnover of up to twice a contract's annual "
        "value; most community organisations are small or medium charities with income under "
        "£1m. Bands start at £25k, the value above which councils must advertise on Contracts "
        "Finder."
    )
