"""The demo city into a store: the city's own rows once, then each district's as soon as it is built,
so a city of nine districts never holds more than one district's rows in memory."""

from __future__ import annotations

import numpy as np
import shapely

from gridmap.demo.city import CITY_NAME, CityLayout
from gridmap.demo.geometry import CityGeometry
from gridmap.demo.hierarchy import Hierarchy
from gridmap.demo.incidents import IncidentHistory
from gridmap.demo.people import People, ResponsibleUnit
from gridmap.domain.classes import load_shipped
from gridmap.store import audit, bulk
from gridmap.store.queries import write_settings
from gridmap.store.reference import insert_class_table
from gridmap.store.schema import COMPONENT_TABLES

DEMO_SRID = 4546  # CGCS2000 / 3-degree Gauss-Kruger CM 111E
UNIT_GRIDS_SINCE = "2009-06-01T00:00:00"  # Digital Dongsheng's initial survey
COMPONENT_COLUMNS = ["code", "class_code", "name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code",
                     "unit_grid_code", "state", "currency", "initial_date", "change_date", "data_source"]


def write_city(conn, summary, layout: CityLayout, district_polygons: list, units: list[ResponsibleUnit]) -> None:
    """Settings, class tables, the districts and the responsible units: what every district refers to."""
    first = layout.districts[0]
    settings = {"district_code": first.code, "name": f"{first.name}（演示）"} if layout.count == 1 \
        else {"name": f"{CITY_NAME}（演示）"}  # a city of several has no one district code: see the district table
    settings |= {"class_scheme": "legacy", "demo_seed": str(summary.seed), "demo_scale": str(summary.scale),
                 "demo_end": summary.end.isoformat(timespec="minutes")}
    if layout.count > 1:
        settings["demo_districts"] = str(layout.count)
    write_settings(conn, settings)
    for scheme in ("legacy", "gbt47678"):
        insert_class_table(conn, load_shipped(scheme, "component"))
        insert_class_table(conn, load_shipped(scheme, "event"))
    summary.counts["district"] = bulk.insert_rows(conn, "district", ["code", "name"],
                                                  [(d.code, d.name) for d in layout.districts],
                                                  district_polygons, DEMO_SRID)
    summary.counts["responsible_unit"] = bulk.insert_rows(conn, "responsible_unit", ["code", "name", "kind", "contact"],
                                                          [(u.code, u.name, u.kind, u.contact) for u in units])


def _add(counts: dict, table: str, n: int) -> None:
    counts[table] = counts.get(table, 0) + n


def write_district(conn, counts: dict, district_code: str, geometry: CityGeometry, hierarchy: Hierarchy,
                   people: People, placed: dict, component_rows: dict[str, list[tuple]],
                   history: IncidentHistory) -> None:
    """One district's grids, components, staff and cases; adds to ``counts``."""
    srid = DEMO_SRID
    blocks = [b.polygon for b in geometry.blocks]
    by_cell = geometry.cell_polygons
    street_geoms = [shapely.coverage_union_all([by_cell[c] for c in s.cells]) for s in hierarchy.streets]
    _add(counts, "street", bulk.insert_rows(conn, "street", ["code", "district_code", "name", "kind"],
                                            [(s.code, district_code, s.name, s.kind) for s in hierarchy.streets],
                                            street_geoms, srid))
    _add(counts, "community", bulk.insert_rows(
        conn, "community", ["code", "street_code", "name"],
        [(c.code, c.street_code, c.name) for c in hierarchy.communities],
        [by_cell[c.cell] for c in hierarchy.communities], srid))
    _add(counts, "responsibility_grid", bulk.insert_rows(
        conn, "responsibility_grid", ["code", "name"], [(g.code, g.name) for g in hierarchy.responsibility_grids],
        [shapely.coverage_union_all([by_cell[c] for c in g.cells]) for g in hierarchy.responsibility_grids], srid))
    areas = shapely.area(np.asarray(blocks, dtype=object))
    order = np.argsort(hierarchy.unit_grid_codes)
    _add(counts, "unit_grid", bulk.insert_rows(
        conn, "unit_grid", ["code", "community_code", "responsibility_grid_code", "area_m2", "valid_from"],
        [(hierarchy.unit_grid_codes[k], hierarchy.block_community[k], hierarchy.block_responsibility[k],
          round(float(areas[k]), 1), UNIT_GRIDS_SINCE) for k in order],
        [blocks[k] for k in order], srid))
    level1 = [(s.code, 1, None, s.name) for s in hierarchy.streets]
    level2 = [(c.code, 2, c.street_code, c.name) for c in hierarchy.communities]
    level3 = [(g.code, 3, g.community_code, g.name) for g in hierarchy.small_grids]
    small_geoms = [shapely.coverage_union_all([blocks[k] for k in g.blocks]) for g in hierarchy.small_grids]
    _add(counts, "community_grid", bulk.insert_rows(
        conn, "community_grid", ["code", "level", "parent_code", "name"], level1 + level2 + level3,
        street_geoms + [by_cell[c.cell] for c in hierarchy.communities] + small_geoms, srid))
    for kind, rows in component_rows.items():
        table = COMPONENT_TABLES[kind]
        _add(counts, table, bulk.insert_rows(conn, table, COMPONENT_COLUMNS, rows, placed[kind].geometries, srid))
        _add(counts, "component", len(rows))
    _add(counts, "staff", bulk.insert_rows(conn, "staff", ["code", "name", "phone", "title"],
                                           [(s.code, s.name, s.phone, s.title) for s in people.staff]))
    _add(counts, "supervisor_assignment", bulk.insert_rows(
        conn, "supervisor_assignment", ["staff_code", "responsibility_grid_code"], people.supervisors))
    _add(counts, "community_grid_role", bulk.insert_rows(
        conn, "community_grid_role", ["community_grid_code", "role", "staff_code"], people.roles))
    names = list(history.columns)
    _add(counts, "incident", bulk.insert_rows(conn, "incident", names, zip(*history.columns.values(), strict=True),
                                              history.points, srid))


def write_end(conn, summary, geometry: CityGeometry, routing: list[tuple]) -> None:
    """The roads of the whole city, the routing rules and the build's audit entry."""
    summary.counts["road"] = bulk.insert_rows(conn, "road", ["kind"], [(r.kind,) for r in geometry.roads],
                                              [r.line for r in geometry.roads], DEMO_SRID)
    summary.counts["routing_rule"] = bulk.insert_rows(
        conn, "routing_rule", ["class_code", "class_kind", "area_kind", "area_code", "unit_code"], routing)
    detail = {"seed": summary.seed, "scale": summary.scale, "end": summary.end.isoformat(timespec="minutes")}
    if summary.districts > 1:
        detail["districts"] = summary.districts
    audit.log(conn, "demo.build", detail=detail)
