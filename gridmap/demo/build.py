"""Build the demo city into a new store file or database, deterministically for a seed: district by
district, each written as soon as it is built (a city of nine holds one district's rows at a time)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from gridmap.demo.city import city_layout, split
from gridmap.demo.components import FULL_COMPONENTS, place_components
from gridmap.demo.geometry import build_geometry, district_part
from gridmap.demo.hierarchy import build_hierarchy
from gridmap.demo.incidents import FULL_INCIDENTS, build_history
from gridmap.demo.people import build_people, read_units
from gridmap.demo.write import DEMO_SRID, write_city, write_district, write_end
from gridmap.domain.assignment import GridLocator, representative_points
from gridmap.domain.calendar import WorkingCalendar, city_now
from gridmap.domain.classes import ClassTable, load_shipped
from gridmap.domain.codes import component_id
from gridmap.store import bulk, create_store
from gridmap.store.schema import GEOMETRY_TABLES

__all__ = ["DEMO_SRID", "DemoSummary", "build_demo"]


@dataclass
class DemoSummary:
    path: Path
    seed: int
    scale: float  # of the whole city
    end: dt.datetime
    districts: int = 1
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def build_demo(path: Path | str, *, seed: int = 2009, scale: float | None = None, districts: int | None = None,
               end: dt.datetime | None = None, overwrite: bool = False) -> DemoSummary:
    """Build the demo city into a new store at ``path`` and return what it holds.

    ``scale`` is the size of the whole city in Dongshengs and ``districts`` how many adjacent districts
    share it (the rules of gridmap.demo.city: by default one district up to scale 1, else ceil(scale),
    at most nine; without a scale, ``districts`` whole ones). The same seed, scale, districts and end
    moment give the same file contents. A file is written under a temporary name and renamed when
    complete, so an interrupted build never leaves a half-built store; a database is built in one
    transaction. Raises StoreError when ``path`` exists and ``overwrite`` is false, ValueError for a
    scale outside (0, 10] or districts outside 1..9.
    """
    layout = city_layout(scale, districts)
    from gridmap.store.connection import ensure_not_in_use, is_postgis  # noqa: PLC0415

    on_postgis = is_postgis(path)
    path = path if on_postgis else Path(path)
    if not on_postgis and path.exists() and not overwrite:
        from gridmap.store import StoreError  # noqa: PLC0415

        raise StoreError(f"{path} already exists (use --force to rebuild it)")
    if not on_postgis:
        ensure_not_in_use(path)  # replacing a file another program has open would lose what it writes
    end = end or city_now().replace(second=0)
    summary = DemoSummary(path, seed, layout.scale, end, layout.count)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[name] = round(summary.seconds.get(name, 0.0) + now - clock, 3)
        clock = now

    # six random streams per district: stream 0 draws the whole city's geometry, 6k+1..6k+5 the rest of
    # district k (the first district's are those of the single-district demo)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6 * layout.count)]
    cols, rows = layout.lattice
    city = build_geometry(cols, rows, rngs[0], present=layout.cells(), piece=(layout.cols, layout.rows),
                          anchor=(layout.cols, layout.rows))
    parts = [district_part(city, layout.origin(k), layout.cols, layout.rows) for k in range(layout.count)]
    outlines = [shapely.coverage_union_all([b.polygon for b in part.blocks]) for part in parts]
    units = read_units(rngs[3], city=layout.count > 1)
    unit_code = {u.key: u.code for u in units}
    lap("geometry")
    n_components = split(round(FULL_COMPONENTS * layout.scale), layout.count)
    n_incidents = split(round(FULL_INCIDENTS * layout.scale), layout.count)
    shared = _Shared(load_shipped("legacy", "component"), load_shipped("legacy", "event"), WorkingCalendar.shipped(),
                     unit_code, end)

    # into the database itself (one transaction: a failed build leaves it as it was), or into a file
    # under a temporary name renamed when complete
    target = path if on_postgis else path.with_name(path.name + ".building")
    store = create_store(target, DEMO_SRID, overwrite=overwrite if on_postgis else True)
    lap("create")
    try:
        with store.transaction() as conn:
            with bulk.spatial_indexes_off(conn, GEOMETRY_TABLES):
                write_city(conn, summary, layout, outlines, units)
                routing = default_routing(units, placed_mix())
                serials: dict[int, int] = {}
                first_staff = 1
                for k, district in enumerate(layout.districts):
                    rng_hier, rng_comp, rng_people, rng_inc, rng_attr = rngs[6 * k + 1: 6 * k + 6]
                    part = parts[k]
                    hierarchy = build_hierarchy(part, rng_hier, district, rotate=5 * k)
                    people = build_people(hierarchy, rng_people, first_staff)
                    first_staff += len(people.staff)
                    lap("geometry")
                    placed = place_components(part, n_components[k], rng_comp)
                    lap("components")
                    rows_by_kind, reps = component_rows(placed, part, hierarchy, district.code, shared, rng_attr)
                    lap("component attributes")
                    history = district_history(n_incidents[k], part, outlines[k], hierarchy, people, reps, shared,
                                               rng_inc, serials)
                    lap("incidents")
                    write_district(conn, summary.counts, district.code, part, hierarchy, people, placed,
                                   rows_by_kind, history)
                    routing += district_routing(hierarchy, unit_code,
                                                np.random.default_rng(seed + 17 if k == 0 else [seed, 17, k]))
                    del placed, rows_by_kind, reps, history
                    lap("write")
                write_end(conn, summary, city, routing)
                lap("write")
            lap("indexes")
        store.finish_bulk_load()
        lap("finish")
    except BaseException:
        store.close()
        if not on_postgis:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(f"{target}{suffix}")
        raise
    store.close()
    if on_postgis:
        return summary
    ensure_not_in_use(path)  # again: someone may have opened it while the demo was built
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
    os.replace(target, path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{target}{suffix}")
    lap("finish")
    return summary


@dataclass
class _Shared:
    """What every district's build reads."""

    component_classes: ClassTable
    event_classes: ClassTable
    calendar: WorkingCalendar
    unit_code: dict[str, str]
    end: dt.datetime


def component_rows(placed, geometry, hierarchy, district_code: str, shared: _Shared, rng: np.random.Generator):
    """The rows of one district's components by geometry kind (codes under ``district_code``, grids,
    attributes), and per kind (codes, class codes, representative points, maintainer codes) for the cases."""
    locator = GridLocator([b.polygon for b in geometry.blocks], hierarchy.unit_grid_codes)
    unit_code, end = shared.unit_code, shared.end
    rows_by_kind: dict[str, list[tuple]] = {}
    reps = {}
    serial: dict[str, int] = {}
    survey_start = np.datetime64("2009-03-01")
    for kind, comps in placed.items():
        n = len(comps.geometries)
        grid_codes = locator.locate(comps.geometries)
        states = rng.choice(["完好", "破损", "丢失", "占用", "废弃"], n, p=[0.93, 0.045, 0.006, 0.012, 0.007])
        surveyed = rng.random(n) < 0.85
        later_days = (end.date() - dt.date(2011, 1, 1)).days
        initial = np.where(surveyed, survey_start + rng.integers(0, 640, n),
                           np.datetime64("2011-01-01") + rng.integers(0, later_days, n))
        changed = rng.random(n) < 0.2
        change = initial + (rng.random(n) * (np.datetime64(end.date()) - initial).astype(int)).astype(int)
        source = rng.choice(["实测", "地形图", "基础地理数据"], n, p=[0.82, 0.12, 0.06])
        rows_out = []
        codes = []
        for k in range(n):
            cls = comps.class_codes[k]
            serial[cls] = serial.get(cls, 0) + 1
            code = component_id(district_code, cls, serial[cls])
            codes.append(code)
            rows_out.append((
                code, cls, shared.component_classes[cls].name, unit_code[comps.competent[k]],
                unit_code[comps.owner[k]], unit_code[comps.maintainer[k]], grid_codes[k], states[k],
                "作废" if states[k] == "废弃" else "在用", str(initial[k]), str(change[k]) if changed[k] else None,
                source[k],
            ))
        rows_by_kind[kind] = rows_out
        reps[kind] = (np.array(codes), np.asarray(comps.class_codes), representative_points(comps.geometries),
                      np.array([unit_code[m] for m in comps.maintainer]))
    return rows_by_kind, reps


def district_history(n: int, geometry, outline, hierarchy, people, reps, shared: _Shared, rng, serials):
    """One district's cases with their grids, community, street and reporting supervisor filled in."""
    blocks = [b.polygon for b in geometry.blocks]
    history = build_history(
        n=n, end=shared.end, rng=rng, district=outline, blocks=blocks, components=reps,
        event_classes=shared.event_classes, component_classes=shared.component_classes,
        unit_codes=shared.unit_code, calendar=shared.calendar, serials=serials,
    )
    locator = GridLocator(blocks, hierarchy.unit_grid_codes)
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
    return history


def placed_mix():
    from gridmap.demo.components import read_mix  # noqa: PLC0415

    return read_mix()


def default_routing(units, mix) -> list[tuple]:
    """The city-wide routing: who handles each event and component class by default."""
    from gridmap.demo.incidents import read_event_mix  # noqa: PLC0415

    unit_code = {u.key: u.code for u in units}
    rows = [(m["code"], "event", "default", "", unit_code[m["unit"]]) for m in read_event_mix()]
    return rows + [(m.code, "component", "default", "", unit_code[m.maintainer]) for m in mix]


def district_routing(hierarchy, unit_code: dict[str, str], rng: np.random.Generator) -> list[tuple]:
    """Overrides where a district has them: towns handle their own street-order and appearance cases, and
    parking in some grids goes to urban management instead of traffic police."""
    rows = []
    towns = [s for s in hierarchy.streets if s.kind == "town"]
    town_communities = {c.code for c in hierarchy.communities if any(c.street_code == t.code for t in towns)}
    for community in sorted(town_communities):
        for event_class in ("0501", "0504", "0507", "0102"):
            rows.append((event_class, "event", "community", community, unit_code["urban_mgmt"]))
    grids = [g.code for g in hierarchy.responsibility_grids]
    for grid in sorted(rng.choice(grids, size=max(1, len(grids) // 6), replace=False)):
        rows.append(("0505", "event", "responsibility_grid", str(grid), unit_code["urban_mgmt"]))
    return rows
