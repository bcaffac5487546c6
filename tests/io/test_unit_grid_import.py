"""Item 5: unit-grid import writes a new version only for really changed grids; invalid rings name the
row and the grid; a repair that loses area is refused unless asked; a retired code never comes back
(issue 10, item 7)."""

import shapely
import shapely.affinity

from gridmap.io.export import ExportOptions, export
from gridmap.io.files import read_table, write_table
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store import grids
from gridmap.store.validate import validate_store
from tests.io.conftest import count


def _exported(store, tmp_path, fmt="gpkg", crs=None):
    export(store, tmp_path / "out", ExportOptions(layer="unit_grid", format=fmt, crs=crs))
    return tmp_path / "out" / f"unit_grid.{fmt}"


def test_reimporting_an_unchanged_layer_adds_no_version(store, tmp_path):
    source = _exported(store, tmp_path, "shp", crs=4490)  # through a CRS round trip, too
    before = count(store, "unit_grid")
    audit = count(store, "audit_log")
    report = import_file(store, source, ImportOptions(layer="unit_grid"))
    assert report.errors == [] and report.updated == 0 and report.inserted == 0
    assert report.unchanged == count(store, "unit_grid", "valid_to IS NULL")
    assert count(store, "unit_grid") == before and count(store, "audit_log") == audit


def test_only_the_changed_grid_gets_a_new_version(store, tmp_path):
    source = _exported(store, tmp_path)
    table = read_table(source)
    codes = list(table.columns["code"])
    plan = grids.load_plan(store)  # a move the plan rules allow (the grid stays connected, none locked)
    unit, other = next((u, t) for u in codes for t in sorted(plan.members)
                       if t != plan.assignment[u] and plan.check(u, t) is None)
    k = codes.index(unit)
    table.columns["responsibility_grid_code"][k] = other
    changed = tmp_path / "changed.gpkg"
    write_table(changed, "gpkg", table, layer="unit_grid")
    before = count(store, "unit_grid")
    problems_before = {(p.kind, p.code) for p in validate_store(store)}
    report = import_file(store, changed, ImportOptions(layer="unit_grid"))
    assert report.errors == [] and report.updated == 1 and report.unchanged == len(codes) - 1
    assert count(store, "unit_grid") == before + 1
    assert count(store, "unit_grid", "code = ?", (unit,)) == 2
    # the responsibility grids were dissolved again: the moved unit grid now lies in the other one
    inside = store.conn.execute("SELECT Within(PointOnSurface(u.geom), r.geom) FROM unit_grid u, "
                                "responsibility_grid r WHERE u.code = ? AND u.valid_to IS NULL AND r.code = ?",
                                (unit, other)).fetchone()[0]
    assert inside == 1
    assert {(p.kind, p.code) for p in validate_store(store)} <= problems_before


def test_a_bow_tie_names_the_row_and_the_grid(store, tmp_path):
    source = _exported(store, tmp_path)
    table = read_table(source)
    grid = table.geometries[2]
    x0, y0, x1, y1 = grid.bounds
    table.geometries[2] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    broken = tmp_path / "bowtie.gpkg"
    write_table(broken, "gpkg", table, layer="unit_grid")
    before = count(store, "unit_grid")
    report = import_file(store, broken, ImportOptions(layer="unit_grid"))
    code = table.columns["code"][2]
    assert report.errors and report.errors[0][0] == 3 and code in report.errors[0][1]
    assert "--allow-lossy-repair" in report.errors[0][1] and not report.written
    strict = import_file(store, broken, ImportOptions(layer="unit_grid", repair=False))
    assert strict.errors[0][0] == 3 and "invalid ring" in strict.errors[0][1] and code in strict.errors[0][1]
    assert count(store, "unit_grid") == before


def test_a_retired_unit_grid_code_is_refused(store, tmp_path):
    source = _exported(store, tmp_path)
    table = read_table(source)
    code = table.columns["code"][0]
    stamp = "2020-01-01T00:00:00.000"
    with store.transaction() as conn:  # the code once had a version that was retired, and a new code replaced it
        conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, code))
        new_code = code[:12] + "999"
        conn.execute("INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, valid_from, "
                     "geom) SELECT ?, community_code, responsibility_grid_code, area_m2, ?, geom FROM unit_grid "
                     "WHERE code = ?", (new_code, "2020-01-01T00:00:00.001", code))
    report = import_file(store, source, ImportOptions(layer="unit_grid"), dry_run=True)
    assert any(row == 1 and "retired" in text and code in text for row, text in report.errors)
    assert not report.written
