"""Roads and street blocks of the demo city.

The city is drawn in a parameter space where arterial roads are the integer
lines s = i, t = j, and local streets cut each arterial cell into rows and
columns of blocks. One smooth warp maps parameter space to metres, so arterials
curve and no road is a straight lattice line, yet every block edge shared by two
blocks is built from the very same vertices on both sides: the blocks form an
exact coverage (no gaps, no overlaps, matching edges) with no snapping step.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
import shapely

CELL_WIDTH = 640.0  # metres between arterials, west-east
CELL_HEIGHT = 620.0  # metres between arterials, south-north
CENTRE = (412_656.0, 4_408_930.0)  # Dongsheng, 109.98E 39.81N, in EPSG:4546
SAMPLES_PER_CELL = 8  # extra vertices along an arterial cell side, so curves show


@dataclass
class Block:
    """One street block = one unit grid of the demo, in parameter space."""

    cell: tuple[int, int]  # (column i, row j) of the arterial cell = community
    row: int  # row inside the cell, 0 = south
    u0: float
    u1: float
    v0: float
    v1: float
    polygon: shapely.Polygon | None = None


@dataclass
class Road:
    kind: str  # arterial, local, river
    line: shapely.LineString
    name: str | None = None
    box: tuple[float, float, float, float] | None = None  # (s0, t0, s1, t1) in parameter space


@dataclass
class CityGeometry:
    cols: int
    rows: int
    river_row: int | None
    blocks: list[Block]
    roads: list[Road]
    intersections: np.ndarray  # (n, 2) metres
    intersection_arterial: np.ndarray  # bool: both roads arterial
    river_crossings: np.ndarray  # (n, 2) metres
    cell_polygons: dict[tuple[int, int], shapely.Polygon] = field(default_factory=dict)
    origin: tuple[int, int] = (0, 0)  # the first cell (column, row) of a district carved from a city
    intersection_params: np.ndarray | None = None  # (n, 2) parameter-space (s, t) of the intersections


class _Warp:
    """The smooth map from parameter space (s, t) to metres."""

    def __init__(self, cols: int, rows: int, river_row: int | None, rng: np.random.Generator):
        # (cols, rows): the block of cells centred on CENTRE (the first district of a city)
        self.x0 = CENTRE[0] - CELL_WIDTH * cols / 2
        self.y0 = CENTRE[1] - CELL_HEIGHT * rows / 2
        self.phase = rng.uniform(0, 2 * np.pi, 6)
        self.river_row = river_row

    def __call__(self, s: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.phase
        x = (self.x0 + CELL_WIDTH * s
             + 45 * np.sin(0.55 * t + 0.35 * s + p[0])
             + 18 * np.sin(1.3 * t + 0.8 * s + p[1])
             + 30 * t)  # a slight shear: the grid is not north-aligned
        y = (self.y0 + CELL_HEIGHT * t
             + 40 * np.sin(0.45 * s + 0.2 * t + p[2])
             + 22 * np.cos(1.1 * s - 0.5 * t + p[3])
             - 25 * s)
        if self.river_row is not None:
            y = y + 70 * np.sin(0.9 * s + p[4]) * np.exp(-((t - self.river_row) ** 2) / 0.6)
        return x, y


def _cuts(rng: np.random.Generator, start: int, count: int) -> list[float]:
    """Interior cut positions of one cell side, evenly spaced with ±18% jitter."""
    base = (np.arange(1, count) + rng.uniform(-0.18, 0.18, count - 1)) / count
    return [start + float(b) for b in base]


def _arterial_pieces(line: int, length: int, piece: int, present, across: bool) -> list[tuple[float, float]]:
    """(start, end) of the pieces of arterial ``line`` (0..length cells long) that border a present cell,
    cut every ``piece`` cells (at district boundaries); ``across`` for a vertical line (cells (i-1, j), (i, j))."""
    pieces = []
    for start in range(0, length, piece):
        beside = ((line - 1, start), (line, start)) if across else ((start, line - 1), (start, line))
        if present is None or any(cell in present for cell in beside):
            pieces.append((float(start), float(min(start + piece, length))))
    return pieces


def build_geometry(cols: int, rows: int, rng: np.random.Generator, *, present: set | None = None,
                   piece: tuple[int, int] | None = None, anchor: tuple[int, int] | None = None) -> CityGeometry:
    """Draw the city: blocks (unit grids), roads, intersections. Deterministic for ``rng``.

    A city of several districts is one lattice of ``cols`` x ``rows`` arterial cells: ``present`` names
    the cells that are drawn (default all), ``piece`` (columns, rows) cuts the arterials at district
    boundaries so each district's roads are pieces of their own, and ``anchor`` (columns, rows) is the
    block of cells centred on Dongsheng (default the whole lattice). Blocks on both sides of a district
    boundary share its vertices, as inside one district: the city's blocks are one exact coverage.
    """
    river_row = rows // 2 if rows >= 2 else None
    warp = _Warp(*(anchor or (cols, rows)), river_row, rng)
    piece_cols, piece_rows = piece or (cols, rows)
    blocks: list[Block] = []
    roads_param: list[tuple[str, str, float, float, float]] = []  # kind, axis, fixed, a, b
    for i in range(cols):
        for j in range(rows):
            if present is not None and (i, j) not in present:
                continue
            v_cuts = _cuts(rng, j, int(rng.integers(5, 8)))
            u_cuts = _cuts(rng, i, int(rng.integers(5, 8)))
            v_edges = [float(j), *v_cuts, float(j + 1)]
            for v in v_cuts:
                roads_param.append(("local", "h", v, float(i), float(i + 1)))
            for r in range(len(v_edges) - 1):
                # Some local streets stop short: merge neighbouring blocks of a row.
                kept = [u for u in u_cuts if rng.random() > 0.12]
                u_edges = [float(i), *kept, float(i + 1)]
                for u in kept:
                    roads_param.append(("local", "v", u, v_edges[r], v_edges[r + 1]))
                for c in range(len(u_edges) - 1):
                    blocks.append(Block((i, j), r, u_edges[c], u_edges[c + 1], v_edges[r], v_edges[r + 1]))
    for i in range(cols + 1):
        for a, b in _arterial_pieces(i, rows, piece_rows, present, across=True):
            roads_param.append(("arterial", "v", float(i), a, b))
    for j in range(rows + 1):
        kind = "river" if j == river_row else "arterial"
        for a, b in _arterial_pieces(j, cols, piece_cols, present, across=False):
            roads_param.append((kind, "h", float(j), a, b))

    # Every vertex that lies on a line: block corners plus regular samples.
    on_h: dict[float, set[float]] = {}
    on_v: dict[float, set[float]] = {}
    for b in blocks:
        on_h.setdefault(b.v0, set()).update((b.u0, b.u1))
        on_h.setdefault(b.v1, set()).update((b.u0, b.u1))
        on_v.setdefault(b.u0, set()).update((b.v0, b.v1))
        on_v.setdefault(b.u1, set()).update((b.v0, b.v1))
    h_samples = [k / SAMPLES_PER_CELL for k in range(cols * SAMPLES_PER_CELL + 1)]
    v_samples = [k / SAMPLES_PER_CELL for k in range(rows * SAMPLES_PER_CELL + 1)]
    for values in on_h.values():
        values.update(h_samples)
    for values in on_v.values():
        values.update(v_samples)
    sorted_h = {k: sorted(v) for k, v in on_h.items()}
    sorted_v = {k: sorted(v) for k, v in on_v.items()}

    def between(values: list[float], a: float, b: float) -> list[float]:
        lo, hi = min(a, b), max(a, b)
        inner = values[bisect.bisect_right(values, lo): bisect.bisect_left(values, hi)]
        return inner if a < b else inner[::-1]

    # Map each distinct parameter point once, so shared vertices are bit-identical.
    index: dict[tuple[float, float], int] = {}

    def point_id(s: float, t: float) -> int:
        key = (s, t)
        found = index.get(key)
        if found is None:
            found = index[key] = len(index)
        return found

    rings: list[list[int]] = []
    for b in blocks:
        ids = [point_id(b.u0, b.v0)]
        ids += [point_id(u, b.v0) for u in between(sorted_h[b.v0], b.u0, b.u1)]
        ids.append(point_id(b.u1, b.v0))
        ids += [point_id(b.u1, v) for v in between(sorted_v[b.u1], b.v0, b.v1)]
        ids.append(point_id(b.u1, b.v1))
        ids += [point_id(u, b.v1) for u in between(sorted_h[b.v1], b.u1, b.u0)]
        ids.append(point_id(b.u0, b.v1))
        ids += [point_id(b.u0, v) for v in between(sorted_v[b.u0], b.v1, b.v0)]
        rings.append(ids)
    road_ids: list[list[int]] = []
    for _kind, axis, fixed, a, b in roads_param:
        if axis == "h":
            ids = [point_id(a, fixed)] + [point_id(u, fixed) for u in between(sorted_h[fixed], a, b)]
            ids.append(point_id(b, fixed))
        else:
            ids = [point_id(fixed, a)] + [point_id(fixed, v) for v in between(sorted_v[fixed], a, b)]
            ids.append(point_id(fixed, b))
        road_ids.append(ids)

    params = np.array(list(index.keys()), dtype=float)
    xs, ys = warp(params[:, 0], params[:, 1])
    coords = np.column_stack([xs, ys])
    for b, ids in zip(blocks, rings, strict=True):
        b.polygon = shapely.Polygon(coords[ids])
    roads = [Road(kind, shapely.LineString(coords[ids]),
                  box=(fixed, a, fixed, b) if axis == "v" else (a, fixed, b, fixed))
             for (kind, axis, fixed, a, b), ids in zip(roads_param, road_ids, strict=True)]

    # Intersections: every block corner on a road crossing; arterial-arterial ones flagged.
    corner_keys = {(b.u0, b.v0) for b in blocks} | {(b.u1, b.v1) for b in blocks} \
        | {(b.u0, b.v1) for b in blocks} | {(b.u1, b.v0) for b in blocks}
    corner_list = sorted(corner_keys)
    corner_xy = coords[[index[k] for k in corner_list]]
    arterial = np.array([float(s).is_integer() and float(t).is_integer() for s, t in corner_list])
    crossing = np.array([float(s).is_integer() and t == river_row for s, t in corner_list])
    cells = {}
    for b in blocks:
        cells.setdefault(b.cell, []).append(b.polygon)
    cell_polygons = {k: shapely.coverage_union_all(v) for k, v in cells.items()}
    return CityGeometry(cols, rows, river_row, blocks, roads, corner_xy, arterial,
                        corner_xy[crossing], cell_polygons, intersection_params=np.array(corner_list, dtype=float))


def district_part(city: CityGeometry, origin: tuple[int, int], cols: int, rows: int) -> CityGeometry:
    """The district of ``cols`` x ``rows`` cells from cell ``origin`` of ``city``: its blocks (in the
    city's order), the roads inside it or on its boundary, and the intersections on them. Roads and
    intersections on a boundary belong to both neighbours; blocks to one."""
    i0, j0 = origin
    s0, t0, s1, t1 = i0, j0, i0 + cols, j0 + rows

    def inside(s, t):
        return (s >= s0) & (s <= s1) & (t >= t0) & (t <= t1)

    blocks = [b for b in city.blocks if s0 <= b.cell[0] < s1 and t0 <= b.cell[1] < t1]
    roads = [r for r in city.roads if inside(r.box[0], r.box[1]) and inside(r.box[2], r.box[3])]
    params = city.intersection_params
    here = inside(params[:, 0], params[:, 1])
    river = city.river_row
    on_river = params[:, 1] == river if river is not None else np.zeros(len(params), dtype=bool)
    crossing = here & on_river & (params[:, 0] % 1 == 0)  # as build_geometry: arterial meets river
    cells = {k: p for k, p in city.cell_polygons.items() if s0 <= k[0] < s1 and t0 <= k[1] < t1}
    return CityGeometry(cols, rows, river - j0 if river is not None and t0 <= river <= t1 else None, blocks,
                        roads, city.intersections[here], city.intersection_arterial[here],
                        city.intersections[crossing], cells, origin, params[here])
