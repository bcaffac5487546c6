"""Simulated traffic: realistic reports from the demo's supervisors, sent to a running intake service."""

from __future__ import annotations

import argparse

from gridmap.cli.common import EXIT_OK, EXIT_PROBLEMS


def _cmd_simulate(args: argparse.Namespace) -> int:
    from gridmap.service.simulate import run  # noqa: PLC0415

    tally = run(args.url, args.db, args.rate, args.duration, workers=args.workers)
    print(f"sent {tally.sent}: {tally.created} created, {tally.replayed} replayed, {tally.failed} failed")
    return EXIT_OK if tally.failed == 0 else EXIT_PROBLEMS


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_simulate}


def add_parsers(sub) -> None:
    """Add simulate to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

    sim = sub.add_parser("simulate", help="send realistic reports from the demo's supervisors to the service")
    sim.add_argument("url", help="e.g. http://127.0.0.1:8750")
    sim.add_argument("--db", type=store_location, required=True,
                     help="the store the service runs on (for classes, places, and to issue the supervisors' tokens)")
    sim.add_argument("--rate", type=float, default=1.0, help="reports per second (default 1)")
    sim.add_argument("--duration", type=float, help="seconds (default: until interrupted)")
    sim.add_argument("--workers", type=int, default=4, help="parallel connections (default 4)")
    sim.set_defaults(func=_cmd_simulate)
