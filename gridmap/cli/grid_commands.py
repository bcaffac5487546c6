"""Commands on grids and who is responsible: grid plans, the routing table, the responsibility check, units."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gridmap.cli.common import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, encoding_name, print_by_kind


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
    print_by_kind(gaps, args.limit, args.all)
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


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_grid_assign, _cmd_grid_history, _cmd_grid_lock, _cmd_grid_export, _cmd_routing_export,
              _cmd_routing_import, _cmd_check_responsibility, _cmd_unit}


def add_parsers(sub) -> None:
    """Add grid, routing, check-responsibility and unit to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

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
    r_import.add_argument("--encoding", type=encoding_name, help="gbk, gb18030 or utf-8 (default: UTF-8 with or "
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
