"""The draft plan on the map: a memory layer of dissolved responsibility grids, updated per paint step.

Only the two grids a step touches are re-dissolved and rewritten, and only this
layer repaints: the canvas keeps every other layer from its render cache.
"""

from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from gridmap.gui import styles
from gridmap.gui.fields import text_field


def tr(text: str) -> str:
    return QCoreApplication.translate("DraftLayer", text)


class DraftLayer:
    """Owns the memory layer showing a Plan's responsibility grids."""

    def __init__(self, plan, srid: int, supervisors: dict[str, str]):
        self.plan = plan
        self.layer = QgsVectorLayer(f"MultiPolygon?crs=EPSG:{srid}", tr("Draft responsibility grids"), "memory")
        provider = self.layer.dataProvider()
        provider.addAttributes([text_field("code"), text_field("name")])
        self.layer.updateFields()
        features = []
        for grid in plan.members:
            feature = QgsFeature(self.layer.fields())
            feature.setAttributes([grid, plan.grid_names.get(grid, "")])
            feature.setGeometry(self._geometry(grid))
            features.append(feature)
        provider.addFeatures(features)
        self.ids = {f["code"]: f.id() for f in self.layer.getFeatures()}
        styles.style_responsibility_grid(self.layer, list(plan.members), supervisors)

    def _geometry(self, grid: str) -> QgsGeometry:
        polygon = self.plan.dissolve(grid)
        return QgsGeometry.fromWkt(polygon.wkt) if polygon is not None else QgsGeometry()

    def refresh(self, grids) -> None:
        """Re-dissolve ``grids`` and repaint this layer only."""
        changes = {self.ids[g]: self._geometry(g) for g in grids if g in self.ids}
        if changes:
            self.layer.dataProvider().changeGeometryValues(changes)
            self.layer.triggerRepaint()

    def refresh_all(self) -> None:
        self.refresh(list(self.plan.members))


class EditedUnitsLayer:
    """The draft's reshaped and new unit grids, drawn over the stored ones until the plan is committed."""

    def __init__(self, boundary, srid: int):
        self.boundary = boundary
        self.layer = QgsVectorLayer(f"Polygon?crs=EPSG:{srid}", tr("Draft unit grid edits"), "memory")
        self.layer.dataProvider().addAttributes([text_field("code")])
        self.layer.updateFields()
        styles.style_edited_unit_grids(self.layer)

    def refresh(self) -> None:
        """Show the draft's edited unit grids (few: rewritten whole)."""
        provider = self.layer.dataProvider()
        provider.truncate()
        features = []
        for key in sorted(self.boundary.edited_keys()):
            feature = QgsFeature(self.layer.fields())
            feature.setAttributes([key])
            feature.setGeometry(QgsGeometry.fromWkt(self.boundary.plan.polygons[key].wkt))
            features.append(feature)
        provider.addFeatures(features)
        self.layer.updateExtents()
        self.layer.triggerRepaint()
