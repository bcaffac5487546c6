"""The ``gridmap`` command line: headless work on store files.

Exit codes: 0 success, 1 the data has problems (validate), 2 an error that
stopped the command (bad arguments, unreadable file), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from gridmap import __version__
from gridmap.domain.errors import GridmapError

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
DEFAULT_DEMO = Path.home() / ".local" / "share" / "gridmap" / "demo-dongsheng.sqlite"


def _cmd_demo(args: argparse.Namespace) -> int:
    from gridmap.demo.build import build_demo  # noqa: PLC0415 - keep `gridmap --help` fast

    end = dt.datetime.fromisoformat(args.end) if args.end else None
    print(f"Building the demo city (seed {args.seed}, scale {args.scale}) into {args.db} ...", flush=True)
    summary = build_demo(args.db, seed=args.seed, scale=args.scale, end=end, overwrite=args.force)
    counts = summary.counts
    print(f"  unit grids {counts['unit_grid']:,}, responsibility grids {counts['responsibility_grid']}, "
          f"community grids {counts['community_grid']}, components {counts['component']:,}, "
          f"incidents {counts['incident']:,}")
    print(f"  built in {sum(summary.seconds.values()):.1f} s; cases up to {summary.end:%Y-%m-%d %H:%M}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.queries import crs_name, layer_counts  # noqa: PLC0415

    with open_store(args.db) as store:
        info = {
            "file": str(store.path),
            "schema_version": store.schema_version,
            "crs": f"EPSG:{store.srid}",
            "crs_name": crs_name(store),
            "settings": dict(store.conn.execute("SELECT key, value FROM gridmap_setting ORDER BY key").fetchall()),
            "layers": layer_counts(store),
        }
        levels = store.conn.execute("SELECT level, count(*) FROM community_grid GROUP BY level").fetchall()
        info["community_grid_levels"] = {str(level): count for level, count in levels}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{info['file']}")
    print(f"  schema version {info['schema_version']}, CRS {info['crs']} ({info['crs_name']})")
    for key, value in info["settings"].items():
        if key != "srid":
            print(f"  {key}: {value}")
    print("  layers:")
    for table, count in info["layers"].items():
        extra = "  (current)" if table == "unit_grid" else ""
        print(f"    {table:<24}{count:>10,}{extra}")
    if info["community_grid_levels"]:
        levels_text = ", ".join(f"level {k}: {v}" for k, v in info["community_grid_levels"].items())
        print(f"  community grids by level: {levels_text}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.validate import summarize, validate_store  # noqa: PLC0415

    with open_store(args.db) as store:
        problems = validate_store(store)
    if args.json:
        print(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
        return EXIT_PROBLEMS if problems else EXIT_OK
    if not problems:
        print(f"{args.db}: valid (tiling, codes, component grids, references)")
        return EXIT_OK
    print(f"{args.db}: {len(problems)} problem(s)")
    shown: dict[str, int] = {}
    for problem in problems:
        shown[problem.kind] = shown.get(problem.kind, 0) + 1
        if args.all or shown[problem.kind] <= args.limit:
            print(f"  {problem}")
    for kind, count in summarize(problems).items():
        if not args.all and count > args.limit:
            print(f"  ... {count - args.limit} more [{kind}] (use --all to list every one)")
    return EXIT_PROBLEMS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridmap",
        description="gridmap: grid-based city management (数字城管 / 网格化管理). "
                    "Headless commands on gridmap store files (SpatiaLite).",
    )
    parser.add_argument("--version", action="version", version=f"gridmap {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="build the Dongsheng-like demo city into a new store",
                          description="Build the demo city: unit grids, 42 responsibility grids, 15/84/486 "
                                      "community grids, ~105,000 components and 150,000 historical incidents "
                                      "(at --scale 1). The same seed, scale and --end give the same file.")
    demo.add_argument("--db", type=Path, default=DEFAULT_DEMO, help=f"store file to create (default {DEFAULT_DEMO})")
    demo.add_argument("--seed", type=int, default=2009, help="random seed (default 2009)")
    demo.add_argument("--scale", type=float, default=1.0,
                      help="fraction of the full city's area and counts, 0 < F <= 1 (0.05 makes a small test city)")
    demo.add_argument("--end", help="last moment of the case history, ISO 8601 local time (default: now)")
    demo.add_argument("--force", action="store_true", help="replace the file if it exists")
    demo.set_defaults(func=_cmd_demo)

    info = sub.add_parser("info", help="counts per layer, CRS and schema version of a store")
    info.add_argument("db", type=Path, help="store file")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_cmd_info)

    validate = sub.add_parser(
        "validate", help="check the tiling, codes, component grids and references (exit 1 on problems)",
        description="Check a store: unit grids form a gap-free, overlap-free coverage of the district and stay "
                    "inside their community; codes are well formed; every component is in the unit grid its "
                    "unit_grid_code names; no row refers to a missing unit, class, grid or person. "
                    "Exit code 1 and a list when anything is wrong.")
    validate.add_argument("db", type=Path, help="store file")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON")
    validate.add_argument("--limit", type=int, default=20, help="problems listed per kind (default 20)")
    validate.add_argument("--all", action="store_true", help="list every problem")
    validate.set_defaults(func=_cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GridmapError as exc:
        print(f"gridmap: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gridmap: interrupted", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
