"""A PostGIS store's announcements (LISTEN/NOTIFY) watched by the Qt event loop: no polling, and a desk
hears of a change within a round trip of its commit. A file announces nothing: ``start`` says so and the
caller keeps looking itself."""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, QSocketNotifier, pyqtSignal

from gridmap.domain.errors import GridmapError


class Announcements(QObject):
    """Emits ``arrived(list of payloads)`` when the store announced something, ``lost()`` when the listening
    connection broke (the caller looks instead, and may start again later)."""

    arrived = pyqtSignal(list)
    lost = pyqtSignal()

    def __init__(self, open_listener, parent=None):
        super().__init__(parent)
        self._open = open_listener  # store -> a Listener (gridmap.store.postgis.listen), or None for a file
        self.listener = None
        self._notifier: QSocketNotifier | None = None

    @property
    def active(self) -> bool:
        return self.listener is not None

    def start(self, store) -> bool:
        """Listen to ``store``; False when it announces nothing (a file) or listening failed."""
        self.stop()
        try:
            self.listener = self._open(store)
        except GridmapError:  # e.g. too many connections: the caller looks instead
            self.listener = None
        if self.listener is not None:
            self._notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self.check)
        return self.active

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def check(self, *_socket) -> None:
        """Read what arrived (the socket is readable); ``lost`` when the connection broke."""
        try:
            payloads = self.listener.drain() if self.listener is not None else []
        except GridmapError:
            self.stop()
            self.lost.emit()
            return
        if payloads:
            self.arrived.emit(payloads)
