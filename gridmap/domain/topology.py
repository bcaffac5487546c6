"""Edits of unit grid boundaries that keep the tiling a coverage.

Every edit is computed on copies: it returns the new polygons of the grids it
touches, or raises TopologyRefused with the offending edges, so nothing
half-applied ever reaches the store. Shared edges stay shared because a vertex
moves in every grid that has it, and new vertices (where a split line meets a
neighbour) are inserted into the neighbour's ring as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.ops

from gridmap.domain.coverage import AREA_TOLERANCE_M2
from gridmap.domain.errors import GridmapError

VERTEX_TOLERANCE = 1e-6  # metres: a vertex this close to another is the same vertex


class TopologyRefused(GridmapError):
    """An edit would break the tiling; ``edges`` shows where (for highlighting)."""

    def __init__(self, message: str, edges=None):
        super().__init__(message)
        self.edges = edges


@dataclass
class EditResult:
    """Polygons after an edit. ``changed`` grids were reshaped and ``added`` ones are new: both get new
    codes (the old ones retire); ``removed`` codes retire; ``retouched`` grids keep code and shape."""

    changed: dict[str, shapely.Polygon] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    added: list[tuple[shapely.Polygon, str, str | None]] = field(default_factory=list)  # polygon, community, resp
    #: same shape, extra vertices where a neighbour's new edge meets them: updated in place, code kept
    retouched: dict[str, shapely.Polygon] = field(default_factory=dict)

    def all_new_polygons(self) -> list[shapely.Polygon]:
        return list(self.changed.values()) + [p for p, _, _ in self.added]


def _ring_coords(polygon: shapely.Polygon) -> np.ndarray:
    return np.asarray(polygon.exterior.coords)


def _with_ring(polygon: shapely.Polygon, coords: np.ndarray) -> shapely.Polygon:
    return shapely.Polygon(coords, [ring.coords for ring in polygon.interiors])


def insert_vertices(polygon: shapely.Polygon, points: np.ndarray, tol: float = VERTEX_TOLERANCE) -> shapely.Polygon:
    """Insert into the exterior ring every point lying on one of its edges (not at a vertex)."""
    if len(points) == 0:
        return polygon
    ring = _ring_coords(polygon)
    a, b = ring[:-1], ring[1:]
    ab = b - a
    length2 = np.maximum((ab ** 2).sum(axis=1), 1e-18)
    rel = points[None, :, :] - a[:, None, :]
    t = (rel * ab[:, None, :]).sum(axis=2) / length2[:, None]
    closest = a[:, None, :] + t[..., None] * ab[:, None, :]
    dist = np.linalg.norm(points[None, :, :] - closest, axis=2)
    seg_len = np.sqrt(length2)[:, None]
    inside = (t * seg_len > tol) & ((1 - t) * seg_len > tol) & (dist < tol)
    if not inside.any():
        return polygon
    out = []
    for k in range(len(a)):
        out.append(a[k])
        hits = np.flatnonzero(inside[k])
        if hits.size:
            order = np.argsort(t[k, hits])
            out.extend(points[hits[order]])
    out.append(ring[-1])
    return _with_ring(polygon, np.array(out))


def match_vertices(polygons: dict[str, shapely.Polygon]) -> dict[str, shapely.Polygon]:
    """Make shared edges carry the same vertices on both sides (within the given polygons)."""
    points = np.unique(np.concatenate([_ring_coords(p)[:-1] for p in polygons.values()]), axis=0)
    return {code: insert_vertices(p, points) for code, p in polygons.items()}


def move_vertex(polygons: dict[str, shapely.Polygon], old: tuple[float, float],
                new: tuple[float, float]) -> dict[str, shapely.Polygon]:
    """Move the vertex at ``old`` to ``new`` in every polygon that has it; return the changed polygons.

    Raises TopologyRefused when no polygon has a vertex there.
    """
    return move_vertices(polygons, [(old, new)])


def move_vertices(polygons: dict[str, shapely.Polygon], moves) -> dict[str, shapely.Polygon]:
    """Move several vertices at once (an edge is its two end vertices)."""
    changed: dict[str, shapely.Polygon] = {}
    for code, polygon in polygons.items():
        ring = _ring_coords(polygon).copy()
        touched = False
        for old, new in moves:
            hit = np.linalg.norm(ring - np.asarray(old), axis=1) < VERTEX_TOLERANCE
            if hit.any():
                ring[hit] = new
                touched = True
        if touched:
            changed[code] = _with_ring(polygon, ring)
    if not changed:
        raise TopologyRefused("no unit grid has a vertex there")
    return changed


def split(polygon: shapely.Polygon, line: shapely.LineString) -> list[shapely.Polygon]:
    """Cut ``polygon`` along ``line`` into pieces; raises TopologyRefused unless it makes two or more."""
    pieces = [p for p in shapely.get_parts(shapely.ops.split(polygon, line)) if p.geom_type == "Polygon"]
    if len(pieces) < 2:
        raise TopologyRefused("the line must cross the unit grid from one side to another", line)
    tiny = [p for p in pieces if p.area < AREA_TOLERANCE_M2 * 10]
    if tiny:
        raise TopologyRefused(f"a piece would be only {tiny[0].area:.1f} m²", tiny[0].boundary)
    return pieces


def merge(polygons: list[shapely.Polygon]) -> shapely.Polygon:
    """The union of adjacent unit grids; raises TopologyRefused unless it is one polygon."""
    union = shapely.coverage_union_all(polygons)
    if union.geom_type != "Polygon":
        raise TopologyRefused("only unit grids that share an edge can be merged", union.boundary)
    return union


def check_edit(before: dict[str, shapely.Polygon], after: dict[str, shapely.Polygon],
               neighbours: dict[str, shapely.Polygon], communities: dict[str, shapely.Polygon],
               community_of: dict[str, str]) -> None:
    """Refuse an edit that breaks the tiling around it.

    ``before``/``after`` hold the edited grids (keys of ``after`` may be new);
    ``neighbours`` the untouched grids around them; ``community_of`` the community
    of each key of ``after``. Raises TopologyRefused with the offending edges.
    """
    for code, polygon in after.items():
        if polygon.is_empty or not polygon.is_valid:
            raise TopologyRefused(f"{code} would become an invalid polygon ({shapely.is_valid_reason(polygon)})",
                                  polygon.boundary)
    area = shapely.union_all(list(before.values()))
    new_area = shapely.union_all(list(after.values()))
    gap = shapely.difference(area, new_area)
    spill = shapely.difference(new_area, area)
    if gap.area > AREA_TOLERANCE_M2:
        raise TopologyRefused(f"the edit would leave a gap of {gap.area:.1f} m²", gap.boundary)
    if spill.area > AREA_TOLERANCE_M2:
        raise TopologyRefused(f"the edit would reach {spill.area:.1f} m² beyond the grids it changes "
                              "(overlapping a neighbour or leaving the district)", spill.boundary)
    everything = list(after.values()) + list(neighbours.values())
    if not shapely.coverage_is_valid(everything):
        edges = shapely.coverage_invalid_edges(everything)
        bad = shapely.union_all([e for e in edges if not e.is_empty])
        raise TopologyRefused("the edit would make edges overlap or stop matching their neighbours", bad)
    for code, polygon in after.items():
        community = communities.get(community_of[code])
        if community is None:
            raise TopologyRefused(f"{code}: unknown community {community_of[code]}")
        outside = shapely.difference(polygon, community)
        if outside.area > AREA_TOLERANCE_M2:
            raise TopologyRefused(f"{code} would cross the boundary of community {community_of[code]} "
                                  f"({outside.area:.1f} m² outside it)", outside.boundary)


def next_sequences(used: set[int], count: int) -> list[int]:
    """The next ``count`` free sequence numbers above every one ever used (codes are never reused)."""
    start = max(used, default=0) + 1
    if start + count - 1 > 999:
        raise TopologyRefused("the community has used all 999 unit grid sequence numbers")
    return list(range(start, start + count))
