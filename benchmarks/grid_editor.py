"""The grid editor on the full demo (issue figures: a paint step within 50 ms, validating the
whole tiling within 200 ms). A paint step is what the editor does when the brush enters a unit
grid: the move with its rules, the two grids' dissolve, the totals table, the draft layer update;
the step's canvas render is measured too (the draft layer alone; the rest comes from the cache)."""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import demo_copy


def run(args, record) -> None:
    from gridmap.app import start_qgis

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)
        app = start_qgis(["bench"], settings_dir=tmp / "settings")
        from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings
        from qgis.PyQt.QtCore import QSize

        from gridmap.domain.coverage import check_coverage
        from gridmap.gui.workspace import build_workspace
        from gridmap.store.queries import geometries

        window = build_workspace()
        window.resize(1920, 1080)
        window.open_store(path)
        editor = window.workspace.grid_editor
        start = time.perf_counter()
        editor.start()
        load_s = time.perf_counter() - start
        plan = editor.plan
        steps, renders = [], []
        editor.step_done.connect(steps.append)
        settings = QgsMapSettings()
        settings.setOutputSize(QSize(1920, 1080))
        settings.setDestinationCrs(editor.draft.layer.crs())
        settings.setLayers([editor.draft.layer])
        settings.setExtent(window.layer("district").extent())
        grids_sorted = sorted(plan.members)
        for source, target in itertools.pairwise(grids_sorted):
            unit = next((u for u in sorted(plan.members[source]) if plan.check(u, target) is None), None)
            if unit is None:
                continue
            editor.target = target
            editor.paint(unit)
            job = QgsMapRendererSequentialJob(settings)
            t0 = time.perf_counter()
            job.start()
            job.waitForFinished()
            renders.append(time.perf_counter() - t0)
        rows, polygons = geometries(window.store, "unit_grid", ["code"], "valid_to IS NULL")
        _, district = geometries(window.store, "district", ["code"])
        validate = []
        for _ in range(5):
            t0 = time.perf_counter()
            problems = check_coverage(polygons, [r[0] for r in rows], area=district[0])
            validate.append(time.perf_counter() - t0)
        read = []
        for _ in range(3):
            t0 = time.perf_counter()
            geometries(window.store, "unit_grid", ["code"], "valid_to IS NULL")
            read.append(time.perf_counter() - t0)
        editor.stop(force=True)
        window.close()
        record("grid_editor", {
            "unit_grids": len(rows),
            "plan_load_s": round(load_s, 3),
            "paint_steps": len(steps),
            "paint_step_ms_median": round(statistics.median(steps) * 1000, 2),
            "paint_step_ms_max": round(max(steps) * 1000, 2),
            "draft_layer_render_full_extent_ms_median": round(statistics.median(renders) * 1000, 2),
            "validate_tiling_ms_median": round(statistics.median(validate) * 1000, 1),
            "read_unit_grids_ms_median": round(statistics.median(read) * 1000, 1),
            "validate_problems": len(problems),
        })
        app.exitQgis()
