"""How long the full demo city takes to build, and its peak memory (issue: under a minute)."""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from gridmap.demo.build import build_demo


def run(args, record) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        start = time.perf_counter()
        summary = build_demo(path, seed=2009, scale=1.0, end=dt.datetime(2026, 11, 27, 9, 0))
        seconds = time.perf_counter() - start
        record("demo_build", {
            "seconds_total": round(seconds, 2),
            "seconds_by_step": summary.seconds,
            "components": summary.counts["component"],
            "incidents": summary.counts["incident"],
            "unit_grids": summary.counts["unit_grid"],
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        })
