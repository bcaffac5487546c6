import shapely
from shapely import box

from gridmap.domain.assignment import GridLocator, representative_points
from gridmap.domain.coverage import check_coverage, check_nesting

AREA = box(0, 0, 200, 100)


def kinds(problems):
    return sorted({p.kind for p in problems})


def test_a_clean_tiling_has_no_problems():
    assert check_coverage([box(0, 0, 100, 100), box(100, 0, 200, 100)], ["a", "b"], area=AREA) == []


def test_an_overlap_is_reported_on_the_grids_involved():
    problems = check_coverage([box(0, 0, 110, 100), box(100, 0, 200, 100)], ["a", "b"], area=AREA)
    assert "coverage.edge" in kinds(problems)
    assert {p.code for p in problems if p.kind == "coverage.edge"} == {"a", "b"}


def test_a_gap_is_reported_with_its_area_and_place():
    problems = check_coverage([box(0, 0, 90, 100), box(100, 0, 200, 100)], ["a", "b"], area=AREA)
    gap = [p for p in problems if p.kind == "coverage.gap"]
    assert len(gap) == 1 and "1000.0 m²" in gap[0].message
    assert 90 < gap[0].x < 100


def test_a_vertex_missing_on_one_side_is_an_unmatched_edge():
    # b has a vertex at (100, 50) that a lacks: the edges do not match exactly
    a = box(0, 0, 100, 100)
    b = shapely.Polygon([(100, 0), (200, 0), (200, 100), (100, 100), (100, 50)])
    assert "coverage.edge" in kinds(check_coverage([a, b], ["a", "b"], area=AREA))


def test_invalid_polygons_and_outside_parts():
    bowtie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    problems = check_coverage([bowtie, box(100, 0, 210, 100)], ["a", "b"], area=AREA)
    assert "geometry.invalid" in kinds(problems) and "coverage.outside" in kinds(problems)


def test_holes_count_as_gaps_without_an_area():
    ring = box(0, 0, 300, 300).difference(box(100, 100, 200, 200))
    assert kinds(check_coverage([ring], ["r"])) == ["coverage.gap"]


def test_nesting_reports_children_crossing_their_parent():
    parents = {"p": box(0, 0, 100, 100)}
    problems = check_nesting([box(10, 10, 20, 20), box(90, 0, 120, 10), box(0, 0, 1, 1)], ["in", "out", "lost"],
                             ["p", "p", "q"], parents, table="unit_grid", parent_table="community")
    assert [(p.kind, p.code) for p in problems] == [("orphan", "lost"), ("nesting.crosses", "out")]


def test_representative_points_and_locator():
    line = shapely.LineString([(10, 10), (190, 10)])
    poly = box(120, 20, 180, 80)
    reps = representative_points([shapely.Point(5, 5), line, poly])
    assert reps[1].equals(shapely.Point(100, 10))
    locator = GridLocator([box(0, 0, 100, 100), box(100, 0, 200, 100)], ["a", "b"])
    # the line's midpoint (100, 10) lies on the shared edge: the first grid wins, every time
    assert list(locator.locate([shapely.Point(5, 5), line, poly, shapely.Point(500, 5)])) == ["a", "a", "b", None]
