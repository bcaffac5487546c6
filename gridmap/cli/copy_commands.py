"""Whole-store copies: migrate a store between engines, back up a live one."""

from __future__ import annotations

import argparse
from pathlib import Path

from gridmap.cli.common import EXIT_OK


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


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_migrate, _cmd_backup}


def add_parsers(sub) -> None:
    """Add migrate and backup to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

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
