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
