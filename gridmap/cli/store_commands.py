"""Commands on a store as a whole: build the demo city into one, describe it, validate it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from gridmap.cli.common import EXIT_OK, EXIT_PROBLEMS, print_by_kind

DEFAULT_DEMO = Path.home() / ".local" / "share" / "gridmap" / "demo-dongsheng.sqlite"


def _cmd_demo(args: argparse.Namespace) -> int:
    from gridmap.demo.build import build_demo  # noqa: PLC0415 - keep `gridmap --help` fast
    from gridmap.demo.city import city_layout  # noqa: PLC0415

    end = dt.datetime.fromisoformat(args.end) if args.end else None
    layout = city_layout(args.scale, args.districts)
    names = "、".join(d.name for d in layout.districts)
    print(f"Building the demo city (seed {args.seed}, scale {layout.scale:g}, {layout.count} district"
          f"{'s' if layout.count > 1 else ''}: {names}) into {args.db} ...", flush=True)
    summary = build_demo(args.db, seed=args.seed, scale=args.scale, districts=args.districts, end=end,
                         overwrite=args.force)
    counts = summary.counts
    print(f"  districts {counts['district']}, unit grids {counts['unit_grid']:,}, responsibility grids "
          f"{counts['responsibility_grid']}, community grids {counts['community_grid']}, components "
          f"{counts['component']:,}, incidents {counts['incident']:,}")
    print(f"  built in {sum(summary.seconds.values()):.1f} s; cases up to {summary.end:%Y-%m-%d %H:%M}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.queries import community_grid_levels, crs_name, layer_counts, settings  # noqa: PLC0415

    with open_store(args.db) as store:
        info = {
            "file": str(store.path),
            "schema_version": store.schema_version,
            "crs": f"EPSG:{store.srid}",
            "crs_name": crs_name(store),
            "settings": settings(store),
            "layers": layer_counts(store),
            "community_grid_levels": community_grid_levels(store),
        }
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
    from gridmap.store.validate import validate_store  # noqa: PLC0415

    with open_store(args.db) as store:
        problems = validate_store(store)
    from gridmap.store.validate import repair_hint, summarize  # noqa: PLC0415

    if args.json:
        print(json.dumps([{**p.__dict__, "repair": repair_hint(p.kind)} for p in problems], ensure_ascii=False,
                         indent=2))
        return EXIT_PROBLEMS if problems else EXIT_OK
    if not problems:
        print(f"{args.db}: valid (tiling, codes, component grids, references, cases, routing, history)")
        return EXIT_OK
    print(f"{args.db}: {len(problems)} problem(s)")
    print_by_kind(problems, args.limit, args.all)
    print("how to repair:")
    for kind in summarize(problems):
        print(f"  [{kind}] {repair_hint(kind) or 'see docs/data-model.md'}")
    return EXIT_PROBLEMS


def _scale(text: str) -> float:
    from gridmap.demo.city import MAX_SCALE  # noqa: PLC0415

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"{text}: the scale must be above 0 and at most {MAX_SCALE:g}")
    return value


def _districts(text: str) -> int:
    from gridmap.demo.city import read_districts  # noqa: PLC0415

    known = len(read_districts())
    if not text.isdigit() or not 1 <= int(text) <= known:
        raise argparse.ArgumentTypeError(f"{text}: a city has 1 to {known} districts (Ordos's county-level "
                                         "divisions)")
    return int(text)


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_demo, _cmd_info, _cmd_validate}


def add_parsers(sub) -> None:
    """Add demo, info and validate to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

    demo = sub.add_parser(
        "demo", help="build the Dongsheng-like demo city (or a city of up to nine districts) into a new store",
        description="Build the demo city: unit grids, 42 responsibility grids, 15/84/486 community grids, "
                    "~105,000 components and 150,000 historical incidents per district of Dongsheng's size. "
                    "--scale is the size of the whole city in Dongshengs, --districts how many adjacent "
                    "districts of Ordos share it (each with its own GB/T 2260 code, streets, grids, staff and "
                    "component IDs): by default one district up to --scale 1 and ceil(scale) districts above, "
                    "so --scale 3 is three whole districts and --scale 10 nine districts of 1.11 (Ordos has nine "
                    "county-level divisions; no code is invented). --districts N alone is N whole districts; "
                    "--districts 3 --scale 0.15 is three small districts of 0.05. The same seed, scale, "
                    "districts and --end give the same file.")
    demo.add_argument("--db", type=store_location, default=DEFAULT_DEMO,
                      help=f"store file or postgresql:// URI to create (default {DEFAULT_DEMO})")
    demo.add_argument("--seed", type=int, default=2009, help="random seed (default 2009)")
    demo.add_argument("--scale", type=_scale, default=None,
                      help="size of the whole city in Dongshengs, 0 < F <= 10 (default 1, or the number of "
                           "--districts; 0.05 makes a small test city, 10 a city of ~1,050,000 components)")
    demo.add_argument("--districts", type=_districts, default=None,
                      help="adjacent districts sharing the city, 1 <= N <= 9, each scale/N of Dongsheng (default: "
                           "1 up to scale 1, else ceil(scale))")
    demo.add_argument("--end", help="last moment of the case history, ISO 8601 local time (default: now)")
    demo.add_argument("--force", action="store_true", help="replace the file if it exists")
    demo.set_defaults(func=_cmd_demo)

    info = sub.add_parser("info", help="counts per layer, CRS and schema version of a store")
    info.add_argument("db", type=store_location, help="store file or postgresql:// URI")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_cmd_info)

    validate = sub.add_parser(
        "validate", help="check the tiling, codes, component grids and references (exit 1 on problems)",
        description="Check a store: unit grids form a gap-free, overlap-free coverage of the district and stay "
                    "inside their community; codes are well formed; every component is in the unit grid its "
                    "unit_grid_code names; no row refers to a missing unit, class, grid or person. "
                    "Exit code 1 and a list when anything is wrong.")
    validate.add_argument("db", type=store_location, help="store file")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON")
    validate.add_argument("--limit", type=int, default=20, help="problems listed per kind (default 20)")
    validate.add_argument("--all", action="store_true", help="list every problem")
    validate.set_defaults(func=_cmd_validate)
