"""The move tool of the component editor: it only translates mouse events.

Press on a component and drag: the whole component moves. Press on a vertex of a line or polygon and
drag: that vertex moves (a reshape). A click without a drag selects the component; a double click asks
for its form. The release point snaps as the project's snapping settings say (QgsSnappingUtils), and the
controller puts the new geometry into the layer's edit buffer as one undo step.
"""

from __future__ import annotations

import math

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsPointXY, QgsRectangle, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

#: pixels a press may be away from a component (or a vertex) and still take it
PICK_PIXELS = 8
#: pixels the mouse must travel before a press becomes a drag
DRAG_PIXELS = 3


class MoveTool(QgsMapTool):
    """Emits ``geometry_edited(layer, fid, QgsGeometry)`` after a drag, ``picked(layer, fid)`` after a
    click, ``form_requested(layer, fid)`` after a double click."""

    geometry_edited = pyqtSignal(object, int, object)
    picked = pyqtSignal(object, int)
    form_requested = pyqtSignal(object, int)

    def __init__(self, canvas, layers):
        """``layers``: a callable returning the layers being edited, top first."""
        super().__init__(canvas)
        self._layers = layers
        self._target = None  # (layer, fid, geometry, vertex index or None, press point)
        self._dragging = False
        self._press_pixel = None
        self.band = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    # --- finding what is under the cursor --------------------------------------------

    def _tolerance(self) -> float:
        return PICK_PIXELS * self.canvas().mapUnitsPerPixel()

    def target_at(self, point: QgsPointXY):
        """(layer, fid, geometry, vertex index or None) of the component nearest ``point`` within reach."""
        tolerance = self._tolerance()
        box = QgsRectangle(point.x() - tolerance, point.y() - tolerance, point.x() + tolerance, point.y() + tolerance)
        where = QgsGeometry.fromPointXY(point)
        for layer in self._layers():
            best = None
            for feature in layer.getFeatures(QgsFeatureRequest().setFilterRect(box).setNoAttributes()):
                geometry = feature.geometry()
                distance = geometry.distance(where)
                if distance <= tolerance and (best is None or distance < best[0]):
                    best = (distance, feature.id(), QgsGeometry(geometry))
            if best is None:
                continue
            _distance, fid, geometry = best
            vertex = None
            if geometry.type() != QgsWkbTypes.PointGeometry:
                _point, index, _before, _after, squared = geometry.closestVertex(point)
                if index >= 0 and math.sqrt(squared) <= tolerance:
                    vertex = index
            return layer, fid, geometry, vertex
        return None

    def _snapped(self, event) -> QgsPointXY:
        match = self.canvas().snappingUtils().snapToMap(event.pos())
        return QgsPointXY(match.point()) if match.isValid() else event.mapPoint()

    def moved_geometry(self, point: QgsPointXY) -> QgsGeometry | None:
        """The target's geometry with the drag applied up to ``point``."""
        if self._target is None:
            return None
        _layer, _fid, geometry, vertex, start = self._target
        moved = QgsGeometry(geometry)
        if vertex is None:
            moved.translate(point.x() - start.x(), point.y() - start.y())
        else:
            moved.moveVertex(point.x(), point.y(), vertex)
        return moved

    # --- events ------------------------------------------------------------------------

    def canvasPressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.mapPoint()
        found = self.target_at(point)
        self._target = (*found, point) if found else None
        if found and found[3] is not None:  # a vertex is taken from where it is, not from the cursor
            vertex = found[2].vertexAt(found[3])
            self._target = (*found, QgsPointXY(vertex.x(), vertex.y()))
        elif found and found[2].type() == QgsWkbTypes.PointGeometry:  # so is a point: it lands where it snaps
            self._target = (*found, found[2].asPoint())
        self._dragging = False
        self._press_pixel = event.pos()

    def canvasMoveEvent(self, event) -> None:
        if self._target is None or self._press_pixel is None:
            return
        if not self._dragging and (event.pos() - self._press_pixel).manhattanLength() < DRAG_PIXELS:
            return
        self._dragging = True
        moved = self.moved_geometry(self._snapped(event))
        if self.band is None:
            self.band = QgsRubberBand(self.canvas(), moved.type())
            self.band.setColor(QColor(255, 23, 68, 160))
            self.band.setWidth(2)
        self.band.setToGeometry(moved, self._target[0])

    def canvasReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._target is None:
            return
        layer, fid = self._target[0], self._target[1]
        if self._dragging:
            moved = self.moved_geometry(self._snapped(event))
            self._clear()
            self.geometry_edited.emit(layer, fid, moved)
        else:
            self._clear()
            self.picked.emit(layer, fid)

    def canvasDoubleClickEvent(self, event) -> None:
        found = self.target_at(event.mapPoint())
        self._clear()
        if found is not None:
            self.form_requested.emit(found[0], found[1])

    def deactivate(self) -> None:
        self._clear()
        super().deactivate()

    def _clear(self) -> None:
        self._target = None
        self._dragging = False
        self._press_pixel = None
        if self.band is not None:
            self.canvas().scene().removeItem(self.band)
            self.band = None
