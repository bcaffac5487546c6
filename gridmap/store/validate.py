"""Whole-store validation: the tiling, the codes, the assignment of components, orphans."""

from __future__ import annotations

import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.assignment import GridLocator
from gridmap.domain.coverage import AREA_TOLERANCE_M2, Problem, check_coverage, check_nesting
from gridmap.domain.errors import CodeError
from gridmap.store.connection import Store
from gridmap.store.queries import geometries
from gridmap.store.schema import COMPONENT_TABLES

# (table, column, referenced table, referenced column, extra condition on the referenced table)
_REFERENCES = [
    ("unit_grid", "community_code", "community", "code", ""),
    ("unit_grid", "responsibility_grid_code", "responsibility_grid", "code", ""),
    *[(t, c, "responsible_unit", "code", "") for t in COMPONENT_TABLES.values()
      for c in ("competent_unit_code", "owner_unit_code", "maintainer_unit_code")],
    *[(t, "class_code", "component_class", "code", "") for t in COMPONENT_TABLES.values()],
    ("incident", "unit_grid_code", "unit_grid", "code", ""),
    ("incident", "responsibility_grid_code", "responsibility_grid", "code", ""),
    ("incident", "community_code", "community", "code", ""),
    ("incident", "street_code", "street", "code", ""),
    ("incident", "responsible_unit_code", "responsible_unit", "code", ""),
    ("incident", "reporter_staff_code", "staff", "code", ""),
    ("supervisor_assignment", "staff_code", "staff", "code", ""),
    ("supervisor_assignment", "responsibility_grid_code", "responsibility_grid", "code", ""),
    ("community_grid_role", "staff_code", "staff", "code", ""),
    ("community_grid_role", "community_grid_code", "community_grid", "code", ""),
    ("community", "street_code", "street", "code", ""),
    ("street", "district_code", "district", "code", ""),
]


def validate_store(store: Store) -> list[Problem]:
    """Check everything that must hold in a store; return the problems found (empty = valid)."""
    problems: list[Problem] = []
    problems += _check_unit_grids(store)
    problems += _check_responsibility_grids(store)
    problems += _check_components(store)
    problems += _check_incidents(store)
    problems += _check_references(store)
    return problems


def _district_area(store: Store):
    _, districts = geometries(store, "district", ["code"])
    return shapely.union_all(districts) if len(districts) else None


def _check_unit_grids(store: Store) -> list[Problem]:
    rows, polys = geometries(store, "unit_grid", ["code", "community_code"], "valid_to IS NULL")
    problems: list[Problem] = []
    if not rows:
        return [Problem("empty", "unit_grid", None, "the store has no current unit grids")]
    grid_codes = [r[0] for r in rows]
    problems += check_coverage(polys, grid_codes, area=_district_area(store))
    for code, community in rows:
        try:
            codes_mod.check_unit_grid_code(code, community)
        except CodeError as exc:
            problems.append(Problem("code.unit_grid", "unit_grid", code, str(exc)))
    com_rows, com_polys = geometries(store, "community", ["code"])
    communities = {r[0]: g for r, g in zip(com_rows, com_polys, strict=True)}
    problems += check_nesting(polys, grid_codes, [r[1] for r in rows], communities,
                              table="unit_grid", parent_table="community")
    return problems


def _check_responsibility_grids(store: Store) -> list[Problem]:
    rows, polys = geometries(store, "responsibility_grid", ["code"])
    grid_rows, grid_polys = geometries(store, "unit_grid", ["responsibility_grid_code"], "valid_to IS NULL")
    members: dict[str, list] = {}
    for (code,), poly in zip(grid_rows, grid_polys, strict=True):
        members.setdefault(code, []).append(poly)
    problems = []
    for (code,), poly in zip(rows, polys, strict=True):
        parts = members.get(code)
        if not parts:
            continue  # an empty grid is allowed while a plan is redrawn
        dissolved = shapely.union_all(parts)
        if poly is None or shapely.area(shapely.symmetric_difference(poly, dissolved)) > AREA_TOLERANCE_M2:
            problems.append(Problem("responsibility_grid.stale", "responsibility_grid", code,
                                    "polygon differs from the dissolve of its unit grids"))
    return problems


def _check_components(store: Store) -> list[Problem]:
    rows, polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    locator = GridLocator(polys, [r[0] for r in rows])
    district = store.setting("district_code")
    problems = []
    seen: dict[str, str] = {}
    for table in COMPONENT_TABLES.values():
        comp_rows, geoms = geometries(store, table, ["code", "class_code", "unit_grid_code"])
        if not comp_rows:
            continue
        located = locator.locate(geoms)
        for (code, class_code, grid_code), actual, geom in zip(comp_rows, located, geoms, strict=True):
            if code in seen:
                problems.append(Problem("component.duplicate", table, code, f"the same ID is also in {seen[code]}"))
            seen[code] = table
            try:
                parsed = codes_mod.parse_component_id(code)
                if parsed.class_code != class_code:
                    problems.append(Problem("code.component", table, code,
                                            f"ID says class {parsed.class_code}, class_code is {class_code}"))
                if district and parsed.district_code != district:
                    problems.append(Problem("code.component", table, code,
                                            f"ID says district {parsed.district_code}, the store is {district}"))
            except CodeError as exc:
                problems.append(Problem("code.component", table, code, str(exc)))
            if actual is None:
                x, y = _xy(geom)
                problems.append(Problem("component.outside", table, code, "lies outside every unit grid", x, y))
            elif actual != grid_code:
                x, y = _xy(geom)
                problems.append(Problem("component.wrong_grid", table, code,
                                        f"unit_grid_code is {grid_code} but it lies in {actual}", x, y))
    return problems


def _check_incidents(store: Store) -> list[Problem]:
    # Incidents keep the grids they had when reported; those codes must exist in the history.
    problems = []
    sql = ("SELECT i.code, i.unit_grid_code FROM incident i WHERE i.unit_grid_code IS NOT NULL AND "
           "substr(i.unit_grid_code, 1, 12) <> i.community_code")
    for code, grid in store.conn.execute(sql):
        problems.append(Problem("incident.snapshot", "incident", code,
                                f"unit grid {grid} is not in the incident's community"))
    sql = ("SELECT i.class_kind, i.class_code, count(*) FROM incident i WHERE NOT EXISTS (SELECT 1 FROM event_class e "
           "WHERE i.class_kind = 'event' AND e.code = i.class_code) AND NOT EXISTS (SELECT 1 FROM component_class c "
           "WHERE i.class_kind = 'component' AND c.code = i.class_code) GROUP BY 1, 2")
    for kind, class_code, count in store.conn.execute(sql):
        problems.append(Problem("orphan", "incident", None,
                                f"{count} incident(s) of unknown {kind} class {class_code}"))
    return problems


def _check_references(store: Store) -> list[Problem]:
    problems = []
    for table, column, ref_table, ref_column, _ in _REFERENCES:
        sql = (f"SELECT t.{column}, count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
               f"(SELECT 1 FROM {ref_table} r WHERE r.{ref_column} = t.{column}) GROUP BY t.{column}")
        for value, count in store.conn.execute(sql):
            problems.append(Problem("orphan", table, None,
                                    f"{column} {value!r} ({count} rows) is not in {ref_table}"))
    return problems


def _xy(geom) -> tuple[float | None, float | None]:
    if geom is None:
        return None, None
    p = shapely.point_on_surface(geom)
    return float(p.x), float(p.y)


def summarize(problems: list[Problem]) -> dict[str, int]:
    """Count problems by kind."""
    out: dict[str, int] = {}
    for p in problems:
        out[p.kind] = out.get(p.kind, 0) + 1
    return dict(sorted(out.items()))


__all__ = ["Problem", "summarize", "validate_store"]
