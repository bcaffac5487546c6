"""The balance proposal on the full demo (issue 16): 2,804 unit grids, 42 responsibility grids far out
of balance. Every grid ends within ±10%, connected, locks kept, in well under a minute."""

import time

import pytest

from gridmap.domain.balance import balance
from gridmap.domain.plan import check_batch
from gridmap.domain.workload import Weights
from gridmap.store import grids, open_store

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def plan(full_demo_file):
    with open_store(full_demo_file) as store:
        return grids.load_plan(store)


@pytest.mark.parametrize("weights", [None, "incidents=1"])
def test_every_grid_within_ten_percent_and_connected(plan, weights):
    start = time.perf_counter()
    proposal = balance(plan, 0.10, Weights.parse(weights) if weights else None)
    assert time.perf_counter() - start < 60
    assert proposal.reached and len(proposal.grids) == 42
    assert all(abs(g.deviation_after) <= 0.10 for g in proposal.grids)
    assert check_batch(plan.assignment, proposal.assignment, plan.polygons, plan.locked) == []
    if weights is None:  # the default workload (cases, components and area alike): fewer than 15% moved
        assert len(proposal.moves) < 0.15 * len(plan.assignment)
        assert str(proposal.weights) == "components=1,incidents=1,area=1"


def test_locked_grids_are_kept_on_the_full_demo(plan):
    rows = {r.code: r for r in plan.rows()}
    hottest = max(rows, key=lambda g: rows[g].deviation)
    plan.locked = {hottest, "150602Z025"}
    try:
        proposal = balance(plan, 0.10, keep_locked=True)
    finally:
        plan.locked = set()
    assert not any({was, to} & {hottest, "150602Z025"} for _, was, to in proposal.moves)
    assert proposal.reached and check_batch(plan.assignment, proposal.assignment, plan.polygons, {hottest}) == []
