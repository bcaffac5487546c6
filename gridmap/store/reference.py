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


_COMPONENT_TABLES = ("component_point", "component_line", "component_polygon")


def classes_in_use(store, table: str | None = None) -> list[tuple[str, str, str, str]]:
    """(code, major code, major name, name) of the component classes that have components, by code.

    With ``table`` (one of the three component tables) only the classes present in it.
    """
    if table is not None and table not in _COMPONENT_TABLES:
        raise ValueError(f"{table} is not a component table")
    tables = (table,) if table else _COMPONENT_TABLES
    used = " UNION ".join(f"SELECT DISTINCT class_code FROM {t}" for t in tables)
    rows = store.conn.execute(f"SELECT code, major_code, major_name, name FROM component_class WHERE code IN "
                              f"({used}) ORDER BY code").fetchall()
    return [tuple(r) for r in rows]


def classes_of_scheme(store, kind: str, scheme: str) -> list[tuple[str, str]]:
    """(code, name) of the component or event classes of one scheme, by code."""
    table = "event_class" if kind == "event" else "component_class"
    return [tuple(r) for r in store.conn.execute(f"SELECT code, name FROM {table} WHERE scheme = ? ORDER BY code",
                                                 (scheme,))]
