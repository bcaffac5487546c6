"""Import of unit grids: a new version only for grids whose polygon or responsibility grid really
changed; the result must still tile the district; a retired code never becomes current again."""

from __future__ import annotations

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.coverage import check_coverage, check_nesting
from gridmap.domain.errors import CodeError
from gridmap.domain.plan import check_batch
from gridmap.io.checks import ImportError_, ImportOptions, ImportReport, project, repair
from gridmap.store import exchange
from gridmap.store.connection import Store
from gridmap.store.queries import geometries

# A polygon within a centimetre of the stored one is the stored one: a round trip through EPSG:4326
# (GeoJSON, 7 decimals of a degree) moves vertices by up to ~1 cm, and the stored geometry is kept so
# the tiling stays exact; attributes are still compared.
SAME_WITHIN_M = 0.01


def _column(table, mapping: dict[str, str], column: str):
    # the mapped name, the store's own name, or the name gridmap's own shapefile export gives it
    # (a .dbf field holds 10 characters: responsibility_grid_code is written as 'responsibi')
    for name in (mapping.get(column), column, column[:10]):
        if name and name in table.columns:
            break
    else:
        return None
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip() or None
            for v in table.columns[name]]


def _same(a, b) -> bool:
    if shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=SAME_WITHIN_M):
        return True
    return bool(shapely.hausdorff_distance(a, b) <= SAME_WITHIN_M)


def import_unit_grids(store: Store, table, options: ImportOptions, report: ImportReport, dry_run: bool):
    """Check unit grids from ``table`` against the store and write the changed ones as new versions
    (store.exchange.write_unit_grid_versions). Returns the report; raises ImportError_."""
    report.profile = "unit_grid"
    mapping = options.mapping or {}
    geoms = project(store.srid, table, options, report)
    code_values = _column(table, mapping, "code")
    if code_values is None:
        raise ImportError_(f"{report.path}: no 'code' field for the unit grid codes (or pass --mapping)")
    resp_values = _column(table, mapping, "responsibility_grid_code")
    current, retired = exchange.unit_grid_versions(store)
    grids = exchange.responsibility_grid_codes(store)
    incoming: dict[str, tuple] = {}
    seen: set[str] = set()
    rows: dict[str, int] = {}
    for k, given in enumerate(geoms):
        row = k + 1
        shape = given
        code = code_values[k]
        for reason in table.problems.get(k, []):
            report.errors.append((row, f"{code}: {reason}"))
        try:
            codes_mod.check_unit_grid_code(code or "")
        except CodeError as exc:
            report.errors.append((row, str(exc)))
            continue
        if code in seen:
            report.errors.append((row, f"duplicate unit grid code {code}"))
            continue
        seen.add(code)
        rows[code] = row
        if code in retired:
            report.errors.append((row, f"unit grid {code} is retired; a retired code never becomes current again "
                                       "(incidents recorded under it would point elsewhere): give it a new code"))
            continue
        if shape is not None and not np.isfinite(shapely.get_coordinates(shape)).all():
            report.errors.append((row, f"unit grid {code}: coordinates that cannot be transformed into the store's "
                                       "CRS (is the CRS right?)"))
            continue
        if shape is None or shape.is_empty:
            if k not in table.problems:
                report.errors.append((row, f"unit grid {code}: no geometry"))
            continue
        if shape.geom_type == "MultiPolygon" and len(shape.geoms) == 1:
            shape = shape.geoms[0]
        if shape.geom_type != "Polygon":
            report.errors.append((row, f"unit grid {code}: a {shape.geom_type}, not one polygon"))
            continue
        if not shape.is_valid:
            if not options.repair:
                report.errors.append((row, f"unit grid {code}: invalid ring ({shapely.is_valid_reason(shape)})"))
                continue
            fixed, text = repair(shape, options.lossy_repair)
            if fixed is None:
                report.errors.append((row, f"unit grid {code}: {text}"))
                continue
            report.repaired.append((row, f"{code}: {text}"))
            shape = fixed
        resp = (resp_values[k] if resp_values is not None else None) or (current.get(code) or (None,))[0]
        if resp and resp not in grids:
            report.errors.append((row, f"unit grid {code}: unknown responsibility grid {resp}"))
            continue
        if code in current and _same(current[code][1], shape):
            shape = current[code][1]
            if current[code][0] == resp:
                report.unchanged += 1
                continue
        incoming[code] = (shape, resp)
    if report.errors:
        return report
    result = {c: g for c, (_, g) in current.items()}
    result.update({c: g for c, (g, _) in incoming.items()})
    _, district = geometries(store, "district", ["code"])
    problems = check_coverage(list(result.values()), list(result), area=shapely.union_all(district))
    com_rows, com_polys = geometries(store, "community", ["code"])
    problems += check_nesting([g for g, _ in incoming.values()], list(incoming), [c[:12] for c in incoming],
                              {r[0]: p for r, p in zip(com_rows, com_polys, strict=True)},
                              table="unit_grid", parent_table="community")
    report.errors += [(None, f"the unit grids would break the tiling: {p}") for p in problems]
    # the rules of `gridmap grid assign` and the grid editor, judged on the result of the whole file
    after = {c: r for c, (r, _) in current.items()}
    after.update({c: r for c, (_, r) in incoming.items()})
    refused = check_batch({c: r for c, (r, _) in current.items()}, after, result,
                          exchange.locked_responsibility_grids(store),
                          {c for c, (g, _) in incoming.items() if c not in current or not _same(current[c][1], g)})
    report.errors += [(rows.get(unit), f"unit grid {unit}: {reason}") for unit, reason in refused]
    report.inserted = sum(1 for c in incoming if c not in current)
    report.updated = len(incoming) - report.inserted
    if report.errors or dry_run:
        return report
    if incoming:
        exchange.write_unit_grid_versions(store, incoming, current,
                                          {"file": str(report.path), "inserted": report.inserted,
                                           "updated": report.updated, "unchanged": report.unchanged})
    report.written = True
    return report
