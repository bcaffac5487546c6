"""Escalation of cases across the levels of the chain (上报 / 越级上报) in the store, and the time each
level has to take an escalated case up. The rules are the domain's (gridmap.domain.escalation)."""

from __future__ import annotations

import datetime as dt

from gridmap.domain.calendar import WorkingCalendar, city_now
from gridmap.domain.errors import GridmapError
from gridmap.domain.escalation import DEFAULT_LIMIT_HOURS, check_escalation, status_after_escalation
from gridmap.domain.roles import LEVELS
from gridmap.domain.workflow import WorkflowError
from gridmap.store import audit, users
from gridmap.store.cases import changed_meanwhile, write_step
from gridmap.store.connection import StoreBase
from gridmap.store.queries import write_settings

#: gridmap_setting key of a level's limit: 'escalation_hours.street' = '8'
SETTING = "escalation_hours.{}"


def level_limits(store: StoreBase) -> dict[str, float]:
    """Working hours each level has to take an escalated case up: the store's own
    ('escalation_hours.<level>' in gridmap_setting) or the domain's defaults."""
    limits = dict(DEFAULT_LIMIT_HOURS)
    rows = store.conn.execute("SELECT key, value FROM gridmap_setting WHERE key LIKE 'escalation_hours.%'")
    for key, value in rows:
        level = key.split(".", 1)[1]
        if level in limits:
            try:
                limits[level] = float(value)
            except ValueError:
                continue  # a value no one could mean as hours: the default holds
    return limits


def set_level_limit(store: StoreBase, level: str, hours: float) -> None:
    """Keep ``hours`` as the limit of ``level`` in the store (recorded in the audit log).

    Raises GridmapError for an unknown level or a limit that is not more than 0.
    """
    if level not in LEVELS:
        raise GridmapError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")
    if not hours > 0:
        raise GridmapError(f"a level's limit must be more than 0 working hours, not {hours:g}")
    with store.transaction() as conn:
        before = level_limits(store)[level]
        write_settings(conn, {SETTING.format(level): f"{hours:g}"})
        audit.log(conn, "case.level_limit", table="gridmap_setting", row_code=SETTING.format(level),
                  detail={"before": before, "after": hours})


def escalate(store: StoreBase, code: str, to_level: str, reason: str | None, user: str,
             expected_version: int | None = None, now: dt.datetime | None = None,
             calendar: WorkingCalendar | None = None) -> dict:
    """Escalate case ``code`` to ``to_level`` (the next level up, or the district) because of ``reason``.

    Writes the case's new level, the status it waits in there (a dispatched or held case goes back to
    registered for the new level to dispatch; its dispatch time is cleared, the earlier dispatch stays in
    the history), a deadline restarted at ``now`` plus the new level's limit in working hours
    (level_limits) and its row version counted up, and records an 'escalate' step with the reason as its
    note and the new level. Returns code, level, level_before, status, deadline and row_version.

    Raises EscalationError (a WorkflowError) for an escalation the rules do not allow or one without a
    reason, WorkflowError without a ``user``, ConcurrentStepError (nothing written) when the case changed
    since ``expected_version``, GridmapError for an unknown case.
    """
    if not user or not user.strip():
        raise WorkflowError("a step needs the person who takes it")
    now = now or city_now()
    calendar = calendar or WorkingCalendar.shipped()
    limits = level_limits(store)
    with store.transaction() as conn:
        row = conn.execute("SELECT status, level, row_version FROM incident WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise GridmapError(f"no case {code}")
        status, level, version = row
        if expected_version is not None and version != expected_version:
            raise changed_meanwhile(conn, code)
        unit, street = conn.execute("SELECT responsible_unit_code, street_code FROM incident WHERE code = ?",
                                    (code,)).fetchone()
        person = users.require(store, "escalate", user, unit=unit, street=street)
        user = person.staff_code if person is not None else user
        check_escalation(status, level, to_level, reason)
        new = status_after_escalation(status)
        at = now.isoformat(timespec="seconds")
        deadline = calendar.add_working_hours(now, limits[to_level]).isoformat(timespec="seconds")
        sets: dict[str, object] = {"level": to_level, "status": new, "deadline": deadline}
        if new != status:
            sets["dispatched_at"] = None
        write_step(conn, code, version, sets, step=("escalate", at, user, status, new, reason.strip(), to_level))
    return {"code": code, "level": to_level, "level_before": level, "status": new, "deadline": deadline,
            "row_version": version + 1}
