"""Copying a whole store between engines: a file into PostGIS when a centre outgrows it, and back.

Every table of the schema is copied row by row with its ids, in an order that satisfies the foreign
keys, in one transaction on the destination (a failed copy leaves an empty destination). Geometries
travel as WKB. Each table's checksum (rows in id or key order, values in one text form, geometries as
normalised WKB) is then computed on both sides: the copy is lossless only when every count and every
checksum agree, else MigrateError names the table.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.domain.errors import GridmapError
from gridmap.store import bulk
from gridmap.store.connection import create_store, open_store
from gridmap.store.schema import ALL_GEOMETRY_TABLES as GEOMETRY_TABLES

#: every table of the schema, in an order the foreign keys accept
TABLES = (
    "gridmap_setting", "district", "street", "community", "responsibility_grid", "unit_grid", "community_grid",
    "road", "component_class", "event_class", "responsible_unit", "component_point", "component_line",
    "component_polygon", "staff", "supervisor_assignment", "community_grid_role", "incident", "audit_log",
    "plan_scenario", "plan_scenario_assignment", "routing_rule", "device_token", "idempotency_key",
    "incident_step", "incident_photo", "case_serial", "retired_code", "app_user",
    "component_point_history", "component_line_history", "component_polygon_history", "inspection",
    "inspection_photo", "supervisor_position",
)
#: settings each engine writes itself when a store is created
_OWN_SETTINGS = ("srid", "application", "schema_version")
#: rows go in this order, so a row's parent is always there before it
_ORDER = {"community_grid": "level, id", "responsible_unit": "id"}
BATCH = 5000


class MigrateError(GridmapError):
    """The copy could not be made, or does not equal its source (the message names the table)."""


@dataclass
class TableCopy:
    table: str
    rows: int
    checksum: str


def _columns(store, table: str) -> list[str]:
    if store.engine == "postgis":
        rows = store.conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                  "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))
    else:
        rows = [(r[1],) for r in store.conn.execute(f"PRAGMA table_info({table})")]
    return [r[0] for r in rows]


def _quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _geometry_out(store, column: str) -> str:
    return f'{"ST_AsBinary" if store.engine == "postgis" else "AsBinary"}("{column}")'


def _key_order(table: str, columns: list[str]) -> str:
    if table in _ORDER:
        return _ORDER[table]
    return "id" if "id" in columns else _quoted([c for c in columns if c not in ("geom",)])


def _read(store, table: str, columns: list[str]):
    """Rows of ``table`` in key order: (plain values..., WKB or None last when the table has geometry)."""
    geometry = GEOMETRY_TABLES.get(table, (None,))[0]
    plain = [c for c in columns if c != geometry]
    select = _quoted(plain) + (f", {_geometry_out(store, geometry)}" if geometry else "")
    where = " WHERE key NOT IN ('srid', 'application', 'schema_version')" if table == "gridmap_setting" else ""
    sql = f"SELECT {select} FROM {table}{where} ORDER BY {_key_order(table, plain)}"
    return plain, geometry, store.conn.execute(sql)


def _text(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def checksum(store, table: str) -> TableCopy:
    """Row count and checksum of ``table``, the same on both engines for the same content."""
    plain, geometry, cursor = _read(store, table, _columns(store, table))
    digest, count = hashlib.sha256(), 0
    rows = cursor.fetchall()
    wkbs = None
    if geometry and rows:
        geoms = shapely.from_wkb([r[-1] for r in rows])
        wkbs = shapely.to_wkb(shapely.normalize(geoms), output_dimension=2)
    for k, row in enumerate(rows):
        values = list(row[:len(plain)])
        if geometry:
            values.append(wkbs[k] if row[-1] is not None else None)
        digest.update("\x1f".join(_text(v) for v in values).encode("utf-8"))
        digest.update(b"\x1e")
        count += 1
    return TableCopy(table, count, digest.hexdigest())


def _insert(dest, conn, table: str, plain: list[str], geometry: str | None, rows: list) -> None:
    srid = int(dest.srid)
    if geometry:
        wkb = [r[-1] for r in rows]
        if dest.engine == "postgis":
            present = np.array([w is not None for w in wkb])
            ewkb = np.full(len(rows), None, dtype=object)
            if present.any():
                geoms = shapely.set_srid(shapely.from_wkb(np.array(wkb, dtype=object)[present]), srid)
                ewkb[present] = shapely.to_wkb(geoms, hex=True, include_srid=True)
            values = [(*r[:-1], g) for r, g in zip(rows, ewkb, strict=True)]
            marks = ", ".join(["?"] * len(plain) + ["?::geometry"])
        else:
            values = [tuple(r) for r in rows]
            marks = ", ".join(["?"] * len(plain) + [f"GeomFromWKB(?, {srid})"])
        names = [*plain, geometry]
    else:
        values, names, marks = [tuple(r) for r in rows], plain, ", ".join("?" * len(plain))
    conn.executemany(f"INSERT INTO {table} ({_quoted(names)}) VALUES ({marks})", values)


def migrate(source_location, dest_location, *, progress: Callable[[str, int], None] | None = None
            ) -> list[TableCopy]:
    """Copy the store at ``source_location`` into a new store at ``dest_location`` (a file that does not
    exist, or an empty PostGIS database); return each table's count and checksum.

    Raises MigrateError when the destination is not empty, a row cannot be written (naming the table),
    or the copy's counts or checksums differ from the source's; StoreError for unusable locations.
    """
    with open_store(source_location) as source:
        srid = source.srid
        try:
            dest = create_store(dest_location, srid)
        except GridmapError as exc:
            raise MigrateError(f"cannot create the destination: {exc}") from exc
        try:
            copies = [checksum(source, t) for t in TABLES]
            with dest.transaction():
                _copy(source, dest, progress)
                # compared before the commit: a copy that differs is rolled back, not left behind
                for copy in copies:
                    mine = checksum(dest, copy.table)
                    if (mine.rows, mine.checksum) != (copy.rows, copy.checksum):
                        raise MigrateError(f"{copy.table}: the copy would differ from the source ({mine.rows} rows "
                                           f"against {copy.rows}, or changed values); nothing was written")
        except BaseException:
            dest.close()
            if dest.engine == "spatialite":  # a failed copy leaves no file behind
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(f"{dest.path}{suffix}")
            raise
        dest.finish_bulk_load()  # the planner's statistics: without them PostGIS scans whole tables at first
        dest.close()
    return copies


def _copy(source, dest, progress) -> None:
    """Every table into ``dest``, inside the caller's transaction."""
    conn = dest.conn
    for table in TABLES:
        columns = [c for c in _columns(source, table) if c in set(_columns(dest, table))]
        plain, geometry, cursor = _read(source, table, columns)
        count = 0
        big = dest.engine == "spatialite" and geometry is not None
        with bulk.spatial_indexes_off(conn, [table]) if big else contextlib.nullcontext():
            while rows := cursor.fetchmany(BATCH):
                later = []
                if table == "responsible_unit":  # a successor may come later in the table: set it after
                    k, code = plain.index("successor_code"), plain.index("code")
                    later = [(r[k], r[code]) for r in rows if r[k] is not None]
                    rows = [(*r[:k], None, *r[k + 1:]) for r in rows]
                try:
                    if table in ("case_serial", "retired_code"):
                        _upsert(conn, table, plain, rows)
                    else:
                        _insert(dest, conn, table, plain, geometry, rows)
                    if later:
                        conn.executemany("UPDATE responsible_unit SET successor_code = ? WHERE code = ?", later)
                except GridmapError:
                    raise
                except Exception as exc:  # the engine's own error: name the table, keep the cause
                    raise MigrateError(f"{table}: cannot write the rows into {dest.path}: {exc}") from exc
                count += len(rows)
        if dest.engine == "postgis" and "id" in plain:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
        if progress:
            progress(table, count)


def _upsert(conn, table: str, plain: list[str], rows) -> None:
    """case_serial and retired_code are also filled by the triggers of the rows copied before them."""
    key = "(day)" if table == "case_serial" else "(kind, code)"
    update = "DO UPDATE SET last = excluded.last" if table == "case_serial" else "DO NOTHING"
    conn.executemany(f"INSERT INTO {table} ({_quoted(plain)}) VALUES ({', '.join('?' * len(plain))}) "
                     f"ON CONFLICT {key} {update}", [tuple(r) for r in rows])
