"""Hotspots of cases over a period: Getis-Ord Gi* per unit grid."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from gridmap.cli.common import EXIT_OK


def _moment(text: str, end: bool = False) -> dt.datetime:
    """An ISO date or date and time; a date given as the end of a period counts the whole day."""
    try:
        if len(text) <= 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time())
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a date (2026-05-01) or a date and time "
                                         "(2026-05-01T08:00)") from None


def _start(text: str) -> dt.datetime:
    return _moment(text)


def _end(text: str) -> dt.datetime:
    return _moment(text, end=True)


def _cmd_hotspots(args: argparse.Namespace) -> int:
    from gridmap.domain.hotspots import COLD, HOT  # noqa: PLC0415
    from gridmap.io.hotspot_table import write_hotspots_csv  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.hotspots import hotspot_map  # noqa: PLC0415

    since, until = args.since, args.until
    with open_store(args.db) as store:
        found = hotspot_map(store, since, until, args.classes, args.alpha)
    if args.csv:
        write_hotspots_csv(found.grids, args.csv)
    hot = [h for h in found.grids if h.kind == HOT]
    cold = [h for h in found.grids if h.kind == COLD]
    if args.json:
        print(json.dumps({
            "from": since.isoformat(), "until": until.isoformat(), "classes": found.classes, "alpha": args.alpha,
            "cases": found.cases, "cases_not_in_current_unit_grids": found.not_current,
            "unit_grids": len(found.grids), "hot": len(hot), "cold": len(cold),
            "grids": [{"unit_grid_code": h.code, "cases": h.cases, "gi_z": round(h.z, 4), "p_value": h.p,
                       "class": h.kind, "confidence": h.confidence} for h in found.grids]},
            ensure_ascii=False, indent=2))
        return EXIT_OK
    what = f"classes {', '.join(found.classes)}" if found.classes else "all classes"
    print(f"{found.cases:,} case(s) from {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} ({what}) in "
          f"{len(found.grids):,} unit grids; Getis-Ord Gi*, queen contiguity, p ≤ {args.alpha:g}:")
    for label, group in (("hot", hot), ("cold", cold)):
        levels = ", ".join(f"{sum(h.confidence == c for h in group)} at {c}%" for c in (99, 95, 90))
        print(f"  {len(group)} {label} unit grid(s) ({levels})")
    if found.not_current:
        print(f"  {found.not_current} case(s) were reported in unit grids that are no longer current: not counted")
    for label, group in (("hottest", hot[:args.limit]), ("coldest", cold[::-1][:args.limit])):
        if group:
            print(f"{label}:")
            for h in group:
                print(f"  {h.code}  {h.cases:>5} case(s)  z {h.z:+7.2f}  p {h.p:.2g}  ({h.confidence}%)")
    if args.csv:
        print(f"wrote {args.csv}")
    return EXIT_OK


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_hotspots}


def add_parsers(sub) -> None:
    """Add ``hotspots`` to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

    hot = sub.add_parser(
        "hotspots", help="hot and cold unit grids of cases in a period (Getis-Ord Gi*)",
        description="Count the cases reported in the period per unit grid and compute the Getis-Ord Gi* "
                    "statistic with queen contiguity (a unit grid and those sharing an edge or a corner): "
                    "a z-score, its two-sided p-value, and hot, cold or not significant at --alpha.")
    hot.add_argument("db", type=store_location)
    hot.add_argument("--from", dest="since", type=_start, required=True, metavar="DATE",
                     help="first day (or moment) counted")
    hot.add_argument("--to", dest="until", type=_end, required=True, metavar="DATE",
                     help="last day counted (a date counts the whole day; a date and time is the end, excluded)")
    hot.add_argument("--class", dest="classes", action="append", metavar="CODE",
                     help="only cases of this class (repeat for several; event:CODE or component:CODE when the "
                          "code is both)")
    hot.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    hot.add_argument("--csv", type=Path, metavar="FILE", help="write every unit grid's row to this CSV file")
    hot.add_argument("--json", action="store_true", help="the summary and every unit grid as JSON")
    hot.add_argument("--limit", type=int, default=10, help="hottest and coldest unit grids listed (default 10)")
    hot.set_defaults(func=_cmd_hotspots)
