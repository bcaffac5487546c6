import datetime as dt
import itertools

import pytest

from gridmap.domain.workflow import (
    ACTIONS,
    CONFIRM_REQUIRED,
    STATUSES,
    STEP_NAMES,
    WorkflowError,
    allowed_actions,
    close_type_for,
    is_overdue,
    next_status,
    require_reason,
    step_kind,
)

ALLOWED = {
    ("reported", "register"): "registered", ("reported", "reject"): "rejected",
    ("registered", "dispatch"): "dispatched", ("registered", "hold"): "on_hold",
    ("dispatched", "handle"): "handled", ("dispatched", "hold"): "on_hold", ("dispatched", "extend"): "dispatched",
    ("handled", "check"): "checked", ("checked", "close"): "closed", ("on_hold", "resume"): "registered",
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(STATUSES, ACTIONS)))
def test_every_transition_is_allowed_or_refused(status, action):
    if (status, action) in ALLOWED:
        assert next_status(action, status, passed=True) == ALLOWED[(status, action)]
        assert action in allowed_actions(status)
    else:
        with pytest.raises(WorkflowError, match=f"cannot {action} a case that is {status}"):
            next_status(action, status, passed=True)


def test_a_failed_check_is_rework_and_resume_returns_where_it_was():
    assert next_status("check", "handled", passed=False) == "dispatched"
    with pytest.raises(WorkflowError, match="result"):
        next_status("check", "handled")
    assert next_status("resume", "on_hold", dispatched_before=True) == "dispatched"
    assert allowed_actions("closed") == [] and allowed_actions("rejected") == []


def test_close_types_and_overdue():
    deadline = dt.datetime(2026, 3, 2, 12, 0)
    assert close_type_for(deadline, deadline + dt.timedelta(minutes=1), None) == "overdue"
    assert close_type_for(deadline, deadline, None) == "normal"
    assert close_type_for(deadline, deadline + dt.timedelta(hours=3), "erroneous") == "erroneous"
    with pytest.raises(WorkflowError):
        close_type_for(deadline, deadline, "lost")
    assert is_overdue("dispatched", deadline, deadline + dt.timedelta(seconds=1))
    assert not is_overdue("handled", deadline, deadline + dt.timedelta(days=1))
    # a reported case has a deadline only when it was escalated: the new level's time to take it up
    assert is_overdue("reported", deadline, deadline + dt.timedelta(minutes=1))
    assert not is_overdue("reported", None, deadline)


@pytest.mark.parametrize(("action", "kwargs"), [("reject", {}), ("extend", {}), ("check", {"passed": False}),
                                                 ("dispatch", {"elsewhere": True})])
def test_reject_extend_rework_and_dispatch_elsewhere_need_a_reason(action, kwargs):
    for empty in (None, "", "   "):
        with pytest.raises(WorkflowError, match="needs a reason"):
            require_reason(action, empty, **kwargs)
    require_reason(action, "重复上报", **kwargs)


@pytest.mark.parametrize(("action", "kwargs"), [("register", {}), ("dispatch", {}), ("check", {"passed": True}),
                                                 ("close", {}), ("handle", {}), ("hold", {})])
def test_other_steps_need_no_reason(action, kwargs):
    require_reason(action, None, **kwargs)


def test_a_failed_check_is_named_rework_in_the_history():
    assert step_kind("check", "handled", "dispatched") == "rework"
    assert step_kind("check", "handled", "checked") == "check"
    assert STEP_NAMES[step_kind("check", "handled", "dispatched")] == "check failed: rework"
    assert set(CONFIRM_REQUIRED) == {"reject", "close"}
