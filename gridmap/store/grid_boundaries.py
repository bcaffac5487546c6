"""Boundary edits of unit grids in the store: building a vertex move, split or merge, checking it, and
writing it as new unit grid versions with new codes. Every write is one transaction."""

from __future__ import annotations

import sqlite3

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain import topology
from gridmap.domain.assignment import GridLocator
from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import OPEN_STATUSES
from gridmap.store import audit, bulk, dialect, users
from gridmap.store.connection import Store
from gridmap.store.grid_versions import ConcurrentEditError, dissolve, next_plan_version, now_stamp
from gridmap.store.queries import geometries
from gridmap.store.schema import COMPONENT_TABLES

_OPEN = OPEN_STATUSES


def apply_edit(store: Store, result: topology.EditResult, action: str, user: str | None = None) -> dict[str, str]:
    """Write a checked boundary edit as new unit grid versions; return {new code: old code or ''}.

    Changed and added grids get the next free codes of their community (in
    west→east, north→south order); their old codes are retired, never reused.
    Components and open incidents in the retired grids are re-assigned by location.
    Everything, the tiling check included, happens in one IMMEDIATE transaction.
    Raises TopologyRefused or ConcurrentEditError, writing nothing.
    """
    users.require(store, "plan", user)
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
        dissolve(conn, store.srid, {p[2] for p in pieces} | {info[c][1] for c in touched})
        next_plan_version(conn)
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
