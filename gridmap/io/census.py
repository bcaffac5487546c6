"""A census merge (部件普查更新, issue 15): a new survey of an area compared with the register, in groups the data
manager accepts or rejects before anything is written:

- **new**: surveyed components without a code, or with a code the register does not know (a code is
  allocated by the register, never taken from the file);
- **moved**: components whose surveyed place is more than the tolerance from the registered one;
- **changed**: components whose surveyed fields (name, units, state, material, dates, note...) differ;
- **missing**: components in use in the surveyed unit grids that the survey did not find (retired if
  accepted).

The area is the unit grids the survey's components lie in (or the given community or responsibility grid).
The accepted groups are written through store.register.commit in one transaction: codes, previous
versions (their history rows say 'census') and audit, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.assignment import GridLocator
from gridmap.domain.errors import CodeError
from gridmap.domain.register import EDITABLE_FIELDS, RegisterError, check_values
from gridmap.io.checks import ImportError_, ImportOptions, ImportReport, check_geometries, project
from gridmap.io.files import read_table
from gridmap.io.importer import _choose_mapping, _column
from gridmap.io.values import iso_date
from gridmap.store import exchange, register
from gridmap.store.queries import geometries

GROUPS = ("new", "moved", "changed", "missing")
#: metres a surveyed component may lie from its registered place and still count as not moved
DEFAULT_TOLERANCE = 1.0


@dataclass
class Item:
    """One component of a group: its code (None for a new one), the file's row, and what the group changes."""

    code: str | None
    row: int | None
    kind: str
    class_code: str
    geometry: object = None  # shapely, in the store's CRS (new, moved)
    values: dict = field(default_factory=dict)  # new: its fields; changed: {field: (registered, surveyed)}
    distance: float | None = None  # moved: metres


@dataclass
class Census:
    """The comparison of a census file with the register; ``errors`` are rows that fit no group."""

    path: Path
    tolerance: float
    unit_grids: set = field(default_factory=set)
    groups: dict[str, list[Item]] = field(default_factory=lambda: {g: [] for g in GROUPS})
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {group: len(items) for group, items in self.groups.items()}


def compare(store, path: Path | str, *, tolerance: float = DEFAULT_TOLERANCE, options: ImportOptions | None = None,
            community: str | None = None, responsibility_grid: str | None = None) -> Census:
    """Read a census file and compare it with the register; nothing is written. Raises ImportError_ for a file
    that cannot be read or understood (see gridmap.io.importer)."""
    options = options or ImportOptions()
    path = Path(path)
    table = read_table(path, layer=options.source_layer, encoding=options.encoding, x=options.x, y=options.y)
    report = ImportReport(path, len(table), table.encoding)
    mapping, _profile = _choose_mapping(list(table.columns), options)
    geoms = project(store.srid, table, options, report)
    problems = [list(table.problems.get(k, [])) for k in range(len(table))]
    geoms, kinds = check_geometries(geoms, options, problems, [])
    columns = ("code", "class_code", *EDITABLE_FIELDS)
    values = {c: _column(table, mapping, c) for c in columns}
    census = Census(path, tolerance)
    grid_rows, grid_polys = geometries(store, "unit_grid", ["code", "community_code", "responsibility_grid_code"],
                                       "valid_to IS NULL")
    locator = GridLocator(grid_polys, [r[0] for r in grid_rows])
    present = np.array([g is not None for g in geoms], dtype=bool)
    located = np.full(len(geoms), None, dtype=object)
    if present.any():
        located[present] = locator.locate(geoms[present])
    classes = exchange.component_classes(store)
    if community or responsibility_grid:
        census.unit_grids = {r[0] for r in grid_rows if r[1] == community or r[2] == responsibility_grid}
        if not census.unit_grids:
            raise ImportError_(f"no current unit grid in {community or responsibility_grid}")
    else:
        census.unit_grids = {g for g in located if g is not None}
    surveyed: dict[str, int] = {}
    found = []
    for k in range(len(geoms)):
        if problems[k]:
            census.errors += [(k + 1, p) for p in problems[k]]
            continue
        if located[k] is None or located[k] not in census.unit_grids:
            census.errors.append((k + 1, "lies outside the surveyed area"))
            continue
        row_values = {c: (values[c][k] if values[c] is not None else None) for c in EDITABLE_FIELDS}
        row_values = {c: v for c, v in row_values.items() if v is not None}
        for name in ("initial_date", "change_date"):
            if name in row_values:
                try:
                    row_values[name] = iso_date(row_values[name])
                except ValueError as exc:
                    census.errors.append((k + 1, f"{name} {exc}"))
                    row_values.pop(name)
        try:
            row_values = check_values(row_values)
        except RegisterError as exc:
            census.errors.append((k + 1, str(exc)))
            continue
        code = values["code"][k] if values["code"] is not None else None
        class_code = values["class_code"][k] if values["class_code"] is not None else None
        if code and not class_code:
            try:
                class_code = codes_mod.parse_component_id(code).class_code
            except CodeError as exc:
                census.errors.append((k + 1, str(exc)))
                continue
        if class_code not in classes:
            census.errors.append((k + 1, f"unknown class {class_code}"))
            continue
        if classes[class_code] != kinds[k]:
            census.errors.append((k + 1, f"class {class_code} is a {classes[class_code]} class, the geometry is a "
                                         f"{geoms[k].geom_type}"))
            continue
        if code and code in surveyed:
            census.errors.append((k + 1, f"{code} is surveyed twice (also row {surveyed[code]})"))
            continue
        if code:
            surveyed[code] = k + 1
        found.append((k, code, class_code, row_values))
    registered = register.components_in(store, census.unit_grids)
    # surveyed codes registered outside the area (moved into it), or void, or unknown
    outside = {c: found_row for c in surveyed if c not in registered
               if (found_row := register.component_row(store, c)) is not None}
    found = _match_codeless(found, geoms, registered, surveyed, tolerance)
    for k, code, class_code, row_values in found:
        known = registered.get(code) or outside.get(code)
        if known is None or known[1].get("currency") == "作废":
            if known is not None:
                census.errors.append((k + 1, f"{code} is retired (作废): a retired code is never current again"))
                continue
            census.groups["new"].append(Item(None, k + 1, kinds[k], class_code, geoms[k], row_values))
            continue
        kind, stored, wkb = known
        if known[1].get("class_code") != class_code:
            census.errors.append((k + 1, f"{code} is of class {stored['class_code']} in the register, {class_code} "
                                         "in the survey: retire it and survey it anew"))
            continue
        distance = shapely.hausdorff_distance(shapely.from_wkb(wkb), geoms[k])
        moved = distance > tolerance
        if moved:
            census.groups["moved"].append(Item(code, k + 1, kind, class_code, geoms[k], distance=round(distance, 3)))
        differ = {name: (stored.get(name), value) for name, value in row_values.items()
                  if name != "change_date" and stored.get(name) != value}
        if differ:
            census.groups["changed"].append(Item(code, k + 1, kind, class_code, values=differ))
        if not moved and not differ:
            census.unchanged += 1
    for code, (kind, stored, _wkb) in sorted(registered.items()):
        if code not in surveyed:
            census.groups["missing"].append(Item(code, None, kind, stored["class_code"]))
    return census


def _match_codeless(found, geoms, registered, surveyed: dict, tolerance: float):
    """A surveyed component without a code that lies within the tolerance of a registered one of its class
    that the survey did not name is that component (surveyed again without its code), not a new one."""
    candidates = [c for c in registered if c not in surveyed]
    if not candidates or all(code for _k, code, _c, _v in found):
        return found
    tree = shapely.STRtree([shapely.from_wkb(registered[c][2]) for c in candidates])
    taken = set()
    out = []
    for k, given, class_code, row_values in found:
        code = given
        if not given:
            near = [candidates[i] for i in tree.query(geoms[k], predicate="dwithin", distance=tolerance)]
            near = [c for c in near if c not in taken and registered[c][1]["class_code"] == class_code]
            if near:
                code = min(near, key=lambda c: shapely.distance(shapely.from_wkb(registered[c][2]), geoms[k]))
                taken.add(code)
                surveyed[code] = k + 1
        out.append((k, code, class_code, row_values))
    return out


def apply(store, census: Census, accepted, *, user: str | None = None) -> dict:
    """Write the ``accepted`` groups in one transaction (store.register.commit): new components registered,
    moved ones moved, changed fields set, missing ones retired. Returns {file row: new code} of the new ones.
    Raises RegisterError or NotAllowedError; nothing is written then."""
    accepted = set(accepted)
    unknown = accepted - set(GROUPS)
    if unknown:
        raise RegisterError(f"unknown group(s) {', '.join(sorted(unknown))}; the groups are {', '.join(GROUPS)}")
    reason = f"census {census.path.name}"
    edits = []
    for item in census.groups["new"] if "new" in accepted else ():
        edits.append(register.Edit("add", class_code=item.class_code, geometry=shapely.to_wkb(item.geometry),
                                   values=dict(item.values), key=item.row, recorded_as="census"))
    for item in census.groups["moved"] if "moved" in accepted else ():
        edits.append(register.Edit("geometry", code=item.code, geometry=shapely.to_wkb(item.geometry),
                                   reason=f"{reason}: moved {item.distance:g} m", recorded_as="census"))
    for item in census.groups["changed"] if "changed" in accepted else ():
        edits.append(register.Edit("set", code=item.code, values={k: v[1] for k, v in item.values.items()},
                                   recorded_as="census"))
    for item in census.groups["missing"] if "missing" in accepted else ():
        edits.append(register.Edit("retire", code=item.code, reason=f"{reason}: not found", recorded_as="census"))
    if not edits:
        return {}
    return register.commit(store, edits, user=user, reason=reason)
