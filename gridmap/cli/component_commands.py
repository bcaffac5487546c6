"""The asset register from the command line (issue 15): add a component (prints its new code), move or
reshape one, set its fields, retire it, show its history. Every change keeps the previous version and
needs the 'maintain' action of the person (--user) on a store with users."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gridmap.cli.common import EXIT_OK, encoding_name
from gridmap.cli.exchange_commands import _crs
from gridmap.domain.errors import GridmapError


def _geometry(args: argparse.Namespace, srid: int):
    """The location the command names (--x/--y or --wkt, in --crs), in the store's CRS, as WKB."""
    import shapely  # noqa: PLC0415

    from gridmap.domain.coords import to_store  # noqa: PLC0415

    if args.wkt is not None:
        if args.x is not None or args.y is not None:
            raise GridmapError("give either --x and --y or --wkt, not both")
        try:
            geometry = shapely.from_wkt(args.wkt)
        except shapely.errors.GEOSException as exc:
            raise GridmapError(f"--wkt cannot be read: {exc}") from exc
    elif args.x is None or args.y is None:
        raise GridmapError("give the location: --x and --y (a point), or --wkt (a line or polygon)")
    else:
        geometry = shapely.Point(args.x, args.y)
    try:
        return shapely.to_wkb(to_store(geometry, args.crs, srid))
    except ValueError as exc:
        raise GridmapError(f"--crs {args.crs}: {exc}") from exc


def _cmd_component_add(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, register  # noqa: PLC0415

    values = {key: value for key, value in (
        ("name", args.name), ("competent_unit_code", args.competent), ("owner_unit_code", args.owner),
        ("maintainer_unit_code", args.maintainer), ("state", args.state), ("material", args.material),
        ("note", args.note), ("data_source", args.data_source), ("initial_date", args.initial_date))
        if value is not None}
    with open_store(args.db) as store:
        code = register.add_component(store, args.class_code, _geometry(args, store.srid), values=values,
                                      user=args.user, reason=args.reason)
        _kind, row, _wkb = register.component_row(store, code)
    print(f"added component of class {row['class_code']} in unit grid {row['unit_grid_code']}; its code:")
    print(code)
    return EXIT_OK


def _cmd_component_move(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, register  # noqa: PLC0415

    with open_store(args.db) as store:
        register.move_component(store, args.code, _geometry(args, store.srid), user=args.user, reason=args.reason)
        kind, row, _wkb = register.component_row(store, args.code)
    print(f"{'moved' if kind == 'point' else 'reshaped'} {args.code}; unit grid {row['unit_grid_code']}")
    return EXIT_OK


def _cmd_component_set(args: argparse.Namespace) -> int:
    from gridmap.domain.register import parse_assignments  # noqa: PLC0415
    from gridmap.store import open_store, register  # noqa: PLC0415

    values = parse_assignments(args.assignments)
    with open_store(args.db) as store:
        register.set_fields(store, args.code, values, user=args.user, reason=args.reason)
    print(f"set {', '.join(values)} of {args.code}")
    return EXIT_OK


def _cmd_component_retire(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, register  # noqa: PLC0415

    with open_store(args.db) as store:
        register.retire_component(store, args.code, args.reason, user=args.user)
    print(f"retired {args.code} (作废): it stays in the register, and its code is never used again")
    return EXIT_OK


def _cmd_component_history(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, register  # noqa: PLC0415

    with open_store(args.db) as store:
        changes = register.history(store, args.code)
        kind, row, _wkb = register.component_row(store, args.code)
    if args.json:
        print(json.dumps({"code": args.code, "kind": kind, "current": {k: v for k, v in row.items() if k != "id"},
                          "changes": changes}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"component {args.code}  class {row['class_code']}  {row['currency']}  unit grid {row['unit_grid_code']}")
    if not changes:
        print("no changes recorded in gridmap (as surveyed or imported)")
    for change in changes:
        who = f"{change['user_name']} ({change['user']})" if change["user_name"] else change["user"]
        when = change["at"].replace("T", " ")[:19]
        print(f"  {when}  {change['change']:<8} {who}  {change['reason'] or ''}".rstrip())
        if change["geometry_changed"]:
            print("      location changed")
        for name, (before, after) in change["fields"].items():
            print(f"      {name}: {before if before is not None else '-'} → {after if after is not None else '-'}")
    return EXIT_OK


def _cmd_component_census(args: argparse.Namespace) -> int:
    from gridmap.io.census import GROUPS, apply, compare  # noqa: PLC0415
    from gridmap.io.checks import ImportOptions  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415

    accepted = [g.strip() for g in (args.accept or "").split(",") if g.strip()]
    unknown = [g for g in accepted if g not in GROUPS]
    if unknown:
        raise GridmapError(f"--accept {', '.join(unknown)}: the groups are {', '.join(GROUPS)}")
    options = ImportOptions(crs=args.crs, encoding=args.encoding, profile=args.profile, gcj02=args.gcj02)
    with open_store(args.db) as store:
        census = compare(store, args.file, tolerance=args.tolerance, options=options, community=args.community,
                         responsibility_grid=args.grid)
        codes = apply(store, census, accepted, user=args.user) if accepted else {}
    if args.json:
        print(json.dumps({
            "unit_grids": len(census.unit_grids), "unchanged": census.unchanged, "accepted": accepted,
            "groups": {group: [{"code": i.code, "row": i.row, "class_code": i.class_code, "distance": i.distance,
                                "values": i.values} for i in items] for group, items in census.groups.items()},
            "new_codes": {str(row): code for row, code in codes.items()},
            "errors": [{"row": row, "error": text} for row, text in census.errors]}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"census {args.file}: {len(census.unit_grids)} unit grids surveyed, {census.unchanged} components as "
          "registered")
    for group, items in census.groups.items():
        mark = "accepted" if group in accepted else "not written"
        print(f"  {group:<8} {len(items):>6}  ({mark})")
        for item in items[:args.limit]:
            detail = f"{item.distance:g} m" if item.distance is not None else ", ".join(
                f"{k}: {v[0] if isinstance(v, tuple) else ''} → {v[1] if isinstance(v, tuple) else v}"
                for k, v in item.values.items())
            print(f"      {item.code or '(new, row ' + str(item.row) + ')'}  {item.class_code}  {detail}".rstrip())
        if len(items) > args.limit:
            print(f"      ... {len(items) - args.limit} more")
    for row, text in census.errors[:args.limit]:
        print(f"  row {row}: {text}")
    if len(census.errors) > args.limit:
        print(f"  ... {len(census.errors) - args.limit} more rows that fit no group")
    if not accepted:
        print("nothing written: accept groups with --accept new,moved,changed,missing")
    else:
        print(f"written in one transaction: {', '.join(accepted)}; {len(codes)} new code(s)")
    return EXIT_OK


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_component_add, _cmd_component_move, _cmd_component_set, _cmd_component_retire,
              _cmd_component_history, _cmd_component_census}


def _location_arguments(parser) -> None:
    parser.add_argument("--x", type=float, help="easting or longitude of a point")
    parser.add_argument("--y", type=float, help="northing or latitude of a point")
    parser.add_argument("--wkt", help="the geometry as WKT (a line or polygon component; a point too)")
    parser.add_argument("--crs", default="store", metavar="CRS",
                        help="what --x/--y or --wkt are in: store (default, the store's projected CRS), wgs84, "
                             "gcj02 (AMap/Tencent), bd09 (Baidu) or EPSG:<code>")


def _change_arguments(parser, reason_required: bool = False) -> None:
    parser.add_argument("--user", metavar="STAFF",
                        help="who makes the change (a staff code; default: the operating-system login)")
    parser.add_argument("--reason", required=reason_required,
                        help="why (kept with the previous version)" + (" (required)" if reason_required else ""))


def add_parsers(sub) -> None:
    """Add component (add, move, set, retire, history) to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.domain.components import COMPONENT_STATES  # noqa: PLC0415
    from gridmap.domain.register import EDITABLE_FIELDS  # noqa: PLC0415
    from gridmap.store.connection import store_location  # noqa: PLC0415

    component = sub.add_parser(
        "component", help="the asset register: add, move, set, retire a component, show its history",
        description="Change the register of components (部件). Every change is one transaction that keeps the "
                    "previous version with who and why (see 'component history'); codes are allocated once and "
                    "never reused. On a store with users the person needs the 'maintain' action.")
    component_sub = component.add_subparsers(dest="component_command", required=True, metavar="ACTION")
    add = component_sub.add_parser(
        "add", help="register a new component; prints its code on the last line",
        description="Register a new component of a class at a location: its code is the district + the class + "
                    "the next serial never used; its unit grid follows from the location; its initial survey "
                    "date is today and its state 完好 unless given.")
    add.add_argument("db", type=store_location)
    add.add_argument("--class", dest="class_code", required=True, metavar="CODE", help="the component class, e.g. 0101")
    _location_arguments(add)
    add.add_argument("--name", help="the standard name")
    add.add_argument("--competent", metavar="UNIT", help="the competent unit (主管部门)")
    add.add_argument("--owner", metavar="UNIT", help="the owner unit (权属单位)")
    add.add_argument("--maintainer", metavar="UNIT", help="the maintainer unit (养护单位)")
    add.add_argument("--state", choices=COMPONENT_STATES, help="default 完好")
    add.add_argument("--material", help="material (材质)")
    add.add_argument("--data-source", help="实测, 地形图, ...")
    add.add_argument("--initial-date", metavar="YYYY-MM-DD", help="the survey date (default: today)")
    add.add_argument("--note")
    _change_arguments(add)
    add.set_defaults(func=_cmd_component_add)
    move = component_sub.add_parser("move", help="move a point component, or reshape a line or polygon",
                                    description="Move a component to a new location (--x/--y, or --wkt for a "
                                                "line or polygon); its unit grid follows.")
    move.add_argument("db", type=store_location)
    move.add_argument("code")
    _location_arguments(move)
    _change_arguments(move)
    move.set_defaults(func=_cmd_component_move)
    set_ = component_sub.add_parser(
        "set", help="set fields: FIELD=VALUE ... (an empty value clears one)",
        description=f"Set fields of a component. The fields: {', '.join(EDITABLE_FIELDS)}. The code, class, "
                    "unit grid and currency are the register's own: add, move or retire instead.")
    set_.add_argument("db", type=store_location)
    set_.add_argument("code")
    set_.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    _change_arguments(set_)
    set_.set_defaults(func=_cmd_component_set)
    retire = component_sub.add_parser("retire", help="retire a component (作废): never deleted, its code never reused")
    retire.add_argument("db", type=store_location)
    retire.add_argument("code")
    _change_arguments(retire, reason_required=True)
    retire.set_defaults(func=_cmd_component_retire)
    history = component_sub.add_parser("history", help="every change of a component: when, what, who and why")
    history.add_argument("db", type=store_location)
    history.add_argument("code")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(func=_cmd_component_history)
    census = component_sub.add_parser(
        "census", help="compare a new census of an area with the register; write the groups you accept",
        description="Compare a census file (a shapefile, GeoPackage, GeoJSON or CSV of surveyed components, as "
                    "'gridmap import' reads them) with the register of the surveyed area: new components, moved "
                    "ones (beyond --tolerance), changed fields, and components not found. Nothing is written "
                    "unless --accept names groups; those are written in one transaction, each change with its "
                    "previous version (history 'census').")
    census.add_argument("db", type=store_location)
    census.add_argument("file", type=Path)
    census.add_argument("--accept", metavar="GROUPS", help="comma-separated: new,moved,changed,missing")
    census.add_argument("--tolerance", type=float, default=1.0, metavar="METRES",
                        help="how far a component may lie from its registered place and count as not moved (1 m)")
    area = census.add_mutually_exclusive_group()
    area.add_argument("--community", metavar="CODE", help="the surveyed area is this community")
    area.add_argument("--grid", metavar="CODE", help="the surveyed area is this responsibility grid")
    census.add_argument("--crs", type=_crs, help="the file's CRS, winning over its own: EPSG:N or a definition")
    census.add_argument("--gcj02", action="store_true", help="the file's lon/lat are GCJ-02")
    census.add_argument("--encoding", type=encoding_name)
    census.add_argument("--profile", choices=["legacy", "gbt47678", "native"])
    census.add_argument("--user", metavar="STAFF", help="who accepts the census (a staff code)")
    census.add_argument("--limit", type=int, default=20, help="components listed per group (20)")
    census.add_argument("--json", action="store_true", help="print JSON")
    census.set_defaults(func=_cmd_component_census)
