"""Checks that unit grids tile the managed area: a valid coverage with no gaps.

Built on shapely 2's coverage functions (GEOS CoverageValidator): polygons must
not overlap and must share edges exactly (the same vertices on both sides).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

#: gaps and overlaps smaller than this (m²) are rounding, not a planner's mistake
AREA_TOLERANCE_M2 = 1.0


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a store, with where it is."""

    kind: str  # short key, e.g. 'coverage.gap'
    table: str
    code: str | None
    message: str
    x: float | None = None
    y: float | None = None

    def __str__(self) -> str:
        where = f" at ({self.x:.1f}, {self.y:.1f})" if self.x is not None else ""
        row = f" {self.code}" if self.code else ""
        return f"[{self.kind}] {self.table}{row}: {self.message}{where}"


def _at(geom) -> tuple[float, float]:
    p = shapely.point_on_surface(geom) if geom.geom_type.endswith("Polygon") else shapely.centroid(geom)
    return float(p.x), float(p.y)


def check_coverage(polygons, codes, *, area=None, table: str = "unit_grid",
                   gap_width: float = 0.5) -> list[Problem]:
    """Check that ``polygons`` form a gap-free coverage of ``area``.

    Returns a list of problems: invalid polygons, edges that overlap or do not
    match a neighbour's (with narrow gaps up to ``gap_width`` metres), gaps
    between the polygons and ``area``, and parts lying outside ``area``.
    """
    polygons = np.asarray(polygons, dtype=object)
    problems: list[Problem] = []
    if len(polygons) == 0:
        return problems
    valid = shapely.is_valid(polygons)
    for k in np.flatnonzero(~valid):
        reason = shapely.is_valid_reason(polygons[k])
        problems.append(Problem("geometry.invalid", table, codes[k], f"invalid polygon: {reason}",
                                *_at(polygons[k].buffer(0) if not polygons[k].is_empty else polygons[k])))
    good = polygons[valid]
    good_codes = np.asarray(codes, dtype=object)[valid]
    if not shapely.coverage_is_valid(good, gap_width=gap_width):
        edges = shapely.coverage_invalid_edges(good, gap_width=gap_width)
        for k in np.flatnonzero(~shapely.is_empty(edges)):
            length = shapely.length(edges[k])
            problems.append(Problem(
                "coverage.edge", table, good_codes[k],
                f"{length:.1f} m of edges overlap a neighbour or do not match its vertices",
                *_at(edges[k])))
        union = shapely.union_all(good)
    else:
        union = shapely.coverage_union_all(good)
    if area is not None:
        for kind, rest, text in (("coverage.gap", shapely.difference(area, union), "gap: area not covered by any grid"),
                                 ("coverage.outside", shapely.difference(union, area), "grids reach outside the area")):
            for part in shapely.get_parts(rest):
                if part.area > AREA_TOLERANCE_M2:
                    problems.append(Problem(kind, table, None, f"{text} ({part.area:.1f} m²)", *_at(part)))
    else:
        for part in shapely.get_parts(union):
            for ring in getattr(part, "interiors", []):
                hole = shapely.Polygon(ring)
                if hole.area > AREA_TOLERANCE_M2:
                    problems.append(Problem("coverage.gap", table, None,
                                            f"gap: hole of {hole.area:.1f} m² not covered by any grid", *_at(hole)))
    return problems


def check_nesting(children, child_codes, parent_of_child, parents: dict, *, table: str,
                  parent_table: str) -> list[Problem]:
    """Check that every child polygon lies inside its parent (e.g. unit grid in community).

    ``parent_of_child`` holds each child's parent code; ``parents`` maps parent
    code to polygon. Returns a problem per child that crosses its parent's boundary
    by more than the area tolerance, or whose parent is unknown.
    """
    problems = []
    children = np.asarray(children, dtype=object)
    known = np.array([p in parents for p in parent_of_child], dtype=bool)
    for k in np.flatnonzero(~known):
        problems.append(Problem("orphan", table, child_codes[k],
                                f"{parent_table} {parent_of_child[k]!r} does not exist", *_at(children[k])))
    idx = np.flatnonzero(known)
    if idx.size:
        parent_geoms = np.array([parents[parent_of_child[k]] for k in idx], dtype=object)
        outside = shapely.area(shapely.difference(children[idx], parent_geoms))
        for k, spill in zip(idx, outside, strict=True):
            if spill > AREA_TOLERANCE_M2:
                problems.append(Problem(
                    "nesting.crosses", table, child_codes[k],
                    f"crosses the boundary of {parent_table} {parent_of_child[k]} ({spill:.1f} m² outside it)",
                    *_at(children[k])))
    return problems
