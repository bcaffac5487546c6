"""A census merge (issue 15): a new survey of an area compared with the register in groups, each accepted
or rejected before anything is written, then written in one transaction with its history."""

import csv

import pytest

from gridmap.io.census import apply, compare
from gridmap.io.checks import ImportOptions
from gridmap.store import dialect, open_store, register


def survey_of_a_community(location, folder):
    """A CSV survey of one community's point components: one moved 5 m, one renamed, one not found, one new,
    one moved 0.3 m (within the tolerance). Returns (path, what was done)."""
    with open_store(location) as store:
        community = store.conn.execute("SELECT g.community_code FROM component_point c JOIN unit_grid g ON g.code = "
                                       "c.unit_grid_code AND g.valid_to IS NULL GROUP BY 1 HAVING count(*) >= 10 "
                                       "ORDER BY 1 LIMIT 1").fetchone()[0]
        rows = store.conn.execute(
            f"SELECT c.code, c.class_code, c.name, {dialect.x_y(store, 'c.geom')} FROM component_point c JOIN "
            "unit_grid g ON g.code = c.unit_grid_code AND g.valid_to IS NULL WHERE g.community_code = ? AND "
            "c.currency = '在用' ORDER BY c.code", (community,)).fetchall()
        others = sum(store.conn.execute(f"SELECT count(*) FROM {t} c JOIN unit_grid g ON g.code = c.unit_grid_code "
                                        "AND g.valid_to IS NULL WHERE g.community_code = ? AND c.currency = '在用'",
                                        (community,)).fetchone()[0] for t in ("component_line", "component_polygon"))
    rows = [list(r) for r in rows]
    moved, renamed, missing, nudged = rows[0][0], rows[1][0], rows[2][0], rows[3][0]
    rows[0][3] += 5.0
    rows[1][2] = "人民路改名井盖"
    rows[3][4] += 0.3
    new_at = (rows[4][3] + 1.5, rows[4][4] + 1.5)
    survey = [r for r in rows if r[0] != missing] + [["", "0101", "新发现井盖", *new_at]]
    path = folder / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "class_code", "name", "x", "y"])
        writer.writerows([c if c is not None else "" for c in r] for r in survey)
    return path, {"community": community, "moved": moved, "renamed": renamed, "missing": missing,
                  "nudged": nudged, "rows": len(rows), "others": others}


def census_scenario(location, folder):
    path, done = survey_of_a_community(location, folder)
    with open_store(location) as store:
        census = compare(store, path, options=ImportOptions(crs=4546), community=done["community"])
        assert census.errors == []
        groups = {g: [i.code for i in items] for g, items in census.groups.items()}
        assert groups["moved"] == [done["moved"]] and census.groups["moved"][0].distance == pytest.approx(5.0)
        assert groups["changed"] == [done["renamed"]]
        assert census.groups["changed"][0].values["name"][1] == "人民路改名井盖"
        assert groups["new"] == [None] and census.groups["new"][0].values == {"name": "新发现井盖"}
        # the community's lines and polygons were not surveyed in a file of points: missing too
        assert done["missing"] in groups["missing"] and len(groups["missing"]) == 1 + done["others"]
        assert census.unchanged == done["rows"] - 3  # the one nudged 0.3 m among them
        counts = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("component_point", "component_point_history", "audit_log")]
        assert counts == [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("component_point", "component_point_history", "audit_log")]  # nothing yet
        codes = apply(store, census, ["new", "moved", "changed"], user="ST00001")
        new_code = codes[max(codes)]
        assert register.component_row(store, new_code)[1]["name"] == "新发现井盖"
        assert register.history(store, done["moved"])[-1]["change"] == "census"
        assert "moved 5 m" in register.history(store, done["moved"])[-1]["reason"]
        assert register.component_row(store, done["renamed"])[1]["name"] == "人民路改名井盖"
        assert register.component_row(store, done["missing"])[1]["currency"] == "在用"  # rejected: untouched
        with pytest.raises(register.RegisterError, match="unknown group"):
            apply(store, census, ["everything"])


def test_a_census_is_compared_in_groups_and_the_accepted_ones_written(small_demo, tmp_path):
    census_scenario(small_demo, tmp_path)


def test_a_refused_census_writes_nothing(small_demo, tmp_path):
    path, done = survey_of_a_community(small_demo, tmp_path)
    with open_store(small_demo) as store:
        census = compare(store, path, options=ImportOptions(crs=4546), community=done["community"])
        census.groups["changed"][0].values["maintainer_unit_code"] = (None, "NOSUCHUNIT")
        before = store.conn.execute("SELECT count(*) FROM component_point_history").fetchone()[0]
        with pytest.raises(register.RegisterError, match="no active responsible unit"):
            apply(store, census, ["new", "moved", "changed", "missing"])
        assert store.conn.execute("SELECT count(*) FROM component_point_history").fetchone()[0] == before
        assert register.component_row(store, done["moved"])[1]["change_date"] != "x"
        retired = apply(store, census, ["missing"])
        assert retired == {}
        assert register.component_row(store, done["missing"])[1]["currency"] == "作废"
