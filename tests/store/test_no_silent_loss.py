"""No silent mass deletion, and a before-image in the audit log for every routing and unit change
(issue 10, item 6)."""

import csv
import json

import pytest

from gridmap.domain.responsibility import RoutingError
from gridmap.store import open_store
from gridmap.store import responsibility as resp
from tests.cli.test_cli import gridmap


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def last_audit(store, action):
    row = store.conn.execute("SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1",
                             (action,)).fetchone()
    return json.loads(row[0])


def write_rows(path, rows, header=resp.ROUTING_COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def test_a_header_only_routing_file_removes_nothing_unless_allowed(store, tmp_path):
    path = tmp_path / "empty.csv"
    write_rows(path, [])
    before = resp.load_routing(store).rules
    assert len(before) > 20
    with pytest.raises(RoutingError, match=rf"would remove {len(before)} of the {len(before)}"):
        resp.import_routing(store, path)
    assert resp.load_routing(store).rules == before
    dry = resp.import_routing(store, path, dry_run=True)  # the dry run shows them
    assert len(dry.removed) == len(before)
    resp.import_routing(store, path, allow_removals=True)
    assert resp.load_routing(store).rules == {}
    # the audit entry holds every removed rule: the table can be restored from it
    detail = last_audit(store, "routing.import")
    assert len(detail["removed"]) == len(before)
    for rule in detail["removed"]:
        resp.set_rule(store, rule["class_kind"], rule["class_code"], rule["area_kind"], rule["area_code"],
                      rule["unit_code"])
    assert resp.load_routing(store).rules == before


def test_removing_a_few_rules_needs_no_flag(store, tmp_path):
    path = tmp_path / "routing.csv"
    resp.export_routing(store, path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))[1:]
    write_rows(path, rows[1:])  # one rule fewer
    changes = resp.import_routing(store, path)
    assert len(changes.removed) == 1


def test_a_short_row_is_an_error_with_its_line(store, tmp_path):
    path = tmp_path / "short.csv"
    resp.export_routing(store, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = "0101,component"  # cut short
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = resp.load_routing(store).rules
    with pytest.raises(RoutingError, match="row 3: 2 value"):
        resp.import_routing(store, path)
    assert resp.load_routing(store).rules == before
    cli = gridmap("routing", "import", store.path, path)
    assert cli.returncode == 2 and "row 3" in cli.stderr and "Traceback" not in cli.stderr


def test_single_changes_keep_their_before_image(store):
    rule = next(iter(resp.load_routing(store).rules.values()))
    other = store.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? AND retired_at IS NULL LIMIT 1",
                               (rule.unit_code,)).fetchone()[0]
    resp.set_rule(store, rule.class_kind, rule.class_code, rule.area_kind, rule.area_code, other)
    assert last_audit(store, "routing.set")["before"] == {"unit_code": rule.unit_code}
    resp.delete_rule(store, rule.class_kind, rule.class_code, rule.area_kind, rule.area_code)
    assert last_audit(store, "routing.delete")["before"] == {"unit_code": other}


def test_unit_assignment_and_retirement_keep_what_they_replaced(store):
    code, old = store.conn.execute("SELECT code, maintainer_unit_code FROM component_point "
                                   "WHERE maintainer_unit_code IS NOT NULL LIMIT 1").fetchone()
    ident = store.conn.execute("SELECT id FROM component_point WHERE code = ?", (code,)).fetchone()[0]
    new = store.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? AND retired_at IS NULL LIMIT 1",
                             (old,)).fetchone()[0]
    resp.assign_component_units(store, "maintainer", new, resp.ComponentScope(ids={"component_point": [ident]}))
    assert last_audit(store, "component.assign_unit")["before"] == {"component_point": {old: [code]}}
    moved = resp.retire_unit(store, new, old)
    detail = last_audit(store, "unit.retire")
    assert code in detail["before"]["component_point.maintainer"]
    assert sum(len(v) for k, v in detail["before"].items() if k.startswith("component")) == sum(
        n for k, n in moved.items() if k.startswith("component"))


def test_deleting_an_unused_unit_keeps_its_row(store):
    from gridmap.domain.codes import make_credit_code

    code = make_credit_code("9", "1", "150602", "MA0TEXT0")
    resp.create_unit(store, code, "测试单位", "company", "0477-1234567")
    resp.delete_unit(store, code)
    before = last_audit(store, "unit.delete")["before"]
    assert (before["code"], before["name"], before["contact"]) == (code, "测试单位", "0477-1234567")
