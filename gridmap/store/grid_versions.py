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


class PlanOutdatedError(ConcurrentEditError):
    """Another planner committed since this draft was started: rebase the draft or keep it as a scenario.
    ``commits`` lists the audit entries (at, user, action, note) in between."""

    def __init__(self, message: str, commits: list[dict]):
        super().__init__(message)
        self.commits = commits


_PLAN_VERSION = "plan_version"


def plan_version(conn) -> int:
    """The store's plan version: it grows with every change of the unit grids or their locks."""
    row = conn.execute("SELECT value FROM gridmap_setting WHERE key = ?", (_PLAN_VERSION,)).fetchone()
    return int(row[0]) if row else 0


def next_plan_version(conn, expected: int | None = None) -> int:
    """Take the next plan version inside the caller's transaction and return it.

    The row is locked until the transaction ends, so commits from other desks queue behind it. With
    ``expected`` (the version a draft started from), raises PlanOutdatedError when another commit came
    in between; nothing is written then.
    """
    row = conn.execute("UPDATE gridmap_setting SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ? "
                       "RETURNING value", (_PLAN_VERSION,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO gridmap_setting (key, value) VALUES (?, '1')", (_PLAN_VERSION,))
    version = int(row[0]) if row is not None else 1
    if expected is not None and version != expected + 1:
        between = max(0, version - 1 - expected)
        rows = conn.execute("SELECT at, \"user\", action, detail FROM audit_log WHERE action LIKE 'plan.%' OR "
                            "action LIKE 'grid.%' OR action = 'import.unit_grids' ORDER BY id DESC LIMIT ?",
                            (between,)).fetchall()
        commits = [dict(zip(("at", "user", "action", "detail"), tuple(r), strict=True)) for r in reversed(rows)]
        who = ", ".join(sorted({c["user"] for c in commits})) or "another planner"
        raise PlanOutdatedError(f"{who} changed the grids since this draft began ({between} "
                                "commit(s)); rebase the draft on the current plan or save it as a scenario",
                                commits)
    return version


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
