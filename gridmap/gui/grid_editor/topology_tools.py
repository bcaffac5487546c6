"""Map tools that edit unit grid boundaries. They turn mouse events into an edit request
for the editor (which checks it against the tiling and writes it) and draw feedback."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import QgsGeometry, QgsPointXY, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

SNAP_PIXELS = 10


def snap(polygons: dict, x: float, y: float, tolerance: float):
    """The nearest unit grid vertex within ``tolerance`` as ('vertex', (x, y)), else the nearest edge
    as ('edge', ((x1, y1), (x2, y2))), else None. Snaps to the unit grid layer only."""
    point = np.array([x, y])
    best_vertex, best_d = None, tolerance
    best_edge, best_e = None, tolerance
    for polygon in polygons.values():
        ring = np.asarray(polygon.exterior.coords)
        d = np.linalg.norm(ring - point, axis=1)
        k = int(d.argmin())
        if d[k] <= best_d:
            best_vertex, best_d = tuple(ring[k]), d[k]
        a, b = ring[:-1], ring[1:]
        ab = b - a
        t = np.clip(((point - a) * ab).sum(axis=1) / np.maximum((ab ** 2).sum(axis=1), 1e-12), 0, 1)
        e = np.linalg.norm(a + t[:, None] * ab - point, axis=1)
        j = int(e.argmin())
        if e[j] <= best_e:
            best_edge, best_e = (tuple(a[j]), tuple(b[j])), e[j]
    if best_vertex is not None:
        return "vertex", best_vertex
    if best_edge is not None:
        return "edge", best_edge
    return None


def _band(canvas, geometry_type, colour: str, width: int = 2) -> QgsRubberBand:
    band = QgsRubberBand(canvas, geometry_type)
    band.setColor(QColor(colour))
    band.setWidth(width)
    return band


class VertexEdgeTool(QgsMapTool):
    """Drag a shared vertex, or an edge (both its ends), of the unit grid tiling.

    Emits ``edit_requested(moves)`` with [((old x, old y), (new x, new y)), ...] on release.
    """

    edit_requested = pyqtSignal(list)

    def __init__(self, canvas, polygons_near):
        super().__init__(canvas)
        self._polygons_near = polygons_near  # (x, y, radius) -> {code: polygon}
        self._target = None
        self._start = None
        self._band = _band(canvas, QgsWkbTypes.LineGeometry, "#d81b60")
        self.setCursor(Qt.CursorShape.CrossCursor)

    def tolerance(self) -> float:
        return SNAP_PIXELS * self.canvas().mapUnitsPerPixel()

    def canvasPressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        p = event.mapPoint()
        self._target = snap(self._polygons_near(p.x(), p.y(), self.tolerance() * 3), p.x(), p.y(), self.tolerance())
        self._start = (p.x(), p.y())

    def canvasMoveEvent(self, event) -> None:
        if self._target is None:
            return
        p = event.mapPoint()
        dx, dy = p.x() - self._start[0], p.y() - self._start[1]
        points = [self._target[1]] if self._target[0] == "vertex" else list(self._target[1])
        self._band.reset(QgsWkbTypes.LineGeometry)
        for x, y in points:
            self._band.addPoint(QgsPointXY(x, y), False)
            self._band.addPoint(QgsPointXY(x + dx, y + dy), True)

    def canvasReleaseEvent(self, event) -> None:
        if self._target is None or event.button() != Qt.MouseButton.LeftButton:
            return
        p = event.mapPoint()
        dx, dy = p.x() - self._start[0], p.y() - self._start[1]
        points = [self._target[1]] if self._target[0] == "vertex" else list(self._target[1])
        self._target = None
        self._band.reset(QgsWkbTypes.LineGeometry)
        if abs(dx) + abs(dy) > 0:
            self.edit_requested.emit([((x, y), (x + dx, y + dy)) for x, y in points])

    def deactivate(self) -> None:
        self._band.reset(QgsWkbTypes.LineGeometry)
        super().deactivate()


class SplitTool(QgsMapTool):
    """Click points of a cutting line; right-click (or double-click) ends it. Emits ``line_drawn``."""

    line_drawn = pyqtSignal(object)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points: list[tuple[float, float]] = []
        self._band = _band(canvas, QgsWkbTypes.LineGeometry, "#d81b60")
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasReleaseEvent(self, event) -> None:
        p = event.mapPoint()
        if event.button() == Qt.MouseButton.LeftButton:
            self.points.append((p.x(), p.y()))
            self._band.addPoint(QgsPointXY(p.x(), p.y()))
        elif event.button() == Qt.MouseButton.RightButton:
            self.finish()

    def canvasDoubleClickEvent(self, event) -> None:
        self.finish()

    def canvasMoveEvent(self, event) -> None:
        if self.points:
            p = event.mapPoint()
            self._band.movePoint(QgsPointXY(p.x(), p.y()))

    def finish(self) -> None:
        points = list(dict.fromkeys(self.points))
        self.points = []
        self._band.reset(QgsWkbTypes.LineGeometry)
        if len(points) >= 2:
            self.line_drawn.emit(shapely.LineString(points))

    def deactivate(self) -> None:
        self.points = []
        self._band.reset(QgsWkbTypes.LineGeometry)
        super().deactivate()


class UnitSelectTool(QgsMapTool):
    """Click unit grids of the draft to choose them (e.g. to merge them); emits ``unit_clicked(code)``."""

    unit_clicked = pyqtSignal(str)

    def __init__(self, canvas, finder_getter):
        super().__init__(canvas)
        self._finder = finder_getter

    def canvasReleaseEvent(self, event) -> None:
        finder = self._finder()
        p = event.mapPoint()
        code = finder.at(p.x(), p.y()) if finder is not None else None
        if code is not None:
            self.unit_clicked.emit(code)


class UnitChoice:
    """The unit grids chosen with the select tool, outlined on the map."""

    def __init__(self, canvas):
        self.codes: list[str] = []
        self.band = _band(canvas, QgsWkbTypes.PolygonGeometry, "#1e88e5", 3)
        self.band.setFillColor(QColor(30, 136, 229, 60))

    def toggle(self, code: str, polygons: dict) -> None:
        if code in self.codes:
            self.codes.remove(code)
        else:
            self.codes.append(code)
        self.show(polygons)

    def show(self, polygons: dict) -> None:
        self.codes = [c for c in self.codes if c in polygons]
        self.band.reset(QgsWkbTypes.PolygonGeometry)
        if self.codes:
            union = shapely.union_all([polygons[c] for c in self.codes])
            self.band.setToGeometry(QgsGeometry.fromWkt(union.wkt))

    def clear(self) -> None:
        self.codes = []
        self.band.reset(QgsWkbTypes.PolygonGeometry)


class ProblemHighlight:
    """Red edges where a refused edit would have broken the tiling."""

    def __init__(self, canvas):
        self.band = _band(canvas, QgsWkbTypes.LineGeometry, "#e53935", 4)

    def show(self, geometry) -> None:
        self.clear()
        if geometry is not None and not shapely.is_empty(geometry):
            self.band.setToGeometry(QgsGeometry.fromWkt(shapely.to_wkt(geometry)))

    def clear(self) -> None:
        self.band.reset(QgsWkbTypes.LineGeometry)
