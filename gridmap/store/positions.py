"""Where the supervisors are (issue 15): positions their devices send in batches (``POST /positions``), the
last position and the day's track of each for the desk's live layer, and the patrol figures of a period
(on-duty hours, the share of unit grids visited) per supervisor and responsibility grid.

A position is unique per (staff, at): a batch sent again after a lost answer adds nothing, so a device
retries until it is answered and nothing is lost or counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from gridmap.domain.calendar import city_now
from gridmap.domain.patrol import on_duty_hours
from gridmap.store import dialect
from gridmap.store.cases import check_reported_at

#: positions one request may carry
MAX_BATCH = 500


@dataclass(frozen=True)
class Position:
    """A position in the store's CRS at a local (naive) time."""

    x: float
    y: float
    at: dt.datetime
    accuracy_m: float | None = None


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds") if moment.microsecond else moment.isoformat(timespec="seconds")


def ingest(store, staff_code: str, positions: list[Position], *, token_id: int | None = None,
           now: dt.datetime | None = None) -> tuple[int, int]:
    """Store a batch of one supervisor's positions in one transaction, each with the unit grid it lies in (None
    outside the managed area); return (added, already there). Raises IntakeError (nothing written) for a
    batch over MAX_BATCH or a time outside the accepted window, naming the position."""
    from gridmap.store.cases import IntakeError  # noqa: PLC0415

    if len(positions) > MAX_BATCH:
        raise IntakeError(f"at most {MAX_BATCH} positions per request; send the rest in another", "positions")
    now = now or city_now()
    for index, position in enumerate(positions):
        try:
            check_reported_at(position.at, now)
        except IntakeError as exc:
            raise IntakeError(str(exc).replace("reported_at", "at"), f"positions.{index}.at") from None
    if not positions:
        return 0, 0
    received = _iso(now)
    srid = store.srid
    inside, times = dialect.contains_point(store, "unit_grid", "g")
    rows = [(staff_code, _iso(p.at), received, p.accuracy_m, *((p.x, p.y, srid) * times), p.x, p.y, srid)
            for p in positions]
    with store.transaction() as conn:
        ats = [r[1] for r in rows]
        known = {str(r[0]) for r in conn.execute(
            "SELECT at FROM supervisor_position WHERE staff_code = ? AND at >= ? AND at <= ?",
            (staff_code, min(ats), max(ats)))}
        known = {_iso(dt.datetime.fromisoformat(t)) for t in known}
        fresh = [r for r in rows if r[1] not in known]
        unique = list({r[1]: r for r in fresh}.values())  # the same moment twice in one batch counts once
        if unique:
            conn.executemany(
                "INSERT INTO supervisor_position (staff_code, at, received_at, accuracy_m, unit_grid_code, geom) "
                f"VALUES (?, ?, ?, ?, (SELECT g.code FROM unit_grid g WHERE g.valid_to IS NULL AND {inside} "
                f"ORDER BY g.id LIMIT 1), {dialect.point(store)}) ON CONFLICT (staff_code, at) DO NOTHING", unique)
        if token_id is not None:
            conn.execute("UPDATE device_token SET last_used_at = ? WHERE id = ?", (received, token_id))
    return len(unique), len(positions) - len(unique)


def latest(store, since: dt.datetime) -> list[dict]:
    """Each supervisor's last position at or after ``since``: staff code and name, at, x, y, unit grid."""
    keys = ("staff_code", "name", "at", "x", "y", "unit_grid_code")
    rows = store.conn.execute(
        f"SELECT p.staff_code, s.name, p.at, {dialect.x_y(store, 'p.geom')}, p.unit_grid_code "
        "FROM supervisor_position p JOIN (SELECT staff_code, max(at) AS last FROM supervisor_position "
        "WHERE at >= ? GROUP BY staff_code) m "
        "ON m.staff_code = p.staff_code AND m.last = p.at LEFT JOIN staff s ON s.code = p.staff_code "
        "ORDER BY p.staff_code", (_iso(since),))
    return [dict(zip(keys, (r[0], r[1], str(r[2]), float(r[3]), float(r[4]), r[5]), strict=True)) for r in rows]


def tracks(store, since: dt.datetime) -> dict[str, list[tuple[float, float]]]:
    """Each supervisor's positions at or after ``since`` in time order, as (x, y): the day's track."""
    out: dict[str, list[tuple[float, float]]] = {}
    for staff, x, y in store.conn.execute(
            f"SELECT staff_code, {dialect.x_y(store)} FROM supervisor_position WHERE at >= ? ORDER BY staff_code, at",
            (_iso(since),)):
        out.setdefault(staff, []).append((float(x), float(y)))
    return out


def last_id(store) -> int:
    """The newest position's id (0 when there is none): the desk re-reads its layer when it grows."""
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM supervisor_position").fetchone()[0]


def _period(store, start: dt.date, end: dt.date):
    since, until = f"{start:%Y-%m-%d}T00:00:00", f"{end + dt.timedelta(days=1):%Y-%m-%d}T00:00:00"
    cursor = store.conn.cursor()
    cursor.row_factory = None
    return cursor.execute(
        "SELECT p.staff_code, p.at, p.unit_grid_code, g.responsibility_grid_code FROM supervisor_position p "
        "LEFT JOIN unit_grid g ON g.code = p.unit_grid_code AND g.valid_to IS NULL WHERE p.at >= ? AND p.at < ? "
        "ORDER BY p.staff_code, p.at", (since, until)).fetchall()


def patrol_by_supervisor(store, start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per supervisor for [start, end] (days included): on_duty_hours, unit_grids (of the responsibility grids
    assigned to them), visited_unit_grids (of those, with a position in the period), patrol_coverage."""
    rows = _period(store, start, end)
    out: dict[str, dict] = {}
    if rows:
        staff = np.array([r[0] for r in rows], dtype=object)
        at = np.array([str(r[1])[:23] for r in rows], dtype="datetime64[ms]")
        for key, hours in on_duty_hours(staff, at, staff).items():
            out[key] = {"on_duty_hours": round(hours, 2)}
    own: dict[str, set] = {}
    for staff_code, grid in store.conn.execute(
            "SELECT a.staff_code, g.code FROM supervisor_assignment a JOIN unit_grid g ON g.responsibility_grid_code "
            "= a.responsibility_grid_code AND g.valid_to IS NULL"):
        own.setdefault(staff_code, set()).add(grid)
    visited: dict[str, set] = {}
    for staff_code, _at, grid, _resp in rows:
        if grid is not None:
            visited.setdefault(staff_code, set()).add(grid)
    for staff_code, grids in own.items():
        row = out.setdefault(staff_code, {"on_duty_hours": 0.0})
        seen = len(visited.get(staff_code, set()) & grids)
        row.update(unit_grids=len(grids), visited_unit_grids=seen, patrol_coverage=seen / len(grids) if grids else None)
    return out


def patrol_by_grid(store, start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per responsibility grid for [start, end]: on_duty_hours (supervisors' time inside it, each interval
    counted where it began), unit_grids, visited_unit_grids (by anyone), patrol_coverage."""
    rows = _period(store, start, end)
    out: dict[str, dict] = {}
    for grid, count in store.conn.execute("SELECT responsibility_grid_code, count(*) FROM unit_grid WHERE valid_to IS "
                                          "NULL GROUP BY responsibility_grid_code"):
        out[grid] = {"on_duty_hours": 0.0, "unit_grids": count, "visited_unit_grids": 0, "patrol_coverage": 0.0}
    if not rows:
        return out
    staff = np.array([r[0] for r in rows], dtype=object)
    at = np.array([str(r[1])[:23] for r in rows], dtype="datetime64[ms]")
    where = np.array([r[3] for r in rows], dtype=object)
    for grid, hours in on_duty_hours(staff, at, where).items():
        if grid in out:
            out[grid]["on_duty_hours"] = round(hours, 2)
    visited: dict[str, set] = {}
    for _staff, _at, unit, grid in rows:
        if grid is not None:
            visited.setdefault(grid, set()).add(unit)
    for grid, row in out.items():
        row["visited_unit_grids"] = len(visited.get(grid, set()))
        row["patrol_coverage"] = row["visited_unit_grids"] / row["unit_grids"] if row["unit_grids"] else None
    return out
