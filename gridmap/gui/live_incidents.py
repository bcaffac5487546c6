"""New cases on the map as they arrive: the store is polled twice a second (a max(id) query costs
microseconds), and only the incident layer is reloaded, so the canvas redraws it alone from cache."""

from __future__ import annotations

import time

from qgis.PyQt.QtCore import QCoreApplication, QObject, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

POLL_MS = 500


def tr(text: str) -> str:
    return QCoreApplication.translate("LiveIncidents", text)


class LiveIncidents(QObject):
    """Emits ``arrived(list of dict)`` for new cases and ``changed()`` when any case moved a step."""

    arrived = pyqtSignal(list)
    changed = pyqtSignal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.last_id = 0
        self.last_step = 0
        self.last_reload = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self, store) -> None:
        self.last_id = store.conn.execute("SELECT coalesce(max(id), 0) FROM incident").fetchone()[0]
        self.last_step = store.conn.execute("SELECT coalesce(max(id), 0) FROM incident_step").fetchone()[0]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> list[dict]:
        """Look for new cases and steps now; return the new cases."""
        store = self.window.store
        if store is None:
            return []
        conn = store.conn
        top = conn.execute("SELECT coalesce(max(id), 0) FROM incident").fetchone()[0]
        step = conn.execute("SELECT coalesce(max(id), 0) FROM incident_step").fetchone()[0]
        new: list[dict] = []
        if top > self.last_id:
            rows = conn.execute(
                "SELECT i.id, i.code, i.reported_at, i.status, coalesce(e.name, c.name) AS class_name, "
                "m.name AS community FROM incident i "
                "LEFT JOIN event_class e ON i.class_kind = 'event' AND e.code = i.class_code "
                "LEFT JOIN component_class c ON i.class_kind = 'component' AND c.code = i.class_code "
                "LEFT JOIN community m ON m.code = i.community_code WHERE i.id > ? ORDER BY i.id", (self.last_id,))
            new = [dict(r) for r in rows]
            self.last_id = top
        if new or step > self.last_step:
            self.last_step = step
            layer = self.window.layer("incident")
            if layer is not None:
                layer.dataProvider().reloadData()
                layer.dataProvider().updateExtents()  # else the feature count stays cached (legend, table)
                layer.triggerRepaint()
            self.last_reload = time.perf_counter()
            self.changed.emit()
        if new:
            self.arrived.emit(new)
        return new


def overdue_cases(store, now: str) -> list[dict]:
    """Open cases past their deadline and not yet handled, the most overdue first."""
    rows = store.conn.execute(
        "SELECT i.code, i.deadline, i.status, coalesce(e.name, c.name) AS class_name, u.name AS unit FROM incident i "
        "LEFT JOIN event_class e ON i.class_kind = 'event' AND e.code = i.class_code "
        "LEFT JOIN component_class c ON i.class_kind = 'component' AND c.code = i.class_code "
        "LEFT JOIN responsible_unit u ON u.code = i.responsible_unit_code "
        "WHERE i.status IN ('registered', 'dispatched') AND i.deadline < ? ORDER BY i.deadline LIMIT 500", (now,))
    return [dict(r) for r in rows]


class NotificationList(QWidget):
    """Newest cases first, and the overdue ones; choosing one emits ``chosen(code)``."""

    chosen = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notifications")
        self.summary = QLabel(tr("New cases appear here as devices report them."), self)
        self.summary.setWordWrap(True)  # long lines would otherwise set the whole left dock's width
        self.list = QListWidget(self)
        self.list.setObjectName("notification_list")
        self.list.itemActivated.connect(self._choose)
        self.list.itemClicked.connect(self._choose)
        self.overdue_label = QLabel(self)
        self.overdue_label.setWordWrap(True)
        self.overdue = QListWidget(self)
        self.overdue.setObjectName("overdue_list")
        self.overdue.itemActivated.connect(self._choose)
        self.overdue.itemClicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.overdue_label)
        layout.addWidget(self.overdue, 1)
        self.count = 0

    def show_overdue(self, cases: list[dict]) -> None:
        self.overdue.clear()
        for case in cases:
            item = QListWidgetItem(f"{(case['deadline'] or '')[5:16].replace('T', ' ')}  {case['code']}  "
                                   f"{case['class_name'] or ''}  {case['unit'] or ''}")
            item.setData(Qt.ItemDataRole.UserRole, case["code"])
            item.setForeground(QColor("#b71c1c"))
            self.overdue.addItem(item)
        self.overdue_label.setText(tr("Overdue: {0} case(s) past their deadline, not yet handled").format(len(cases)))

    def add(self, cases: list[dict]) -> None:
        for case in cases:
            when = (case["reported_at"] or "")[11:16]
            item = QListWidgetItem(f"{when}  {case['code']}  {case['class_name'] or ''}  {case['community'] or ''}")
            item.setData(Qt.ItemDataRole.UserRole, case["code"])
            self.list.insertItem(0, item)
        while self.list.count() > 500:
            self.list.takeItem(self.list.count() - 1)
        self.count += len(cases)
        self.summary.setText(tr("{0} new case(s) since the file was opened.").format(self.count))

    def _choose(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
