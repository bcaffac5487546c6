"""The commands that run on PostGIS give the same answers as on the file (issue 13)."""

import csv
import json

import pytest

from gridmap.store.migrate import migrate
from tests.cli.test_cli import gridmap


@pytest.fixture
def both(small_demo, pg_uri):
    """The small demo as a file and, copied, as a PostGIS database."""
    migrate(small_demo, pg_uri)
    return small_demo, pg_uri


def test_validate_and_gaps_agree(both):
    for location in both:
        done = gridmap("validate", location)
        assert done.returncode == 0 and "valid" in done.stdout, done.stderr[-500:]
        assert gridmap("check-responsibility", location).returncode == 0


def test_damage_is_found_on_both(both):
    import sqlite3

    import psycopg

    file, uri = both
    conn = sqlite3.connect(file)
    conn.execute("INSERT INTO staff (code, name) VALUES ('ORPHAN', 'x')")
    conn.execute("INSERT INTO device_token (staff_code, token_hash, created_at) VALUES ('NOBODY', 'h', '2026-01-01')")
    conn.commit()
    conn.close()
    with psycopg.connect(uri, autocommit=True) as pg:
        pg.execute("ALTER TABLE device_token DROP CONSTRAINT device_token_staff_code_fkey")
        pg.execute("INSERT INTO device_token (staff_code, token_hash, created_at) VALUES ('NOBODY', 'h', '2026-01-01')")
    for location in both:
        listed = json.loads(gridmap("validate", location, "--json").stdout)
        assert any(p["kind"] == "orphan" and p["table"] == "device_token" for p in listed), listed[:3]


def test_routing_and_units_round_trip(both, tmp_path):
    outputs = []
    for k, location in enumerate(both):
        path = tmp_path / f"routing{k}.csv"
        assert gridmap("routing", "export", location, path).returncode == 0
        outputs.append(list(csv.reader(path.open(encoding="utf-8-sig"))))
        rows = outputs[-1]
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows[:-1])  # one rule fewer
        done = gridmap("routing", "import", location, path)
        assert done.returncode == 0 and "1 removed" in done.stdout, done.stderr[-500:]
        units = gridmap("unit", "list", location)
        assert units.returncode == 0 and len(units.stdout.splitlines()) > 10
    assert outputs[0] == outputs[1]


def test_grid_history_agrees(both):
    texts = [gridmap("grid", "history", location).stdout for location in both]
    assert texts[0] == texts[1]
