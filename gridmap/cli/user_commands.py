"""People who sign in (issue 14): add, list and disable users, each with a role and a scope."""

from __future__ import annotations

import argparse
import dataclasses
import json

from gridmap.cli.common import EXIT_OK
from gridmap.domain.roles import ROLES
from gridmap.store.connection import store_location


def _cmd_user_add(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, users  # noqa: PLC0415

    with open_store(args.db) as store:
        user, generated = users.add_user(store, args.staff, args.role, unit_code=args.unit, street_code=args.street,
                                         login=args.login, password=args.password)
        engine = store.engine
    scope = ", ".join(f"{k} {v}" for k, v in (("unit", user.unit_code), ("street", user.street_code)) if v)
    print(f"added {user.name} ({user.staff_code}) as {user.role}{' for ' + scope if scope else ''}")
    if generated:
        print(f"password (shown once; give it to {user.name}, who can change it with ALTER ROLE ... PASSWORD):")
        print(generated)
    if engine == "postgis":
        print("database role:")
    else:
        print("login (on a file the desk signs in from the staff list; the rules are applied by the app, advisory):")
    print(user.login)
    return EXIT_OK


def _cmd_user_list(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, users  # noqa: PLC0415

    with open_store(args.db) as store:
        found = users.list_users(store)
    if args.json:
        print(json.dumps([dataclasses.asdict(u) for u in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{'login':<24} {'staff':<10} {'name':<8} {'role':<12} {'unit / street':<20} state")
    for u in found:
        scope = u.unit_code or u.street_code or "-"
        print(f"{u.login:<24} {u.staff_code:<10} {u.name:<8} {u.role:<12} {scope:<20} "
              f"{'disabled ' + u.disabled_at if u.disabled_at else 'active'}")
    return EXIT_OK


def _cmd_user_disable(args: argparse.Namespace) -> int:
    from gridmap.store import open_store, users  # noqa: PLC0415

    with open_store(args.db) as store:
        user = users.disable_user(store, args.login)
    print(f"disabled {user.login} ({user.name}); it can no longer sign in")
    return EXIT_OK


ON_POSTGIS = {_cmd_user_add, _cmd_user_list, _cmd_user_disable}


def add_parsers(sub) -> None:
    user = sub.add_parser("user", help="people who sign in: add (with a role), list, disable")
    user_sub = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = user_sub.add_parser(
        "add", help="add a user: on PostGIS a database role with the role's rights (its name on the last line)",
        description="Add a user with a role. On PostGIS the user is a database role (printed on the last line) "
                    "in the role's group, and the database enforces the role (grants, row-level security); "
                    "without --password a password is generated and printed once. On a file the rules are "
                    "applied by the app (advisory).")
    add.add_argument("db", type=store_location, help="the store: a file or postgresql://…")
    add.add_argument("--staff", required=True, metavar="CODE", help="the staff member (gridmap's staff list)")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", metavar="CODE", help="the responsible unit a 'unit' user acts for (sees only its cases)")
    add.add_argument("--street", metavar="CODE", help="limit the user to one street's cases")
    add.add_argument("--login", help="the login (default: the staff code on a file, <database>_<staff> on PostGIS)")
    add.add_argument("--password", help="PostGIS: the login's password (default: generated and printed once)")
    add.set_defaults(func=_cmd_user_add)
    lst = user_sub.add_parser("list", help="every user: login, staff, role, scope, state")
    lst.add_argument("db", type=store_location)
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=_cmd_user_list)
    dis = user_sub.add_parser("disable", help="disable a user (on PostGIS its login can no longer connect)")
    dis.add_argument("db", type=store_location)
    dis.add_argument("login")
    dis.set_defaults(func=_cmd_user_disable)
