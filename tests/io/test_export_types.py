"""Item 8: exports are typed as the data is, fields.csv is true to the file, GeoJSON is WGS 84 lon/lat
unless --crs says otherwise."""

import csv
import datetime as dt
import json

import pyogrio
import pytest

from gridmap.io.export import ExportOptions, export
from gridmap.io.shapefile import dbf_fields


def _dictionary(folder):
    with (folder / "fields.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_unit_grid_shapefile_has_real_and_integer_fields(store, tmp_path):
    export(store, tmp_path, ExportOptions(layer="unit_grid"))
    fields = {name.decode(): (kind, width, decimals)
              for name, kind, width, decimals in dbf_fields((tmp_path / "unit_grid.dbf").read_bytes())}
    assert fields["area_m2"][0] in "NF" and fields["area_m2"][2] > 0  # a real, not an 80-character string
    assert fields["id"][0] == "N" and fields["id"][2] == 0  # an integer
    info = pyogrio.read_info(str(tmp_path / "unit_grid.shp"))
    dtypes = dict(zip(info["fields"], map(str, info["dtypes"]), strict=True))
    assert dtypes["area_m2"] == "float64" and dtypes["id"].startswith("int")


@pytest.mark.parametrize(("layer", "profile"), [("unit_grid", "native"), ("components", "legacy"),
                                                ("components", "native"), ("incident", "native")])
def test_fields_csv_is_true_to_the_dbf(store, tmp_path, layer, profile):
    options = ExportOptions(layer=layer, profile=profile, encoding="gbk",
                            since=None if layer != "incident" else dt.datetime(2026, 11, 1))
    result = export(store, tmp_path, options)
    rows = _dictionary(tmp_path)
    for name in result.counts:
        dbf = (tmp_path / f"{name}.dbf").read_bytes()
        actual = [(raw.decode("gbk"), width) for raw, _kind, width, _ in dbf_fields(dbf)]
        listed = [(r["field"], int(r["width"])) for r in rows if r["layer"] == name]
        assert listed == actual


def test_incident_geopackage_keeps_integers_and_times(store, tmp_path):
    export(store, tmp_path, ExportOptions(layer="incident", format="gpkg", since=dt.datetime(2026, 10, 1)))
    info = pyogrio.read_info(str(tmp_path / "incident.gpkg"), layer="incident")
    dtypes = dict(zip(info["fields"], map(str, info["dtypes"]), strict=True))
    assert dtypes["rework_count"].startswith("int") and dtypes["id"].startswith("int")
    assert dtypes["reported_at"].startswith("datetime64")
    listed = {r["field"]: r["type"] for r in _dictionary(tmp_path)}
    assert listed["rework_count"] == "int" and listed["reported_at"] == "datetime"


def test_component_dates_are_dates(store, tmp_path):
    export(store, tmp_path, ExportOptions(profile="native", format="gpkg"))
    info = pyogrio.read_info(str(tmp_path / "components.gpkg"), layer="component_line")
    dtypes = dict(zip(info["fields"], map(str, info["dtypes"]), strict=True))
    assert dtypes["init_date"] == "datetime64[D]" and dtypes["chg_date"] == "datetime64[D]"


def test_geojson_is_wgs84_lon_lat_unless_crs_says_otherwise(store, tmp_path):
    export(store, tmp_path / "default", ExportOptions(layer="unit_grid", format="geojson"))
    data = json.loads((tmp_path / "default" / "unit_grid.geojson").read_text(encoding="utf-8"))
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 109 < lon < 111 and 39 < lat < 41
    assert "4326" in (tmp_path / "default" / "README.txt").read_text(encoding="utf-8")
    export(store, tmp_path / "metres", ExportOptions(layer="unit_grid", format="geojson", crs=4546))
    data = json.loads((tmp_path / "metres" / "unit_grid.geojson").read_text(encoding="utf-8"))
    x, _y = data["features"][0]["geometry"]["coordinates"][0][0]
    assert x > 100_000
