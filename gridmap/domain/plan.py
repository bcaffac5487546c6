"""A responsibility-grid plan: which unit grids belong to which responsibility grid.

The planner's draft. Moves obey the rules of the job — a responsibility grid
stays connected, locked grids neither gain nor lose units — and keep live totals
(units, area, components, recent incidents) so a paint stroke can show workloads
as it goes. Pure Python and shapely; the GUI and the store drive it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.domain.errors import GridmapError
from gridmap.domain.workload import grid_workloads

DEFAULT_TOLERANCE = 0.15  # ±15% of the mean workload


class MoveRefused(GridmapError):
    """A move breaks a planning rule; the message says which and why."""


@dataclass(frozen=True)
class UnitFacts:
    """What a unit grid brings to the grid it belongs to."""

    area_m2: float
    components: int
    incidents: int  # in the workload window (the last 90 days)


@dataclass
class GridTotals:
    units: int = 0
    area_m2: float = 0.0
    components: int = 0
    incidents: int = 0

    def add(self, facts: UnitFacts, sign: int = 1) -> None:
        self.units += sign
        self.area_m2 += sign * facts.area_m2
        self.components += sign * facts.components
        self.incidents += sign * facts.incidents


@dataclass(frozen=True)
class Move:
    """One applied step: units and the grid each came from, and where they went."""

    target: str
    units: tuple[tuple[str, str], ...]  # (unit code, previous grid code)


@dataclass
class GridRow:
    code: str
    name: str
    units: int
    area_m2: float
    components: int
    incidents: int
    deviation: float  # of the workload from the mean, as a fraction
    flagged: bool
    locked: bool


def adjacency(codes, polygons, min_shared_m: float = 0.01) -> dict[str, set[str]]:
    """Unit grids that share an edge (touching at a corner does not count)."""
    polygons = np.asarray(polygons, dtype=object)
    codes = list(codes)
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(polygons[left]), shapely.boundary(polygons[right])))
    out: dict[str, set[str]] = {c: set() for c in codes}
    for a, b in zip(left[shared > min_shared_m], right[shared > min_shared_m], strict=True):
        out[codes[a]].add(codes[b])
        out[codes[b]].add(codes[a])
    return out


class Plan:
    """A draft assignment of unit grids to responsibility grids."""

    def __init__(self, assignment: dict[str, str], grid_names: dict[str, str], facts: dict[str, UnitFacts],
                 neighbours: dict[str, set[str]], polygons: dict[str, shapely.Polygon] | None = None,
                 locked: set[str] | None = None):
        self.base = dict(assignment)
        self.assignment = dict(assignment)
        self.grid_names = dict(grid_names)
        self.facts = facts
        self.neighbours = neighbours
        self.polygons = polygons or {}
        self.locked = set(locked or ())
        self.members: dict[str, set[str]] = {g: set() for g in grid_names}
        self.totals: dict[str, GridTotals] = {g: GridTotals() for g in grid_names}
        for unit, grid in self.assignment.items():
            if grid not in self.members:
                raise GridmapError(f"unit grid {unit} belongs to an unknown responsibility grid {grid}")
            self.members[grid].add(unit)
            self.totals[grid].add(facts[unit])
        #: what the workload deviation weighs (None: the default, domain/workload.py)
        self.weights = None
        self.version = 0  # bumps on every change, for views that cache
        #: the store's plan version this draft started from (None: not read from a store)
        self.store_version: int | None = None
        #: the district whose unit grids this plan holds (None: every district of the store)
        self.district: str | None = None

    def covers(self, unit: str) -> bool:
        """Whether ``unit`` (a unit grid code) belongs to the part of the city this plan holds: unit grid
        codes begin with their district's GB/T 2260 code."""
        return self.district is None or unit.startswith(self.district)

    # --- rules ------------------------------------------------------------------

    def _connected(self, units: set[str]) -> bool:
        if len(units) <= 1:
            return True
        start = next(iter(units))
        seen = {start}
        queue = deque([start])
        while queue:
            for other in self.neighbours.get(queue.popleft(), ()):
                if other in units and other not in seen:
                    seen.add(other)
                    queue.append(other)
        return len(seen) == len(units)

    def check(self, unit: str, target: str) -> str | None:
        """Why ``unit`` cannot move into ``target`` now, or None when it can."""
        if unit not in self.assignment:
            return f"{unit} is not a current unit grid"
        if target not in self.members:
            return f"{target} is not a responsibility grid"
        source = self.assignment[unit]
        if source == target:
            return None
        if target in self.locked:
            return f"{self.label(target)} is locked"
        if source in self.locked:
            return f"{unit} belongs to {self.label(source)}, which is locked"
        if not self.same_district(unit, target):
            return (f"{unit} is in district {_district(unit)} and {self.label(target)} in another: a responsibility "
                    "grid stays inside its district")
        if self.members[target] and not (self.neighbours.get(unit, set()) & self.members[target]):
            return f"{unit} does not touch {self.label(target)}: the grid would be split in two"
        rest = self.members[source] - {unit}
        if not rest:
            return f"{unit} is the last unit grid of {self.label(source)}"
        if not self._connected(rest):
            return f"moving {unit} would split {self.label(source)} in two"
        return None

    def same_district(self, unit: str, grid: str) -> bool:
        """Whether ``unit`` and the unit grids of ``grid`` are in one district (by their GB/T 2260 prefix;
        True when codes do not follow the 15-digit unit grid code)."""
        if self.district is not None or not self.members.get(grid):
            return True
        mine, theirs = _district(unit), _district(next(iter(self.members[grid])))
        return mine is None or theirs is None or mine == theirs

    def label(self, grid: str) -> str:
        name = self.grid_names.get(grid)
        return f"{name} ({grid})" if name else grid

    # --- changes ------------------------------------------------------------------

    def move(self, units, target: str) -> Move:
        """Move ``units`` (in order) into ``target``; all or nothing.

        Returns the Move for undo; raises MoveRefused with the first reason when a
        unit may not move (nothing is changed then).
        """
        done: list[tuple[str, str]] = []
        try:
            for unit in units:
                if self.assignment.get(unit) == target:
                    continue
                reason = self.check(unit, target)
                if reason:
                    raise MoveRefused(reason)
                done.append((unit, self._set(unit, target)))
        except MoveRefused:
            for unit, previous in reversed(done):
                self._set(unit, previous)
            raise
        return Move(target, tuple(done))

    def undo(self, move: Move) -> None:
        for unit, previous in reversed(move.units):
            self._set(unit, previous)

    def redo(self, move: Move) -> None:
        for unit, _previous in move.units:
            self._set(unit, move.target)

    def _set(self, unit: str, grid: str) -> str:
        previous = self.assignment[unit]
        if previous == grid:
            return previous
        self.members[previous].discard(unit)
        self.totals[previous].add(self.facts[unit], -1)
        self.members[grid].add(unit)
        self.totals[grid].add(self.facts[unit])
        self.assignment[unit] = grid
        self.version += 1
        return previous

    def set_locked(self, grid: str, locked: bool) -> None:
        (self.locked.add if locked else self.locked.discard)(grid)

    # --- views ---------------------------------------------------------------------

    def dissolve(self, grid: str):
        """The grid's polygon: the union of its unit grids (a coverage union: fast, exact)."""
        parts = [self.polygons[u] for u in self.members[grid] if u in self.polygons]
        return shapely.coverage_union_all(parts) if parts else None

    def rows(self, tolerance: float = DEFAULT_TOLERANCE) -> list[GridRow]:
        """One row per grid with totals and the deviation of its workload from the mean (the facts as
        ``weights`` weighs them, domain/workload.py)."""
        workloads = grid_workloads(self.totals, self.weights)
        mean = sum(workloads.values()) / len(workloads) if workloads else 0.0
        out = []
        for grid, totals in self.totals.items():
            deviation = (workloads[grid] - mean) / mean if mean else 0.0
            out.append(GridRow(grid, self.grid_names.get(grid, ""), totals.units, totals.area_m2, totals.components,
                               totals.incidents, deviation, abs(deviation) > tolerance, grid in self.locked))
        return out

    def changes(self, against: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
        """(unit, grid in ``against`` (default: the plan's base), grid in this draft) for every difference."""
        against = self.base if against is None else against
        return sorted((u, against.get(u, ""), g) for u, g in self.assignment.items() if against.get(u) != g)

    @property
    def dirty(self) -> bool:
        return self.assignment != self.base


def _components(units: set[str], neighbours: dict[str, set[str]]) -> list[set[str]]:
    left, out = set(units), []
    while left:
        start = left.pop()
        part, queue = {start}, deque([start])
        while queue:
            for other in neighbours.get(queue.popleft(), ()):
                if other in left:
                    left.discard(other)
                    part.add(other)
                    queue.append(other)
        out.append(part)
    return out


def _district(unit: str) -> str | None:
    """The district of a 15-digit unit grid code (district 6, street 3, community 3, number 3), else None."""
    return unit[:6] if len(unit) == 15 and unit.isdigit() else None


def check_batch(before: dict[str, str], after: dict[str, str], polygons: dict, locked: set[str],
                reshaped: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The plan rules for a batch of changes at once (a unit grid import), judged on the result.

    ``before``/``after`` map unit grid → responsibility grid (``after`` may add units);
    ``polygons`` holds the resulting polygon of every unit grid in ``after``; ``reshaped`` the units
    whose polygon changed. Returns (unit, reason) for each unit to blame — a move out of or into a
    locked grid, a move that leaves a grid empty or splits it, a unit that does not touch the grid it
    joins, a new polygon that splits its grid — with the same wording as ``Plan.check``; empty when
    the batch keeps every rule.
    """
    moved = {u for u, g in after.items() if g and before.get(u) != g}
    left = {u for u, g in before.items() if g and after.get(u) != g}
    out: dict[str, str] = {}
    for unit in sorted(moved | left):
        source, target = before.get(unit), after.get(unit)
        if target in locked:
            out[unit] = f"{target} is locked: a locked responsibility grid neither gains nor loses unit grids"
        elif source in locked:
            out[unit] = f"{unit} belongs to {source}, which is locked"
    touched = ({after[u] for u in moved} | {before[u] for u in left}
               | {after[u] for u in reshaped if after.get(u)}) - locked
    members: dict[str, set[str]] = {}
    for unit, grid in after.items():
        if grid in touched:
            members.setdefault(grid, set()).add(unit)
    for grid in sorted(touched):
        if grid not in members:
            for unit in sorted(u for u in left if before[u] == grid):
                out.setdefault(unit, f"{unit} is the last unit grid of {grid}")
    units = sorted(set().union(*members.values())) if members else []
    neighbours = adjacency(units, [polygons[u] for u in units]) if units else {}
    for grid, units_in in sorted(members.items()):
        parts = _components(units_in, neighbours)
        if len(parts) < 2:
            continue
        # the part keeping most of the units that stayed is the grid; the others are the split-off pieces
        stayed = {u for u in units_in if u not in moved}
        parts.sort(key=lambda p: (len(p & stayed), len(p)), reverse=True)
        stray = set().union(*parts[1:])
        blamed = sorted(stray & moved)
        for unit in blamed:
            out.setdefault(unit, f"{unit} does not touch {grid}: the grid would be split in two")
        gone = sorted(u for u in left if before[u] == grid)
        for unit in gone if not blamed else ():
            out.setdefault(unit, f"moving {unit} would split {grid} in two")
        if not blamed and not gone:
            for unit in sorted(u for u in reshaped if u in units_in) or sorted(stray):
                out.setdefault(unit, f"the polygon of {unit} would split {grid} in two")
    return sorted(out.items())
