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
