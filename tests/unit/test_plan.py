"""The planning rules of responsibility grids, on a small synthetic city of 4 x 3 square unit grids."""

import pytest
import shapely

from gridmap.domain.plan import MoveRefused, Plan, UnitFacts, adjacency
from gridmap.domain.workload import Weights, unit_workloads

#   row 2:  c0 c1 c2 c3       grid A = columns 0-1, grid B = columns 2-3 (rows 0-2)
#   row 1:  b0 b1 b2 b3       grid C = row 0 of columns 0-1
#   row 0:  a0 a1 a2 a3
CELLS = {f"{'abc'[r]}{c}": shapely.box(c * 100, r * 100, c * 100 + 100, r * 100 + 100)
         for r in range(3) for c in range(4)}


def make_plan(locked=()):
    assignment = {}
    for code in CELLS:
        row, col = "abc".index(code[0]), int(code[1])
        assignment[code] = "C" if row == 0 and col < 2 else ("A" if col < 2 else "B")
    facts = {code: UnitFacts(10_000.0, 10 + int(code[1]), 2 if code[0] == "c" else 1) for code in CELLS}
    return Plan(assignment, {"A": "甲", "B": "乙", "C": "丙"}, facts,
                adjacency(list(CELLS), list(CELLS.values())), CELLS, set(locked))


def test_adjacency_needs_a_shared_edge_not_a_corner():
    neighbours = adjacency(list(CELLS), list(CELLS.values()))
    assert neighbours["b1"] == {"a1", "c1", "b0", "b2"}
    assert "b2" not in neighbours["a1"]  # corner only


def test_a_move_updates_members_and_totals():
    plan = make_plan()
    before = {r.code: r for r in plan.rows()}
    move = plan.move(["b2"], "A")
    after = {r.code: r for r in plan.rows()}
    assert plan.assignment["b2"] == "A" and move.units == (("b2", "B"),)
    assert after["A"].units == before["A"].units + 1 and after["B"].units == before["B"].units - 1
    assert after["A"].components == before["A"].components + 12
    assert plan.dirty and plan.changes() == [("b2", "B", "A")]


def test_undo_and_redo_restore_the_plan():
    plan = make_plan()
    move = plan.move(["b2", "c2"], "A")
    plan.undo(move)
    assert not plan.dirty and plan.totals["A"].units == 4
    plan.redo(move)
    assert plan.assignment["c2"] == "A" and plan.totals["B"].units == 4


@pytest.mark.parametrize(("unit", "target", "reason"), [
    ("a3", "A", "does not touch"),           # A is columns 0-1 of rows 1-2: a3 is far away
    ("b3", "A", "does not touch"),
    ("a0", "B", "does not touch"),
])
def test_moves_that_would_split_a_grid_are_refused(unit, target, reason):
    plan = make_plan()
    with pytest.raises(MoveRefused, match=reason):
        plan.move([unit], target)
    assert not plan.dirty


def test_taking_the_middle_out_of_a_grid_is_refused():
    plan = make_plan()
    plan.move(["b2"], "A")
    # B is now a2 a3 / b3 / c2 c3: without b3 its bottom row and top row would be apart
    with pytest.raises(MoveRefused, match="would split 乙"):
        plan.move(["b3"], "A")


def test_a_grid_may_not_lose_its_last_unit():
    plan = make_plan()
    plan.move(["a1"], "A")
    with pytest.raises(MoveRefused, match="last unit grid"):
        plan.move(["a0"], "A")


def test_locked_grids_neither_gain_nor_lose():
    plan = make_plan(locked={"B"})
    with pytest.raises(MoveRefused, match="locked"):
        plan.move(["b2"], "A")
    with pytest.raises(MoveRefused, match="locked"):
        plan.move(["b1"], "B")
    plan.set_locked("B", False)
    plan.move(["b2"], "A")


def test_a_refused_unit_in_a_batch_undoes_the_whole_batch():
    plan = make_plan()
    with pytest.raises(MoveRefused):
        plan.move(["b2", "a3"], "A")
    assert not plan.dirty


def test_workload_deviation_is_flagged_outside_the_tolerance():
    plan = make_plan()
    plan.weights = Weights.parse("incidents=1")
    rows = {r.code: r for r in plan.rows(tolerance=0.15)}
    # incidents (row c counts 2, the others 1): A = 6, B = 8, C = 2; mean 5.33
    mean = sum(r.incidents for r in rows.values()) / 3
    assert rows["C"].deviation == pytest.approx((rows["C"].incidents - mean) / mean)
    assert rows["C"].flagged
    assert not make_plan().rows(tolerance=10.0)[0].flagged


def test_the_default_workload_weighs_cases_components_and_area_alike():
    plan = make_plan()
    rows = {r.code: r for r in plan.rows()}
    units = len(plan.assignment)
    means = {key: sum(getattr(r, key) for r in rows.values()) / units for key in ("incidents", "components", "area_m2")}
    load = {g: sum(getattr(r, key) / means[key] for key in means) / 3 for g, r in rows.items()}
    mean = sum(load.values()) / len(load)
    for grid, row in rows.items():
        assert row.deviation == pytest.approx((load[grid] - mean) / mean)
    # the same as the sum of the unit grids' workloads the balance uses
    per_unit = unit_workloads(plan)
    for grid, members in plan.members.items():
        assert sum(per_unit[u] for u in members) == pytest.approx(load[grid])


def test_dissolve_is_the_union_of_the_members():
    plan = make_plan()
    plan.move(["b2"], "A")
    assert plan.dissolve("A").area == pytest.approx(50_000)
    assert plan.dissolve("A").geom_type == "Polygon"


def test_a_unit_grid_never_joins_a_grid_of_another_district():
    # two districts side by side, one grid each; the border runs between columns 1 and 2
    cells = {f"15060{3 if c >= 2 else 2}001001{c}{r:02d}": shapely.box(c * 100, r * 100, c * 100 + 100, r * 100 + 100)
             for c in range(4) for r in range(2)}
    assignment = {u: ("150603Z001" if u.startswith("150603") else "150602Z001") for u in cells}
    plan = Plan(assignment, {"150602Z001": "东胜1", "150603Z001": "康巴什1"},
                {u: UnitFacts(10_000.0, 1, 1) for u in cells}, adjacency(list(cells), list(cells.values())), cells)
    border = next(u for u in cells if u.startswith("150602") and cells[u].bounds[2] == 200)
    assert "stays inside its district" in plan.check(border, "150603Z001")
    with pytest.raises(MoveRefused):
        plan.move([border], "150603Z001")
    # a plan of one district holds its own unit grids only, and says so
    plan.district = "150602"
    assert plan.covers(border) and not plan.covers("150603001001200")
