"""Escalation across the levels of the Anyang chain (上报 / 越级上报): a case that the grid group,
the community room or the street station cannot handle goes up to the next level, or straight to
the district centre, with a reason.

Pure rules: which cases can be escalated, to which level, the status the case waits in at its new
level, and the default time the new level has to take it up. docs/data-model.md (Centre mode) has
the same rules in prose.
"""

from __future__ import annotations

from gridmap.domain.roles import LEVELS, level_above
from gridmap.domain.workflow import WorkflowError

#: open cases not yet handled: once the unit has handled a case there is nothing left to pass up
ESCALATABLE_STATUSES = ("reported", "registered", "dispatched", "on_hold")

#: working hours the receiving level has to take an escalated case up (register it if need be, and
#: dispatch it) before it shows as overdue; dispatching then sets the handling deadline from the
#: class's time limit as always. A store keeps its own in gridmap_setting ('escalation_hours.<level>').
#: The district gets less: what skips levels to reach it is the major or sudden event (Anyang's
#: 社管通 reports those straight to the district centre).
DEFAULT_LIMIT_HOURS = {"grid": 4.0, "community": 8.0, "street": 8.0, "district": 4.0}


class EscalationError(WorkflowError):
    """An escalation the rules do not allow: down, sideways, skipping a level below the district,
    from the district, or without a reason."""


def escalation_targets(level: str) -> tuple[str, ...]:
    """The levels a case at ``level`` can be escalated to: the next one up, and the district centre
    directly (越级上报); none at the district centre."""
    above = level_above(level)
    if above is None:
        return ()
    return (above,) if above == "district" else (above, "district")


def check_escalation(status: str, from_level: str, to_level: str, reason: str | None) -> None:
    """Raise EscalationError (a WorkflowError) unless a case in ``status`` at ``from_level`` may be
    escalated to ``to_level`` with ``reason``: an open case not yet handled, up to the next level or
    straight to the district, with a reason that is not blank."""
    for level in (from_level, to_level):
        if level not in LEVELS:
            raise EscalationError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")
    if status not in ESCALATABLE_STATUSES:
        raise EscalationError(f"cannot escalate a case that is {status} (escalate: "
                              f"{', '.join(ESCALATABLE_STATUSES)})")
    targets = escalation_targets(from_level)
    if not targets:
        raise EscalationError("a case at the district centre cannot be escalated further")
    if LEVELS.index(to_level) <= LEVELS.index(from_level):
        raise EscalationError(f"cannot escalate from {from_level} to {to_level}: escalation goes up "
                              f"(to {' or '.join(targets)})")
    if to_level not in targets:
        raise EscalationError(f"cannot escalate from {from_level} to {to_level}: escalate to the next level "
                              f"({targets[0]}) or straight to the district")
    if reason is None or not reason.strip():
        raise EscalationError("an escalation needs a reason")


def status_after_escalation(status: str) -> str:
    """The status an escalated case waits in at its new level: a dispatched or held case goes back to
    registered, for the new level to dispatch (its earlier dispatch stays in the history); a reported
    or registered case stays as it is."""
    return "registered" if status in ("dispatched", "on_hold") else status
