import datetime as dt
import itertools

import pytest

from gridmap.domain.workflow import (
    ACTIONS,
    STATUSES,
    WorkflowError,
    allowed_actions,
    close_type_for,
    is_overdue,
    next_status,
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
