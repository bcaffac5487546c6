"""Which unit grid a component or an incident is in.

A point belongs to the unit grid that contains it; a line to the one that
contains the point halfway along it; a polygon to the one that contains a point
on its surface. A point exactly on a shared edge goes to the grid that comes
first in the given order, so the answer is always the same. A point within
EDGE_TOLERANCE_M outside every grid goes to the nearest one: a round trip through
EPSG:4326 (GeoJSON) moves a point on the district boundary by ~1e-9 m, and the
same rule holds for `validate`, imports and re-locating after grid edits.
"""

from __future__ import annotations

import numpy as np
import shapely

EDGE_TOLERANCE_M = 0.001


def representative_points(geoms) -> np.ndarray:
    """Return the deciding point of each geometry (see the module docstring)."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)
    out = geoms.copy()
    lines = (types == 1) | (types == 5)
    polys = (types == 3) | (types == 6)
    if lines.any():
        out[lines] = shapely.line_interpolate_point(geoms[lines], 0.5, normalized=True)
    if polys.any():
        out[polys] = shapely.point_on_surface(geoms[polys])
    return out


class GridLocator:
    """Finds the grid containing each of many points at once (an STRtree query)."""

    def __init__(self, polygons, codes):
        self.polygons = np.asarray(polygons, dtype=object)
        self.codes = np.asarray(codes, dtype=object)
        self.tree = shapely.STRtree(self.polygons)

    def locate(self, geoms) -> np.ndarray:
        """Return the code of the grid each geometry is in, or None where it is in none."""
        points = representative_points(geoms)
        out = np.full(len(points), None, dtype=object)
        if len(points) == 0:
            return out
        geom_idx, grid_idx = self.tree.query(points, predicate="intersects")
        # the first hit of each point in grid order: sort by (point, grid), keep firsts
        order = np.lexsort((grid_idx, geom_idx))
        geom_idx, grid_idx = geom_idx[order], grid_idx[order]
        first = np.ones(len(geom_idx), dtype=bool)
        first[1:] = geom_idx[1:] != geom_idx[:-1]
        out[geom_idx[first]] = self.codes[grid_idx[first]]
        missed = np.flatnonzero(np.array([c is None for c in out], dtype=bool) & ~shapely.is_missing(points))
        if len(missed):
            near_idx, grid_idx = self.tree.query_nearest(points[missed], max_distance=EDGE_TOLERANCE_M)
            # nearest ties: the first grid in the given order, as above
            order = np.lexsort((grid_idx, near_idx))
            near_idx, grid_idx = near_idx[order], grid_idx[order]
            first = np.ones(len(near_idx), dtype=bool)
            first[1:] = near_idx[1:] != near_idx[:-1]
            out[missed[near_idx[first]]] = self.codes[grid_idx[first]]
        return out
