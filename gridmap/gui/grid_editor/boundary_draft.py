"""Unit grid boundary edits held in the editor's draft, not written at once.

A vertex or edge move, a split or a merge is computed on the draft's own
polygons, checked against the draft's tiling (the same rules the store checks
again when it writes), and applied to the draft plan, so the responsibility
grids re-dissolve and the statistics follow. Nothing reaches the store until
the plan is committed; then the edits are written in the order they were made
and the responsibility grid moves after them.

New pieces get provisional keys (``new-1``, ...) until the store gives them
their codes; a reshaped grid keeps its key in the draft and gets a new code when
written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from qgis.PyQt.QtCore import QCoreApplication

from gridmap.domain import topology
from gridmap.domain.plan import UnitFacts, adjacency
from gridmap.store import grids

PROVISIONAL = "new-"


@dataclass
class PendingEdit:
    """One boundary edit of the draft. Keys are draft keys (store codes or provisional ones)."""

    action: str  # grid.vertex, grid.split, grid.merge (the audit log's names)
    result: topology.EditResult
    added_keys: list[str]
    #: what the draft held before the edit, for undo: key -> (grid, facts, polygon) or None
    before: dict = field(default_factory=dict)
    neighbours_before: dict = field(default_factory=dict)

    def draft_keys(self) -> set[str]:
        return set(self.result.changed) | set(self.result.removed) | set(self.result.retouched) | set(self.added_keys)


def _facts(area: float, components: float, incidents: float) -> UnitFacts:
    return UnitFacts(round(float(area), 1), round(components), round(incidents))


class BoundaryDraft:
    """The draft's tiling: builds checked edits, applies and reverts them on the plan, writes them."""

    def __init__(self, plan, communities: dict[str, shapely.Polygon]):
        self.plan = plan
        self.communities = communities
        self.community_of = {code: code[:12] for code in plan.polygons}
        self.pending: list[PendingEdit] = []
        self._serial = 0
        self._tree()

    def _tree(self) -> None:
        self._codes = np.array(list(self.plan.polygons), dtype=object)
        self._index = shapely.STRtree(list(self.plan.polygons.values()))

    # --- reading the draft ----------------------------------------------------------------

    def polygons_in(self, box) -> dict[str, shapely.Polygon]:
        hits = self._index.query(box)
        return {str(self._codes[k]): self.plan.polygons[str(self._codes[k])] for k in hits}

    def near(self, x: float, y: float, radius: float) -> dict[str, shapely.Polygon]:
        """Draft unit grids within ``radius`` of (x, y) (by bounding box)."""
        return self.polygons_in(shapely.box(x - radius, y - radius, x + radius, y + radius))

    def at(self, x: float, y: float) -> str | None:
        hits = self._index.query(shapely.Point(x, y), predicate="intersects")
        return str(self._codes[hits.min()]) if hits.size else None

    def edited_keys(self) -> set[str]:
        """Draft keys whose shape differs from the store (for the preview layer)."""
        keys: set[str] = set()
        for edit in self.pending:
            keys |= set(edit.result.changed) | set(edit.result.retouched) | set(edit.added_keys)
        return {k for k in keys if k in self.plan.polygons}

    # --- building edits (raise TopologyRefused; the draft is unchanged then) -----------------

    def vertex_edit(self, moves) -> PendingEdit:
        """Move vertices (old xy -> new xy) in every draft unit grid that has them."""
        radius = max(max(abs(o[0] - n[0]), abs(o[1] - n[1])) for o, n in moves) + 1.0
        around: dict[str, shapely.Polygon] = {}
        for old, _new in moves:
            around |= self.near(old[0], old[1], radius)
        result = topology.EditResult(changed=topology.move_vertices(around, moves))
        return self._checked("grid.vertex", result)

    def split_edit(self, key: str, line: shapely.LineString) -> PendingEdit:
        """Cut draft unit grid ``key`` along ``line``; the pieces keep its community and grid."""
        pieces = topology.split(self.plan.polygons[key], line)
        grid = self.plan.assignment[key]
        result = topology.EditResult(removed=[key], added=[(p, self.community_of[key], grid) for p in pieces])
        return self._checked("grid.split", result)

    def merge_edit(self, keys: list[str]) -> PendingEdit:
        """Merge adjacent draft unit grids of one community; the result joins the first one's grid."""
        keys = list(dict.fromkeys(keys))
        if len(keys) < 2:
            raise topology.TopologyRefused("choose at least two unit grids to merge")
        communities = {self.community_of[k] for k in keys}
        if len(communities) > 1:
            raise topology.TopologyRefused(
                f"unit grids of different communities cannot be merged ({', '.join(sorted(communities))})")
        merged = topology.merge([self.plan.polygons[k] for k in keys])
        result = topology.EditResult(removed=keys, added=[(merged, self.community_of[keys[0]],
                                                           self.plan.assignment[keys[0]])])
        return self._checked("grid.merge", result)

    def _checked(self, action: str, result: topology.EditResult) -> PendingEdit:
        """Match the neighbours' vertices (as the store does) and check the edit against the draft."""
        new = result.all_new_polygons()
        gone = set(result.changed) | set(result.removed)
        box = shapely.union_all(new).buffer(1.0).envelope
        neighbours = {c: p for c, p in self.polygons_in(box).items() if c not in gone}
        matched = topology.match_vertices({f"piece{k}": p for k, p in enumerate(new)} | neighbours)
        for code, polygon in neighbours.items():
            if len(polygon.exterior.coords) != len(matched[code].exterior.coords):
                result.retouched[code] = matched[code]
        result.changed = {c: grids.points_of(p, neighbours) for c, p in result.changed.items()}
        result.added = [(grids.points_of(p, neighbours), com, grid) for p, com, grid in result.added]
        before = {c: self.plan.polygons[c] for c in [*gone, *result.retouched]}
        # refusals name the grids: reshaped ones by their codes, new ones by their place in the edit
        keys = (list(result.changed)
                + [QCoreApplication.translate("GridEditor", "new piece {0}").format(k + 1)
                   for k in range(len(result.added))]
                + list(result.retouched))
        shapes = list(result.changed.values()) + [p for p, _, _ in result.added] + list(result.retouched.values())
        community_of = ([self.community_of[c] for c in result.changed] + [com for _, com, _ in result.added]
                        + [self.community_of[c] for c in result.retouched])
        box = shapely.union_all(list(before.values())).buffer(1.0).envelope
        around = {c: p for c, p in self.polygons_in(box).items() if c not in before}
        topology.check_edit(before, dict(zip(keys, shapes, strict=True)), around, self.communities,
                            dict(zip(keys, community_of, strict=True)))
        added_keys = []
        for _ in result.added:
            self._serial += 1
            added_keys.append(f"{PROVISIONAL}{self._serial}")
        return PendingEdit(action, result, added_keys)

    # --- applying to the draft plan ---------------------------------------------------------

    def apply(self, edit: PendingEdit) -> None:
        """Put ``edit`` into the draft plan (shapes, members, totals, neighbours)."""
        plan, result = self.plan, edit.result
        touched = edit.draft_keys()
        edit.before = {k: self._entry(k) for k in touched}
        removed_facts = [plan.facts[k] for k in result.removed]
        removed_area = sum(plan.polygons[k].area for k in result.removed) or 1.0
        for key in result.removed:
            self._drop(key)
        for key, polygon in result.changed.items():
            grid, facts = plan.assignment[key], plan.facts[key]
            self._drop(key)
            self._put(key, grid, _facts(polygon.area, facts.components, facts.incidents), polygon,
                      self.community_of.get(key, key[:12]))
        # split pieces share their parent's counts by area; a merge adds them up (the store
        # re-locates components and incidents exactly when the edit is written)
        components = sum(f.components for f in removed_facts)
        incidents = sum(f.incidents for f in removed_facts)
        for key, (polygon, community, grid) in zip(edit.added_keys, result.added, strict=True):
            share = polygon.area / removed_area
            self._put(key, grid, _facts(polygon.area, components * share, incidents * share), polygon, community)
        for key, polygon in result.retouched.items():
            plan.polygons[key] = polygon
        self._renew_neighbours(edit, touched)
        self.pending.append(edit)
        plan.version += 1
        self._tree()

    def revert(self, edit: PendingEdit) -> None:
        """Undo ``edit`` (the last one applied)."""
        for key in edit.draft_keys():
            if key in self.plan.assignment:
                self._drop(key)
        for key, entry in edit.before.items():
            if entry is not None:
                self._put(key, *entry)
        for key in edit.draft_keys():
            self.plan.neighbours.pop(key, None)
        self.plan.neighbours.update({k: set(v) for k, v in edit.neighbours_before.items()})
        if self.pending and self.pending[-1] is edit:
            self.pending.pop()
        self.plan.version += 1
        self._tree()

    def _entry(self, key: str):
        plan = self.plan
        if key not in plan.assignment:
            return None
        return plan.assignment[key], plan.facts[key], plan.polygons[key], self.community_of[key]

    def _drop(self, key: str) -> None:
        plan = self.plan
        grid = plan.assignment.pop(key)
        plan.members[grid].discard(key)
        plan.totals[grid].add(plan.facts.pop(key), -1)
        plan.polygons.pop(key, None)

    def _put(self, key: str, grid: str, facts: UnitFacts, polygon, community: str) -> None:
        plan = self.plan
        plan.assignment[key] = grid
        plan.members[grid].add(key)
        plan.facts[key] = facts
        plan.totals[grid].add(facts)
        plan.polygons[key] = polygon
        self.community_of[key] = community

    def _renew_neighbours(self, edit: PendingEdit, touched: set[str]) -> None:
        """Recompute shared edges among the edited grids and the grids around them.

        Every grid that can gain or lose a neighbour is a touched grid or a neighbour of one,
        so only their sets change; they are kept for undo.
        """
        plan = self.plan
        around = set(touched)
        for key in touched:
            around |= plan.neighbours.get(key, set())
        edit.neighbours_before = {k: set(plan.neighbours[k]) for k in around if k in plan.neighbours}
        live = [k for k in around if k in plan.polygons]
        local = adjacency(live, [plan.polygons[k] for k in live])
        for key in around:
            old = plan.neighbours.pop(key, set())
            if key in plan.polygons:
                plan.neighbours[key] = (old - around) | local[key]

    # --- writing ---------------------------------------------------------------------------

    def write(self, store) -> dict[str, str]:
        """Write the pending edits in order (each checked again by the store); return draft key -> code.

        Raises TopologyRefused or ConcurrentEditError from the first edit the store refuses; the
        edits before it are written then (each one is complete on its own).
        """
        rename: dict[str, str] = {}
        for edit in self.pending:
            r = edit.result
            result = topology.EditResult(
                changed={rename.get(k, k): p for k, p in r.changed.items()},
                removed=[rename.get(k, k) for k in r.removed],
                added=list(r.added),
                retouched={rename.get(k, k): p for k, p in r.retouched.items()})
            mapping = grids.apply_edit(store, result, edit.action)
            for new_code, draft_key in zip(mapping, [*r.changed, *edit.added_keys], strict=True):
                rename[draft_key] = new_code
        return rename
