"""Search latency on the full demo (issue: within 100 ms), for the kinds of text users type."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

QUERIES = {
    "component_id": "1506020118000012",
    "component_prefix": "15060201",
    "unit_grid_code": "150602005003",
    "incident_code": "20261120",
    "name_part_class": "路灯",
    "name_part_grid": "责任网格",
    "name_no_match": "不存在的名称",
}


def run(args, record) -> None:
    from gridmap.store import open_store
    from gridmap.store.search import search

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            from gridmap.demo.build import build_demo

            path = Path(tmp) / "demo.sqlite"
            build_demo(path, seed=2009, end=dt.datetime(2026, 11, 27, 9, 0))
        store = open_store(path)
        figures = {}
        for name, text in QUERIES.items():
            times = []
            for _ in range(20):
                start = time.perf_counter()
                hits = search(store, text)
                times.append((time.perf_counter() - start) * 1000)
            figures[f"{name}_ms_median"] = round(statistics.median(times), 2)
            figures[f"{name}_ms_max"] = round(max(times), 2)
            figures[f"{name}_hits"] = len(hits)
        store.close()
        record("search", figures)
