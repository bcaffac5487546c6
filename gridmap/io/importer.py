"""Imports of components (or unit grids) from other bureaus' files: every row checked before anything
is written, then written in one short transaction. A file with any error changes nothing.

The order matters for the intake service beside us (issue 10): reading, validation, point-in-polygon
and the comparison with the store all happen first, with plain reads; only the inserts and updates
run inside the write transaction (store.exchange.write_component_changes).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.assignment import EDGE_TOLERANCE_M, GridLocator, representative_points
from gridmap.domain.calendar import city_today
from gridmap.domain.errors import CodeError
from gridmap.io.checks import ImportError_, ImportOptions, ImportReport, check_geometries, project
from gridmap.io.export import NATIVE_COMPONENT, load_profile
from gridmap.io.files import read_table
from gridmap.io.values import iso_date
from gridmap.store import exchange
from gridmap.store.connection import Store
from gridmap.store.queries import district_codes, geometries
from gridmap.store.schema import COMPONENT_CURRENCY, COMPONENT_STATES

COMPONENT_COLUMNS = [c for c, _ in NATIVE_COMPONENT if c != "unit_grid_code"]
DATE_COLUMNS = ("initial_date", "change_date")
_DEFAULTS = {"state": "完好", "currency": "在用"}

__all__ = ["ImportError_", "ImportOptions", "ImportReport", "import_file", "load_mapping"]


def load_mapping(path: Path | str) -> dict[str, str]:
    """A saved field mapping: JSON {"store column": "file field", ...}; raises ImportError_."""
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ImportError_(f"{path}: cannot read the mapping: {exc}") from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ImportError_(f"{path}: a mapping is a JSON object of store column -> file field")
    return mapping


def _profile_mapping(profile: str) -> dict[str, str]:
    mapping = {spec.source: spec.name for spec in load_profile(profile)}
    if profile == "native":
        mapping.update({c: c for c in mapping})  # full store names (GeoPackage, GeoJSON, CSV) as well
    return mapping


def _choose_mapping(fields: list[str], options: ImportOptions) -> tuple[dict[str, str], str]:
    if options.mapping:
        return options.mapping, "mapping"
    if options.profile:
        return _profile_mapping(options.profile), options.profile
    for profile, key in (("legacy", "OBJCODE"), ("gbt47678", "GLBJBSM"), ("native", "code")):
        if key in fields:
            return _profile_mapping(profile), profile
    raise ImportError_("cannot tell the field profile (no OBJCODE, GLBJBSM or code field): pass --profile or "
                       "--mapping")


def check_mapping(mapping: dict[str, str] | None, columns, fields: list[str] | None, what: str) -> None:
    """A mapping may name only store ``columns`` and (once the file is open) file ``fields``; a typo
    would otherwise write NULL into every row. Raises ImportError_ listing what exists."""
    if not mapping:
        return
    unknown = [c for c in mapping if c not in columns]
    if unknown:
        raise ImportError_(f"the mapping names {', '.join(map(repr, unknown))}, which {what} does not have; its "
                           f"columns are {', '.join(columns)}")
    if fields is not None:
        missing = [f for f in mapping.values() if f not in fields]
        if missing:
            raise ImportError_(f"the mapping names file field(s) {', '.join(map(repr, missing))}, which the file "
                               f"does not have; its fields are {', '.join(fields)}")


def _column(table, mapping: dict[str, str], column: str) -> np.ndarray | None:
    # the mapped name, the store's own name, or the short name a native shapefile carries
    for name in (mapping.get(column), column, dict(NATIVE_COMPONENT).get(column)):
        if name and name in table.columns:
            return _clean(table.columns[name])
    return None


def _clean(values: np.ndarray) -> np.ndarray:
    """Values as stripped text, None where empty; a fast path for columns that are text already."""
    if getattr(values, "clean", False):
        return values
    if values.dtype == object and all(v is None or type(v) is str for v in values):
        return np.array([v.strip() or None if v is not None else None for v in values], dtype=object)
    return np.array([_text(v) for v in values], dtype=object)


def _text(value):
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))  # a code or date stored as a number: 20190503.0 is 20190503
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)[:10]
    text = str(value).strip()
    return text or None


def import_file(store: Store, path: Path | str, options: ImportOptions | None = None,
                dry_run: bool = False) -> ImportReport:
    """Check a file against the store and, unless ``dry_run`` or anything is wrong, write it.

    Returns the report (errors list every rejected row with the reason). Raises
    FileFormatError for a broken file and ImportError_ when it cannot be understood.
    """
    options = options or ImportOptions()
    path = Path(path)
    if options.layer not in ("components", "unit_grid"):
        raise ImportError_(f"can import components or unit_grid, not {options.layer!r}")
    columns = COMPONENT_COLUMNS if options.layer == "components" else ["code", "responsibility_grid_code"]
    check_mapping(options.mapping, columns, None, f"the {options.layer} layer")
    table = read_table(path, layer=options.source_layer, encoding=options.encoding, x=options.x, y=options.y)
    check_mapping(options.mapping, columns, list(table.columns), f"the {options.layer} layer")
    report = ImportReport(path, len(table), table.encoding, notices=list(table.notices), labels=table.labels)
    if options.layer == "unit_grid":
        from gridmap.io.unit_grids import import_unit_grids  # noqa: PLC0415 - one import path per layer

        return import_unit_grids(store, table, options, report, dry_run)
    mapping, report.profile = _choose_mapping(list(table.columns), options)
    geoms = project(store.srid, table, options, report)
    values = {c: _column(table, mapping, c) for c in COMPONENT_COLUMNS}
    if values["code"] is None:
        raise ImportError_(f"{path}: no field for the component ID (mapping {mapping.get('code')!r})")
    problems = [list(table.problems.get(k, [])) for k in range(len(table))]
    rows = _validate_components(store, geoms, values, options, report, problems)
    if report.errors or not len(rows["code"]):
        return report
    _write_components(store, rows, report, dry_run)
    return report


def _explode(geoms, values, problems):
    """One row per part of each multi-part geometry; returns (geoms, values, problems, source row,
    part number)."""
    counts = np.array([shapely.get_num_geometries(g) if g is not None and shapely.get_type_id(g) in (4, 5, 6)
                       else 1 for g in geoms])
    source = np.repeat(np.arange(len(geoms)), counts)
    part = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.array([], dtype=int)
    out = np.array([shapely.get_geometry(geoms[s], p) if counts[s] > 1 else geoms[s]
                    for s, p in zip(source, part, strict=True)], dtype=object)
    values = {c: (v[source] if v is not None else None) for c, v in values.items()}
    return out, values, [list(problems[s]) for s in source], source, part


def _validate_components(store: Store, geoms, values, options, report, problems) -> dict[str, np.ndarray]:
    """Every check at once over arrays (99k rows in well under a second); rows with a problem are
    reported with the reason and left out. Returns the rows to write, column by column."""
    n = len(geoms)
    repaired: list[tuple[int, str]] = []
    geoms, kinds = check_geometries(geoms, options, problems, repaired)
    report.repaired += [(k + 1, f"{values['code'][k]}: {text}") for k, text in repaired]
    source = np.arange(n)
    part = np.zeros(n, dtype=int)
    if options.explode:
        geoms, values, problems, source, part = _explode(geoms, values, problems)
        kinds = np.array([kinds[s] for s in source], dtype=object)
        n = len(geoms)
    classes = exchange.component_classes(store)
    units = exchange.unit_codes(store)
    existing = exchange.component_kinds(store)
    retired = exchange.retired_component_codes(store)
    districts = set(district_codes(store))
    named = ", ".join(sorted(districts))
    grid_rows, grid_polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    located = np.full(n, None, dtype=object)
    ok = np.array([g is not None for g in geoms], dtype=bool)
    if len(grid_rows):
        # the same rule as `gridmap validate`: the deciding point lies in (or on the edge of) a unit grid
        located[ok] = GridLocator(grid_polys, [r[0] for r in grid_rows]).locate(geoms[ok])
        for k in np.flatnonzero(ok & np.array([c is None for c in located], dtype=bool)):
            problems[k].append("lies outside the managed area (in no unit grid)")
    code_values = values["code"].copy()
    class_field = values["class_code"]
    seen: dict[str, int] = {}
    serials: dict[str, int] = {}
    for k in range(n):
        code = code_values[k] or ""
        try:
            parsed = codes_mod.parse_component_id(code)
        except CodeError as exc:
            problems[k].append(str(exc))
            continue
        class_code = class_field[k] if class_field is not None and class_field[k] else parsed.class_code
        if part[k] > 0:  # a further part of an exploded multi-part: a new component with the next free ID
            code = _next_id(parsed, existing, seen, serials)
            code_values[k] = code
            report.notices.append(f"{report.where(int(source[k]) + 1)}: part {part[k] + 1} of {values['code'][k]} "
                                  f"becomes {code}")
        if code in seen:
            problems[k].append(f"duplicate ID (also {report.where(int(source[seen[code]]) + 1)})")
        seen.setdefault(code, k)
        if class_code not in classes:
            problems[k].append(f"unknown class {class_code}")
        elif kinds[k] and classes[class_code] != kinds[k]:
            problems[k].append(f"class {class_code} is a {classes[class_code]} class, the geometry is a "
                               f"{geoms[k].geom_type}")
        if parsed.class_code != class_code:
            problems[k].append(f"the ID says class {parsed.class_code}, the class field says {class_code}")
        if districts and parsed.district_code not in districts:
            problems[k].append(f"the ID is of district {parsed.district_code}, the store is {named}")
        if code in existing and kinds[k] and existing[code] != kinds[k]:
            problems[k].append(f"it exists as a {existing[code]} component, the file has a {kinds[k]}")
    values["code"] = code_values
    for role in ("competent", "owner", "maintainer"):
        column = values[f"{role}_unit_code"]
        if column is not None:
            for k in np.flatnonzero([u is not None and u not in units for u in column]):
                problems[k].append(f"unknown {role} unit {column[k]}")
    for name, allowed in (("state", COMPONENT_STATES), ("currency", COMPONENT_CURRENCY)):
        if values[name] is not None:
            for k in np.flatnonzero([s is not None and s not in allowed for s in values[name]]):
                problems[k].append(f"{name} {values[name][k]!r} is not one of {', '.join(allowed)}")
    currency = values["currency"] if values["currency"] is not None else np.full(n, None, dtype=object)
    for k, code in enumerate(code_values):
        why = retired.get(code)
        # a void component may be re-sent as void; anything that would make the ID current again is refused
        if why and (code not in existing or currency[k] not in (None, exchange.RETIRED_CURRENCY)):
            problems[k].append(f"the ID is retired ({why}): a retired ID never becomes current again; give the "
                               "component a new ID")
    for name in DATE_COLUMNS:
        column = values[name]
        if column is None:
            continue
        normalised = np.full(n, None, dtype=object)
        for k, value in enumerate(column):
            try:
                normalised[k] = iso_date(value)
            except ValueError as exc:
                problems[k].append(f"{name} {exc}")
        values[name] = normalised
    good = np.array([not p for p in problems], dtype=bool)
    for k in np.flatnonzero(~good):
        report.errors.extend((int(source[k]) + 1, f"{code_values[k]}: {p}") for p in problems[k])
    keep = np.flatnonzero(good)
    batch = {c: (values[c][keep] if values[c] is not None else np.full(len(keep), None, dtype=object))
             for c in COMPONENT_COLUMNS}
    batch["class_code"] = np.array([c or code[6:-6] for c, code in zip(batch["class_code"], batch["code"],
                                                                      strict=True)], dtype=object)
    batch["unit_grid_code"] = located[keep]
    batch["geometry"] = geoms[keep]
    batch["kind"] = kinds[keep]
    batch["new"] = np.array([code not in existing for code in batch["code"]], dtype=bool)
    return batch


def _next_id(parsed, existing, seen, serials) -> str:
    """The next component ID of the same district and class that neither the store nor the file uses."""
    key = parsed.district_code + parsed.class_code
    serial = serials.get(key, parsed.serial)
    while True:
        serial += 1
        code = codes_mod.component_id(parsed.district_code, parsed.class_code, serial)
        if code not in existing and code not in seen:
            serials[key] = serial
            return code


def _kept_unit_grids(store: Store, unmoved: list[int], codes, geoms, stored: dict, grid_column: int) -> dict:
    """Row → stored unit grid code, for components that did not move whose deciding point lies on their
    stored unit grid's edge (within EDGE_TOLERANCE_M): a round trip through EPSG:4326 nudges a point on
    a shared edge into the neighbour, and the component would change grid for nothing."""
    if not unmoved:
        return {}
    grid_rows, grid_polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    polygons = {r[0]: p for r, p in zip(grid_rows, grid_polys, strict=True)}
    rows = [k for k in unmoved if stored[codes[k]][grid_column] in polygons]
    if not rows:
        return {}
    points = representative_points(geoms[rows])
    owners = np.array([polygons[stored[codes[k]][grid_column]] for k in rows], dtype=object)
    near = shapely.dwithin(owners, points, EDGE_TOLERANCE_M)
    return {k: stored[codes[k]][grid_column] for k, ok in zip(rows, near, strict=True) if ok}


def _write_components(store: Store, rows: dict, report: ImportReport, dry_run: bool = False) -> None:
    """Decide every insert and update first (new components get today as the initial date, intact
    and in use unless the file says; an existing one is updated only where the file gives a value
    that differs, or the geometry moved by more than a millimetre, and gets today's change date),
    then write them in one short transaction (store.exchange.write_component_changes)."""
    today = city_today().isoformat()
    columns = exchange.COMPONENT_VALUE_COLUMNS
    date_column = columns.index("change_date")
    grid_column = columns.index("unit_grid_code")
    compared = [k for k in range(len(columns)) if k != date_column]
    changes = []
    for kind in ("point", "line", "polygon"):
        mine = np.flatnonzero(rows["kind"] == kind)
        if not len(mine):
            continue
        change = exchange.ComponentChanges(kind)
        codes = rows["code"][mine]
        geoms = rows["geometry"][mine]
        wkb = shapely.to_wkb(geoms, output_dimension=2)
        file_values = [rows[c][mine] for c in columns]
        stored, stored_geoms = exchange.stored_components(store, kind, codes[~rows["new"][mine]])
        old = [k for k, code in enumerate(codes) if code in stored]
        moved = np.zeros(len(codes), dtype=bool)
        kept_grid: dict[int, str] = {}
        if old:
            before = np.array([stored_geoms[codes[k]] for k in old], dtype=object)
            moved[old] = ~shapely.equals_exact(before, geoms[old], tolerance=0.001)
            kept_grid = _kept_unit_grids(store, [k for k in old if not moved[k]], codes, geoms, stored, grid_column)
        for k, code in enumerate(codes):
            incoming = [v[k] for v in file_values]
            if code not in stored:
                row = [_DEFAULTS.get(c) if v is None else v for c, v in zip(columns, incoming, strict=True)]
                row[columns.index("initial_date")] = row[columns.index("initial_date")] or today
                change.insert_rows.append((code, *row, wkb[k]))
                continue
            current = stored[code]
            if k in kept_grid:
                incoming[grid_column] = kept_grid[k]
            # values arrive stripped; a stored value that differs only by leading/trailing spaces (" =1+1",
            # kept as it was entered) is unchanged, so our own export comes back as 0 updated
            merged = [current[i] if v is None or (isinstance(v, str) and isinstance(current[i], str)
                                                  and v == current[i].strip()) else v
                      for i, v in enumerate(incoming)]
            bits = sum(1 << i for i in compared if merged[i] != current[i])
            if moved[k] or bits:
                merged[date_column] = today
                change.update_rows.append((code, *merged, wkb[k]))
                change.changed.append(bits | (1 << date_column))
                change.moved.append(bool(moved[k]))
        report.inserted += len(change.insert_rows)
        report.updated += len(change.update_rows)
        report.unchanged += len(old) - len(change.update_rows)
        changes.append(change)
    if dry_run:
        return
    exchange.write_component_changes(store, changes, {
        "file": str(report.path), "inserted": report.inserted, "updated": report.updated,
        "unchanged": report.unchanged, "profile": report.profile})
    report.written = True
