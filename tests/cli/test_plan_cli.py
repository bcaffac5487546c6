"""gridmap plan balance on the small demo (3 responsibility grids, 193 unit grids, two communities
each), as a user runs it: the report, the scenario it saves, the CSV, locks and communities."""

import csv
import json

from gridmap.domain.plan import check_batch
from gridmap.store import grids, open_store
from tests.cli.test_cli import gridmap


def keeps_the_rules(store, assignment):
    """check_batch's judgement of the proposal against the current plan: [] when every rule holds."""
    plan = grids.load_plan(store)
    return check_batch(plan.assignment, assignment, plan.polygons, plan.locked)


def test_balance_saves_a_scenario_within_the_tolerance(small_demo, tmp_path):
    out = tmp_path / "proposal.csv"
    done = gridmap("plan", "balance", small_demo, "--scenario", "均衡", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "3 of 3 grids within ±10% (before: 0)" in done.stdout and "saved as scenario '均衡'" in done.stdout
    with open_store(small_demo) as store:
        proposed = grids.load_scenario(store, "均衡")
        assert keeps_the_rules(store, proposed) == []
        current = grids.current_assignment(store)
        scenario = next(s for s in grids.list_scenarios(store) if s["name"] == "均衡")
    moved = [u for u in current if proposed[u] != current[u]]
    assert 0 < len(moved) < len(current) / 2 and f"{len(moved)} unit grid(s) moved" in scenario["note"]
    # the table is the one 'grid export' writes, with the proposal in it
    exported = tmp_path / "export"
    gridmap("grid", "export", small_demo, exported, check=True)
    ours = list(csv.reader(out.open(encoding="utf-8-sig")))
    theirs = list(csv.reader((exported / "responsibility_plan.csv").open(encoding="utf-8-sig")))
    assert ours[0] == theirs[0] and len(ours) == len(theirs)
    assert {row[0]: row[1] for row in ours[1:]} == proposed


def test_json_has_every_grid_before_and_after(small_demo):
    done = gridmap("plan", "balance", small_demo, "--scenario", "a", "--json", "--tolerance", "0.15")
    report = json.loads(done.stdout)
    assert report["reached"] and report["tolerance"] == 0.15 and report["weights"] == "components=1,incidents=1,area=1"
    assert len(report["grid_rows"]) == 3
    for row in report["grid_rows"]:
        assert abs(row["deviation_after"]) <= 0.15 and 0 < row["polsby_popper_after"] <= 1
        assert set(row) >= {"workload_before", "workload_after", "units_in", "units_out", "polsby_popper_before"}
    assert report["moved"] == len(report["moves"]) == sum(r["units_in"] for r in report["grid_rows"])


def test_a_locked_grid_is_left_as_it_is(small_demo):
    with open_store(small_demo) as store:
        locked = sorted(grids.load_plan(store).members)[0]
    gridmap("grid", "lock", small_demo, locked, check=True)
    done = gridmap("plan", "balance", small_demo, "--scenario", "b", "--json")
    report = json.loads(done.stdout)
    row = next(r for r in report["grid_rows"] if r["code"] == locked)
    assert row["locked"] and row["units_in"] == row["units_out"] == 0
    assert not any(locked in (m["from"], m["to"]) for m in report["moves"])
    with open_store(small_demo) as store:
        assert keeps_the_rules(store, grids.load_scenario(store, "b")) == []
    # the exit code says whether every grid made it; with --keep-locked the locked one is out of the goal
    assert done.returncode == (0 if report["reached"] else 1)
    kept = json.loads(gridmap("plan", "balance", small_demo, "--scenario", "c", "--keep-locked", "--json").stdout)
    assert not next(r for r in kept["grid_rows"] if r["code"] == locked)["judged"] and kept["judged"] == 2


def test_communities_are_not_split(small_demo):
    done = gridmap("plan", "balance", small_demo, "--scenario", "c", "--respect-communities")
    assert done.returncode in (0, 1), done.stderr
    with open_store(small_demo) as store:
        proposed = grids.load_scenario(store, "c")
        assert keeps_the_rules(store, proposed) == []
    by_community: dict[str, set[str]] = {}
    for unit, grid in proposed.items():
        by_community.setdefault(unit[:12], set()).add(grid)
    assert all(len(g) == 1 for g in by_community.values())


def test_max_moves_names_taken_and_bad_weights(small_demo):
    capped = json.loads(gridmap("plan", "balance", small_demo, "--scenario", "d", "--max-moves", "5",
                                "--json").stdout)
    assert capped["moved"] <= 5 and not capped["reached"] and "limit of 5" in capped["notes"][0]
    taken = gridmap("plan", "balance", small_demo, "--scenario", "d")
    assert taken.returncode == 2 and "already exists" in taken.stderr
    assert gridmap("plan", "balance", small_demo, "--scenario", "d", "--replace").returncode == 0
    bad = gridmap("plan", "balance", small_demo, "--scenario", "e", "--weights", "cases=1")
    assert bad.returncode == 2 and "unknown weight 'cases'" in bad.stderr
    assert gridmap("plan", "balance", small_demo, "--scenario", "e", "--tolerance", "2").returncode == 2
