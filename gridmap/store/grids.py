"""Grid editing in the store: plans of responsibility grids, their versions and scenarios,
and boundary edits of unit grids. Every write is one transaction.

Versions are written in grid_versions, scenarios kept in grid_scenarios and boundary edits made in
grid_boundaries; their names are importable from here too."""

from __future__ import annotations

import datetime as dt

from gridmap.domain.balance import Proposal, balance
from gridmap.domain.calendar import city_now
from gridmap.domain.codes import COMMUNITY_LEN
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Plan, UnitFacts, adjacency
from gridmap.domain.workload import Weights
from gridmap.store import audit, users
from gridmap.store.connection import Store
from gridmap.store.grid_boundaries import (
    apply_edit,
    merge_edit,
    points_of,
    polygons_in,
    polygons_near,
    split_edit,
    unit_grid_polygons,
    vertex_edit,
)
from gridmap.store.grid_scenarios import (
    ScenarioError,
    apply_scenario,
    delete_scenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from gridmap.store.grid_versions import (
    ConcurrentEditError,
    PlanOutdatedError,
    Version,
    dissolve,
    history,
    new_versions,
    next_plan_version,
    now_stamp,
    plan_version,
)
from gridmap.store.queries import geometries
from gridmap.store.schema import COMPONENT_TABLES

WORKLOAD_DAYS = 90


def current_assignment(store: Store) -> dict[str, str]:
    return dict(store.conn.execute(
        "SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))


def districts(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the store's districts, by code."""
    return [tuple(r) for r in store.conn.execute("SELECT code, name FROM district ORDER BY code")]


def _district_filter(column: str, district: str | None) -> tuple[str, tuple]:
    """SQL condition and parameters keeping rows whose ``column`` (a unit grid code) lies in ``district``:
    a range on the code, so the column's index serves it (codes begin with the 6 digits of GB/T 2260)."""
    if district is None:
        return "", ()
    if not district.isdigit():
        raise GridmapError(f"district code {district!r}: six digits of GB/T 2260 expected")
    upper = str(int(district) + 1).zfill(len(district))
    return f" AND {column} >= ? AND {column} < ?", (district, upper)


def load_plan(store: Store, now: dt.datetime | None = None, district: str | None = None) -> Plan:
    """The current plan with each unit grid's area, components and incidents of the last 90 days: the whole
    store's, or one ``district``'s (its unit grids and the responsibility grids they are in), which is what
    a planner edits in a city of several districts. Raises GridmapError for a district with no unit grids."""
    now = now or city_now()
    version = plan_version(store.conn)
    where, params = _district_filter("code", district)
    rows, polygons = geometries(store, "unit_grid", ["code", "responsibility_grid_code", "area_m2"],
                                "valid_to IS NULL" + where, params)
    if district is not None and not rows:
        known = ", ".join(f"{c} {n}" for c, n in districts(store))
        raise GridmapError(f"{store.path}: no unit grids in district {district} (districts: {known})")
    codes = [r[0] for r in rows]
    grid_where, grid_params = _district_filter("unit_grid_code", district)
    components: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        sql = f"SELECT unit_grid_code, count(*) FROM {table} WHERE unit_grid_code IS NOT NULL{grid_where} GROUP BY 1"
        for code, n in store.conn.execute(sql, grid_params):
            components[code] = components.get(code, 0) + n
    since = (now - dt.timedelta(days=WORKLOAD_DAYS)).isoformat(timespec="seconds")
    incidents = dict(store.conn.execute(
        f"SELECT unit_grid_code, count(*) FROM incident WHERE reported_at >= ?{grid_where} GROUP BY 1",
        (since, *grid_params)))
    facts = {code: UnitFacts(area, components.get(code, 0), incidents.get(code, 0)) for code, _, area in rows}
    grids = store.conn.execute("SELECT code, name, locked FROM responsibility_grid ORDER BY code").fetchall()
    if district is not None:
        used = {grid for _, grid, _ in rows}
        grids = [g for g in grids if g[0] in used]
    plan = Plan({code: grid for code, grid, _ in rows}, {g[0]: g[1] for g in grids}, facts,
                adjacency(codes, polygons), dict(zip(codes, polygons, strict=True)),
                {g[0] for g in grids if g[2]})
    plan.store_version = version
    plan.district = district
    return plan


def set_locked(store: Store, grid: str, locked: bool) -> None:
    """Lock or unlock a responsibility grid (locked grids neither gain nor lose unit grids)."""
    users.require(store, "plan")
    with store.transaction() as conn:
        if conn.execute("UPDATE responsibility_grid SET locked = ? WHERE code = ?", (int(locked), grid)).rowcount != 1:
            raise GridmapError(f"{store.path}: no responsibility grid {grid}")
        next_plan_version(conn)
        audit.log(conn, "grid.lock" if locked else "grid.unlock", table="responsibility_grid", row_code=grid)


def commit_plan(store: Store, plan: Plan, note: str = "", user: str | None = None) -> int:
    """Write the draft as a new version of the grids; return the number of unit grids moved.

    Each moved unit grid's current row is closed (valid_to) and a new row opened
    with the new responsibility grid; the responsibility grids' polygons are
    dissolved again; the audit log records who, when and what. Incidents keep
    the grids they had when reported. Raises ConcurrentEditError, writing nothing,
    when another user changed any of these unit grids since the draft began.
    """
    users.require(store, "plan", user)
    changes = plan.changes()
    if not changes:
        return 0
    stamp = now_stamp()
    with store.transaction() as conn:
        version = next_plan_version(conn, plan.store_version)
        current = dict(conn.execute("SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))
        conflicts = [u for u, was, _ in changes if current.get(u) != was]
        if conflicts:
            raise ConcurrentEditError(
                f"{store.path}: {len(conflicts)} unit grid(s) were changed by someone else since this draft began "
                f"(e.g. {', '.join(conflicts[:5])}); reopen the plan and redo the change")
        new_versions(conn, [(unit, to) for unit, _was, to in changes], stamp)
        affected = {was for _, was, _ in changes} | {to for _, _, to in changes}
        dissolve(conn, store.srid, affected)
        audit.log(conn, "plan.commit", table="unit_grid", user=user,
                  detail={"note": note, "moves": [{"unit": u, "from": a, "to": b} for u, a, b in changes]})
    plan.base = dict(plan.assignment)
    plan.store_version = version
    return len(changes)


def rebase_plan(store: Store, draft: Plan) -> tuple[Plan, list[str], list[tuple[str, str]]]:
    """The draft's moves on the current plan: (the new draft, units moved again, (unit, why) not moved).

    A move still applies when its unit grid is current and still in the grid it left, and the editor's
    rules allow it on the current plan (connectivity, locks); the rest are left out with the reason.
    """
    fresh = load_plan(store, district=draft.district)
    applied: list[str] = []
    dropped: list[tuple[str, str]] = []
    pending: dict[str, str] = {}
    for unit, was, to in draft.changes():
        if unit not in fresh.assignment:
            dropped.append((unit, "no longer a current unit grid"))
        elif fresh.assignment[unit] == to:
            continue  # the other planner made the same move
        elif fresh.assignment[unit] != was:
            dropped.append((unit, f"moved meanwhile to {fresh.assignment[unit]}"))
        else:
            pending[unit] = to
    while pending:  # in paint order: a move can need another one first (connectivity)
        ready = [u for u, to in pending.items() if fresh.check(u, to) is None]
        if not ready:
            dropped += [(u, fresh.check(u, to)) for u, to in pending.items()]
            break
        for unit in ready:
            if fresh.check(unit, pending[unit]) is None:
                fresh.move([unit], pending.pop(unit))
                applied.append(unit)
    return fresh, sorted(applied), dropped


def propose_balance(store: Store, scenario: str | None, tolerance: float = 0.10, weights: Weights | None = None,
                    keep_locked: bool = False, max_moves: int | None = None, respect_communities: bool = False,
                    replace: bool = False, district: str | None = None) -> tuple[Proposal, Plan]:
    """A balanced proposal for the current plan: (the proposal, the plan with it as its draft).

    With ``scenario`` the draft is saved as that scenario (the grid editor's format: open it there to
    adjust and commit); raises ScenarioError if the name is taken and not ``replace``, BalanceError on
    bad weights or tolerance. domain/balance.py says which rules it keeps. ``district``: balance that
    district's grids against their own mean; a store of several districts needs one (GridmapError).
    """
    if district is None:
        found = districts(store)
        if len(found) > 1:
            raise GridmapError(f"{store.path} holds {len(found)} districts: balance one at a time "
                               f"({', '.join(f'{c} {n}' for c, n in found)})")
    plan = load_plan(store, district=district)
    communities = {u: u[:COMMUNITY_LEN] for u in plan.assignment} if respect_communities else None
    proposal = balance(plan, tolerance, weights, keep_locked=keep_locked, max_moves=max_moves,
                       communities=communities)
    apply_scenario(plan, proposal.assignment)
    plan.weights = weights
    if scenario:
        summary = proposal.summary()
        save_scenario(store, scenario, plan, replace=replace,
                      note=f"balance ±{tolerance:.0%} ({proposal.weights}): {summary['moved']} unit grid(s) moved, "
                           f"{summary['within_after']} of {summary['judged']} grids within")
    return proposal, plan


def assign_units(store: Store, units: list[str], target: str, note: str = "", user: str | None = None) -> int:
    """Move unit grids into ``target`` under the editor's rules and commit at once (the CLI's way).

    Raises MoveRefused with the reason, or GridmapError for unknown codes; nothing is written then.
    """
    plan = load_plan(store)
    unknown = [u for u in units if u not in plan.assignment]
    if unknown:
        raise GridmapError(f"{store.path}: no current unit grid {', '.join(unknown)}")
    # paint order: neighbours of the target first, so a run of adjacent units can be moved in one call
    pending = list(dict.fromkeys(units))
    while pending:
        ready = [u for u in pending if plan.check(u, target) is None]
        if not ready:
            plan.move(pending[:1], target)  # raises MoveRefused with the reason
        plan.move(ready, target)
        pending = [u for u in pending if u not in ready]
    return commit_plan(store, plan, note, user)


__all__ = [
    "WORKLOAD_DAYS", "ConcurrentEditError", "PlanOutdatedError", "ScenarioError", "Version", "apply_edit",
    "apply_scenario", "assign_units", "commit_plan", "current_assignment", "delete_scenario", "history",
    "list_scenarios", "load_plan", "load_scenario", "merge_edit", "now_stamp", "points_of", "polygons_in",
    "polygons_near", "propose_balance", "rebase_plan", "save_scenario", "set_locked", "split_edit",
    "unit_grid_polygons", "vertex_edit",
]
