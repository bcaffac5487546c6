"""The case loop on a real store: every step stamps time and user, refusals change nothing."""

import datetime as dt

import pytest

from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import WorkflowError
from gridmap.store import dialect, open_store
from gridmap.store.cases import ConcurrentStepError, Report, apply_step, case_version, create_token, intake, steps

FRIDAY_4PM = dt.datetime(2025, 3, 7, 16, 0)


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def new_case(store, class_code="0102", key="k", level=None):
    """A case reported now through the intake (at ``level``, else where reports start: the district)."""
    x, y = store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL "
                              "ORDER BY code LIMIT 1").fetchone()
    staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1").fetchone()[0]
    token_id = store.conn.execute("SELECT id FROM device_token WHERE token_hash IS NOT NULL").fetchone()
    if token_id is None:
        create_token(store, staff)
        token_id = store.conn.execute("SELECT id FROM device_token").fetchone()
    report = Report(class_code, "test", x, y, FRIDAY_4PM, **({"level": level} if level else {}))
    code, created = intake(store, report, token_id=token_id[0],
                           staff_code=staff, idempotency_key=key, now=FRIDAY_4PM)
    assert created
    return code


def row(store, code):
    return store.conn.execute("SELECT * FROM incident WHERE code = ?", (code,)).fetchone()


def test_the_whole_loop_with_a_deadline_over_the_weekend(store):
    code = new_case(store)  # 暴露垃圾: 4 working hours
    assert apply_step(store, code, "register", user="受理员", now=FRIDAY_4PM) == "registered"
    assert apply_step(store, code, "dispatch", user="派遣员", now=FRIDAY_4PM) == "dispatched"
    # Friday 16:00 + 4 working hours: 1.5 h on Friday, then Monday 08:30-11:00
    assert row(store, code)["deadline"] == "2025-03-10T11:00:00"
    assert apply_step(store, code, "handle", user="环卫中心", now=dt.datetime(2025, 3, 10, 10, 0)) == "handled"
    assert apply_step(store, code, "check", user="监督员", passed=True, now=dt.datetime(2025, 3, 10, 10, 30)) \
        == "checked"
    assert apply_step(store, code, "close", user="值班长", now=dt.datetime(2025, 3, 10, 10, 40)) == "closed"
    final = row(store, code)
    assert final["close_type"] == "normal" and final["closed_at"] == "2025-03-10T10:40:00"
    log = steps(store, code)
    assert [s["action"] for s in log] == ["report", "register", "dispatch", "handle", "check", "close"]
    assert [s["user"] for s in log][1:] == ["受理员", "派遣员", "环卫中心", "监督员", "值班长"]


def test_late_handling_closes_overdue_and_rework_counts(store):
    code = new_case(store)
    apply_step(store, code, "register", user="a", now=FRIDAY_4PM)
    apply_step(store, code, "dispatch", user="a", now=FRIDAY_4PM)
    apply_step(store, code, "handle", user="b", now=dt.datetime(2025, 3, 10, 12, 0))
    assert apply_step(store, code, "check", user="c", passed=False, reason="未修复",
                      now=dt.datetime(2025, 3, 10, 13, 0)) == "dispatched"
    assert row(store, code)["rework_count"] == 1 and row(store, code)["handled_at"] is None
    apply_step(store, code, "handle", user="b", now=dt.datetime(2025, 3, 10, 15, 0))
    apply_step(store, code, "check", user="c", passed=True, now=dt.datetime(2025, 3, 10, 15, 30))
    apply_step(store, code, "close", user="d", now=dt.datetime(2025, 3, 10, 15, 40))
    assert row(store, code)["close_type"] == "overdue"


def test_dispatch_elsewhere_needs_a_reason_and_hold_extend_resume(store):
    code = new_case(store)
    apply_step(store, code, "register", user="a", now=FRIDAY_4PM)
    other = store.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? LIMIT 1",
                               (row(store, code)["responsible_unit_code"],)).fetchone()[0]
    with pytest.raises(WorkflowError, match="needs a reason"):
        apply_step(store, code, "dispatch", user="a", unit=other, now=FRIDAY_4PM)
    apply_step(store, code, "dispatch", user="a", unit=other, reason="属地管理", now=FRIDAY_4PM)
    assert row(store, code)["responsible_unit_code"] == other
    apply_step(store, code, "extend", user="a", hours=2, reason="雨天", now=FRIDAY_4PM)
    assert row(store, code)["deadline"] == "2025-03-10T15:00:00"  # 11:00-12:00, lunch, 14:00-15:00
    assert apply_step(store, code, "hold", user="a", now=FRIDAY_4PM) == "on_hold"
    assert apply_step(store, code, "resume", user="a", now=FRIDAY_4PM) == "dispatched"


@pytest.mark.parametrize(("action", "kwargs"), [("handle", {}), ("close", {}), ("check", {"passed": True}),
                                                 ("resume", {}), ("extend", {"hours": 1})])
def test_steps_the_status_does_not_allow_change_nothing(store, action, kwargs):
    code = new_case(store)
    before = tuple(row(store, code))
    with pytest.raises(WorkflowError):
        apply_step(store, code, action, user="x", **kwargs)
    assert tuple(row(store, code)) == before and len(steps(store, code)) == 1


def test_unknown_case_and_reject(store):
    with pytest.raises(GridmapError, match="no case"):
        apply_step(store, "20990101000001", "register", user="x")
    code = new_case(store)
    assert apply_step(store, code, "reject", user="受理员", reason="重复上报") == "rejected"
    assert row(store, code)["closed_at"] is not None


def test_every_step_counts_up_the_case_s_row_version(store):
    code = new_case(store)
    assert case_version(store, code) == 0
    apply_step(store, code, "register", user="a", now=FRIDAY_4PM)
    apply_step(store, code, "dispatch", user="a", now=FRIDAY_4PM)
    assert case_version(store, code) == row(store, code)["row_version"] == 2
    assert apply_step(store, code, "handle", user="b", expected_version=2, now=FRIDAY_4PM) == "handled"
    assert case_version(store, code) == 3
    assert case_version(store, "20990101000001") is None


def two_desks_on_one_case(location):
    """Two desks (two connections) open the same case; each acts on what it read. The second desk's
    dispatch, and its extension after both reloaded, are refused and overwrite nothing: the extension
    leaves the status as it was, so only the row version tells the desks apart. Runs on either engine."""
    with open_store(location) as desk_a, open_store(location) as desk_b:
        code = new_case(desk_a, key="two-desks")
        apply_step(desk_a, code, "register", user="受理员", now=FRIDAY_4PM)
        read_a, read_b = case_version(desk_a, code), case_version(desk_b, code)
        assert read_a == read_b == 1
        suggested = row(desk_a, code)["responsible_unit_code"]
        other = desk_b.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? AND retired_at IS NULL "
                                    "ORDER BY code LIMIT 1", (suggested,)).fetchone()[0]
        apply_step(desk_a, code, "dispatch", user="派遣员甲", expected_version=read_a, now=FRIDAY_4PM)
        before, log = tuple(row(desk_b, code)), steps(desk_b, code)
        with pytest.raises(ConcurrentStepError, match=rf"case {code} was changed by someone else \(.*派遣员甲.*\) "
                                                       r"since you opened it; reload it"):
            apply_step(desk_b, code, "dispatch", user="派遣员乙", unit=other, reason="属地管理",
                       expected_version=read_b, now=FRIDAY_4PM)
        assert tuple(row(desk_b, code)) == before and steps(desk_b, code) == log
        assert row(desk_b, code)["responsible_unit_code"] == suggested

        read_a, read_b = case_version(desk_a, code), case_version(desk_b, code)  # both reload
        apply_step(desk_a, code, "extend", user="派遣员甲", hours=2, reason="雨天", expected_version=read_a,
                   now=FRIDAY_4PM)
        before, log = tuple(row(desk_b, code)), steps(desk_b, code)
        with pytest.raises(ConcurrentStepError, match="since you opened it"):
            apply_step(desk_b, code, "extend", user="派遣员乙", hours=8, reason="材料未到", expected_version=read_b,
                       now=FRIDAY_4PM)
        assert tuple(row(desk_b, code)) == before and steps(desk_b, code) == log
        assert [s["user"] for s in log][-2:] == ["派遣员甲", "派遣员甲"]
        assert row(desk_b, code)["deadline"] == "2025-03-10T15:00:00"  # desk A's two hours, not B's eight
        # reloaded, desk B decides again and its step applies
        again = case_version(desk_b, code)
        assert apply_step(desk_b, code, "extend", user="派遣员乙", hours=1, reason="材料未到", expected_version=again,
                          now=FRIDAY_4PM) == "dispatched"
        assert case_version(desk_a, code) == again + 1


def test_two_desks_on_one_case_the_second_is_told_and_nothing_is_overwritten(small_demo):
    two_desks_on_one_case(small_demo)
