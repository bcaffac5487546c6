"""Who else is working on the store, and what changed since a desk last looked (issue 14)."""

from __future__ import annotations

import json

from gridmap.store.connection import StoreBase
from gridmap.store.dialect import is_postgis

#: the audit actions a desk is shown as changes by others: plans and grids, units and routing, people
SHOWN = ("plan.%", "grid.%", "import.%", "unit.%", "routing.%", "staff.%", "user.%", "scenario.%")


def online(store: StoreBase) -> list[dict]:
    """The people connected to a PostGIS store now: login, staff name, role, since (earliest connection),
    connections. Logins that are not users (the owner, the intake service) are listed under their login.
    A file has no other desks: an empty list."""
    if not is_postgis(store):
        return []
    rows = store.conn.execute(
        "SELECT a.usename, u.staff_code, s.name, u.role, min(a.backend_start), count(*) FROM pg_stat_activity a "
        "LEFT JOIN app_user u ON u.login = a.usename LEFT JOIN staff s ON s.code = u.staff_code "
        "WHERE a.datname = current_database() AND a.backend_type = 'client backend' "
        "AND coalesce(a.application_name, '') LIKE 'gridmap%' GROUP BY 1, 2, 3, 4 ORDER BY 3, 1")
    fields = ("login", "staff_code", "name", "role", "since", "connections")
    return [dict(zip(fields, [str(v) if k == "since" else v for k, v in zip(fields, tuple(r), strict=True)],
                     strict=True)) for r in rows]


def last_change(store: StoreBase) -> int:
    """The id of the newest audit entry (0 in an empty log): what a desk has seen when it marks all read."""
    return int(store.conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])


def changes_since(store: StoreBase, last_id: int, *, limit: int = 200) -> list[dict]:
    """Audit entries of plans, grids, units, routing and people after ``last_id``, newest first:
    id, at, user (and the user's staff name), action, what (row), note."""
    likes = " OR ".join("a.action LIKE ?" for _ in SHOWN)
    rows = store.conn.execute(
        "SELECT a.id, a.at, a.\"user\", s.name, a.action, a.row_code, a.detail FROM audit_log a "
        f"LEFT JOIN staff s ON s.code = a.\"user\" WHERE a.id > ? AND ({likes}) ORDER BY a.id DESC LIMIT ?",
        (last_id, *SHOWN, limit))
    out = []
    for r in rows:
        detail = {}
        if r[6]:
            try:
                detail = json.loads(r[6])
            except ValueError:
                detail = {}
        note = detail.get("note") if isinstance(detail, dict) else None
        out.append({"id": int(r[0]), "at": str(r[1]), "user": r[2], "user_name": r[3], "action": r[4],
                    "what": r[5], "note": note})
    return out


def listen(store: StoreBase):
    """A Listener for the store's change announcements (PostGIS), or None for a file."""
    if not is_postgis(store):
        return None
    from gridmap.store.postgis.listen import Listener  # noqa: PLC0415
    from gridmap.store.postgis.schema import CHANGES_CHANNEL  # noqa: PLC0415

    return Listener(store.location, CHANGES_CHANNEL)
