"""Escalation at the desk (issue 14, the Anyang chain): the case panel shows the level, escalates with a
chosen level and a required reason, and its history shows the chain; each level has its queue in the
notification area, chosen once and remembered."""

import datetime as dt

import pytest
from qgis.PyQt.QtCore import QSettings

from gridmap.gui.inspector import value_label
from gridmap.gui.live_incidents import SETTINGS_LEVEL, NotificationList
from gridmap.gui.sign_in import SETTINGS_STAFF
from gridmap.store import open_store
from gridmap.store.cases import Report, case_version, create_token, intake, steps


def report_to(path, level, key):
    """A report from a grid manager's device to ``level`` (another connection, as the intake writes it)."""
    with open_store(path) as other:
        staff = other.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code").fetchone()[0]
        create_token(other, staff)
        token_id = other.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
        x, y = other.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                                  "WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 5").fetchone()
        code, _ = intake(other, Report("0102", "暴露垃圾", x, y, dt.datetime.now().replace(microsecond=0),
                                       level=level), token_id=token_id, staff_code=staff, idempotency_key=key)
    return code


@pytest.fixture
def panel(window):
    code = report_to(window.store.path, "community", "desk-community")
    window.workspace.live.poll()
    window.workspace.open_case(code)
    p = window.workspace.cases
    p.staff = window.store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1 OFFSET 2").fetchone()[0]
    assert window.workspace.sign_in.sign_in(p.staff)
    yield p
    window.workspace.sign_in.sign_out()  # the desk's person is the whole process's: later tests start signed out
    QSettings().remove(SETTINGS_STAFF)
    QSettings().remove(SETTINGS_LEVEL)


def level_of(window, code):
    return window.store.conn.execute("SELECT level FROM incident WHERE code = ?", (code,)).fetchone()[0]


def test_the_panel_shows_the_level_and_escalates_with_a_chosen_level_and_a_reason(window, panel):
    assert value_label("level", "community") in panel.level_label.text()
    button = panel.buttons["escalate"]
    assert not button.isHidden()
    targets = [panel.escalate_to.itemData(k) for k in range(panel.escalate_to.count())]
    assert targets == ["street", "district"]  # up one level or straight to the district, never down
    assert panel.step("escalate") is None and "needs a reason" in panel.error.text()
    assert level_of(window, panel.code) == "community" and len(steps(window.store, panel.code)) == 1
    panel.escalate_to.setCurrentIndex(panel.escalate_to.findData("street"))
    panel.reason.setText("社区无执法权")
    assert panel.step("escalate") == "reported"
    assert level_of(window, panel.code) == "street"
    assert value_label("level", "street") in panel.level_label.text()
    assert "working hours left" in panel.deadline.text()  # the street station's time to take it up
    last = panel.history.topLevelItem(panel.history.topLevelItemCount() - 1)
    assert value_label("level", "community") in last.text(0) and value_label("level", "street") in last.text(0)
    assert last.text(3) == "社区无执法权" and panel.reason.text() == ""
    assert [panel.escalate_to.itemData(k) for k in range(panel.escalate_to.count())] == ["district"]
    # the street station registers and dispatches it, cannot get it done, and passes it to the district
    assert panel.step("register") == "registered" and panel.step("dispatch") == "dispatched"
    panel.reason.setText("涉及多个部门")
    assert panel.step("escalate") == "registered"
    assert level_of(window, panel.code) == "district" and panel.buttons["escalate"].isHidden()
    chain = [panel.history.topLevelItem(k).text(0) for k in range(panel.history.topLevelItemCount())]
    assert sum(value_label("level", "street") in text for text in chain) == 2  # to the street, from the street
    assert not panel.buttons["dispatch"].isHidden()  # the district dispatches it again


def test_an_escalation_after_another_desk_s_step_is_refused_and_the_case_reloaded(window, panel):
    from gridmap.store.escalation import escalate

    with open_store(window.store.path) as other:
        escalate(other, panel.code, "district", "重大突发事件", "ST00001")
    panel.reason.setText("社区无执法权")
    panel.escalate_to.setCurrentIndex(panel.escalate_to.findData("street"))
    assert panel.step("escalate") is None
    assert "someone else" in panel.error.text() and level_of(window, panel.code) == "district"
    assert panel.version == case_version(window.store, panel.code) and panel.buttons["escalate"].isHidden()


def test_my_level_narrows_the_notifications_to_that_level_s_queue_and_is_remembered(window, panel):
    notifications = window.workspace.notifications
    other = report_to(window.store.path, "street", "desk-street")
    window.workspace.live.poll()
    assert notifications.list.count() == 2 and notifications.queue.isHidden()
    notifications.level.setCurrentIndex(notifications.level.findData("street"))
    assert QSettings().value(SETTINGS_LEVEL) == "street"
    shown = [notifications.list.item(k) for k in range(notifications.list.count())]
    assert [other in item.text() for item in shown if not item.isHidden()] == [True]
    assert not notifications.queue.isHidden()
    assert [notifications.queue.item(k).data(0x0100) for k in range(notifications.queue.count())] == [other]
    panel.escalate_to.setCurrentIndex(panel.escalate_to.findData("street"))
    panel.reason.setText("社区无执法权")
    assert panel.step("escalate")
    window.workspace.live.poll()
    queued = [notifications.queue.item(k).data(0x0100) for k in range(notifications.queue.count())]
    assert queued == [panel.code, other]  # the escalated case has a deadline: it comes first
    window.workspace.open_case(other)
    assert window.workspace.cases.code == other
    # a new desk on this machine starts on the same level
    again = NotificationList()
    assert again.level.currentData() == "street"
    notifications.level.setCurrentIndex(notifications.level.findData(""))
    assert notifications.queue.isHidden() and all(not notifications.list.item(k).isHidden()
                                                   for k in range(notifications.list.count()))


def test_the_evaluation_table_counts_escalations_per_area(window, qtbot):
    from qgis.PyQt.QtCore import QDate

    from gridmap.store.escalation import escalate

    code = report_to(window.store.path, "grid", "desk-evaluation")
    with open_store(window.store.path) as other:  # an escalation in March 2030, when no other case happens
        escalate(other, code, "community", "网格员无法处置", "ST00001", now=dt.datetime(2030, 3, 5, 10, 0))
        grid = other.conn.execute("SELECT responsibility_grid_code FROM incident WHERE code = ?",
                                  (code,)).fetchone()[0]
    panel = window.workspace.evaluation
    panel.start.setDate(QDate(2030, 3, 1))
    panel.end.setDate(QDate(2030, 3, 31))
    panel.by.setCurrentIndex(panel.by.findData("grid"))
    with qtbot.waitSignal(panel.finished, timeout=20000) as done:
        panel.run()
    # every grid has a row (inspection coverage counts without cases too); only this one was escalated
    assert {r["key"]: r["escalated"] for r in done.args[0] if r["escalated"]} == {grid: 1}
    row = next(k for k, r in enumerate(done.args[0]) if r["key"] == grid)
    headers = [panel.table.horizontalHeaderItem(c) for c in range(panel.table.columnCount())]
    column = next(c for c, h in enumerate(headers) if h.text() == "Escalated")
    assert panel.table.item(row, column).text() == "1" and "上报数" in headers[column].toolTip()
