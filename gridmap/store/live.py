"""What changed in the cases since the desktop last looked: the marks to compare, the new cases, the
overdue ones. Cheap on both engines (max(id) reads the primary key's index)."""

from __future__ import annotations

from gridmap.domain.escalation import ESCALATABLE_STATUSES
from gridmap.domain.workflow import AWAITING_HANDLING
from gridmap.store.connection import StoreBase

_CLASS_JOINS = ("LEFT JOIN event_class e ON i.class_kind = 'event' AND e.code = i.class_code "
                "LEFT JOIN component_class c ON i.class_kind = 'component' AND c.code = i.class_code ")


def marks(store: StoreBase) -> tuple[int, int]:
    """(highest case id, highest case step id): when either grows, cases arrived or moved."""
    row = store.conn.execute("SELECT (SELECT coalesce(max(id), 0) FROM incident), "
                             "(SELECT coalesce(max(id), 0) FROM incident_step)").fetchone()
    return int(row[0]), int(row[1])


def new_since(store: StoreBase, last_id: int) -> list[dict]:
    """Cases with an id above ``last_id``, oldest first: id, code, reported_at, status, class_name, community,
    level (where the case is now)."""
    rows = store.conn.execute(
        "SELECT i.id, i.code, i.reported_at, i.status, coalesce(e.name, c.name) AS class_name, "
        "m.name AS community, i.level FROM incident i " + _CLASS_JOINS +
        "LEFT JOIN community m ON m.code = i.community_code WHERE i.id > ? ORDER BY i.id", (last_id,))
    fields = ("id", "code", "reported_at", "status", "class_name", "community", "level")
    return [dict(zip(fields, tuple(r), strict=True)) for r in rows]


def overdue(store: StoreBase, now: str, limit: int = 500, level: str | None = None) -> list[dict]:
    """Open cases past their deadline and not yet handled, the most overdue first; only those at ``level``
    when given."""
    marks_sql = ", ".join("?" for _ in AWAITING_HANDLING)
    at_level = " AND i.level = ?" if level else ""
    rows = store.conn.execute(
        "SELECT i.code, i.deadline, i.status, coalesce(e.name, c.name) AS class_name, u.name AS unit FROM incident i "
        + _CLASS_JOINS + "LEFT JOIN responsible_unit u ON u.code = i.responsible_unit_code "
        f"WHERE i.status IN ({marks_sql}) AND i.deadline < ?{at_level} ORDER BY i.deadline LIMIT ?",
        (*AWAITING_HANDLING, now, *((level,) if level else ()), limit))
    fields = ("code", "deadline", "status", "class_name", "unit")
    return [dict(zip(fields, tuple(r), strict=True)) for r in rows]


def level_queue(store: StoreBase, level: str, limit: int = 500) -> list[dict]:
    """The queue of a level of the chain: the open cases not yet handled that wait there, those with the
    earliest deadline first, then those without one (just reported there) oldest first. Each: code,
    deadline, status, class_name, reported_at, level."""
    waiting = ", ".join("?" for _ in ESCALATABLE_STATUSES)
    rows = store.conn.execute(
        "SELECT i.code, i.deadline, i.status, coalesce(e.name, c.name) AS class_name, i.reported_at, i.level "
        "FROM incident i " + _CLASS_JOINS + f"WHERE i.level = ? AND i.status IN ({waiting}) "
        "ORDER BY (i.deadline IS NULL), i.deadline, i.reported_at, i.id LIMIT ?",
        (level, *ESCALATABLE_STATUSES, limit))
    fields = ("code", "deadline", "status", "class_name", "reported_at", "level")
    return [dict(zip(fields, tuple(r), strict=True)) for r in rows]


def case_id(store: StoreBase, code: str) -> int | None:
    """The row id of case ``code`` (None when there is no such case)."""
    row = store.conn.execute("SELECT id FROM incident WHERE code = ?", (code,)).fetchone()
    return int(row[0]) if row else None


def listen(store: StoreBase):
    """A Listener for the store's case announcements (gridmap.store.postgis.listen), or None for a file,
    which has no announcements: its one desk looks for new cases itself (marks() twice a second)."""
    if getattr(store, "engine", "spatialite") != "postgis":
        return None
    from gridmap.store.postgis.listen import Listener  # noqa: PLC0415

    return Listener(store.location)
