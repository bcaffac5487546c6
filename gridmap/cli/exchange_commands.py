"""Exchange with other bureaus: export and import files, and the argument types their options take."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from gridmap.cli.common import EXIT_OK, EXIT_PROBLEMS, encoding_name


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


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_export, _cmd_import}


def add_parsers(sub) -> None:
    """Add export and import to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

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
    imp.add_argument("--encoding", type=encoding_name, help="gbk, gb18030 or utf-8; wins over the .cpg (default: the "
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
