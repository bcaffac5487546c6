"""The evaluation indicators (综合评价) of city-management cases, over numpy arrays of many cases.

Per area or department: registered (立案数), due (应结案数: registered cases whose deadline falls in
the period), closed (结案数, of those due), closure rate, on-time closure rate (closed and handled by
the deadline), on-time handling rate, rework (返工数), on hold (挂账数), average handling time in
working hours, escalations (上报数: cases passed up to a higher level in the period, each escalation
counted). Per supervisor: reports (上报数), valid-report rate (有效上报率: registered, not
rejected), on-time verify rate (registered within 30 minutes), on-time check rate (checked within
30 minutes of handling). Rates are fractions; None where nothing was due.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridmap.domain.calendar import WorkingCalendar

ON_TIME_MINUTES = 30
AREA_COLUMNS = ("registered", "due", "closed", "closure_rate", "on_time_closure_rate", "on_time_handling_rate",
                "rework", "on_hold", "avg_handling_hours", "escalated")
SUPERVISOR_COLUMNS = ("reports", "valid_report_rate", "on_time_verify_rate", "on_time_check_rate")
_EPOCH = np.datetime64("2000-01-01T00:00", "m")


@dataclass
class Cases:
    """Case columns as arrays: times as datetime64[m] (NaT when not reached), the rest as objects."""

    reported: np.ndarray
    registered: np.ndarray
    dispatched: np.ndarray
    handled: np.ndarray
    checked: np.ndarray
    closed: np.ndarray
    deadline: np.ndarray
    status: np.ndarray
    rework: np.ndarray
    group: np.ndarray  # the key to evaluate by (grid, unit or supervisor code)

    @classmethod
    def from_columns(cls, columns: dict, group: str) -> Cases:
        def times(name):
            return np.array(columns[name], dtype="datetime64[m]")

        return cls(times("reported_at"), times("registered_at"), times("dispatched_at"), times("handled_at"),
                   times("checked_at"), times("closed_at"), times("deadline"), np.array(columns["status"]),
                   np.array(columns["rework_count"], dtype=int), np.array(columns[group], dtype=object))


    @classmethod
    def from_minutes(cls, times, status, rework, group) -> Cases:
        """From an (n, 7) integer array of minutes since 2000-01-01 (NaT's int64 where a time is missing)
        in the order reported, registered, dispatched, handled, checked, closed, deadline, and the
        status, rework count and group of each case."""
        times = (np.asarray(times, dtype=np.int64).reshape(-1, 7).view("timedelta64[m]") + _EPOCH)
        columns = [np.ascontiguousarray(times[:, k]) for k in range(7)]
        return cls(*columns, np.asarray(status, dtype=object), np.asarray(rework, dtype=int),
                   np.asarray(group, dtype=object))


@dataclass
class Escalations:
    """Escalation steps as arrays: when (datetime64[m]) and the group of their case (grid or unit code)."""

    at: np.ndarray
    group: np.ndarray

    @classmethod
    def from_rows(cls, rows) -> Escalations:
        """From (at, group) pairs, the times as ISO text."""
        rows = list(rows)
        return cls(np.array([r[0] for r in rows], dtype="datetime64[m]"),
                   np.array([r[1] for r in rows], dtype=object))


def _per_key(keys: np.ndarray, groups: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """How many of ``groups[mask]`` fall on each of the sorted ``keys`` (groups not among them are left out)."""
    chosen = np.array(["" if g is None else g for g in groups[mask]], dtype=object).astype(str)
    if not len(keys) or not len(chosen):
        return np.zeros(len(keys), dtype=int)
    position = np.searchsorted(keys, chosen).clip(0, len(keys) - 1)
    known = keys[position] == chosen
    return np.bincount(position[known], minlength=len(keys))


def _factorize(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct groups (None as "") and each case's index among them: one pass through a dict,
    where sorting a city's 1.5 million group codes as strings took three times as long."""
    index: dict[str, int] = {}
    found = np.fromiter((index.setdefault("" if g is None else g, len(index)) for g in groups), dtype=np.int64,
                        count=len(groups))
    keys = np.array(sorted(index), dtype=str) if index else np.array([], dtype=str)
    rank = np.empty(len(index), dtype=np.int64)
    rank[[index[k] for k in keys]] = np.arange(len(keys))
    return keys, rank[found] if len(found) else found


def _rate(numerator: np.ndarray, denominator: np.ndarray) -> list:
    return [None if d == 0 else round(float(n) / float(d), 4) for n, d in zip(numerator, denominator, strict=True)]


def evaluate(cases: Cases, start: np.datetime64, end: np.datetime64, calendar: WorkingCalendar,
             by: str = "area", escalations: Escalations | None = None) -> list[dict]:
    """One row per group for the period [start, end): the area/department or the supervisor indicators;
    an area's ``escalated`` counts the ``escalations`` made in the period (0 without any)."""
    keys, inverse = _factorize(cases.group)
    n = len(keys)

    def count(mask):
        return np.bincount(inverse[mask], minlength=n)

    in_period = lambda t: (t >= start) & (t < end)  # noqa: E731 - a local shorthand
    if by == "supervisor":
        reported = in_period(cases.reported)
        valid = reported & ~np.isnat(cases.registered)
        verify = valid & ((cases.registered - cases.reported) <= np.timedelta64(ON_TIME_MINUTES, "m"))
        checked = reported & ~np.isnat(cases.checked)
        check_on_time = checked & ((cases.checked - cases.handled) <= np.timedelta64(ON_TIME_MINUTES, "m"))
        # each count once for every key (counting inside the loop made it keys × cases: 14 s for a city)
        n_reported, n_valid, n_verify = count(reported), count(valid), count(verify)
        n_checked, n_check_on_time = count(checked), count(check_on_time)
        valid_rate, verify_rate = _rate(n_valid, n_reported), _rate(n_verify, n_valid)
        check_rate = _rate(n_check_on_time, n_checked)
        rows = [{"key": key, "reports": int(n_reported[k]), "valid_report_rate": valid_rate[k],
                 "on_time_verify_rate": verify_rate[k], "on_time_check_rate": check_rate[k]}
                for k, key in enumerate(keys)]
        return [r for r in rows if r["reports"] and r["key"]]
    registered = in_period(cases.registered)
    due = ~np.isnat(cases.deadline) & in_period(cases.deadline)
    closed = due & ~np.isnat(cases.closed) & (cases.closed < end)
    handled_on_time = due & ~np.isnat(cases.handled) & (cases.handled <= cases.deadline)
    # 按期结案 (eGova's inTimeArchive): the case itself closed (结案) by its deadline - the handling, the
    # supervisor's check and the centre's closing all in time; 按期处置 counts the handling alone
    closed_on_time = closed & (cases.closed <= cases.deadline)
    handled = in_period(cases.handled) & ~np.isnat(cases.dispatched)
    minutes_handled = np.zeros(len(cases.group))
    if handled.any():
        h = (cases.handled[handled] - _EPOCH).astype("timedelta64[m]").astype(np.int64)
        d = (cases.dispatched[handled] - _EPOCH).astype("timedelta64[m]").astype(np.int64)
        minutes_handled[handled] = calendar.to_ordinal(h) - calendar.to_ordinal(d)
    handling_sum = np.bincount(inverse, weights=minutes_handled, minlength=n)
    on_hold = registered & (np.asarray(cases.status, dtype=object) == "on_hold")  # also when there are no cases
    rework = np.bincount(inverse[registered], weights=cases.rework[registered], minlength=n)
    escalated = np.zeros(n, dtype=int) if escalations is None else _per_key(
        keys, escalations.group, in_period(escalations.at))
    n_registered, n_due, n_closed, n_handled = count(registered), count(due), count(closed), count(handled)
    closure_rate, on_time_closure_rate = _rate(n_closed, n_due), _rate(count(closed_on_time), n_due)
    on_time_handling_rate, n_on_hold = _rate(count(handled_on_time), n_due), count(on_hold)
    rows = []
    for k, key in enumerate(keys):
        rows.append({
            "key": key, "registered": int(n_registered[k]), "due": int(n_due[k]), "closed": int(n_closed[k]),
            "closure_rate": closure_rate[k], "on_time_closure_rate": on_time_closure_rate[k],
            "on_time_handling_rate": on_time_handling_rate[k], "rework": int(rework[k]), "on_hold": int(n_on_hold[k]),
            "avg_handling_hours": round(handling_sum[k] / n_handled[k] / 60, 2) if n_handled[k] else None,
            "escalated": int(escalated[k]),
        })
    return [r for r in rows if (r["registered"] or r["due"] or r["escalated"]) and r["key"]]


def monthly(cases: Cases, start: np.datetime64, end: np.datetime64) -> list[dict]:
    """Registered cases and on-time closure rate per month (the trend chart's series), all groups together."""
    months = np.arange(start.astype("datetime64[M]"), end.astype("datetime64[M]") + 1)
    out = []
    for month in months:
        first = month.astype("datetime64[m]")
        after = (month + 1).astype("datetime64[m]")
        registered = int(((cases.registered >= first) & (cases.registered < after)).sum())
        due = ~np.isnat(cases.deadline) & (cases.deadline >= first) & (cases.deadline < after)
        on_time = due & ~np.isnat(cases.closed) & (cases.closed <= cases.deadline)
        n_due = int(due.sum())
        out.append({"month": str(month), "registered": registered,
                    "on_time_closure_rate": round(int(on_time.sum()) / n_due, 4) if n_due else None})
    return out
