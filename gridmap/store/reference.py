"""Reference tables of a store: the class tables."""

from __future__ import annotations

import sqlite3

from gridmap.domain.classes import ClassTable


def insert_class_table(conn: sqlite3.Connection, table: ClassTable) -> int:
    """Insert or update every class of ``table`` in component_class / event_class.

    Returns the number of classes written.
    """
    if table.kind == "component":
        sql = ("INSERT INTO component_class (code, scheme, major_code, major_name, name, geometry, "
               "time_limit_hours, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
               "scheme=excluded.scheme, major_code=excluded.major_code, major_name=excluded.major_name, "
               "name=excluded.name, geometry=excluded.geometry, time_limit_hours=excluded.time_limit_hours, "
               "source=excluded.source")
        rows = [(e.code, e.scheme, e.major_code, e.major_name, e.name, e.geometry, e.time_limit_hours,
                 e.source) for e in table]
    else:
        sql = ("INSERT INTO event_class (code, scheme, major_code, major_name, name, time_limit_hours, "
               "source) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET scheme=excluded.scheme, "
               "major_code=excluded.major_code, major_name=excluded.major_name, name=excluded.name, "
               "time_limit_hours=excluded.time_limit_hours, source=excluded.source")
        rows = [(e.code, e.scheme, e.major_code, e.major_name, e.name, e.time_limit_hours, e.source)
                for e in table]
    conn.executemany(sql, rows)
    return len(rows)


def load_class_table(conn: sqlite3.Connection, kind: str, scheme: str | None = None) -> ClassTable:
    """Read the classes of ``kind`` (optionally of one scheme) back from the store."""
    from gridmap.domain.classes import ClassEntry  # noqa: PLC0415

    table = "component_class" if kind == "component" else "event_class"
    geometry = "geometry" if kind == "component" else "NULL"
    sql = (f"SELECT scheme, major_code, major_name, code, name, {geometry}, time_limit_hours, source "
           f"FROM {table}")
    params: tuple = ()
    if scheme:
        sql += " WHERE scheme = ?"
        params = (scheme,)
    entries = [ClassEntry(kind, *row) for row in conn.execute(sql + " ORDER BY code", params)]
    return ClassTable(kind, entries)
