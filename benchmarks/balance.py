"""The balance proposal on the full demo (issue 16's goal: all 42 responsibility grids within ±10% of
the mean workload, fewer than 15% of unit grids moved, in under 60 s): time and quality for the
workload the grid editor shows (cases of the last 90 days) and for cases, components and area alike,
each through the store as 'gridmap plan balance' runs it (load the plan, balance, save the scenario)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import demo_copy

WORKLOADS = {"cases": "incidents=1", "even": "components=1,incidents=1,area=1"}


def run(args, record) -> None:
    from gridmap.domain.workload import Weights
    from gridmap.store import open_store
    from gridmap.store.grids import propose_balance

    with tempfile.TemporaryDirectory() as tmp_name:
        path = demo_copy(args, Path(tmp_name))
        figures: dict = {}
        for key, weights in WORKLOADS.items():
            with open_store(path) as store:
                start = time.perf_counter()
                proposal, _draft = propose_balance(store, f"bench-{key}", 0.10, Weights.parse(weights))
                total = time.perf_counter() - start
            summary = proposal.summary()
            figures.update({
                f"{key}_weights": weights,
                f"{key}_seconds_total": round(total, 2),
                f"{key}_seconds_balance": summary["seconds"],
                f"{key}_unit_grids": summary["unit_grids"],
                f"{key}_moved": summary["moved"],
                f"{key}_moved_share": summary["moved_share"],
                f"{key}_within_before": f"{summary['within_before']}/{summary['judged']}",
                f"{key}_within_after": f"{summary['within_after']}/{summary['judged']}",
                f"{key}_max_deviation_before": summary["max_deviation_before"],
                f"{key}_max_deviation_after": summary["max_deviation_after"],
                f"{key}_polsby_popper_before": summary["polsby_popper_before"],
                f"{key}_polsby_popper_after": summary["polsby_popper_after"],
            })
        record("balance", figures)
