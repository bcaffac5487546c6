"""Escalation across levels on a real store (issue 14, the Anyang chain): the case's level, a step
with the reason, a row version counted up, the deadline restarted by the new level's limit; refusals
write nothing. The scenario functions run on either engine (tests/postgis/test_pg_cases.py)."""

import datetime as dt

import pytest

from gridmap.domain.errors import GridmapError
from gridmap.domain.escalation import DEFAULT_LIMIT_HOURS, EscalationError
from gridmap.domain.workflow import WorkflowError
from gridmap.store import open_store
from gridmap.store.cases import ConcurrentStepError, apply_step, case_state, case_version, steps
from gridmap.store.escalation import escalate, level_limits, set_level_limit
from gridmap.store.validate import validate_store
from tests.store.test_cases import FRIDAY_4PM, new_case, row

MONDAY_9AM = dt.datetime(2025, 3, 10, 9, 0)


def a_chain(location):
    """A community room takes a report, dispatches it, cannot get it handled and passes it up to the
    street station, which passes it straight on to the district centre."""
    with open_store(location) as store:
        code = new_case(store, key="chain", level="community")
        assert case_state(store, code)["level"] == "community"
        assert steps(store, code)[0]["level"] == "community"
        apply_step(store, code, "register", user="社区受理员", now=FRIDAY_4PM)
        apply_step(store, code, "dispatch", user="社区受理员", now=FRIDAY_4PM)
        version = case_version(store, code)
        done = escalate(store, code, "street", "社区无执法权", "社区受理员", expected_version=version, now=FRIDAY_4PM)
        # the street station has 8 working hours (the default) to take it up: Friday 16:00 → Monday 17:00
        assert done == {"code": code, "level": "street", "level_before": "community", "status": "registered",
                        "deadline": "2025-03-10T17:00:00", "row_version": version + 1}
        case = row(store, code)
        assert (case["level"], case["status"], case["dispatched_at"], case["row_version"]) == \
            ("street", "registered", None, version + 1)
        last = steps(store, code)[-1]
        assert (last["action"], last["note"], last["level"], last["level_before"], last["user"],
                last["status_before"], last["status_after"]) == \
            ("escalate", "社区无执法权", "street", "community", "社区受理员", "dispatched", "registered")

        set_level_limit(store, "district", 2)
        assert level_limits(store) == {**DEFAULT_LIMIT_HOURS, "district": 2.0}
        done = escalate(store, code, "district", "涉及多个部门", "街道值班员", now=MONDAY_9AM)
        assert (done["level"], done["deadline"]) == ("district", "2025-03-10T11:00:00")
        chain = [(s["level_before"], s["level"], s["note"]) for s in steps(store, code) if s["action"] == "escalate"]
        assert chain == [("community", "street", "社区无执法权"), ("street", "district", "涉及多个部门")]
        # the district dispatches it again: the handling deadline comes from the class's time limit
        assert apply_step(store, code, "dispatch", user="区派遣员", now=MONDAY_9AM) == "dispatched"
        assert row(store, code)["deadline"] == "2025-03-10T15:00:00"  # 4 working hours from 09:00, lunch 12-14
        assert [p for p in validate_store(store) if p.code == code] == []
        return code


def refusals_write_nothing(location):
    with open_store(location) as store:
        code = new_case(store, key="refused", level="street")
        before, log = tuple(row(store, code)), steps(store, code)
        for to_level, reason, error, message in (
                ("community", "x", EscalationError, "goes up"),
                ("street", "x", EscalationError, "goes up"),
                ("district", "  ", EscalationError, "needs a reason"),
                ("province", "x", EscalationError, "unknown level 'province'")):
            with pytest.raises(error, match=message):
                escalate(store, code, to_level, reason, "街道值班员")
        with pytest.raises(WorkflowError, match="the person who takes it"):
            escalate(store, code, "district", "x", " ")
        with pytest.raises(ConcurrentStepError, match=f"case {code} was changed by someone else"):
            escalate(store, code, "district", "x", "街道值班员", expected_version=case_version(store, code) + 1)
        with pytest.raises(GridmapError, match="no case 20990101000001"):
            escalate(store, "20990101000001", "district", "x", "街道值班员")
        assert tuple(row(store, code)) == before and steps(store, code) == log
        escalate(store, code, "district", "重大突发事件", "街道值班员")
        with pytest.raises(EscalationError, match="district centre cannot be escalated further"):
            escalate(store, code, "district", "x", "区值班员")
        handled = new_case(store, key="handled", level="community")
        for action in ("register", "dispatch", "handle"):
            apply_step(store, handled, action, user="x")
        with pytest.raises(EscalationError, match="cannot escalate a case that is handled"):
            escalate(store, handled, "street", "x", "x")


@pytest.fixture
def store_file(small_demo):
    return small_demo


def test_a_case_climbs_the_chain_with_reasons_and_new_deadlines(store_file):
    a_chain(store_file)


def test_refused_escalations_write_nothing(store_file):
    refusals_write_nothing(store_file)


def test_new_cases_start_at_the_district_centre_and_limits_are_checked(store_file):
    with open_store(store_file) as store:
        code = new_case(store, key="plain")
        assert case_state(store, code)["level"] == "district" and steps(store, code)[0]["level"] == "district"
        assert level_limits(store) == DEFAULT_LIMIT_HOURS
        for level, hours, message in (("street", 0, "more than 0"), ("town", 4, "unknown level 'town'")):
            with pytest.raises(GridmapError, match=message):
                set_level_limit(store, level, hours)


def each_level_has_its_queue(location):
    """The desk of a level sees the open cases waiting there, most urgent first; the overdue list and the
    new cases can be narrowed to one level."""
    from gridmap.store import live

    with open_store(location) as store:
        last_id = live.marks(store)[0]
        at_street = new_case(store, key="queue-street", level="street")
        at_community = new_case(store, key="queue-community", level="community")
        escalate(store, at_community, "street", "社区无法处置", "社区受理员", now=FRIDAY_4PM)
        queue = live.level_queue(store, "street")
        # the escalated case has a deadline (Monday 17:00), the one reported at the street none yet
        assert [c["code"] for c in queue] == [at_community, at_street]
        assert set(queue[0]) >= {"code", "deadline", "status", "class_name", "reported_at", "level"}
        assert at_street not in [c["code"] for c in live.level_queue(store, "district")]
        assert live.level_queue(store, "community") == []
        new = live.new_since(store, last_id)
        assert [(c["code"], c["level"]) for c in new] == [(at_street, "street"), (at_community, "street")]
        late = "2025-03-11T09:00:00"
        assert [c["code"] for c in live.overdue(store, late, level="street")] == [at_community]
        assert at_community not in [c["code"] for c in live.overdue(store, late, level="district")]
        assert at_community in [c["code"] for c in live.overdue(store, late)]


def test_each_level_has_its_queue(store_file):
    each_level_has_its_queue(store_file)


MARCH_2025 = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def escalations_are_counted(location):
    """Each escalation in the period counts for the area and the unit of its case; one made after the period
    does not. Returns the rows by grid and by unit (to compare the engines)."""
    from gridmap.store.evaluation import period_rows

    with open_store(location) as store:
        twice = new_case(store, key="count-twice", level="community")
        once = new_case(store, key="count-once", level="community")
        later = new_case(store, key="count-later", level="community")
        escalate(store, twice, "street", "社区无执法权", "a", now=FRIDAY_4PM)
        escalate(store, twice, "district", "涉及多个部门", "b", now=MONDAY_9AM.replace(day=20))
        escalate(store, once, "district", "重大突发事件", "a", now=FRIDAY_4PM)
        escalate(store, later, "street", "社区无执法权", "a", now=dt.datetime(2025, 4, 1, 9, 0))
        grid, unit = store.conn.execute("SELECT responsibility_grid_code, responsible_unit_code FROM incident "
                                        "WHERE code = ?", (twice,)).fetchone()
        by_grid = period_rows(store, *MARCH_2025, "grid")
        by_unit = period_rows(store, *MARCH_2025, "unit")
        assert {r["key"]: r["escalated"] for r in by_grid if r["escalated"]} == {grid: 3}
        assert {r["key"]: r["escalated"] for r in by_unit if r["escalated"]} == {unit: 3}
        assert all("escalated" not in r for r in period_rows(store, *MARCH_2025, "supervisor"))
        april = period_rows(store, dt.date(2025, 4, 1), dt.date(2025, 4, 30), "grid")
        assert {r["key"]: r["escalated"] for r in april if r["escalated"]} == {grid: 1}
        return by_grid, by_unit


def test_escalations_are_counted_per_area_and_unit(store_file):
    escalations_are_counted(store_file)
