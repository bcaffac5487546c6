"""The whole app at city scale (issue 17): the one-district demo (1×) and a city ten times its size in
nine districts (10×, ``gridmap demo --scale 10``) side by side, as a file and on PostGIS, in one run.

``python -m benchmarks city_scale --db ONE.sqlite --city TEN.sqlite [--pg URI --pg-city URI]``

Without ``--db``/``--city`` the demos are built in a temporary folder (the 10× takes minutes); without
the PostGIS URIs the same demos are built into a throwaway cluster. Each store is measured in two child
processes, so one's memory and caches never flatter another's:

- the desktop (the app's main window under QT_QPA_PLATFORM=offscreen): open the store (layers
  loaded), full extent and street-level renders of what the window shows, search, identify, the grid
  editor opened on one district's plan and its paint steps; the process's peak RSS is the desktop's
  memory (issue goals: full extent ≤ 2× the 1× figure, street/search/identify ≤ 100 ms, editor ≤ 3 s,
  paint step ≤ 50 ms, memory ≤ 2 GB);
- the batch work: the evaluation of the last three years for the whole city (≤ 5 s), the export of all
  components against ogr2ogr on the same tables (≤ 0.5×), and the intake for a short burst (p99 against
  the 1× figure).

Figures are keyed ``<engine>_<scale>_<figure>``, e.g. ``file_10x_full_extent_s``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
END = dt.datetime(2026, 11, 27, 9, 0)
PAINT_STEPS = 20
INTAKE_SECONDS = 10


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


# --- children ---------------------------------------------------------------------------------------

def _desktop(location: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks.desktop_engines import _identify, _search
    from gridmap.app import start_qgis

    tmp = Path(tempfile.mkdtemp(prefix="gridmap-city-"))
    app = start_qgis(["bench"], settings_dir=tmp / "settings")
    from qgis.PyQt.QtWidgets import QApplication

    from gridmap.gui.workspace import build_workspace
    from gridmap.store import grids

    window = build_workspace()
    window.resize(1920, 1080)
    window.show()
    start = time.perf_counter()
    window.open_store(location)
    QApplication.processEvents()
    figures = {"open_store_s": round(time.perf_counter() - start, 2)}
    store = window.store
    figures |= _render(window)
    figures |= _search(store)
    figures |= _identify(store)
    district = grids.districts(store)[0][0]
    editor = window.workspace.grid_editor
    start = time.perf_counter()
    editor.start(district)
    QApplication.processEvents()
    figures["editor_open_one_district_s"] = round(time.perf_counter() - start, 2)
    figures["editor_unit_grids"] = len(editor.plan.assignment)
    steps: list[float] = []
    editor.step_done.connect(steps.append)
    plan = editor.plan
    for source in sorted(plan.members):
        if len(steps) >= PAINT_STEPS:
            break
        for target in sorted({plan.assignment[n] for u in plan.members[source]
                              for n in plan.neighbours.get(u, ())} - {source}):
            unit = next((u for u in sorted(plan.members[source]) if plan.check(u, target) is None), None)
            if unit is not None:
                editor.target = target
                editor.paint(unit)
                break
    figures["paint_step_ms"] = _ms(steps) if steps else None
    figures["paint_steps"] = len(steps)
    editor.stop(force=True)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    shutil.rmtree(tmp, ignore_errors=True)
    del app  # the process ends right after its figures (child): QGIS's teardown of a window crashed it
    return figures


def _render(window) -> dict:
    """Full extent at 1920x1080 and a 1000 x 560 m street view (1:2,000), with the renderers the window's
    scale switch gives that scale (dots, icons, the city-scale density), as in desktop_engines.py."""
    from benchmarks.common import render_times, view_settings

    settings, full, street = view_settings(window.store_layers.layers)
    figures = {}
    for name, extent in (("full_extent", full), ("street_level", street)):
        settings.setExtent(extent)
        window.scale_switch.update(settings.scale())
        times = render_times(settings, 5)
        figures[f"{name}_s"] = round(statistics.median(times), 3)
        figures[f"{name}_scale"] = round(settings.scale())
    return figures


def _ogr_source(store) -> str:
    """What ogr2ogr opens the store as: the file, or the database as QGIS connects to it."""
    from gridmap.store.sources import source

    found = source(store)
    return "PG:" + found.connection if found.provider == "postgres" else str(store.path)


def _batch(location: str) -> dict:
    from benchmarks.intake_engines import _measure as intake
    from gridmap.io.export import ExportOptions, export
    from gridmap.store import open_store
    from gridmap.store.evaluation import period_rows

    figures: dict = {}
    with open_store(location) as store:
        counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("incident", "component_point", "component_line", "component_polygon", "unit_grid")}
        figures["incidents"] = counts.pop("incident")
        figures["unit_grids"] = counts.pop("unit_grid")
        figures["components"] = sum(counts.values())
        times = []
        for _ in range(3):
            start = time.perf_counter()
            rows = period_rows(store, END.date() - dt.timedelta(days=3 * 365), END.date(), "grid")
            times.append(time.perf_counter() - start)
        figures["evaluation_3_years_s"] = round(statistics.median(times), 2)
        figures["evaluation_rows"] = len(rows)
        ogr_source = _ogr_source(store)
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            ours_times, ogr_times = [], []
            for run in range(3):  # medians of three, each side (as benchmarks/exchange.py)
                start = time.perf_counter()
                export(store, tmp / f"ours{run}", ExportOptions(profile="native"))
                ours_times.append(time.perf_counter() - start)
                (tmp / f"ogr{run}").mkdir()
                start = time.perf_counter()
                for table in ("component_point", "component_line", "component_polygon"):
                    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", str(tmp / f"ogr{run}" / f"{table}.shp"),
                                    ogr_source, table], check=True, capture_output=True)
                ogr_times.append(time.perf_counter() - start)
            ours, ogr = statistics.median(ours_times), statistics.median(ogr_times)
    figures |= {"export_components_s": round(ours, 2), "ogr2ogr_components_s": round(ogr, 2),
                "export_ratio_to_ogr2ogr": round(ours / ogr, 2)}
    import benchmarks.intake_engines as intake_module

    intake_module.DURATION = INTAKE_SECONDS
    figures |= {k.removeprefix("x_"): v for k, v in intake(location, "x").items()}
    return figures


def child(kind: str, location: str) -> None:
    sys.path.insert(0, str(ROOT))
    figures = _desktop(location) if kind == "desktop" else _batch(location)
    print("FIGURES " + json.dumps(figures), flush=True)
    os._exit(0)  # measured: nothing left to tear down


# --- the parent -------------------------------------------------------------------------------------

def _run_child(kind: str, location: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "city_scale", "--child", kind, str(location)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("FIGURES ")]
    if not lines:  # (a child that printed its figures and then failed to exit cleanly still counts)
        return {"error": f"exit {done.returncode}: " + "\n".join(
            line for line in (done.stderr + done.stdout).splitlines()[-30:] if "QGuiApplication" not in line)}
    figures = json.loads(lines[-1].removeprefix("FIGURES "))
    if done.returncode:
        figures["exit_code"] = done.returncode
    return figures


def _stores(args, tmp: Path, cluster_holder: list) -> dict[str, str]:
    from gridmap.demo.build import build_demo

    one = str(args.db) if args.db else None
    ten = str(args.city) if args.city else None
    if one is None:
        one = str(tmp / "one.sqlite")
        build_demo(one, seed=2009, end=END)
    if ten is None:
        ten = str(tmp / "ten.sqlite")
        build_demo(ten, seed=2009, end=END, scale=10)
    stores = {"file_1x": one, "file_10x": ten}
    if args.pg and args.pg_city:
        stores |= {"postgis_1x": args.pg, "postgis_10x": args.pg_city}
    elif not args.no_postgis:
        from tests.pgcluster import Cluster

        cluster = Cluster(Path(tempfile.mkdtemp(prefix="gridmap-pg-"))).start()
        cluster_holder.append(cluster)
        stores["postgis_1x"] = cluster.create_database("one")
        build_demo(stores["postgis_1x"], seed=2009, end=END)
        stores["postgis_10x"] = cluster.create_database("ten")
        build_demo(stores["postgis_10x"], seed=2009, end=END, scale=10)
    return stores


def run(args, record) -> None:
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(ROOT))
    clusters: list = []
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        try:
            stores = _stores(args, Path(tmp_name), clusters)
            for label, location in stores.items():
                for kind in args.kinds or ("desktop", "batch"):
                    print(f"  {label} {kind} ...", flush=True)
                    for key, value in _run_child(kind, location).items():
                        figures[f"{label}_{key}"] = value
        finally:
            for cluster in clusters:
                cluster.stop()
    record("city_scale", figures)
