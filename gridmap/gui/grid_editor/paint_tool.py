"""The paint tool: press and drag across unit grids to move them into the target responsibility grid.

It only translates mouse events: which unit grid is under the cursor, then the
controller's ``paint`` does the move (rules, totals, redraw). One drag is one
undo step.
"""

from __future__ import annotations

import numpy as np
import shapely
from qgis.gui import QgsMapTool
from qgis.PyQt.QtCore import Qt, pyqtSignal


class UnitGridFinder:
    """Which unit grid contains a map point (an STRtree over the plan's polygons)."""

    def __init__(self, polygons: dict):
        self.codes = np.array(list(polygons), dtype=object)
        self.tree = shapely.STRtree(list(polygons.values()))

    def at(self, x: float, y: float) -> str | None:
        hits = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return str(self.codes[hits.min()]) if hits.size else None


class PaintTool(QgsMapTool):
    """Emits stroke_started, unit_entered(code) for each new unit grid under the cursor, stroke_finished."""

    stroke_started = pyqtSignal()
    unit_entered = pyqtSignal(str)
    stroke_finished = pyqtSignal()

    def __init__(self, canvas, finder: UnitGridFinder):
        super().__init__(canvas)
        self.finder = finder
        self._painting = False
        self._last: str | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasPressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._painting = True
        self._last = None
        self.stroke_started.emit()
        self._visit(event)

    def canvasMoveEvent(self, event) -> None:
        if self._painting:
            self._visit(event)

    def canvasReleaseEvent(self, event) -> None:
        if self._painting and event.button() == Qt.MouseButton.LeftButton:
            self._visit(event)
            self._painting = False
            self.stroke_finished.emit()

    def deactivate(self) -> None:
        if self._painting:
            self._painting = False
            self.stroke_finished.emit()
        super().deactivate()

    def _visit(self, event) -> None:
        point = event.mapPoint()
        code = self.finder.at(point.x(), point.y())
        if code and code != self._last:
            self._last = code
            self.unit_entered.emit(code)
