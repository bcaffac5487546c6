"""gridmap migrate: the demo into PostGIS and back, losslessly (issue 13, item 2)."""

import json

import pytest

from gridmap.store import open_store
from gridmap.store.migrate import TABLES, MigrateError, checksum, migrate
from gridmap.store.validate import validate_store
from tests.cli.test_cli import gridmap


def test_a_file_into_postgis_and_back_is_lossless(small_demo_file, pg_uri, tmp_path):
    back = tmp_path / "back.sqlite"
    done = gridmap("migrate", small_demo_file, pg_uri)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "every count and checksum equal" in done.stdout
    copies = migrate(pg_uri, back)
    with open_store(small_demo_file) as source, open_store(back) as again:
        for copy in copies:
            assert checksum(source, copy.table) == checksum(again, copy.table)
        assert validate_store(again) == []
    counts = {}
    for location in (small_demo_file, pg_uri, back):
        info = json.loads(gridmap("info", location, "--json", check=True).stdout)
        counts[str(location)] = info["layers"]
    assert len({json.dumps(c, sort_keys=True) for c in counts.values()}) == 1, counts
    with open_store(pg_uri) as pg:
        assert pg.conn.execute("SELECT count(*) FROM component_point").fetchone()[0] > 1000
        # ids continue after the copied ones
        with pg.transaction() as conn:
            conn.execute("INSERT INTO staff (code, name) VALUES ('ST-NEW', '新人')")
        assert pg.conn.execute("SELECT id FROM staff WHERE code = 'ST-NEW'").fetchone()[0] > \
            pg.conn.execute("SELECT max(id) FROM staff WHERE code <> 'ST-NEW'").fetchone()[0] - 1
    assert set(TABLES) >= {c.table for c in copies}


def test_a_destination_that_is_not_empty_is_refused(small_demo_file, pg_uri, tmp_path):
    migrate(small_demo_file, pg_uri)
    with pytest.raises(MigrateError, match="already holds a gridmap store"):
        migrate(small_demo_file, pg_uri)
    taken = tmp_path / "taken.sqlite"
    taken.write_bytes(b"")
    done = gridmap("migrate", small_demo_file, taken)
    assert done.returncode == 2 and "already exists" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("value", "message"), [
    ("not a time", "incident: cannot write"),
    ("yesterday", "incident: the copy would differ"),  # PostgreSQL reads it as a date: the checksum sees it
])
def test_a_row_postgis_cannot_hold_as_it_is_names_its_table_and_writes_nothing(small_demo, pg_cluster, value,
                                                                                message):
    import sqlite3

    uri = pg_cluster.create_database(f"bad_{value.replace(' ', '_')}")
    conn = sqlite3.connect(small_demo)
    conn.execute("UPDATE incident SET reported_at = ? WHERE id = 1", (value,))
    conn.commit()
    conn.close()
    with pytest.raises(MigrateError, match=message):
        migrate(small_demo, uri)
    with open_store(uri) as pg:
        assert pg.conn.execute("SELECT count(*) FROM district").fetchone()[0] == 0
