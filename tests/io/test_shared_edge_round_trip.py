"""A component whose deciding point lies on the edge between two unit grids keeps its stored unit grid
when it comes back unmoved (a GeoJSON round trip nudges it by ~1e-9 m to either side): re-importing our
own unchanged GeoJSON of lines changed the unit grid of 9 lines (found while checking item 3 of the
review of issue 11)."""

import shapely

from gridmap.io.importer import ImportOptions, import_file
from gridmap.store.queries import geometries
from tests.io.conftest import write_shapefile


def test_an_unmoved_point_on_a_shared_edge_keeps_its_stored_unit_grid(store, tmp_path):
    rows, polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    a, b = next((i, j) for i in range(len(polys)) for j in range(i + 1, len(polys))
                if shapely.length(shapely.intersection(polys[i].boundary, polys[j].boundary)) > 1)
    shared = shapely.line_merge(shapely.intersection(polys[a].boundary, polys[b].boundary))
    point = shapely.line_interpolate_point(shapely.get_geometry(shared, 0), 0.5, normalized=True)
    point_class = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'point' ORDER BY code"
                                     ).fetchone()[0]
    code = f"150602{point_class}999001"
    shp = write_shapefile(tmp_path / "edge.shp", [point], {"code": [code], "class_code": [point_class]},
                          epsg=store.srid)
    assert import_file(store, shp, ImportOptions(profile="native")).written
    located = store.conn.execute("SELECT unit_grid_code FROM component_point WHERE code = ?", (code,)).fetchone()[0]
    other = rows[b][0] if located == rows[a][0] else rows[a][0]
    with store.transaction() as conn:  # stored in the other grid, as a locator with the other order would
        conn.execute("UPDATE component_point SET unit_grid_code = ? WHERE code = ?", (other, code))
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert report.errors == [] and report.updated == 0 and report.unchanged == 1
    assert store.conn.execute("SELECT unit_grid_code FROM component_point WHERE code = ?", (code,)
                              ).fetchone()[0] == other
