"""Cases in the store: intake of reports from handheld devices, the workflow's steps, device tokens.

Every write is one IMMEDIATE transaction; a step only applies if the case is still as it was read:
every step counts up the case's ``row_version``, and a step given the version its desk read (or the
version read inside its own transaction) is refused when another step came in between, never
overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from gridmap.domain.calendar import WorkingCalendar, city_now
from gridmap.domain.codes import case_code
from gridmap.domain.components import VOID
from gridmap.domain.errors import GridmapError
from gridmap.domain.responsibility import dispatch_unit
from gridmap.domain.roles import LEVELS
from gridmap.domain.workflow import SOURCES, WorkflowError, close_type_for, next_status, require_reason, step_kind
from gridmap.store import audit, dialect, users
from gridmap.store.connection import Store
from gridmap.store.responsibility.routing import recent_routing
from gridmap.store.schema import COMPONENT_TABLES


class IntakeError(GridmapError):
    """A report that cannot become a case: ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = "body"):
        super().__init__(message)
        self.field = field


class ConcurrentStepError(GridmapError):
    """The case changed since it was read; reload and decide again."""


def case_version(store: Store, code: str) -> int | None:
    """The row version of case ``code`` (every step counts it up), or None when there is no such case.

    A desk reads it with the case and passes it to apply_step/escalate as ``expected_version``.
    """
    row = store.conn.execute("SELECT row_version FROM incident WHERE code = ?", (code,)).fetchone()
    return int(row[0]) if row else None


def changed_meanwhile(conn, code: str) -> ConcurrentStepError:
    """The refusal of a step on a case that another desk changed: what changed, in the message (the
    last step recorded, by whom and when, and the status now)."""
    now = conn.execute("SELECT status FROM incident WHERE code = ?", (code,)).fetchone()
    last = conn.execute("SELECT action, \"user\", at, status_before, status_after FROM incident_step "
                        "WHERE incident_code = ? ORDER BY id DESC LIMIT 1", (code,)).fetchone()
    what = f"it is {now[0]} now" if now else "it is gone"
    if last is not None:
        kind = step_kind(last[0], last[3], last[4])
        what = f"{kind} by {last[1]} at {(last[2] or '').replace('T', ' ')[:16]}; {what}"
    return ConcurrentStepError(f"case {code} was changed by someone else ({what}) since you opened it; reload it")


def _now() -> dt.datetime:
    return city_now()


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _parse(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


# --- device tokens ---------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


#: A device token is valid this many days unless created with another lifetime (``gridmap token create --days``).
TOKEN_DAYS = 180
MAX_TOKEN_DAYS = 3650
#: An Idempotency-Key is remembered this long: longer than the oldest report accepted (REPORT_MAX_AGE), so
#: any retry the service would still accept can never become a second case.
IDEMPOTENCY_DAYS = 31
#: reported_at may be this old at most (a device offline for weeks sends its queue when it is back) ...
REPORT_MAX_AGE = dt.timedelta(days=30)
#: ... and at most this far in the future (phone clocks drift).
REPORT_MAX_AHEAD = dt.timedelta(minutes=10)


class TokenError(GridmapError):
    """A token command that cannot be done as asked."""


def create_token(store: Store, staff_code: str, *, days: int = TOKEN_DAYS, now: dt.datetime | None = None) -> str:
    """Issue a device token for a staff member, valid for ``days``; returns it (only its hash is stored).

    Raises TokenError for an unknown staff member or a lifetime below one day.
    """
    if days < 1:
        raise TokenError("a token must be valid for at least one day")
    if days > MAX_TOKEN_DAYS:
        raise TokenError(f"a token can be valid for at most {MAX_TOKEN_DAYS} days (ten years); issue a new one "
                         "when it expires")
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with store.transaction() as conn:
        if not conn.execute("SELECT 1 FROM staff WHERE code = ?", (staff_code,)).fetchone():
            raise TokenError(f"{store.path}: no staff member {staff_code}")
        conn.execute("INSERT INTO device_token (staff_code, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                     (staff_code, _hash(token), _iso(now), _iso(now + dt.timedelta(days=days))))
        audit.log(conn, "token.create", table="device_token", row_code=staff_code, detail={"days": days})
    return token


def check_token(store: Store, token: str, *, now: dt.datetime | None = None) -> tuple[int, str] | None:
    """(token id, staff code) for a valid token: known, not revoked, not expired; None otherwise."""
    row = store.conn.execute(
        "SELECT id, staff_code FROM device_token WHERE token_hash = ? AND revoked_at IS NULL "
        "AND (expires_at IS NULL OR expires_at > ?)", (_hash(token), _iso(now or _now()))).fetchone()
    return (row[0], row[1]) if row else None


def list_tokens(store: Store) -> list[dict]:
    """Every device token, newest first: id, staff, created, last used, expires, revoked. Never the token."""
    keys = ("id", "staff_code", "staff_name", "created_at", "last_used_at", "expires_at", "revoked_at")
    rows = store.conn.execute(
        "SELECT t.id, t.staff_code, s.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at "
        "FROM device_token t LEFT JOIN staff s ON s.code = t.staff_code ORDER BY t.id DESC")
    return [dict(zip(keys, tuple(r), strict=True)) for r in rows]


def revoke_tokens(store: Store, *, token_id: int | None = None, staff_code: str | None = None,
                  now: dt.datetime | None = None) -> int:
    """Revoke one token by id, or every live token of a staff member; return how many were revoked.

    A revoked token is refused from the next request on. Raises TokenError when neither or both are
    given, or when nothing matches.
    """
    if (token_id is None) == (staff_code is None):
        raise TokenError("name one token id or one staff member")
    stamp = _iso(now or _now())
    with store.transaction() as conn:
        if token_id is not None:
            count = conn.execute("UPDATE device_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                                 (stamp, token_id)).rowcount
            if not count and not conn.execute("SELECT 1 FROM device_token WHERE id = ?", (token_id,)).fetchone():
                raise TokenError(f"{store.path}: no token {token_id}")
        else:
            if not conn.execute("SELECT 1 FROM staff WHERE code = ?", (staff_code,)).fetchone():
                raise TokenError(f"{store.path}: no staff member {staff_code}")
            count = conn.execute("UPDATE device_token SET revoked_at = ? WHERE staff_code = ? AND revoked_at IS NULL",
                                 (stamp, staff_code)).rowcount
        audit.log(conn, "token.revoke", table="device_token", row_code=staff_code or str(token_id),
                  detail={"revoked": count})
    return count


def _purge_due(store, now: dt.datetime) -> bool:
    """Expired idempotency keys are removed once a minute per connection, not with every report (an
    expired key is ignored by the lookup anyway, so it never answers for a new report)."""
    last = getattr(store, "_keys_purged", None)
    if last is not None and now - last < dt.timedelta(minutes=1):
        return False
    store._keys_purged = now
    return True


def _active_unit(conn, code: str | None) -> str | None:
    """The unit that handles work now for ``code``: itself, or the successor of a retired unit (its
    successor's successor, ...); a chain that loops or ends nowhere gives no unit, so the dispatcher
    chooses."""
    seen = set()
    while code is not None and code not in seen:
        seen.add(code)
        row = conn.execute("SELECT retired_at, successor_code FROM responsible_unit WHERE code = ?", (code,)).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return code
        code = row[1]
    return None


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
    #: a hash of the whole request as the device sent it: the same Idempotency-Key with another
    #: request is refused, never answered with the first case
    request_hash: str | None = None
    #: the level of the chain that receives the case: the district centre (数字城管's centre), unless the
    #: device reports to its grid group, community room or street station (Anyang's 社管通)
    level: str = "district"


def _place(store, conn, x: float, y: float):
    inside, times = dialect.contains_point(store, "unit_grid", "g")
    return conn.execute(
        "SELECT g.code, g.community_code, g.responsibility_grid_code, c.street_code FROM unit_grid g "
        f"JOIN community c ON c.code = g.community_code WHERE g.valid_to IS NULL AND {inside} LIMIT 1",
        (x, y, store.srid) * times).fetchone()


def check_reported_at(moment: dt.datetime, now: dt.datetime | None = None) -> None:
    """Raise IntakeError unless ``moment`` (local time, naive) lies within the accepted window."""
    now = now or _now()
    if moment < now - REPORT_MAX_AGE:
        raise IntakeError(f"reported_at {_iso(moment)} is more than {REPORT_MAX_AGE.days} days ago; "
                          "report it by the hotline instead", "reported_at")
    if moment > now + REPORT_MAX_AHEAD:
        raise IntakeError(f"reported_at {_iso(moment)} is in the future (more than "
                          f"{int(REPORT_MAX_AHEAD.total_seconds() // 60)} minutes ahead of the centre's clock); "
                          "check the device's clock", "reported_at")


def intake(store: Store, report: Report, *, token_id: int, staff_code: str, idempotency_key: str,
           calendar: WorkingCalendar | None = None, now: dt.datetime | None = None) -> tuple[str, bool]:
    """Turn a report into a case; return (case code, created).

    The same idempotency key from the same device with the same request returns the first case
    (created False); with another request it raises IntakeError on the Idempotency-Key (nothing is
    written). Raises IntakeError naming the bad field; nothing is written then.
    """
    if report.source not in SOURCES:
        raise IntakeError(f"source must be one of {', '.join(SOURCES)}", "source")
    if report.level not in LEVELS:
        raise IntakeError(f"level must be one of {', '.join(LEVELS)}", "level")
    now = now or _now()
    with store.transaction() as conn:
        dialect.lock_key(store, conn, f"idempotency {token_id} {idempotency_key}")  # one report per key at a time
        seen = conn.execute("SELECT incident_code, request_hash FROM idempotency_key WHERE token_id = ? AND key = ? "
                            "AND created_at >= ?",
                            (token_id, idempotency_key, _iso(now - dt.timedelta(days=IDEMPOTENCY_DAYS)))).fetchone()
        if seen:
            if seen[1] is not None and report.request_hash is not None and seen[1] != report.request_hash:
                raise IntakeError(f"this Idempotency-Key was used for another report (case {seen[0]}); "
                                  "use a new key for a new report", "Idempotency-Key")
            return seen[0], False
        check_reported_at(report.reported_at, now)
        code = open_case(store, conn, report, staff_code)
        # an expired key is forgotten (and its row dropped) before the same key can mean a new report
        if _purge_due(store, now):
            conn.execute("DELETE FROM idempotency_key WHERE created_at < ?",
                         (_iso(now - dt.timedelta(days=IDEMPOTENCY_DAYS)),))
        conn.execute("INSERT INTO idempotency_key (token_id, key, incident_code, created_at, request_hash) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id, key) DO UPDATE SET incident_code = "
                     "excluded.incident_code, created_at = excluded.created_at, request_hash = excluded.request_hash",
                     (token_id, idempotency_key, code, _iso(now), report.request_hash))  # an expired one is replaced
        conn.execute("UPDATE device_token SET last_used_at = ? WHERE id = ?", (_iso(now), token_id))
        conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\", status_after, level) "
                     "VALUES (?, 'report', ?, ?, 'reported', ?)", (code, _iso(now), staff_code, report.level))
    return code, True


def open_case(store, conn, report: Report, staff_code: str) -> str:
    """Write a new case from ``report`` inside the caller's transaction (its place, routing, code and photo;
    not its first step); return its code. Raises IntakeError naming the bad field (the caller's transaction
    then writes nothing)."""
    place = _place(store, conn, report.x, report.y)
    if place is None:
        raise IntakeError("the location is outside the managed area", "location")
    grid, community, responsibility, street = place
    component_units = None
    if report.component_code:
        component = None
        for table in COMPONENT_TABLES.values():
            component = conn.execute(f"SELECT class_code, maintainer_unit_code, owner_unit_code, "
                                     f"competent_unit_code, currency FROM {table} WHERE code = ?",
                                     (report.component_code,)).fetchone()
            if component:
                break
        if component is None:
            raise IntakeError(f"unknown component {report.component_code}", "component_code")
        if component[0] != report.class_code:
            raise IntakeError(f"component {report.component_code} is of class {component[0]}, "
                              f"not {report.class_code}", "class_code")
        if component[4] == VOID:
            raise IntakeError(f"component {report.component_code} is void (作废): it no longer exists; "
                              "report the problem as an event", "component_code")
        kind, component_units = "component", tuple(_active_unit(conn, u) for u in component[1:4])
    else:
        if not conn.execute("SELECT 1 FROM event_class WHERE code = ?", (report.class_code,)).fetchone():
            raise IntakeError(f"unknown event class {report.class_code}", "class_code")
        kind = "event"
    unit = _active_unit(conn, dispatch_unit(recent_routing(store), kind, report.class_code,
                                            community_code=community, responsibility_grid_code=responsibility,
                                            component_units=component_units))
    day = report.reported_at.strftime("%Y%m%d")
    serial = conn.execute("INSERT INTO case_serial (day, last) VALUES (?, 1) "
                          "ON CONFLICT (day) DO UPDATE SET last = case_serial.last + 1 RETURNING last",
                          (day,)).fetchone()[0]
    code = case_code(day, serial)
    conn.execute(
        "INSERT INTO incident (code, class_code, class_kind, component_code, description, source, status, "
        "reported_at, responsible_unit_code, reporter_staff_code, street_code, community_code, unit_grid_code, "
        f"responsibility_grid_code, level, geom) VALUES (?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?, ?, ?, ?, "
        f"{dialect.point(store)})",
        (code, report.class_code, kind, report.component_code, report.description, report.source,
         _iso(report.reported_at), unit, staff_code, street, community, grid, responsibility, report.level,
         report.x, report.y, store.srid))
    if report.photo:
        conn.execute("INSERT INTO incident_photo VALUES (?, ?, ?)", (code, report.photo, report.photo_mime))
    return code


def sample_event_cases(store: Store, limit: int = 2000) -> list[tuple[str, str, float, float]]:
    """Up to ``limit`` event cases spread evenly over the history: (class, description, x, y)."""
    total = store.conn.execute("SELECT count(*) FROM incident WHERE class_kind = 'event'").fetchone()[0]
    step = max(1, total // max(1, limit))
    rows = store.conn.execute(f"SELECT class_code, description, {dialect.x_y(store)} FROM (SELECT *, row_number() OVER "
                              "(ORDER BY id) AS n FROM incident WHERE class_kind = 'event') AS sample "
                              "WHERE n % ? = 0 LIMIT ?",
                              (step, limit))
    return [tuple(r) for r in rows]


def supervisor_codes(store: Store, limit: int | None = None) -> list[str]:
    """Staff codes of the supervisors assigned to a responsibility grid, in code order."""
    rows = store.conn.execute("SELECT DISTINCT staff_code FROM supervisor_assignment ORDER BY staff_code LIMIT ?",
                              (limit if limit is not None else -1,))
    return [r[0] for r in rows]


CASE_STATE_FIELDS = ("code", "status", "class_code", "reported_at", "registered_at", "dispatched_at", "deadline",
                     "handled_at", "checked_at", "closed_at", "close_type", "responsible_unit_code")


def case_state(store: Store, code: str) -> dict | None:
    """The state of case ``code`` (CASE_STATE_FIELDS plus its level and row version), or None."""
    fields = (*CASE_STATE_FIELDS, "level", "row_version")
    row = store.conn.execute(f"SELECT {', '.join(fields)} FROM incident WHERE code = ?", (code,)).fetchone()
    return dict(zip(fields, tuple(row), strict=True)) if row else None


def reported_case(store: Store, code: str, staff_code: str) -> dict | None:
    """The state of case ``code`` if ``staff_code`` reported it (CASE_STATE_FIELDS), else None: a device
    sees only its own cases."""
    row = store.conn.execute(f"SELECT {', '.join(CASE_STATE_FIELDS)} FROM incident WHERE code = ? AND "
                             "reporter_staff_code = ?", (code, staff_code)).fetchone()
    return dict(zip(CASE_STATE_FIELDS, tuple(row), strict=True)) if row else None


# --- the workflow's steps ---------------------------------------------------------------------


def apply_step(store: Store, code: str, action: str, *, user: str, unit: str | None = None,
               reason: str | None = None, passed: bool | None = None, close_type: str | None = None,
               hours: float | None = None, calendar: WorkingCalendar | None = None,
               now: dt.datetime | None = None, expected_version: int | None = None) -> str:
    """Apply one workflow step to a case; return its new status.

    ``user`` is the person working (the desk's signed-in staff member). Reject, extend, rework
    (a failed check) and a dispatch to another unit than the suggested one need a ``reason``
    (the domain's rule, whoever calls); the deadline is the dispatch time plus the class's time
    limit in working hours (``extend`` adds ``hours``). ``expected_version`` is the case's
    row_version as the desk read it (case_version); the step counts it up. Raises WorkflowError
    for a step the status does not allow or one without its reason, ConcurrentStepError (nothing
    written) when the case changed since ``expected_version`` or since it was read here,
    GridmapError for an unknown case or unit.
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
        status, version = row["status"], row["row_version"]
        if expected_version is not None and version != expected_version:
            raise changed_meanwhile(conn, code)
        # the person's role and scope (docs/roles.md); on PostGIS a user's own login is the person
        person = users.require(store, action, user, unit=row["responsible_unit_code"], street=row["street_code"])
        user = person.staff_code if person is not None else user
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
        write_step(conn, code, version, sets, step=(action, _iso(now), user, status, new, note, row["level"]))
    return new


def write_step(conn, code: str, version: int, sets: dict, step: tuple) -> None:
    """Update the case with ``sets`` and count up its row version, if it is still at ``version``
    (another desk's step committed after this transaction read the case is refused, on PostGIS as on
    the file); then record ``step`` (action, at, user, status before and after, note, level). Inside the
    caller's transaction; raises ConcurrentStepError when the case moved on."""
    assignments = ", ".join(f"{k} = ?" for k in sets)
    changed = conn.execute(f"UPDATE incident SET {assignments}, row_version = row_version + 1 "
                           "WHERE code = ? AND row_version = ?", (*sets.values(), code, version)).rowcount
    if changed != 1:
        raise changed_meanwhile(conn, code)
    conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\", status_before, status_after, "
                 "note, level) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (code, *step))


def steps(store: Store, code: str) -> list[dict]:
    """A case's steps, oldest first: action, kind (a failed check is 'rework'), at, user (and the
    user's staff name when the user is a staff code, else None), statuses before and after, note,
    level (where the case was at the step; an escalation's is the level it went to; None for steps
    recorded before levels) and level_before (the level it left, for an escalation; else None)."""
    rows = store.conn.execute(
        "SELECT t.action, t.at, t.\"user\", s.name, t.status_before, t.status_after, t.note, t.level "
        "FROM incident_step t LEFT JOIN staff s ON s.code = t.user WHERE t.incident_code = ? ORDER BY t.id", (code,))
    out = []
    level = None
    for r in rows:
        step = dict(zip(("action", "at", "user", "user_name", "status_before", "status_after", "note", "level"), r,
                        strict=True))
        step["kind"] = step_kind(step["action"], step["status_before"], step["status_after"])
        step["level_before"] = level if step["action"] == "escalate" else None
        level = step["level"] or level
        out.append(step)
    return out
