"""A demo city of several districts on PostGIS (issue 17): the same city as in a file, valid, with every
component coded under the district it lies in."""

import json

from gridmap.store import open_store
from tests.cli.test_cli import gridmap


def _codes_by_district(location) -> dict:
    with open_store(location) as store:
        rows = store.conn.execute(
            "SELECT d.code, count(*), min(c.code), max(c.code) FROM district d JOIN component_point c "
            "ON substr(c.code, 1, 6) = d.code GROUP BY d.code ORDER BY d.code").fetchall()
        cases = store.conn.execute("SELECT count(*), count(DISTINCT code), min(code), max(code) FROM incident"
                                   ).fetchone()
    return {"components": [tuple(r) for r in rows], "cases": tuple(cases)}


def test_the_demo_builds_the_same_city_of_several_districts_on_postgis(pg_uri, tmp_path):
    file = tmp_path / "city.sqlite"
    for location in (file, pg_uri):
        done = gridmap("demo", "--db", location, "--districts", "3", "--scale", "0.12", "--seed", "5",
                       "--end", "2026-06-01T12:00")
        assert done.returncode == 0, done.stderr[-800:]
        assert "3 districts: 东胜区、康巴什区、达拉特旗" in done.stdout
    infos = [json.loads(gridmap("info", location, "--json", check=True).stdout) for location in (file, pg_uri)]
    assert infos[0]["layers"] == infos[1]["layers"] and infos[0]["layers"]["district"] == 3
    assert infos[0]["settings"]["name"] == infos[1]["settings"]["name"] == "鄂尔多斯市（演示）"
    found = [_codes_by_district(location) for location in (file, pg_uri)]
    assert found[0] == found[1]
    assert [r[0] for r in found[0]["components"]] == ["150602", "150603", "150621"]
    assert found[0]["cases"][0] == found[0]["cases"][1] == 18_000
    done = gridmap("validate", pg_uri)
    assert done.returncode == 0, done.stdout[-800:]
