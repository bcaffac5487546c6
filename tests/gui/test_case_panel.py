"""The case loop at the desk: reasons and confirmations, who took each step, the history's names,
the deadline, and a panel that keeps the status and actions in view."""

import datetime as dt

import pytest
from qgis.PyQt.QtCore import QSettings
from qgis.PyQt.QtWidgets import QMessageBox

from gridmap.gui import case_panel as case_panel_module
from gridmap.gui.case_panel import OVERDUE, action_label
from gridmap.gui.sign_in import SETTINGS_STAFF, SignIn
from gridmap.store.cases import steps
from tests.gui.test_live_cases import report_from_a_device


@pytest.fixture
def panel(window):
    code = report_from_a_device(window.store.path, key="panel-1")
    window.workspace.live.poll()
    window.workspace.open_case(code)
    p = window.workspace.cases
    p.staff = window.store.conn.execute("SELECT code, name FROM staff ORDER BY code LIMIT 1 OFFSET 3").fetchone()
    assert window.workspace.sign_in.sign_in(p.staff[0])
    yield p
    QSettings().remove(SETTINGS_STAFF)


def status_of(window, code):
    return window.store.conn.execute("SELECT status FROM incident WHERE code = ?", (code,)).fetchone()[0]


def answer(monkeypatch, button):
    asked = []

    def question(*args, **_kwargs):
        asked.append(args[2])
        return button
    monkeypatch.setattr(case_panel_module.QMessageBox, "question", question)
    return asked


def test_every_step_records_the_signed_in_person_shown_in_the_status_bar(window, panel):
    code, name = panel.staff
    assert name in window.workspace.sign_in_button.text()
    assert panel.step("register") == "registered"
    last = steps(window.store, panel.code)[-1]
    assert last["user"] == code and last["user_name"] == name
    assert panel.history.topLevelItem(1).text(2) == f"{name} ({code})"
    # remembered on this machine: a new session on the same store signs the same person in
    again = SignIn(lambda: window.store)
    again.restore()
    assert again.code == code


def test_no_step_without_someone_signed_in(window, panel, monkeypatch):
    window.workspace.sign_in.sign_out()
    monkeypatch.setattr(window.workspace.sign_in, "ask", lambda _parent: False)
    assert panel.step("register") is None
    assert status_of(window, panel.code) == "reported"
    assert "Sign in" in panel.error.text()


def test_reject_needs_a_reason_and_a_confirmation(window, panel, monkeypatch):
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    assert panel.step("reject") is None  # no reason: refused before asking
    assert asked == [] and "needs a reason" in panel.error.text()
    panel.reason.setText("重复上报")
    assert panel.step("reject") is None  # the desk said no
    assert len(asked) == 1 and status_of(window, panel.code) == "reported"
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert panel.step("reject") == "rejected"
    assert steps(window.store, panel.code)[-1]["note"] == "重复上报"


def test_extend_rework_and_dispatch_elsewhere_need_a_reason_and_close_asks(window, panel, monkeypatch):
    assert panel.step("register") == "registered"
    panel.unit.setCurrentIndex(next(k for k in range(panel.unit.count()) if panel.unit.itemData(k) != panel.suggested))
    assert panel.step("dispatch") is None and "another unit" in panel.error.text()
    panel.unit.setCurrentIndex(panel.unit.findData(panel.suggested))
    assert panel.step("dispatch") == "dispatched"
    assert panel.step("extend") is None and "needs a reason" in panel.error.text()
    panel.reason.setText("雨天")
    assert panel.step("extend") == "dispatched"
    assert panel.step("handle") == "handled"
    assert panel.step("rework") is None and status_of(window, panel.code) == "handled"
    panel.reason.setText("未修复")
    assert panel.step("rework") == "dispatched"
    last = panel.history.topLevelItem(panel.history.topLevelItemCount() - 1)
    assert last.text(0) == action_label("rework") != action_label("check")
    assert panel.step("handle") == "handled" and panel.step("check") == "checked"
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    assert panel.step("close") is None and len(asked) == 1 and status_of(window, panel.code) == "checked"


def test_the_deadline_is_a_local_time_with_working_hours_left_red_when_overdue(window, panel):
    assert panel.step("register") == "registered" and panel.step("dispatch") == "dispatched"
    deadline = dt.datetime.fromisoformat(window.store.conn.execute(
        "SELECT deadline FROM incident WHERE code = ?", (panel.code,)).fetchone()[0])
    panel.now = lambda: deadline - dt.timedelta(minutes=30)
    panel.show_case(panel.code)
    text = panel.deadline.text()
    assert deadline.strftime("%Y-%m-%d %H:%M") in text and "T" not in text
    assert "0.5 working hours left" in text and OVERDUE not in panel.deadline.styleSheet()
    panel.now = lambda: deadline + dt.timedelta(days=3)
    panel.show_case(panel.code)
    assert "overdue by" in panel.deadline.text() and OVERDUE in panel.deadline.styleSheet()


def test_status_and_actions_stay_in_view_after_steps(window, panel, qtbot):
    window.resize(1920, 1080)
    window.case_dock.raise_()
    for action in ("register", "dispatch", "handle"):
        assert panel.step(action)
        qtbot.waitUntil(lambda: not panel.status_label.visibleRegion().isEmpty())
        visible = [b for b in panel.buttons.values() if not b.isHidden()]
        assert visible and all(not b.visibleRegion().isEmpty() for b in visible)
        assert not panel.deadline.visibleRegion().isEmpty()


def test_an_old_case_shows_its_step_times_and_only_allowed_steps_without_gaps(window):
    conn = window.store.conn
    code = conn.execute("SELECT code FROM incident i WHERE status = 'dispatched' AND NOT EXISTS "
                        "(SELECT 1 FROM incident_step s WHERE s.incident_code = i.code) LIMIT 1").fetchone()[0]
    times = conn.execute("SELECT reported_at, registered_at, dispatched_at FROM incident WHERE code = ?",
                         (code,)).fetchone()
    panel = window.workspace.cases
    panel.show_case(code)
    assert panel.history.topLevelItemCount() == sum(1 for t in times if t)
    assert panel.history.topLevelItem(0).text(0) == action_label("report")
    shown = [b for b in panel.buttons.values() if not b.isHidden()]
    positions = sorted(panel.button_grid.getItemPosition(panel.button_grid.indexOf(b))[:2] for b in shown)
    assert positions == [(k // 2, k % 2) for k in range(len(shown))]


def test_the_sign_in_dialog_finds_a_person_by_part_of_the_name(window, qtbot):
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication

    from gridmap.gui.sign_in import SignInDialog

    code, name = window.store.conn.execute("SELECT code, name FROM staff ORDER BY code LIMIT 1 OFFSET 7").fetchone()
    sign_in = window.workspace.sign_in
    sign_in.sign_out()
    assert window.workspace.sign_in_button.text() == "Not signed in"

    def choose():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, choose)
            return
        dialog.combo.setEditText(f"{name} ({code})")
        qtbot.keyClick(dialog.combo, 0x01000004)  # Enter accepts
        if dialog.isVisible():
            dialog.accept()
    QTimer.singleShot(0, choose)
    assert sign_in.ask(window)
    assert sign_in.code == code and name in window.workspace.sign_in_button.text()
    QSettings().remove(SETTINGS_STAFF)


def test_an_opened_case_gets_room_for_its_history(window, panel, qtbot):
    window.resize(1920, 1080)
    qtbot.wait(50)
    window.workspace.open_case(panel.code)
    qtbot.waitUntil(lambda: not panel.history.visibleRegion().isEmpty())
    rows = panel.history.viewport().height() / panel.history.fontMetrics().height()
    assert rows >= 12, rows


def test_a_step_someone_else_took_first_is_refused_and_the_case_reloaded(window, panel):
    from gridmap.store import open_store
    from gridmap.store.cases import apply_step

    with open_store(window.store.path) as other:  # another desk registers the case meanwhile
        apply_step(other, panel.code, "register", user="ST00001")
    assert panel.status == "reported"
    panel.reason.setText("重复上报")
    panel.confirm = lambda _action: True
    assert panel.step("reject") is None
    assert panel.status == "registered" and "someone else" in panel.error.text()
    assert status_of(window, panel.code) == "registered"


def test_an_extension_another_desk_made_meanwhile_is_not_overwritten(window, panel):
    """An extension leaves the status as it is: the row version read with the case tells the desks apart."""
    from gridmap.store import open_store
    from gridmap.store.cases import apply_step, case_version

    assert panel.step("register") == "registered" and panel.step("dispatch") == "dispatched"
    assert panel.version == case_version(window.store, panel.code)
    with open_store(window.store.path) as other:  # another desk extends the deadline meanwhile
        apply_step(other, panel.code, "extend", user="ST00001", hours=2, reason="雨天")
    deadline, log = window.store.conn.execute("SELECT deadline FROM incident WHERE code = ?",
                                              (panel.code,)).fetchone()[0], steps(window.store, panel.code)
    panel.reason.setText("材料未到")
    panel.hours.setValue(40)
    assert panel.step("extend") is None
    assert "someone else" in panel.error.text() and "ST00001" in panel.error.text()
    assert window.store.conn.execute("SELECT deadline FROM incident WHERE code = ?", (panel.code,)).fetchone()[0] \
        == deadline and steps(window.store, panel.code) == log
    # reloaded: the history shows the other desk's extension, and deciding again applies
    assert panel.version == case_version(window.store, panel.code)
    last = panel.history.topLevelItem(panel.history.topLevelItemCount() - 1)
    assert last.text(0) == action_label("extend") and last.text(2).endswith("(ST00001)")
    assert panel.step("extend") == "dispatched"
