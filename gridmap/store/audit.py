"""The audit log: who changed what, when."""

from __future__ import annotations

import getpass
import json
import sqlite3

from gridmap.domain.calendar import city_now


def current_user() -> str:
    """The operating-system user name, which the audit log records."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def log(conn: sqlite3.Connection, action: str, *, table: str | None = None, row_code: str | None = None,
        detail: dict | None = None, user: str | None = None) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        "INSERT INTO audit_log (at, \"user\", action, table_name, row_code, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (city_now().isoformat(timespec="seconds"), user or current_user(), action, table, row_code,
         json.dumps(detail, ensure_ascii=False) if detail is not None else None),
    )
