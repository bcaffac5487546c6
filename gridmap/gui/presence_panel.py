"""Who else is working, and what changed since you looked (issue 14): grid commits, unit and routing
changes, people added. On PostGIS the store announces each change (LISTEN/NOTIFY) and the panel
follows at once; on a file (one desk) it looks at the audit log now and then."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, QSettings, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from gridmap.gui.announcements import Announcements
from gridmap.store import presence

#: how often the panel looks: at the people online (PostGIS), and at the audit log of a file
LOOK_MS = 30_000
SETTINGS_SEEN = "presence/seen/{}"


def tr(text: str) -> str:
    return QCoreApplication.translate("Presence", text)


class PresencePanel(QWidget):
    """People online and the changes by others since this desk last marked them seen. ``unseen(int)``
    carries the count, for the dock's title."""

    unseen = pyqtSignal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("presence")
        self.session = session
        self.seen = 0
        self.announcements = Announcements(presence.listen, self)
        self.announcements.arrived.connect(lambda _payloads: self.refresh())
        self.people_label = QLabel(self)
        self.people = QListWidget(self)
        self.people.setObjectName("presence_people")
        self.changes_label = QLabel(self)
        self.changes_label.setWordWrap(True)
        self.changes = QListWidget(self)
        self.changes.setObjectName("presence_changes")
        self.mark = QPushButton(tr("Mark all as seen"), self)
        self.mark.clicked.connect(self.mark_seen)
        layout = QVBoxLayout(self)
        for widget in (self.people_label, self.people, self.changes_label, self.changes, self.mark):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        layout.setStretch(3, 2)
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_MS)
        self.timer.timeout.connect(self.refresh)
        session.store_opened.connect(self.start)

    def _key(self) -> str:
        store = self.session.store
        return SETTINGS_SEEN.format(str(store.path).replace("/", "|"))

    def start(self, store) -> None:
        self.stop()
        self.seen = int(QSettings().value(self._key(), 0) or 0)
        self.announcements.start(store)  # on PostGIS; on a file (or once the connection is lost) the timer looks
        self.timer.start()
        self.refresh()

    def stop(self) -> None:
        self.timer.stop()
        self.announcements.stop()

    def refresh(self) -> None:
        store = self.session.store
        if store is None:
            return
        people = presence.online(store)
        self.people.clear()
        for person in people:
            name = person["name"] or person["login"]
            role = f", {person['role']}" if person["role"] else ""
            self.people.addItem(tr("{0}{1} — since {2}").format(name, role, person["since"][:16]))
        self.people_label.setText(tr("Signed in now: {0}").format(len(people)) if people or store.engine == "postgis"
                                  else tr("One desk works on this file."))
        changes = presence.changes_since(store, self.seen)
        self.changes.clear()
        for change in changes:
            who = change["user_name"] or change["user"]
            what = f" {change['what']}" if change["what"] else ""
            note = f" — {change['note']}" if change["note"] else ""
            self.changes.addItem(f"{change['at'][:16]}  {who}  {change['action']}{what}{note}")
        self.changes_label.setText(tr("{0} change(s) since you last looked.").format(len(changes)) if changes
                                   else tr("Nothing changed since you last looked."))
        self.unseen.emit(len(changes))

    def mark_seen(self) -> None:
        store = self.session.store
        if store is None:
            return
        self.seen = presence.last_change(store)
        QSettings().setValue(self._key(), self.seen)
        self.refresh()
