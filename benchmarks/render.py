"""Map rendering of the full demo: full extent at 1920x1080, a street-level view, and app start.

Issue figures: full extent within 1 s, street level within 100 ms, launch to first
complete render within 5 s. Renders use QgsMapRendererParallelJob like the canvas.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import render_times, view_settings

ROOT = Path(__file__).resolve().parent.parent


def _demo(args, tmp: Path) -> Path:
    if args.db:
        return args.db
    from gridmap.demo.build import build_demo

    path = tmp / "demo.sqlite"
    build_demo(path, seed=2009, scale=1.0, end=dt.datetime(2026, 11, 27, 9, 0))
    return path


def run(args, record) -> None:
    from gridmap.app import start_qgis

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = _demo(args, tmp)
        app = start_qgis(["bench"], settings_dir=tmp / "settings")
        from qgis.core import QgsProject

        from gridmap.gui.layers import StoreLayers
        from gridmap.store import open_store

        store = open_store(path)
        project = QgsProject.instance()
        store_layers = StoreLayers(store)
        layers = store_layers.load(project)
        settings, full, street = view_settings(layers)
        settings.setExtent(full)
        full_times = render_times(settings, 5)
        full_scale = settings.scale()
        settings.setExtent(street)
        # the app shows per-class icons at street scale (scale_switch.py)
        store_layers.apply_style("component_point", layers["component_point"], point_mode="street")
        street_scale = settings.scale()
        street_times = render_times(settings, 10)
        store.close()
        project.clear()
        app.exitQgis()

        shot = tmp / "start.png"
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "--screenshot", str(shot)],
                       check=True, capture_output=True, timeout=120)
        launch = time.perf_counter() - start
        record("render", {
            "full_extent_scale": round(full_scale),
            "street_level_scale": round(street_scale),
            "full_extent_1920x1080_s_median": round(statistics.median(full_times), 3),
            "full_extent_s_all": [round(t, 3) for t in full_times],
            "street_level_1000x560m_s_median": round(statistics.median(street_times), 3),
            "street_level_s_all": [round(t, 3) for t in street_times],
            "launch_to_screenshot_s": round(launch, 2),
        })
