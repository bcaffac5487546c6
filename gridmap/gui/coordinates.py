"""Status-bar widget: the cursor position in the store's CRS (metres) and in WGS84 degrees."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QLabel


class CoordinateLabel(QLabel):
    """Shows ``x, y m | lon°E, lat°N`` for the point under the mouse."""

    def __init__(self, canvas, parent=None):
        super().__init__(parent)
        self._canvas = canvas
        self._to_wgs84: QgsCoordinateTransform | None = None
        self.setMinimumWidth(380)
        canvas.xyCoordinates.connect(self.show_point)
        canvas.destinationCrsChanged.connect(self._crs_changed)
        self._crs_changed()

    def _crs_changed(self) -> None:
        self._to_wgs84 = QgsCoordinateTransform(self._canvas.mapSettings().destinationCrs(),
                                                QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())

    def show_point(self, point: QgsPointXY) -> None:
        text = f"{point.x():,.1f}, {point.y():,.1f} m"
        if self._to_wgs84 is not None and self._to_wgs84.isValid():
            try:
                geo = self._to_wgs84.transform(point)
                text += f"  |  {geo.x():.6f}°E, {geo.y():.6f}°N"
            except Exception:
                pass
        self.setText(QCoreApplication.translate("CoordinateLabel", "Position: {0}").format(text))
