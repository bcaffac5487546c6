"""gridmap's own unit grid exports come back editable: the shapefile's 10-character field names
('responsibi'), and GeoJSON in EPSG:4326 whose round trip moves vertices by millimetres (the stored
polygon is kept within 1 cm, attributes still compared) (review of issue 11, item 2)."""

import json

import shapely

from gridmap.io.export import ExportOptions, export
from gridmap.io.files import read_table, write_table
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store import grids
from tests.io.conftest import count


def _allowed_move(store):
    plan = grids.load_plan(store)
    return next((u, t) for u in sorted(plan.assignment) for t in sorted(plan.members)
                if t != plan.assignment[u] and plan.check(u, t) is None)


def _stored(store, code):
    wkb = store.conn.execute("SELECT AsBinary(geom) FROM unit_grid WHERE code = ? AND valid_to IS NULL",
                             (code,)).fetchone()[0]
    return shapely.from_wkb(wkb)


def test_a_changed_assignment_in_our_own_shapefile_is_imported(store, tmp_path):
    export(store, tmp_path / "out", ExportOptions(layer="unit_grid", format="shp"))
    table = read_table(tmp_path / "out" / "unit_grid.shp")
    assert "responsibi" in table.columns  # the .dbf's 10-character name
    unit, target = _allowed_move(store)
    k = list(table.columns["code"]).index(unit)
    table.columns["responsibi"][k] = target
    edited = tmp_path / "edited.shp"
    write_table(edited, "shp", table, layer="unit_grid")
    report = import_file(store, edited, ImportOptions(layer="unit_grid"))
    assert report.errors == [] and report.updated == 1 and report.written
    assert grids.current_assignment(store)[unit] == target


def test_geojson_round_trip_keeps_the_stored_polygons(store, tmp_path):
    export(store, tmp_path / "out", ExportOptions(layer="unit_grid", format="geojson"))
    data = json.loads((tmp_path / "out" / "unit_grid.geojson").read_text(encoding="utf-8"))
    unit, target = _allowed_move(store)
    before_polygon = _stored(store, unit)
    for feature in data["features"]:
        if feature["properties"]["code"] == unit:
            feature["properties"]["responsibility_grid_code"] = target
    edited = tmp_path / "edited.geojson"
    edited.write_text(json.dumps(data), encoding="utf-8")
    versions = count(store, "unit_grid")
    report = import_file(store, edited, ImportOptions(layer="unit_grid"))
    assert report.errors == [] and report.updated == 1 and report.written
    assert count(store, "unit_grid") == versions + 1  # only the reassigned grid got a new version
    assert grids.current_assignment(store)[unit] == target
    # the stored geometry, not the file's
    assert shapely.equals_exact(_stored(store, unit), before_polygon, tolerance=0)
