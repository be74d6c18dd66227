"""The case study's sections beyond the spend ledger, one entry function each.

Each function takes the inputs of :func:`kil_analysis.section_inputs.load_section_inputs` (and the
notebook's parameters), computes its measures (``kil_analysis.analysis``) and returns the
display objects in reading order — ``display(*sections.contracts_section(inputs, ...))`` in one
notebook cell. ``show=False`` (the notebook parameter ``show_<section>``) switches a section off
and says so; a section whose data is missing says what is missing and how to supply it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kil_analysis.analysis import assets, contracts, funding, multiplier, prevention
from kil_analysis.analysis.measures import (
    grant_recipients_paid_as_suppliers,
    grants_by_year,
    grants_in_period,
)
from kil_analysis.analysis.years import financial_year, full_years, year_coverage
from kil_analysis.present import assets as asset_views
from kil_analysis.present import contracts as contract_views
from kil_analysis.present import funding as funding_views
from kil_analysis.present import multiplier as multiplier_views
from kil_analysis.present import prevention as prevention_views
from kil_analysis.present import tables
from kil_analysis.present.display import chart, markdown
from kil_analysis.present.narrative import escape_markdown, grants_summary, source_line
from kil_analysis.section_inputs import SectionInputs


def switched_off(parameter: str) -> list:
    """The one line a switched-off section shows."""
    return [markdown(f"*This section is switched off (notebook parameter `{parameter} = False`).*")]


def _source(inputs: SectionInputs) -> str:
    study = inputs.study
    years = sorted(financial_year(study.spend["payment_date"]).dropna().unique())
    return source_line(study.config.name, study.is_demo, years)


def _classify(names: pd.Series, keys: pd.Series, inputs: SectionInputs, ids=None) -> pd.DataFrame:
    from kil_analysis.enrich import classify_suppliers

    return classify_suppliers(names, inputs.registers, ids=ids, keys=keys)


def contracts_section(inputs: SectionInputs, reference_date: str = "", show: bool = True) -> list:
    """Contracts and opportunities the council published.

    Value profile and the community-bid threshold, suitability for SMEs/VCSEs, awards to VCSE and
    SME suppliers (the notices' flags beside kil's), contracts ending in the 24 months after
    ``reference_date`` (ISO date; empty = today) and supplier postcodes as locality evidence.
    """
    if not show:
        return switched_off("show_contracts")
    name = inputs.study.config.name
    table = inputs.council_contracts
    if table is None:
        return [markdown(contract_views.no_notices(name, str(inputs.contracts_dir)))]
    if table.empty:
        releases = inputs.releases_read
        return [markdown(contract_views.no_notices_for_buyer(name, inputs.buyer_names, releases))]
    ref = reference_date or dt.date.today().isoformat()
    deal_table = contracts.deals(table)
    profile = contracts.value_profile(deal_table)
    over = contracts.too_large_to_bid(deal_table)
    limit = contracts.COMMUNITY_BID_LIMIT_PENCE
    source = contract_views.source_line(name)
    out: list[Any] = [
        markdown(contract_views.overview(deal_table, over, limit)),
        chart(contract_views.value_profile_chart, profile, source),
        contract_views.value_profile_table(profile),
        markdown(contract_views.limit_note(limit)),
        markdown(contract_views.suitability_sentence(contracts.suitability_shares(deal_table))),
    ]
    suppliers = contracts.award_suppliers(table, deal_table)
    if len(suppliers):
        classified = _classify(suppliers["supplier_name"], suppliers["supplier_key"], inputs)
        compared = contracts.notice_flags_beside_classification(suppliers, classified)
        out += [
            markdown(contract_views.flags_sentence(compared)),
            contract_views.flags_table(compared),
        ]
    soon = contracts.ending_soon(deal_table, ref)
    out += [
        markdown(contract_views.pipeline_sentence(soon, ref)),
        contract_views.pipeline_table(soon),
    ]
    evidence = contracts.supplier_locality_evidence(table)
    out += [
        markdown(
            f"Supplier postcodes in the notices ({len(evidence):,} suppliers): locality "
            "evidence the enrichment can use (`analysis.contracts.supplier_locality_evidence`)."
        ),
        contract_views.locality_evidence_table(evidence),
    ]
    return out


def _charity_sizes(inputs: SectionInputs) -> pd.Series:
    """Size band per charity number from the registers (UKCAT income, Charity Commission)."""
    orgs = inputs.community["organisations"]
    chc = orgs[orgs["org_id"].astype("string").str.startswith("GB-CHC-").fillna(False)]
    sizes = funding.charity_sizes(chc["org_id"].str[7:], chc["income_gbp"])
    regs = inputs.registers
    if regs is not None and len(regs.organisations):
        o = regs.organisations
        o = o[o["charity_number"].notna() & (o["size"] != "unknown")]
        sizes = sizes.combine_first(
            o.drop_duplicates("charity_number").set_index("charity_number")["size"]
        )
    return sizes


def funding_section(inputs: SectionInputs, show: bool = True) -> list:
    """How VCSE organisations are funded in the report period.

    (grants, contract awards, other payments, side by side), the size of their grants, and the split
    by charity income beside The Value of Small's 84%.
    """
    if not show:
        return switched_off("show_funding")
    from kil_analysis.readers.reference_figures import load_benchmarks

    study = inputs.study
    start, end = study.period
    out: list[Any] = []
    grants = recipient_types = None
    if study.grants is None:
        out.append(
            markdown(
                "No 360Giving grants file was supplied (put it in `grants/` beside the spend "
                "files)."
            )
        )
    else:
        note = funding_views.read_once_note(study.grants_report, study.grants_rejects)
        if note:
            out.append(markdown(note))
        grants = grants_in_period(study.grants, study.period)
        recipients = grant_recipients_paid_as_suppliers(grants, study.spend)
        out += [
            markdown(grants_summary(grants_by_year(grants), recipients)),
            tables.grants_by_year(grants),
            tables.grant_recipients(recipients),
        ]
        ids = grants.rename(columns={"recipient_key": "supplier_key", "recipient_org_id": "org_id"})
        ids = ids[["supplier_key", "org_id", "charity_number", "company_number"]].drop_duplicates(
            "supplier_key"
        )
        kinds = _classify(grants["recipient_name"], grants["recipient_key"], inputs, ids=ids)
        recipient_types = kinds.set_index("supplier_key")["org_type"]
    awards_pence = awards_n = None
    if inputs.council_contracts is not None and len(inputs.council_contracts):
        deal_table = contracts.deals(inputs.council_contracts)
        dated = pd.to_datetime(deal_table["award_date"])
        deal_table = deal_table[(dated >= pd.Timestamp(start)) & (dated <= pd.Timestamp(end))]
        sup = contracts.award_suppliers(inputs.council_contracts, deal_table)
        kinds = _classify(sup["supplier_name"], sup["supplier_key"], inputs) if len(sup) else None
        vcse = (
            sup[sup["supplier_key"].map(kinds.set_index("supplier_key")["org_type"]).eq("vcse")]
            if kinds is not None
            else sup.iloc[0:0]
        )
        awards_pence, awards_n = int(vcse["value_pence"].fillna(0).sum()), len(vcse)
    routes = funding.funding_routes(study.spend, grants, recipient_types, awards_pence, awards_n)
    out += [
        markdown(funding_views.routes_sentence(routes, study.period)),
        funding_views.routes_table(routes),
    ]
    benchmark = (
        load_benchmarks().set_index("measure").loc["larger_charity_share_of_council_funding"]
    )
    sizes = _charity_sizes(inputs)
    if grants is not None and len(grants):
        vcse_grants = grants[grants["recipient_key"].map(recipient_types).eq("vcse").fillna(False)]
        out += [
            markdown("**Grants to VCSE organisations by size** (in the report period):"),
            funding_views.grant_sizes_table(funding.grant_size_profile(vcse_grants)),
        ]
        split = funding.income_size_split(
            grants.rename(columns={"amount_pence": "pence"})[["charity_number", "pence"]], sizes
        )
        out += [
            markdown(funding_views.income_split_sentence(split, benchmark, "grants")),
            funding_views.income_split_table(split),
        ]
    suppliers = study.suppliers
    number = suppliers["register_id"].astype("string").str.extract(r"^GB-CHC-(\d+)$")[0]
    paid = (
        study.spend[study.spend["org_type"] == "vcse"].groupby("supplier_key")["amount_pence"].sum()
    )
    spend_rows = pd.DataFrame(
        {
            "charity_number": number.to_numpy(),
            "pence": suppliers["supplier_key"].map(paid).fillna(0).astype("int64").to_numpy(),
        }
    )
    spend_split = funding.income_size_split(spend_rows[spend_rows["pence"] != 0], sizes)
    out += [
        markdown(
            funding_views.income_split_sentence(
                spend_split, benchmark, "payments to VCSE suppliers"
            )
        )
    ]
    return out


def prevention_section(inputs: SectionInputs, show: bool = True) -> list:
    """Spend on prevention and early intervention lines.

    (keywords from the council's config, else the package defaults, printed), the VCSE share within
    it, and the full-year trend.
    """
    if not show:
        return switched_off("show_prevention")
    config, spend = inputs.study.config, inputs.study.spend
    service, expense, from_config = prevention.council_keywords(config)
    origin = "set in the council's config" if from_config else "kil's default keywords"
    mask = inputs.prevention_lines  # the same keywords: council_prevention_mask
    by_year = prevention.prevention_by_year(spend, mask)
    out: list[Any] = [markdown(prevention_views.keywords_note(service, expense, origin))]
    out.append(markdown(prevention_views.summary(by_year, prevention.full_year_trend(by_year))))
    if by_year["prevention_pence"].sum():
        out += [
            chart(prevention_views.trend_chart, by_year, _source(inputs)),
            prevention_views.by_year_table(by_year),
            markdown("**What was counted as prevention** (largest first):"),
            prevention_views.matched_table(prevention.matched_lines(spend, mask)),
        ]
    return out


def multiplier_section(
    inputs: SectionInputs,
    local_definition: str = "council",
    shares: tuple[float, ...] = (0.10,),
    show: bool = True,
) -> list:
    """NEF LM3 model of the latest full year's spend and of moving ``shares`` of it.

    ``shares`` of the spend move to local VCSE organisations, at low / central / high re-spend
    rates — labelled modelled throughout; not applied when too little spend is located.
    """
    if not show:
        return switched_off("show_multiplier")
    from kil_analysis.readers.reference_figures import load_lm3_coefficients
    from kil_analysis.readers.respend_survey import survey_rates

    spend = inputs.study.spend
    years = full_years(year_coverage(spend))
    fy = financial_year(spend["payment_date"])
    year = years[-1] if years else "the report period (no full year)"
    chosen = spend[fy == years[-1]] if years else spend
    groups = multiplier.spend_by_group(chosen, local_definition)
    located = multiplier.located_share(groups)
    out: list[Any] = [markdown(multiplier_views.MODELLED)]
    if located < multiplier.MIN_LOCATED_SHARE:
        return out + [markdown(multiplier_views.not_applicable(located))]
    coefficients = load_lm3_coefficients()
    survey = inputs.survey
    rates = multiplier.rates_with_overrides(
        multiplier.published_rates(coefficients),
        inputs.study.config.multiplier_rates,
        survey_rates(survey[0]) if survey is not None else None,
    )
    scenarios = multiplier.lm3_scenarios(groups, rates, shares)
    out += [
        markdown(multiplier_views.scenario_sentence(scenarios, year)),
        chart(multiplier_views.scenario_chart, scenarios, _source(inputs)),
        multiplier_views.scenarios_table(scenarios),
        markdown(multiplier_views.coverage_sentence(groups)),
        multiplier_views.rates_table(rates, coefficients),
        markdown(multiplier_views.sources_list(coefficients)),
    ]
    if survey is not None:
        out.append(markdown(multiplier_views.survey_note(survey[1], len(survey[0]))))
    return out


def _vcse_suppliers(inputs: SectionInputs) -> pd.DataFrame:
    s = inputs.study.suppliers
    paid = inputs.study.spend.groupby("supplier_key")["amount_pence"].sum()
    v = s[(s["org_type"] == "vcse") & s["postcode"].notna()]
    return v.assign(total_pence=v["supplier_key"].map(paid).fillna(0).astype("int64"))


def _by_district(orgs: pd.DataFrame, districts: tuple[str, ...], note: str) -> list:
    """The asset table by postcode district (those of the council's config), after ``note``."""
    local = orgs[assets.districts_of(orgs).isin(districts).fillna(False)]
    counts = assets.counts_by_area(local, assets.districts_of(local))
    return [
        markdown(note),
        markdown(asset_views.summary(counts, "postcode district")),
        asset_views.ward_table(counts, "Postcode district"),
    ]


def assets_section(inputs: SectionInputs, show: bool = True) -> list:
    """Community organisations in the council area.

    (registers, grant recipients, VCSE suppliers) counted and mapped by ward beside where the VCSE
    spend goes; a table by ward or postcode district when there are no boundaries or no postcode
    lookup.
    """
    if not show:
        return switched_off("show_assets")
    from kil_analysis.enrich.keys import name_keys
    from kil_analysis.readers.geography import read_ward_names

    config = inputs.study.config
    community = inputs.community
    grants = inputs.study.grants
    orgs = assets.gather_organisations(community["organisations"], grants, _vcse_suppliers(inputs))
    out: list[Any] = []
    if community["sources"]:
        out.append(
            markdown(
                "Registers read: "
                + "; ".join(escape_markdown(s) for s in community["sources"])
                + "."
            )
        )
    housing = community["social_housing"]
    if housing is not None:
        paid = int(
            inputs.study.suppliers["supplier_key"].isin(set(name_keys(housing["name"]))).sum()
        )
        note = asset_views.social_housing_note(housing, paid)
        if note:
            out.append(markdown(note))
    from kil_analysis.enrich.locality import place_postcodes

    if not orgs["postcode"].notna().any():
        out.append(
            markdown(
                "No community organisation with a postcode was found, so there is nothing to "
                "map: no register extracts with addresses (Co-operatives UK, charities, in the "
                f"registers folder `{escape_markdown(inputs.registers_dir.name)}`), no grant "
                "recipients with postcodes and no VCSE supplier whose postcode is known."
            )
        )
        return out
    registers = inputs.registers
    places = place_postcodes(
        orgs["postcode"].fillna(""),
        onspd=registers.onspd_parquet if registers else None,
        codepoint=registers.codepoint_parquet if registers else None,
    )
    if places["easting"].isna().all():
        note = (
            "No postcode lookup placed any organisation (no ONS Postcode Directory or OS "
            "Code-Point Open), so organisations are counted by postcode district (districts "
            "listed in the council's config; some straddle its boundary)."
        )
        return out + _by_district(orgs, config.postcode_districts, note)
    placed, placed_counts = assets.place_organisations(orgs, places, config.ons_code)
    used = sorted(places["place_source"].dropna().unique())
    lookup_name = " and ".join(used) if used else "the postcode lookup"
    boundaries = inputs.boundaries
    if boundaries is None and placed["lookup_ward_code"].isna().all():
        method = (
            "The lookup gives no ward codes (OS Code-Point Open was not found) and no "
            "boundaries file was given, so the organisations placed in the council area are "
            "counted by postcode district."
        )
        note = asset_views.placing_note(placed_counts, lookup_name, method)
        return out + _by_district(placed, config.postcode_districts, note)
    if boundaries is None:
        names = read_ward_names(inputs.lookups_dir)
        counts = assets.counts_by_area(placed, placed["lookup_ward_code"], names)
        method = (
            "Wards are Code-Point Open's own ward codes (current wards); no boundaries file was "
            "given, so there is no map (set `boundaries_file` to a GeoJSON or TopoJSON of wards)."
        )
        out += [
            markdown(asset_views.placing_note(placed_counts, lookup_name, method)),
            markdown(asset_views.summary(counts, "ward")),
            asset_views.ward_table(counts),
        ]
        return out
    wards, vintage = boundaries
    ward = assets.ward_of_points(placed["lon"], placed["lat"], wards)
    counts = assets.all_wards(
        assets.counts_by_area(placed[ward.notna()], ward.dropna(), wards.set_index("code")["name"]),
        wards,
    )
    method = (
        f"Points are joined to the wards of the boundaries file ({escape_markdown(vintage)}) by "
        "point in polygon, not by code: older ward codes do not join to today's. "
        f"{int(ward.isna().sum()):,} placed organisations fall outside every ward drawn."
    )
    source = f"Source: registers, grants and payments of {config.name}; kil analysis."
    out += [
        markdown(asset_views.placing_note(placed_counts, lookup_name, method)),
        markdown(asset_views.summary(counts, "ward")),
        chart(asset_views.asset_map, wards, placed[ward.notna()], counts, vintage, source),
        asset_views.ward_table(counts),
    ]
    return out
