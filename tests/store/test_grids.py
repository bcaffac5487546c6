"""Grid edits on real SpatiaLite files: versions, history, concurrency, scenarios, boundary edits."""

import itertools
import sqlite3

import fiona
import pytest
import shapely

from gridmap.domain.plan import MoveRefused
from gridmap.domain.topology import TopologyRefused
from gridmap.io.plan_export import export_plan
from gridmap.store import grids, open_store
from gridmap.store.validate import validate_store


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def border_unit(plan, source, target):
    """A unit of ``source`` that may move into ``target`` under the rules."""
    return next(u for u in sorted(plan.members[source]) if plan.check(u, target) is None
                and plan.neighbours[u] & plan.members[target])


def snapshot(store):
    return (store.conn.execute("SELECT count(*), group_concat(code) FROM unit_grid").fetchone()[0],
            store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_commit_writes_a_new_version_and_keeps_incident_snapshots(store):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    unit = border_unit(plan, source, target)
    reported_before = store.conn.execute(
        "SELECT count(*) FROM incident WHERE unit_grid_code = ? AND responsibility_grid_code = ?",
        (unit, source)).fetchone()[0]
    plan.move([unit], target)
    assert grids.commit_plan(store, plan, note="rebalance") == 1
    versions = grids.history(store, unit)
    assert [v.responsibility_grid_code for v in versions] == [source, target]
    assert versions[0].valid_to == versions[1].valid_from and versions[1].valid_to is None
    # historical incidents still point at the grid they were reported in
    assert store.conn.execute("SELECT count(*) FROM incident WHERE unit_grid_code = ? AND "
                              "responsibility_grid_code = ?", (unit, source)).fetchone()[0] == reported_before
    action, detail = store.conn.execute("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert action == "plan.commit" and unit in detail and "rebalance" in detail
    assert validate_store(store) == []  # responsibility grid polygons were dissolved again


def test_a_concurrent_commit_is_refused_and_writes_nothing(store, small_demo):
    mine = grids.load_plan(store)
    source, target = sorted(mine.members)[:2]
    unit = border_unit(mine, source, target)
    with open_store(small_demo) as other:  # another planner commits the same unit first
        grids.assign_units(other, [unit], target)
    before = snapshot(store)
    mine.move([unit], target)
    with pytest.raises(grids.ConcurrentEditError, match="since this draft began"):
        grids.commit_plan(store, mine)
    assert snapshot(store) == before


def test_assign_refuses_a_disconnecting_move_and_writes_nothing(store):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    far = next(u for u in plan.members[source] if not plan.neighbours[u] & plan.members[target])
    before = snapshot(store)
    with pytest.raises(MoveRefused, match="does not touch"):
        grids.assign_units(store, [far], target)
    assert snapshot(store) == before


def test_locks_are_kept_in_the_file(store, small_demo):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    grids.set_locked(store, target, True)
    with open_store(small_demo) as again:
        assert target in grids.load_plan(again).locked
    with pytest.raises(MoveRefused, match="locked"):
        grids.assign_units(store, [border_unit(plan, source, target)], target)


def test_scenarios_round_trip_and_compare(store):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    unit = border_unit(plan, source, target)
    plan.move([unit], target)
    grids.save_scenario(store, "方案一", plan, note="try")
    with pytest.raises(grids.ScenarioError, match="already exists"):
        grids.save_scenario(store, "方案一", plan)
    assert [s["name"] for s in grids.list_scenarios(store)] == ["方案一"]
    fresh = grids.load_plan(store)
    assert grids.apply_scenario(fresh, grids.load_scenario(store, "方案一")) == []
    assert fresh.changes() == [(unit, source, target)]
    grids.delete_scenario(store, "方案一")
    with pytest.raises(grids.ScenarioError):
        grids.load_scenario(store, "方案一")


def unit_polygon(store, offset=10):
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code "
                              "LIMIT 1 OFFSET ?", (offset,)).fetchone()[0]
    return code, grids.unit_grid_polygons(store, [code])[code]


def current_codes(store):
    return {r[0] for r in store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL")}


def test_split_gives_new_codes_and_keeps_the_tiling(store):
    code, polygon = unit_polygon(store)
    before = current_codes(store)
    minx, miny, maxx, maxy = polygon.bounds
    mid = (minx + maxx) / 2
    line = shapely.LineString([(mid, miny - 10), (mid + 2, maxy + 10)])
    mapping = grids.apply_edit(store, grids.split_edit(store, code, line), "grid.split")
    after = current_codes(store)
    assert len(mapping) == 2 and code not in after
    assert before - {code} <= after  # every other grid keeps its code
    community = code[:12]
    used = max(int(c[-3:]) for c in before if c.startswith(community))
    assert sorted(int(c[-3:]) for c in mapping) == [used + 1, used + 2]
    assert validate_store(store) == []
    assert grids.history(store, code)[-1].valid_to is not None


def test_merge_then_components_and_open_incidents_follow(store):
    plan = grids.load_plan(store)
    a = next(u for u in sorted(plan.assignment) if any(n[:12] == u[:12] for n in plan.neighbours[u]))
    b = next(n for n in sorted(plan.neighbours[a]) if n[:12] == a[:12])
    def components_in(*codes):
        marks = ", ".join("?" * len(codes))
        return store.conn.execute(f"SELECT count(*) FROM component_point WHERE unit_grid_code IN ({marks})",
                                  codes).fetchone()[0]

    comps = components_in(a, b)
    mapping = grids.apply_edit(store, grids.merge_edit(store, [a, b]), "grid.merge")
    (new,) = mapping
    assert components_in(new) == comps
    assert components_in(a, b) == 0
    open_left = store.conn.execute("SELECT count(*) FROM incident WHERE unit_grid_code IN (?, ?) AND status NOT IN "
                                   "('closed', 'rejected')", (a, b)).fetchone()[0]
    assert open_left == 0
    assert validate_store(store) == []


def test_merging_across_communities_is_refused(store):
    plan = grids.load_plan(store)
    a = next(u for u in sorted(plan.assignment) if any(n[:12] != u[:12] for n in plan.neighbours[u]))
    b = next(n for n in sorted(plan.neighbours[a]) if n[:12] != a[:12])
    with pytest.raises(TopologyRefused, match="different communities"):
        grids.merge_edit(store, [a, b])


def test_an_interior_vertex_move_is_written_and_a_boundary_one_refused(store):
    _code, polygon = unit_polygon(store, 30)
    # an interior vertex: shared by at least three grids
    vertex = next(v for v in polygon.exterior.coords[:-1]
                  if len(grids.polygons_near(store, v[0], v[1], 0.01)) >= 3)
    result = grids.vertex_edit(store, [(vertex, (vertex[0] + 6, vertex[1] - 4))])
    grids.apply_edit(store, result, "grid.vertex")
    assert validate_store(store) == []
    district = shapely.from_wkb(store.conn.execute("SELECT AsBinary(geom) FROM district").fetchone()[0])
    corner = list(shapely.get_parts(district)[0].exterior.coords)[3]
    before = snapshot(store)
    with pytest.raises(TopologyRefused):
        grids.apply_edit(store, grids.vertex_edit(store, [(corner, (corner[0] + 25, corner[1] + 25))]), "grid.vertex")
    assert snapshot(store) == before


def test_export_plan_writes_dissolved_grids_and_the_table(store, tmp_path):
    plan = grids.load_plan(store)
    gpkg, table = export_plan(plan, store.srid, tmp_path / "out")
    with fiona.open(gpkg) as src:
        assert len(src) == len(plan.members)
        assert src.crs.to_epsg() == 4546
        feature = next(iter(src))
        assert feature["properties"]["units"] == len(plan.members[feature["properties"]["code"]])
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("unit_grid_code") and len(lines) == len(plan.assignment) + 1
    assert not list((tmp_path / "out").glob("tmp*"))


def test_history_lists_changed_grids(store):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    unit = border_unit(plan, source, target)
    grids.assign_units(store, [unit], target, note="cli")
    assert {v.code for v in grids.history(store)} == {unit}


def test_two_versions_in_the_same_second_still_order(store):
    plan = grids.load_plan(store)
    source, target = sorted(plan.members)[:2]
    unit = border_unit(plan, source, target)
    grids.assign_units(store, [unit], target)
    grids.assign_units(store, [unit], source)
    versions = grids.history(store, unit)
    assert len(versions) == 3 and all(a.valid_to == b.valid_from for a, b in itertools.pairwise(versions))
    conn = sqlite3.connect(store.path)
    current = conn.execute("SELECT count(*) FROM unit_grid WHERE code = ? AND valid_to IS NULL", (unit,)).fetchone()[0]
    assert current == 1
    conn.close()
