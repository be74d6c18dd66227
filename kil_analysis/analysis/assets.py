"""The community asset map: community organisations in the council area, counted by ward.

Beside where the council's VCSE spend goes (the Bristol pilot's question).

Organisations come from the registers (co-operatives, charities), the council's grant
recipients and its VCSE suppliers, each with a postcode. A postcode places a point through the
registers' postcode lookup, :func:`kil_analysis.enrich.locality.place_postcodes` (the packaged
ONS Postcode Directory, a supplied ONSPD, OS Code-Point Open: council code, grid reference and,
from Code-Point, the ward code). Points are kept when the lookup puts the postcode in the council.

Wards: with a boundaries file, each point is joined to the ward polygon that contains it
(point in polygon, WGS84) — never by code, because boundaries files carry the codes of their
vintage (2013 wards are WD13 codes that do not join to today's WD25 codes). Without one, the
lookup's own ward code names the ward (current codes, from Code-Point Open), and without any
ward code the table falls back to postcode districts. The report says which was used.

Caveat: a supplier's or charity's postcode is where it is registered, not where it works.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kil_analysis.enrich.locality import postcode_districts

PLACED_COLUMNS = [
    "source",
    "org_id",
    "name",
    "postcode",
    "easting",
    "northing",
    "lon",
    "lat",
    "district_code",
    "lookup_ward_code",
    "spend_pence",
]


def gather_organisations(
    registers: pd.DataFrame,
    grant_recipients: pd.DataFrame | None,
    vcse_suppliers: pd.DataFrame | None,
) -> pd.DataFrame:
    """One table of community organisations with postcodes: register rows.

    (``source``, ``org_id``, ``name``, ``postcode``, ``lat``/``lon``), grant recipients
    (``recipient_name``, ``recipient_org_id``, ``recipient_postcode``, ``amount_pence`` summed per
    recipient) and VCSE suppliers (``supplier_name``, ``register_id``, ``postcode``,
    ``total_pence``). ``spend_pence`` is what the council paid (suppliers) or granted (recipients);
    NA for register rows.
    """
    cols = ["source", "org_id", "name", "postcode", "spend_pence"]
    parts = [registers.assign(spend_pence=pd.NA)[[*cols, "lat", "lon"]]]
    if grant_recipients is not None and len(grant_recipients):
        g = grant_recipients.groupby("recipient_key", as_index=False).agg(
            name=("recipient_name", "first"),
            org_id=("recipient_org_id", "first"),
            postcode=("recipient_postcode", "first"),
            spend_pence=("amount_pence", "sum"),
        )
        parts.append(g.assign(source="Grant recipient")[cols])
    if vcse_suppliers is not None and len(vcse_suppliers):
        s = vcse_suppliers.rename(
            columns={"supplier_name": "name", "register_id": "org_id", "total_pence": "spend_pence"}
        )
        parts.append(s.assign(source="VCSE supplier")[cols])
    out = pd.concat(parts, ignore_index=True)
    out["postcode"] = out["postcode"].astype("string").str.upper().str.strip()
    return out


def place_organisations(
    organisations: pd.DataFrame, places: pd.DataFrame, council_code: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Organisations in the council, with grid reference, lon/lat and the lookup's ward code.

    ``places`` is :func:`kil_analysis.enrich.locality.place_postcodes` of
    ``organisations["postcode"]`` (same index: ``council_code``, ``ward_code``, ``easting``,
    ``northing``). Returns (placed rows with :data:`PLACED_COLUMNS`, counts: ``with_postcode``,
    ``not_in_lookup`` (no grid reference for the postcode), ``outside_council``, ``placed``).
    """
    from kil_analysis.readers.geography import grid_to_lonlat

    has = organisations["postcode"].notna() & places["postcode"].notna()
    rows = organisations[has].join(
        places.loc[has, ["council_code", "ward_code", "easting", "northing"]]
    )
    found = rows["easting"].notna() & rows["council_code"].notna()
    inside = found & (rows["council_code"] == council_code)
    counts = {
        "with_postcode": int(organisations["postcode"].notna().sum()),
        "not_in_lookup": int((~found).sum()),
        "outside_council": int((found & ~inside).sum()),
    }
    rows = rows[inside].rename(
        columns={"council_code": "district_code", "ward_code": "lookup_ward_code"}
    )
    counts["placed"] = len(rows)
    lon, lat = grid_to_lonlat(rows["easting"], rows["northing"])
    rows = rows.assign(lon=lon, lat=lat)
    return rows[PLACED_COLUMNS].reset_index(drop=True), counts


def ward_of_points(lon: pd.Series, lat: pd.Series, wards: pd.DataFrame) -> pd.Series:
    """The ``code`` of the ward polygon containing each point.

    (NA outside every ward; a point on a shared edge goes to the first ward in file order).
    """
    import shapely

    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    tree = shapely.STRtree(list(wards["geometry"]))
    point_idx, ward_idx = tree.query(points, predicate="intersects")
    first = pd.Series(ward_idx).groupby(point_idx).min()
    codes = pd.Series(pd.NA, index=range(len(points)), dtype="string")
    codes.iloc[first.index.to_numpy()] = wards["code"].to_numpy()[first.to_numpy()]
    return codes.set_axis(pd.Series(lon).index)


def counts_by_area(
    placed: pd.DataFrame, area: pd.Series, names: pd.Series | None = None
) -> pd.DataFrame:
    """Per area (``area``: one code per placed row).

    ``organisations`` by source (one column per source), ``organisations`` in all,
    ``vcse_spend_pence`` (paid to VCSE suppliers placed there) and ``grant_pence``. ``names`` maps
    code → area name. Sorted by organisations.
    """
    frame = placed.assign(area=area.to_numpy())
    counts = frame.pivot_table(
        index="area", columns="source", values="name", aggfunc="count", fill_value=0
    )
    counts.columns = [str(c) for c in counts.columns]
    counts["organisations"] = counts.sum(axis=1)
    spend = pd.to_numeric(frame["spend_pence"], errors="coerce").fillna(0).astype("int64")
    counts["vcse_spend_pence"] = (
        spend.where(frame["source"] == "VCSE supplier", 0).groupby(frame["area"]).sum()
    )
    counts["grant_pence"] = (
        spend.where(frame["source"] == "Grant recipient", 0).groupby(frame["area"]).sum()
    )
    out = counts.reset_index().rename(columns={"area": "code"})
    out.insert(1, "name", out["code"].map(names) if names is not None else out["code"])
    out["name"] = out["name"].fillna(out["code"])
    return out.sort_values(["organisations", "code"], ascending=[False, True], ignore_index=True)


def all_wards(counts: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with every ward of the boundaries file listed (zeros where none)."""
    base = wards[["code", "name"]].copy()
    merged = base.merge(counts.drop(columns=["name"]), on="code", how="left")
    numeric = [c for c in merged.columns if c not in ("code", "name")]
    merged[numeric] = merged[numeric].fillna(0).astype("int64")
    return merged.sort_values(["organisations", "code"], ascending=[False, True], ignore_index=True)


def districts_of(organisations: pd.DataFrame) -> pd.Series:
    """Postcode district of each organisation (the fallback area without a postcode lookup)."""
    return postcode_districts(organisations["postcode"].astype("string").fillna(""))
