"""The balance proposal on a small hand-made city: 6 x 4 square unit grids in three responsibility
grids of two columns each, with the cases piled up in the west."""

import networkx as nx
import pytest
import shapely

from gridmap.domain.balance import balance, polsby_popper
from gridmap.domain.plan import Plan, UnitFacts, adjacency
from gridmap.domain.workload import CASES_ONLY, BalanceError, Weights, unit_workloads

#   columns 0-1: grid W (4 cases per unit grid), 2-3: grid M (2 each), 4-5: grid E (1 each)
CELLS = {f"u{c}{r}": shapely.box(c * 100, r * 100, c * 100 + 100, r * 100 + 100) for c in range(6) for r in range(4)}
CASES = {0: 4, 1: 4, 2: 2, 3: 2, 4: 1, 5: 1}


def make_plan(locked=()):
    assignment = {code: "WME"[int(code[1]) // 2] for code in CELLS}
    facts = {code: UnitFacts(10_000.0, 5, CASES[int(code[1])]) for code in CELLS}
    return Plan(assignment, {"W": "西", "M": "中", "E": "东"}, facts, adjacency(list(CELLS), list(CELLS.values())),
                CELLS, set(locked))


def connected(plan, assignment, grid):
    units = [u for u, g in assignment.items() if g == grid]
    graph = nx.Graph()
    graph.add_nodes_from(units)
    graph.add_edges_from((u, v) for u in units for v in plan.neighbours[u] if v in units)
    return units and nx.is_connected(graph)


def test_every_grid_ends_within_the_tolerance_and_connected():
    plan = make_plan()
    proposal = balance(plan, tolerance=0.10, weights=CASES_ONLY)
    rows = {g.code: g for g in proposal.grids}
    assert rows["W"].deviation_before == pytest.approx(32 / (56 / 3) - 1)
    assert proposal.reached, proposal.notes
    assert all(abs(g.deviation_after) <= 0.10 + 1e-9 for g in proposal.grids)
    assert all(connected(plan, proposal.assignment, g) for g in "WME")
    # the moves are exactly the differences, and the plan itself is untouched
    assert proposal.moves == sorted((u, plan.assignment[u], g) for u, g in proposal.assignment.items()
                                    if plan.assignment[u] != g)
    assert not plan.dirty
    assert sum(g.units_in for g in proposal.grids) == sum(g.units_out for g in proposal.grids) == len(proposal.moves)


def test_a_locked_grid_keeps_its_units_and_gets_none():
    plan = make_plan(locked={"M"})
    proposal = balance(plan, tolerance=0.10)
    assert [u for u, g in proposal.assignment.items() if g == "M"] == sorted(plan.members["M"])
    assert not any("M" in (was, to) for _, was, to in proposal.moves)
    # W and E do not touch: with M locked between them nothing can move, and the report says so
    assert proposal.moves == [] and not proposal.reached
    assert "locked" in proposal.notes[0]


def test_keep_locked_leaves_a_locked_grid_out_of_the_mean():
    plan = make_plan(locked={"E"})
    kept = balance(plan, tolerance=0.10, weights=CASES_ONLY, keep_locked=True)
    rows = {g.code: g for g in kept.grids}
    assert not rows["E"].judged and rows["E"].units_after == 8
    assert rows["W"].deviation_before == pytest.approx(32 / 24 - 1)  # the mean of W and M only
    assert kept.reached and all(connected(plan, kept.assignment, g) for g in "WM")


def test_max_moves_caps_the_unit_grids_moved():
    proposal = balance(make_plan(), tolerance=0.10, weights=CASES_ONLY, max_moves=2)
    assert len(proposal.moves) <= 2
    assert not proposal.reached and "limit of 2" in proposal.notes[0]


def test_communities_move_whole():
    plan = make_plan()
    # communities are pairs of unit grids stacked in a column: (row 0, 1) and (row 2, 3)
    communities = {u: f"{u[1]}{int(u[2]) // 2}" for u in CELLS}
    proposal = balance(plan, tolerance=0.10, weights=CASES_ONLY, communities=communities)
    for community in set(communities.values()):
        grids = {proposal.assignment[u] for u, c in communities.items() if c == community}
        assert len(grids) == 1, community
    assert all(connected(plan, proposal.assignment, g) for g in "WME")
    assert proposal.moves and len(proposal.moves) % 2 == 0


def test_compactness_is_reported_from_the_dissolved_grids():
    proposal = balance(make_plan(), tolerance=0.10)
    w = next(g for g in proposal.grids if g.code == "W")
    assert w.polsby_popper_before == pytest.approx(polsby_popper(shapely.box(0, 0, 200, 400)))  # 2 x 4 cells
    assert proposal.summary()["polsby_popper_before"] == pytest.approx(4 * 3.14159265 * 8 / 144, rel=1e-4)


def test_weights_count_each_fact_relative_to_its_mean():
    plan = make_plan()
    cases = unit_workloads(plan, CASES_ONLY)
    assert sum(cases.values()) == pytest.approx(len(CELLS))  # the mean unit grid weighs 1
    assert cases["u00"] == pytest.approx(4 / (56 / 24))
    even = unit_workloads(plan, Weights.parse("components=1,area=1"))
    assert list(even.values()) == pytest.approx([1.0] * len(CELLS))
    assert str(Weights.parse("incidents=2, area=1")) == "incidents=2,area=1"
    # the editor's deviation follows the weights the plan is given
    plan.weights = Weights.parse("components=1")
    assert all(r.deviation == pytest.approx(0) for r in plan.rows())


@pytest.mark.parametrize(("text", "message"), [("cases=1", "unknown weight"), ("incidents=x", "not a number"),
                                           ("incidents=-1", "zero or more"), ("incidents=0", "at least one")])
def test_bad_weights_say_what_is_wrong(text, message):
    with pytest.raises(BalanceError, match=message):
        Weights.parse(text)


def test_a_tolerance_outside_zero_to_one_is_refused():
    with pytest.raises(BalanceError, match="between 0 and 1"):
        balance(make_plan(), tolerance=10)
