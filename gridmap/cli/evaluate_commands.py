"""Evaluation: the indicators of a period by responsibility grid, responsible unit or supervisor."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from gridmap.cli.common import EXIT_OK
from gridmap.domain.errors import GridmapError


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from gridmap.domain.calendar import city_today  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.evaluation import columns_for, period_rows, write_csv, write_xlsx  # noqa: PLC0415

    def day(text: str, what: str) -> dt.date:
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise GridmapError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None
        if not dt.date(2000, 1, 1) <= value <= dt.date(2099, 12, 31):
            raise GridmapError(f"{what} {text} is outside 2000-2099, the years the working calendar covers")
        return value

    end = day(args.to, "--to") if args.to else city_today()
    start = day(args.since, "--from") if args.since else end.replace(day=1)
    if start > end:
        raise GridmapError(f"--from {start} is after --to {end}")
    with open_store(args.db) as store:
        rows = period_rows(store, start, end, args.by)
    title = f"{start} .. {end}, by {args.by}"
    if args.csv:
        write_csv(rows, args.by, args.csv)
        print(f"wrote {args.csv}")
    if args.xlsx:
        write_xlsx(rows, args.by, args.xlsx, title)
        print(f"wrote {args.xlsx}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not (args.csv or args.xlsx):
        names = columns_for(args.by)
        print(title)
        print("  ".join(names))
        for row in rows:
            print("  ".join("" if row.get(n) is None else f"{row[n]:.1%}" if n.endswith("_rate")
                            else str(row[n]) for n in names))
    return EXIT_OK


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_evaluate}


def add_parsers(sub) -> None:
    """Add evaluate to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

    ev = sub.add_parser("evaluate", help="evaluation indicators for a period by grid, unit or supervisor",
                        description="Registered, due, closed, closure rate, on-time closure and handling rates, "
                                    "rework, on hold, average handling time (working hours), escalations to a "
                                    "higher level per responsibility grid or responsible unit; reports, "
                                    "valid-report, on-time verify and check "
                                    "rates per supervisor.")
    ev.add_argument("db", type=store_location)
    ev.add_argument("--from", dest="since", help="first day (default: the 1st of the --to month)")
    ev.add_argument("--to", help="last day, included (default: today)")
    ev.add_argument("--by", default="grid", choices=["grid", "unit", "supervisor"])
    ev.add_argument("--csv", type=Path)
    ev.add_argument("--xlsx", type=Path)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=_cmd_evaluate)
