"""How long the demo city takes to build, its peak memory and its size, as a file and on PostGIS
(issue 17: the ten-times city under 15 minutes and 4 GB on a 2-core machine).

``python -m benchmarks demo_build [--scale F] [--districts N] [--engine file|postgis|both]`` builds the
demo (seed 2009, a fixed end) once per engine, each in a process of its own so the peak RSS
(resource.getrusage) is that build's alone; PostGIS builds go into a throwaway cluster (tests/pgcluster.py,
fsync off as in the tests) whose server's own memory is not counted. One line per build is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
END = dt.datetime(2026, 11, 27, 9, 0)


def _build(location: str, scale: float | None, districts: int | None) -> dict:
    """Build into ``location`` in this process; the figures of the build."""
    from gridmap.demo.build import build_demo
    from gridmap.store.connection import is_postgis

    start = time.perf_counter()
    summary = build_demo(location, seed=2009, scale=scale, districts=districts, end=END, overwrite=True)
    seconds = time.perf_counter() - start
    figures = {
        "scale": summary.scale, "districts": summary.districts,
        "seconds_total": round(seconds, 2), "seconds_by_step": summary.seconds,
        "components": summary.counts["component"], "incidents": summary.counts["incident"],
        "unit_grids": summary.counts["unit_grid"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if is_postgis(location):
        from gridmap.store import open_store

        with open_store(location) as store:
            size = store.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        figures["database_mb"] = round(size / 1e6, 1)
    else:
        figures["file_mb"] = round(Path(location).stat().st_size / 1e6, 1)
    return figures


def _in_child(location: str, scale: float | None, districts: int | None) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.demo_build import _build; "
            f"print(json.dumps(_build({location!r}, {scale!r}, {districts!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the demo build into {location} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(args, record) -> None:
    scale, districts = getattr(args, "scale", None), getattr(args, "districts", None)
    engine = getattr(args, "engine", None) or "file"
    engines = ["file", "postgis"] if engine == "both" else [engine]
    with tempfile.TemporaryDirectory() as tmp:
        if "file" in engines:
            record("demo_build", {"engine": "file", **_in_child(str(Path(tmp) / "demo.sqlite"), scale, districts)})
        if "postgis" in engines:
            sys.path.insert(0, str(ROOT))
            from tests.pgcluster import Cluster

            cluster = Cluster(Path(tempfile.mkdtemp(prefix="gridmap-pg-"))).start()
            try:
                uri = cluster.create_database("demo")
                record("demo_build", {"engine": "postgis", **_in_child(uri, scale, districts)})
            finally:
                cluster.stop()
