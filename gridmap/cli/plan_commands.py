"""Commands on the responsibility grid plan as a whole: a balanced proposal."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gridmap.cli.common import EXIT_OK, EXIT_PROBLEMS


def _weights(text: str):
    """A --weights value for argparse."""
    from gridmap.domain.workload import BalanceError, Weights  # noqa: PLC0415

    try:
        return Weights.parse(text)
    except BalanceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _tolerance(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a fraction such as 0.10 (or 10%)") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text}: the tolerance must be between 0 and 1 (0.10 is ±10%)")
    return value


def _pp(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_report(proposal) -> None:
    """The before/after table of a Proposal, one grid a line, then the totals."""
    print(f"{'grid':<12}{'name':<16}{'units':>11}{'workload':>17}{'deviation':>17}{'Polsby-Popper':>16}"
          f"{'in/out':>9}")
    for g in proposal.grids:
        mark = "" if g.within(proposal.tolerance) or not g.judged else "  outside"
        mark += "  locked" if g.locked else ""
        print(f"{g.code:<12}{g.name[:14]:<16}{g.units_before:>5} → {g.units_after:<4}"
              f"{g.workload_before:>8.1f} → {g.workload_after:<6.1f}"
              f"{g.deviation_before:>+8.1%} → {g.deviation_after:<+7.1%}"
              f"{_pp(g.polsby_popper_before):>7} → {_pp(g.polsby_popper_after):<6}"
              f"{g.units_in:>4}/{g.units_out:<4}{mark}")
    s = proposal.summary()
    print(f"\nmoved {s['moved']} of {s['unit_grids']} unit grids ({s['moved_share']:.1%}); "
          f"{s['within_after']} of {s['judged']} grids within ±{proposal.tolerance:.0%} "
          f"(before: {s['within_before']}); "
          f"largest deviation {s['max_deviation_before']:.1%} → {s['max_deviation_after']:.1%}; "
          f"mean Polsby-Popper {_pp(s['polsby_popper_before'])} → {_pp(s['polsby_popper_after'])}; "
          f"workload {proposal.weights}; {s['seconds']:.1f} s")
    for note in proposal.notes:
        print(f"note: {note}")


def _cmd_plan_balance(args: argparse.Namespace) -> int:
    from gridmap.io.plan_export import write_assignment_csv  # noqa: PLC0415
    from gridmap.store import open_store  # noqa: PLC0415
    from gridmap.store.grids import propose_balance  # noqa: PLC0415

    with open_store(args.db) as store:
        proposal, draft = propose_balance(
            store, args.scenario, args.tolerance, args.weights, keep_locked=args.keep_locked,
            max_moves=args.max_moves, respect_communities=args.respect_communities, replace=args.replace,
            district=args.district)
    if args.out:
        write_assignment_csv(draft.assignment, draft.grid_names, args.out)
    if args.json:
        print(json.dumps({"scenario": args.scenario, **proposal.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print_report(proposal)
        print(f"saved as scenario {args.scenario!r}" + (f"; wrote {args.out}" if args.out else ""))
    return EXIT_OK if proposal.reached else EXIT_PROBLEMS


#: the handlers that run on PostGIS too (see gridmap.cli.main)
ON_POSTGIS = {_cmd_plan_balance}


def add_parsers(sub) -> None:
    """Add ``plan`` to ``sub``, the subcommands of ``gridmap``."""
    from gridmap.store.connection import store_location  # noqa: PLC0415

    plan = sub.add_parser("plan", help="the responsibility grid plan as a whole: balance")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    bal = plan_sub.add_parser(
        "balance", help="propose a plan with every grid's workload within a tolerance, saved as a scenario",
        description="Move unit grids between responsibility grids until every grid's workload is within the "
                    "tolerance of the mean, under the editor's rules: every grid stays connected, locked grids "
                    "neither lose nor gain unit grids, as few unit grids move as it can, compactness "
                    "(Polsby-Popper) weighed. The proposal is saved as a scenario: open it in the grid editor "
                    "to adjust and commit. Prints each grid before and after. Exit code 1 when some grid stays "
                    "outside the tolerance (the scenario is saved all the same).")
    bal.add_argument("db", type=store_location)
    bal.add_argument("--scenario", required=True, metavar="NAME", help="the scenario to save the proposal as")
    bal.add_argument("--replace", action="store_true", help="replace a scenario of that name")
    bal.add_argument("--district", metavar="CODE",
                     help="the district (GB/T 2260 code) whose grids to balance against their own mean; "
                          "required when the store holds several districts")
    bal.add_argument("--tolerance", type=_tolerance, default=0.10,
                     help="the band around the mean workload, as a fraction (default 0.10 = ±10%%)")
    bal.add_argument("--weights", type=_weights, metavar="components=…,incidents=…,area=…",
                     help="what the workload weighs, each fact relative to its mean per unit grid (default "
                          "components=1,incidents=1,area=1, as the grid editor shows; incidents=1 is the cases "
                          "of the last 90 days alone)")
    bal.add_argument("--keep-locked", action="store_true",
                     help="leave locked grids out of the mean and the goal (they never change either way)")
    bal.add_argument("--max-moves", type=int, metavar="N", help="move at most N unit grids")
    bal.add_argument("--respect-communities", action="store_true",
                     help="move whole communities only: no community is split between grids")
    bal.add_argument("--json", action="store_true", help="the same report as JSON")
    bal.add_argument("--out", type=Path, metavar="FILE.csv",
                     help="also write the proposed unit grid → responsibility grid table (as 'grid export')")
    bal.set_defaults(func=_cmd_plan_balance)
