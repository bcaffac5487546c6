"""Two planners at once (issue 14), on a file and on PostGIS: a plan is committed against the version it
started from; when another planner committed in between, the commit is refused and writes nothing, and
the draft can be rebased (the moves that still apply) or kept as a scenario."""

import pytest

from gridmap.store import grids, open_store
from gridmap.store.migrate import migrate


@pytest.fixture(params=["file", "postgis"])
def location(request, small_demo):
    if request.param == "file":
        return small_demo
    uri = request.getfixturevalue("pg_uri")
    migrate(small_demo, uri)
    return uri


def moves(plan, count):
    """``count`` allowed moves of unit grids that are not neighbours of each other: (unit, target)."""
    found, near = [], set()
    for unit in sorted(plan.assignment):
        if unit in near:
            continue
        target = next((plan.assignment[n] for n in sorted(plan.neighbours[unit])
                       if plan.assignment[n] != plan.assignment[unit] and plan.check(unit, plan.assignment[n]) is None),
                      None)
        if target is not None:
            found.append((unit, target))
            near |= plan.neighbours[unit] | {unit}
            for other in plan.neighbours[unit]:
                near |= plan.neighbours[other]
        if len(found) == count:
            return found
    raise AssertionError("the demo has no such moves")


def state(store):
    return (store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0],
            store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_the_second_planner_is_refused_then_rebases(location):
    with open_store(location) as first, open_store(location) as second:
        draft_a, draft_b = grids.load_plan(first), grids.load_plan(second)
        (unit_a, to_a), (unit_b, to_b) = moves(draft_a, 2)
        draft_a.move([unit_a], to_a)
        draft_b.move([unit_b], to_b)  # another part of the city: no unit grid in common
        assert grids.commit_plan(first, draft_a, note="A") == 1
        before = state(second)
        with pytest.raises(grids.PlanOutdatedError, match="since this draft began") as refused:
            grids.commit_plan(second, draft_b, note="B")
        assert [c["action"] for c in refused.value.commits] == ["plan.commit"]
        assert state(second) == before  # nothing written
        rebased, applied, dropped = grids.rebase_plan(second, draft_b)
        assert applied == [unit_b] and dropped == []
        assert rebased.assignment[unit_a] == to_a  # the first planner's move is kept
        assert grids.commit_plan(second, rebased, note="B rebased") == 1
        current = grids.current_assignment(second)
        assert current[unit_a] == to_a and current[unit_b] == to_b


def test_a_move_that_no_longer_applies_is_left_out_and_the_draft_can_be_kept(location):
    with open_store(location) as first, open_store(location) as second:
        draft_a, draft_b = grids.load_plan(first), grids.load_plan(second)
        (unit, target), = moves(draft_a, 1)
        draft_a.move([unit], target)
        draft_b.move([unit], target)
        grids.commit_plan(first, draft_a)
        other_target = next(g for g in draft_b.members if g not in (target, draft_b.base[unit]))
        draft_c = grids.load_plan(first)
        with pytest.raises(grids.PlanOutdatedError):
            grids.commit_plan(second, draft_b)
        rebased, applied, dropped = grids.rebase_plan(second, draft_b)
        assert applied == [] and dropped == []  # the same move was made by the other planner
        assert not rebased.dirty
        # a draft that cannot be rebased is kept as a scenario, whatever happened meanwhile
        grids.save_scenario(second, "B, before the conflict", draft_b)
        assert any(s["name"] == "B, before the conflict" for s in grids.list_scenarios(second))
        assert other_target and draft_c.store_version == draft_a.store_version
