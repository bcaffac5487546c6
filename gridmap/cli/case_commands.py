"""Cases from the command line: show one, take a workflow step against the version read, escalate one
to a higher level, and the time each level has for an escalated case (issue 14)."""

from __future__ import annotations

import argparse
import json

from gridmap.cli.common import EXIT_OK
from gridmap.domain.errors import GridmapError


def _when(text: str | None) -> str:
    return (text or "").replace("T", " ")[:16]


def _cmd_case_show(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.cases import case_state, steps  # noqa: PLC0415

    with open_store(args.db) as store:
        state = case_state(store, args.code)
        if state is None:
            raise GridmapError(f"{store.path}: no case {args.code}")
        history = steps(store, args.code)
    if args.json:
        print(json.dumps({**state, "steps": history}, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"case {state['code']}  class {state['class_code']}")
    print(f"status: {state['status']}  level: {state['level']}  version: {state['row_version']}")
    if state["deadline"]:
        print(f"deadline: {_when(state['deadline'])}")
    if state["responsible_unit_code"]:
        print(f"responsible unit: {state['responsible_unit_code']}")
    print("history:")
    for step in history:
        who = f"{step['user_name']} ({step['user']})" if step["user_name"] else step["user"]
        chain = f"{step['level_before'] or '?'} → {step['level']}  " if step["action"] == "escalate" else ""
        print(f"  {_when(step['at'])}  {step['kind']:<8} {chain}{who}  {step['note'] or ''}".rstrip())
    return EXIT_OK


def _cmd_case_step(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.audit import current_user  # noqa: PLC0415
    from gridmap.store.cases import apply_step, case_version  # noqa: PLC0415

    action, passed = args.action, None
    if action in ("check", "rework"):
        action, passed = "check", args.action == "check"
    with open_store(args.db) as store:
        status = apply_step(store, args.code, action, user=args.user or current_user(), unit=args.unit,
                            reason=args.reason, passed=passed, close_type=args.close_type, hours=args.hours,
                            expected_version=args.expect_version)
        version = case_version(store, args.code)
    print(f"case {args.code}: {status} (version {version})")
    return EXIT_OK


def _cmd_case_escalate(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.audit import current_user  # noqa: PLC0415
    from gridmap.store.escalation import escalate  # noqa: PLC0415

    with open_store(args.db) as store:
        done = escalate(store, args.code, args.to, args.reason, args.user or current_user(),
                        expected_version=args.expect_version)
    print(f"case {done['code']}: {done['level_before']} → {done['level']} ({args.reason.strip()})")
    print(f"level: {done['level']}  status: {done['status']}  deadline: {_when(done['deadline'])}  "
          f"version: {done['row_version']}")
    return EXIT_OK


def _level_hours(text: str) -> tuple[str, float]:
    """A --set value, LEVEL=HOURS, for argparse."""
    level, _, hours = text.partition("=")
    try:
        return level.strip(), float(hours)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: use LEVEL=HOURS, e.g. street=8") from None


def _cmd_case_limits(args: argparse.Namespace) -> int:
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.escalation import level_limits, set_level_limit  # noqa: PLC0415

    with open_store(args.db) as store:
        for level, hours in args.set or ():
            set_level_limit(store, level, hours)
        limits = level_limits(store)
    print("working hours a level has to take up a case escalated to it:")
    for level, hours in limits.items():
        print(f"  {level}  {hours:g} working hours")
    return EXIT_OK


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_case_show, _cmd_case_step, _cmd_case_escalate, _cmd_case_limits}


def add_parsers(sub) -> None:
    """Add case (show, step, escalate, limits) to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.domain.escalation import DEFAULT_LIMIT_HOURS  # noqa: PLC0415
    from gridmap.domain.roles import LEVELS  # noqa: PLC0415
    from gridmap.domain.workflow import ACTIONS, CLOSE_TYPES  # noqa: PLC0415
    from gridmap.store.connection import store_location  # noqa: PLC0415

    case = sub.add_parser("case", help="show a case, take a workflow step, escalate it to a higher level",
                          description="One case of the store: its status, level, row version and history; "
                                      "workflow steps recorded under --user (default: the operating-system login).")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    show = case_sub.add_parser("show", help="a case's status, level, deadline, row version and history")
    show.add_argument("db", type=store_location)
    show.add_argument("code")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_cmd_case_show)
    step = case_sub.add_parser("step", help="take one workflow step (register, dispatch, handle, check, ...)",
                               description="Take one step of the case loop. 'rework' is a check that failed. "
                                           "With --expect-version the step is refused, and nothing written, "
                                           "when the case changed since that version was read ('case show').")
    step.add_argument("db", type=store_location)
    step.add_argument("code")
    step.add_argument("action", choices=[*ACTIONS, "rework"])
    step.add_argument("--user", help="who takes the step (a staff code; default: the operating-system login)")
    step.add_argument("--unit", help="dispatch: the responsible unit (default: the suggested one)")
    step.add_argument("--reason", help="needed to reject, extend, rework or dispatch elsewhere")
    step.add_argument("--close-type", choices=CLOSE_TYPES)
    step.add_argument("--hours", type=float, help="extend: working hours to add")
    step.add_argument("--expect-version", type=int, metavar="N",
                      help="the row version the case had when you read it: refused if it changed since")
    step.set_defaults(func=_cmd_case_step)
    escalate = case_sub.add_parser(
        "escalate", help="pass a case up to the next level, or straight to the district (上报 / 越级上报)",
        description="Escalate an open case not yet handled from its level (grid → community → street → "
                    "district) to the next level up or directly to the district centre, with a reason. A "
                    "dispatched or held case goes back to registered for the new level to dispatch; the deadline "
                    "restarts with the new level's limit ('case limits'). Prints the new level and deadline.")
    escalate.add_argument("db", type=store_location)
    escalate.add_argument("code")
    escalate.add_argument("--to", required=True, choices=LEVELS[1:], help="the level that takes the case over")
    escalate.add_argument("--reason", required=True, help="why this level cannot handle it (required)")
    escalate.add_argument("--user", metavar="STAFF",
                          help="who escalates (a staff code; default: the operating-system login)")
    escalate.add_argument("--expect-version", type=int, metavar="N",
                          help="the row version the case had when you read it: refused if it changed since")
    escalate.set_defaults(func=_cmd_case_escalate)
    defaults = ", ".join(f"{level} {hours:g}" for level, hours in DEFAULT_LIMIT_HOURS.items())
    limits = case_sub.add_parser("limits", help="working hours each level has to take up an escalated case",
                                 description=f"Show, or --set, the working hours a level has to take up a case "
                                             f"escalated to it (defaults: {defaults}); kept in the store.")
    limits.add_argument("db", type=store_location)
    limits.add_argument("--set", action="append", type=_level_hours, metavar="LEVEL=HOURS",
                        help="e.g. --set district=2; repeat for several levels")
    limits.set_defaults(func=_cmd_case_limits)
