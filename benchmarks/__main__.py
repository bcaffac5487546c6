"""Run benchmarks: `make bench` or `python -m benchmarks [NAME ...] [--scale F]`.

Each benchmark prints its figures and appends them as one JSON line to
benchmarks/results/<name>.jsonl with the machine and versions, so figures can
be compared over time. Benchmarks measure; they never fail on a timing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

NAMES = ["demo_build", "render", "search", "grid_editor", "exchange", "intake", "intake_engines", "desktop_engines",
         "register", "balance", "city_scale"]
RESULTS = Path(__file__).resolve().parent / "results"


def record(name: str, figures: dict) -> None:
    """Print ``figures`` and append them to results/<name>.jsonl."""
    RESULTS.mkdir(exist_ok=True)
    entry = {"benchmark": name, "at": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": platform.node(),
             "cpus": os.cpu_count(), "python": sys.version.split()[0], **figures}
    with (RESULTS / f"{name}.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    for key, value in figures.items():
        print(f"  {key}: {value}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", default=NAMES, help=f"benchmarks to run (default: all of {NAMES})")
    parser.add_argument("--db", type=Path, help="an existing full demo to measure (default: build one in /tmp)")
    parser.add_argument("--scale", type=float, help="demo_build: the city's size in Dongshengs, up to 10 (default 1)")
    parser.add_argument("--districts", type=int, help="demo_build: districts sharing it, 1 to 9 (as gridmap demo)")
    parser.add_argument("--engine", choices=["file", "postgis", "both"], default="file",
                        help="demo_build: build into a file, a PostGIS database or both (default file)")
    parser.add_argument("--city", type=Path, help="city_scale: an existing demo of --scale 10 (default: build one)")
    parser.add_argument("--pg", help="city_scale: the one-district demo on PostGIS (postgresql:// URI)")
    parser.add_argument("--pg-city", help="city_scale: the --scale 10 demo on PostGIS (postgresql:// URI)")
    parser.add_argument("--no-postgis", action="store_true", help="city_scale: measure the files only")
    parser.add_argument("--kinds", nargs="+", choices=["desktop", "batch"],
                        help="city_scale: measure the desktop or the batch work only (default both)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if len(args.names) > 1 and not args.in_process:
        # QGIS cannot be started twice in one process: one process per benchmark
        status = 0
        for name in args.names:
            extra = ["--db", str(args.db)] if args.db else []
            status |= subprocess.run([sys.executable, "-m", "benchmarks", name, *extra], check=False).returncode
        return status
    for name in args.names:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        module.run(args, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
