"""Whole-store validation: the tiling, the codes, the assignment of components, every reference and
every invariant of the schema (docs/data-model.md lists them, with how to repair each: REPAIRS)."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import shapely

from gridmap.domain import codes as codes_mod
from gridmap.domain.assignment import GridLocator
from gridmap.domain.coverage import AREA_TOLERANCE_M2, Problem, check_coverage, check_nesting
from gridmap.domain.errors import CodeError
from gridmap.store.connection import Store
from gridmap.store.queries import district_codes, geometries
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
    ("community_grid", "parent_code", "community_grid", "code", ""),
    ("routing_rule", "unit_code", "responsible_unit", "code", ""),
    ("responsible_unit", "successor_code", "responsible_unit", "code", ""),
    ("device_token", "staff_code", "staff", "code", ""),
    ("idempotency_key", "token_id", "device_token", "id", ""),
    ("idempotency_key", "incident_code", "incident", "code", ""),
    ("incident_step", "incident_code", "incident", "code", ""),
    ("incident_photo", "incident_code", "incident", "code", ""),
    ("plan_scenario_assignment", "responsibility_grid_code", "responsibility_grid", "code", ""),
]

#: kind of problem -> how to repair it (shown by 'gridmap validate', documented in docs/data-model.md)
REPAIRS: dict[str, str] = {
    "coverage.gap": "redraw the neighbouring unit grids in the grid editor so they meet (Grids > Edit unit grids)",
    "coverage.overlap": "move the shared edge in the grid editor so the unit grids no longer overlap",
    "orphan": "the named row points at something that is not there: restore the missing row from a backup "
              "('gridmap backup' before every repair), or set the reference to an existing code",
    "code.unit_grid": "unit grid codes are community (12) + 3 digits: re-import the unit grids with correct codes",
    "code.component": "a component ID is district (6) + class + serial: correct the class or re-register the "
                      "component under a new ID (the old one is retired)",
    "code.case": "case codes are YYYYMMDD + a serial of 6 or more digits; a malformed one came from outside "
                 "gridmap: correct it where it was imported",
    "code.reused": "a retired code is current again: give the row a new code (retired codes are never reused)",
    "case_serial.behind": "run the SQL in docs/data-model.md ('case_serial') to set the day's serial to its highest "
                          "case, or the next report of that day collides",
    "component.duplicate": "the same ID in two tables: retire one of them",
    "component.outside": "move the component into the managed area, or retire it",
    "component.wrong_grid": "run 'gridmap import' of the components again, or 'gridmap grid assign' re-runs "
                            "the assignment; the unit_grid_code follows the location",
    "component.unknown": "the case names a component that is not registered: register it, or correct the case's "
                         "component_code",
    "incident.snapshot": "the case's unit grid and community disagree: correct one from the case's location",
    "incident.inconsistent": "the case's status and its step times disagree: reopen the case in the case panel "
                             "and walk the missing steps",
    "incident_step.last_status": "the step log and the case disagree: the log is the truth; set the case's status "
                                 "to the last step's status_after",
    "routing.retired_unit": "a routing rule sends cases to a retired unit: 'gridmap unit retire' moves rules to "
                            "the successor, or set the rule in the Responsibility dock",
    "routing.unknown_area": "a routing rule names an area that does not exist: delete or correct the rule",
    "routing.unknown_class": "a routing rule names a class that does not exist: delete or correct the rule",
    "unit.no_successor": "a retired unit has no successor: name one ('gridmap unit retire CODE --successor')",
    "unit_grid.history_overlap": "two versions of one unit grid overlap in time: close the older one at the "
                                 "newer one's valid_from",
    "responsibility_grid.stale": "re-commit the plan in the grid editor; the dissolve is rebuilt",
    "responsibility_grid.disconnected": "its unit grids form separate parts: move the stray ones to a neighbouring "
                                        "grid in the grid editor (or with 'gridmap grid assign')",
    "component.retired_unit": "a component names a retired unit: 'gridmap unit assign' the successor (or retire the "
                              "unit again, which moves its components)",
    "unit.retired_in_use": "a retired unit still has components or open cases: retire it again with its successor "
                           "('gridmap unit retire CODE --successor S' moves them)",
    "unit.successor_cycle": "retired units name each other as successors: give one of them an active successor",
    "incident.no_place": "the case has no location or lies outside every unit grid: correct its location from the "
                         "report, or close it as erroneous",
}


def validate_store(store: Store) -> list[Problem]:
    """Check everything that must hold in a store; return the problems found (empty = valid)."""
    problems: list[Problem] = []
    problems += _check_unit_grids(store)
    problems += _check_responsibility_grids(store)
    problems += _check_components(store)
    problems += _check_incidents(store)
    problems += _check_references(store)
    problems += _check_codes(store)
    problems += _check_routing_and_units(store)
    problems += _check_case_times(store)
    return problems


_STEP_TIMES = ("reported_at", "registered_at", "dispatched_at", "handled_at", "checked_at", "closed_at")
#: the step times a status needs, and those it may not have yet
_NEEDS = {"registered": ("registered_at",), "dispatched": ("registered_at", "dispatched_at", "deadline"),
          "handled": ("registered_at", "dispatched_at", "deadline", "handled_at"),
          "checked": ("registered_at", "dispatched_at", "deadline", "handled_at", "checked_at"),
          "closed": ("closed_at",), "rejected": ("closed_at",)}
_NOT_YET = {"reported": ("registered_at", "dispatched_at", "handled_at", "checked_at", "closed_at"),
            "registered": ("dispatched_at", "handled_at", "checked_at", "closed_at"),
            "dispatched": ("handled_at", "checked_at", "closed_at"),
            "handled": ("checked_at", "closed_at"), "checked": ("closed_at",),
            "on_hold": ("closed_at",)}


def _as_time(value):
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return False


def _check_case_times(store: Store) -> list[Problem]:
    """Each case's times in the order of its steps, as its status says, none in the future; a rework
    count that is not negative; a place in the managed area."""
    columns = (*_STEP_TIMES, "deadline", "status", "close_type", "rework_count", "code")
    cursor = store.conn.cursor()
    rows = cursor.execute(f"SELECT {', '.join(columns)} FROM incident ORDER BY id").fetchall()
    tomorrow = dt.datetime.now() + dt.timedelta(days=2)  # any machine clock against Beijing time
    problems = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        code, status = values["code"], values["status"]
        times = {c: _as_time(values[c]) for c in (*_STEP_TIMES, "deadline")}
        reasons = [f"{c} {values[c]!r} is not a time" for c, t in times.items() if t is False]
        present = {c: t for c, t in times.items() if t}
        reasons += [f"{c} is in the future" for c, t in present.items() if t > tomorrow and c != "deadline"]
        reasons += [f"no {c}" for c in _NEEDS.get(status, ()) if not present.get(c)]
        reasons += [f"already has {c}" for c in _NOT_YET.get(status, ()) if present.get(c)]
        ordered = [(c, present[c]) for c in _STEP_TIMES if c in present]
        reasons += [f"{b} before {a}" for (a, ta), (b, tb) in itertools.pairwise(ordered) if tb < ta]
        deadline, dispatched = present.get("deadline"), present.get("dispatched_at")
        if deadline and dispatched and deadline < dispatched:
            reasons.append("deadline before dispatched_at")
        if values["close_type"] is not None and status != "closed":
            reasons.append(f"close_type {values['close_type']} on a case that is not closed")
        if values["rework_count"] is not None and int(values["rework_count"]) < 0:
            reasons.append(f"rework_count {values['rework_count']}")
        if reasons:
            problems.append(Problem("incident.inconsistent", "incident", code, f"status {status}: "
                                    + "; ".join(reasons)))
    return problems


def repair_hint(kind: str) -> str | None:
    """How to repair a problem of this kind, or None when there is no general advice."""
    return REPAIRS.get(kind) or REPAIRS.get(kind.split(".")[0])


def _check_codes(store: Store) -> list[Problem]:
    """Case codes well formed, serials ahead of every case, retired codes not current again, history
    versions of one unit grid not overlapping."""
    conn = store.conn
    problems = [Problem("code.case", "incident", code, "not YYYYMMDD + a serial of 6 or more digits")
                for (code,) in conn.execute("SELECT code FROM incident") if not codes_mod.is_case_code(code)]
    for day, serial, highest in conn.execute(
            "SELECT s.day, s.last, max(CAST(substr(i.code, 9) AS INTEGER)) FROM case_serial s JOIN incident i "
            "ON substr(i.code, 1, 8) = s.day GROUP BY s.day HAVING max(CAST(substr(i.code, 9) AS INTEGER)) > s.last"):
        problems.append(Problem("case_serial.behind", "case_serial", day,
                                f"serial {serial} is behind the day's highest case {highest}"))
    for (code,) in conn.execute("SELECT code FROM retired_code r WHERE kind = 'unit_grid' AND EXISTS "
                                "(SELECT 1 FROM unit_grid g WHERE g.code = r.code AND g.valid_to IS NULL)"):
        problems.append(Problem("code.reused", "unit_grid", code, "retired, yet current again"))
    for table in COMPONENT_TABLES.values():
        for (code,) in conn.execute(f"SELECT c.code FROM {table} c JOIN retired_code r ON r.kind = 'component' "
                                    f"AND r.code = c.code WHERE c.currency <> '作废'"):
            problems.append(Problem("code.reused", table, code, "retired, yet in use again"))
    for code, first, second in conn.execute(
            "SELECT a.code, a.valid_from, b.valid_from FROM unit_grid a JOIN unit_grid b ON a.code = b.code "
            "AND a.id < b.id WHERE a.valid_from < coalesce(b.valid_to, '9999-12-31') "
            "AND b.valid_from < coalesce(a.valid_to, '9999-12-31')"):
        problems.append(Problem("unit_grid.history_overlap", "unit_grid", code,
                                f"the versions from {first} and {second} overlap"))
    return problems


def _check_routing_and_units(store: Store) -> list[Problem]:
    conn = store.conn
    problems = []
    for kind, class_code, area_kind, area_code, unit in conn.execute(
            "SELECT r.class_kind, r.class_code, r.area_kind, r.area_code, r.unit_code FROM routing_rule r "
            "JOIN responsible_unit u ON u.code = r.unit_code WHERE u.retired_at IS NOT NULL"):
        problems.append(Problem("routing.retired_unit", "routing_rule", class_code,
                                f"{kind} {class_code} [{area_kind} {area_code}] goes to retired unit {unit}".strip()))
    for kind, class_code, area_kind, area_code in conn.execute(
            "SELECT class_kind, class_code, area_kind, area_code FROM routing_rule r WHERE "
            "(area_kind = 'responsibility_grid' AND NOT EXISTS (SELECT 1 FROM responsibility_grid g "
            "WHERE g.code = r.area_code)) OR (area_kind = 'community' AND NOT EXISTS (SELECT 1 FROM community c "
            "WHERE c.code = r.area_code))"):
        problems.append(Problem("routing.unknown_area", "routing_rule", class_code,
                                f"{kind} {class_code}: no {area_kind} {area_code}"))
    for kind, class_code in conn.execute(
            "SELECT class_kind, class_code FROM routing_rule r WHERE NOT EXISTS (SELECT 1 FROM event_class e "
            "WHERE r.class_kind = 'event' AND e.code = r.class_code) AND NOT EXISTS (SELECT 1 FROM component_class c "
            "WHERE r.class_kind = 'component' AND c.code = r.class_code)"):
        problems.append(Problem("routing.unknown_class", "routing_rule", class_code, f"no {kind} class {class_code}"))
    for (code,) in conn.execute("SELECT code FROM responsible_unit WHERE retired_at IS NOT NULL "
                                "AND successor_code IS NULL"):
        problems.append(Problem("unit.no_successor", "responsible_unit", code, "retired without a successor"))
    successor = {c: (r, s) for c, r, s in conn.execute("SELECT code, retired_at, successor_code FROM responsible_unit")}
    looped = set()
    for start in successor:
        seen, code = [], start
        while code in successor and successor[code][0] is not None and code not in seen:
            seen.append(code)
            code = successor[code][1]
        if code in seen and code not in looped:
            cycle = seen[seen.index(code):]
            looped.update(cycle)
            problems.append(Problem("unit.successor_cycle", "responsible_unit", code,
                                    "retired units succeed each other: " + " → ".join([*cycle, code])))
    for table in COMPONENT_TABLES.values():
        for unit, count in conn.execute(
                f"SELECT u.code, count(*) FROM {table} t JOIN responsible_unit u ON u.code IN "
                "(t.maintainer_unit_code, t.owner_unit_code, t.competent_unit_code) WHERE u.retired_at IS NOT NULL "
                "GROUP BY u.code"):
            problems.append(Problem("component.retired_unit", table, None,
                                    f"{count} component(s) still name retired unit {unit}"))
    for unit, count in conn.execute(
            "SELECT u.code, count(*) FROM incident i JOIN responsible_unit u ON u.code = i.responsible_unit_code "
            "WHERE u.retired_at IS NOT NULL AND i.status NOT IN ('closed', 'rejected') GROUP BY u.code"):
        problems.append(Problem("unit.retired_in_use", "responsible_unit", unit,
                                f"retired, yet {count} open case(s) are routed to it"))
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
        if shapely.get_num_geometries(dissolved) > 1:
            problems.append(Problem("responsibility_grid.disconnected", "responsibility_grid", code,
                                    f"its unit grids form {shapely.get_num_geometries(dissolved)} separate parts"))
        if poly is None or shapely.area(shapely.symmetric_difference(poly, dissolved)) > AREA_TOLERANCE_M2:
            problems.append(Problem("responsibility_grid.stale", "responsibility_grid", code,
                                    "polygon differs from the dissolve of its unit grids"))
    return problems


def _check_components(store: Store) -> list[Problem]:
    rows, polys = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    locator = GridLocator(polys, [r[0] for r in rows])
    districts = set(district_codes(store))
    named = ", ".join(sorted(districts))
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
                if districts and parsed.district_code not in districts:
                    problems.append(Problem("code.component", table, code,
                                            f"ID says district {parsed.district_code}, the store is {named}"))
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
    rows, points = geometries(store, "incident", ["code"])
    district = _district_area(store)
    if len(rows) and district is not None:
        area = shapely.buffer(district, 1.0)  # a case on the boundary line is in the managed area
        shapely.prepare(area)
        present = np.array([p is not None and not shapely.is_empty(p) for p in points], dtype=bool)
        inside = np.zeros(len(rows), dtype=bool)
        if present.any():
            inside[present] = shapely.contains(area, points[present])
        for k in np.flatnonzero(~inside):
            problems.append(Problem("incident.no_place", "incident", rows[k][0],
                                    "has no location" if not present[k] else "lies outside the managed area",
                                    *(_xy(points[k]) if present[k] else (None, None))))
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
    known = " UNION ALL ".join(f"SELECT code FROM {t}" for t in COMPONENT_TABLES.values())
    for code, component in store.conn.execute(
            f"SELECT code, component_code FROM incident WHERE component_code IS NOT NULL AND component_code NOT IN "
            f"({known})"):
        problems.append(Problem("component.unknown", "incident", code, f"names component {component}, "
                                                                       "which is not registered"))
    for code, status, last in store.conn.execute(
            "SELECT i.code, i.status, s.status_after FROM incident_step s JOIN incident i ON i.code = s.incident_code "
            "WHERE s.id = (SELECT max(id) FROM incident_step t WHERE t.incident_code = s.incident_code) "
            "AND s.status_after IS NOT NULL AND s.status_after <> i.status"):
        problems.append(Problem("incident_step.last_status", "incident", code,
                                f"status {status}, but the last step left it {last}"))
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
