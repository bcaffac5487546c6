"""Scenarios of a responsibility grid plan in the store: drafts saved under a name, to open or compare
later. Every write is one transaction."""

from __future__ import annotations

from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Plan
from gridmap.store import audit, users
from gridmap.store.connection import Store
from gridmap.store.grid_versions import now_stamp


class ScenarioError(GridmapError):
    """A scenario name is taken, unknown, or refers to grids that no longer exist."""


def save_scenario(store: Store, name: str, plan: Plan, note: str = "", replace: bool = False) -> None:
    """Save the draft under ``name``; raises ScenarioError if the name is taken and not ``replace``."""
    users.require(store, "plan")
    name = name.strip()
    if not name:
        raise ScenarioError("a scenario needs a name")
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM plan_scenario WHERE name = ?", (name,)).fetchone()
        if row and not replace:
            raise ScenarioError(f"a scenario named {name!r} already exists")
        if row:
            conn.execute("DELETE FROM plan_scenario WHERE id = ?", (row[0],))
        scenario = conn.execute("INSERT INTO plan_scenario (name, created_at, \"user\", note) VALUES (?, ?, ?, ?) "
                                "RETURNING id", (name, now_stamp(), audit.person(conn), note)).fetchone()[0]
        conn.executemany("INSERT INTO plan_scenario_assignment VALUES (?, ?, ?)",
                         [(scenario, u, g) for u, g in sorted(plan.assignment.items())])
        audit.log(conn, "scenario.save", table="plan_scenario", row_code=name,
                  detail={"changes": len(plan.changes())})


def list_scenarios(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT name, created_at, \"user\", note FROM plan_scenario ORDER BY created_at DESC")
    return [dict(zip(("name", "created_at", "user", "note"), r, strict=True)) for r in rows]


def load_scenario(store: Store, name: str) -> dict[str, str]:
    """A scenario's assignment (unit grid → responsibility grid); raises ScenarioError if unknown."""
    row = store.conn.execute("SELECT id FROM plan_scenario WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ScenarioError(f"no scenario named {name!r}")
    return dict(store.conn.execute("SELECT unit_grid_code, responsibility_grid_code FROM plan_scenario_assignment "
                                   "WHERE scenario_id = ?", (row[0],)))


def apply_scenario(plan: Plan, assignment: dict[str, str]) -> list[str]:
    """Put a scenario's assignment into ``plan`` as its draft; return units it names that no longer exist.
    Units of other districts than the plan's are left alone (a district's plan holds its own)."""
    assignment = {u: g for u, g in assignment.items() if plan.covers(u)}
    missing = [u for u in assignment if u not in plan.assignment]
    for unit, grid in assignment.items():
        if unit in plan.assignment and grid in plan.members:
            plan._set(unit, grid)
    return missing


def delete_scenario(store: Store, name: str) -> None:
    users.require(store, "plan")
    with store.transaction() as conn:
        if conn.execute("DELETE FROM plan_scenario WHERE name = ?", (name,)).rowcount != 1:
            raise ScenarioError(f"no scenario named {name!r}")
        audit.log(conn, "scenario.delete", table="plan_scenario", row_code=name)
