"""The ``gridmap`` command line: headless work on a store (a file or a PostGIS database).

Exit codes: 0 success, 1 the data has problems (validate), 2 an error that
stopped the command (bad arguments, unreadable file), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from gridmap import __version__
from gridmap.cli import (
    case_commands,
    component_commands,
    copy_commands,
    evaluate_commands,
    exchange_commands,
    grid_commands,
    hotspot_commands,
    plan_commands,
    poster_commands,
    service_commands,
    simulate_commands,
    store_commands,
    user_commands,
)
from gridmap.cli.common import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from gridmap.cli.store_commands import DEFAULT_DEMO
from gridmap.domain.errors import GridmapError

#: the command groups, one module each, in the order ``gridmap --help`` lists their commands; each module
#: has its handlers, ``add_parsers(sub)`` for its commands and ``ON_POSTGIS``, its handlers that run on PostGIS
COMMAND_MODULES = (store_commands, grid_commands, plan_commands, exchange_commands, service_commands,
                   copy_commands, simulate_commands, evaluate_commands, user_commands, case_commands,
                   component_commands, poster_commands, hotspot_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridmap",
        description="gridmap: grid-based city management (数字城管 / 网格化管理). "
                    "Headless commands on a gridmap store: a SpatiaLite file, or a PostGIS database named "
                    "postgresql://user@host:port/db or service=NAME.",
    )
    parser.add_argument("--version", action="version", version=f"gridmap {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_parsers(sub)
    from gridmap import extensions  # noqa: PLC0415 - plugins add their commands (docs/plugins.md)

    failed = extensions.run_hook(extensions.discover(), "cli", sub)
    for extension in failed:
        print(f"gridmap: plugin {extension.name} could not add its commands: {extension.hook_errors['cli']}",
              file=sys.stderr)
    return parser


#: the commands whose store functions run on PostGIS too (issue 13 moves the others one module at a time)
_ON_POSTGIS_NAMES = {"demo", "info", "migrate", "validate", "check-responsibility", "routing", "unit", "grid",
                     "export", "import", "evaluate", "serve", "simulate", "token", "user", "case", "component",
                     "poster", "plan", "hotspots"}
_ON_POSTGIS = set().union(*(module.ON_POSTGIS for module in COMMAND_MODULES))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from gridmap.store.connection import is_postgis  # noqa: PLC0415

    built_in = getattr(args.func, "__module__", "").startswith("gridmap.cli")  # plugins say themselves
    if is_postgis(getattr(args, "db", None)) and built_in and args.func not in _ON_POSTGIS:
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


__all__ = ["DEFAULT_DEMO", "EXIT_ERROR", "EXIT_OK", "EXIT_PROBLEMS", "build_parser", "main"]
