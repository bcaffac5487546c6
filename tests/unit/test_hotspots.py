"""Gi* hotspots against a hand-made pattern, and against figures from PySAL's esda."""

import math

import pytest
import shapely

from gridmap.domain.hotspots import COLD, HOT, NOT_SIGNIFICANT, HotspotError, gi_star, hotspots, queen_neighbours

N = 6
#: a 6 x 6 city, id = row * 6 + col from the south-west: a cluster of many cases in the south-west,
#: an empty block in the north-east, a few cases elsewhere
COUNTS = [9, 12, 8, 2, 2, 2, 11, 15, 10, 2, 2, 2, 7, 9, 8, 2, 2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 2, 0, 0, 0, 3, 2, 2, 0,
          0, 0]
#: esda 2.6.0 with libpysal 4.12.1: G_Local(y, lat2W(6, 6, rook=False), transform="B", star=True).Zs
ESDA_Z = [4.355821, 4.897534, 3.116613, 0.556538, -1.001768, -0.791967, 4.674919, 5.508404, 3.496639, 0.622689,
          -1.293277, -1.001768, 2.78269, 3.305042, 1.772269, -0.335294, -1.868067, -1.446999, 0.333923, 0.431092,
          -0.431092, -1.484874, -2.442857, -1.892229, -0.890461, -1.197479, -1.868067, -2.442857, -3.017647,
          -2.337459, -0.659973, -0.890461, -1.446999, -1.892229, -2.337459, -1.847924]
#: and its p_norm, one-sided (ours are two-sided, twice these)
ESDA_P = [7e-06, 0.0, 0.000915, 0.288922, 0.158228, 0.21419, 1e-06, 0.0, 0.000236, 0.266744, 0.097958, 0.158228,
          0.002696, 0.000475, 0.038175, 0.368702, 0.030876, 0.073949, 0.369219, 0.333201, 0.333201, 0.068789,
          0.007286, 0.02923, 0.186609, 0.11556, 0.030876, 0.007286, 0.001274, 0.009708, 0.254636, 0.186609,
          0.073949, 0.02923, 0.009708, 0.032307]


def city():
    codes = [f"u{k:02d}" for k in range(N * N)]
    polygons = [shapely.box(k % N * 100, k // N * 100, k % N * 100 + 100, k // N * 100 + 100) for k in range(N * N)]
    return codes, polygons


def test_queen_neighbours_share_an_edge_or_a_corner():
    codes, polygons = city()
    neighbours = queen_neighbours(codes, polygons)
    assert neighbours["u07"] == {"u00", "u01", "u02", "u06", "u08", "u12", "u13", "u14"}
    assert neighbours["u00"] == {"u01", "u06", "u07"}


def test_gi_star_matches_esda():
    codes, polygons = city()
    neighbours = queen_neighbours(codes, polygons)
    index = {c: k for k, c in enumerate(codes)}
    z, p = gi_star(COUNTS, [[index[o] for o in neighbours[c]] for c in codes])
    assert z.tolist() == pytest.approx(ESDA_Z, abs=1e-6)
    assert p.tolist() == pytest.approx([2 * v for v in ESDA_P], abs=2e-6)


def test_the_cluster_is_hot_and_the_empty_block_cold_or_not_significant():
    codes, polygons = city()
    found = {h.code: h for h in hotspots(dict(zip(codes, COUNTS, strict=True)), queen_neighbours(codes, polygons))}
    cluster = [r * N + c for r in range(3) for c in range(3)]
    assert all(found[f"u{k:02d}"].kind == HOT for k in cluster if k != 14)  # the cluster's inner corner
    assert found["u07"].confidence == 99 and found["u07"].cases == 15
    empty = [r * N + c for r in range(3, 6) for c in range(3, 6)]
    assert all(found[f"u{k:02d}"].kind in (COLD, NOT_SIGNIFICANT) for k in empty)
    assert found["u28"].kind == COLD  # the middle of the empty block
    assert all(h.kind == NOT_SIGNIFICANT for h in found.values() if h.code in ("u03", "u18", "u20"))
    ranked = hotspots(dict(zip(codes, COUNTS, strict=True)), queen_neighbours(codes, polygons))
    assert ranked[0].code == "u07" and ranked[-1].code == "u28"


def test_even_counts_have_no_hotspot():
    codes, polygons = city()
    found = hotspots(dict.fromkeys(codes, 4), queen_neighbours(codes, polygons))
    assert all(h.kind == NOT_SIGNIFICANT and h.z == 0 and math.isclose(h.p, 1) for h in found)


def test_too_few_grids_or_a_bad_level_are_refused():
    with pytest.raises(HotspotError, match="at least 3"):
        hotspots({"a": 1, "b": 2}, {})
    codes, _polygons = city()
    with pytest.raises(HotspotError, match="between 0 and 1"):
        hotspots(dict.fromkeys(codes, 1), {}, alpha=5)
