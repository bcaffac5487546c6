"""Live cases in an offscreen window: a report written by another connection (as the intake service
writes it) is picked up by the poll and drawn without re-rendering the other layers (the time it takes is
measured in benchmarks/intake.py); the case panel walks its steps."""

import datetime as dt

from qgis.PyQt.QtCore import QBuffer, QIODevice, QSettings
from qgis.PyQt.QtGui import QColor, QImage

from gridmap.gui.case_panel import PHOTO_WIDTH
from gridmap.gui.main_window import SETTINGS_STATE
from gridmap.gui.workspace import build_workspace
from gridmap.store import open_store
from gridmap.store.cases import Report, create_token, intake
from gridmap.store.inspect import incident


def report_from_a_device(path, key="live-1", photo=None):
    with open_store(path) as other:  # the service's own connection
        staff = other.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1").fetchone()[0]
        create_token(other, staff)
        token_id = other.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
        x, y = other.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                                  "WHERE valid_to IS NULL LIMIT 1 OFFSET 7").fetchone()
        moment = dt.datetime.now().replace(microsecond=0)
        code, _ = intake(other, Report("0102", "暴露垃圾", x, y, moment, photo=photo, photo_mime="image/png"),
                         token_id=token_id, staff_code=staff, idempotency_key=key)
    return code


def test_a_new_report_is_drawn_by_the_poll_alone(window, qtbot):
    layer = window.layer("incident")
    before = layer.featureCount()
    assert window.canvas.isCachingEnabled()
    repaints = []
    for key in ("component_point", "component_line", "unit_grid", "responsibility_grid", "road", "district"):
        window.layer(key).repaintRequested.connect(lambda *_a, k=key: repaints.append(k))
    assert window.workspace.live.timer.isActive() and window.workspace.live.timer.interval() <= 500
    code = report_from_a_device(window.store.path)
    with qtbot.waitSignal(window.workspace.live.arrived, timeout=2000) as arrival:
        pass
    with qtbot.waitSignal(window.canvas.mapCanvasRefreshed, timeout=2000):
        pass
    assert [case["code"] for case in arrival.args[0]] == [code]
    assert layer.featureCount() == before + 1
    assert repaints == []  # only the incident layer asked to be redrawn; the others come from the cache
    notifications = window.workspace.notifications
    assert notifications.list.count() == 1 and code in notifications.list.item(0).text()
    assert window.notifications_dock.windowTitle().endswith("(1)")  # seen from behind another tab


def test_the_case_panel_walks_the_steps(window, qtbot, monkeypatch):
    code = report_from_a_device(window.store.path, key="live-2")
    window.workspace.live.poll()
    window.workspace.open_case(code)
    panel = window.workspace.cases
    staff = window.store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1").fetchone()[0]
    assert window.workspace.sign_in.sign_in(staff)
    monkeypatch.setattr(panel, "confirm", lambda _action: True)
    assert panel.code == code and not panel.buttons["register"].isHidden() and panel.buttons["close"].isHidden()
    assert panel.step("register") == "registered"
    assert panel.step("dispatch") == "dispatched"
    assert panel.step("handle") == "handled"
    panel.reason.setText("井盖未复位")
    assert panel.step("rework") == "dispatched"
    assert panel.step("handle") == "handled"
    assert panel.step("check") == "checked"
    assert panel.step("close") == "closed"
    assert panel.history.topLevelItemCount() == 8  # report + 7 steps
    assert all(button.isHidden() for button in panel.buttons.values())
    row = window.store.conn.execute("SELECT rework_count, close_type FROM incident WHERE code = ?", (code,)).fetchone()
    assert tuple(row) in ((1, "normal"), (1, "overdue"))


def test_overdue_cases_are_listed(window):
    store = window.store
    overdue = store.conn.execute("SELECT count(*) FROM incident WHERE status IN ('registered', 'dispatched') AND "
                                 "deadline < ?", (dt.datetime.now().isoformat(timespec="seconds"),)).fetchone()[0]
    window.workspace.refresh_overdue()
    listed = window.workspace.notifications.overdue
    assert listed.count() == min(overdue, 500) > 0
    code = listed.item(0).data(0x0100)  # Qt.ItemDataRole.UserRole
    window.workspace.open_case(code)
    assert window.workspace.cases.code == code


def test_the_evaluation_dock_fills_its_table_and_chart(window, tmp_path, qtbot):
    from qgis.PyQt.QtCore import QDate

    panel = window.workspace.evaluation
    panel.start.setDate(QDate(2026, 9, 1))
    panel.end.setDate(QDate(2026, 10, 31))
    with qtbot.waitSignal(panel.finished, timeout=20000) as done:
        panel.run()
    rows = done.args[0]
    assert rows and panel.table.rowCount() == len(rows)
    assert panel.table.horizontalHeaderItem(5).text() == "Closure rate"
    assert panel.chart.series and "%" in panel.table.item(0, 5).text()
    panel.by.setCurrentIndex(panel.by.findData("supervisor"))
    with qtbot.waitSignal(panel.finished, timeout=20000) as done:
        panel.run()
    assert done.args[0][0]["reports"] > 0
    assert panel.export("xlsx", str(tmp_path / "e.xlsx")) and (tmp_path / "e.xlsx").stat().st_size > 1000


def a_png(width=640, height=480) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(buffer.data())


def test_the_photo_sent_with_a_report_is_shown(window):
    code = report_from_a_device(window.store.path, key="live-photo", photo=a_png())
    window.workspace.live.poll()
    window.workspace.open_case(code)
    panel = window.workspace.cases
    assert not panel.photo.isHidden() and panel.photo.pixmap().width() == PHOTO_WIDTH
    assert "暴露垃圾" in panel.title.text()
    assert panel.minimumSizeHint().width() <= window.case_dock.width()  # the panel fits its dock as laid out
    inspector = window.workspace.inspector
    inspector.show_details([incident(window.store, code)])
    assert not inspector.photo.isHidden() and inspector.photo.pixmap().width() == 320
    plain = report_from_a_device(window.store.path, key="live-no-photo")
    window.workspace.open_case(plain)
    assert panel.photo.isHidden()  # the last case's photo does not linger


def in_front(dock) -> bool:
    """Whether a dock is on screen (for tabified docks: the current tab)."""
    return not dock.visibleRegion().isEmpty()


def test_a_first_run_shows_the_layers_and_the_inspector_and_identify_brings_it_forward(window, qtbot):
    assert in_front(window.layers_dock) and in_front(window.inspector_dock)
    assert not in_front(window.case_dock) and not in_front(window.notifications_dock)
    code = report_from_a_device(window.store.path, key="live-tabs")
    window.workspace.live.poll()
    window.workspace.open_case(code)
    qtbot.waitUntil(lambda: in_front(window.case_dock))
    assert not in_front(window.inspector_dock)
    window.workspace.show_sections([incident(window.store, code)])  # what identify and search do
    qtbot.waitUntil(lambda: in_front(window.inspector_dock))


def test_a_restored_layout_keeps_the_tabs_the_user_left_in_front(window, qtbot):
    window.case_dock.raise_()
    window.notifications_dock.raise_()
    qtbot.waitUntil(lambda: in_front(window.case_dock) and in_front(window.notifications_dock))
    settings = QSettings()
    settings.setValue(SETTINGS_STATE, window.saveState())
    again = build_workspace()
    try:
        again.resize(1280, 800)
        again.restore_window_state()
        again.show()
        qtbot.waitUntil(lambda: in_front(again.case_dock) and in_front(again.notifications_dock))
        assert not in_front(again.inspector_dock) and not in_front(again.layers_dock)
    finally:
        again.close()  # saves its layout again: removed below, so no other test starts from it
        again.deleteLater()
        settings.remove(SETTINGS_STATE)
