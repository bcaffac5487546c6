"""Evaluation indicators from real cases, checked against counts made independently in SQL."""

import datetime as dt

import numpy as np
import pytest

from gridmap.domain.calendar import WorkingCalendar
from gridmap.domain.metrics import Cases, evaluate
from gridmap.store import open_store
from gridmap.store.evaluation import period_rows, trend, write_csv, write_xlsx

START, END = dt.date(2026, 9, 1), dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def rows(small_demo_file):
    with open_store(small_demo_file) as store:
        yield store, period_rows(store, START, END, "grid")


def test_counts_agree_with_sql(rows):
    store, result = rows
    lo, hi = START.isoformat(), (END + dt.timedelta(days=1)).isoformat()
    for row in result:
        registered, due, closed, on_time = store.conn.execute(
            "SELECT sum(registered_at >= ? AND registered_at < ?), sum(deadline >= ? AND deadline < ?), "
            "sum(deadline >= ? AND deadline < ? AND closed_at IS NOT NULL AND closed_at < ?), "
            "sum(deadline >= ? AND deadline < ? AND closed_at IS NOT NULL AND closed_at < ? AND closed_at <= deadline)"
            " FROM incident WHERE responsibility_grid_code = ?",
            (lo, hi, lo, hi, lo, hi, hi, lo, hi, hi, row["key"])).fetchone()
        assert (row["registered"], row["due"], row["closed"]) == (registered, due, closed)
        assert row["on_time_closure_rate"] == pytest.approx(on_time / due, abs=1e-4)
        assert row["name"].endswith("责任网格")


def test_supervisor_and_unit_views(small_demo_file):
    with open_store(small_demo_file) as store:
        supervisors = period_rows(store, START, END, "supervisor")
        units = period_rows(store, START, END, "unit")
        reports = store.conn.execute("SELECT count(*) FROM incident WHERE reporter_staff_code IS NOT NULL AND "
                                     "reported_at >= ? AND reported_at < ?",
                                     (START.isoformat(), (END + dt.timedelta(days=1)).isoformat())).fetchone()[0]
        assert sum(r["reports"] for r in supervisors) == reports
        assert all(0 <= r["valid_report_rate"] <= 1 for r in supervisors)
        assert all(r["name"] for r in units)
        series = trend(store, dt.date(2026, 1, 1), dt.date(2026, 10, 31))
        assert [s["month"] for s in series][:2] == ["2026-01", "2026-02"] and len(series) == 10


def test_handling_time_counts_working_hours_only():
    # dispatched Friday 16:00, handled Monday 09:30: 1.5 + 1 = 2.5 working hours, not 65.5 hours
    minute = np.datetime64("2025-03-07T16:00", "m")
    cases = Cases(*(np.array([v], dtype="datetime64[m]") for v in (
        "2025-03-07T15:50", "2025-03-07T15:55", "2025-03-07T16:00", "2025-03-10T09:30", "2025-03-10T10:00",
        "2025-03-10T10:10", "2025-03-10T11:00")), np.array(["closed"]), np.array([0]), np.array(["Z1"], dtype=object))
    [row] = evaluate(cases, minute - np.timedelta64(1, "D"), minute + np.timedelta64(10, "D"),
                     WorkingCalendar.shipped())
    assert row["avg_handling_hours"] == 2.5 and row["on_time_closure_rate"] == 1.0


def test_exports(rows, tmp_path):
    _store, result = rows
    write_csv(result, "grid", tmp_path / "e.csv")
    lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("key,name,registered") and len(lines) == len(result) + 1
    write_xlsx(result, "grid", tmp_path / "e.xlsx", "period")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "e.xlsx").active
    assert sheet.cell(2, 1).value == "key" and sheet.cell(3, 6).number_format == "0.0%"
    assert sheet.max_row == len(result) + 2


def test_the_trend_of_every_grouping_has_its_closure_rates(small_demo_file):
    """The months beside an evaluation (the panel's chart) are the same whatever the grouping: the cases a
    supervisor evaluation reads carry the deadlines and closings the monthly rates need."""
    from gridmap.store.evaluation import evaluate_file, group_trend

    months = {by: evaluate_file(small_demo_file, START, END, by).months for by in ("grid", "unit", "supervisor")}
    assert months["grid"] == months["unit"] == months["supervisor"]
    assert any(m["on_time_closure_rate"] is not None for m in months["supervisor"])
    supervisor = evaluate_file(small_demo_file, START, END, "supervisor")
    key = supervisor.rows[0]["key"]
    assert any(m["on_time_closure_rate"] is not None for m in group_trend(supervisor, key))
