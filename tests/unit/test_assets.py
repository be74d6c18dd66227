"""The community asset map from the real 2013 ward boundaries of Newcastle: an image is
produced, and the organisations counted per ward equal an independent count (the registers
read with the csv module, Code-Point Open's grid references, and a ray-casting point in polygon
written here)."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from kil_analysis.analysis import assets
from kil_analysis.enrich.locality import place_postcodes
from kil_analysis.present import assets as views
from kil_analysis.present.display import figure_html
from kil_analysis.readers.community_registers import load_community_registers
from kil_analysis.readers.geography import read_boundaries
from kil_analysis.readers.registers.postcodes import codepoint_to_parquet


def _inside(x: float, y: float, ring: list) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _independent_counts(shared, council: str, wards_file) -> Counter:
    from pyproj import Transformer

    grid = {}
    for path in (shared / "lookups" / "codepoint-open").glob("codepoint_open_*.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            grid[row[0].replace(" ", "")] = (int(row[2]), int(row[3]), row[8])
    postcodes = set()
    with (shared / "registers" / "coops-uk" / "open_data_organisations_2023-03.csv").open(
        encoding="utf-8-sig"
    ) as f:
        orgs = [("coop", r["Identifier"], r["Postcode"]) for r in csv.DictReader(f)]
    seen = set()
    for name in ("sample.csv", "top2000.csv"):
        with (shared / "registers" / "ukcat" / name).open(encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                if r["org_id"] not in seen and r["active"].lower() != "false":
                    seen.add(r["org_id"])
                    orgs.append(("charity", r["org_id"], r["postcode"]))
    to_lonlat = Transformer.from_crs(27700, 4326, always_xy=True)
    features = json.loads(wards_file.read_text(encoding="utf-8"))["features"]
    counts: Counter = Counter()
    for _, _, postcode in orgs:
        key = postcode.upper().replace(" ", "").strip()
        if key not in grid or grid[key][2] != council:
            continue
        postcodes.add(key)
        lon, lat = to_lonlat.transform(grid[key][0], grid[key][1])
        for f in features:
            if any(_inside(lon, lat, poly[0]) and not any(_inside(lon, lat, h) for h in poly[1:])
                   for poly in _polygons(f["geometry"])):  # fmt: skip
                counts[f["properties"]["WD13CD"]] += 1
                break
    return counts


@pytest.mark.shared_data
def test_asset_map_from_real_ward_boundaries_counts_match_an_independent_count(
    shared_data, tmp_path
):
    wards_file = shared_data / "boundaries" / "wards_E08000021.json"
    wards, vintage = read_boundaries(wards_file)
    assert vintage == "2013 wards (WD13)" and len(wards) == 26
    community = load_community_registers(shared_data / "registers")
    # Code-Point Open alone (as the independent count reads it), not the packaged directory
    areas = sorted((shared_data / "lookups" / "codepoint-open").glob("codepoint_open_*.csv"))
    codepoint = codepoint_to_parquet(areas, tmp_path / "codepoint.parquet")
    orgs = assets.gather_organisations(community["organisations"], None, None)
    places = place_postcodes(orgs["postcode"].fillna(""), codepoint=codepoint, packaged=False)
    placed, placing = assets.place_organisations(orgs, places, "E08000021")
    ward = assets.ward_of_points(placed["lon"], placed["lat"], wards)
    counts = assets.all_wards(
        assets.counts_by_area(placed[ward.notna()], ward.dropna(), wards.set_index("code")["name"]),
        wards,
    )
    expected = _independent_counts(shared_data, "E08000021", wards_file)
    got = dict(zip(counts["code"], counts["organisations"], strict=True))
    assert {k: v for k, v in got.items() if v} == dict(expected)
    assert sum(expected.values()) == placing["placed"] - int(ward.isna().sum()) > 50
    fig = views.asset_map(wards, placed[ward.notna()], counts, vintage, "Source: test.")
    image = tmp_path / "asset_map.png"
    fig.savefig(image)
    assert image.stat().st_size > 20_000
    assert "2013 wards (WD13)" in fig.alt_text and "Westgate" in fig.alt_text
    assert 'src="data:image/png;base64,' in figure_html(fig)


@pytest.mark.shared_data
def test_topojson_outlines_decode_to_areas(shared_data):
    areas, vintage = read_boundaries(shared_data / "boundaries" / "topo_lad_eng.json")
    assert vintage == "2013 local authorities (LAD13)" and len(areas) == 326
    newcastle = areas.set_index("code").loc["E08000021", "geometry"]
    import shapely

    assert newcastle.contains(shapely.points(-1.6178, 54.9783))  # the city centre


def test_without_a_postcode_lookup_organisations_count_by_district():
    import pandas as pd

    orgs = pd.DataFrame({"source": ["Co-operatives UK"] * 3 + ["VCSE supplier"],
                         "name": list("ABCD"), "postcode": ["NE1 1AA", "NE1 2BB", "NE6 1XX", None],
                         "spend_pence": [pd.NA, pd.NA, pd.NA, 500]})  # fmt: skip
    counts = assets.counts_by_area(orgs.iloc[:3], assets.districts_of(orgs.iloc[:3]))
    assert dict(zip(counts["code"], counts["organisations"], strict=True)) == {"NE1": 2, "NE6": 1}


def test_a_broken_boundaries_file_is_one_line(tmp_path):
    from kil_analysis.readers.geography import BoundariesError

    bad = tmp_path / "wards.json"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(BoundariesError, match="holds no areas"):
        read_boundaries(bad)
