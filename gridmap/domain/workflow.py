"""The case loop (数字城管七步闭环): report → register or reject → dispatch → handle → check on site
→ close, with rework, hold (挂账) and deadline extension where the rules allow.

Pure rules: which action is allowed in which status, and the status it leads to. Overdue is not a
status: a case is overdue when its deadline has passed before it was handled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridmap.domain.errors import GridmapError

STATUSES = ("reported", "registered", "rejected", "dispatched", "handled", "checked", "closed", "on_hold")
OPEN_STATUSES = ("reported", "registered", "dispatched", "handled", "checked", "on_hold")
CLOSED_STATUSES = ("closed", "rejected")
#: open cases whose deadline runs against the handling unit or the centre (not yet handled); a reported
#: case has a deadline only once it was escalated: the level it went to has that long to take it up
AWAITING_HANDLING = ("reported", "registered", "dispatched")
CLOSE_TYPES = ("normal", "overdue", "erroneous", "special")
#: where a case came from: a supervisor's patrol, the 12319 hotline, video, assigned by a leader, self-found
SOURCES = ("patrol", "hotline", "video", "assigned", "self")


class WorkflowError(GridmapError):
    """An action the case's status does not allow, or one missing what it needs."""


@dataclass(frozen=True)
class Action:
    name: str
    allowed_from: tuple[str, ...]
    to: str | None  # None: decided by the action (check, resume)
    step_column: str | None  # the time column it stamps


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("register", ("reported",), "registered", "registered_at"),
    Action("reject", ("reported",), "rejected", "closed_at"),
    Action("dispatch", ("registered",), "dispatched", "dispatched_at"),
    Action("handle", ("dispatched",), "handled", "handled_at"),
    Action("check", ("handled",), None, "checked_at"),  # passed → checked, failed → rework → dispatched
    Action("close", ("checked",), "closed", "closed_at"),
    Action("hold", ("registered", "dispatched"), "on_hold", None),
    Action("resume", ("on_hold",), None, None),
    Action("extend", ("dispatched",), "dispatched", None),
)}


#: actions that are written only with a reason (a failed check, "rework", is a ``check`` with passed=False)
REASON_REQUIRED = ("reject", "extend", "rework")
#: actions that end a case for good: the desk confirms them before they are written
CONFIRM_REQUIRED = ("reject", "close")


def require_reason(action: str, reason: str | None, *, passed: bool | None = None, elsewhere: bool = False) -> None:
    """Raise WorkflowError when ``action`` needs a reason and ``reason`` is empty.

    Reject, extend and rework (a failed check) always need one; dispatch needs one when the
    case goes to another unit than the suggested one (``elsewhere``).
    """
    kind = "rework" if action == "check" and passed is False else action
    if reason is not None and reason.strip():
        return
    if kind in REASON_REQUIRED:
        raise WorkflowError(f"{STEP_NAMES[kind]} needs a reason")
    if kind == "dispatch" and elsewhere:
        raise WorkflowError("dispatching to another unit than the suggested one needs a reason")


#: what each step is called in a case's history; a check that failed is "rework", not a check
STEP_NAMES = {"report": "report", "register": "register", "reject": "reject", "dispatch": "dispatch",
              "handle": "handling done", "check": "check passed", "rework": "check failed: rework",
              "close": "close", "hold": "hold", "resume": "resume", "extend": "deadline extension",
              "escalate": "escalation"}


def step_kind(action: str, status_before: str | None, status_after: str | None) -> str:
    """The name of a recorded step: a ``check`` that sent the case back is 'rework'."""
    if action == "check" and status_after == "dispatched":
        return "rework"
    return action


def allowed_actions(status: str) -> list[str]:
    """The actions a case in ``status`` can take next."""
    return [name for name, action in ACTIONS.items() if status in action.allowed_from]


def next_status(action: str, status: str, *, passed: bool | None = None, dispatched_before: bool = False) -> str:
    """The status after ``action`` on a case in ``status``; raises WorkflowError when not allowed.

    ``passed`` is the on-site check's result; ``dispatched_before`` says where a resumed case returns.
    """
    rule = ACTIONS.get(action)
    if rule is None:
        raise WorkflowError(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    if status not in rule.allowed_from:
        allowed = ", ".join(allowed_actions(status)) or "none"
        raise WorkflowError(f"cannot {action} a case that is {status} (allowed: {allowed})")
    if action == "check":
        if passed is None:
            raise WorkflowError("a check needs its result: passed or not")
        return "checked" if passed else "dispatched"  # not passed = rework (返工)
    if action == "resume":
        return "dispatched" if dispatched_before else "registered"
    return rule.to


def close_type_for(deadline: dt.datetime | None, handled_at: dt.datetime | None, requested: str | None) -> str:
    """'overdue' when handled after the deadline, else what the centre chose (default 'normal')."""
    if requested is not None and requested not in CLOSE_TYPES:
        raise WorkflowError(f"close type must be one of {', '.join(CLOSE_TYPES)}")
    if requested in ("erroneous", "special"):
        return requested
    if deadline is not None and handled_at is not None and handled_at > deadline:
        return "overdue"
    return requested or "normal"


def is_overdue(status: str, deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """An open, not yet handled case whose deadline has passed."""
    return status in AWAITING_HANDLING and deadline is not None and deadline < now
