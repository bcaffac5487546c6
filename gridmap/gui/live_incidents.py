"""New cases on the map as they arrive, and only the incident layer reloaded, so the canvas redraws it
alone from cache. On PostGIS the store announces new and changed cases (LISTEN/NOTIFY) and the desk
reacts when the announcement's socket is readable; a file is looked at twice a second (two max(id)
reads cost microseconds)."""

from __future__ import annotations

import time

from qgis.PyQt.QtCore import QCoreApplication, QObject, QSettings, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gridmap.domain.roles import LEVELS
from gridmap.gui.announcements import Announcements
from gridmap.gui.inspector import value_label
from gridmap.store import live

POLL_MS = 500
#: the level of the chain this desk works at ("my level"), remembered per machine; empty: every level
SETTINGS_LEVEL = "gridmap/my_level"
#: the data role of a new case's level in the list
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
#: with announcements, a slow look anyway: a lost listener connection is noticed and replaced
SAFETY_POLL_MS = 30_000


def tr(text: str) -> str:
    return QCoreApplication.translate("LiveIncidents", text)


class LiveIncidents(QObject):
    """Emits ``arrived(list of dict)`` for new cases and ``changed()`` when any case moved a step; the
    session's ``cases_changed`` goes with ``changed``. ``pushed`` is True while a PostGIS store's
    announcements drive it."""

    arrived = pyqtSignal(list)
    changed = pyqtSignal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.last_id = 0
        self.last_step = 0
        self.last_reload = 0.0
        self.announcements = Announcements(live.listen, self)
        self.announcements.arrived.connect(lambda _payloads: self.poll(changed=True))  # updates without a step too
        self.announcements.lost.connect(self._lost)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    @property
    def pushed(self) -> bool:
        return self.announcements.active

    def start(self, store) -> None:
        self.stop()
        self.last_id, self.last_step = live.marks(store)
        self.timer.setInterval(SAFETY_POLL_MS if self.announcements.start(store) else POLL_MS)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.announcements.stop()

    def _lost(self) -> None:
        """The listening connection broke: look twice a second, and listen again later."""
        store = self.session.store
        self.timer.setInterval(POLL_MS)
        self.timer.start()
        if store is not None:
            QTimer.singleShot(SAFETY_POLL_MS, lambda: self._listen_again(store))

    def _listen_again(self, store) -> None:
        if self.session.store is store and not self.pushed:
            last = self.last_id, self.last_step
            self.start(store)
            self.last_id, self.last_step = last
            self.poll()

    def poll(self, changed: bool = False) -> list[dict]:
        """Look for new cases and steps now; return the new cases. ``changed``: the store announced a
        change, so the incident layer is re-read even when no case or step was added."""
        store = self.session.store
        if store is None:
            return []
        top, step = live.marks(store)
        new: list[dict] = []
        if top > self.last_id:
            new = live.new_since(store, self.last_id)
            self.last_id = top
        if new or changed or step > self.last_step:
            self.last_step = step
            self.session.reload_incidents()
            self.last_reload = time.perf_counter()
            self.changed.emit()
            self.session.cases_changed.emit()
        if new:
            self.arrived.emit(new)
        return new


class NotificationList(QWidget):
    """Newest cases first, and the overdue ones; choosing one emits ``chosen(code)``. With "my level" chosen
    (remembered on this machine) both show only that level's cases, and the level's queue, the open cases
    waiting there, shows below; ``level_changed(level)`` asks for the lists of the new level ('' for all)."""

    chosen = pyqtSignal(str)
    level_changed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notifications")
        self.level = QComboBox(self)
        self.level.setObjectName("my_level")
        self.level.addItem(tr("All levels"), "")
        for level in reversed(LEVELS):  # the district centre first, as the chain is drawn top down
            self.level.addItem(value_label("level", level), level)
        self.level.setCurrentIndex(max(0, self.level.findData(QSettings().value(SETTINGS_LEVEL, "", type=str))))
        self.level.currentIndexChanged.connect(self._level_chosen)
        chooser = QFormLayout()
        chooser.addRow(tr("My level"), self.level)
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
        self.queue_label = QLabel(self)
        self.queue_label.setWordWrap(True)
        self.queue = QListWidget(self)
        self.queue.setObjectName("level_queue")
        self.queue.itemActivated.connect(self._choose)
        self.queue.itemClicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.overdue_label)
        layout.addWidget(self.overdue, 1)
        layout.addWidget(self.queue_label)
        layout.addWidget(self.queue, 1)
        self.count = 0
        self.show_queue([], "")

    @property
    def my_level(self) -> str | None:
        """The level chosen as this desk's, or None for every level."""
        return self.level.currentData() or None

    def _level_chosen(self) -> None:
        level = self.level.currentData() or ""
        QSettings().setValue(SETTINGS_LEVEL, level)
        for k in range(self.list.count()):
            item = self.list.item(k)
            item.setHidden(bool(level) and item.data(LEVEL_ROLE) != level)
        self.level_changed.emit(level)

    def show_queue(self, cases: list[dict], now: str) -> None:
        """The open cases waiting at my level (store.live.level_queue); hidden when no level is chosen.
        ``now`` (ISO time) marks the overdue ones."""
        level = self.my_level
        self.queue.clear()
        self.queue.setVisible(level is not None)
        self.queue_label.setVisible(level is not None)
        if level is None:
            return
        for case in cases:
            deadline = (case["deadline"] or "")[5:16].replace("T", " ") or tr("no deadline")
            item = QListWidgetItem(f"{deadline}  {case['code']}  {case['class_name'] or ''}  "
                                   f"{value_label('status', case['status'])}")
            item.setData(Qt.ItemDataRole.UserRole, case["code"])
            if case["deadline"] and now and case["deadline"] < now:
                item.setForeground(QColor("#b71c1c"))
            self.queue.addItem(item)
        self.queue_label.setText(tr("Waiting at {0}: {1} open case(s), the earliest deadline first").format(
            value_label("level", level), len(cases)))

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
            item.setData(LEVEL_ROLE, case.get("level"))
            self.list.insertItem(0, item)
            item.setHidden(self.my_level is not None and case.get("level") != self.my_level)
        while self.list.count() > 500:
            self.list.takeItem(self.list.count() - 1)
        self.count += len(cases)
        self.summary.setText(tr("{0} new case(s) since the file was opened.").format(self.count))

    def _choose(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
