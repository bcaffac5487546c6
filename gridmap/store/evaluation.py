"""Evaluation of a period from the store: the indicators per responsibility grid, unit or supervisor,
with names, and their export to CSV and XLSX."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gridmap.domain.calendar import WorkingCalendar
from gridmap.domain.cells import formula_safe_value
from gridmap.domain.errors import GridmapError
from gridmap.domain.metrics import AREA_COLUMNS, SUPERVISOR_COLUMNS, Cases, Escalations, evaluate, monthly
from gridmap.store import dialect
from gridmap.store.connection import Store, open_store

GROUPS = {"grid": ("responsibility_grid_code", "responsibility_grid"),
          "unit": ("responsible_unit_code", "responsible_unit"),
          "supervisor": ("reporter_staff_code", "staff")}
#: the register's columns after the case indicators (issue 15): inspections of components and the supervisors'
#: patrols, by responsibility grid and by supervisor (none by unit)
REGISTER_COLUMNS = {
    "grid": ("components", "inspected_components", "inspection_coverage_rate", "unit_grids", "visited_unit_grids",
             "patrol_coverage_rate", "on_duty_hours"),
    "supervisor": ("inspections", "inspected_components", "inspection_coverage_rate", "unit_grids",
                   "visited_unit_grids", "patrol_coverage_rate", "on_duty_hours"),
}
_TIMES = ("reported_at", "registered_at", "dispatched_at", "handled_at", "checked_at", "closed_at", "deadline")
#: the times the area (grid, unit) and the supervisor indicators use (domain.metrics.evaluate), with those of
#: the monthly trend beside them (registered, deadline, closed: domain.metrics.monthly)
_AREA_TIMES = ("registered_at", "dispatched_at", "handled_at", "closed_at", "deadline")
_SUPERVISOR_TIMES = ("reported_at", "registered_at", "handled_at", "checked_at", "closed_at", "deadline")
_MINUTE_2000 = 946_684_800 // 60  # 2000-01-01T00:00 in minutes since 1970


def load_cases(store: Store, by: str) -> Cases:
    """Every case's times, rework count and group by ``by`` (grid, unit or supervisor), as the indicators of
    ``by`` read them: the times they do not use are NaT, and the status says "on_hold" or nothing."""
    if by not in GROUPS:
        raise GridmapError(f"evaluate by one of {', '.join(GROUPS)}, not {by!r}")
    column = GROUPS[by][0]
    needed = _SUPERVISOR_TIMES if by == "supervisor" else _AREA_TIMES
    # whole columns (Store.columns): the times as numbers (NULL as NaN), the rework count and whether the case
    # is on hold (the one status the indicators read), and the groups: a city's 1.5 million cases as rows of
    # text or datetimes and a status string each took seconds
    numbers = [dialect.epoch_seconds(store, c) for c in needed] + \
        ["rework_count", "CASE WHEN status = 'on_hold' THEN 1 ELSE 0 END"]
    values, (group,) = store.columns("incident", numbers, [column])
    minutes = np.full((len(values), len(_TIMES)), np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    for k, name in enumerate(needed):
        known = ~np.isnan(values[:, k])
        minutes[known, _TIMES.index(name)] = (values[known, k] // 60).astype(np.int64) - _MINUTE_2000
    status = np.where(values[:, -1] > 0, "on_hold", "")
    return Cases.from_minutes(minutes, status, values[:, -2].astype(int), group)


def load_escalations(store: Store, by: str) -> Escalations | None:
    """Every escalation step's time with its case's group (grid or unit); None by supervisor, whose
    indicators have none."""
    if by == "supervisor":
        return None
    column = GROUPS[by][0]
    cursor = store.conn.cursor()
    cursor.row_factory = None
    return Escalations.from_rows(cursor.execute(
        f"SELECT s.at, i.{column} FROM incident_step s JOIN incident i ON i.code = s.incident_code "
        "WHERE s.action = 'escalate'").fetchall())


def period_rows(store: Store, start: dt.date, end: dt.date, by: str = "grid",
                calendar: WorkingCalendar | None = None) -> list[dict]:
    """The indicators for [start, end] (both days included), one row per group, with its name."""
    if end < start:
        raise GridmapError(f"the period ends ({end}) before it starts ({start})")
    cases = load_cases(store, by)
    rows = evaluate(cases, np.datetime64(start, "m"), np.datetime64(end + dt.timedelta(days=1), "m"),
                    calendar or WorkingCalendar.shipped(), "supervisor" if by == "supervisor" else "area",
                    load_escalations(store, by))
    rows = add_register_columns(store, rows, start, end, by)
    names = dict(store.conn.execute(f"SELECT code, name FROM {GROUPS[by][1]}").fetchall())
    for row in rows:
        row["name"] = names.get(row["key"], "")
    return rows


def add_register_columns(store: Store, rows: list[dict], start: dt.date, end: dt.date, by: str) -> list[dict]:
    """``rows`` with the register's columns of [start, end] (REGISTER_COLUMNS), and a row for each grid or
    supervisor with inspections or patrols in the period but no cases (appended by key)."""
    if by not in REGISTER_COLUMNS:
        return rows
    from gridmap.store import inspections, positions  # noqa: PLC0415 - the register's modules import cases

    if by == "grid":
        covered = inspections.coverage_by_grid(store, start, end)
        patrolled = positions.patrol_by_grid(store, start, end)
    else:
        covered = inspections.coverage_by_supervisor(store, start, end)
        patrolled = positions.patrol_by_supervisor(store, start, end)
    by_key = {row["key"]: row for row in rows}
    case_columns = SUPERVISOR_COLUMNS if by == "supervisor" else AREA_COLUMNS
    active = {k for k, v in covered.items() if v.get("inspections")} | \
        {k for k, v in patrolled.items() if v.get("visited_unit_grids") or v.get("on_duty_hours")}
    for key in sorted(active - set(by_key) - {None}):
        # no cases in the period: counts 0, rates and averages none
        by_key[key] = {"key": key, **{n: None if n.endswith("_rate") or n.startswith("avg_") else 0
                                      for n in case_columns}}
        rows.append(by_key[key])
    for key, row in by_key.items():
        inspected, patrol = covered.get(key, {}), patrolled.get(key, {})
        for name in REGISTER_COLUMNS[by]:
            source = name.replace("_rate", "")
            value = inspected.get(source, patrol.get(source))
            row[name] = value if value is not None or name.endswith("_rate") else 0
    return rows


def trend(store: Store, start: dt.date, end: dt.date) -> list[dict]:
    return monthly(load_cases(store, "grid"), np.datetime64(start, "m"), np.datetime64(end, "m"))


@dataclass
class Evaluation:
    """One evaluation: the rows of a period, the cases they came from (for per-row trends), the trend."""

    by: str
    start: dt.date
    end: dt.date
    rows: list[dict]
    cases: Cases
    months: list[dict]


def _months(start: dt.date, end: dt.date) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(start, "m"), np.datetime64(end, "m")


def evaluate_file(path: Path | str, start: dt.date, end: dt.date, by: str = "grid",
                  progress: Callable[[float], None] | None = None, calendar: WorkingCalendar | None = None
                  ) -> Evaluation:
    """The evaluation of [start, end] by ``by``, read through a connection of its own (so it can run in a
    background thread); ``progress`` gets 0..100. Raises GridmapError for a bad period or grouping."""
    report = progress or (lambda _p: None)
    if end < start:
        raise GridmapError(f"the period ends ({end}) before it starts ({start})")
    with open_store(path, migrate=False) as store:  # the desktop has migrated it already
        report(5)
        cases = load_cases(store, by)
        escalations = load_escalations(store, by)
        report(50)
        rows = evaluate(cases, np.datetime64(start, "m"), np.datetime64(end + dt.timedelta(days=1), "m"),
                        calendar or WorkingCalendar.shipped(), "supervisor" if by == "supervisor" else "area",
                        escalations)
        report(70)
        rows = add_register_columns(store, rows, start, end, by)
        report(80)
        names = dict(store.conn.execute(f"SELECT code, name FROM {GROUPS[by][1]}").fetchall())
    for row in rows:
        row["name"] = names.get(row["key"], "")
    months = monthly(cases, *_months(start, end))
    report(100)
    return Evaluation(by, start, end, rows, cases, months)


def group_trend(evaluation: Evaluation, key: str | None) -> list[dict]:
    """The monthly trend of one row's group (``key``), or of all groups when ``key`` is None."""
    if key is None:
        return evaluation.months
    mask = np.array([g == key for g in evaluation.cases.group], dtype=bool)
    cases = dataclasses.replace(evaluation.cases, **{f.name: getattr(evaluation.cases, f.name)[mask]
                                                     for f in dataclasses.fields(evaluation.cases)})
    return monthly(cases, *_months(evaluation.start, evaluation.end))


def columns_for(by: str) -> tuple[str, ...]:
    return ("key", "name", *(SUPERVISOR_COLUMNS if by == "supervisor" else AREA_COLUMNS),
            *REGISTER_COLUMNS.get(by, ()))


def write_csv(rows: list[dict], by: str, path: Path | str) -> None:
    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns_for(by), extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: formula_safe_value(v) for k, v in row.items()} for row in rows)


def write_xlsx(rows: list[dict], by: str, path: Path | str, title: str = "") -> None:
    """An Excel sheet of the rows, rates as percentages."""
    from openpyxl import Workbook  # noqa: PLC0415 - only exports need it

    book = Workbook()
    sheet = book.active
    sheet.title = f"by {by}"
    if title:
        sheet.append([formula_safe_value(title)])
    names = columns_for(by)
    sheet.append(list(names))
    for row in rows:
        sheet.append([formula_safe_value(row.get(n)) for n in names])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl turns any text starting with '=' into a formula otherwise
    first = 3 if title else 2
    for k, name in enumerate(names, start=1):
        if name.endswith("_rate"):
            for cells in sheet.iter_rows(min_row=first, min_col=k, max_col=k):
                for cell in cells:
                    cell.number_format = "0.0%"
    book.save(str(path))
