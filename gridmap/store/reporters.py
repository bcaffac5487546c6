"""What a reporting client may learn from the store: the event classes it may report (those of the store's
class scheme) and, in full, a case it reported itself. Used by the Open311 plugin (plugins/open311)."""

from __future__ import annotations

from gridmap.store import dialect

EVENT_CLASS_FIELDS = ("code", "name", "major_code", "major_name", "time_limit_hours")

REPORTED_CASE_FIELDS = ("code", "status", "close_type", "class_code", "class_name", "description", "reported_at",
                        "deadline", "closed_at", "street_name", "community_name", "unit_grid_code", "x", "y",
                        "updated_at")


def reportable_event_classes(store) -> list[dict]:
    """The event classes of the store's class scheme (gridmap_setting class_scheme; every event class when it
    names none), by code: EVENT_CLASS_FIELDS."""
    scheme = store.setting("class_scheme")
    sql = f"SELECT {', '.join(EVENT_CLASS_FIELDS)} FROM event_class"
    rows = store.conn.execute(sql + (" WHERE scheme = ?" if scheme else "") + " ORDER BY code",
                              (scheme,) if scheme else ())
    return [dict(zip(EVENT_CLASS_FIELDS, tuple(r), strict=True)) for r in rows]


def reported_case_detail(store, code: str, staff_code: str) -> dict | None:
    """Case ``code`` as its reporter may see it (REPORTED_CASE_FIELDS: its class's name, its place's street and
    community names, its point in the store's CRS, and when it last changed), or None unless ``staff_code``
    reported it: a device sees only its own cases."""
    row = store.conn.execute(
        "SELECT i.code, i.status, i.close_type, i.class_code, COALESCE(e.name, c.name), i.description, "
        f"i.reported_at, i.deadline, i.closed_at, s.name, m.name, i.unit_grid_code, {dialect.x_y(store, 'i.geom')}, "
        "(SELECT max(at) FROM incident_step WHERE incident_code = i.code) "
        "FROM incident i LEFT JOIN event_class e ON e.code = i.class_code AND i.class_kind = 'event' "
        "LEFT JOIN component_class c ON c.code = i.class_code AND i.class_kind = 'component' "
        "LEFT JOIN street s ON s.code = i.street_code LEFT JOIN community m ON m.code = i.community_code "
        "WHERE i.code = ? AND i.reporter_staff_code = ?", (code, staff_code)).fetchone()
    return dict(zip(REPORTED_CASE_FIELDS, tuple(row), strict=True)) if row else None
