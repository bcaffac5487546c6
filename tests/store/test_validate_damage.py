"""'gridmap validate' finds every kind of dangling reference and broken invariant, made on purpose one
at a time on a copy of the demo, and says how to repair each (issue 10, item 8)."""

import sqlite3

import pytest

from gridmap.store import open_store
from gridmap.store.validate import REPAIRS, repair_hint, validate_store

#: name -> (SQL damage run with triggers out of the way, the problem kind it must produce)
DAMAGE = {
    "step_of_missing_case": ("INSERT INTO incident_step (incident_code, action, at, user) "
                             "VALUES ('20990101000001', 'register', '2026-01-01T00:00:00', 'x')", "orphan"),
    "photo_of_missing_case": ("INSERT INTO incident_photo VALUES ('20990101000001', x'00', 'image/png')", "orphan"),
    "key_of_missing_case": ("INSERT INTO device_token (staff_code, token_hash, created_at) SELECT code, 'h', "
                            "'2026-01-01' FROM staff LIMIT 1; INSERT INTO idempotency_key VALUES "
                            "((SELECT max(id) FROM device_token), 'k', '20990101000001', '2026-01-01', NULL)",
                            "orphan"),
    "rule_to_missing_unit": ("UPDATE routing_rule SET unit_code = '91150602MISSING00X' WHERE id = "
                             "(SELECT min(id) FROM routing_rule)", "orphan"),
    "successor_missing": ("UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = 'NOPE' "
                          "WHERE code = (SELECT max(code) FROM responsible_unit)", "orphan"),
    "token_of_missing_staff": ("INSERT INTO device_token (staff_code, token_hash, created_at) "
                               "VALUES ('NOBODY', 'h2', '2026-01-01')", "orphan"),
    "case_names_missing_component": ("UPDATE incident SET class_kind = 'component', component_code = "
                                     "'1506020101999999' WHERE id = (SELECT min(id) FROM incident)",
                                     "component.unknown"),
    "malformed_case_code": ("UPDATE incident SET code = 'CASE-1' WHERE id = (SELECT min(id) FROM incident)",
                            "code.case"),
    "serial_behind": ("UPDATE case_serial SET last = 0 WHERE day = (SELECT max(day) FROM case_serial)",
                      "case_serial.behind"),
    "reused_unit_grid_code": ("INSERT INTO retired_code SELECT 'unit_grid', code, '2026-01-01', NULL FROM unit_grid "
                              "WHERE valid_to IS NULL LIMIT 1", "code.reused"),
    "reused_component_code": ("INSERT INTO retired_code SELECT 'component', code, '2026-01-01', NULL "
                              "FROM component_point LIMIT 1", "code.reused"),
    "rule_to_retired_unit": ("UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = code "
                             "WHERE code = (SELECT unit_code FROM routing_rule LIMIT 1)", "routing.retired_unit"),
    "rule_for_missing_area": ("INSERT INTO routing_rule (class_code, class_kind, area_kind, area_code, unit_code) "
                              "SELECT '0102', 'event', 'community', '150602999999', code FROM responsible_unit "
                              "LIMIT 1", "routing.unknown_area"),
    "rule_for_missing_class": ("INSERT INTO routing_rule (class_code, class_kind, area_kind, area_code, unit_code) "
                               "SELECT '9999', 'event', 'default', '', code FROM responsible_unit LIMIT 1",
                               "routing.unknown_class"),
    "retired_without_successor": ("UPDATE responsible_unit SET retired_at = '2026-01-01' "
                                  "WHERE code = (SELECT max(code) FROM responsible_unit)", "unit.no_successor"),
    "closed_without_time": ("UPDATE incident SET closed_at = NULL WHERE id = "
                            "(SELECT min(id) FROM incident WHERE status = 'closed')", "incident.inconsistent"),
    "dispatched_without_deadline": ("UPDATE incident SET deadline = NULL WHERE id = "
                                    "(SELECT min(id) FROM incident WHERE status IN ('dispatched', 'handled'))",
                                    "incident.inconsistent"),
    "step_log_disagrees": ("INSERT INTO incident_step (incident_code, action, at, user, status_before, status_after) "
                           "SELECT code, 'register', '2026-01-01', 'x', 'reported', 'registered' FROM incident "
                           "WHERE status = 'closed' LIMIT 1", "incident_step.last_status"),
    "overlapping_history": ("INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, "
                            "valid_from, valid_to, geom) SELECT code, community_code, responsibility_grid_code, "
                            "area_m2, '2000-01-01', '2099-01-01', geom FROM unit_grid WHERE valid_to IS NULL LIMIT 1",
                            "unit_grid.history_overlap"),
    "staff_of_missing_grid": ("INSERT INTO supervisor_assignment SELECT code, '150602999' FROM staff LIMIT 1",
                              "orphan"),
    "component_of_missing_unit": ("UPDATE component_point SET owner_unit_code = 'NOUNIT' WHERE id = 1", "orphan"),
    # what a review found missing
    "closed_before_reported": ("UPDATE incident SET closed_at = '2001-01-01T00:00:00' WHERE id = "
                               "(SELECT min(id) FROM incident WHERE status = 'closed')", "incident.inconsistent"),
    "reported_with_closed_at": ("UPDATE incident SET status = 'reported', close_type = NULL, registered_at = NULL, "
                                "dispatched_at = NULL, deadline = NULL, handled_at = NULL, checked_at = NULL "
                                "WHERE id = (SELECT min(id) FROM incident WHERE status = 'closed')",
                                "incident.inconsistent"),
    "dispatched_without_registered": ("UPDATE incident SET registered_at = NULL WHERE id = "
                                      "(SELECT min(id) FROM incident WHERE status = 'dispatched')",
                                      "incident.inconsistent"),
    "deadline_before_dispatch": ("UPDATE incident SET deadline = '2001-01-01T00:00:00' WHERE id = "
                                 "(SELECT min(id) FROM incident WHERE status = 'closed')", "incident.inconsistent"),
    "open_with_close_type": ("UPDATE incident SET close_type = 'normal' WHERE id = "
                             "(SELECT min(id) FROM incident WHERE status = 'dispatched')", "incident.inconsistent"),
    "reported_in_2030": ("UPDATE incident SET reported_at = '2099-01-01T00:00:00' WHERE id = 1",
                         "incident.inconsistent"),
    "reported_yesterday_text": ("UPDATE incident SET reported_at = 'yesterday' WHERE id = 1", "incident.inconsistent"),
    "negative_rework": ("UPDATE incident SET rework_count = -3 WHERE id = 1", "incident.inconsistent"),
    "case_without_place": ("UPDATE incident SET geom = NULL WHERE id = 1", "incident.no_place"),
    "case_far_away": ("UPDATE incident SET geom = MakePoint(0, 0, 4546) WHERE id = 1", "incident.no_place"),
    "successor_cycle": ("UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = (SELECT max(code) "
                        "FROM responsible_unit) WHERE code = (SELECT min(code) FROM responsible_unit); "
                        "UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = (SELECT min(code) "
                        "FROM responsible_unit) WHERE code = (SELECT max(code) FROM responsible_unit)",
                        "unit.successor_cycle"),
    "retired_unit_still_used": ("UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = "
                                "(SELECT min(code) FROM responsible_unit) WHERE code = (SELECT maintainer_unit_code "
                                "FROM component_point WHERE maintainer_unit_code IS NOT NULL LIMIT 1)",
                                "component.retired_unit"),
    "open_case_of_retired_unit": ("UPDATE responsible_unit SET retired_at = '2026-01-01', successor_code = "
                                  "(SELECT min(code) FROM responsible_unit) WHERE code = (SELECT responsible_unit_code "
                                  "FROM incident WHERE status = 'dispatched' LIMIT 1)", "unit.retired_in_use"),
    "disconnected_grid": ("UPDATE unit_grid SET responsibility_grid_code = (SELECT max(code) FROM responsibility_grid) "
                          "WHERE id = (SELECT min(id) FROM unit_grid WHERE valid_to IS NULL AND "
                          "responsibility_grid_code = (SELECT min(code) FROM responsibility_grid))",
                          "responsibility_grid.disconnected"),
}


def damage(path, sql):
    conn = sqlite3.connect(path)
    conn.enable_load_extension(True)
    conn.load_extension("mod_spatialite")
    conn.execute("PRAGMA foreign_keys = OFF")  # damage as another program would do it
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE '%geom%' "
                            "AND sql NOT LIKE '%rtree%' AND sql NOT LIKE '%ISO_metadata%'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in sql.split("; "):
        conn.execute(statement)
    for _, trigger_sql in triggers:
        conn.execute(trigger_sql)
    conn.commit()
    conn.close()


def test_the_demo_itself_is_valid(small_demo):
    with open_store(small_demo) as store:
        assert validate_store(store) == []


@pytest.mark.parametrize("name", list(DAMAGE))
def test_each_kind_of_damage_is_found_with_a_repair(small_demo, name):
    sql, kind = DAMAGE[name]
    damage(small_demo, sql)
    with open_store(small_demo) as store:
        problems = validate_store(store)
    assert kind in {p.kind for p in problems}, [str(p) for p in problems][:10]
    assert all(repair_hint(p.kind) for p in problems)


def test_every_documented_kind_is_in_the_data_model_doc():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "data-model.md").read_text(encoding="utf-8")
    missing = [kind for kind in REPAIRS if f"`{kind}`" not in doc]
    assert not missing, f"docs/data-model.md does not list {missing}"
