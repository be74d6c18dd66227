"""Ward boundaries (GeoJSON/TopoJSON files), grid references as longitude/latitude, ward names.

Postcodes are placed by the registers' lookup, :func:`kil_analysis.enrich.locality.place_postcodes`
(ONS Postcode Directory, OS Code-Point Open); this module holds only what a map needs beyond it.

**Boundaries**: GeoJSON FeatureCollections (WGS84 longitude/latitude, as the ONS Open Geography
portal publishes them) or TopoJSON topologies (arcs quantised and delta-encoded, decoded here).
:func:`read_boundaries` returns one row per area with its code, name, the property the code came
from (``WD13CD`` → "2013 wards (WD13)": the vintage the report states) and a shapely geometry.
Geometry work uses shapely (GEOS) and coordinate conversion pyproj (PROJ): both ship wheels for
Python 3.11 on PyPI and are maintained by their projects; geopandas would add pyogrio's bundled
GDAL (about 33 MB) for files that are plain JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

CODE_PROPERTY = re.compile(r"^(?P<kind>[A-Z]{2,5})(?P<year>\d{2})CD$")
KINDS = {"WD": "wards", "LAD": "local authorities", "CTY": "counties", "PCON": "constituencies"}


class BoundariesError(ValueError):
    """A boundaries file cannot be used (one line naming the file and the problem)."""


def grid_to_lonlat(easting: pd.Series, northing: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """British National Grid (EPSG:27700) metres → WGS84 longitude, latitude (EPSG:4326).

    NaN in, NaN out. PROJ's default transformation (Helmert, about 2–5 m), ample for wards.
    """
    from pyproj import Transformer

    transformer = Transformer.from_crs(27700, 4326, always_xy=True)
    e = pd.to_numeric(easting, errors="coerce").astype(float).to_numpy()
    n = pd.to_numeric(northing, errors="coerce").astype(float).to_numpy()
    lon, lat = transformer.transform(e, n)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _vintage(properties: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """(code property, name property, vintage words) from a feature's properties."""
    for key in properties:
        m = CODE_PROPERTY.match(str(key))
        if m:
            kind, year = m.group("kind"), m.group("year")
            name_key = f"{kind}{year}NM"
            words = f"20{year} {KINDS.get(kind, kind.lower())} ({kind}{year})"
            return key, name_key if name_key in properties else None, words
    for code, name in (("code", "name"), ("id", "name")):
        if code in properties:
            return code, name if name in properties else None, "vintage not stated in the file"
    return None, None, "vintage not stated in the file"


def _decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology.get("arcs", []):
        points = np.asarray(arc, dtype=float)
        if transform:
            points = np.cumsum(points, axis=0)
            points = points * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(points.tolist())
    return arcs


def _ring(indices: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    coords: list[list[float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        coords.extend(arc if not coords else arc[1:])
    return coords


def _topo_geometry(geometry: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any]:
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [_ring(r, arcs) for r in geometry["arcs"]]
        return {"type": "Polygon", "coordinates": rings}
    if kind == "MultiPolygon":
        polys = [[_ring(r, arcs) for r in poly] for poly in geometry["arcs"]]
        return {"type": "MultiPolygon", "coordinates": polys}
    raise ValueError(f"geometry type {kind!r} is not an area")


def _features(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if doc.get("type") == "FeatureCollection":
        return [f for f in doc.get("features", []) if isinstance(f, dict)]
    if doc.get("type") == "Topology":
        arcs = _decode_arcs(doc)
        out = []
        for obj in doc.get("objects", {}).values():
            for g in obj.get("geometries", []):
                if g.get("type") in ("Polygon", "MultiPolygon"):
                    out.append(
                        {
                            "properties": g.get("properties") or {"id": g.get("id")},
                            "geometry": _topo_geometry(g, arcs),
                        }
                    )
        return out
    raise ValueError("expected a GeoJSON FeatureCollection or a TopoJSON Topology")


def read_boundaries(path: Path) -> tuple[pd.DataFrame, str]:
    """Areas from a GeoJSON or TopoJSON file.

    (table with ``code``, ``name``, ``geometry`` (shapely, lon/lat), vintage words such as "2013
    wards (WD13)"). BoundariesError (one line) when the file is missing, not JSON, or holds no areas
    with a code.
    """
    from shapely.geometry import shape

    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        features = _features(doc if isinstance(doc, dict) else {})
    except FileNotFoundError as exc:
        raise BoundariesError(f"{path}: no such boundaries file") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BoundariesError(f"{path}: not a JSON file") from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise BoundariesError(f"{path}: {str(exc).splitlines()[0]}") from exc
    if not features:
        raise BoundariesError(f"{path}: the file holds no areas")
    code_key, name_key, vintage = _vintage(features[0].get("properties") or {})
    if code_key is None:
        raise BoundariesError(f"{path}: the areas carry no code property (e.g. WD13CD)")
    rows = []
    for i, f in enumerate(features):
        props = f.get("properties") or {}
        try:
            geometry = shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BoundariesError(f"{path}: area {i + 1} has no usable geometry") from exc
        code = props.get(code_key)
        rows.append(
            {
                "code": str(code),
                "name": str(props.get(name_key) or code) if name_key else str(code),
                "geometry": geometry if geometry.is_valid else geometry.buffer(0),
            }
        )
    return pd.DataFrame(rows), vintage


def read_ward_names(folder: Path) -> pd.Series | None:
    """Ward code → name from ``ward_names.json`` in a lookups folder ({"E05…".

    "name"}); keys that are not ward codes (a stray CSV header, for one) are dropped. None when
    absent.
    """
    folder = Path(folder)
    found = sorted(folder.rglob("ward_names.json")) if folder.is_dir() else []
    if not found:
        return None
    data = json.loads(found[0].read_text(encoding="utf-8-sig"))
    names = {
        str(k).strip(): str(v)
        for k, v in data.items()
        if re.fullmatch(r"[EWSN]05\d{6}", str(k).strip())
    }
    return pd.Series(names, dtype="string")
