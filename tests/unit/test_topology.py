"""Boundary edits keep the tiling a coverage, or are refused with the place that would break."""

import pytest
import shapely
from shapely import box

from gridmap.domain.topology import (
    TopologyRefused,
    check_edit,
    match_vertices,
    merge,
    move_vertex,
    next_sequences,
    split,
)

# a 2 x 2 block of unit grids in one community
GRIDS = {"a": box(0, 0, 100, 100), "b": box(100, 0, 200, 100), "c": box(0, 100, 100, 200), "d": box(100, 100, 200, 200)}
COMMUNITY = {"k": box(0, 0, 200, 200)}


def community_of(keys):
    return dict.fromkeys(keys, "k")


def test_moving_the_shared_middle_vertex_moves_it_in_all_four():
    changed = move_vertex(GRIDS, (100, 100), (120, 90))
    assert set(changed) == {"a", "b", "c", "d"}
    assert shapely.coverage_is_valid(list(changed.values()))
    check_edit(GRIDS, changed, {}, COMMUNITY, community_of(changed))


def test_a_vertex_on_the_outer_boundary_cannot_leave_the_area():
    changed = move_vertex(GRIDS, (100, 0), (100, -30))
    with pytest.raises(TopologyRefused, match="beyond") as info:
        check_edit({k: GRIDS[k] for k in changed}, changed, {"c": GRIDS["c"], "d": GRIDS["d"]}, COMMUNITY,
                   community_of(changed))
    assert info.value.edges is not None


def test_a_fold_over_is_refused():
    # drag the middle vertex across the far corner: polygons would overlap / be invalid
    changed = move_vertex(GRIDS, (100, 100), (250, 250))
    with pytest.raises(TopologyRefused):
        check_edit(GRIDS, changed, {}, COMMUNITY, community_of(changed))


def test_no_vertex_there():
    with pytest.raises(TopologyRefused, match="no unit grid has a vertex"):
        move_vertex(GRIDS, (55, 55), (60, 60))


def test_a_grid_may_not_cross_its_community():
    communities = {"k": box(0, 0, 200, 100), "m": box(0, 100, 200, 200)}
    changed = move_vertex(GRIDS, (100, 100), (100, 130))
    of = {"a": "k", "b": "k", "c": "m", "d": "m"}
    with pytest.raises(TopologyRefused, match="cross the boundary of community"):
        check_edit(GRIDS, changed, {}, communities, of)


def test_split_then_match_vertices_keeps_the_coverage():
    pieces = split(GRIDS["a"], shapely.LineString([(50, -10), (50, 110)]))
    assert len(pieces) == 2 and sum(p.area for p in pieces) == pytest.approx(10_000)
    # the neighbour above (c) lacks the new vertex (50, 100): unmatched until inserted
    others = {"b": GRIDS["b"], "c": GRIDS["c"], "d": GRIDS["d"]}
    assert not shapely.coverage_is_valid([*pieces, *others.values()])
    fixed = match_vertices({"p0": pieces[0], "p1": pieces[1], **others})
    assert shapely.coverage_is_valid(list(fixed.values()))
    assert (50.0, 100.0) in list(fixed["c"].exterior.coords)


def test_a_line_that_does_not_cross_is_refused():
    with pytest.raises(TopologyRefused, match="cross"):
        split(GRIDS["a"], shapely.LineString([(10, 10), (60, 60)]))


def test_merge_needs_neighbours():
    assert merge([GRIDS["a"], GRIDS["b"]]).area == pytest.approx(20_000)
    with pytest.raises(TopologyRefused, match="share an edge"):
        merge([GRIDS["a"], GRIDS["d"]])


def test_codes_are_never_reused():
    assert next_sequences({1, 2, 7}, 2) == [8, 9]
    assert next_sequences(set(), 1) == [1]
    with pytest.raises(TopologyRefused, match="999"):
        next_sequences({998}, 2)
