"""Escalation across the levels of the Anyang chain: which cases, to which level, with a reason."""

import itertools

import pytest

from gridmap.domain.escalation import (
    DEFAULT_LIMIT_HOURS,
    ESCALATABLE_STATUSES,
    EscalationError,
    check_escalation,
    escalation_targets,
    status_after_escalation,
)
from gridmap.domain.roles import LEVELS
from gridmap.domain.workflow import STATUSES, WorkflowError


def test_up_one_level_or_straight_to_the_district():
    assert escalation_targets("grid") == ("community", "district")
    assert escalation_targets("community") == ("street", "district")
    assert escalation_targets("street") == ("district",)
    assert escalation_targets("district") == ()


@pytest.mark.parametrize(("from_level", "to_level"), list(itertools.product(LEVELS, LEVELS)))
def test_never_down_never_sideways_never_skipping_a_level_but_the_district(from_level, to_level):
    allowed = to_level in escalation_targets(from_level)
    if allowed:
        check_escalation("registered", from_level, to_level, "超出处置能力")
        return
    with pytest.raises(EscalationError) as refused:
        check_escalation("registered", from_level, to_level, "超出处置能力")
    if from_level == "district":
        assert "district centre" in str(refused.value)
    elif LEVELS.index(to_level) <= LEVELS.index(from_level):
        assert "goes up" in str(refused.value)
    else:
        assert "next level" in str(refused.value)


@pytest.mark.parametrize("status", STATUSES)
def test_only_open_cases_not_yet_handled(status):
    if status in ESCALATABLE_STATUSES:
        check_escalation(status, "community", "street", "无执法权")
    else:
        with pytest.raises(WorkflowError, match=f"cannot escalate a case that is {status}"):
            check_escalation(status, "community", "street", "无执法权")
    assert set(ESCALATABLE_STATUSES) == {"reported", "registered", "dispatched", "on_hold"}


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(reason):
    with pytest.raises(EscalationError, match="needs a reason"):
        check_escalation("registered", "community", "street", reason)


def test_unknown_levels_are_named():
    with pytest.raises(EscalationError, match="unknown level 'city'"):
        check_escalation("registered", "community", "city", "x")


def test_the_new_level_dispatches_again():
    assert status_after_escalation("dispatched") == "registered"
    assert status_after_escalation("on_hold") == "registered"
    assert status_after_escalation("registered") == "registered"
    assert status_after_escalation("reported") == "reported"


def test_every_level_has_a_default_limit():
    assert set(DEFAULT_LIMIT_HOURS) == set(LEVELS) and all(h > 0 for h in DEFAULT_LIMIT_HOURS.values())
