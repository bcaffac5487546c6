"""Versions of unit grids in the store: the moment a version starts, closing a unit grid's current row
and opening the next, dissolving responsibility grids again from their unit grids, and the history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import shapely

from gridmap.domain.calendar import city_now
from gridmap.domain.errors import GridmapError
from gridmap.store import bulk, dialect
from gridmap.store.connection import Store


class ConcurrentEditError(GridmapError):
    """Someone else changed the grids since this draft was started."""


def now_stamp() -> str:
    """Millisecond timestamps, so two versions made in one second still order strictly."""
    return city_now("milliseconds").isoformat(timespec="milliseconds")


def new_versions(conn: sqlite3.Connection, moves, stamp: str) -> None:
    """Close each moved unit grid's current row at ``stamp`` and open its next in the new grid."""
    for unit, grid in moves:
        conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, unit))
        conn.execute(
            "INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, valid_from, geom) "
            "SELECT code, community_code, ?, area_m2, ?, geom FROM unit_grid WHERE code = ? AND valid_to = ?",
            (grid, stamp, unit, stamp))


def dissolve(conn: sqlite3.Connection, srid: int, grids) -> None:
    """Recompute the polygons of responsibility grids from their current unit grids."""
    for grid in sorted(g for g in grids if g):
        wkb = [r[0] for r in conn.execute(f"SELECT {dialect.wkb(conn)} FROM unit_grid WHERE "
                                          "responsibility_grid_code = ? AND valid_to IS NULL", (grid,))]
        polygon = shapely.coverage_union_all(shapely.from_wkb(wkb)) if wkb else None
        value = bulk.to_wkb("responsibility_grid", [polygon])[0] if polygon is not None else None
        conn.execute(f"UPDATE responsibility_grid SET geom = {dialect.geom_from_wkb(conn)} WHERE code = ?",
                     (value, srid, grid))


@dataclass
class Version:
    code: str
    responsibility_grid_code: str | None
    valid_from: str
    valid_to: str | None
    area_m2: float


def history(store: Store, code: str | None = None) -> list[Version]:
    """Versions of one unit grid, or every unit grid that has more than one, oldest first."""
    if code:
        rows = store.conn.execute("SELECT code, responsibility_grid_code, valid_from, valid_to, area_m2 FROM unit_grid "
                                  "WHERE code = ? ORDER BY valid_from", (code,))
    else:
        rows = store.conn.execute(
            "SELECT code, responsibility_grid_code, valid_from, valid_to, area_m2 FROM unit_grid WHERE code IN "
            "(SELECT code FROM unit_grid GROUP BY code HAVING count(*) > 1 OR max(valid_to) IS NOT NULL) "
            "ORDER BY code, valid_from")
    return [Version(*r) for r in rows]
