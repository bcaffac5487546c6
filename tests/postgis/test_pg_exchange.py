"""Export and import on PostGIS give the same files and the same store as on the file (issue 13)."""

import filecmp
import sqlite3

import psycopg

from gridmap.store import open_store
from gridmap.store.migrate import checksum, migrate
from tests.cli.test_cli import gridmap


def test_exports_are_the_same_files(small_demo, pg_uri, tmp_path):
    migrate(small_demo, pg_uri)
    for extra in ([], ["--layer", "incident", "--format", "geojson"], ["--layer", "component_point", "--format",
                                                                         "csv", "--where", "state = '破损'"]):
        folders = []
        for k, location in enumerate((small_demo, pg_uri)):
            out = tmp_path / f"out{k}-{len(extra)}"
            done = gridmap("export", location, out, *extra)
            assert done.returncode == 0, done.stderr[-500:]
            folders.append(out)
        names = sorted(p.name for p in folders[0].iterdir())
        assert names == sorted(p.name for p in folders[1].iterdir())
        for name in names:
            assert filecmp.cmp(folders[0] / name, folders[1] / name, shallow=False), name


def test_an_import_writes_the_same_rows(small_demo, pg_uri, tmp_path):
    export = tmp_path / "survey"
    assert gridmap("export", small_demo, export, "--layer", "component_point", "--profile", "legacy").returncode == 0
    migrate(small_demo, pg_uri)
    conn = sqlite3.connect(small_demo)
    conn.execute("UPDATE component_point SET name = name || '·', initial_date = '2001-01-01' WHERE id % 3 = 0")
    conn.commit()
    conn.close()
    with psycopg.connect(pg_uri, autocommit=True) as pg:
        pg.execute("UPDATE component_point SET name = name || '·', initial_date = '2001-01-01' WHERE id % 3 = 0")
    outputs = []
    for location in (small_demo, pg_uri):
        done = gridmap("import", location, export / "component_point.shp")
        assert done.returncode == 0, done.stderr[-800:]
        outputs.append(done.stdout.splitlines()[-1])
        assert "updated" in outputs[-1]
    assert outputs[0] == outputs[1]
    with open_store(small_demo) as file, open_store(pg_uri) as pg:
        for table in ("component_point", "retired_code"):
            mine, theirs = checksum(file, table), checksum(pg, table)
            assert mine.rows == theirs.rows
        names = [dict(s.conn.execute("SELECT code, name FROM component_point")) for s in (file, pg)]
        assert names[0] == names[1]


def test_a_unit_grid_import_obeys_the_plan_rules_on_both_engines(small_demo, pg_uri, tmp_path):
    from gridmap.io.export import ExportOptions, export
    from gridmap.io.files import read_table, write_table
    from gridmap.io.importer import ImportOptions, import_file
    from gridmap.store import grids

    migrate(small_demo, pg_uri)
    with open_store(small_demo) as store:
        export(store, tmp_path / "out", ExportOptions(layer="unit_grid", format="gpkg"))
        plan = grids.load_plan(store)
    table = read_table(tmp_path / "out" / "unit_grid.gpkg")
    codes = list(table.columns["code"])
    unit, target = next((u, t) for u in codes for t in sorted(plan.members)
                        if t != plan.assignment[u] and plan.check(u, t) is None)
    table.columns["responsibility_grid_code"][codes.index(unit)] = target
    write_table(tmp_path / "moved.gpkg", "gpkg", table, layer="unit_grid")
    for location in (small_demo, pg_uri):
        with open_store(location) as store:
            grids.set_locked(store, plan.assignment[unit], True)
            refused = import_file(store, tmp_path / "moved.gpkg", ImportOptions(layer="unit_grid"))
            assert not refused.written and any("locked" in text for _, text in refused.errors), location
            grids.set_locked(store, plan.assignment[unit], False)
            report = import_file(store, tmp_path / "moved.gpkg", ImportOptions(layer="unit_grid"))
            assert report.written and report.updated == 1, (location, report.lines())
