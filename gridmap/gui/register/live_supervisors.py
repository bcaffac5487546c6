"""Where the supervisors are, live: each one's last position today (with their name) and today's track, two
memory layers re-read from the store when new positions have arrived (looked for every LOOK_MS, on both
engines: positions come in every few seconds, faster than a desk needs to be told)."""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProject,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QCoreApplication, QObject, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor

from gridmap.domain.calendar import city_now
from gridmap.gui.fields import text_field
from gridmap.store import positions

LOOK_MS = 2000


def tr(text: str) -> str:
    return QCoreApplication.translate("LiveSupervisors", text)


class LiveSupervisors(QObject):
    """Owns the two layers while shown; ``updated(count)`` after a re-read with the supervisors shown."""

    updated = pyqtSignal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.points: QgsVectorLayer | None = None
        self.tracks: QgsVectorLayer | None = None
        self._last_id = -1
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_MS)
        self.timer.timeout.connect(self.look)
        session.store_opened.connect(lambda _store: self.hide())

    @property
    def shown(self) -> bool:
        return self.points is not None

    def show(self) -> None:
        """Add the layers above the map and start looking for new positions."""
        store = self.session.store
        if store is None or self.shown:
            return
        crs = f"EPSG:{store.srid}"
        self.points = QgsVectorLayer(f"Point?crs={crs}", tr("Supervisors now"), "memory")
        self.tracks = QgsVectorLayer(f"LineString?crs={crs}", tr("Supervisors' tracks today"), "memory")
        for layer in (self.points, self.tracks):
            layer.dataProvider().addAttributes([text_field("staff_code"), text_field("name"), text_field("at")])
            layer.updateFields()
        self.points.renderer().symbol().setColor(QColor("#6a1b9a"))
        self.points.renderer().symbol().setSize(3.2)
        self.tracks.renderer().symbol().setColor(QColor(106, 27, 154, 150))
        self.tracks.renderer().symbol().setWidth(0.6)
        labels = QgsPalLayerSettings()
        labels.fieldName = "name"
        text = QgsTextFormat()
        text.setSize(9)
        text.setColor(QColor("#4a148c"))
        labels.setFormat(text)
        self.points.setLabeling(QgsVectorLayerSimpleLabeling(labels))
        self.points.setLabelsEnabled(True)
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        for layer in (self.tracks, self.points):
            project.addMapLayer(layer, False)
            root.insertLayer(0, layer)
        self._last_id = -1
        self.look()
        self.timer.start()

    def hide(self) -> None:
        self.timer.stop()
        project = QgsProject.instance()
        for layer in (self.points, self.tracks):
            if layer is not None and project.mapLayer(layer.id()) is not None:
                project.removeMapLayer(layer.id())
        self.points = self.tracks = None

    def look(self) -> bool:
        """Re-read the layers when positions arrived since the last look; return whether they were."""
        store = self.session.store
        if store is None or not self.shown:
            return False
        newest = positions.last_id(store)
        if newest == self._last_id:
            return False
        self._last_id = newest
        since = dt.datetime.combine(city_now().date(), dt.time())
        latest = positions.latest(store, since)
        points = []
        for row in latest:
            feature = QgsFeature(self.points.fields())
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(row["x"], row["y"])))
            feature.setAttributes([row["staff_code"], row["name"] or row["staff_code"], row["at"]])
            points.append(feature)
        names = {row["staff_code"]: row["name"] for row in latest}
        lines = []
        for staff, track in positions.tracks(store, since).items():
            if len(track) < 2:
                continue
            feature = QgsFeature(self.tracks.fields())
            feature.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x, y) for x, y in track]))
            feature.setAttributes([staff, names.get(staff) or staff, ""])
            lines.append(feature)
        for layer, features in ((self.points, points), (self.tracks, lines)):
            layer.dataProvider().truncate()
            layer.dataProvider().addFeatures(features)
            layer.updateExtents()
            layer.triggerRepaint()
        self.updated.emit(len(points))
        return True
