"""A component on the district boundary stays inside after a round trip through EPSG:4326: a deciding
point within EDGE_TOLERANCE_M (1 mm) outside every unit grid belongs to the nearest one, in imports and
in `validate` alike; farther out it is outside (review of issue 11, item 3)."""

import shapely

from gridmap.domain.assignment import EDGE_TOLERANCE_M, GridLocator
from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import write_shapefile


def _edge_line(store, outward_m: float):
    """A 20 m line along the longest edge of the district's outer ring, moved ``outward_m`` outside."""
    district = shapely.from_wkb(store.conn.execute("SELECT AsBinary(geom) FROM district").fetchone()[0])
    ring = shapely.get_coordinates(shapely.get_exterior_ring(shapely.orient_polygons(
        shapely.get_geometry(district, 0))))
    k = max(range(len(ring) - 1), key=lambda i: (ring[i + 1][0] - ring[i][0]) ** 2 + (ring[i + 1][1] - ring[i][1]) ** 2)
    (x0, y0), (x1, y1) = ring[k], ring[k + 1]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = dy * outward_m, -dx * outward_m  # right of a counter-clockwise shell is outside
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return shapely.LineString([(mx - 10 * dx + nx, my - 10 * dy + ny), (mx + 10 * dx + nx, my + 10 * dy + ny)])


def _import(store, tmp_path, line):
    line_class = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'line' ORDER BY code"
                                    ).fetchone()[0]
    code = f"150602{line_class}999001"
    shp = write_shapefile(tmp_path / "edge.shp", [line], {"code": [code], "class_code": [line_class]},
                          geometry_type="LineString", epsg=store.srid)
    return import_file(store, shp, ImportOptions(profile="native"), dry_run=True)


def test_a_line_a_hair_outside_the_boundary_is_inside(store, tmp_path):
    report = _import(store, tmp_path, _edge_line(store, EDGE_TOLERANCE_M / 2))
    assert report.errors == [], report.lines()


def test_a_line_a_centimetre_outside_is_outside(store, tmp_path):
    report = _import(store, tmp_path, _edge_line(store, 0.01))
    assert any("outside the managed area" in text for _, text in report.errors)


def test_the_locator_gives_the_nearest_grid_within_the_tolerance():
    square = shapely.box(0, 0, 10, 10)
    located = GridLocator([square], ["A"]).locate(shapely.points([(10 + 1e-9, 5), (10.1, 5), (5, 5)]))
    assert list(located) == ["A", None, "A"]
