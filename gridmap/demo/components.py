"""Components of the demo city, placed the way a city has them.

Each class has a placement rule (data/demo/component_mix.csv): manhole covers
in the carriageway, lamps and trees at regular spacing along the kerb, signs and
bins at corners, kiosks and transformers inside blocks, green spaces and
parking lots as polygons inside blocks, guard rails and fences as lines.
Everything is vectorized with shapely 2, so 105,000 components take seconds.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.ops

from gridmap.demo.geometry import CityGeometry
from gridmap.domain.assignment import representative_points
from gridmap.paths import DATA_DIR

COMPONENT_MIX_CSV = DATA_DIR / "demo" / "component_mix.csv"
FULL_COMPONENTS = 105_000

# metres from the centre line: (local street, arterial)
_OFFSETS = {
    "carriageway": ((1.5, 3.5), (3.0, 9.0)),
    "roadside": ((6.5, 9.0), (13.0, 17.0)),
    "lamp": ((6.0, 7.0), (12.5, 13.5)),
    "tree": ((4.5, 5.5), (10.5, 11.5)),
    "bin": ((6.5, 8.0), (13.0, 15.0)),
    "arterial_side": ((13.0, 17.0), (13.0, 17.0)),
    "arterial_center": ((2.0, 4.0), (2.0, 4.0)),
    "river_side": ((18.0, 30.0), (18.0, 30.0)),
}


@dataclass
class MixRow:
    code: str
    weight: float
    placement: str
    competent: str
    owner: str
    maintainer: str


@dataclass
class PlacedComponents:
    """Components of one geometry kind, in placement order."""

    class_codes: np.ndarray  # str
    geometries: np.ndarray  # shapely geometries
    competent: np.ndarray
    owner: np.ndarray
    maintainer: np.ndarray


def read_mix(path=COMPONENT_MIX_CSV) -> list[MixRow]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [MixRow(r["code"], float(r["weight"]), r["placement"], r["competent"], r["owner"],
                       r["maintainer"]) for r in rows]


def class_counts(mix: list[MixRow], total: int) -> dict[str, int]:
    """Counts per class that sum exactly to ``total`` (largest remainder), at least 1 each."""
    weights = np.array([m.weight for m in mix])
    raw = weights / weights.sum() * total
    counts = np.maximum(np.floor(raw).astype(int), 1)
    order = np.argsort(-(raw - np.floor(raw)))
    k = 0
    while counts.sum() < total:
        counts[order[k % len(order)]] += 1
        k += 1
    while counts.sum() > total:
        j = int(np.argmax(counts))
        counts[j] -= 1
    return {m.code: int(c) for m, c in zip(mix, counts, strict=True)}


class _Roads:
    """The road network flattened for sampling points at distances along it."""

    def __init__(self, lines: list[shapely.LineString], arterial: np.ndarray):
        self.lines = np.array(lines, dtype=object)
        self.arterial = arterial
        self.lengths = shapely.length(self.lines)
        self.cum = np.concatenate([[0.0], np.cumsum(self.lengths)])

    @property
    def total(self) -> float:
        return float(self.cum[-1])

    def at(self, distances: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (index of road, point on centre line (n, 2), unit normal (n, 2))."""
        idx = np.clip(np.searchsorted(self.cum, distances, side="right") - 1, 0, len(self.lines) - 1)
        local = np.clip(distances - self.cum[idx], 0.5, self.lengths[idx] - 0.5)
        lines = self.lines[idx]
        here = shapely.get_coordinates(shapely.line_interpolate_point(lines, local))
        ahead = shapely.get_coordinates(shapely.line_interpolate_point(lines, local + 0.5))
        behind = shapely.get_coordinates(shapely.line_interpolate_point(lines, local - 0.5))
        tangent = ahead - behind
        tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
        normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
        return idx, here, normal


def place_components(geometry: CityGeometry, total: int, rng: np.random.Generator,
                     mix: list[MixRow] | None = None) -> dict[str, PlacedComponents]:
    """Place ``total`` components over the city; returns them by geometry kind.

    Every point lies strictly inside the district (points that an offset pushed
    outside are mirrored back across their road).
    """
    mix = mix or read_mix()
    counts = class_counts(mix, total)
    district = shapely.coverage_union_all([b.polygon for b in geometry.blocks])
    shapely.prepare(district)
    streets = [r for r in geometry.roads if r.kind != "river"]
    roads_all = _Roads([r.line for r in streets], np.array([r.kind == "arterial" for r in streets]))
    art = [r for r in streets if r.kind == "arterial"]
    roads_art = _Roads([r.line for r in art], np.ones(len(art), dtype=bool))
    river = [r.line for r in geometry.roads if r.kind == "river"]
    roads_river = _Roads(river, np.zeros(len(river), dtype=bool)) if river else roads_art
    blocks = np.array([b.polygon for b in geometry.blocks], dtype=object)
    block_area = shapely.area(blocks)
    inner = shapely.buffer(blocks, -12.0, join_style="mitre")
    inner = np.where(shapely.is_empty(inner), blocks, inner)

    out: dict[str, list] = {"point": [], "line": [], "polygon": []}

    def keep_inside(points: np.ndarray, centre: np.ndarray) -> np.ndarray:
        outside = ~shapely.contains_xy(district, points[:, 0], points[:, 1])
        points[outside] = 2 * centre[outside] - points[outside]
        return points

    def along(roads: _Roads, n: int, placement: str, regular: bool) -> np.ndarray:
        if regular:
            step = roads.total / n
            distances = (np.arange(n) + 0.5) * step + rng.uniform(-0.1, 0.1, n) * step
        else:
            distances = rng.uniform(0, roads.total, n)
        idx, centre, normal = roads.at(distances)
        (lo_l, hi_l), (lo_a, hi_a) = _OFFSETS[placement]
        lo = np.where(roads.arterial[idx], lo_a, lo_l)
        hi = np.where(roads.arterial[idx], hi_a, hi_l)
        side = rng.choice([-1.0, 1.0], n)
        points = centre + normal * (rng.uniform(0, 1, n) * (hi - lo) + lo)[:, None] * side[:, None]
        return keep_inside(points, centre)

    def at_corners(n: int, arterial_only: bool) -> np.ndarray:
        pool = geometry.intersections[geometry.intersection_arterial] if arterial_only \
            else geometry.intersections
        centre = pool[rng.integers(0, len(pool), n)]
        angle = rng.choice([0.25, 0.75, 1.25, 1.75], n) * np.pi + rng.uniform(-0.3, 0.3, n)
        radius = rng.uniform(8.0, 16.0, n) * (1.8 if arterial_only else 1.0)
        points = centre + np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None]
        return keep_inside(points, centre)

    def in_blocks(n: int) -> tuple[np.ndarray, np.ndarray]:
        chosen = rng.choice(len(blocks), n, p=block_area / block_area.sum())
        points = np.empty((n, 2))
        todo = np.arange(n)
        while todo.size:
            bounds = shapely.bounds(inner[chosen[todo]])
            xy = bounds[:, :2] + rng.uniform(0, 1, (todo.size, 2)) * (bounds[:, 2:] - bounds[:, :2])
            ok = shapely.contains_xy(inner[chosen[todo]], xy[:, 0], xy[:, 1])
            points[todo[ok]] = xy[ok]
            todo = todo[~ok]
        return points, chosen

    for m in mix:
        n = counts[m.code]
        p = m.placement
        geoms = None
        if p in ("carriageway", "roadside", "bin"):
            geoms = shapely.points(along(roads_all, n, p, regular=False))
        elif p in ("lamp", "tree"):
            geoms = shapely.points(along(roads_all, n, p, regular=True))
        elif p in ("arterial_side", "arterial_center"):
            geoms = shapely.points(along(roads_art, n, p, regular=False))
        elif p == "river_side":
            geoms = shapely.points(along(roads_river, n, p, regular=False))
        elif p in ("corner", "arterial_corner"):
            geoms = shapely.points(at_corners(n, p == "arterial_corner"))
        elif p == "river_crossing":
            pool = geometry.river_crossings if len(geometry.river_crossings) else geometry.intersections
            centre = pool[rng.integers(0, len(pool), n)]
            geoms = shapely.points(centre + rng.uniform(-25, 25, (n, 2)))
        elif p == "block":
            geoms = shapely.points(in_blocks(n)[0])
        elif p == "block_polygon":
            geoms = _block_polygons(n, in_blocks(n), inner, m.code, rng)
        elif p == "block_line":
            geoms = _block_lines(n, in_blocks(n)[1], inner, rng)
        elif p in ("arterial_line", "river_line"):
            geoms = _road_lines(n, roads_art if p == "arterial_line" else roads_river, rng,
                                offset=11.0 if p == "arterial_line" else 20.0)
        else:
            raise ValueError(f"{COMPONENT_MIX_CSV}: unknown placement {p!r} for class {m.code}")
        geoms = np.asarray(geoms, dtype=object)
        # An offset off a boundary road can leave the district: re-place those inside a block.
        lost = ~shapely.contains(district, representative_points(geoms))
        if lost.any():
            k = int(lost.sum())
            if geoms[0].geom_type == "Point":
                geoms[lost] = shapely.points(in_blocks(k)[0])
            elif geoms[0].geom_type == "LineString":
                geoms[lost] = _block_lines(k, in_blocks(k)[1], inner, rng)
            else:
                geoms[lost] = _block_polygons(k, in_blocks(k), inner, m.code, rng)
        kind = {"Point": "point", "LineString": "line", "Polygon": "polygon"}[geoms[0].geom_type]
        out[kind].append((m, geoms))

    result = {}
    for kind, parts in out.items():
        if not parts:
            continue
        result[kind] = PlacedComponents(
            np.concatenate([np.full(len(g), m.code) for m, g in parts]),
            np.concatenate([g for _, g in parts]),
            np.concatenate([np.full(len(g), m.competent) for m, g in parts]),
            np.concatenate([np.full(len(g), m.owner) for m, g in parts]),
            np.concatenate([np.full(len(g), m.maintainer) for m, g in parts]),
        )
    return result


def _block_polygons(n, placed, inner, code, rng) -> np.ndarray:
    """Rectangles inside blocks (green spaces, parking lots, sites), clipped to the block."""
    centres, chosen = placed
    size = {"0405": (25, 70), "0201": (30, 60), "0602": (50, 110), "2105": (20, 40)}.get(code, (20, 50))
    w = rng.uniform(*size, n)
    h = w * rng.uniform(0.5, 1.0, n)
    boxes = shapely.box(centres[:, 0] - w / 2, centres[:, 1] - h / 2, centres[:, 0] + w / 2, centres[:, 1] + h / 2)
    clipped = shapely.intersection(boxes, inner[chosen])
    polygons = []
    for k, piece in enumerate(clipped):
        shape = max(piece.geoms, key=lambda p: p.area) if piece.geom_type == "MultiPolygon" else piece
        if shape.geom_type != "Polygon" or shape.area < 50:
            shape = shapely.Point(centres[k]).buffer(6.0, quad_segs=4)
        polygons.append(shape)
    return np.array(polygons, dtype=object)


def _block_lines(n, chosen, inner, rng) -> np.ndarray:
    """Fences and walls: stretches of a block's inner edge."""
    rings = shapely.get_exterior_ring(np.array([g if g.geom_type == "Polygon" else max(g.geoms, key=lambda p: p.area)
                                    for g in inner[chosen]], dtype=object))
    lengths = shapely.length(rings)
    start = rng.uniform(0, 1, n) * lengths
    span = np.minimum(rng.uniform(30, 120, n), lengths * 0.4)
    return np.array([shapely.ops.substring(r, s, min(s + d, lr - 0.01))
                     for r, s, d, lr in zip(rings, start, span, lengths, strict=True)], dtype=object)


def _road_lines(n, roads: _Roads, rng, offset: float) -> np.ndarray:
    """Guard rails along arterials and flood walls along the river, beside the road."""
    idx = rng.choice(len(roads.lines), n, p=roads.lengths / roads.total)
    span = rng.uniform(60, 200, n)
    start = rng.uniform(0, 1, n) * np.maximum(roads.lengths[idx] - span, 1.0)
    side = rng.choice([-1.0, 1.0], n)
    lines = []
    for k in range(n):
        line = roads.lines[idx[k]]
        piece = shapely.ops.substring(line, start[k], min(start[k] + span[k], line.length))
        moved = shapely.offset_curve(piece, offset * side[k])
        if moved.geom_type != "LineString" or moved.is_empty:
            moved = piece
        lines.append(moved)
    return np.array(lines, dtype=object)
