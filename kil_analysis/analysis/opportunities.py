"""Service areas and commissioning opportunities.

``service_area_shares``: VCSE and local shares of each service area's third-party spend, each
beside its coverage and "not measured" (NaN) below the minimum — the local share follows the
report's ``local_definition`` exactly as the headline does.

``commissioning_opportunities``: service areas in fields where community organisations commonly
deliver (care and support, children and families, public health, housing support, employment,
leisure and culture: keywords from the council config), ranked by how much of their spend goes
to private suppliers that are *not known to be local or small*. That spend is split into
**confirmed** (the supplier is large by register evidence and located outside the local area)
and **unconfirmed** (size or location unknown), so a reader sees how firm each lead is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kil_analysis.analysis.spend_lines import (
    SHARE_COVERAGE,
    SME_SIZES,
    UNKNOWN,
    line_masks,
    lines_with,
    local_localities,
    named_supplier_mask,
    service_area,
    third_party_mask,
)


def service_area_shares(
    spend: pd.DataFrame,
    local_definition: str = "council",
    min_coverage: float = 0.5,
    top: int | None = 12,
) -> pd.DataFrame:
    """Third-party spend per service area with its VCSE and local shares, largest first.

    Columns: service_area, total_pence, vcse_pence, vcse_share, classified_share,
    local_pence, local_share, located_share. Shares are of the area's third-party spend and
    NaN (not measured) when their coverage is below ``min_coverage``; ``top`` limits the
    number of areas (None: all).
    """
    used = ("service_area", "amount_pence", "is_redacted", "org_type", "locality", "size")
    third = lines_with(spend, third_party_mask(spend), used)
    masks = line_masks(third, local_definition)
    pence = third["amount_pence"]
    frame = pd.DataFrame(
        {
            "service_area": service_area(third),
            "total_pence": pence,
            "named_pence": pence.where(masks["named"], 0),
            "vcse_pence": pence.where(masks["vcse_share"], 0),
            "local_pence": pence.where(masks["local_share"], 0),
            "classified_pence": pence.where(masks["classified"], 0),
            "located_pence": pence.where(masks["located"], 0),
        }
    )
    g = frame.groupby("service_area").sum()
    named_total = g["named_pence"].where(g["named_pence"] != 0)
    g["classified_share"] = g["classified_pence"] / named_total
    g["located_share"] = g["located_pence"] / named_total
    whole = g["total_pence"].where(g["total_pence"] != 0)
    for share, stem in (("vcse_share", "vcse"), ("local_share", "local")):
        (needs,) = SHARE_COVERAGE[share]
        measured = g[f"{needs}_share"] >= min_coverage
        g[share] = (g[f"{stem}_pence"] / whole).where(measured)
    g = g.sort_values(["total_pence"], ascending=False)
    if top is not None:
        g = g.head(top)
    columns = [
        "service_area",
        "total_pence",
        "vcse_pence",
        "vcse_share",
        "classified_share",
        "local_pence",
        "local_share",
        "located_share",
    ]
    return g.reset_index()[columns]


def field_of(areas: pd.Series, fields: Mapping[str, Sequence[str]]) -> pd.Series:
    """The first commissioning field whose keywords occur in each service area's name.

    (a keyword matches at the start of a word, case-insensitively: 'care' matches 'Carefirst' and
    'Adult Social Care', not 'Skincare'); None where no field matches.
    """
    # match each distinct name once, then give every line its name's field by position
    codes, names = pd.factorize(areas, use_na_sentinel=False)
    text = [str(name).lower() for name in names]
    found = np.full(len(text), None, dtype=object)
    for field, keywords in fields.items():
        if not keywords:
            continue
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k.lower()) for k in keywords) + ")")
        for i, name in enumerate(text):
            if found[i] is None and pattern.search(name):
                found[i] = field
    return pd.Series(found[codes], index=areas.index, dtype=object)


def commissioning_opportunities(
    spend: pd.DataFrame,
    fields: Mapping[str, Sequence[str]],
    local_definition: str = "council",
    largest: int = 3,
) -> pd.DataFrame:
    """Service areas in community-deliverable fields, ranked by spend open to local providers.

    Ranked by spend with private suppliers not known to be local or small.

    Columns: service_area, field, area_pence (third-party spend), opportunity_pence (private,
    not local under ``local_definition``, not micro/small/medium), confirmed_pence (of that:
    large by register evidence and located outside the local area), unconfirmed_pence (size
    or location unknown), opportunity_share (of the area's spend), largest_suppliers (list of
    (name, pence) of the biggest such suppliers, at most ``largest``). Areas with no such
    spend are left out.
    """
    used = ("service_area", "supplier_key", "supplier_name", "amount_pence", "is_redacted")
    third = lines_with(spend, third_party_mask(spend), (*used, "org_type", "locality", "size"))
    areas = service_area(third)
    field = field_of(areas, fields)
    local = third["locality"].isin(local_localities(local_definition))
    size = third["size"].fillna(UNKNOWN)
    locality = third["locality"].fillna(UNKNOWN)
    lead = named_supplier_mask(third) & (third["org_type"] == "private") & ~local
    lead &= ~size.isin(SME_SIZES)
    confirmed = lead & (size == "large") & (locality != UNKNOWN)
    frame = pd.DataFrame(
        {
            "service_area": areas,
            "field": field,
            "area_pence": third["amount_pence"],
            "opportunity_pence": third["amount_pence"].where(lead, 0),
            "confirmed_pence": third["amount_pence"].where(confirmed, 0),
        }
    )[field.notna()]
    columns = [
        "service_area",
        "field",
        "area_pence",
        "opportunity_pence",
        "confirmed_pence",
        "unconfirmed_pence",
        "opportunity_share",
        "largest_suppliers",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    g = frame.groupby(["service_area", "field"]).sum().reset_index()
    g = g[g["opportunity_pence"] > 0]
    g["unconfirmed_pence"] = g["opportunity_pence"] - g["confirmed_pence"]
    g["opportunity_share"] = g["opportunity_pence"] / g["area_pence"].where(g["area_pence"] > 0)
    leads = third[lead & field.notna()].assign(service_area=areas)
    per_supplier = (
        leads.groupby(["service_area", "supplier_key"], observed=True)
        .agg(name=("supplier_name", "first"), pence=("amount_pence", "sum"))
        .reset_index()
        .sort_values(["service_area", "pence", "supplier_key"], ascending=[True, False, True])
    )
    # each area's biggest suppliers in one pass (not one small frame per area: hundreds)
    top = per_supplier.groupby("service_area", sort=False).head(largest)
    biggest: dict[object, list[tuple[str, int]]] = {}
    for area, name, pence in zip(top["service_area"], top["name"], top["pence"], strict=True):
        biggest.setdefault(area, []).append((str(name), int(pence)))
    g["largest_suppliers"] = g["service_area"].map(lambda a: biggest.get(a, []))
    g = g.sort_values(["opportunity_pence", "service_area"], ascending=[False, True])
    for col in ("area_pence", "opportunity_pence", "confirmed_pence", "unconfirmed_pence"):
        g[col] = g[col].astype("int64")
    return g[columns].reset_index(drop=True)
