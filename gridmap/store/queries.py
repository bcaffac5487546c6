"""Read queries shared by the CLI, the validator and the desktop app."""

from __future__ import annotations

import numpy as np
import shapely

from gridmap.store import dialect
from gridmap.store.connection import Store
from gridmap.store.schema import GEOMETRY_TABLES


def geometries(store: Store, table: str, columns: list[str], where: str = "",
               params: tuple = ()) -> tuple[list[tuple], np.ndarray]:
    """Return (rows of ``columns``, shapely geometries) of ``table``.

    ``where`` is a constant SQL condition from our own code; values go in ``params``.
    """
    column = GEOMETRY_TABLES[table][0]
    sql = f"SELECT {', '.join(columns)}, {dialect.wkb(store, column)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    rows = store.conn.execute(sql, params).fetchall()
    wkb = [r[-1] for r in rows]
    geoms = shapely.from_wkb(wkb) if rows else np.array([], dtype=object)
    return [tuple(r[:-1]) for r in rows], np.asarray(geoms, dtype=object)


def layer_counts(store: Store) -> dict[str, int]:
    """Row counts of every table of the public contract (current unit grids only)."""
    tables = [*GEOMETRY_TABLES, "component_class", "event_class", "responsible_unit", "staff",
              "supervisor_assignment", "community_grid_role", "audit_log"]
    counts = {}
    for table in tables:
        sql = f"SELECT count(*) FROM {table}"
        if table == "unit_grid":
            sql += " WHERE valid_to IS NULL"
        counts[table] = store.conn.execute(sql).fetchone()[0]
    return counts


def crs_name(store: Store) -> str:
    """The name of the store's CRS (from PROJ's database: the same on both engines)."""
    import pyproj  # noqa: PLC0415

    try:
        return pyproj.CRS.from_epsg(store.srid).name
    except pyproj.exceptions.CRSError:
        return "unknown"


def settings(store: Store) -> dict[str, str]:
    """Every key/value of the store's gridmap_setting table, by key."""
    return dict(store.conn.execute("SELECT key, value FROM gridmap_setting ORDER BY key").fetchall())


def district_codes(store_or_conn) -> list[str]:
    """The codes of the store's districts, in code order: the rows of the district table, or the
    ``district_code`` setting of a store whose district table is empty (a store of several districts
    has no such setting: every code, grid and component belongs to one of its districts)."""
    conn = getattr(store_or_conn, "conn", store_or_conn)
    found = [r[0] for r in conn.execute("SELECT code FROM district ORDER BY code")]
    if found:
        return found
    row = conn.execute("SELECT value FROM gridmap_setting WHERE key = 'district_code'").fetchone()
    return [row[0]] if row is not None else []


def community_grid_levels(store: Store) -> dict[str, int]:
    """Community (small) grids per level: '1' community, '2' …, '3' the smallest."""
    return {str(level): count for level, count in
            store.conn.execute("SELECT level, count(*) FROM community_grid GROUP BY level")}


def plan_log(store: Store) -> list[dict]:
    """The audit entries of grid plans (plan.* and grid.*), oldest first: at, user, action, detail."""
    rows = store.conn.execute("SELECT at, \"user\", action, detail FROM audit_log WHERE action LIKE 'plan.%' OR "
                              "action LIKE 'grid.%' ORDER BY id")
    return [dict(zip(("at", "user", "action", "detail"), tuple(r), strict=True)) for r in rows]


def geometry_wkb(store: Store, table: str, row_id: int) -> bytes | None:
    """The WKB of one row's geometry (None when the row or its geometry is absent)."""
    if table not in GEOMETRY_TABLES:
        raise ValueError(f"{table} has no geometry")
    column = GEOMETRY_TABLES[table][0]
    row = store.conn.execute(f"SELECT {dialect.wkb(store, column)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return bytes(row[0]) if row is not None and row[0] is not None else None


#: tables whose (code, name) pairs the desktop lists in choosers
NAMED_TABLES = ("responsibility_grid", "community", "street", "responsible_unit", "community_grid", "staff")


def names(store: Store, table: str) -> dict[str, str]:
    """code → name of every row of a named table, in code order."""
    if table not in NAMED_TABLES:
        raise ValueError(f"{table} is not a table of named codes")
    return dict(store.conn.execute(f"SELECT code, name FROM {table} ORDER BY code").fetchall())


def write_settings(conn, values: dict[str, str]) -> None:
    """Insert or replace keys of gridmap_setting (inside the caller's transaction)."""
    conn.executemany("INSERT INTO gridmap_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                     "value = excluded.value", list(values.items()))
