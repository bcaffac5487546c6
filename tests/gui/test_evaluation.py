"""Evaluation in the background, each indicator against hand-computed cases, and a real chart that
follows the period and the selected row."""

import time

import pytest
from qgis.PyQt.QtCore import QDate

from gridmap.gui.trend_chart import TrendChart

GRID = "150602Z001"


def add_case(conn, code, *, reported, registered=None, dispatched=None, deadline=None, handled=None, checked=None,
             closed=None, status="closed", rework=0, staff=None, grid=GRID):
    conn.execute(
        "INSERT INTO incident (code, class_code, class_kind, source, status, reported_at, registered_at, "
        "dispatched_at, deadline, handled_at, checked_at, closed_at, rework_count, reporter_staff_code, "
        "responsibility_grid_code) VALUES (?, '0102', 'event', 'patrol', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, status, reported, registered, dispatched, deadline, handled, checked, closed, rework, staff, grid))


@pytest.fixture
def march_2030(window):
    """Seven cases of one grid and one supervisor around March 2030 (no other case is that late)."""
    conn = window.store.conn
    staff = conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1").fetchone()[0]
    with window.store.transaction():
        # A: handled on time, closed after the deadline
        add_case(conn, "20300304000001", reported="2030-03-04T08:50", registered="2030-03-04T09:00",
                 dispatched="2030-03-04T09:00", deadline="2030-03-05T12:00", handled="2030-03-05T10:00",
                 checked="2030-03-05T10:20", closed="2030-03-05T15:00", staff=staff)
        # B: handled late
        add_case(conn, "20300306000001", reported="2030-03-06T08:50", registered="2030-03-06T09:00",
                 dispatched="2030-03-06T09:00", deadline="2030-03-07T12:00", handled="2030-03-07T16:00",
                 checked="2030-03-07T18:00", closed="2030-03-08T09:00", staff=staff)
        # C: handled on time, not closed yet
        add_case(conn, "20300310000001", reported="2030-03-11T08:50", registered="2030-03-11T09:00",
                 dispatched="2030-03-11T09:00", deadline="2030-03-12T12:00", handled="2030-03-12T11:00",
                 status="handled", staff=staff)
        # D: on hold, no deadline; registered two hours after the report
        add_case(conn, "20300312000001", reported="2030-03-12T08:00", registered="2030-03-12T10:00",
                 status="on_hold", staff=staff)
        # E: due next month, reworked twice; registered late
        add_case(conn, "20300313000001", reported="2030-03-13T08:00", registered="2030-03-13T10:00",
                 dispatched="2030-03-13T10:00", deadline="2030-04-02T12:00", status="dispatched", rework=2,
                 staff=staff)
        # F: registered in February, due and closed on time in March
        add_case(conn, "20300220000001", reported="2030-02-20T08:50", registered="2030-02-20T09:00",
                 dispatched="2030-02-28T09:00", deadline="2030-03-04T12:00", handled="2030-03-01T10:00",
                 checked="2030-03-01T10:10", closed="2030-03-01T11:00", staff=staff)
        # G: reported and rejected
        add_case(conn, "20300315000001", reported="2030-03-15T08:00", closed="2030-03-15T09:00", status="rejected",
                 staff=staff)
    return staff


def evaluate(panel, qtbot, by="grid"):
    panel.start.setDate(QDate(2030, 3, 1))
    panel.end.setDate(QDate(2030, 3, 31))
    panel.by.setCurrentIndex(panel.by.findData(by))
    with qtbot.waitSignal(panel.finished, timeout=20000) as done:
        panel.run()
    return done.args[0]


def test_it_runs_in_the_background_with_progress(window, qtbot):
    panel = window.workspace.evaluation
    panel.start.setDate(QDate(2024, 1, 1))
    panel.end.setDate(QDate(2026, 11, 27))
    progress = []
    start = time.perf_counter()
    task = panel.run()
    returned = time.perf_counter() - start
    assert task is not None and returned < 0.2  # the window is not blocked while it counts
    task.progressChanged.connect(progress.append)
    assert not panel.progress.isHidden() and not panel.run_button.isEnabled()
    with qtbot.waitSignal(panel.finished, timeout=30000):
        pass
    assert panel.progress.isHidden() and panel.table.rowCount() > 0


def test_area_indicators_match_hand_counts(window, qtbot, march_2030):
    panel = window.workspace.evaluation
    rows = {r["key"]: r for r in evaluate(panel, qtbot)}
    row = rows[GRID]
    assert row["registered"] == 5  # A B C D E (F was registered in February, G never)
    assert row["due"] == 4  # A B C F: deadline in March
    assert row["closed"] == 3  # A B F
    assert row["closure_rate"] == 0.75  # 结案率 = 结案数 / 应结案数 = 3 / 4
    assert row["on_time_closure_rate"] == 0.25  # 按期结案率: closed (结案) by the deadline: F = 1 / 4 (A closed late)
    assert row["on_time_handling_rate"] == 0.75  # 按期处置率: handled in time: A C F = 3 / 4
    assert row["rework"] == 2 and row["on_hold"] == 1
    # working hours 08:30-12:00 and 14:00-17:30 (data/calendar), dispatch to handling, handled in March:
    # A Mon 09:00 -> Tue 10:00 = 3 + 3.5 + 1.5 = 8; B Wed 09:00 -> Thu 16:00 = 6.5 + 3.5 + 2 = 12;
    # C Mon 09:00 -> Tue 11:00 = 6.5 + 2.5 = 9; F Thu 28 Feb 09:00 -> Fri 10:00 = 6.5 + 1.5 = 8
    assert row["avg_handling_hours"] == pytest.approx((8 + 12 + 9 + 8) / 4)


def test_supervisor_indicators_match_hand_counts(window, qtbot, march_2030):
    panel = window.workspace.evaluation
    rows = {r["key"]: r for r in evaluate(panel, qtbot, "supervisor")}
    row = rows[march_2030]
    assert row["reports"] == 6  # A B C D E G reported in March
    assert row["valid_report_rate"] == pytest.approx(round(5 / 6, 4))  # all but G were registered
    assert row["on_time_verify_rate"] == 0.6  # A B C within 30 minutes, D E two hours later: 3 / 5
    assert row["on_time_check_rate"] == 0.5  # A checked 20 min after handling, B 2 h: 1 / 2


def test_the_chart_follows_the_period_and_the_selected_row(window, qtbot, march_2030):
    panel = window.workspace.evaluation
    panel.start.setDate(QDate(2030, 1, 1))
    panel.end.setDate(QDate(2030, 3, 31))
    panel.by.setCurrentIndex(panel.by.findData("grid"))
    with qtbot.waitSignal(panel.finished, timeout=20000):
        panel.run()
    chart = panel.chart
    assert isinstance(chart, TrendChart)
    assert chart.month_labels() == ["2030-01", "2030-02", "2030-03"]
    row = next(k for k, r in enumerate(panel.rows) if r["key"] == GRID)
    other = next(k for k, r in enumerate(panel.rows) if r["key"] != GRID) if len(panel.rows) > 1 else None
    panel.table.selectRow(row)
    assert [s["registered"] for s in chart.series] == [0, 1, 5]
    assert GRID in chart.title or panel.rows[row]["name"] in chart.title
    assert chart.mouse_tooltip(2).startswith("2030-03: 5 registered")
    assert [label.toPlainText() for label in chart.labels[:3]] == ["0", "1", "5"]
    plot = chart.getPlotItem()
    assert plot.getAxis("left").labelText and plot.getAxis("right").labelText
    if other is not None:
        panel.table.selectRow(other)
        assert [s["registered"] for s in chart.series] != [0, 1, 5]


def test_each_column_says_how_it_is_counted(window, qtbot, march_2030):
    panel = window.workspace.evaluation
    evaluate(panel, qtbot)
    headers = {panel.table.horizontalHeaderItem(c).text(): panel.table.horizontalHeaderItem(c).toolTip()
               for c in range(panel.table.columnCount())}
    assert "closed by the period's end" in headers["On-time closure rate"]
    assert "closed or not" in headers["On-time handling rate"]
