"""The intake service for handheld devices: serve it, and the device tokens it accepts."""

from __future__ import annotations

import argparse
import json

from gridmap.cli.common import EXIT_OK


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


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_serve, _cmd_token, _cmd_token_list, _cmd_token_revoke}


def add_parsers(sub) -> None:
    """Add serve and token to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.cases import TOKEN_DAYS  # noqa: PLC0415 - the default shown in --help
    from gridmap.store.connection import store_location  # noqa: PLC0415

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
