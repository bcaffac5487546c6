"""Fast bulk writes: batched inserts with WKB geometry, R*Tree indexes rebuilt after.

DESIGN.md's measured traps: bulk inserts belong in one transaction, and an R*Tree
built after the load is about twice as fast as one maintained row by row.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import shapely

from gridmap.store import dialect
from gridmap.store.schema import ALL_GEOMETRY_TABLES as GEOMETRY_TABLES
from gridmap.store.schema import drop_timestamp_triggers

_MULTI = {"MULTIPOLYGON": shapely.multipolygons, "MULTILINESTRING": shapely.multilinestrings}


def to_wkb(table: str, geoms: Sequence) -> list[bytes]:
    """Return WKB of ``geoms`` in the geometry type ``table`` stores (single → multi)."""
    geoms = np.asarray(geoms, dtype=object)
    kind = GEOMETRY_TABLES[table][1]
    if kind in _MULTI:
        single = ~np.isin(shapely.get_type_id(geoms), (4, 5, 6))
        if single.any():
            geoms = geoms.copy()
            geoms[single] = [_MULTI[kind]([g]) for g in geoms[single]]
    return list(shapely.to_wkb(geoms, output_dimension=2))


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                rows: Iterable[Sequence], geoms: Sequence | None = None, srid: int | None = None) -> int:
    """Insert ``rows`` (and geometries, in the same order) into ``table``; return the count.

    Column names come from our own code, never from user input; values are bound.
    """
    rows = list(rows)
    names = list(columns)
    marks = ["?"] * len(names)
    if geoms is not None:
        column = GEOMETRY_TABLES[table][0]
        names.append(column)
        marks.append(dialect.geom_from_wkb(conn, srid))
        wkb = to_wkb(table, geoms)
        rows = [(*r, g) for r, g in zip(rows, wkb, strict=True)]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)})"
    conn.executemany(sql, rows)
    return len(rows)


@contextlib.contextmanager
def spatial_indexes_off(conn: sqlite3.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Drop the R*Tree indexes of ``tables`` for a bulk load and rebuild them after it.

    Must run inside the caller's transaction, so a failed load leaves the old indexes.
    """
    tables = list(tables)
    if dialect.is_postgis(conn):  # a GiST index takes bulk inserts well; nothing to switch off
        yield
        return
    for table in tables:
        column = GEOMETRY_TABLES[table][0]
        conn.execute("SELECT DisableSpatialIndex(?, ?)", (table, column))
        conn.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
    yield
    for table in tables:
        column = GEOMETRY_TABLES[table][0]
        conn.execute("SELECT CreateSpatialIndex(?, ?)", (table, column))
    drop_timestamp_triggers(conn, tables)  # CreateSpatialIndex brought them back
