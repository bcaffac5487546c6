"""Cases in the store: intake of reports from handheld devices, the workflow's steps, device tokens.

Every write is one IMMEDIATE transaction; a step only applies if the case is still in the status
it was read in (someone else's step in between is refused, never overwritten).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from gridmap.domain.calendar import WorkingCalendar
from gridmap.domain.errors import GridmapError
from gridmap.domain.responsibility import dispatch_unit
from gridmap.domain.workflow import WorkflowError, close_type_for, next_status, require_reason, step_kind
from gridmap.store import audit
from gridmap.store.connection import Store
from gridmap.store.responsibility import load_routing
from gridmap.store.schema import COMPONENT_TABLES

SOURCES = ("patrol", "hotline", "video", "assigned", "self")


class IntakeError(GridmapError):
    """A report that cannot become a case: ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = "body"):
        super().__init__(message)
        self.field = field


class ConcurrentStepError(GridmapError):
    """The case changed since it was read; reload and decide again."""


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _parse(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# --- device tokens ---------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, staff_code: str) -> str:
    """Issue a device token for a staff member; returns it (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with store.transaction() as conn:
        if not conn.execute("SELECT 1 FROM staff WHERE code = ?", (staff_code,)).fetchone():
            raise GridmapError(f"{store.path}: no staff member {staff_code}")
        conn.execute("INSERT INTO device_token (staff_code, token_hash, created_at) VALUES (?, ?, ?)",
                     (staff_code, _hash(token), _iso(_now())))
        audit.log(conn, "token.create", table="device_token", row_code=staff_code)
    return token


def check_token(store: Store, token: str) -> tuple[int, str] | None:
    """(token id, staff code) for a valid, unrevoked token; None otherwise."""
    row = store.conn.execute("SELECT id, staff_code FROM device_token WHERE token_hash = ? AND revoked_at IS NULL",
                             (_hash(token),)).fetchone()
    return (row[0], row[1]) if row else None


# --- intake --------------------------------------------------------------------------------


@dataclass
class Report:
    """A report as the service hands it over: position already in the store's CRS."""

    class_code: str
    description: str
    x: float
    y: float
    reported_at: dt.datetime
    component_code: str | None = None
    source: str = "patrol"
    photo: bytes | None = None
    photo_mime: str = "image/jpeg"


def _place(conn, srid: int, x: float, y: float):
    return conn.execute(
        "SELECT g.code, g.community_code, g.responsibility_grid_code, c.street_code FROM unit_grid g "
        "JOIN community c ON c.code = g.community_code WHERE g.valid_to IS NULL AND g.ROWID IN "
        "(SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'unit_grid' AND search_frame = MakePoint(?, ?, ?)) "
        "AND Contains(g.geom, MakePoint(?, ?, ?)) LIMIT 1", (x, y, srid, x, y, srid)).fetchone()


def intake(store: Store, report: Report, *, token_id: int, staff_code: str, idempotency_key: str,
           calendar: WorkingCalendar | None = None) -> tuple[str, bool]:
    """Turn a report into a case; return (case code, created). The same idempotency key from the same
    device returns the first case (created False). Raises IntakeError naming the bad field; nothing is
    written then."""
    if report.source not in SOURCES:
        raise IntakeError(f"source must be one of {', '.join(SOURCES)}", "source")
    with store.transaction() as conn:
        seen = conn.execute("SELECT incident_code FROM idempotency_key WHERE token_id = ? AND key = ?",
                            (token_id, idempotency_key)).fetchone()
        if seen:
            return seen[0], False
        place = _place(conn, store.srid, report.x, report.y)
        if place is None:
            raise IntakeError("the location is outside the managed area", "location")
        grid, community, responsibility, street = place
        component_units = None
        if report.component_code:
            component = None
            for table in COMPONENT_TABLES.values():
                component = conn.execute(f"SELECT class_code, maintainer_unit_code, owner_unit_code, "
                                         f"competent_unit_code FROM {table} WHERE code = ?",
                                         (report.component_code,)).fetchone()
                if component:
                    break
            if component is None:
                raise IntakeError(f"unknown component {report.component_code}", "component_code")
            if component[0] != report.class_code:
                raise IntakeError(f"component {report.component_code} is of class {component[0]}, "
                                  f"not {report.class_code}", "class_code")
            kind, component_units = "component", tuple(component[1:])
        else:
            if not conn.execute("SELECT 1 FROM event_class WHERE code = ?", (report.class_code,)).fetchone():
                raise IntakeError(f"unknown event class {report.class_code}", "class_code")
            kind = "event"
        unit = dispatch_unit(load_routing(store), kind, report.class_code, community_code=community,
                             responsibility_grid_code=responsibility, component_units=component_units)
        day = report.reported_at.strftime("%Y%m%d")
        last = conn.execute("SELECT max(code) FROM incident WHERE code >= ? AND code < ?",
                            (day, day + "\uffff")).fetchone()[0]
        code = f"{day}{(int(last[8:]) + 1) if last else 1:06d}"
        conn.execute(
            "INSERT INTO incident (code, class_code, class_kind, component_code, description, source, status, "
            "reported_at, responsible_unit_code, reporter_staff_code, street_code, community_code, unit_grid_code, "
            "responsibility_grid_code, geom) VALUES (?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?, ?, ?, "
            "MakePoint(?, ?, ?))",
            (code, report.class_code, kind, report.component_code, report.description, report.source,
             _iso(report.reported_at), unit, staff_code, street, community, grid, responsibility,
             report.x, report.y, store.srid))
        if report.photo:
            conn.execute("INSERT INTO incident_photo VALUES (?, ?, ?)", (code, report.photo, report.photo_mime))
        conn.execute("INSERT INTO idempotency_key VALUES (?, ?, ?, ?)",
                     (token_id, idempotency_key, code, _iso(_now())))
        conn.execute("INSERT INTO incident_step (incident_code, action, at, user, status_after) "
                     "VALUES (?, 'report', ?, ?, 'reported')", (code, _iso(_now()), staff_code))
    return code, True


# --- the workflow's steps ---------------------------------------------------------------------


def apply_step(store: Store, code: str, action: str, *, user: str, unit: str | None = None,
               reason: str | None = None, passed: bool | None = None, close_type: str | None = None,
               hours: float | None = None, calendar: WorkingCalendar | None = None,
               now: dt.datetime | None = None) -> str:
    """Apply one workflow step to a case; return its new status.

    ``user`` is the person working (the desk's signed-in staff member). Reject, extend, rework
    (a failed check) and a dispatch to another unit than the suggested one need a ``reason``
    (the domain's rule, whoever calls); the deadline is the dispatch time plus the class's time
    limit in working hours (``extend`` adds ``hours``). Raises WorkflowError for a step the status
    does not allow or one without its reason, ConcurrentStepError when the case changed since it
    was read, GridmapError for an unknown case or unit.
    """
    if not user or not user.strip():
        raise WorkflowError("a step needs the person who takes it")
    reason = reason.strip() if reason and reason.strip() else None
    now = now or _now()
    calendar = calendar or WorkingCalendar.shipped()
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM incident WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise GridmapError(f"no case {code}")
        status = row["status"]
        new = next_status(action, status, passed=passed, dispatched_before=row["dispatched_at"] is not None)
        suggested = row["responsible_unit_code"]
        require_reason(action, reason, passed=passed,
                       elsewhere=action == "dispatch" and bool(suggested) and (unit or suggested) != suggested)
        sets: dict[str, object] = {"status": new}
        note = reason
        if action == "register":
            sets["registered_at"] = _iso(now)
        elif action == "reject":
            sets["closed_at"] = _iso(now)
        elif action == "dispatch":
            chosen = unit or row["responsible_unit_code"]
            if not chosen:
                raise WorkflowError("no unit is suggested for this case: choose one")
            if not conn.execute("SELECT 1 FROM responsible_unit WHERE code = ? AND retired_at IS NULL",
                                (chosen,)).fetchone():
                raise GridmapError(f"no active responsible unit {chosen}")
            table = "event_class" if row["class_kind"] == "event" else "component_class"
            limit = conn.execute(f"SELECT time_limit_hours FROM {table} WHERE code = ?",
                                 (row["class_code"],)).fetchone()[0]
            sets.update(dispatched_at=_iso(now), responsible_unit_code=chosen,
                        deadline=_iso(calendar.add_working_hours(now, limit)))
        elif action == "handle":
            sets["handled_at"] = _iso(now)
        elif action == "check":
            if passed:
                sets["checked_at"] = _iso(now)
            else:
                sets.update(handled_at=None, rework_count=row["rework_count"] + 1)
        elif action == "close":
            sets["closed_at"] = _iso(now)
            sets["close_type"] = close_type_for(_parse(row["deadline"]), _parse(row["handled_at"]), close_type)
        elif action == "extend":
            if not hours or hours <= 0:
                raise WorkflowError("an extension needs a positive number of working hours")
            sets["deadline"] = _iso(calendar.add_working_hours(_parse(row["deadline"]), hours))
            note = f"+{hours:g} h: {reason or ''}".strip(": ")
        assignments = ", ".join(f"{k} = ?" for k in sets)
        changed = conn.execute(f"UPDATE incident SET {assignments} WHERE code = ? AND status = ?",
                               (*sets.values(), code, status)).rowcount
        if changed != 1:
            raise ConcurrentStepError(f"case {code} changed meanwhile; reload it")
        conn.execute("INSERT INTO incident_step (incident_code, action, at, user, status_before, status_after, "
                     "note) VALUES (?, ?, ?, ?, ?, ?, ?)", (code, action, _iso(now), user, status, new, note))
    return new


def steps(store: Store, code: str) -> list[dict]:
    """A case's steps, oldest first: action, kind (a failed check is 'rework'), at, user (and the
    user's staff name when the user is a staff code, else None), statuses before and after, note."""
    rows = store.conn.execute(
        "SELECT t.action, t.at, t.user, s.name, t.status_before, t.status_after, t.note FROM incident_step t "
        "LEFT JOIN staff s ON s.code = t.user WHERE t.incident_code = ? ORDER BY t.id", (code,))
    out = []
    for r in rows:
        step = dict(zip(("action", "at", "user", "user_name", "status_before", "status_after", "note"), r,
                        strict=True))
        step["kind"] = step_kind(step["action"], step["status_before"], step["status_after"])
        out.append(step)
    return out
