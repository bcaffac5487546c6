"""The audit log: who changed what, when."""

from __future__ import annotations

import getpass
import json
import sqlite3

from gridmap.domain.calendar import city_now

#: the person signed in at this desk (a staff code), set by the desktop's sign-in; None: nobody
_desk_person: str | None = None


def set_desk_person(staff_code: str | None) -> None:
    """Record who works at this desk: their staff code goes into every audit entry and is the person
    whose role the app checks on a file (gridmap.store.users). None when they sign out."""
    global _desk_person  # noqa: PLW0603 - one desk, one person, for the whole process
    _desk_person = staff_code


def desk_person() -> str | None:
    return _desk_person


def current_user() -> str:
    """Who acts when nobody is named: the person signed in at the desk, else the operating-system user."""
    if _desk_person:
        return _desk_person
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def person(conn, user: str | None = None) -> str:
    """The person an audit entry names: on PostGIS a user's own login decides (as staff code), whatever
    the program claims; else ``user``, the desk's person or the operating-system user."""
    if getattr(conn, "engine", "spatialite") == "postgis":
        row = conn.execute("SELECT staff_code FROM app_user WHERE login = session_user").fetchone()
        if row is not None:
            return row[0]
    return user or current_user()


def log(conn: sqlite3.Connection, action: str, *, table: str | None = None, row_code: str | None = None,
        detail: dict | None = None, user: str | None = None) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        "INSERT INTO audit_log (at, \"user\", action, table_name, row_code, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (city_now().isoformat(timespec="seconds"), person(conn, user), action, table, row_code,
         json.dumps(detail, ensure_ascii=False) if detail is not None else None),
    )
