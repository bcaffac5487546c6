import sqlite3

import pytest

from gridmap.store import StoreError, create_store, open_store
from gridmap.store.errors import NotAStoreError, SchemaTooNewError
from gridmap.store.schema import CURRENT_VERSION, GEOMETRY_TABLES


def test_a_new_store_has_the_whole_schema(tmp_path):
    with create_store(tmp_path / "new.sqlite", 4546) as store:
        assert store.schema_version == CURRENT_VERSION
        assert store.srid == 4546
        tables = set(store.table_names())
        for table in [*GEOMETRY_TABLES, "component_class", "event_class", "responsible_unit", "staff",
                      "supervisor_assignment", "community_grid_role", "audit_log"]:
            assert table in tables
        # an R*Tree on every geometry table, registered with SpatiaLite
        for table in GEOMETRY_TABLES:
            assert f"idx_{table}_geom" in tables
            row = store.conn.execute("SELECT spatial_index_enabled, srid FROM geometry_columns WHERE f_table_name = ?",
                                     (table,)).fetchone()
            assert tuple(row) == (1, 4546)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_reopening_keeps_the_version_and_settings(tmp_path):
    create_store(tmp_path / "s.sqlite", 4546).close()
    with open_store(tmp_path / "s.sqlite") as store:
        assert store.schema_version == CURRENT_VERSION and store.srid == 4546


def test_a_geographic_crs_is_refused(tmp_path):
    with pytest.raises(StoreError, match="not a projected CRS in metres"):
        create_store(tmp_path / "geo.sqlite", 4490)
    assert not (tmp_path / "geo.sqlite").exists()


def test_an_existing_file_is_not_overwritten(tmp_path):
    create_store(tmp_path / "s.sqlite", 4546).close()
    with pytest.raises(StoreError, match="already exists"):
        create_store(tmp_path / "s.sqlite", 4546)


@pytest.mark.parametrize("content", [b"", b"garbage, not a database", b"SQLite format 3\x00" + b"\x00" * 50])
def test_garbage_files_give_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(NotAStoreError, match=str(path)):
        open_store(path)


def test_a_truncated_store_gives_a_clear_error(tmp_path, small_demo_file):
    path = tmp_path / "cut.sqlite"
    path.write_bytes(small_demo_file.read_bytes()[:3000])
    with pytest.raises(NotAStoreError):
        open_store(path)


def test_another_programs_sqlite_file_is_not_a_store(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAStoreError, match="not a gridmap store"):
        open_store(path)


def test_a_newer_schema_is_refused(tmp_path):
    create_store(tmp_path / "s.sqlite", 4546).close()
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="Update gridmap"):
        open_store(tmp_path / "s.sqlite")


def test_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no such store file"):
        open_store(tmp_path / "nope.sqlite")


def test_transactions_are_all_or_nothing(tmp_path):
    with create_store(tmp_path / "s.sqlite", 4546) as store:
        def write_then_fail():
            with store.transaction() as conn:
                conn.execute("INSERT INTO district (code, name) VALUES ('150602', '东胜区')")
                raise RuntimeError("fail half way")

        with pytest.raises(RuntimeError):
            write_then_fail()
        assert store.conn.execute("SELECT count(*) FROM district").fetchone()[0] == 0


@pytest.mark.parametrize(("sql", "params"), [
    ("INSERT INTO district (code, name) VALUES (?, ?)", ("15060", "short code")),
    ("INSERT INTO street (code, district_code, name) VALUES (?, ?, ?)", ("150602001", "999999", "no district")),
    ("INSERT INTO component_point (code, class_code) VALUES (?, ?)", ("1506020101000001", "9999")),
    ("INSERT INTO community_grid (code, level, name) VALUES (?, ?, ?)", ("x", 2, "level 2 needs a parent")),
    ("INSERT INTO incident (code, class_code, class_kind, source, status, reported_at) VALUES (?, ?, ?, ?, ?, ?)",
     ("c1", "0102", "event", "patrol", "lost", "2026-01-01T00:00:00")),
])
def test_constraints_refuse_bad_rows(tmp_path, sql, params):
    with create_store(tmp_path / "s.sqlite", 4546) as store, pytest.raises(sqlite3.IntegrityError), \
            store.transaction() as conn:
        conn.execute(sql, params)


def test_unit_grid_code_must_belong_to_its_community_and_be_unique_while_current(small_demo):
    with open_store(small_demo) as store:
        code, community, wkb = store.conn.execute(
            "SELECT code, community_code, AsBinary(geom) FROM unit_grid LIMIT 1").fetchone()
        insert = ("INSERT INTO unit_grid (code, community_code, area_m2, valid_from, geom) "
                  "VALUES (?, ?, 1, '2026-01-01', GeomFromWKB(?, 4546))")
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
            conn.execute(insert, (code, community, wkb))  # a second current row with the same code
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
            conn.execute(insert, ("150602999999001", community, wkb))


def make_version_1(path):
    """Make a copy look exactly like a version-1 file: no tables of later versions, user_version 1."""
    import re

    from gridmap.store import schema

    conn = sqlite3.connect(path)
    for trigger in re.findall(r"CREATE TRIGGER (\w+)", schema._no_reuse_triggers() + schema._V5_TABLES):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("plan_scenario_assignment", "plan_scenario", "routing_rule", "idempotency_key", "device_token",
                  "incident_step", "incident_photo", "case_serial", "retired_code", "app_user", "inspection_photo",
                  "inspection"):
        conn.execute(f"DROP TABLE {table}")
    # the geometry tables of version 9 through SpatiaLite, which also forgets their geometry columns
    conn.enable_load_extension(True)
    conn.load_extension("mod_spatialite")
    for table in ("component_point_history", "component_line_history", "component_polygon_history",
                  "supervisor_position"):
        conn.execute("SELECT DropTable(NULL, ?)", (table,))
    for table in ("component_point", "component_line", "component_polygon"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN material")
        conn.execute(f"DROP INDEX {table}_name")  # version 10
    conn.execute("DROP INDEX incident_level")
    for column in ("row_version", "level"):
        conn.execute(f"ALTER TABLE incident DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_version_1_file_is_migrated_on_open(tmp_path, small_demo):
    make_version_1(small_demo)
    with open_store(small_demo) as store:
        assert store.schema_version == CURRENT_VERSION
        assert {"plan_scenario", "plan_scenario_assignment", "routing_rule", "component_point_history",
                "inspection", "supervisor_position"} <= set(store.table_names())
        assert store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0] > 0
        # v5 seeds each day's case serial from the cases already there
        day, last = store.conn.execute("SELECT substr(max(code), 1, 8), CAST(substr(max(code), 9) AS INTEGER) "
                                       "FROM incident").fetchone()
        assert store.conn.execute("SELECT last FROM case_serial WHERE day = ?", (day,)).fetchone()[0] == last


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path, small_demo, monkeypatch):
    from gridmap.store import schema

    make_version_1(small_demo)

    def broken(conn, _srid):
        conn.execute("CREATE TABLE plan_scenario (id INTEGER PRIMARY KEY)")
        raise sqlite3.OperationalError("disk full half way")

    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)
    with pytest.raises(sqlite3.OperationalError):
        open_store(small_demo)
    check = sqlite3.connect(small_demo)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 1
    assert check.execute("SELECT count(*) FROM sqlite_master WHERE name = 'plan_scenario'").fetchone()[0] == 0
    check.close()


def test_no_per_row_timestamp_triggers_hold_the_write_lock(tmp_path, small_demo):
    """SpatiaLite's tm*_ triggers rewrite geometry_columns_time for every row; gridmap stores have none,
    new or migrated, and a bulk load (which rebuilds the spatial indexes) does not bring them back."""
    from gridmap.store import bulk

    def timestamp_triggers(store):
        return [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                                 "(name LIKE 'tmi%' OR name LIKE 'tmu%' OR name LIKE 'tmd%')")]

    with create_store(tmp_path / "new.sqlite", 4546) as store:
        assert timestamp_triggers(store) == []
    with open_store(small_demo) as store:
        assert timestamp_triggers(store) == []
        with store.transaction() as conn, bulk.spatial_indexes_off(conn, ["component_point"]):
            conn.execute("UPDATE component_point SET name = name")
        assert timestamp_triggers(store) == []
        # the spatial index still works
        assert store.conn.execute("SELECT count(*) FROM SpatialIndex WHERE f_table_name = 'component_point' "
                                  "AND search_frame = BuildMbr(0, 0, 1e9, 1e9)").fetchone()[0] > 0
