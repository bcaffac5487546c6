"""Plans of a city of several districts (issue 17): a planner edits and balances one district's plan,
and a unit grid never joins a responsibility grid of another district."""

import pytest

from gridmap.cli import main
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import MoveRefused
from gridmap.store import grids, open_store


@pytest.fixture
def store(small_city):
    with open_store(small_city) as opened:
        yield opened


def test_a_districts_plan_holds_its_own_unit_grids_and_their_workload(store):
    whole = grids.load_plan(store)
    codes = [code for code, _ in grids.districts(store)]
    assert len(codes) == 3
    seen = set()
    for code in codes:
        plan = grids.load_plan(store, district=code)
        assert plan.district == code and plan.assignment
        assert all(u.startswith(code) for u in plan.assignment)
        assert set(plan.members) == set(plan.assignment.values())  # only the grids its unit grids are in
        assert all(plan.facts[u] == whole.facts[u] for u in plan.assignment)
        seen |= set(plan.assignment)
    assert seen == set(whole.assignment)
    with pytest.raises(GridmapError, match="no unit grids in district 150699"):
        grids.load_plan(store, district="150699")


def test_a_unit_grid_never_joins_a_grid_of_another_district(store):
    plan = grids.load_plan(store)
    crossing = [(u, plan.assignment[n]) for u in sorted(plan.assignment) for n in plan.neighbours[u]
                if n[:6] != u[:6]]
    assert crossing, "the districts share a border"
    unit, other = crossing[0]
    assert "stays inside its district" in plan.check(unit, other)
    with pytest.raises(MoveRefused):
        plan.move([unit], other)


def test_balance_needs_a_district_and_keeps_to_it(store, small_city, capsys):
    with pytest.raises(GridmapError, match="3 districts: balance one at a time"):
        grids.propose_balance(store, None)
    assert main(["plan", "balance", str(small_city), "--scenario", "x"]) == 2
    assert "150603 康巴什区" in capsys.readouterr().err
    assert main(["plan", "balance", str(small_city), "--scenario", "东胜", "--district", "150602",
                 "--tolerance", "0.05"]) == 0
    proposal, _draft = grids.propose_balance(store, None, 0.05, district="150602")
    assert proposal.reached and proposal.moves and all(u.startswith("150602") for u, _, _ in proposal.moves)
    assert {g.code for g in proposal.grids} == set(grids.load_plan(store, district="150602").members)
    # the scenario of one district opens on that district's plan, and commits there alone
    plan = grids.load_plan(store, district="150602")
    missing = grids.apply_scenario(plan, grids.load_scenario(store, "东胜"))
    moves = plan.changes()
    assert missing == [] and moves
    before = grids.load_plan(store, district="150603").assignment
    assert grids.commit_plan(store, plan, "balanced") == len(moves)
    assert grids.load_plan(store, district="150603").assignment == before
