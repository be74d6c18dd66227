"""Sentences for the case study's sections, each stating a finding from the numbers.

Every function takes a small table from ``kil_analysis.analysis`` and returns Markdown; text
from data (supplier and service-area names) goes through ``narrative.escape_markdown``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kil_analysis.analysis.years import full_years
from kil_analysis.labels import LOCALITY_LABELS
from kil_analysis.present.narrative import (
    DEMO_WARNING,
    LOCAL_PLACES,
    SHARE_NAMES,
    escape_markdown,
    gbp,
    listing,
    partial_year_phrase,
    pct,
    year_name,
)

HHI_BANDS = ((1500, "unconcentrated"), (2500, "moderately concentrated"))


def latest_year(headline: pd.DataFrame) -> dict | None:
    """The headline row the report leads with: the latest full year, else the latest year."""
    if headline.empty:
        return None
    rows = headline.to_dict("records")
    full = [r for r in rows if not r["is_partial"]]
    return (full or rows)[-1]


def data_notice(is_demo: bool, council_name: str, headline: pd.DataFrame, files: int) -> str:
    """The label under the title: demo data, or which published files the figures come from."""
    if is_demo:
        return DEMO_WARNING
    years = headline["financial_year"].tolist()
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "no year")
    return (
        f"**Published data.** Figures are computed from {escape_markdown(council_name)}'s own "
        f"published payments to suppliers: {files:,} files, financial years {span}."
    )


def quality_panel(report: Mapping, headline: pd.DataFrame) -> str:
    """The short data-quality panel shown before the findings (Markdown bullets).

    Files, months and gaps, rows and pounds rejected and why, redacted and not-a-supplier shares,
    and how much spend is classified and located.
    """
    t = report["totals"]
    reasons = {r: n for r, n in sorted((t.get("rows_rejected") or {}).items()) if n}
    rejected = sum(reasons.values())
    why = ", ".join(f"{n:,} {escape_markdown(r.replace('_', ' '))}" for r, n in reasons.items())
    lines = [
        f"**Files:** {len(report['files']):,} published files; {t['rows_read']:,} payment rows "
        f"read, {t['rows_kept']:,} kept.",
        f"**Rejected:** {rejected:,} rows worth £{float(t['amount_rejected']):,.2f}"
        + (f" ({why})" if why else "")
        + "; each is listed with its reason in `rejects.csv`.",
    ]
    if not headline.empty:
        partial = [partial_year_phrase(r) for r in headline.to_dict("records") if r["is_partial"]]
        full = full_years(headline)
        lines.append(
            f"**Years:** full — {listing(full) if full else 'none'}"
            + (f"; partial — {'; '.join(partial)}" if partial else "")
            + "."
        )
        third = int(headline["third_party_pence"].sum())
        total = int(headline["total_pence"].sum())
        redacted = int(headline["redacted_pence"].sum())
        not_supplier = int(headline["not_a_supplier_pence"].sum())
        redacted_share = pct(redacted / third if third else None)
        not_supplier_share = pct(not_supplier / total if total else None)
        lines.append(
            f"**Shown apart:** redacted payments (individuals) {redacted_share} of spend "
            f"({gbp(redacted)}); not-a-supplier lines (finance accounts, payment runs, internal "
            f"recharges) {not_supplier_share} ({gbp(not_supplier)})."
        )
        row = latest_year(headline)
        assert row is not None  # the headline is not empty here
        lines.append(
            f"**Coverage in {row['financial_year']}:** organisation type known for "
            f"{pct(row['classified_share'])} of named suppliers' spend, location for "
            f"{pct(row['located_share'])}, size for {pct(row['size_known_share'])}."
        )
    return "\n".join(f"- {line}" for line in lines)


def cles_summary(
    by_year: pd.DataFrame, by_locality: pd.DataFrame, headline: pd.DataFrame, top_n: int
) -> str:
    """The CLES top-N finding for the latest full year.

    The share of spend they cover and where that spend goes (in area / region / outside / unknown).
    """
    row = latest_year(headline)
    if row is None or by_year.empty:
        return "There are no named suppliers in the period."
    year = row["financial_year"]
    top = by_year.set_index("financial_year").loc[year]
    split = by_locality[by_locality["financial_year"] == year].set_index("locality")["share"]
    known = {k: v for k, v in split.items() if k != "unknown" and v > 0}
    text = (
        f"In {year_name(row)}, the {int(top['suppliers']):,} largest suppliers (CLES top "
        f"{top_n:,}) took {pct(top['covered_share'])} of spend ({gbp(top['top_n_pence'])})."
    )
    unknown = float(split.get("unknown", 0.0))
    if known:
        text += " Of their spend, " + listing(
            [f"{pct(v)} went to suppliers {LOCALITY_LABELS[k].lower()}" for k, v in known.items()]
        )
        text += f"; for {pct(unknown)} where the supplier is based is not known."
    else:
        text += (
            " Where they are based is not known for any of them, so the CLES local split is "
            "not measured."
        )
    return text


def concentration_summary(headline: pd.DataFrame) -> str:
    """Top-10 share, suppliers holding 80% of spend and the HHI in the latest full year."""
    row = latest_year(headline)
    if row is None:
        return "There are no named suppliers in the period."
    hhi = float(row["hhi"]) if pd.notna(row["hhi"]) else None
    band = "highly concentrated"
    for limit, name in HHI_BANDS:
        if hhi is not None and hhi < limit:
            band = name
            break
    text = (
        f"In {year_name(row)}, the ten largest suppliers took {pct(row['top10_share'])} of spend, "
        f"and {int(row['suppliers_for_80pc']):,} of {int(row['suppliers']):,} named suppliers "
        "held 80% of named suppliers' spend."
    )
    if hhi is not None:
        text += f" The Herfindahl–Hirschman index was {hhi:,.0f} ({band})."
    return text


def dominance_summary(dominance: pd.DataFrame, headline: pd.DataFrame) -> str:
    """Locality's 20% test in the latest full year.

    How many service areas one supplier holds more than a fifth of.
    """
    row = latest_year(headline)
    if row is None or dominance.empty:
        return "No service areas to test."
    year = dominance[dominance["financial_year"] == row["financial_year"]]
    breaches = year[year["breach"]]
    if breaches.empty:
        return f"In {year_name(row)}, no supplier held more than 20% of any service area's spend."
    top = breaches.iloc[0]
    return (
        f"In {year_name(row)}, one supplier held more than 20% of the spend in "
        f"{len(breaches):,} of {len(year):,} service areas (Locality's test). The largest such "
        f"area is {escape_markdown(top['service_area'])}, where "
        f"{escape_markdown(top['supplier_name'])} took {pct(top['supplier_share'])}. Where a "
        "council publishes cost centres as service areas, small areas with one supplier breach "
        "the test by construction: read the largest areas first."
    )


def _count(n: int) -> str:
    """'1 supplier was' / '12 suppliers were'."""
    n = int(n)
    return f"{n:,} supplier was" if n == 1 else f"{n:,} suppliers were"


def churn_summary(churn: pd.DataFrame) -> str:
    """Suppliers gained and lost between the last two full years."""
    if churn.empty:
        return "Supplier churn needs two full years of payments; the data has fewer."
    r = churn.iloc[-1]
    apart = "" if r["adjacent"] else " (not consecutive years: the year between is partial)"
    return (
        f"Between {r['from_year']} and {r['to_year']}{apart}, {_count(r['gained'])} new "
        f"({gbp(r['gained_pence'])} of spend in {r['to_year']}) and {_count(r['lost'])} no "
        f"longer paid ({gbp(r['lost_pence'])} in {r['from_year']}); "
        f"{_count(r['continuing'])} paid in both years."
    )


def trend_summary(changes: pd.DataFrame, movers: Mapping[str, pd.DataFrame]) -> str:
    """First-to-last full-year change of each share, with the suppliers that moved it most."""
    last = changes[changes["kind"] == "first_to_last"]
    if last.empty:
        return "Trends need two full years of payments; the data has fewer."
    lines = []
    for r in last.itertuples():
        name = SHARE_NAMES[r.share][0].upper() + SHARE_NAMES[r.share][1:]
        if pd.isna(r.change):
            lines.append(f"{name}: not measured in both {r.from_year} and {r.to_year}.")
            continue
        points = r.change * 100
        verb = "rose" if points > 0.05 else "fell" if points < -0.05 else "stayed level"
        line = (
            f"{name} {verb}: {pct(r.from_value)} in {r.from_year}, "
            f"{pct(r.to_value)} in {r.to_year} ({points:+.1f} points)"
        )
        moved = movers.get(r.share)
        if moved is not None and not moved.empty:
            line += "; moved most by " + listing(
                [
                    f"{escape_markdown(m.supplier_name)} ({m.contribution * 100:+.1f})"
                    for m in moved.head(3).itertuples()
                ]
            )
        lines.append(line + ".")
    return "\n".join(f"- {line}" for line in lines)


def opportunities_summary(opportunities: pd.DataFrame, local_definition: str) -> str:
    """Spend in community-deliverable fields with private suppliers not known to be local or small.

    Also says how much of it is confirmed.
    """
    if opportunities.empty:
        return (
            "No service area in the fields where community organisations commonly deliver paid "
            "private suppliers that are not known to be local or small."
        )
    total = int(opportunities["opportunity_pence"].sum())
    confirmed = int(opportunities["confirmed_pence"].sum())
    top = opportunities.iloc[0]
    where = LOCAL_PLACES.get(local_definition, "the area")
    return (
        f"{len(opportunities):,} service areas in fields where community organisations commonly "
        f"deliver paid {gbp(total)} to private suppliers not known to be based in {where} or "
        f"to be small; {gbp(confirmed)} of it went to suppliers confirmed large and based "
        f"outside it. The largest is {escape_markdown(top['service_area'])} "
        f"({gbp(top['opportunity_pence'])}, {pct(top['opportunity_share'])} of the area's spend)."
    )
