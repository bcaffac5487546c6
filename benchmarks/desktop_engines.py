"""The desktop on both engines in one run (issue 13): the full demo as a file and, migrated, on PostGIS
in a throwaway cluster, the same data, the layers through QGIS's spatialite or postgres provider.

Per engine: loading the layers, full extent render at 1920x1080 and a street-level 1000x560 m view
(QgsMapRendererParallelJob as in render.py), search, the inspector's details of a component, unit
grid, responsibility grid and case, a grid plan's load and the commit of one move, and the time from a
report committed by another connection to the desk's ``arrived`` (a file is looked at every 500 ms;
PostGIS announces it by LISTEN/NOTIFY). QGIS starts once per process, so both engines are measured in
one QGIS session, the project cleared between them. Keys come in pairs: ``file_X`` next to ``postgis_X``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.common import demo_copy, render_times, view_settings

ROOT = Path(__file__).resolve().parent.parent

SEARCHES = {
    "component_prefix": "15060201",
    "unit_grid_code": "150602005003",
    "name_class": "路灯",
    "name_grid": "责任网格",
}
FULL_RENDERS = 5
STREET_RENDERS = 10
SEARCH_REPEAT = 10
IDENTIFY_REPEAT = 5
MOVES = 5
REPORTS = 10


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def _timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def _render(store_layers, layers) -> dict:
    settings, full, street = view_settings(layers)
    settings.setExtent(full)
    full_times = render_times(settings, FULL_RENDERS)
    settings.setExtent(street)
    # the app shows per-class icons at street scale (scale_switch.py)
    store_layers.apply_style("component_point", layers["component_point"], point_mode="street")
    street_times = render_times(settings, STREET_RENDERS)
    return {
        "full_extent_s": round(statistics.median(full_times), 3),
        "full_extent_s_all": [round(t, 3) for t in full_times],
        "street_level_s": round(statistics.median(street_times), 3),
        "street_level_s_all": [round(t, 3) for t in street_times],
    }


def _search(store) -> dict:
    from gridmap.store.search import search_groups

    figures = {}
    for name, text in SEARCHES.items():
        figures[f"search_{name}_ms"] = _ms(_timed(lambda text=text: search_groups(store, text), SEARCH_REPEAT))
    return figures


def _identify(store) -> dict:
    """The inspector's details, for a few codes picked the same way on both engines."""
    from gridmap.store import inspect
    from gridmap.store.schema import COMPONENT_TABLES

    conn = store.conn
    components = [conn.execute(f"SELECT code FROM {table} ORDER BY code LIMIT 1 OFFSET 100").fetchone()[0]
                  for table in COMPONENT_TABLES.values()]
    busy = conn.execute("SELECT component_code FROM incident WHERE component_code IS NOT NULL GROUP BY 1 "
                        "ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    components += [busy[0]] if busy else []
    units = [r[0] for r in conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code")]
    units = units[:: max(1, len(units) // 4)][:4]
    grids = [r[0] for r in conn.execute("SELECT code FROM responsibility_grid ORDER BY code")]
    grids = grids[:: max(1, len(grids) // 4)][:4]
    cases = [r[0] for r in conn.execute("SELECT code FROM incident ORDER BY id")]
    cases = [cases[0], cases[len(cases) // 2], cases[-1]]
    figures = {}
    for kind, call, codes in (("component", inspect.component, components), ("unit_grid", inspect.unit_grid, units),
                              ("responsibility_grid", inspect.responsibility_grid, grids),
                              ("incident", inspect.incident, cases)):
        times = []
        try:
            for code in codes:
                assert call(store, code) is not None, (kind, code)
                times += _timed(lambda call=call, code=code: call(store, code), IDENTIFY_REPEAT)
        except Exception as error:  # a query the engine cannot run is a finding, not the end of the run
            figures[f"identify_{kind}_ms"] = f"error: {type(error).__name__}: {str(error).splitlines()[0]}"
            continue
        figures[f"identify_{kind}_ms"] = _ms(times)
    return figures


def _grid_commit(store) -> dict:
    """MOVES commits of one unit grid on the border of two responsibility grids, each from a fresh plan."""
    from gridmap.store import grids

    loads, commits, done = [], [], []
    for _ in range(MOVES):
        start = time.perf_counter()
        plan = grids.load_plan(store)
        loads.append(time.perf_counter() - start)
        move = None
        for source in sorted(plan.members):
            for unit in sorted(plan.members[source]):
                if unit in done:
                    continue
                targets = sorted({plan.assignment[n] for n in plan.neighbours.get(unit, ())} - {source})
                target = next((t for t in targets if plan.check(unit, t) is None), None)
                if target is not None:
                    move = unit, target
                    break
            if move:
                break
        unit, target = move
        plan.move([unit], target)
        done.append(unit)
        start = time.perf_counter()
        assert grids.commit_plan(store, plan, note="benchmark") == 1
        commits.append(time.perf_counter() - start)
    return {"plan_load_s": round(statistics.median(loads), 3), "plan_commit_ms": _ms(commits),
            "plan_commit_ms_all": [round(t * 1000, 1) for t in commits]}


def _live(store, store_layers) -> dict:
    """Report (another connection) to ``arrived`` at the desk, REPORTS times."""
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    from gridmap.domain.calendar import city_now
    from gridmap.gui.live_incidents import LiveIncidents
    from gridmap.gui.session import Session
    from gridmap.store import open_store
    from gridmap.store.cases import Report, create_token, intake

    session = Session(None)
    session.store, session.store_layers = store, store_layers
    live = LiveIncidents(session)
    live.start(store)
    pushed = live.pushed
    arrivals: list[float] = []
    loop = QEventLoop()

    def arrived(_cases) -> None:
        arrivals.append(time.perf_counter())
        loop.quit()

    def wait(ms: int) -> None:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    live.arrived.connect(arrived)
    rng = random.Random(2009)
    latencies = []
    with open_store(store.location) as other:
        staff = other.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY 1 LIMIT 1").fetchone()[0]
        create_token(other, staff)
        token_id = other.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
        x, y = other.conn.execute("SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM "
                                  "unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 7").fetchone()
        for _ in range(REPORTS):
            wait(rng.randrange(100, 700))  # reports come at any moment of the file's 500 ms look
            arrivals.clear()
            intake(other, Report("0102", "暴露垃圾", x, y, city_now().replace(microsecond=0)), token_id=token_id,
                   staff_code=staff, idempotency_key=uuid.uuid4().hex)
            committed = time.perf_counter()
            timeout = QTimer()
            timeout.setSingleShot(True)
            timeout.timeout.connect(loop.quit)
            timeout.start(10_000)
            if not arrivals:
                loop.exec()
            timeout.stop()
            if not arrivals:
                raise RuntimeError("a report did not arrive at the desk within 10 s")
            latencies.append(arrivals[0] - committed)
    live.stop()
    return {"live_pushed": pushed, "live_report_to_arrived_ms": _ms(latencies),
            "live_report_to_arrived_ms_max": round(max(latencies) * 1000, 1)}


def _measure(location) -> dict:
    from qgis.core import QgsProject

    from gridmap.gui.layers import StoreLayers
    from gridmap.store import open_store

    project = QgsProject.instance()
    store = open_store(location)
    try:
        start = time.perf_counter()
        store_layers = StoreLayers(store)
        layers = store_layers.load(project)
        figures = {"load_layers_s": round(time.perf_counter() - start, 3),
                   "providers": sorted({layer.providerType() for layer in layers.values()})}
        figures |= _render(store_layers, layers)
        figures |= _search(store)
        figures |= _identify(store)
        figures |= _grid_commit(store)
        figures |= _live(store, store_layers)
    finally:
        project.clear()
        store.close()
    return figures


def run(args, record) -> None:
    sys.path.insert(0, str(ROOT))
    from gridmap.app import start_qgis
    from gridmap.store import open_store
    from gridmap.store.migrate import migrate
    from tests.pgcluster import Cluster

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="gridmap-pg-"))).start()
        try:
            uri = cluster.create_database("bench")
            started = time.perf_counter()
            migrate(path, uri)
            migrate_s = time.perf_counter() - started
            # migrate() leaves the database without planner statistics; until autovacuum comes round
            # (within a minute) PostgreSQL guesses, and e.g. the desk's look for new cases scans all
            # 150,000 (40 ms instead of 1 ms). Measured: the database as autovacuum then leaves it.
            started = time.perf_counter()
            with open_store(uri) as store:
                store.conn.execute("VACUUM ANALYZE")
            vacuum_s = time.perf_counter() - started
            app = start_qgis(["bench"], settings_dir=tmp / "settings")
            try:
                file = _measure(path)
                postgis = _measure(uri)
            finally:
                app.exitQgis()
        finally:
            cluster.stop()
    figures = {"migrate_full_demo_to_postgis_s": round(migrate_s, 1),
               "vacuum_analyze_after_migrate_s": round(vacuum_s, 1)}
    for key in file:  # side by side
        figures[f"file_{key}"] = file[key]
        figures[f"postgis_{key}"] = postgis[key]
    record("desktop_engines", figures)
