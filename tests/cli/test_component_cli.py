"""``gridmap component add|move|set|retire|history`` (issue 15): the register from the command line."""

import json

from gridmap.store import dialect, open_store
from tests.cli.test_cli import gridmap


def grid_centre(location):
    with open_store(location) as store:
        x, y = store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL "
                                  "ORDER BY code LIMIT 1").fetchone()
        unit = store.conn.execute("SELECT code FROM responsible_unit WHERE retired_at IS NULL ORDER BY code "
                                  "LIMIT 1").fetchone()[0]
    return float(x), float(y), unit


def life_of_a_component(location) -> dict:
    """Add, set, move, retire and read back one component; return its history as JSON."""
    x, y, unit = grid_centre(location)
    added = gridmap("component", "add", location, "--class", "0101", "--x", x, "--y", y, "--name", "人民路上水井盖",
                    "--maintainer", unit, "--user", "ST00001", "--reason", "普查补录")
    assert added.returncode == 0, added.stderr
    code = added.stdout.strip().splitlines()[-1]
    assert len(code) == 16 and code.startswith("1506020101")
    done = gridmap("component", "set", location, code, "state=破损", "material=铸铁", "note=", "--user", "ST00001")
    assert done.returncode == 0, done.stderr
    done = gridmap("component", "move", location, code, "--x", x + 2, "--y", y + 2, "--reason", "纠偏")
    assert done.returncode == 0 and "moved" in done.stdout, done.stderr
    refused = gridmap("component", "set", location, code, "class_code=0102")
    assert refused.returncode == 2 and "part of the code" in refused.stderr
    refused = gridmap("component", "retire", location, code, "--reason", " ")
    assert refused.returncode == 2 and "needs a reason" in refused.stderr
    done = gridmap("component", "retire", location, code, "--reason", "拆除")
    assert done.returncode == 0, done.stderr
    text = gridmap("component", "history", location, code)
    assert text.returncode == 0 and "state: 完好 → 破损" in text.stdout and "location changed" in text.stdout
    history = json.loads(gridmap("component", "history", location, code, "--json", check=True).stdout)
    assert history["current"]["currency"] == "作废" and history["current"]["maintainer_unit_code"] == unit
    assert [c["change"] for c in history["changes"]] == ["add", "set", "move", "retire"]
    for change in history["changes"]:
        change.pop("at")
        change.pop("user_name")
        if change["change"] == "move":
            change["user"] = "os"  # the operating-system login, the same on both engines
        if change["change"] == "retire":
            change["user"] = "os"
    return history


def test_a_component_from_the_command_line(small_demo):
    history = life_of_a_component(small_demo)
    assert history["changes"][0]["reason"] == "普查补录"


def test_locations_in_phone_coordinates_and_lines_in_wkt(small_demo):
    x, y, _unit = grid_centre(small_demo)
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(4546, 4326, always_xy=True).transform(x, y)
    from gridmap.domain.coords import wgs84_to_gcj02

    glon, glat = wgs84_to_gcj02(lon, lat)
    added = gridmap("component", "add", small_demo, "--class", "0101", "--x", glon, "--y", glat, "--crs", "gcj02")
    assert added.returncode == 0, added.stderr
    code = added.stdout.strip().splitlines()[-1]
    with open_store(small_demo) as store:
        px, py = store.conn.execute("SELECT X(geom), Y(geom) FROM component_point WHERE code = ?", (code,)).fetchone()
        line_class = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'line' AND scheme = "
                                        "'legacy' ORDER BY code LIMIT 1").fetchone()[0]
    assert abs(px - x) < 0.5 and abs(py - y) < 0.5  # GCJ-02's offset of hundreds of metres removed
    line = gridmap("component", "add", small_demo, "--class", line_class, "--wkt",
                   f"LINESTRING({x - 5} {y}, {x + 5} {y})")
    assert line.returncode == 0, line.stderr
    wrong = gridmap("component", "add", small_demo, "--class", line_class, "--x", x, "--y", y)
    assert wrong.returncode == 2 and "needs a LineString" in wrong.stderr
    nowhere = gridmap("component", "add", small_demo, "--class", "0101")
    assert nowhere.returncode == 2 and "give the location" in nowhere.stderr
    bad = gridmap("component", "add", small_demo, "--class", "0101", "--x", 1, "--y", 2, "--crs", "mars")
    assert bad.returncode == 2 and "unknown coordinate system" in bad.stderr


def test_a_census_from_the_command_line(small_demo, tmp_path):
    from tests.io.test_census import survey_of_a_community

    path, done = survey_of_a_community(small_demo, tmp_path)
    shown = gridmap("component", "census", small_demo, path, "--crs", "EPSG:4546", "--community", done["community"])
    assert shown.returncode == 0, shown.stderr
    assert "nothing written" in shown.stdout and "moved" in shown.stdout
    bad = gridmap("component", "census", small_demo, path, "--accept", "everything")
    assert bad.returncode == 2 and "the groups are new, moved, changed, missing" in bad.stderr
    done_json = gridmap("component", "census", small_demo, path, "--crs", "EPSG:4546", "--community",
                        done["community"], "--accept", "new,moved", "--json")
    assert done_json.returncode == 0, done_json.stderr
    result = json.loads(done_json.stdout)
    assert result["accepted"] == ["new", "moved"] and len(result["new_codes"]) == 1
    history = json.loads(gridmap("component", "history", small_demo, done["moved"], "--json", check=True).stdout)
    assert history["changes"][-1]["change"] == "census"
    # the second time the moved component is where the survey has it: only the rest remains
    again = json.loads(gridmap("component", "census", small_demo, path, "--crs", "EPSG:4546", "--community",
                               done["community"], "--json", check=True).stdout)
    assert again["groups"]["moved"] == [] and len(again["groups"]["changed"]) == 1
    assert again["groups"]["new"] == []  # the one added is recognised where it was surveyed, without its code
