"""What the benchmarks share: the full demo to measure, as a private copy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path


def demo_copy(args, folder: Path) -> Path:
    """A private copy of ``--db`` in ``folder``, or a full demo built there (seed 2009, fixed end)."""
    path = folder / "demo.sqlite"
    if args.db:
        shutil.copy(args.db, path)
    else:
        from gridmap.demo.build import build_demo

        build_demo(path, seed=2009, end=dt.datetime(2026, 11, 27, 9, 0))
    return path


def render_times(settings, repeat: int) -> list[float]:
    """Seconds of ``repeat`` renders of ``settings`` with QgsMapRendererParallelJob, as the canvas renders."""
    import time

    from qgis.core import QgsMapRendererParallelJob

    times = []
    for _ in range(repeat):
        job = QgsMapRendererParallelJob(settings)
        start = time.perf_counter()
        job.start()
        job.waitForFinished()
        times.append(time.perf_counter() - start)
    return times


def view_settings(layers):
    """The map settings the benchmarks render with: the project's visible layers at 1920x1080 with
    antialiasing and labels, and the two views they time: the district layer's full extent (plus 5%) and
    a 1000 x 560 m street view at its centre (1:2,050). Returns (settings, full extent, street extent)."""
    from qgis.core import QgsMapSettings, QgsProject, QgsRectangle
    from qgis.PyQt.QtCore import QSize

    project = QgsProject.instance()
    settings = QgsMapSettings()
    settings.setOutputSize(QSize(1920, 1080))
    settings.setDestinationCrs(project.crs() if project.crs().isValid() else layers["district"].crs())
    settings.setLayers([node.layer() for node in project.layerTreeRoot().findLayers() if node.isVisible()])
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    full = layers["district"].extent()
    full.scale(1.05)
    centre = full.center()
    street = QgsRectangle(centre.x() - 500, centre.y() - 280, centre.x() + 500, centre.y() + 280)
    return settings, full, street
