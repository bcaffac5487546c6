"""Issue 10, item 11: an import reads, checks, locates and compares everything before it takes the write
lock; the write transaction holds only the inserts, updates and the audit row."""

import re
import sqlite3

import pytest
import shapely

from gridmap.io import importer
from gridmap.io.export import ExportOptions, export
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store import grids
from tests.io.conftest import native_fields, sample_points, write_shapefile

_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|DROP TABLE IF EXISTS \"idx_|SELECT (DisableSpatialIndex|"
                     r"CreateSpatialIndex)\(|COMMIT|ROLLBACK)|.*'idx_[a-z_]+_geom", re.IGNORECASE)
#: the R*Tree module's own bookkeeping statements name its shadow tables ('idx_<table>_geom_node' ...)


def _statements_in_transactions(conn: sqlite3.Connection):
    inside, log = [False], []

    def trace(sql):
        if sql.strip().upper().startswith("BEGIN IMMEDIATE"):
            inside[0] = True
            return
        if inside[0] and not sql.startswith("--"):  # "--" marks statements run by triggers and the R*Tree
            log.append(sql)
        if sql.strip().upper() in ("COMMIT", "ROLLBACK"):
            inside[0] = False
    conn.set_trace_callback(trace)
    return log


@pytest.mark.parametrize("change", ["new", "attributes", "moved"])
def test_the_write_transaction_holds_only_writes(store, tmp_path, change):
    rows = sample_points(store, 6000)  # above the bulk threshold, so the R*Tree is rebuilt in the transaction
    if change == "new":
        with store.transaction() as conn:
            conn.execute("DELETE FROM component_point WHERE code IN (SELECT code FROM component_point ORDER BY code "
                         "LIMIT 6000)")
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired_code'").fetchone():
                conn.execute("DELETE FROM retired_code")
    shift = 1.0 if change == "moved" else 0.0
    names = ["改" if change == "attributes" else None] * len(rows)
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2] + shift, r[3]) for r in rows]),
                          native_fields(rows, name=names))
    log = _statements_in_transactions(store.conn)
    report = import_file(store, shp, ImportOptions(profile="native"))
    store.conn.set_trace_callback(None)
    assert report.written and report.errors == []
    assert report.inserted + report.updated == len(rows)
    assert log and all(_WRITES.match(sql) for sql in log), [sql[:80] for sql in log if not _WRITES.match(sql)]


def test_other_writers_are_not_blocked_while_the_import_checks(store, small_demo, tmp_path, monkeypatch):
    export(store, tmp_path, ExportOptions(profile="native"))
    written = []
    check = importer._validate_components

    def validate_while_another_program_writes(*args, **kwargs):
        other = sqlite3.connect(small_demo, timeout=0)  # no waiting: a held write lock fails at once
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO audit_log (at, user, action) VALUES ('2026-11-28T10:00:00', 'intake', 'probe')")
        other.execute("COMMIT")
        other.close()
        written.append(True)
        return check(*args, **kwargs)

    monkeypatch.setattr(importer, "_validate_components", validate_while_another_program_writes)
    report = import_file(store, tmp_path / "component_point.shp", ImportOptions(profile="native"))
    assert written and report.written


def test_a_unit_grid_import_locates_and_dissolves_before_the_transaction(store, tmp_path):
    from gridmap.io.files import read_table, write_table

    export(store, tmp_path, ExportOptions(layer="unit_grid", format="gpkg"))
    table = read_table(tmp_path / "unit_grid.gpkg")
    codes = list(table.columns["code"])
    plan = grids.load_plan(store)  # a move the plan rules allow (the unit touches the other grid)
    unit, other = next((u, t) for u in codes for t in sorted(plan.members)
                       if t != plan.assignment[u] and plan.check(u, t) is None)
    table.columns["responsibility_grid_code"][codes.index(unit)] = other
    write_table(tmp_path / "moved.gpkg", "gpkg", table, layer="unit_grid")
    log = _statements_in_transactions(store.conn)
    report = import_file(store, tmp_path / "moved.gpkg", ImportOptions(layer="unit_grid"))
    store.conn.set_trace_callback(None)
    assert report.written and report.updated == 1
    snapshot = [sql for sql in log if sql.startswith("SELECT count(*), max(valid_from)")]
    assert len(snapshot) == 1
    assert all(_WRITES.match(sql) for sql in log if sql not in snapshot), [
        sql[:80] for sql in log if sql not in snapshot and not _WRITES.match(sql)]


def test_a_unit_grid_change_meanwhile_refuses_the_import(store, tmp_path, monkeypatch):
    from gridmap.io.files import read_table, write_table
    from gridmap.store import exchange
    from gridmap.store.errors import StoreError

    export(store, tmp_path, ExportOptions(layer="unit_grid", format="gpkg"))
    table = read_table(tmp_path / "unit_grid.gpkg")
    codes = list(table.columns["code"])
    plan = grids.load_plan(store)  # a real change of one grid, one the plan rules allow
    unit, other = next((u, t) for u in codes for t in sorted(plan.members)
                       if t != plan.assignment[u] and plan.check(u, t) is None)
    table.columns["responsibility_grid_code"][codes.index(unit)] = other
    write_table(tmp_path / "changed.gpkg", "gpkg", table, layer="unit_grid")
    before = store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0]
    calls = []

    def changing(conn):
        calls.append(1)
        return (len(calls),)  # a different answer on each call: as if another program edited the grids
    monkeypatch.setattr(exchange, "_unit_grid_snapshot", changing)
    with pytest.raises(StoreError, match="changed while"):
        import_file(store, tmp_path / "changed.gpkg", ImportOptions(layer="unit_grid"))
    assert store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0] == before


def test_an_id_added_meanwhile_refuses_the_whole_import(store, tmp_path, monkeypatch):
    from gridmap.store import exchange
    from gridmap.store.errors import StoreError

    rows = sample_points(store, 2)
    with store.transaction() as conn:
        conn.execute("DELETE FROM component_point WHERE code = ?", (rows[0][0],))
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired_code'").fetchone():
            conn.execute("DELETE FROM retired_code")
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    stage = exchange._stage

    def another_program_adds_it_first(conn, changes):
        stage(conn, changes)
        conn.execute(f"INSERT INTO component_point (code, class_code, geom) VALUES (?, ?, MakePoint(?, ?, "
                     f"{store.srid}))", rows[0])
    monkeypatch.setattr(exchange, "_stage", another_program_adds_it_first)
    audit = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(StoreError, match="run the import again"):
        import_file(store, shp, ImportOptions(profile="native"))
    assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit


def test_staging_the_rows_takes_no_lock_on_the_store(store, small_demo, tmp_path, monkeypatch):
    from gridmap.store import exchange

    rows = sample_points(store, 50)
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2] + 1, r[3]) for r in rows]), native_fields(rows))
    stage = exchange._stage
    probes = []

    def stage_then_another_program_writes(conn, changes):
        stage(conn, changes)
        assert not conn.in_transaction  # the staging committed to the temporary database alone
        other = sqlite3.connect(small_demo, timeout=0)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO audit_log (at, user, action) VALUES ('2026-11-28T10:00:00', 'intake', 'probe')")
        other.execute("COMMIT")
        other.close()
        probes.append(True)
    monkeypatch.setattr(exchange, "_stage", stage_then_another_program_writes)
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert probes and report.written and report.updated == 50
