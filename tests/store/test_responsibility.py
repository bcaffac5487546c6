"""Units, routing, staff and the gaps report on real SpatiaLite files."""

import csv
import json

import pytest

from gridmap.domain.errors import CodeError, GridmapError
from gridmap.domain.responsibility import RoutingError
from gridmap.store import open_store
from gridmap.store import responsibility as resp
from gridmap.store.validate import summarize


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def unit_named(store, fragment):
    return store.conn.execute("SELECT code FROM responsible_unit WHERE name LIKE ?", (f"%{fragment}%",)).fetchone()[0]


def test_the_demo_has_no_gaps_and_routes_every_class(store):
    assert resp.check_responsibility(store) == []
    table = resp.load_routing(store)
    events = [r[0] for r in store.conn.execute("SELECT code FROM event_class WHERE scheme = 'legacy'")]
    assert all(table.unit_for("event", code) for code in events)


def test_bulk_assignment_by_class_within_a_grid(store):
    sanitation = unit_named(store, "环境卫生")
    grid = store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code LIMIT 1").fetchone()[0]
    count = resp.assign_component_units(store, "maintainer", sanitation, resp.ComponentScope(
        class_code="0118", area_kind="responsibility_grid", area_code=grid))
    in_grid = store.conn.execute(
        "SELECT count(*) FROM component_point WHERE class_code = '0118' AND unit_grid_code IN "
        "(SELECT code FROM unit_grid WHERE responsibility_grid_code = ? AND valid_to IS NULL)", (grid,)).fetchone()[0]
    assert count == in_grid > 0
    assert store.conn.execute("SELECT count(*) FROM component_point WHERE maintainer_unit_code = ? AND "
                              "class_code = '0118'", (sanitation,)).fetchone()[0] == count
    detail = json.loads(store.conn.execute("SELECT detail FROM audit_log WHERE action = 'component.assign_unit'"
                                           ).fetchone()[0])
    assert detail["count"] == count and detail["role"] == "maintainer"


def test_bulk_assignment_by_selection(store):
    owner = unit_named(store, "物业")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM component_point ORDER BY id LIMIT 7")]
    assert resp.assign_component_units(store, "owner", owner, resp.ComponentScope(ids={"component_point": ids})) == 7
    changed = store.conn.execute("SELECT count(*) FROM component_point WHERE owner_unit_code = ? AND id IN "
                                 f"({', '.join('?' * 7)})", (owner, *ids)).fetchone()[0]
    assert changed == 7


def test_refusals(store):
    used = unit_named(store, "路灯")
    with pytest.raises(resp.UnitInUseError, match="retire it with a successor"):
        resp.delete_unit(store, used)
    with pytest.raises(CodeError, match="check character"):
        resp.create_unit(store, "91350100M000100Y44", "坏编码", "company")
    with pytest.raises(GridmapError, match="already exists"):
        resp.create_unit(store, used, "重复", "company")
    with pytest.raises(GridmapError, match="role"):
        resp.assign_component_units(store, "cleaner", used, resp.ComponentScope(class_code="0118"))
    resp.create_unit(store, "LOCAL-TEMP", "临时单位", "other")
    resp.delete_unit(store, "LOCAL-TEMP")  # unused: may go


def test_retiring_passes_everything_open_to_the_successor(store):
    old = unit_named(store, "路灯")
    resp.create_unit(store, "91350100M000100Y43", "东胜区市政设施服务中心", "public_institution")
    closed_before = store.conn.execute("SELECT count(*) FROM incident WHERE responsible_unit_code = ? AND status IN "
                                       "('closed', 'rejected')", (old,)).fetchone()[0]
    moved = resp.retire_unit(store, old, "91350100M000100Y43")
    assert moved["component_point.maintainer"] > 0 and moved["routing_rule"] > 0
    assert resp.usage(store, old) == {"incident": closed_before}  # history stays with the old unit
    assert store.conn.execute("SELECT successor_code FROM responsible_unit WHERE code = ?", (old,)).fetchone()[0] \
        == "91350100M000100Y43"
    with pytest.raises(GridmapError, match="retired"):
        resp.assign_component_units(store, "owner", old, resp.ComponentScope(class_code="0118"))


def test_routing_csv_round_trip_and_dry_run(store, tmp_path):
    path = tmp_path / "routing.csv"
    count = resp.export_routing(store, path)
    assert count == len(resp.load_routing(store).rules)
    assert resp.import_routing(store, path).count == 0  # unchanged
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    traffic = unit_named(store, "交通管理")
    urban = unit_named(store, "城市管理")
    grid = store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code DESC LIMIT 1").fetchone()[0]
    rows = [r for r in rows if not (r["class_code"] == "0102" and r["class_kind"] == "event")]  # remove one
    rows.append({"class_code": "0501", "class_kind": "event", "area_kind": "responsibility_grid",
                 "area_code": grid, "unit_code": traffic})
    for r in rows:
        if r["class_code"] == "0101" and r["class_kind"] == "component":
            r["unit_code"] = urban
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=resp.ROUTING_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    before = resp.load_routing(store).rules
    dry = resp.import_routing(store, edited, dry_run=True)
    assert (len(dry.added), len(dry.changed), len(dry.removed)) == (1, 1, 1)
    assert resp.load_routing(store).rules == before  # a dry run writes nothing
    resp.import_routing(store, edited)
    table = resp.load_routing(store)
    assert table.unit_for("event", "0501", None, grid) == traffic
    assert table.unit_for("component", "0101") == urban
    assert table.unit_for("event", "0102") is None
    gaps = summarize(resp.check_responsibility(store))
    assert gaps["routing.missing"] == store.conn.execute("SELECT count(*) FROM responsibility_grid").fetchone()[0]


@pytest.mark.parametrize(("change", "message"), [
    ({"class_code": "9999"}, "unknown event class"),
    ({"unit_code": "NOBODY"}, "unknown responsible unit"),
    ({"area_kind": "street", "area_code": "x"}, "area_kind must be"),
    ({"area_kind": "community", "area_code": "150602999999"}, "unknown community"),
    ({"class_kind": "thing"}, "class_kind must be"),
])
def test_a_bad_routing_file_names_the_row_and_writes_nothing(store, tmp_path, change, message):
    path = tmp_path / "routing.csv"
    resp.export_routing(store, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    rows[3].update(change)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=resp.ROUTING_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    before = resp.load_routing(store).rules
    with pytest.raises(RoutingError, match=message) as info:
        resp.import_routing(store, path)
    assert "row 5" in str(info.value)
    assert resp.load_routing(store).rules == before


def test_gaps_made_on_purpose_are_all_found(store):
    conn = store.conn
    with store.transaction():
        conn.execute("UPDATE component_point SET maintainer_unit_code = NULL WHERE id IN (1, 2)")
        conn.execute("UPDATE component_line SET owner_unit_code = NULL WHERE id = 1")
        grid = conn.execute("SELECT code FROM responsibility_grid ORDER BY code LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM supervisor_assignment WHERE responsibility_grid_code = ?", (grid,))
        small = conn.execute("SELECT code FROM community_grid WHERE level = 3 ORDER BY code LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM community_grid_role WHERE community_grid_code = ?", (small,))
        conn.execute("DELETE FROM routing_rule WHERE class_kind = 'event' AND class_code = '0510'")
    gaps = resp.check_responsibility(store, staff_limit=3)
    found = summarize(gaps)
    assert found["component.no_maintainer"] == 2
    assert found["component.no_owner"] == 1
    assert found["grid.no_supervisor"] == 1
    assert found["community_grid.empty_roster"] == 1
    assert found["routing.missing"] == conn.execute("SELECT count(*) FROM responsibility_grid").fetchone()[0]
    assert found["staff.overloaded"] >= 1  # community police cover 5-6 small grids, over a limit of 3
    assert all(g.x is not None for g in gaps)


def test_supervisors_and_roles(store):
    resp.create_staff(store, "ST99999", "新监督员", "13800000000", "监督员")
    grid = store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code LIMIT 1").fetchone()[0]
    resp.set_supervisor(store, "ST99999", grid)
    supervisors = [r[0] for r in store.conn.execute("SELECT staff_code FROM supervisor_assignment WHERE "
                                                    "responsibility_grid_code = ?", (grid,))]
    assert "ST99999" in supervisors
    small = store.conn.execute("SELECT code FROM community_grid WHERE level = 3 LIMIT 1").fetchone()[0]
    resp.set_role(store, small, "volunteer", "ST99999")
    resp.set_role(store, small, "volunteer", None)
    with pytest.raises(GridmapError, match="role must be"):
        resp.set_role(store, small, "mayor", "ST99999")
    with pytest.raises(GridmapError, match="no staff"):
        resp.set_supervisor(store, "NOBODY", grid)
