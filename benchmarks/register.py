"""The component editor on the full demo (issue 15: adding or moving a component, commit and redraw, within
50 ms). Each step is what Save does after an edit in the buffer: store.register.commit (code, history,
audit in one transaction), the buffer dropped, the component layer re-read, and the canvas redrawn at
street level (1:2,000, the other layers from the render cache). The store's part is timed on its own too."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import demo_copy

STEPS = 25


def run(args, record) -> None:
    from gridmap.app import start_qgis

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)
        app = start_qgis(["bench"], settings_dir=tmp / "settings")
        from qgis.core import QgsGeometry, QgsPointXY, QgsRectangle
        from qgis.PyQt.QtCore import QEventLoop, QTimer

        from gridmap.gui.workspace import build_workspace
        from gridmap.store import dialect

        window = build_workspace()
        window.resize(1920, 1080)
        window.show()
        window.open_store(path)
        canvas = window.canvas
        store = window.store
        x, y = store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM district").fetchone()
        canvas.setExtent(QgsRectangle(x - 500, y - 280, x + 500, y + 280))
        scale = canvas.scale()

        def redraw_done() -> None:
            loop = QEventLoop()
            canvas.mapCanvasRefreshed.connect(loop.quit)
            QTimer.singleShot(5000, loop.quit)
            loop.exec()
            canvas.mapCanvasRefreshed.disconnect(loop.quit)

        canvas.refresh()
        redraw_done()
        editor = window.workspace.register.editor
        editor.open_forms = False
        editor.start()
        editor.choose_class("0101")
        layer = window.layer("component_point")
        timings: dict[str, list[float]] = {"add": [], "move": [], "add_store": [], "move_store": []}
        from gridmap.store import register

        original_commit = register.commit

        def timed_commit(*a, **k):
            t = time.perf_counter()
            try:
                return original_commit(*a, **k)
            finally:
                timings[current].append(time.perf_counter() - t)

        register.commit = timed_commit
        codes = []
        try:
            for k in range(STEPS):
                current = "add_store"
                point = QgsGeometry.fromPointXY(QgsPointXY(x - 200 + 16 * k, y + 40))
                editor.add("point", point)
                t0 = time.perf_counter()
                saved = editor.save()
                redraw_done()
                timings["add"].append(time.perf_counter() - t0)
                codes.append(next(iter(saved.values())))
            by_code = {f["code"]: f.id() for f in layer.getFeatures(QgsRectangle(x - 250, y + 30, x + 250, y + 50))}
            for k, code in enumerate(codes):
                current = "move_store"
                editor.change_geometry(layer, by_code[code],
                                       QgsGeometry.fromPointXY(QgsPointXY(x - 200 + 16 * k, y - 40)))
                t0 = time.perf_counter()
                editor.save()
                redraw_done()
                timings["move"].append(time.perf_counter() - t0)
        finally:
            register.commit = original_commit
        editor.stop(force=True)
        points = store.conn.execute("SELECT count(*) FROM component_point").fetchone()[0]
        window.close()
        figures = {"point_components": points, "scale": round(scale), "steps": STEPS}
        for name, values in timings.items():
            figures[f"{name}_ms_median"] = round(statistics.median(values) * 1000, 1)
            figures[f"{name}_ms_max"] = round(max(values) * 1000, 1)
        record("register", figures)
        app.exitQgis()
