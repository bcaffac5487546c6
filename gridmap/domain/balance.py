"""Propose a balanced plan: move unit grids between responsibility grids until every grid's workload
is within a tolerance of the mean, under the editor's rules.

The rules are the plan's (domain/plan.py): a responsibility grid stays connected, locked grids neither
lose nor gain unit grids, a grid never loses its last unit grid. Asked to, whole communities move
together (no community is split further). Compactness (Polsby–Popper, 4πA/P²) is weighed in every
choice, and a polish afterwards wins back what it can; the report gives it before and after, since
moving part of a straight border (a step) costs compactness that a ±10% band has no room to undo.

How: the grids are nodes of a graph (neighbours share an edge); a minimum-cost flow on it
(networkx's network simplex) says how much workload each grid should hand to each neighbour so that
all end inside the band, carried over as few grid borders as possible. Each transfer is then made by
moving border unit grids — never an articulation point of the grid they leave (networkx), so it
stays connected — choosing the unit grid that best fits the amount still to hand over and keeps
both grids compact, and never taking a grid further out of the band. Rounds repeat on what is left
(a border that could not carry its share becomes a detour of last resort) until every grid is inside
or nothing moves. Then the polish: single moves and exchanges of two unit grids across a border that
raise compactness inside the band, a unit grid going back where it was counting in favour.
Pure Python (networkx, numpy, shapely): the store and the GUI drive it.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import asdict, dataclass, field

import networkx as nx
import numpy as np
import shapely

from gridmap.domain.plan import Plan
from gridmap.domain.workload import BalanceError, Weights, unit_workloads

DEFAULT_TOLERANCE = 0.10
#: the flow aims inside this share of the tolerance, so whole unit grids can land inside the band
_AIM = 0.85
#: how much a change of the two grids' Polsby–Popper counts against workload (in units of the mean)
_COMPACTNESS = 2
_ROUNDS = 30
#: what one more moved unit grid costs in the polish, in Polsby–Popper
_MOVE_COST = 0.004
COST_SCALE = 100


def polsby_popper(polygon) -> float | None:
    """4π·area / perimeter² of a polygon (1 for a circle, ~0.785 for a square); None without one."""
    if polygon is None or polygon.is_empty or polygon.length == 0:
        return None
    return 4 * math.pi * polygon.area / polygon.length ** 2


@dataclass
class GridBalance:
    """One responsibility grid before and after the proposal."""

    code: str
    name: str
    locked: bool
    judged: bool  # counts in the mean and the goal (not when locked and --keep-locked)
    units_before: int
    units_after: int
    workload_before: float
    workload_after: float
    deviation_before: float
    deviation_after: float
    polsby_popper_before: float | None
    polsby_popper_after: float | None
    units_in: int
    units_out: int

    def within(self, tolerance: float) -> bool:
        return abs(self.deviation_after) <= tolerance + 1e-9


@dataclass
class Proposal:
    """What ``balance`` proposes: the new assignment, the moves and the report per grid."""

    assignment: dict[str, str]
    moves: list[tuple[str, str, str]]  # (unit grid, from, to), sorted
    grids: list[GridBalance]
    tolerance: float
    weights: Weights
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def units(self) -> int:
        return len(self.assignment)

    @property
    def reached(self) -> bool:
        """Whether every grid that counts is within the tolerance."""
        return all(g.within(self.tolerance) for g in self.grids if g.judged)

    def mean_polsby_popper(self, when: str) -> float | None:
        values = [getattr(g, f"polsby_popper_{when}") for g in self.grids]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    def summary(self) -> dict:
        judged = [g for g in self.grids if g.judged]
        return {"unit_grids": self.units, "moved": len(self.moves),
                "moved_share": round(len(self.moves) / self.units, 4) if self.units else 0.0,
                "grids": len(self.grids), "within_before": sum(abs(g.deviation_before) <= self.tolerance + 1e-9
                                                              for g in judged),
                "within_after": sum(g.within(self.tolerance) for g in judged), "judged": len(judged),
                "max_deviation_before": round(max((abs(g.deviation_before) for g in judged), default=0.0), 4),
                "max_deviation_after": round(max((abs(g.deviation_after) for g in judged), default=0.0), 4),
                "polsby_popper_before": _round(self.mean_polsby_popper("before")),
                "polsby_popper_after": _round(self.mean_polsby_popper("after")),
                "reached": self.reached, "seconds": round(self.seconds, 2)}

    def to_dict(self) -> dict:
        return {"tolerance": self.tolerance, "weights": str(self.weights), **self.summary(), "notes": self.notes,
                "grid_rows": [{**asdict(g), "within": g.within(self.tolerance)} for g in self.grids],
                "moves": [{"unit_grid": u, "from": a, "to": b} for u, a, b in self.moves]}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def balance(plan: Plan, tolerance: float = DEFAULT_TOLERANCE, weights: Weights | None = None,
            keep_locked: bool = False, max_moves: int | None = None,
            communities: dict[str, str] | None = None) -> Proposal:
    """Propose an assignment of ``plan``'s unit grids with every grid's workload within ``tolerance``
    of the mean. ``plan`` itself is not changed.

    ``keep_locked``: locked grids are left out of the mean and the goal (they never change either
    way). ``max_moves``: at most that many unit grids end in another grid. ``communities`` (unit grid
    → community): move each community's part in a grid as one block. Returns the Proposal, which
    says in ``notes`` why the goal was not reached when it was not; raises BalanceError on a
    tolerance outside (0, 1).
    """
    if not 0 < tolerance < 1:
        raise BalanceError(f"tolerance {tolerance} must be between 0 and 1 (0.10 is ±10%)")
    started = time.perf_counter()
    work = _Balancer(plan, tolerance, weights or Weights(), keep_locked, max_moves, communities)
    work.run()
    return work.proposal(time.perf_counter() - started)


class _Balancer:
    """The search state: blocks of unit grids (one unit grid each, or a community's part), their grid,
    the grids' workloads, areas and perimeters, kept up to date move by move."""

    def __init__(self, plan, tolerance, weights, keep_locked, max_moves, communities):
        self.plan, self.tolerance, self.weights = plan, tolerance, weights
        self.max_moves = max_moves
        self.notes: list[str] = []
        self.unit_load = unit_workloads(plan, weights)
        # sorted everywhere: the same plan gives the same proposal, whichever engine it was read from
        self.movable = {g for g in plan.members if g not in plan.locked}
        self.movable_sorted = sorted(self.movable)
        self.judged = [g for g in plan.members if not (keep_locked and g in plan.locked)]
        self.mean = (sum(sum(self.unit_load[u] for u in plan.members[g]) for g in self.judged)
                     / len(self.judged)) if self.judged else 0.0
        self._blocks(communities)
        self._geometry()
        self.grid_of = [plan.assignment[units[0]] for units in self.block_units]
        self.blocks_of: dict[str, set[int]] = {g: set() for g in plan.members}
        self.load = dict.fromkeys(plan.members, 0.0)
        for b, grid in enumerate(self.grid_of):
            self.blocks_of[grid].add(b)
            self.load[grid] += self.block_load[b]
        # touch[b][grid]: neighbours of block b in that grid; border[(A, B)]: blocks of A touching B
        self.touch: list[dict[str, int]] = [{} for _ in self.block_units]
        self.border: dict[tuple[str, str], set[int]] = {}
        for b, nbrs in enumerate(self.block_nbrs):
            for c in nbrs:
                grid = self.grid_of[c]
                self.touch[b][grid] = self.touch[b].get(grid, 0) + 1
                if grid != self.grid_of[b]:
                    self.border.setdefault((self.grid_of[b], grid), set()).add(b)
        self._articulation: dict[str, set[int]] = {}
        self.moved_units = 0

    # --- set-up -------------------------------------------------------------------------------

    def _blocks(self, communities) -> None:
        plan = self.plan
        if communities is None:
            groups = [[u] for u in sorted(plan.assignment)]
        else:
            parts: dict[tuple[str, str], set[str]] = {}
            for unit, grid in sorted(plan.assignment.items()):
                parts.setdefault((communities.get(unit, unit), grid), set()).add(unit)
            groups = []
            for units in parts.values():  # a community's part that is in pieces moves piece by piece
                graph = nx.Graph()
                graph.add_nodes_from(units)
                graph.add_edges_from((u, v) for u in units for v in plan.neighbours.get(u, ()) if v in units)
                groups += sorted(sorted(c) for c in nx.connected_components(graph))
        self.block_units = groups
        self.block_of = {u: b for b, units in enumerate(groups) for u in units}
        self.block_load = [sum(self.unit_load[u] for u in units) for units in groups]
        self.block_nbrs: list[set[int]] = [set() for _ in groups]
        for b, units in enumerate(groups):
            for u in units:
                for v in plan.neighbours.get(u, ()):
                    c = self.block_of.get(v)
                    if c is not None and c != b:
                        self.block_nbrs[b].add(c)
        self.graph = nx.Graph()
        self.graph.add_nodes_from(range(len(groups)))
        self.graph.add_edges_from((b, c) for b, nbrs in enumerate(self.block_nbrs) for c in nbrs if b < c)

    def _geometry(self) -> None:
        """Block areas, perimeters and shared edge lengths, for Polsby–Popper move by move."""
        plan = self.plan
        self.compact = bool(plan.polygons) and all(u in plan.polygons for u in plan.assignment)
        n = len(self.block_units)
        self.block_area = [0.0] * n
        self.block_perimeter = [0.0] * n
        self.shared: dict[tuple[int, int], float] = {}
        if not self.compact:
            return
        units = list(plan.assignment)
        polygons = np.array([plan.polygons[u] for u in units], dtype=object)
        areas, lengths = shapely.area(polygons), shapely.length(polygons)
        index = {u: k for k, u in enumerate(units)}
        pairs = [(index[u], index[v]) for u in units for v in plan.neighbours.get(u, ()) if v in index
                 and index[u] < index[v]]
        left = np.array([p[0] for p in pairs], dtype=int)
        right = np.array([p[1] for p in pairs], dtype=int)
        edges = shapely.length(shapely.intersection(shapely.boundary(polygons[left]),
                                                    shapely.boundary(polygons[right]))) if pairs else []
        for k, u in enumerate(units):
            b = self.block_of[u]
            self.block_area[b] += float(areas[k])
            self.block_perimeter[b] += float(lengths[k])
        for i, j, length in zip(left, right, edges, strict=True):
            b, c = self.block_of[units[i]], self.block_of[units[j]]
            if b == c:
                self.block_perimeter[b] -= 2 * float(length)
            else:
                key = (b, c) if b < c else (c, b)
                self.shared[key] = self.shared.get(key, 0.0) + float(length)

    # --- bookkeeping ----------------------------------------------------------------------------

    def grid_area_perimeter(self) -> tuple[dict[str, float], dict[str, float]]:
        area = dict.fromkeys(self.plan.members, 0.0)
        perimeter = dict.fromkeys(self.plan.members, 0.0)
        for b, grid in enumerate(self.grid_of):
            area[grid] += self.block_area[b]
            perimeter[grid] += self.block_perimeter[b]
        for (b, c), length in self.shared.items():
            if self.grid_of[b] == self.grid_of[c]:
                perimeter[self.grid_of[b]] -= 2 * length
        return area, perimeter

    def _shared_with(self, b: int, grid: str) -> float:
        return sum(self.shared.get((b, c) if b < c else (c, b), 0.0)
                   for c in self.block_nbrs[b] if self.grid_of[c] == grid)

    def compactness_change(self, b: int, source: str, target: str) -> float:
        """The change of the two grids' summed Polsby–Popper if block ``b`` moves."""
        if not self.compact:
            return 0.0
        a, p = self.block_area[b], self.block_perimeter[b]
        area_s, perim_s = self.area[source], self.perimeter[source]
        area_t, perim_t = self.area[target], self.perimeter[target]
        new_perim_s = perim_s - p + 2 * self._shared_with(b, source)
        new_perim_t = perim_t + p - 2 * self._shared_with(b, target)
        before = _pp(area_s, perim_s) + _pp(area_t, perim_t)
        return _pp(area_s - a, new_perim_s) + _pp(area_t + a, new_perim_t) - before

    def articulation(self, grid: str) -> set[int]:
        if grid not in self._articulation:
            self._articulation[grid] = set(nx.articulation_points(self.graph.subgraph(self.blocks_of[grid])))
        return self._articulation[grid]

    def may_move(self, b: int, source: str, target: str) -> bool:
        """Whether the rules allow block ``b`` to go from ``source`` to ``target`` now."""
        if source not in self.movable or target not in self.movable or len(self.blocks_of[source]) < 2:
            return False
        if not self.plan.same_district(self.block_units[b][0], target):
            return False
        if self.max_moves is not None:
            count = self.moved_after(b, target)
            if count > self.max_moves and count > self.moved_units:
                return False
        return b not in self.articulation(source)

    def moved_after(self, b: int, target: str) -> int:
        """How many unit grids would be in another grid than at the start if ``b`` went to ``target``."""
        count = self.moved_units
        for u in self.block_units[b]:
            base = self.plan.assignment[u]
            count += (target != base) - (self.grid_of[b] != base)
        return count

    def move(self, b: int, target: str) -> None:
        """Move block ``b`` into ``target``, keeping loads, areas, perimeters and borders current."""
        source = self.grid_of[b]
        self.moved_units = self.moved_after(b, target)
        if self.compact:
            shared_s, shared_t = self._shared_with(b, source), self._shared_with(b, target)
            self.area[source] -= self.block_area[b]
            self.area[target] += self.block_area[b]
            self.perimeter[source] += -self.block_perimeter[b] + 2 * shared_s
            self.perimeter[target] += self.block_perimeter[b] - 2 * shared_t
        self.blocks_of[source].discard(b)
        self.blocks_of[target].add(b)
        self.load[source] -= self.block_load[b]
        self.load[target] += self.block_load[b]
        # border[(A, B)] holds the blocks of A with a neighbour in B: b changes sides, its neighbours
        # gain a neighbour in target and may lose their last one in source
        for grid in self.touch[b]:
            if grid != source:
                self.border[(source, grid)].discard(b)
            if grid != target:
                self.border.setdefault((target, grid), set()).add(b)
        self.grid_of[b] = target
        for c in self.block_nbrs[b]:
            other, counts = self.grid_of[c], self.touch[c]
            counts[source] -= 1
            if not counts[source]:
                del counts[source]
                if other != source:
                    self.border[(other, source)].discard(c)
            counts[target] = counts.get(target, 0) + 1
            if other != target:
                self.border.setdefault((other, target), set()).add(c)
        self._articulation.pop(source, None)
        self._articulation.pop(target, None)

    def mean_compactness(self) -> float:
        values = [_pp(self.area[g], self.perimeter[g]) for g in self.plan.members if self.perimeter[g] > 0]
        return sum(values) / len(values) if values else 0.0

    # --- the search -----------------------------------------------------------------------------

    def outside(self) -> list[str]:
        limit = self.tolerance * self.mean
        return [g for g in self.judged if abs(self.load[g] - self.mean) > limit + 1e-9]

    def run(self) -> None:
        if not self.mean:
            self.notes.append("no workload to balance: every grid weighs 0 with these weights")
            return
        self.rounds()
        self.polish()
        for _ in range(_ROUNDS):
            if not self.swap():
                break
            self.polish()
        self.explain()
        after = self.mean_compactness() if self.compact else 0.0
        if self.compact and after < self.compactness_start - 0.005:
            self.notes.append(f"mean Polsby–Popper {self.compactness_start:.2f} → {after:.2f}: a border moved "
                              "by part of a row of unit grids gets a step, and the band leaves too little room to "
                              "straighten every one; adjust by hand where a shape matters more than a percent of "
                              "workload")

    def rounds(self) -> None:
        """Flow, then moves, again on what is left, until every grid is inside or nothing moves."""
        self.area, self.perimeter = self.grid_area_perimeter()
        self.compactness_start = self.mean_compactness()
        self.blocked: set[tuple[str, str]] = set()
        for _ in range(_ROUNDS):
            if not self.outside():
                break
            transfers = self.flow()
            blocked = len(self.blocked)
            if not transfers or (not self.realise(transfers) and len(self.blocked) == blocked):
                break

    def flow(self) -> dict[tuple[str, str], float]:
        """How much workload each grid should hand to each neighbour (minimum cost flow per part of the
        graph of movable grids), aiming inside ``_AIM`` of the tolerance."""
        graph = nx.Graph()
        graph.add_nodes_from(self.movable_sorted)
        graph.add_edges_from((a, b) for (a, b), blocks in self.border.items()
                             if blocks and a in self.movable and b in self.movable)
        scale = 1000.0 / self.mean
        out: dict[tuple[str, str], float] = {}
        for part in nx.connected_components(graph):
            n = len(part)
            loads = {g: round(self.load[g] * scale) for g in part}
            total = sum(loads.values())
            upper = max(math.floor(1000 * (1 + _AIM * self.tolerance)), math.ceil(total / n))
            lower = min(math.ceil(1000 * (1 - _AIM * self.tolerance)), math.floor(total / n), upper)
            if all(lower <= w <= upper for w in loads.values()):
                continue
            network = nx.DiGraph()
            for g in part:
                network.add_node(g, demand=upper - loads[g])
                network.add_edge("·slack", g, capacity=upper - lower, weight=0)
            network.add_node("·slack", demand=total - n * upper)
            for a, b in graph.subgraph(part).edges:
                network.add_edge(a, b, weight=self.transfer_cost(a, b))
                network.add_edge(b, a, weight=self.transfer_cost(b, a))
            for a, targets in nx.min_cost_flow(network).items():
                for b, amount in targets.items():
                    if a != "·slack" and amount > 0:
                        out[(a, b)] = amount / scale
        return out

    def transfer_cost(self, source: str, target: str) -> int:
        """What handing workload from ``source`` to ``target`` costs, in moves: the fewer the heavier the
        unit grids of ``source`` along that border are (a cold grid passes workload on expensively)."""
        loads = sorted((self.block_load[b] for b in self.border.get((source, target), ())
                        if b not in self.articulation(source)), reverse=True)[:8]
        density = max(sum(loads) / len(loads) if loads else 0.0, 0.02)
        # a border that could not carry what the last round asked for is a detour of last resort
        return max(1, round(COST_SCALE / density)) * (20 if (source, target) in self.blocked else 1)

    def penalty(self, load: float) -> float:
        """How far a workload lies outside the band the flow aims for (0 inside), squared, in means."""
        return max(0.0, abs(load / self.mean - 1) - _AIM * self.tolerance) ** 2

    def realise(self, transfers: dict[tuple[str, str], float]) -> bool:
        """Move border blocks to carry out ``transfers``; True if anything moved. A move never takes a
        grid further out of the band (a grid passing workload on gives only what it can spare now),
        so a transfer that cannot be made leaves no grid drained."""
        moved = False
        remaining = dict(transfers)
        while remaining:
            best, best_score = None, -math.inf
            for (source, target), amount in remaining.items():
                load_s, load_t = self.load[source], self.load[target]
                before = self.penalty(load_s) + self.penalty(load_t)
                for b in self.border.get((source, target), ()):
                    load = self.block_load[b]
                    gain = amount - abs(amount - load)
                    worse = self.penalty(load_s - load) + self.penalty(load_t + load) - before
                    if worse > 1e-12 or (gain <= 0 and worse > -1e-12):
                        continue
                    score = (gain / self.mean - worse + _COMPACTNESS * self.compactness_change(b, source, target))
                    if score > best_score and self.may_move(b, source, target):
                        best, best_score = (b, source, target), score
            if best is None:
                self.blocked.update(remaining)
                break
            b, source, target = best
            self.move(b, target)
            moved = True
            remaining[(source, target)] -= self.block_load[b]
            if remaining[(source, target)] <= 0.005 * self.mean:
                del remaining[(source, target)]
        return moved

    def polish(self) -> None:
        """Win back compactness: moves that raise the two grids' Polsby–Popper and keep both inside the
        band, a unit grid going back where it was counting in favour (one moved less). Candidates wait
        in a heap; one whose grids changed since it was scored is scored again."""
        if not self.compact:
            return
        limit = self.tolerance * self.mean * 0.98
        version = dict.fromkeys(self.plan.members, 0)
        heap: list[tuple[float, int, str, str, int, int]] = []

        def score(b: int, source: str, target: str) -> float | None:
            load = self.block_load[b]
            if abs(self.load[source] - load - self.mean) > limit or abs(self.load[target] + load - self.mean) > limit:
                return None
            gain = self.compactness_change(b, source, target) - _MOVE_COST * (self.moved_after(b, target)
                                                                                - self.moved_units)
            return gain if gain > 1e-6 else None

        def push(b: int, target: str) -> None:
            source = self.grid_of[b]
            gain = score(b, source, target)
            if gain is not None:
                heapq.heappush(heap, (-gain, b, source, target, version[source], version[target]))

        for (source, target), blocks in self.border.items():
            if source in self.movable and target in self.movable:
                for b in blocks:
                    push(b, target)
        while heap:
            _gain, b, source, target, v_s, v_t = heapq.heappop(heap)
            if self.grid_of[b] != source or target not in self.touch[b]:
                continue
            if (v_s, v_t) != (version[source], version[target]):
                push(b, target)  # its grids changed: scored again
                continue
            if not self.may_move(b, source, target):
                continue
            self.move(b, target)
            version[source] += 1
            version[target] += 1
            for grid in (source, target):
                for other in self.touch_grids(grid):
                    for c in self.border.get((grid, other), ()):
                        push(c, other)
                    for c in self.border.get((other, grid), ()):
                        push(c, grid)

    def swap(self) -> bool:
        """Exchange pairs of unit grids across a border when that raises compactness and keeps both
        grids inside the band (the polish's single moves cannot when a grid is near its edge).
        Returns True if any pair was exchanged."""
        limit = self.tolerance * self.mean * 0.98
        swapped = False
        for source, target in sorted(self.border):
            if source > target or source not in self.movable or target not in self.movable:
                continue
            ours = self._best_by_compactness(source, target)
            theirs = self._best_by_compactness(target, source)
            tried = sorted(((du + dv, u, v) for du, u in ours for dv, v in theirs), reverse=True)
            for estimate, u, v in tried:
                if estimate <= 1e-4:
                    break
                change = self.block_load[v] - self.block_load[u]
                if abs(self.load[source] + change - self.mean) > limit or \
                        abs(self.load[target] - change - self.mean) > limit:
                    continue
                if not (self.grid_of[u] == source and self.grid_of[v] == target
                        and self.may_move(u, source, target)):
                    continue
                moved = self.moved_units
                first = self.compactness_change(u, source, target)
                self.move(u, target)
                if target in self.touch[v] and source in self.touch[v] and self.may_move(v, target, source):
                    gain = first + self.compactness_change(v, target, source)
                    count = self.moved_after(v, source) - moved
                    if gain - _MOVE_COST * count > 1e-4:
                        self.move(v, source)
                        swapped = True
                        break
                self.move(u, source)  # undo: the state it came from kept every rule
        return swapped

    def _best_by_compactness(self, source: str, target: str, keep: int = 6) -> list[tuple[float, int]]:
        scored = sorted(((self.compactness_change(b, source, target), b)
                         for b in self.border.get((source, target), ())), reverse=True)
        return scored[:keep]

    def touch_grids(self, grid: str) -> list[str]:
        """The movable grids that share a border with ``grid``."""
        return [g for g in self.movable_sorted if self.border.get((grid, g))]

    def explain(self) -> None:
        left = self.outside()
        if not left:
            return
        why = []
        if self.max_moves is not None and self.moved_units >= self.max_moves:
            why.append(f"the limit of {self.max_moves} moved unit grids was reached")
        locked = [g for g in left if g in self.plan.locked]
        if locked:
            why.append(f"{len(locked)} of them are locked ({', '.join(sorted(locked))})")
        fenced = [g for g in left if g not in self.plan.locked and not self.touch_grids(g)
                  and any(a == g for a, _ in self.border)]
        if fenced:
            why.append(f"every neighbour of {', '.join(sorted(fenced))} is locked")
        if len(self.block_units) < len(self.plan.assignment):
            why.append("whole communities move as blocks")
        self.notes.append(f"{len(left)} grid(s) stay outside ±{self.tolerance:.0%}"
                          + (f": {'; '.join(why)}" if why else ": no move left that keeps the rules and helps"))

    # --- the result -----------------------------------------------------------------------------

    def proposal(self, seconds: float) -> Proposal:
        plan = self.plan
        assignment = {u: self.grid_of[self.block_of[u]] for u in plan.assignment}
        moves = sorted((u, plan.assignment[u], g) for u, g in assignment.items() if plan.assignment[u] != g)
        before = {g: sum(self.unit_load[u] for u in plan.members[g]) for g in plan.members}
        after_members: dict[str, list[str]] = {g: [] for g in plan.members}
        for unit, grid in assignment.items():
            after_members[grid].append(unit)
        rows = []
        for grid in sorted(plan.members):
            pp_before = pp_after = None
            if self.compact:
                pp_before = polsby_popper(_dissolve(plan, plan.members[grid]))
                pp_after = polsby_popper(_dissolve(plan, after_members[grid]))
            after = sum(self.unit_load[u] for u in after_members[grid])
            rows.append(GridBalance(
                grid, plan.grid_names.get(grid, ""), grid in plan.locked, grid in self.judged,
                len(plan.members[grid]), len(after_members[grid]), before[grid], after,
                (before[grid] - self.mean) / self.mean if self.mean else 0.0,
                (after - self.mean) / self.mean if self.mean else 0.0, pp_before, pp_after,
                sum(1 for _, _, to in moves if to == grid), sum(1 for _, was, _ in moves if was == grid)))
        return Proposal(assignment, moves, rows, self.tolerance, self.weights, seconds, self.notes)


def _pp(area: float, perimeter: float) -> float:
    return 4 * math.pi * area / perimeter ** 2 if perimeter > 0 else 0.0


def _dissolve(plan: Plan, units) -> object:
    parts = [plan.polygons[u] for u in units]
    return shapely.coverage_union_all(parts) if parts else None
