"""The full-size demo city checked against the figures the mission names."""

import numpy as np
import pytest
import shapely

from gridmap.store import open_store
from gridmap.store.queries import geometries, layer_counts
from gridmap.store.validate import validate_store

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def store(full_demo_file):
    with open_store(full_demo_file) as s:
        yield s


def test_counts_match_dongsheng(store):
    counts = layer_counts(store)
    components = counts["component_point"] + counts["component_line"] + counts["component_polygon"]
    assert abs(components - 105_000) <= 1050
    assert counts["incident"] == 150_000
    assert counts["responsibility_grid"] == 42
    assert counts["street"] == 15 and counts["community"] == 84
    levels = dict(store.conn.execute("SELECT level, count(*) FROM community_grid GROUP BY level"))
    assert levels == {1: 15, 2: 84, 3: 486}
    assert 25 <= counts["responsible_unit"] <= 35


def test_every_minor_class_is_present(store):
    present = {r[0] for t in ("component_point", "component_line", "component_polygon")
               for r in store.conn.execute(f"SELECT DISTINCT class_code FROM {t}")}
    legacy = {r[0] for r in store.conn.execute("SELECT code FROM component_class WHERE scheme = 'legacy'")}
    assert present == legacy and len(legacy) == 95


def test_unit_grids_are_a_valid_coverage_of_the_district(store):
    _, grids = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    _, district = geometries(store, "district", ["code"])
    assert shapely.coverage_is_valid(grids)
    union = shapely.coverage_union_all(grids)
    assert shapely.area(shapely.symmetric_difference(union, district[0])) < 1.0
    median = float(np.median(shapely.area(grids)))
    assert 6_000 <= median <= 16_000


def test_responsibility_grids_are_connected_and_roughly_balanced(store):
    _, polys = geometries(store, "responsibility_grid", ["code"])
    assert all(p.geom_type == "Polygon" or len(p.geoms) == 1 for p in polys)
    load = dict(store.conn.execute(
        "SELECT g.responsibility_grid_code, count(*) FROM component_point c "
        "JOIN unit_grid g ON g.code = c.unit_grid_code AND g.valid_to IS NULL GROUP BY 1"))
    values = np.array(list(load.values()), dtype=float)
    assert len(values) == 42 and values.max() / values.mean() < 1.5 and values.min() / values.mean() > 0.6


def test_supervisors_cover_every_grid(store):
    uncovered = store.conn.execute(
        "SELECT count(*) FROM responsibility_grid g WHERE NOT EXISTS "
        "(SELECT 1 FROM supervisor_assignment a WHERE a.responsibility_grid_code = g.code)").fetchone()[0]
    assert uncovered == 0


def test_full_demo_validates(store):
    assert validate_store(store) == []
