"""Grid editing in the store: plans of responsibility grids, their versions and scenarios,
and boundary edits of unit grids. Every write is one transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain import topology
from gridmap.domain.assignment import GridLocator
from gridmap.domain.calendar import city_now
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Plan, UnitFacts, adjacency
from gridmap.domain.workflow import OPEN_STATUSES
from gridmap.store import audit, bulk, dialect
from gridmap.store.connection import Store
from gridmap.store.queries import geometries
from gridmap.store.schema import COMPONENT_TABLES

WORKLOAD_DAYS = 90
_OPEN = OPEN_STATUSES


class ConcurrentEditError(GridmapError):
    """Someone else changed the grids since this draft was started."""


class ScenarioError(GridmapError):
    """A scenario name is taken, unknown, or refers to grids that no longer exist."""


def now_stamp() -> str:
    """Millisecond timestamps, so two versions made in one second still order strictly."""
    return city_now("milliseconds").isoformat(timespec="milliseconds")


def current_assignment(store: Store) -> dict[str, str]:
    return dict(store.conn.execute(
        "SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))


def load_plan(store: Store, now: dt.datetime | None = None) -> Plan:
    """The current plan with each unit grid's area, components and incidents of the last 90 days."""
    now = now or city_now()
    rows, polygons = geometries(store, "unit_grid", ["code", "responsibility_grid_code", "area_m2"],
                                "valid_to IS NULL")
    codes = [r[0] for r in rows]
    components: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        for code, n in store.conn.execute(f"SELECT unit_grid_code, count(*) FROM {table} GROUP BY 1"):
            components[code] = components.get(code, 0) + n
    since = (now - dt.timedelta(days=WORKLOAD_DAYS)).isoformat(timespec="seconds")
    incidents = dict(store.conn.execute(
        "SELECT unit_grid_code, count(*) FROM incident WHERE reported_at >= ? GROUP BY 1", (since,)))
    facts = {code: UnitFacts(area, components.get(code, 0), incidents.get(code, 0)) for code, _, area in rows}
    grids = store.conn.execute("SELECT code, name, locked FROM responsibility_grid ORDER BY code").fetchall()
    return Plan({code: grid for code, grid, _ in rows}, {g[0]: g[1] for g in grids}, facts,
                adjacency(codes, polygons), dict(zip(codes, polygons, strict=True)),
                {g[0] for g in grids if g[2]})


def set_locked(store: Store, grid: str, locked: bool) -> None:
    """Lock or unlock a responsibility grid (locked grids neither gain nor lose unit grids)."""
    with store.transaction() as conn:
        if conn.execute("UPDATE responsibility_grid SET locked = ? WHERE code = ?", (int(locked), grid)).rowcount != 1:
            raise GridmapError(f"{store.path}: no responsibility grid {grid}")
        audit.log(conn, "grid.lock" if locked else "grid.unlock", table="responsibility_grid", row_code=grid)


def commit_plan(store: Store, plan: Plan, note: str = "", user: str | None = None) -> int:
    """Write the draft as a new version of the grids; return the number of unit grids moved.

    Each moved unit grid's current row is closed (valid_to) and a new row opened
    with the new responsibility grid; the responsibility grids' polygons are
    dissolved again; the audit log records who, when and what. Incidents keep
    the grids they had when reported. Raises ConcurrentEditError, writing nothing,
    when another user changed any of these unit grids since the draft began.
    """
    changes = plan.changes()
    if not changes:
        return 0
    stamp = now_stamp()
    with store.transaction() as conn:
        current = dict(conn.execute("SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))
        conflicts = [u for u, was, _ in changes if current.get(u) != was]
        if conflicts:
            raise ConcurrentEditError(
                f"{store.path}: {len(conflicts)} unit grid(s) were changed by someone else since this draft began "
                f"(e.g. {', '.join(conflicts[:5])}); reopen the plan and redo the change")
        _new_versions(conn, [(unit, to) for unit, _was, to in changes], stamp)
        affected = {was for _, was, _ in changes} | {to for _, _, to in changes}
        _dissolve(conn, store.srid, affected)
        audit.log(conn, "plan.commit", table="unit_grid", user=user,
                  detail={"note": note, "moves": [{"unit": u, "from": a, "to": b} for u, a, b in changes]})
    plan.base = dict(plan.assignment)
    return len(changes)


def _new_versions(conn: sqlite3.Connection, moves, stamp: str) -> None:
    for unit, grid in moves:
        conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, unit))
        conn.execute(
            "INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, valid_from, geom) "
            "SELECT code, community_code, ?, area_m2, ?, geom FROM unit_grid WHERE code = ? AND valid_to = ?",
            (grid, stamp, unit, stamp))


def _dissolve(conn: sqlite3.Connection, srid: int, grids) -> None:
    """Recompute the polygons of responsibility grids from their current unit grids."""
    for grid in sorted(g for g in grids if g):
        wkb = [r[0] for r in conn.execute(f"SELECT {dialect.wkb(conn)} FROM unit_grid WHERE "
                                          "responsibility_grid_code = ? AND valid_to IS NULL", (grid,))]
        polygon = shapely.coverage_union_all(shapely.from_wkb(wkb)) if wkb else None
        value = bulk.to_wkb("responsibility_grid", [polygon])[0] if polygon is not None else None
        conn.execute(f"UPDATE responsibility_grid SET geom = {dialect.geom_from_wkb(conn)} WHERE code = ?",
                     (value, srid, grid))


def assign_units(store: Store, units: list[str], target: str, note: str = "", user: str | None = None) -> int:
    """Move unit grids into ``target`` under the editor's rules and commit at once (the CLI's way).

    Raises MoveRefused with the reason, or GridmapError for unknown codes; nothing is written then.
    """
    plan = load_plan(store)
    unknown = [u for u in units if u not in plan.assignment]
    if unknown:
        raise GridmapError(f"{store.path}: no current unit grid {', '.join(unknown)}")
    # paint order: neighbours of the target first, so a run of adjacent units can be moved in one call
    pending = list(dict.fromkeys(units))
    while pending:
        ready = [u for u in pending if plan.check(u, target) is None]
        if not ready:
            plan.move(pending[:1], target)  # raises MoveRefused with the reason
        plan.move(ready, target)
        pending = [u for u in pending if u not in ready]
    return commit_plan(store, plan, note, user)


# --- scenarios ---------------------------------------------------------------------


def save_scenario(store: Store, name: str, plan: Plan, note: str = "", replace: bool = False) -> None:
    """Save the draft under ``name``; raises ScenarioError if the name is taken and not ``replace``."""
    name = name.strip()
    if not name:
        raise ScenarioError("a scenario needs a name")
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM plan_scenario WHERE name = ?", (name,)).fetchone()
        if row and not replace:
            raise ScenarioError(f"a scenario named {name!r} already exists")
        if row:
            conn.execute("DELETE FROM plan_scenario WHERE id = ?", (row[0],))
        cur = conn.execute("INSERT INTO plan_scenario (name, created_at, \"user\", note) VALUES (?, ?, ?, ?)",
                           (name, now_stamp(), audit.current_user(), note))
        conn.executemany("INSERT INTO plan_scenario_assignment VALUES (?, ?, ?)",
                         [(cur.lastrowid, u, g) for u, g in sorted(plan.assignment.items())])
        audit.log(conn, "scenario.save", table="plan_scenario", row_code=name,
                  detail={"changes": len(plan.changes())})


def list_scenarios(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT name, created_at, \"user\", note FROM plan_scenario ORDER BY created_at DESC")
    return [dict(zip(("name", "created_at", "user", "note"), r, strict=True)) for r in rows]


def load_scenario(store: Store, name: str) -> dict[str, str]:
    """A scenario's assignment (unit grid → responsibility grid); raises ScenarioError if unknown."""
    row = store.conn.execute("SELECT id FROM plan_scenario WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ScenarioError(f"no scenario named {name!r}")
    return dict(store.conn.execute("SELECT unit_grid_code, responsibility_grid_code FROM plan_scenario_assignment "
                                   "WHERE scenario_id = ?", (row[0],)))


def apply_scenario(plan: Plan, assignment: dict[str, str]) -> list[str]:
    """Put a scenario's assignment into ``plan`` as its draft; return units it names that no longer exist."""
    missing = [u for u in assignment if u not in plan.assignment]
    for unit, grid in assignment.items():
        if unit in plan.assignment and grid in plan.members:
            plan._set(unit, grid)
    return missing


def delete_scenario(store: Store, name: str) -> None:
    with store.transaction() as conn:
        if conn.execute("DELETE FROM plan_scenario WHERE name = ?", (name,)).rowcount != 1:
            raise ScenarioError(f"no scenario named {name!r}")
        audit.log(conn, "scenario.delete", table="plan_scenario", row_code=name)


# --- history -------------------------------------------------------------------------


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


# --- boundary edits ------------------------------------------------------------------


def apply_edit(store: Store, result: topology.EditResult, action: str, user: str | None = None) -> dict[str, str]:
    """Write a checked boundary edit as new unit grid versions; return {new code: old code or ''}.

    Changed and added grids get the next free codes of their community (in
    west→east, north→south order); their old codes are retired, never reused.
    Components and open incidents in the retired grids are re-assigned by location.
    Everything, the tiling check included, happens in one IMMEDIATE transaction.
    Raises TopologyRefused or ConcurrentEditError, writing nothing.
    """
    with store.transaction() as conn:
        old_codes = list(result.changed) + list(result.removed)
        touched = old_codes + list(result.retouched)
        rows, before_polys = geometries(store, "unit_grid", ["code", "community_code", "responsibility_grid_code"],
                                        f"valid_to IS NULL AND code IN ({', '.join('?' * len(touched))})",
                                        tuple(touched))
        if len(rows) != len(set(touched)):
            raise ConcurrentEditError(f"{store.path}: some of {', '.join(touched)} are no longer current unit grids")
        info = {r[0]: (r[1], r[2]) for r in rows}
        before = dict(zip((r[0] for r in rows), before_polys, strict=True))
        # the pieces of the new version: (polygon, community, responsibility grid, old code or '')
        pieces = [(poly, info[code][0], info[code][1], code) for code, poly in result.changed.items()]
        pieces += [(poly, community, resp, "") for poly, community, resp in result.added]
        keys = [f"new{k}" for k in range(len(pieces))] + list(result.retouched)
        shapes = [p[0] for p in pieces] + list(result.retouched.values())
        community_of = [p[1] for p in pieces] + [info[c][0] for c in result.retouched]
        box = shapely.union_all(list(before.values())).buffer(1.0).envelope
        around = polygons_in(store, box)
        neighbours = {code: p for code, p in around.items() if code not in before}
        com_rows, com_polys = geometries(store, "community", ["code"],
                                         f"code IN ({', '.join('?' * len(community_of))})", tuple(community_of))
        topology.check_edit(before, dict(zip(keys, shapes, strict=True)), neighbours,
                            {r[0]: p for r, p in zip(com_rows, com_polys, strict=True)},
                            dict(zip(keys, community_of, strict=True)))
        new_codes = _allocate_codes(conn, pieces)
        stamp = now_stamp()
        for code in old_codes:
            conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, code))
            conn.execute("INSERT OR IGNORE INTO retired_code (kind, code, retired_at, reason) "
                         "VALUES ('unit_grid', ?, ?, ?)", (code, stamp, action))
        bulk.insert_rows(conn, "unit_grid",
                         ["code", "community_code", "responsibility_grid_code", "area_m2", "valid_from"],
                         [(new_codes[k], p[1], p[2], round(float(p[0].area), 1), stamp) for k, p in enumerate(pieces)],
                         [p[0] for p in pieces], store.srid)
        for code, polygon in result.retouched.items():
            conn.execute(f"UPDATE unit_grid SET geom = {dialect.geom_from_wkb(conn, store.srid)} "
                         "WHERE code = ? AND valid_to IS NULL", (shapely.to_wkb(polygon), code))
        moved = _reassign(conn, old_codes, new_codes, [p[0] for p in pieces]) if old_codes else {}
        _dissolve(conn, store.srid, {p[2] for p in pieces} | {info[c][1] for c in touched})
        audit.log(conn, action, table="unit_grid", user=user,
                  detail={"retired": old_codes, "created": new_codes, **moved})
    return {new_codes[k]: p[3] for k, p in enumerate(pieces)}


def _allocate_codes(conn: sqlite3.Connection, pieces) -> list[str]:
    """Next free codes per community, in west→east, north→south order of the pieces."""
    by_community: dict[str, list[int]] = {}
    for k, piece in enumerate(pieces):
        by_community.setdefault(piece[1], []).append(k)
    new_codes = [""] * len(pieces)
    for community, ks in by_community.items():
        used = {int(r[0][-3:]) for r in conn.execute(
            "SELECT code FROM unit_grid WHERE community_code = ? UNION SELECT code FROM retired_code "
            "WHERE kind = 'unit_grid' AND substr(code, 1, 12) = ?", (community, community))}
        centroids = [shapely.point_on_surface(pieces[k][0]).coords[0] for k in ks]
        band = max(50.0, float(shapely.area(pieces[ks[0]][0])) ** 0.5 / 2)
        ordered = [ks[i] for i in codes_mod.west_east_north_south(centroids, band)]
        for k, seq in zip(ordered, topology.next_sequences(used, len(ks)), strict=True):
            new_codes[k] = codes_mod.unit_grid_code(community, seq)
    return new_codes


def _reassign(conn: sqlite3.Connection, old_codes, new_codes, polygons) -> dict[str, int]:
    """Components and open incidents of retired grids go to the new grid that contains them."""
    locator = GridLocator(polygons, new_codes)
    marks = ", ".join("?" * len(old_codes))
    counts = {"components": 0, "open_incidents": 0}
    for table in COMPONENT_TABLES.values():
        rows = conn.execute(f"SELECT id, {dialect.wkb(conn)} FROM {table} WHERE unit_grid_code IN ({marks})",
                            old_codes).fetchall()
        if rows:
            located = locator.locate(shapely.from_wkb([r[1] for r in rows]))
            conn.executemany(f"UPDATE {table} SET unit_grid_code = ? WHERE id = ?",
                             [(code, r[0]) for code, r in zip(located, rows, strict=True)])
            counts["components"] += len(rows)
    status_marks = ", ".join("?" * len(_OPEN))
    rows = conn.execute(f"SELECT id, {dialect.wkb(conn)} FROM incident WHERE unit_grid_code IN ({marks}) "
                        f"AND status IN ({status_marks})", (*old_codes, *_OPEN)).fetchall()
    if rows:
        located = locator.locate(shapely.from_wkb([r[1] for r in rows]))
        conn.executemany("UPDATE incident SET unit_grid_code = ? WHERE id = ?",
                         [(code, r[0]) for code, r in zip(located, rows, strict=True)])
        counts["open_incidents"] = len(rows)
    return counts


def unit_grid_polygons(store: Store, codes: list[str]) -> dict[str, shapely.Polygon]:
    rows, polys = geometries(store, "unit_grid", ["code"],
                             f"valid_to IS NULL AND code IN ({', '.join('?' * len(codes))})", tuple(codes))
    return {r[0]: p for r, p in zip(rows, polys, strict=True)}


def polygons_near(store: Store, x: float, y: float, radius: float) -> dict[str, shapely.Polygon]:
    """Current unit grids within ``radius`` metres of (x, y)."""
    return polygons_in(store, shapely.box(x - radius, y - radius, x + radius, y + radius))


def polygons_in(store: Store, box) -> dict[str, shapely.Polygon]:
    """Current unit grids whose bounding box meets ``box`` (through the R*Tree)."""
    rows, polys = geometries(
        store, "unit_grid", ["code"], f"valid_to IS NULL AND {dialect.bbox_meets(store, 'unit_grid', store.srid)}",
        (shapely.to_wkb(box),))
    return {r[0]: p for r, p in zip(rows, polys, strict=True)}




# --- building edits ------------------------------------------------------------------


def _with_neighbours_matched(store: Store, result: topology.EditResult) -> topology.EditResult:
    """Insert the edit's new vertices into the neighbours' shared edges (they keep their codes)."""
    new = result.all_new_polygons()
    box = shapely.union_all(new).buffer(1.0).envelope
    gone = set(result.changed) | set(result.removed)
    neighbours = {c: p for c, p in polygons_in(store, box).items() if c not in gone}
    points = topology.match_vertices({f"new{k}": p for k, p in enumerate(new)} | neighbours)
    for code, polygon in neighbours.items():
        if len(polygon.exterior.coords) != len(points[code].exterior.coords):
            result.retouched[code] = points[code]
    # and the edit's own pieces get the neighbours' vertices on their edges
    result.changed = {c: points_of(p, neighbours) for c, p in result.changed.items()}
    result.added = [(points_of(p, neighbours), com, resp) for p, com, resp in result.added]
    return result


def points_of(polygon, neighbours: dict) -> shapely.Polygon:
    """``polygon`` with the neighbours' vertices that lie on its edges inserted."""
    if not neighbours:
        return polygon
    coords = np.unique(np.concatenate([np.asarray(p.exterior.coords)[:-1] for p in neighbours.values()]), axis=0)
    return topology.insert_vertices(polygon, coords)


def vertex_edit(store: Store, moves) -> topology.EditResult:
    """Move vertices (old xy → new xy) in every current unit grid that has them.

    Raises TopologyRefused when no unit grid has a vertex at an old position.
    """
    radius = max(max(abs(o[0] - n[0]), abs(o[1] - n[1])) for o, n in moves) + 1.0
    around: dict[str, shapely.Polygon] = {}
    for old, _new in moves:
        around |= polygons_near(store, old[0], old[1], radius)
    result = topology.EditResult(changed=topology.move_vertices(around, moves))
    return _with_neighbours_matched(store, result)


def split_edit(store: Store, code: str, line: shapely.LineString) -> topology.EditResult:
    """Cut unit grid ``code`` along ``line``; the pieces stay in its community and responsibility grid."""
    row = store.conn.execute("SELECT community_code, responsibility_grid_code FROM unit_grid WHERE code = ? "
                             "AND valid_to IS NULL", (code,)).fetchone()
    if row is None:
        raise GridmapError(f"{store.path}: no current unit grid {code}")
    polygon = unit_grid_polygons(store, [code])[code]
    pieces = topology.split(polygon, line)
    result = topology.EditResult(removed=[code], added=[(p, row[0], row[1]) for p in pieces])
    return _with_neighbours_matched(store, result)


def merge_edit(store: Store, codes: list[str]) -> topology.EditResult:
    """Merge adjacent unit grids of one community into one; it joins the first one's responsibility grid."""
    codes = list(dict.fromkeys(codes))
    if len(codes) < 2:
        raise topology.TopologyRefused("choose at least two unit grids to merge")
    rows = store.conn.execute(
        f"SELECT code, community_code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL AND code IN "
        f"({', '.join('?' * len(codes))})", codes).fetchall()
    if len(rows) != len(codes):
        raise GridmapError(f"{store.path}: not all of {', '.join(codes)} are current unit grids")
    communities = {r[1] for r in rows}
    if len(communities) > 1:
        names = ", ".join(sorted(communities))
        raise topology.TopologyRefused(f"unit grids of different communities cannot be merged ({names})")
    first = next(r for r in rows if r[0] == codes[0])
    polygons = unit_grid_polygons(store, codes)
    merged = topology.merge([polygons[c] for c in codes])
    return topology.EditResult(removed=codes, added=[(merged, first[1], first[2])])
