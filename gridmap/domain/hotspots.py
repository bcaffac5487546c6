"""Hotspots of cases: the Getis–Ord Gi* statistic per unit grid, and which grids are significantly hot
or cold.

Gi* compares the cases in a unit grid and its neighbours (queen contiguity: sharing an edge or a
corner, the grid itself included) with what the whole area would give that many grids:

    Gi* = (Σj wij·xj − x̄·Wi) / (S·√((n·Σj wij² − Wi²) / (n − 1)))

with binary weights wij (1 for the grid and each neighbour), Wi = Σj wij, x̄ and S the mean and
standard deviation of all n counts (Getis & Ord 1992, Ord & Getis 1995). Gi* is itself a z-score;
the p-value is two-sided from the normal distribution. This is what PySAL's
``esda.G_Local(y, w, transform="B", star=True)`` reports as ``Zs``/``p_norm`` and what ArcGIS's Hot
Spot Analysis computes with a contiguity neighbourhood; implemented here exactly, with numpy, because
esda and libpysal pull in geopandas, pandas, scikit-learn and a numpy 2 that would replace the system
numpy QGIS's GDAL bindings are built against. tests/unit/test_hotspots.py holds figures from esda.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.domain.errors import GridmapError

HOT, COLD, NOT_SIGNIFICANT = "hot", "cold", "not significant"
#: confidence levels shown like ArcGIS's Gi_Bin: the smallest p-value bound a grid passes
CONFIDENCE = ((0.01, 99), (0.05, 95), (0.10, 90))
DEFAULT_ALPHA = 0.05


class HotspotError(GridmapError):
    """The statistic cannot be computed on this input; the message says why."""


@dataclass(frozen=True)
class Hotspot:
    """One unit grid's count, Gi* z-score, p-value, class (hot/cold/not significant) and confidence."""

    code: str
    cases: int
    z: float
    p: float
    kind: str
    confidence: int  # 99, 95, 90, or 0 when p > 0.10


def queen_neighbours(codes, polygons) -> dict[str, set[str]]:
    """Unit grids that share an edge or a corner (queen contiguity), by code."""
    polygons = np.asarray(polygons, dtype=object)
    codes = list(codes)
    out: dict[str, set[str]] = {c: set() for c in codes}
    if not codes:
        return out
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a != b:
            out[codes[a]].add(codes[b])
    return out


def gi_star(values, neighbours: list) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z-scores and two-sided p-values of ``values`` (one per area) with binary weights: area i, and
    the areas ``neighbours[i]`` (indexes). Raises HotspotError with fewer than 3 areas."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        raise HotspotError(f"a hotspot statistic needs at least 3 unit grids, got {n}")
    mean = x.mean()
    s = math.sqrt(max((x ** 2).mean() - mean ** 2, 0.0))
    z = np.zeros(n)
    if s > 0:
        for i, others in enumerate(neighbours):
            members = [i, *(j for j in others if j != i)]
            w = len(members)  # binary weights: Σ wij = Σ wij² = the count
            denominator = s * math.sqrt((n * w - w * w) / (n - 1))
            z[i] = (x[members].sum() - mean * w) / denominator if denominator > 0 else 0.0
    p = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in z])
    return z, p


def confidence(p: float) -> int:
    return next((level for bound, level in CONFIDENCE if p <= bound), 0)


def hotspots(counts: dict[str, int], neighbours: dict[str, set[str]], alpha: float = DEFAULT_ALPHA) -> list[Hotspot]:
    """Gi* for every unit grid of ``counts`` (code → cases, zeros included) with ``neighbours`` (code →
    codes); hot or cold where p ≤ ``alpha``. Sorted by z, hottest first. Raises HotspotError."""
    if not 0 < alpha < 1:
        raise HotspotError(f"the significance level {alpha} must be between 0 and 1 (0.05 is 95%)")
    codes = sorted(counts)
    index = {c: k for k, c in enumerate(codes)}
    z, p = gi_star([counts[c] for c in codes],
                   [[index[o] for o in neighbours.get(c, ()) if o in index] for c in codes])
    out = []
    for k, code in enumerate(codes):
        kind = NOT_SIGNIFICANT if p[k] > alpha or z[k] == 0 else HOT if z[k] > 0 else COLD
        out.append(Hotspot(code, int(counts[code]), float(z[k]), float(p[k]), kind, confidence(float(p[k]))))
    return sorted(out, key=lambda h: (-h.z, h.code))
