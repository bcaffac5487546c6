"""The asset register (issue 15): components added, moved, reshaped, set and retired in one transaction each,
with their previous versions kept. Each scenario takes a store location, so tests/postgis runs the same
ones on a database."""

import datetime as dt

import pytest
import shapely

from gridmap.domain.register import RegisterError
from gridmap.store import dialect, open_store, register, users
from gridmap.store.errors import NotAllowedError

T0 = dt.datetime(2026, 11, 28, 9, 0)
T1 = dt.datetime(2026, 11, 28, 10, 0)
T2 = dt.datetime(2026, 11, 28, 11, 0)
T3 = dt.datetime(2026, 11, 28, 12, 0)


def grid_centres(store, n=2):
    """Centres of the first ``n`` current unit grids (code order), as (code, x, y)."""
    rows = store.conn.execute(f"SELECT code, {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL "
                              "ORDER BY code LIMIT ?", (n,)).fetchall()
    return [(r[0], float(r[1]), float(r[2])) for r in rows]


def point(x, y):
    return shapely.to_wkb(shapely.Point(x, y))


def highest_serial(store, prefix):
    codes = []
    for table in ("component_point", "component_line", "component_polygon"):
        codes += [r[0] for r in store.conn.execute(f"SELECT code FROM {table} WHERE code LIKE ?", (prefix + "%",))]
    codes += [r[0] for r in store.conn.execute("SELECT code FROM retired_code WHERE code LIKE ?", (prefix + "%",))]
    return max(int(c[len(prefix):]) for c in codes if len(c) == len(prefix) + 6)


def add_move_set_retire(location):
    """The life of one component: each change a version, the map of any moment as it was."""
    with open_store(location) as store:
        district = store.setting("district_code")
        (grid_a, xa, ya), (grid_b, xb, yb) = grid_centres(store)
        before = highest_serial(store, district + "0101")
        code = register.add_component(store, "0101", point(xa, ya), values={"name": "人民路1号上水井盖"},
                                      user="ST00001", reason="普查补录", now=T0)
        assert code == f"{district}0101{before + 1:06d}"
        kind, row, _wkb = register.component_row(store, code)
        assert (kind, row["unit_grid_code"], row["state"], row["currency"], row["initial_date"]) == \
            ("point", grid_a, "完好", "在用", "2026-11-28")
        register.move_component(store, code, point(xb, yb), user="ST00001", reason="测量纠偏", now=T1)
        assert register.component_row(store, code)[1]["unit_grid_code"] == grid_b
        register.set_fields(store, code, {"state": "破损", "material": "铸铁"}, user="ST00001", now=T2)
        register.retire_component(store, code, "道路改造拆除", user="ST00001", now=T3)
        assert register.component_row(store, code)[1]["currency"] == "作废"
        assert store.conn.execute("SELECT reason FROM retired_code WHERE code = ?", (code,)).fetchone()[0] == \
            "道路改造拆除"

        changes = register.history(store, code)
        assert [c["change"] for c in changes] == ["add", "move", "set", "retire"]
        assert [c["reason"] for c in changes] == ["普查补录", "测量纠偏", None, "道路改造拆除"]
        assert changes[0]["fields"]["name"] == [None, "人民路1号上水井盖"]
        assert changes[1]["geometry_changed"] and changes[1]["fields"]["unit_grid_code"] == [grid_a, grid_b]
        assert changes[2]["fields"]["state"] == ["完好", "破损"] and changes[2]["fields"]["material"] == [None, "铸铁"]
        assert changes[3]["fields"]["currency"] == ["在用", "作废"]
        assert {c["user"] for c in changes} == {"ST00001"} and changes[0]["user_name"]
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log WHERE row_code = ? ORDER BY id",
                                                    (code,))]
        assert actions == ["component.add", "component.move", "component.set", "component.retire"]

        def on(moment):
            return {c: shapely.from_wkb(w) for c, _cls, w in register.components_on(store, "point", moment)
                    if c == code}

        assert on(T0 - dt.timedelta(minutes=1)) == {}
        assert on(T0 + dt.timedelta(minutes=1))[code].equals(shapely.Point(xa, ya))
        assert on(T1 + dt.timedelta(minutes=1))[code].equals(shapely.Point(xb, yb))
        assert on(T3 + dt.timedelta(minutes=1)) == {}
        # the rest of the register is there on any day after its survey
        assert len(register.components_on(store, "point", T0)) >= 100

        # a retired code stays retired: the next one of the class takes the next serial, a change is refused
        again = register.add_component(store, "0101", point(xa, ya), user="ST00001", now=T3)
        assert again == f"{district}0101{before + 2:06d}"
        with pytest.raises(RegisterError, match="retired"):
            register.set_fields(store, code, {"name": "复用"}, user="ST00001")


def refusals_write_nothing(location):
    """A commit is all or nothing: a bad edit anywhere rolls back the codes and history before it."""
    with open_store(location) as store:
        (_grid, x, y), _ = grid_centres(store)
        some = store.conn.execute("SELECT code FROM component_point WHERE currency = '在用' ORDER BY code "
                                  "LIMIT 1").fetchone()[0]
        counts = [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("component_point", "component_point_history", "audit_log")]
        bad = [
            ({"class_code": "0101", "values": {"maintainer_unit_code": "NOSUCHUNIT"}}, "no active responsible unit"),
            ({"class_code": "0101", "values": {"state": "很好"}}, "state must be one of"),
            ({"class_code": "0101", "values": {"initial_date": "昨天"}}, "not a date"),
            ({"class_code": "9999"}, "no component class"),
            ({"class_code": "0101", "geometry": point(-1e6, -1e6)}, "outside every unit grid"),
            ({"class_code": "0101", "geometry": shapely.to_wkb(shapely.LineString([(x, y), (x + 5, y)]))},
             "needs a Point"),
        ]
        for edit, message in bad:
            edits = [register.Edit("add", class_code="0101", geometry=point(x, y)),
                     register.Edit("add", **{"geometry": point(x, y), **edit})]
            with pytest.raises(RegisterError, match=message):
                register.commit(store, edits, user="ST00001")
        for values, message in (({"code": "1"}, "never changes"), ({"class_code": "0102"}, "part of the code"),
                                ({"unit_grid_code": "x"}, "move it"), ({"currency": "作废"}, "retire"),
                                ({"colour": "red"}, "unknown field")):
            with pytest.raises(RegisterError, match=message):
                register.set_fields(store, some, values, user="ST00001")
        with pytest.raises(RegisterError, match="needs a reason"):
            register.retire_component(store, some, "  ", user="ST00001")
        with pytest.raises(RegisterError, match="no component"):
            register.move_component(store, "1506020101999998", point(x, y), user="ST00001")
        assert counts == [store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("component_point", "component_point_history", "audit_log")]


def lines_and_polygons(location):
    """A line is reshaped (its grid from its midpoint), a polygon added (from a point on its surface)."""
    with open_store(location) as store:
        (grid_a, x, y), (grid_b, xb, yb) = grid_centres(store)
        line_class, = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'line' AND "
                                         "scheme = 'legacy' ORDER BY code LIMIT 1").fetchone()
        polygon_class, = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'polygon' AND "
                                            "scheme = 'legacy' ORDER BY code LIMIT 1").fetchone()
        line = register.add_component(store, line_class,
                                      shapely.to_wkb(shapely.LineString([(x - 5, y), (x + 5, y)])), user="ST00001")
        register.move_component(store, line, shapely.to_wkb(shapely.LineString([(xb - 5, yb), (xb, yb + 3),
                                                                                 (xb + 5, yb)])), user="ST00001")
        kind, row, wkb = register.component_row(store, line)
        assert kind == "line" and row["unit_grid_code"] == grid_b and len(shapely.from_wkb(wkb).coords) == 3
        assert [c["change"] for c in register.history(store, line)] == ["add", "reshape"]
        polygon = register.add_component(store, polygon_class, shapely.to_wkb(shapely.box(x - 4, y - 4, x + 4, y + 4)),
                                         user="ST00001")
        assert register.component_row(store, polygon)[1]["unit_grid_code"] == grid_a
        with pytest.raises(RegisterError, match="not valid"):
            register.move_component(store, polygon, shapely.to_wkb(shapely.Polygon(
                [(x, y), (x + 4, y + 4), (x + 4, y), (x, y + 4)])), user="ST00001")


def test_a_component_lives_its_life_with_every_version_kept(small_demo):
    add_move_set_retire(small_demo)


def test_refused_changes_write_nothing(small_demo):
    refusals_write_nothing(small_demo)


def test_lines_are_reshaped_and_polygons_added(small_demo):
    lines_and_polygons(small_demo)


def test_only_people_who_maintain_the_register_change_it(small_demo):
    with open_store(small_demo) as store:
        staff = [r[0] for r in store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 2")]
        supervisor = users.add_user(store, staff[0], "supervisor")[0]
        manager = users.add_user(store, staff[1], "data_manager")[0]
        (_grid, x, y), _ = grid_centres(store)
        with pytest.raises(NotAllowedError, match="may not maintain the register"):
            register.add_component(store, "0101", point(x, y), user=supervisor.staff_code)
        code = register.add_component(store, "0101", point(x, y), user=manager.staff_code)
        assert register.history(store, code)[0]["user"] == manager.staff_code


def test_a_component_never_changed_has_no_history_and_is_on_the_map_from_its_survey(small_demo):
    with open_store(small_demo) as store:
        code, surveyed = store.conn.execute("SELECT code, initial_date FROM component_point WHERE initial_date IS "
                                            "NOT NULL AND currency = '在用' ORDER BY initial_date DESC LIMIT 1"
                                            ).fetchone()
        assert register.history(store, code) == []
        day = dt.date.fromisoformat(surveyed)
        assert code in {c for c, _k, _w in register.components_on(store, "point", day)}
        assert code not in {c for c, _k, _w in register.components_on(store, "point", day - dt.timedelta(days=1))}
