"""Retired unit-grid, component and case codes never become current again (issue 10, item 7), and a
day's case serial cannot overflow (item 5)."""

import datetime as dt
import sqlite3

import pytest

from gridmap.domain.codes import case_code, is_case_code
from gridmap.store import open_store
from gridmap.store.cases import Report, create_token, intake


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def _retire_a_unit_grid(store):
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("UPDATE unit_grid SET valid_to = '2099-01-01T00:00:00' WHERE code = ? AND valid_to IS NULL",
                     (code,))
        conn.execute("INSERT INTO retired_code (kind, code, retired_at) VALUES ('unit_grid', ?, '2099-01-01')",
                     (code,))
    return code


def test_a_retired_unit_grid_code_cannot_be_reopened(store):
    code = _retire_a_unit_grid(store)
    with pytest.raises(sqlite3.IntegrityError, match="retired"), store.transaction() as conn:
        conn.execute("UPDATE unit_grid SET valid_to = NULL WHERE code = ?", (code,))
    with pytest.raises(sqlite3.IntegrityError, match="retired"), store.transaction() as conn:
        conn.execute("INSERT INTO unit_grid (code, community_code, area_m2, valid_from, geom) "
                     "SELECT code, community_code, area_m2, '2099-02-01T00:00:00', geom FROM unit_grid "
                     "WHERE code = ?", (code,))


def test_a_new_version_of_a_current_unit_grid_is_still_allowed(store):
    """Moving a unit grid to another responsibility grid closes its row and opens one with the same code."""
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("UPDATE unit_grid SET valid_to = '2099-01-01T00:00:00' WHERE code = ? AND valid_to IS NULL",
                     (code,))
        conn.execute("INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, valid_from, "
                     "geom) SELECT code, community_code, responsibility_grid_code, area_m2, '2099-01-01T00:00:00', "
                     "geom FROM unit_grid WHERE code = ?", (code,))
    assert store.conn.execute("SELECT count(*) FROM unit_grid WHERE code = ? AND valid_to IS NULL",
                              (code,)).fetchone()[0] == 1


def test_a_void_component_stays_void_and_a_deleted_code_is_never_reused(store):
    code, class_code = store.conn.execute("SELECT code, class_code FROM component_point LIMIT 1").fetchone()
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET currency = '作废' WHERE code = ?", (code,))
    assert store.conn.execute("SELECT 1 FROM retired_code WHERE kind = 'component' AND code = ?", (code,)).fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="stays void"), store.transaction() as conn:
        conn.execute("UPDATE component_point SET currency = '在用' WHERE code = ?", (code,))
    other = store.conn.execute("SELECT code FROM component_point WHERE code <> ? LIMIT 1", (code,)).fetchone()[0]
    with store.transaction() as conn:
        conn.execute("DELETE FROM component_point WHERE code = ?", (other,))
    with pytest.raises(sqlite3.IntegrityError, match="retired"), store.transaction() as conn:
        conn.execute("INSERT INTO component_point (code, class_code, geom) VALUES (?, ?, MakePoint(0, 0, 4546))",
                     (other, class_code))
    with pytest.raises(sqlite3.IntegrityError, match="never changes"), store.transaction() as conn:
        conn.execute("UPDATE component_point SET code = ? WHERE code = (SELECT min(code) FROM component_point)",
                     (other,))


def test_cases_are_never_deleted_nor_renumbered(store):
    code = store.conn.execute("SELECT code FROM incident LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"), store.transaction() as conn:
        conn.execute("DELETE FROM incident WHERE code = ?", (code,))
    with pytest.raises(sqlite3.IntegrityError, match="never changes"), store.transaction() as conn:
        conn.execute("UPDATE incident SET code = '20990101000001' WHERE code = ?", (code,))


def _report(store, moment, key):
    x, y = store.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                              "WHERE valid_to IS NULL LIMIT 1").fetchone()
    staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1").fetchone()[0]
    create_token(store, staff)
    token_id = store.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
    return intake(store, Report("0102", "t", x, y, moment), token_id=token_id, staff_code=staff,
                  idempotency_key=key, now=moment)[0]


def test_a_busy_day_never_runs_out_of_case_codes(store):
    moment = dt.datetime(2026, 11, 27, 10, 0)
    with store.transaction() as conn:
        conn.execute("INSERT INTO case_serial (day, last) VALUES ('20261127', 999998) "
                     "ON CONFLICT (day) DO UPDATE SET last = 999998")
    codes = [_report(store, moment, f"k{k}") for k in range(3)]
    assert codes == ["20261127999999", "202611271000000", "202611271000001"]
    assert all(is_case_code(c) for c in codes)


def test_the_serial_follows_cases_written_by_any_program(store):
    """The demo, an import or another engine writing cases directly: the next intake never collides."""
    moment = dt.datetime(2026, 11, 27, 10, 0)
    last = store.conn.execute("SELECT max(code) FROM incident WHERE code LIKE '20261127%'").fetchone()[0]
    code = _report(store, moment, "after-history")
    assert int(code[8:]) == (int(last[8:]) + 1 if last else 1)


def test_case_code_format():
    assert case_code("20261128", 1) == "20261128000001"
    assert case_code("20261128", 1234567) == "202611281234567"
    assert not is_case_code("20261328000001")  # no 13th month
    assert not is_case_code("2026112800001")  # five serial digits
    assert not is_case_code("20261128000000")  # serial 0
    assert not is_case_code("2026112800000A")
