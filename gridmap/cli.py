"""The ``gridmap`` command line: headless work on store files.

Exit codes: 0 success, 1 the data has problems (validate), 2 an error that
stopped the command (bad arguments, unreadable file), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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


def _print_by_kind(problems, limit: int, show_all: bool) -> None:
    """List problems, at most ``limit`` of each kind unless ``show_all``, then what was left out."""
    from gridmap.store.validate import summarize  # noqa: PLC0415

    shown: dict[str, int] = {}
    for problem in problems:
        shown[problem.kind] = shown.get(problem.kind, 0) + 1
        if show_all or shown[problem.kind] <= limit:
            print(f"  {problem}")
    for kind, count in summarize(problems).items():
        if not show_all and count > limit:
            print(f"  ... {count - limit} more [{kind}] (use --all to list every one)")


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
    _print_by_kind(problems, args.limit, args.all)
    print("how to repair:")
    for kind in summarize(problems):
        print(f"  [{kind}] {repair_hint(kind) or 'see docs/data-model.md'}")
    return EXIT_PROBLEMS


def _cmd_grid_assign(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.grids import assign_units  # noqa: PLC0415

    with open_store(args.db) as store:
        moved = assign_units(store, args.units, args.to, note=args.note or "")
    print(f"moved {moved} unit grid(s) into {args.to}; a new version is committed")
    return EXIT_OK


def _cmd_grid_history(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.grids import history  # noqa: PLC0415
    from gridmap.store.queries import plan_log  # noqa: PLC0415

    with open_store(args.db) as store:
        versions = history(store, args.code)
        log = plan_log(store)
    if args.code and not versions:
        print(f"gridmap: error: {args.db}: no unit grid {args.code}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps({"versions": [v.__dict__ for v in versions],
                          "log": log},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{'unit grid':<17}{'responsibility grid':<21}{'valid from':<25}valid to")
    for v in versions:
        print(f"{v.code:<17}{v.responsibility_grid_code or '':<21}{v.valid_from:<25}{v.valid_to or '(current)'}")
    if not args.code:
        print(f"\n{len(log)} grid change(s) in the audit log:")
        for entry in log[-args.limit:]:
            at, user, action, detail = entry["at"], entry["user"], entry["action"], entry["detail"]
            print(f"  {at}  {user:<10} {action:<14} {(detail or '')[:90]}")
    return EXIT_OK


def _cmd_grid_lock(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.grids import set_locked  # noqa: PLC0415

    with open_store(args.db) as store:
        for code in args.codes:
            set_locked(store, code, not args.unlock)
    print(f"{'unlocked' if args.unlock else 'locked'} {', '.join(args.codes)}")
    return EXIT_OK


def _cmd_grid_export(args: argparse.Namespace) -> int:
    from gridmap.io.plan_export import export_plan  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.grids import load_plan  # noqa: PLC0415

    with open_store(args.db) as store:
        plan = load_plan(store)
        gpkg, table = export_plan(plan, store.srid, args.out)
    print(f"wrote {gpkg} and {table}")
    return EXIT_OK


def _cmd_routing_export(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.responsibility import export_routing  # noqa: PLC0415

    with open_store(args.db) as store:
        count = export_routing(store, args.file)
    print(f"wrote {count} routing rule(s) to {args.file}")
    return EXIT_OK


def _cmd_routing_import(args: argparse.Namespace) -> int:
    from gridmap.io.encodings import CODECS, normalise  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.responsibility import import_routing  # noqa: PLC0415

    with open_store(args.db) as store:
        changes = import_routing(store, args.file, dry_run=args.dry_run, allow_removals=args.allow_removals,
                                 encoding=CODECS[normalise(args.encoding)] if args.encoding else None)
    for line in changes.lines():
        print(line)
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {changes.count} rule(s): {len(changes.added)} added, {len(changes.changed)} changed, "
          f"{len(changes.removed)} removed" + (" (dry run: nothing written)" if args.dry_run else ""))
    return EXIT_OK


def _cmd_check_responsibility(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.responsibility import check_responsibility  # noqa: PLC0415

    with open_store(args.db) as store:
        gaps = check_responsibility(store, staff_limit=args.staff_limit)
    if args.json:
        print(json.dumps([g.__dict__ for g in gaps], ensure_ascii=False, indent=2))
        return EXIT_PROBLEMS if gaps else EXIT_OK
    if not gaps:
        print(f"{args.db}: every component has a maintainer and an owner, every class is routed everywhere, "
              "every grid has a supervisor and every small grid a roster")
        return EXIT_OK
    print(f"{args.db}: {len(gaps)} gap(s)")
    _print_by_kind(gaps, args.limit, args.all)
    return EXIT_PROBLEMS


def _cmd_unit(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store import responsibility as r  # noqa: PLC0415

    with open_store(args.db) as store:
        if args.unit_command == "list":
            for unit in r.list_units(store, include_retired=args.all):
                retired = f"  retired, succeeded by {unit['successor_code']}" if unit["retired_at"] else ""
                print(f"{unit['code']:<20}{unit['kind']:<20}{unit['name']}{retired}")
        elif args.unit_command == "add":
            r.create_unit(store, args.code, args.name, args.kind, args.contact or "")
            print(f"added {args.code} {args.name}")
        elif args.unit_command == "retire":
            moved = r.retire_unit(store, args.code, args.successor)
            print(f"retired {args.code}; to {args.successor}: " + ", ".join(f"{k} {v}" for k, v in moved.items() if v))
        elif args.unit_command == "delete":
            r.delete_unit(store, args.code)
            print(f"deleted {args.code}")
        elif args.unit_command == "assign":
            scope = r.ComponentScope(class_code=args.component_class, area_kind="responsibility_grid"
                                     if args.grid else "community" if args.community else None,
                                     area_code=args.grid or args.community)
            count = r.assign_component_units(store, args.role, args.code, scope)
            print(f"{args.role} unit of {count} component(s) set to {args.code}")
    return EXIT_OK


def _moment(text: str) -> dt.datetime:
    """An ISO date or date-time for argparse (a non-existent date such as 2026-02-30 is a usage error)."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {exc}") from None


def _epsg(text: str) -> int:
    value = text.upper().removeprefix("EPSG:")
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not EPSG:N")
    return int(value)


def _encoding(text: str) -> str:
    from gridmap.io.encodings import normalise  # noqa: PLC0415

    if normalise(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r}: use gbk, gb18030 or utf-8")
    return text


def _crs(text: str) -> int | str:
    value = text.upper().removeprefix("EPSG:")
    if value.isdigit():
        return int(value)
    import pyproj  # noqa: PLC0415

    try:
        pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is neither EPSG:N nor a CRS definition: {exc}") from None
    return text


def _cmd_export(args: argparse.Namespace) -> int:
    from gridmap.io.export import ExportOptions, export, export_per_unit  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415

    options = ExportOptions(
        layer=args.layer, format=args.format, crs=args.crs, encoding=args.encoding, profile=args.profile,
        where=args.where, classes=args.component_class or [], unit=args.unit, unit_role=args.unit_role,
        grid=args.grid, community=args.community, states=args.state or [],
        since=args.since, until=args.until, statuses=args.status or [], language=args.lang)
    with open_store(args.db) as store:
        result = export_per_unit(store, args.out, options) if args.per_unit else export(store, args.out, options)
    for path in result.files:
        print(path)
    total = sum(result.counts.values())
    print(f"exported {total:,} feature(s): " + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from gridmap.io.importer import ImportOptions, import_file, load_mapping  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415

    options = ImportOptions(layer=args.layer, encoding=args.encoding, crs=args.crs, gcj02=args.gcj02,
                            profile=args.profile, mapping=load_mapping(args.mapping) if args.mapping else None,
                            repair=not args.no_repair, source_layer=args.source_layer, x=args.x, y=args.y,
                            explode=args.explode, lossy_repair=args.allow_lossy_repair)
    with open_store(args.db) as store:
        report = import_file(store, args.file, options, dry_run=args.dry_run)
    for line in report.lines(limit=None if args.all else 200):
        print(line)
    if args.dry_run and not report.errors:
        print("dry run: nothing written")
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from gridmap.service.app import serve  # noqa: PLC0415

    print(f"gridmap intake on http://{args.host}:{args.port} for {args.db} (OpenAPI at /openapi.json), "
          f"{args.workers} worker process(es)", flush=True)
    serve(args.db, args.host, args.port, workers=args.workers)
    return EXIT_OK


def _cmd_token(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.cases import create_token  # noqa: PLC0415

    with open_store(args.db) as store:
        token = create_token(store, args.staff, days=args.days)
    print(f"device token for {args.staff}, valid {args.days} days (shown once; only its hash is kept):")
    print(token)
    return EXIT_OK


def _cmd_token_list(args: argparse.Namespace) -> int:
    from gridmap.domain.calendar import city_now  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.cases import list_tokens  # noqa: PLC0415

    with open_store(args.db) as store:
        tokens = list_tokens(store)
    now = city_now().isoformat()
    for token in tokens:
        token["state"] = ("revoked" if token["revoked_at"] else
                          "expired" if token["expires_at"] and token["expires_at"] <= now else "valid")
    if args.json:
        print(json.dumps(tokens, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{'id':>5}  {'staff':<10} {'name':<8} {'state':<8} {'created':<19}  {'last used':<19}  expires")
    for t in tokens:
        print(f"{t['id']:>5}  {t['staff_code']:<10} {t['staff_name'] or '':<8} {t['state']:<8} {t['created_at']:<19}  "
              f"{t['last_used_at'] or '-':<19}  {t['expires_at'] or '-'}")
    return EXIT_OK


def _cmd_token_revoke(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.cases import revoke_tokens  # noqa: PLC0415

    with open_store(args.db) as store:
        count = revoke_tokens(store, token_id=args.token_id, staff_code=args.staff)
    print(f"revoked {count} token(s); devices using them are refused from their next request")
    return EXIT_OK


def _cmd_migrate(args: argparse.Namespace) -> int:
    from gridmap.store.migrate import migrate  # noqa: PLC0415

    copies = migrate(args.source, args.dest, progress=lambda table, n: print(f"  {table}: {n:,} row(s)", flush=True))
    total = sum(c.rows for c in copies)
    print(f"copied {total:,} rows in {len(copies)} tables from {args.source} to {args.dest}; "
          "every count and checksum equal")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.connection import backup_store  # noqa: PLC0415

    with open_store(args.db, migrate=False) as store:
        backup_store(store, args.target)
    print(f"backed up {args.db} to {args.target} (a consistent copy, taken while others may write)")
    return EXIT_OK


def _cmd_simulate(args: argparse.Namespace) -> int:
    from gridmap.service.simulate import run  # noqa: PLC0415

    tally = run(args.url, args.db, args.rate, args.duration, workers=args.workers)
    print(f"sent {tally.sent}: {tally.created} created, {tally.replayed} replayed, {tally.failed} failed")
    return EXIT_OK if tally.failed == 0 else EXIT_PROBLEMS


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


def build_parser() -> argparse.ArgumentParser:
    from gridmap.store.cases import TOKEN_DAYS  # noqa: PLC0415 - the default shown in --help
    from gridmap.store.connection import store_location  # noqa: PLC0415

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
    demo.add_argument("--db", type=store_location, default=DEFAULT_DEMO,
                      help=f"store file to create (default {DEFAULT_DEMO})")
    demo.add_argument("--seed", type=int, default=2009, help="random seed (default 2009)")
    demo.add_argument("--scale", type=float, default=1.0,
                      help="fraction of the full city's area and counts, 0 < F <= 1 (0.05 makes a small test city)")
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

    grid = sub.add_parser("grid", help="responsibility grid plans: assign, history, lock, export")
    grid_sub = grid.add_subparsers(dest="grid_command", required=True, metavar="ACTION")
    assign = grid_sub.add_parser(
        "assign", help="move unit grids into a responsibility grid and commit a new version",
        description="Move unit grids into a responsibility grid under the editor's rules (grids stay connected, "
                    "locked grids neither gain nor lose units) and commit it as a new version: the old rows get "
                    "valid_to, the audit log records it. Incidents keep the grids they were reported in.")
    assign.add_argument("db", type=store_location)
    assign.add_argument("units", nargs="+", metavar="UNIT_CODE")
    assign.add_argument("--to", required=True, metavar="RESP_CODE", help="the responsibility grid that receives them")
    assign.add_argument("--note", help="why, for the audit log")
    assign.set_defaults(func=_cmd_grid_assign)
    hist = grid_sub.add_parser("history", help="versions of a unit grid, or of every changed one, and the log")
    hist.add_argument("db", type=store_location)
    hist.add_argument("code", nargs="?", help="a unit grid code (default: every unit grid with history)")
    hist.add_argument("--json", action="store_true")
    hist.add_argument("--limit", type=int, default=20, help="log entries shown (default 20)")
    hist.set_defaults(func=_cmd_grid_history)
    lock = grid_sub.add_parser("lock", help="lock responsibility grids against changes (--unlock to release)")
    lock.add_argument("db", type=store_location)
    lock.add_argument("codes", nargs="+", metavar="RESP_CODE")
    lock.add_argument("--unlock", action="store_true")
    lock.set_defaults(func=_cmd_grid_lock)
    export = grid_sub.add_parser("export", help="dissolved responsibility grids (GeoPackage) and unit grid table (CSV)")
    export.add_argument("db", type=store_location)
    export.add_argument("out", type=Path, help="folder to write responsibility_plan.gpkg and .csv into")
    export.set_defaults(func=_cmd_grid_export)

    routing = sub.add_parser("routing", help="the routing table (which unit handles a class, where) as CSV")
    routing_sub = routing.add_subparsers(dest="routing_command", required=True, metavar="ACTION")
    r_export = routing_sub.add_parser("export", help="write the routing table to CSV")
    r_export.add_argument("db", type=store_location)
    r_export.add_argument("file", type=Path)
    r_export.set_defaults(func=_cmd_routing_export)
    r_import = routing_sub.add_parser(
        "import", help="make the routing table equal to a CSV file (--dry-run lists the changes only)",
        description="Columns: class_code, class_kind (event|component), area_kind (default|responsibility_grid|"
                    "community), area_code (empty for default), unit_code; name columns are ignored. The whole "
                    "file is checked first; one bad row and nothing is written.")
    r_import.add_argument("db", type=store_location)
    r_import.add_argument("file", type=Path)
    r_import.add_argument("--dry-run", action="store_true", help="list what would change, write nothing")
    r_import.add_argument("--encoding", type=_encoding, help="gbk, gb18030 or utf-8 (default: UTF-8 with or "
                          "without a byte-order mark, or GBK as Excel saves it, detected; an ambiguous file is "
                          "refused)")
    r_import.add_argument("--allow-removals", action="store_true",
                          help="import even when the file would change or remove more than 10%% of the current "
                               "rules (refused otherwise, as a cut, empty or filled-down file would)")
    r_import.set_defaults(func=_cmd_routing_import)

    check = sub.add_parser(
        "check-responsibility", help="gaps in responsibility: units, routing, supervisors, rosters (exit 1 on gaps)",
        description="List components without a maintainer or owner (or naming retired units), classes no unit "
                    "handles in some responsibility grid, grids without a supervisor, small community grids with "
                    "an empty roster, and staff covering more grids than --staff-limit. Exit code 1 on any gap.")
    check.add_argument("db", type=store_location)
    check.add_argument("--staff-limit", type=int, default=8, help="most grids one person may cover (default 8)")
    check.add_argument("--json", action="store_true")
    check.add_argument("--limit", type=int, default=20, help="gaps listed per kind (default 20)")
    check.add_argument("--all", action="store_true")
    check.set_defaults(func=_cmd_check_responsibility)

    unit = sub.add_parser("unit", help="responsible units: list, add, retire, delete, assign to components")
    unit_sub = unit.add_subparsers(dest="unit_command", required=True, metavar="ACTION")
    u_list = unit_sub.add_parser("list", help="list units")
    u_list.add_argument("db", type=store_location)
    u_list.add_argument("--all", action="store_true", help="include retired units")
    u_add = unit_sub.add_parser("add", help="add a unit (18-character credit code, checked, or a local code)")
    u_add.add_argument("db", type=store_location)
    u_add.add_argument("code")
    u_add.add_argument("name")
    u_add.add_argument("--kind", default="department")
    u_add.add_argument("--contact")
    u_retire = unit_sub.add_parser("retire", help="retire a unit; its components, routing and open cases pass on")
    u_retire.add_argument("db", type=store_location)
    u_retire.add_argument("code")
    u_retire.add_argument("--successor", required=True)
    u_delete = unit_sub.add_parser("delete", help="delete a unit that nothing refers to")
    u_delete.add_argument("db", type=store_location)
    u_delete.add_argument("code")
    u_assign = unit_sub.add_parser("assign", help="set the competent/owner/maintainer unit of a class's components")
    u_assign.add_argument("db", type=store_location)
    u_assign.add_argument("code", help="the unit")
    u_assign.add_argument("--role", required=True, choices=["competent", "owner", "maintainer"])
    u_assign.add_argument("--class", dest="component_class", required=True, help="component class code")
    area = u_assign.add_mutually_exclusive_group()
    area.add_argument("--grid", help="only within this responsibility grid")
    area.add_argument("--community", help="only within this community")
    for p in (u_list, u_add, u_retire, u_delete, u_assign):
        p.set_defaults(func=_cmd_unit)

    exp = sub.add_parser(
        "export", help="export layers for other bureaus (shapefile, GeoPackage, GeoJSON, CSV)",
        description="Export a layer (default: the three component tables) into the folder OUT, with a field "
                    "dictionary (fields.csv) and a README. Shapefiles always get a .prj and a .cpg. With "
                    "--per-unit, one zip per responsible unit with that unit's components.")
    exp.add_argument("db", type=store_location)
    exp.add_argument("out", type=Path, help="folder to write into")
    exp.add_argument("--layer", default="components", help="components (default) or a store table")
    exp.add_argument("--format", default="shp", choices=["shp", "gpkg", "geojson", "csv"])
    exp.add_argument("--crs", type=_epsg, help="EPSG:N, e.g. EPSG:4490 (CGCS2000) or EPSG:4326 (default: the store's)")
    exp.add_argument("--encoding", default="utf-8", choices=["gbk", "utf-8"], help="shapefile text encoding")
    exp.add_argument("--profile", default="native", choices=["native", "legacy", "gbt47678"],
                     help="component field names: the store's, legacy (OBJCODE...) or GB/T 47678.5 (GLBJBSM...)")
    exp.add_argument("--where", help="filter on the layer's fields, e.g. \"state = '破损' AND class_code LIKE '01%%'\"")
    exp.add_argument("--class", dest="component_class", action="append", help="component class (repeatable)")
    exp.add_argument("--unit", help="only components of this responsible unit")
    exp.add_argument("--unit-role", default="any", choices=["any", "competent", "owner", "maintainer"])
    exp.add_argument("--grid", help="only within this responsibility grid")
    exp.add_argument("--community", help="only within this community")
    exp.add_argument("--state", action="append", help="component state (repeatable)")
    exp.add_argument("--since", type=_moment, help="incidents reported from (ISO date)")
    exp.add_argument("--until", type=_moment, help="incidents reported before (ISO date)")
    exp.add_argument("--status", action="append", help="incident status (repeatable)")
    exp.add_argument("--per-unit", action="store_true", help="one zip package per responsible unit")
    exp.add_argument("--lang", default="en", choices=["en", "zh_CN"],
                     help="language of the README.txt and of fields.csv's descriptions (default: en)")
    exp.set_defaults(func=_cmd_export)

    imp = sub.add_parser(
        "import", help="import components or unit grids from a file, checked first (exit 1 on problems)",
        description="Read a Shapefile, GeoPackage, GeoJSON, CSV (x/y, lon/lat, 经度/纬度 or wkt columns) or a zip of "
                    "them, check every row (geometry, IDs, classes, units, place, dates) and write all of it in one "
                    "short transaction, or nothing; every refused row is listed with its number and reason. "
                    "Existing components (same ID) are updated with today's change date where they differ, new "
                    "ones inserted; retired IDs are refused. Unit grids (--layer unit_grid) get a new version only "
                    "where they changed and must keep the tiling valid. Rules: README, 'Exchange with other "
                    "bureaus'.")
    imp.add_argument("db", type=store_location)
    imp.add_argument("file", type=Path)
    imp.add_argument("--layer", default="components", choices=["components", "unit_grid"])
    imp.add_argument("--source-layer", help="the layer of a multi-layer file (GeoPackage), or the file in a zip")
    imp.add_argument("--encoding", type=_encoding, help="gbk, gb18030 or utf-8; wins over the .cpg (default: the "
                     ".cpg, the .dbf's language driver, else detected; an ambiguous file is refused)")
    imp.add_argument("--crs", type=_crs, help="the file's CRS, winning over its .prj: EPSG:N, or a PROJ string "
                     "or WKT with +towgs84/TOWGS84 for Xian 1980 or Beijing 1954")
    imp.add_argument("--x", metavar="FIELD", help="CSV column of x / longitude (default: x, lon, lng, 经度...)")
    imp.add_argument("--y", metavar="FIELD", help="CSV column of y / latitude (default: y, lat, 纬度...)")
    imp.add_argument("--explode", action="store_true",
                     help="import each part of a multi-part geometry as its own component (new IDs after the first)")
    imp.add_argument("--allow-lossy-repair", action="store_true",
                     help="repair an invalid polygon even when only its largest part can be kept")
    imp.add_argument("--gcj02", action="store_true", help="the file's longitude/latitude are GCJ-02: correct them")
    imp.add_argument("--profile", choices=["native", "legacy", "gbt47678"], help="field names (default: recognised)")
    imp.add_argument("--mapping", type=Path, help="JSON file {store column: file field}")
    imp.add_argument("--no-repair", action="store_true", help="reject invalid geometries instead of repairing them")
    imp.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    imp.add_argument("--all", action="store_true", help="list every problem (default: the first 200 of each kind)")
    imp.set_defaults(func=_cmd_import)

    serve = sub.add_parser("serve", help="the intake service for handheld devices (HTTP JSON, OpenAPI)")
    serve.add_argument("db", type=store_location)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (default 1); on PostGIS each has its own connections, on a file "
                            "they take turns at the write lock")
    serve.set_defaults(func=_cmd_serve)
    token = sub.add_parser("token", help="device tokens for the intake service")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    t_create = token_sub.add_parser("create", help="issue a token for a staff member (printed once, on the last line)")
    t_create.add_argument("db", type=store_location)
    t_create.add_argument("--staff", required=True, help="staff code, e.g. ST00001")
    t_create.add_argument("--days", type=int, default=TOKEN_DAYS,
                          help=f"how long the token is valid (default {TOKEN_DAYS} days)")
    t_create.set_defaults(func=_cmd_token)
    t_list = token_sub.add_parser("list", help="every token: id, staff, state, created, last used, expires "
                                               "(never the token itself)")
    t_list.add_argument("db", type=store_location)
    t_list.add_argument("--json", action="store_true")
    t_list.set_defaults(func=_cmd_token_list)
    t_revoke = token_sub.add_parser("revoke", help="revoke a token by id, or every token of a staff member")
    t_revoke.add_argument("db", type=store_location)
    which = t_revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("token_id", type=int, nargs="?", help="the id shown by 'token list'")
    which.add_argument("--staff", help="revoke every live token of this staff member (a lost or stolen device)")
    t_revoke.set_defaults(func=_cmd_token_revoke)
    mig = sub.add_parser("migrate", help="copy a whole store between engines: a file into PostGIS, or back",
                         description="Copies every table, with its ids, from SOURCE into a new store at DEST (a file "
                                     "that does not exist yet, or an empty PostGIS database: createdb, then "
                                     "CREATE EXTENSION postgis), in one transaction, then compares every table's "
                                     "row count and checksum on both sides. Exit 0 only when they all agree.")
    mig.add_argument("source", type=store_location, help="store file or postgresql:// URI")
    mig.add_argument("dest", type=store_location, help="new store file or postgresql:// URI of an empty database")
    mig.set_defaults(func=_cmd_migrate)
    backup = sub.add_parser("backup", help="copy a store safely while it is in use (never cp a live store)",
                            description="Copies the store through SQLite's online backup: the copy is consistent "
                                        "and holds everything committed so far, even while the desktop and the "
                                        "intake service write. A plain file copy of a live store can miss "
                                        "committed reports and disturb the programs that have it open.")
    backup.add_argument("db", type=store_location)
    backup.add_argument("target", type=Path, help="the new file (must not exist)")
    backup.set_defaults(func=_cmd_backup)
    sim = sub.add_parser("simulate", help="send realistic reports from the demo's supervisors to the service")
    sim.add_argument("url", help="e.g. http://127.0.0.1:8750")
    sim.add_argument("--db", type=store_location, required=True,
                     help="the store the service runs on (for classes, places, and to issue the supervisors' tokens)")
    sim.add_argument("--rate", type=float, default=1.0, help="reports per second (default 1)")
    sim.add_argument("--duration", type=float, help="seconds (default: until interrupted)")
    sim.add_argument("--workers", type=int, default=4, help="parallel connections (default 4)")
    sim.set_defaults(func=_cmd_simulate)

    ev = sub.add_parser("evaluate", help="evaluation indicators for a period by grid, unit or supervisor",
                        description="Registered, due, closed, closure rate, on-time closure and handling rates, "
                                    "rework, on hold, average handling time (working hours) per responsibility "
                                    "grid or responsible unit; reports, valid-report, on-time verify and check "
                                    "rates per supervisor.")
    ev.add_argument("db", type=store_location)
    ev.add_argument("--from", dest="since", help="first day (default: the 1st of the --to month)")
    ev.add_argument("--to", help="last day, included (default: today)")
    ev.add_argument("--by", default="grid", choices=["grid", "unit", "supervisor"])
    ev.add_argument("--csv", type=Path)
    ev.add_argument("--xlsx", type=Path)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=_cmd_evaluate)
    return parser


#: the commands whose store functions run on PostGIS too (issue 13 moves the others one module at a time)
_ON_POSTGIS_NAMES = {"demo", "info", "migrate", "validate", "check-responsibility", "routing", "unit", "grid",
                     "export", "import", "evaluate", "serve", "simulate", "token"}
_ON_POSTGIS = {_cmd_demo, _cmd_info, _cmd_migrate, _cmd_validate, _cmd_check_responsibility, _cmd_routing_export,
               _cmd_routing_import, _cmd_unit, _cmd_export, _cmd_import, _cmd_grid_history, _cmd_grid_lock,
               _cmd_grid_assign, _cmd_grid_export, _cmd_evaluate, _cmd_serve, _cmd_simulate, _cmd_token,
               _cmd_token_list, _cmd_token_revoke, _cmd_backup}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from gridmap.store.connection import is_postgis  # noqa: PLC0415

    if is_postgis(getattr(args, "db", None)) and args.func not in _ON_POSTGIS:
        command = " ".join(a for a in (argv if argv is not None else sys.argv[1:])[:2] if not a.startswith("-"))
        print(f"gridmap: error: '{command}' works on store files only in this version; on a PostGIS store "
              f"(postgresql://…) these work: {', '.join(sorted(_ON_POSTGIS_NAMES))}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return args.func(args)
    except GridmapError as exc:
        print(f"gridmap: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gridmap: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader (e.g. head) closed the pipe: nothing more to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until the interpreter exits
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
