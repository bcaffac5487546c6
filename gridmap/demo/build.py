"""Build the demo city into a new store file, deterministically for a seed."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from gridmap.demo.components import FULL_COMPONENTS, place_components
from gridmap.demo.geometry import build_geometry
from gridmap.demo.hierarchy import DISTRICT_CODE, DISTRICT_NAME, build_hierarchy, city_size
from gridmap.demo.incidents import FULL_INCIDENTS, build_history
from gridmap.demo.people import build_people, read_units
from gridmap.domain.assignment import GridLocator, representative_points
from gridmap.domain.calendar import WorkingCalendar, city_now
from gridmap.domain.classes import load_shipped
from gridmap.domain.codes import component_id
from gridmap.store import audit, bulk, create_store
from gridmap.store.queries import write_settings
from gridmap.store.reference import insert_class_table
from gridmap.store.schema import COMPONENT_TABLES, GEOMETRY_TABLES

DEMO_SRID = 4546  # CGCS2000 / 3-degree Gauss-Kruger CM 111E
UNIT_GRIDS_SINCE = "2009-06-01T00:00:00"  # Digital Dongsheng's initial survey


@dataclass
class DemoSummary:
    path: Path
    seed: int
    scale: float
    end: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def build_demo(path: Path | str, *, seed: int = 2009, scale: float = 1.0,
               end: dt.datetime | None = None, overwrite: bool = False) -> DemoSummary:
    """Build the demo city into a new store at ``path`` and return what it holds.

    The same seed, scale and end moment give the same file contents. The file is
    written under a temporary name and renamed when complete, so an interrupted
    build never leaves a half-built store. Raises StoreError when ``path`` exists
    and ``overwrite`` is false, ValueError for a scale outside (0, 1].
    """
    if not 0 < scale <= 1.0:
        raise ValueError(f"scale must be in (0, 1], not {scale}")
    from gridmap.store.connection import ensure_not_in_use, is_postgis  # noqa: PLC0415

    on_postgis = is_postgis(path)
    path = path if on_postgis else Path(path)
    if not on_postgis and path.exists() and not overwrite:
        from gridmap.store import StoreError  # noqa: PLC0415

        raise StoreError(f"{path} already exists (use --force to rebuild it)")
    if not on_postgis:
        ensure_not_in_use(path)  # replacing a file another program has open would lose what it writes
    end = end or city_now().replace(second=0)
    summary = DemoSummary(path, seed, scale, end)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = round(now - clock, 3)
        clock = now

    streams = np.random.SeedSequence(seed).spawn(6)
    rng_geo, rng_hier, rng_comp, rng_people, rng_inc, rng_attr = (np.random.default_rng(s) for s in streams)
    cols, rows = city_size(scale)
    geometry = build_geometry(cols, rows, rng_geo)
    hierarchy = build_hierarchy(geometry, scale, rng_hier)
    lap("geometry")
    placed = place_components(geometry, round(FULL_COMPONENTS * scale), rng_comp)
    lap("components")
    units = read_units(rng_people)
    people = build_people(hierarchy, rng_people)
    unit_code = {u.key: u.code for u in units}

    blocks = [b.polygon for b in geometry.blocks]
    district = shapely.coverage_union_all(blocks)
    locator = GridLocator(blocks, hierarchy.unit_grid_codes)
    component_classes = load_shipped("legacy", "component")
    event_classes = load_shipped("legacy", "event")

    # component codes, grids and attributes, per geometry kind
    component_rows: dict[str, list[tuple]] = {}
    component_reps = {}
    serial: dict[str, int] = {}
    survey_start = np.datetime64("2009-03-01")
    for kind, comps in placed.items():
        n = len(comps.geometries)
        grid_codes = locator.locate(comps.geometries)
        states = rng_attr.choice(["完好", "破损", "丢失", "占用", "废弃"], n, p=[0.93, 0.045, 0.006, 0.012, 0.007])
        surveyed = rng_attr.random(n) < 0.85
        later_days = (end.date() - dt.date(2011, 1, 1)).days
        initial = np.where(surveyed, survey_start + rng_attr.integers(0, 640, n),
                           np.datetime64("2011-01-01") + rng_attr.integers(0, later_days, n))
        changed = rng_attr.random(n) < 0.2
        change = initial + (rng_attr.random(n) * (np.datetime64(end.date()) - initial).astype(int)).astype(int)
        source = rng_attr.choice(["实测", "地形图", "基础地理数据"], n, p=[0.82, 0.12, 0.06])
        rows_out = []
        codes = []
        for k in range(n):
            cls = comps.class_codes[k]
            serial[cls] = serial.get(cls, 0) + 1
            code = component_id(DISTRICT_CODE, cls, serial[cls])
            codes.append(code)
            rows_out.append((
                code, cls, component_classes[cls].name, unit_code[comps.competent[k]], unit_code[comps.owner[k]],
                unit_code[comps.maintainer[k]], grid_codes[k], states[k], "作废" if states[k] == "废弃" else "在用",
                str(initial[k]), str(change[k]) if changed[k] else None, source[k],
            ))
        component_rows[kind] = rows_out
        component_reps[kind] = (np.array(codes), np.asarray(comps.class_codes),
                                representative_points(comps.geometries),
                                np.array([unit_code[m] for m in comps.maintainer]))
    lap("component attributes")

    calendar = WorkingCalendar.shipped()
    history = build_history(
        n=round(FULL_INCIDENTS * scale), end=end, rng=rng_inc, district=district, blocks=blocks,
        components=component_reps, event_classes=event_classes, component_classes=component_classes,
        unit_codes=unit_code, calendar=calendar,
    )
    grid_of = locator.locate(history.points)
    community_of = {c: c[:12] for c in hierarchy.unit_grid_codes}
    responsibility_of = dict(zip(hierarchy.unit_grid_codes, hierarchy.block_responsibility, strict=True))
    history.columns["unit_grid_code"] = grid_of
    history.columns["community_code"] = np.array([community_of[g] for g in grid_of], dtype=object)
    history.columns["street_code"] = np.array([g[:9] for g in grid_of], dtype=object)
    history.columns["responsibility_grid_code"] = np.array([responsibility_of[g] for g in grid_of], dtype=object)
    supervisors_of: dict[str, list[str]] = {}
    for staff_code, grid_code in people.supervisors:
        supervisors_of.setdefault(grid_code, []).append(staff_code)
    patrol = np.isin(history.columns["source"], ["patrol", "self"])
    history.columns["reporter_staff_code"] = np.array(
        [supervisors_of[r][0] if p else None
         for r, p in zip(history.columns["responsibility_grid_code"], patrol, strict=True)], dtype=object)
    lap("incidents")

    # into the database itself (one transaction: a failed build leaves it as it was), or into a file
    # under a temporary name renamed when complete
    target = path if on_postgis else path.with_name(path.name + ".building")
    store = create_store(target, DEMO_SRID, overwrite=overwrite if on_postgis else True)
    try:
        with store.transaction() as conn, bulk.spatial_indexes_off(conn, GEOMETRY_TABLES):
            _write(conn, summary, geometry, hierarchy, district, units, people, placed, component_rows,
                   history, component_classes, event_classes)
            summary.counts["component"] = sum(len(r) for r in component_rows.values())
        lap("write")
        store.finish_bulk_load()
    finally:
        store.close()
    if on_postgis:
        return summary
    tmp = target
    ensure_not_in_use(path)  # again: someone may have opened it while the demo was built
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{tmp}{suffix}")
    lap("finish")
    return summary


def placed_mix():
    from gridmap.demo.components import read_mix  # noqa: PLC0415

    return read_mix()


def routing_rules(hierarchy, units, mix, seed: int) -> list[tuple]:
    """Defaults for every event and component class, and overrides where a city has them:
    towns handle their own street-order and appearance cases, and parking in the centre goes to
    urban management instead of traffic police."""
    from gridmap.demo.incidents import read_event_mix  # noqa: PLC0415

    unit_code = {u.key: u.code for u in units}
    rows = [(m["code"], "event", "default", "", unit_code[m["unit"]]) for m in read_event_mix()]
    rows += [(m.code, "component", "default", "", unit_code[m.maintainer]) for m in mix]
    towns = [s for s in hierarchy.streets if s.kind == "town"]
    town_communities = {c.code for c in hierarchy.communities if any(c.street_code == t.code for t in towns)}
    for community in sorted(town_communities):
        for event_class in ("0501", "0504", "0507", "0102"):
            rows.append((event_class, "event", "community", community, unit_code["urban_mgmt"]))
    rng = np.random.default_rng(seed + 17)
    grids = [g.code for g in hierarchy.responsibility_grids]
    for grid in sorted(rng.choice(grids, size=max(1, len(grids) // 6), replace=False)):
        rows.append(("0505", "event", "responsibility_grid", str(grid), unit_code["urban_mgmt"]))
    return rows


def _write(conn, summary, geometry, hierarchy, district, units, people, placed, component_rows, history,
           component_classes, event_classes) -> None:
    srid = DEMO_SRID
    settings = {
        "district_code": DISTRICT_CODE, "name": f"{DISTRICT_NAME}（演示）", "class_scheme": "legacy",
        "demo_seed": str(summary.seed), "demo_scale": str(summary.scale),
        "demo_end": summary.end.isoformat(timespec="minutes"),
    }
    write_settings(conn, settings)
    for scheme in ("legacy", "gbt47678"):
        insert_class_table(conn, load_shipped(scheme, "component"))
        insert_class_table(conn, load_shipped(scheme, "event"))
    blocks = [b.polygon for b in geometry.blocks]
    n = summary.counts
    n["district"] = bulk.insert_rows(conn, "district", ["code", "name"], [(DISTRICT_CODE, DISTRICT_NAME)],
                                     [district], srid)
    by_cell = geometry.cell_polygons
    street_geoms = [shapely.coverage_union_all([by_cell[c] for c in s.cells]) for s in hierarchy.streets]
    n["street"] = bulk.insert_rows(conn, "street", ["code", "district_code", "name", "kind"],
                                   [(s.code, DISTRICT_CODE, s.name, s.kind) for s in hierarchy.streets],
                                   street_geoms, srid)
    n["community"] = bulk.insert_rows(
        conn, "community", ["code", "street_code", "name"],
        [(c.code, c.street_code, c.name) for c in hierarchy.communities],
        [by_cell[c.cell] for c in hierarchy.communities], srid)
    n["responsibility_grid"] = bulk.insert_rows(
        conn, "responsibility_grid", ["code", "name"], [(g.code, g.name) for g in hierarchy.responsibility_grids],
        [shapely.coverage_union_all([by_cell[c] for c in g.cells]) for g in hierarchy.responsibility_grids], srid)
    areas = shapely.area(np.asarray(blocks, dtype=object))
    order = np.argsort(hierarchy.unit_grid_codes)
    n["unit_grid"] = bulk.insert_rows(
        conn, "unit_grid", ["code", "community_code", "responsibility_grid_code", "area_m2", "valid_from"],
        [(hierarchy.unit_grid_codes[k], hierarchy.block_community[k], hierarchy.block_responsibility[k],
          round(float(areas[k]), 1), UNIT_GRIDS_SINCE) for k in order],
        [blocks[k] for k in order], srid)
    level1 = [(s.code, 1, None, s.name) for s in hierarchy.streets]
    level2 = [(c.code, 2, c.street_code, c.name) for c in hierarchy.communities]
    level3 = [(g.code, 3, g.community_code, g.name) for g in hierarchy.small_grids]
    small_geoms = [shapely.coverage_union_all([blocks[k] for k in g.blocks]) for g in hierarchy.small_grids]
    n["community_grid"] = bulk.insert_rows(
        conn, "community_grid", ["code", "level", "parent_code", "name"], level1 + level2 + level3,
        street_geoms + [by_cell[c.cell] for c in hierarchy.communities] + small_geoms, srid)
    n["road"] = bulk.insert_rows(conn, "road", ["kind"], [(r.kind,) for r in geometry.roads],
                                 [r.line for r in geometry.roads], srid)
    n["responsible_unit"] = bulk.insert_rows(conn, "responsible_unit", ["code", "name", "kind", "contact"],
                                             [(u.code, u.name, u.kind, u.contact) for u in units])
    columns = ["code", "class_code", "name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code",
               "unit_grid_code", "state", "currency", "initial_date", "change_date", "data_source"]
    for kind, rows in component_rows.items():
        n[COMPONENT_TABLES[kind]] = bulk.insert_rows(conn, COMPONENT_TABLES[kind], columns, rows,
                                                     placed[kind].geometries, srid)
    n["staff"] = bulk.insert_rows(conn, "staff", ["code", "name", "phone", "title"],
                                  [(s.code, s.name, s.phone, s.title) for s in people.staff])
    n["supervisor_assignment"] = bulk.insert_rows(conn, "supervisor_assignment",
                                                  ["staff_code", "responsibility_grid_code"], people.supervisors)
    n["community_grid_role"] = bulk.insert_rows(conn, "community_grid_role",
                                                ["community_grid_code", "role", "staff_code"], people.roles)
    n["routing_rule"] = bulk.insert_rows(conn, "routing_rule",
                                         ["class_code", "class_kind", "area_kind", "area_code", "unit_code"],
                                         routing_rules(hierarchy, units, placed_mix(), summary.seed))
    names = list(history.columns)
    n["incident"] = bulk.insert_rows(conn, "incident", names, zip(*history.columns.values(), strict=True),
                                     history.points, srid)
    audit.log(conn, "demo.build", detail={"seed": summary.seed, "scale": summary.scale,
                                          "end": summary.end.isoformat(timespec="minutes")})
