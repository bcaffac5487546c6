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
