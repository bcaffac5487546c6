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


def test_the_demo_builds_the_same_city_on_postgis(pg_uri, tmp_path):
    file = tmp_path / "demo.sqlite"
    for location in (file, pg_uri):
        done = gridmap("demo", "--db", location, "--scale", "0.03", "--seed", "5", "--end", "2026-06-01T12:00")
        assert done.returncode == 0, done.stderr[-800:]
    infos = [json.loads(gridmap("info", location, "--json", check=True).stdout) for location in (file, pg_uri)]
    assert infos[0]["layers"] == infos[1]["layers"]
    assert gridmap("validate", pg_uri).returncode == 0
    again = gridmap("demo", "--db", pg_uri, "--scale", "0.03")
    assert again.returncode == 2 and "already holds a gridmap store" in again.stderr


def test_grid_assign_lock_and_evaluate_agree(both, tmp_path):
    from gridmap.store import open_store

    with open_store(both[0]) as store:
        unit, target = store.conn.execute(
            "SELECT u.code, n.responsibility_grid_code FROM unit_grid u JOIN unit_grid n ON n.valid_to IS NULL "
            "AND n.responsibility_grid_code <> u.responsibility_grid_code AND Touches(u.geom, n.geom) "
            "WHERE u.valid_to IS NULL ORDER BY u.code, n.code LIMIT 1").fetchone()
    results = []
    for location in both:
        assigned = gridmap("grid", "assign", location, unit, "--to", target, "--note", "test")
        assert assigned.returncode == 0, assigned.stderr[-500:]
        results.append(assigned.stdout)
        assert gridmap("validate", location).returncode == 0
        locked = gridmap("grid", "lock", location, target)
        assert locked.returncode == 0, locked.stderr
        evaluated = gridmap("evaluate", location, "--from", "2026-01-01", "--to", "2026-11-27", "--json")
        results.append(evaluated.stdout)
    assert results[0] == results[2] and results[1] == results[3]


def test_the_register_commands_agree(both):
    from tests.cli.test_component_cli import life_of_a_component

    file_history, pg_history = (life_of_a_component(location) for location in both)
    assert file_history == pg_history
