"""Issue 10, item 11: an import reads, checks, locates and compares everything before it takes the write
lock; the write transaction holds only the inserts, updates and the audit row."""

import re
import sqlite3

import pytest
import shapely

from gridmap.io import importer
from gridmap.io.export import ExportOptions, export
from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile

_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|DROP TABLE IF EXISTS \"idx_|SELECT (DisableSpatialIndex|"
                     r"CreateSpatialIndex)\(|COMMIT|ROLLBACK)|.*'idx_component_point_geom", re.IGNORECASE)
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
