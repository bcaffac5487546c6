"""The store on a real PostGIS database: the same schema, constraints and rules as the file."""

import sqlite3

import psycopg
import pytest

from gridmap.store import StoreError, create_store, open_store
from gridmap.store.errors import NotAStoreError
from gridmap.store.schema import CURRENT_VERSION, GEOMETRY_TABLES
from tests.cli.test_cli import gridmap


def test_a_new_store_has_the_same_tables_as_a_file(pg_uri, tmp_path):
    with create_store(pg_uri, 4546) as store:
        assert store.engine == "postgis"
        assert store.schema_version == CURRENT_VERSION and store.srid == 4546
        pg_tables = set(store.table_names())
        for table, (column, kind) in GEOMETRY_TABLES.items():
            row = store.conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_name = ? "
                                     "AND f_geometry_column = ?", (table, column)).fetchone()
            assert tuple(row) == (kind, 4546)
            assert store.conn.execute("SELECT 1 FROM pg_indexes WHERE tablename = ? AND indexdef LIKE '%gist%'",
                                      (table,)).fetchone(), f"{table} has no GiST index"
    with create_store(tmp_path / "file.sqlite", 4546) as lite:
        file_tables = {t for t in lite.table_names()
                       if not t.startswith(("idx_", "sqlite_", "spatial", "geometry_", "views_", "virts_",
                                            "vector_", "data_licenses", "sql_statements", "ElementaryGeometries",
                                            "SpatialIndex", "KNN", "spatialite_"))}
    assert file_tables <= pg_tables, file_tables - pg_tables


def test_reopening_and_settings(pg_uri):
    create_store(pg_uri, 4546).close()
    with open_store(pg_uri) as store:
        assert store.srid == 4546 and store.setting("application") == "gridmap"
        with store.transaction() as conn:
            conn.execute("INSERT INTO gridmap_setting (key, value) VALUES (?, ?)", ("name", "东胜区 100%"))
    with open_store(pg_uri) as store:
        assert store.setting("name") == "东胜区 100%"


def test_transactions_are_all_or_nothing(pg_uri):
    with create_store(pg_uri, 4546) as store:
        def half_way():
            with store.transaction() as conn:
                conn.execute("INSERT INTO district (code, name, geom) VALUES ('150602', '东胜区', NULL)")
                raise RuntimeError("half way")

        with pytest.raises(RuntimeError):
            half_way()
        assert store.conn.execute("SELECT count(*) FROM district").fetchone()[0] == 0


@pytest.mark.parametrize(("sql", "params"), [
    ("INSERT INTO district (code, name) VALUES (?, ?)", ("15060", "short code")),
    ("INSERT INTO street (code, district_code, name) VALUES (?, ?, ?)", ("150602001", "999999", "no district")),
    ("INSERT INTO component_point (code, class_code) VALUES (?, ?)", ("123", "0101")),
    ("INSERT INTO community_grid (code, level, name) VALUES (?, ?, ?)", ("x", 2, "level 2 without parent")),
    ("INSERT INTO incident (code, class_code, class_kind, source, status, reported_at) VALUES (?, ?, ?, ?, ?, ?)",
     ("20260101000001", "0102", "event", "patrol", "lost", "2026-01-01T00:00:00")),
])
def test_constraints_refuse_bad_rows_as_the_file_does(pg_uri, tmp_path, sql, params):
    with create_store(pg_uri, 4546) as store, pytest.raises(psycopg.IntegrityError):
        store.conn.execute(sql, params)
    with create_store(tmp_path / "f.sqlite", 4546) as lite, pytest.raises(sqlite3.IntegrityError):
        lite.conn.execute(sql, params)


def _minimal_city(store):
    with store.transaction() as conn:
        conn.execute("INSERT INTO district (code, name) VALUES ('150602', '东胜区')")
        conn.execute("INSERT INTO street (code, district_code, name) VALUES ('150602001', '150602', '街道')")
        conn.execute("INSERT INTO community (code, street_code, name) VALUES ('150602001001', '150602001', '社区')")
        conn.execute("INSERT INTO unit_grid (code, community_code, area_m2, valid_from, geom) VALUES "
                     "('150602001001001', '150602001001', 10000, '2020-01-01T00:00:00', "
                     "ST_GeomFromText('POLYGON((0 0, 100 0, 100 100, 0 100, 0 0))', 4546))")


def test_retired_codes_stay_retired_and_cases_are_never_deleted(pg_uri):
    with create_store(pg_uri, 4546) as store:
        _minimal_city(store)
        with store.transaction() as conn:
            conn.execute("UPDATE unit_grid SET valid_to = '2021-01-01T00:00:00'")
            conn.execute("INSERT INTO retired_code (kind, code, retired_at) VALUES ('unit_grid', "
                         "'150602001001001', '2021-01-01T00:00:00')")
        with pytest.raises(psycopg.IntegrityError, match="retired"), store.transaction() as conn:
            conn.execute("UPDATE unit_grid SET valid_to = NULL")
        with store.transaction() as conn:
            conn.execute("INSERT INTO incident (code, class_code, class_kind, source, status, reported_at) VALUES "
                         "('20261127000007', '0102', 'event', 'patrol', 'reported', '2026-11-27T09:00:00')")
        assert store.conn.execute("SELECT last FROM case_serial WHERE day = '20261127'").fetchone()[0] == 7
        with pytest.raises(psycopg.IntegrityError, match="never deleted"), store.transaction() as conn:
            conn.execute("DELETE FROM incident")
        row = store.conn.execute("SELECT code, reported_at FROM incident").fetchone()
        assert row["reported_at"] == "2026-11-27T09:00:00"  # times read back as the file keeps them
        assert row[0] == "20261127000007"


def test_bad_locations_give_clear_errors(pg_cluster, pg_uri):
    with pytest.raises(NotAStoreError, match="holds no gridmap store"):
        open_store(pg_uri)
    missing = pg_cluster.uri("no_such_database")
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(missing)
    with psycopg.connect(pg_uri, autocommit=True) as conn:
        conn.execute("CREATE TABLE other_program (id int)")
    with pytest.raises(StoreError, match="holds other tables"):
        create_store(pg_uri, 4546)
    with pytest.raises(StoreError, match="not a projected CRS"):
        create_store(pg_cluster.create_database("geo"), 4490)


def test_info_on_a_postgis_store(pg_uri):
    create_store(pg_uri, 4546).close()
    done = gridmap("info", pg_uri, "--json")
    assert done.returncode == 0, done.stderr
    import json

    info = json.loads(done.stdout)
    assert info["schema_version"] == CURRENT_VERSION and info["crs"] == "EPSG:4546"
    assert info["crs_name"] == "CGCS2000 / 3-degree Gauss-Kruger CM 111E"
    assert info["layers"]["component_point"] == 0


def test_backup_is_for_files_and_says_so(pg_uri, tmp_path):
    create_store(pg_uri, 4546).close()
    done = gridmap("backup", pg_uri, tmp_path / "copy.sqlite")
    assert done.returncode == 2 and "pg_dump" in done.stderr and "Traceback" not in done.stderr


def test_a_version_5_database_is_migrated_step_by_step_on_open(pg_uri):
    """A database written by the first PostGIS gridmap (version 5) gets the later steps when opened."""
    with create_store(pg_uri, 4546) as store, store.transaction() as conn:
        conn.execute("DROP FUNCTION gridmap_announce_cases() CASCADE")
        conn.execute("DROP FUNCTION gridmap_announce_change() CASCADE")
        conn.execute("DROP TABLE app_user")
        conn.execute("ALTER TABLE incident DROP COLUMN row_version, DROP COLUMN level")
        conn.execute("ALTER TABLE incident_step DROP COLUMN level")
        for table in ("component_point_history", "component_line_history", "component_polygon_history",
                      "inspection_photo", "inspection", "supervisor_position"):
            conn.execute(f"DROP TABLE {table}")
        for table in ("component_point", "component_line", "component_polygon"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN material")
            conn.execute(f"DROP INDEX {table}_name")  # version 10
        conn.execute("UPDATE gridmap_setting SET value = '5' WHERE key = 'schema_version'")
    with open_store(pg_uri) as store:
        assert store.schema_version == CURRENT_VERSION
        assert "app_user" in store.table_names()
        triggers = {r[0] for r in store.conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
        assert {"incident_announce", "incident_step_announce", "audit_log_announce"} <= triggers
        columns = {r[0] for r in store.conn.execute("SELECT column_name FROM information_schema.columns WHERE "
                                                    "table_name = 'incident'")}
        assert {"row_version", "level"} <= columns
        assert {"component_point_history", "inspection", "inspection_photo", "supervisor_position"} <= \
            set(store.table_names())
        assert store.conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_name = "
                                  "'supervisor_position'").fetchone() == ("POINT", 4546)
