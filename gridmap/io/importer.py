"""Imports of components (or unit grids) from other bureaus' files: validated in full before anything
is written, then written in one transaction. A file with any error changes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.assignment import GridLocator
from gridmap.domain.coords import gcj02_to_wgs84
from gridmap.domain.coverage import check_coverage, check_nesting
from gridmap.domain.errors import CodeError, GridmapError
from gridmap.io.export import NATIVE_COMPONENT, load_profile
from gridmap.io.files import read_table
from gridmap.store import audit, bulk
from gridmap.store.connection import Store
from gridmap.store.queries import geometries
from gridmap.store.schema import COMPONENT_STATES, COMPONENT_TABLES

COMPONENT_COLUMNS = [c for c, _ in NATIVE_COMPONENT if c != "unit_grid_code"]
BULK_ROWS = 5000  # above this many rows for a table, rebuild its R*Tree after the write instead of row by row
_GEOMETRY_OF = {"Point": "point", "LineString": "line", "Polygon": "polygon"}


class ImportError_(GridmapError):
    """The file cannot be imported as asked (no CRS, unknown profile, bad mapping...)."""


@dataclass
class ImportOptions:
    layer: str = "components"  # components | unit_grid
    encoding: str | None = None
    crs: int | None = None  # EPSG, used when the file has none
    gcj02: bool = False  # the file's lon/lat are GCJ-02: correct them to WGS84 first
    profile: str | None = None  # legacy | gbt47678 | native; None = recognise it from the fields
    mapping: dict[str, str] | None = None  # store column -> file field
    repair: bool = True  # repair invalid geometries (else reject them)
    source_layer: str | None = None  # the layer to read in a multi-layer file (GeoPackage)


@dataclass
class ImportReport:
    path: Path
    rows: int = 0
    encoding: str | None = None
    crs: str | None = None
    profile: str | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    written: bool = False

    def lines(self) -> list[str]:
        out = [f"{self.path}: {self.rows} row(s), encoding {self.encoding or '-'}, CRS {self.crs or '-'}, "
               f"profile {self.profile or '-'}"]
        out += [f"  row {row}: repaired: {text}" for row, text in self.repaired[:50]]
        out += [f"  {'row ' + str(row) if row is not None else 'file'}: {text}" for row, text in self.errors[:200]]
        if len(self.errors) > 200:
            out.append(f"  ... {len(self.errors) - 200} more")
        verb = "wrote" if self.written else "would write" if not self.errors else "nothing written:"
        out.append(f"{verb} {self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
                   if not self.errors or self.written
                   else f"nothing written: {len(self.errors)} error(s)")
        return out


def load_mapping(path: Path | str) -> dict[str, str]:
    """A saved field mapping: JSON {"store column": "file field", ...}."""
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
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
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)[:10]
    text = str(value).strip()
    return text or None


def _project(store: Store, table, options: ImportOptions, report: ImportReport) -> np.ndarray:
    crs = table.crs or (pyproj.CRS.from_epsg(options.crs) if options.crs else None)
    if crs is None:
        raise ImportError_(f"{report.path}: the file says nothing of its coordinate system (no .prj): "
                           "pass --crs EPSG:N")
    report.crs = f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else crs.name
    geoms = table.geometries
    if options.gcj02:
        if not crs.is_geographic:
            raise ImportError_(f"{report.path}: GCJ-02 correction needs longitude/latitude, but the file is in "
                               f"{crs.name}")
        def degcj(xy):
            lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])
        geoms = shapely.transform(geoms, degcj)
        crs = pyproj.CRS.from_epsg(4326)
    if crs.to_epsg() != store.srid:
        transformer = pyproj.Transformer.from_crs(crs, store.srid, always_xy=True)
        geoms = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return np.asarray(geoms, dtype=object)


def import_file(store: Store, path: Path | str, options: ImportOptions | None = None,
                dry_run: bool = False) -> ImportReport:
    """Check a file against the store and, unless ``dry_run`` or anything is wrong, write it.

    Returns the report (errors list every rejected row with the reason). Raises
    FileFormatError for a broken file and ImportError_ when it cannot be understood.
    """
    options = options or ImportOptions()
    path = Path(path)
    table = read_table(path, layer=options.source_layer, encoding=options.encoding)
    report = ImportReport(path, len(table), table.encoding)
    if options.layer == "unit_grid":
        return _import_unit_grids(store, table, options, report, dry_run)
    if options.layer != "components":
        raise ImportError_(f"can import components or unit_grid, not {options.layer!r}")
    mapping, report.profile = _choose_mapping(list(table.columns), options)
    geoms = _project(store, table, options, report)
    values = {c: _column(table, mapping, c) for c in COMPONENT_COLUMNS}
    if values["code"] is None:
        raise ImportError_(f"{path}: no field for the component ID (mapping {mapping.get('code')!r})")
    rows = _validate_components(store, geoms, values, options, report)
    if report.errors or not len(rows["code"]):
        return report
    _write_components(store, rows, report, dry_run)
    return report


def _validate_components(store: Store, geoms, values, options, report) -> dict[str, np.ndarray]:
    """Every check at once over arrays (99k rows in well under a second); rows with a problem are
    reported with the reason and left out. Returns the rows to write, column by column."""
    conn = store.conn
    n = len(geoms)
    classes = dict(conn.execute("SELECT code, geometry FROM component_class"))
    units = {r[0] for r in conn.execute("SELECT code FROM responsible_unit")}
    existing: dict[str, str] = {}
    for kind, table in COMPONENT_TABLES.items():
        existing.update((r[0], kind) for r in conn.execute(f"SELECT code FROM {table}"))
    district_code = store.setting("district_code")
    problems: list[list[str]] = [[] for _ in range(n)]
    geoms = np.asarray(geoms, dtype=object).copy()
    missing = np.array([g is None for g in geoms]) | shapely.is_empty(geoms)
    for k in np.flatnonzero(missing):
        problems[k].append("no geometry")
    invalid = ~missing & ~shapely.is_valid(geoms)
    for k in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms[k])
        if not options.repair:
            problems[k].append(f"invalid geometry ({reason})")
            continue
        parts = [p for p in shapely.get_parts(shapely.make_valid(geoms[k])) if p.geom_type == geoms[k].geom_type]
        if not parts:
            problems[k].append(f"invalid geometry that cannot be repaired ({reason})")
            continue
        geoms[k] = max(parts, key=lambda p: p.area if p.geom_type == "Polygon" else p.length)
        report.repaired.append((k + 1, f"{values['code'][k]}: {reason}"))
    ok = ~missing
    single = ok & np.isin(shapely.get_type_id(geoms), (4, 5, 6)) & (shapely.get_num_geometries(geoms) == 1)
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    type_names = {0: "point", 1: "line", 3: "polygon"}  # shapely type ids of Point, LineString, Polygon
    kinds = np.array([type_names.get(t) for t in shapely.get_type_id(geoms)], dtype=object)
    _, district = geometries(store, "district", ["code"])
    if len(district):
        area = shapely.union_all(district)
        reps = shapely.point_on_surface(geoms[ok])
        inside = np.zeros(n, dtype=bool)
        inside[ok] = shapely.contains_xy(area, shapely.get_x(reps), shapely.get_y(reps))
        for k in np.flatnonzero(ok & ~inside):
            problems[k].append("lies outside the managed area")
    code_values = values["code"]
    class_field = values["class_code"]
    seen: dict[str, int] = {}
    for k in range(n):
        code = code_values[k] or ""
        try:
            parsed = codes_mod.parse_component_id(code)
        except CodeError as exc:
            problems[k].append(str(exc))
            continue
        class_code = class_field[k] if class_field is not None and class_field[k] else parsed.class_code
        if code in seen:
            problems[k].append(f"duplicate ID (also row {seen[code] + 1})")
        seen.setdefault(code, k)
        if class_code not in classes:
            problems[k].append(f"unknown class {class_code}")
        elif kinds[k] and classes[class_code] != kinds[k]:
            problems[k].append(f"class {class_code} is a {classes[class_code]} class, the geometry is a "
                               f"{geoms[k].geom_type}")
        if parsed.class_code != class_code:
            problems[k].append(f"the ID says class {parsed.class_code}, the class field says {class_code}")
        if district_code and parsed.district_code != district_code:
            problems[k].append(f"the ID is of district {parsed.district_code}, the store is {district_code}")
        if code in existing and kinds[k] and existing[code] != kinds[k]:
            problems[k].append(f"it exists as a {existing[code]} component, the file has a {kinds[k]}")
    for role in ("competent", "owner", "maintainer"):
        column = values[f"{role}_unit_code"]
        if column is not None:
            for k in np.flatnonzero([u is not None and u not in units for u in column]):
                problems[k].append(f"unknown {role} unit {column[k]}")
    if values["state"] is not None:
        for k in np.flatnonzero([s is not None and s not in COMPONENT_STATES for s in values["state"]]):
            problems[k].append(f"state {values['state'][k]!r} is not one of {', '.join(COMPONENT_STATES)}")
    good = np.array([not p for p in problems], dtype=bool)
    for k in np.flatnonzero(~good):
        report.errors.extend((k + 1, f"{code_values[k]}: {p}") for p in problems[k])
    grid_rows, grid_polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    keep = np.flatnonzero(good)
    batch = {c: (values[c][keep] if values[c] is not None else np.full(len(keep), None, dtype=object))
             for c in COMPONENT_COLUMNS}
    codes_kept = batch["code"]
    batch["class_code"] = np.array([c or code[6:-6] for c, code in zip(batch["class_code"], codes_kept, strict=True)],
                                   dtype=object)
    batch["unit_grid_code"] = GridLocator(grid_polys, [r[0] for r in grid_rows]).locate(geoms[keep])
    batch["geometry"] = geoms[keep]
    batch["kind"] = kinds[keep]
    batch["new"] = np.array([code not in existing for code in codes_kept], dtype=bool)
    return batch


def _write_components(store: Store, rows: dict, report: ImportReport, dry_run: bool = False) -> None:
    """Insert new components; update existing ones only where the file differs (attributes or
    geometry), stamping today's change date on those alone. Set-based: the rows go into a temporary
    table and one UPDATE ... FROM applies them. With ``dry_run`` the counts are made and rolled back."""
    today = dt.date.today().isoformat()
    columns = [c for c in COMPONENT_COLUMNS if c != "code"] + ["unit_grid_code"]
    compared = [c for c in columns if c != "change_date"]
    try:
        with store.transaction() as conn:
            conn.execute("CREATE TEMP TABLE import_row (code TEXT PRIMARY KEY, "
                         + ", ".join(f"{c} TEXT" for c in columns) + ", wkb BLOB)")
            for kind, table in COMPONENT_TABLES.items():
                mine = rows["kind"] == kind
                if not mine.any():
                    continue
                wkb = shapely.to_wkb(rows["geometry"][mine])
                is_new = rows["new"][mine]
                values = [rows["code"][mine], *[rows[c][mine] for c in columns], wkb]
                new = list(zip(*[_defaults(c, v[is_new], today) for c, v in zip(["code", *columns, "wkb"], values,
                                                                                  strict=True)], strict=True))
                old = list(zip(*[v[~is_new] for v in values], strict=True))
                names = ["code", *columns, "geom"]
                if new and not dry_run:
                    with bulk.spatial_indexes_off(conn, [table]) if len(new) > BULK_ROWS else contextlib.nullcontext():
                        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                         f"({', '.join('?' * (len(names) - 1))}, GeomFromWKB(?, {int(store.srid)}))",
                                         new)
                changed = 0
                if old:
                    conn.execute("DELETE FROM import_row")
                    conn.executemany(f"INSERT INTO import_row VALUES ({', '.join('?' * (len(columns) + 2))})", old)
                    # a point that moved less than a millimetre (a rounded survey) has not moved
                    moved = ("abs(X(t.geom) - X(GeomFromWKB(i.wkb))) > 0.001 OR "
                             "abs(Y(t.geom) - Y(GeomFromWKB(i.wkb))) > 0.001") if kind == "point" \
                        else "AsBinary(t.geom) IS NOT i.wkb"
                    differs = " OR ".join([f"(i.{c} IS NOT NULL AND i.{c} IS NOT t.{c})" for c in compared]
                                          + [f"({moved})"])
                    conn.execute(f"DELETE FROM import_row WHERE code NOT IN (SELECT i.code FROM import_row i "
                                 f"JOIN {table} t ON t.code = i.code WHERE {differs})")
                    changed = conn.execute("SELECT count(*) FROM import_row").fetchone()[0]
                    if changed and not dry_run:
                        sets = ", ".join(f"{c} = coalesce(i.{c}, {table}.{c})" for c in compared)
                        with bulk.spatial_indexes_off(conn, [table]) if changed > BULK_ROWS \
                                else contextlib.nullcontext():
                            conn.execute(f"UPDATE {table} SET {sets}, change_date = ?, geom = GeomFromWKB(i.wkb, "
                                         f"{int(store.srid)}) FROM import_row i WHERE {table}.code = i.code", (today,))
                report.inserted += len(new)
                report.updated += changed
                report.unchanged += len(old) - changed
            conn.execute("DROP TABLE import_row")
            if dry_run:
                raise _DryRun
            audit.log(conn, "import.components", detail={
                "file": str(report.path), "inserted": report.inserted, "updated": report.updated,
                "unchanged": report.unchanged, "profile": report.profile})
    except _DryRun:
        return
    report.written = True


class _DryRun(Exception):
    """Rolls the counting transaction of a dry run back."""


_DEFAULTS = {"state": "完好", "currency": "在用"}


def _defaults(column: str, values: np.ndarray, today: str) -> np.ndarray:
    """Values for new components: today as the initial date, intact and in use unless the file says."""
    fill = today if column == "initial_date" else _DEFAULTS.get(column)
    if fill is None:
        return values
    return np.array([fill if v is None else v for v in values], dtype=object)


def _import_unit_grids(store: Store, table, options: ImportOptions, report: ImportReport, dry_run: bool):
    """Unit grids: new codes are added, existing codes get a new version; the result must still tile."""
    report.profile = "unit_grid"
    mapping = options.mapping or {}
    geoms = _project(store, table, options, report)
    code_values = _column(table, mapping, "code")
    if code_values is None:
        raise ImportError_(f"{report.path}: no 'code' field for the unit grid codes (or pass --mapping)")
    resp_values = _column(table, mapping, "responsibility_grid_code")
    current = dict(store.conn.execute("SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))
    grids = {r[0] for r in store.conn.execute("SELECT code FROM responsibility_grid")}
    incoming: dict[str, tuple] = {}
    for k, shape in enumerate(geoms):
        code = code_values[k]
        try:
            codes_mod.check_unit_grid_code(code or "")
        except CodeError as exc:
            report.errors.append((k + 1, str(exc)))
            continue
        if shape is None or shape.geom_type not in ("Polygon", "MultiPolygon"):
            report.errors.append((k + 1, f"{code}: not a polygon"))
            continue
        geom = shape.geoms[0] if shape.geom_type == "MultiPolygon" and len(shape.geoms) == 1 else shape
        resp = (resp_values[k] if resp_values is not None else None) or current.get(code)
        if resp and resp not in grids:
            report.errors.append((k + 1, f"{code}: unknown responsibility grid {resp}"))
            continue
        if code in incoming:
            report.errors.append((k + 1, f"duplicate unit grid code {code}"))
            continue
        incoming[code] = (geom, resp)
    rows, polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    result = {r[0]: p for r, p in zip(rows, polys, strict=True)}
    result.update({c: g for c, (g, _) in incoming.items()})
    _, district = geometries(store, "district", ["code"])
    problems = check_coverage(list(result.values()), list(result), area=shapely.union_all(district))
    com_rows, com_polys = geometries(store, "community", ["code"])
    problems += check_nesting([g for g, _ in incoming.values()], list(incoming), [c[:12] for c in incoming],
                              {r[0]: p for r, p in zip(com_rows, com_polys, strict=True)},
                              table="unit_grid", parent_table="community")
    report.errors += [(None, f"the unit grids would break the tiling: {p}") for p in problems]
    report.inserted = sum(1 for c in incoming if c not in current)
    report.updated = len(incoming) - report.inserted
    if report.errors or dry_run:
        return report
    stamp = dt.datetime.now().isoformat(timespec="milliseconds")
    with store.transaction() as conn:
        for code, (geom, resp) in incoming.items():
            conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, code))
            conn.execute(f"INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, valid_from, "
                         f"geom) VALUES (?, ?, ?, ?, ?, GeomFromWKB(?, {int(store.srid)}))",
                         (code, code[:12], resp, round(geom.area, 1), stamp, shapely.to_wkb(geom)))
        from gridmap.store.grids import _dissolve, _reassign  # noqa: PLC0415 - one definition of both

        changed = list(incoming)
        _reassign(conn, changed, changed, [g for g, _ in incoming.values()])
        _dissolve(conn, store.srid, {resp for _, resp in incoming.values()} | {current.get(c) for c in changed})
        audit.log(conn, "import.unit_grids", detail={"file": str(report.path), "inserted": report.inserted,
                                                     "updated": report.updated})
    report.written = True
    return report
