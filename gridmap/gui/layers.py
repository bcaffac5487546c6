"""The store's tables as QGIS layers, grouped and styled for the job."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsDataSourceUri,
    QgsLayerTreeGroup,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from gridmap.domain.errors import GridmapError
from gridmap.gui import styles
from gridmap.store.schema import GEOMETRY_TABLES

OPEN_INCIDENTS = "\"status\" NOT IN ('closed', 'rejected')"
STYLE_VERSION = "1"


def tr(text: str) -> str:
    return QCoreApplication.translate("StoreLayers", text)


@dataclass(frozen=True)
class LayerSpec:
    key: str
    table: str
    group: str
    title: str


def layer_specs() -> list[LayerSpec]:
    """Layers in drawing order, top first, with their group and translated title."""
    return [
        LayerSpec("incident", "incident", tr("Incidents"), tr("Incidents")),
        LayerSpec("component_point", "component_point", tr("Components"), tr("Point components")),
        LayerSpec("component_line", "component_line", tr("Components"), tr("Line components")),
        LayerSpec("component_polygon", "component_polygon", tr("Components"), tr("Polygon components")),
        LayerSpec("unit_grid", "unit_grid", tr("Grids"), tr("Unit grids")),
        LayerSpec("responsibility_grid", "responsibility_grid", tr("Grids"), tr("Responsibility grids")),
        LayerSpec("community_grid", "community_grid", tr("Grids"), tr("Community grids")),
        LayerSpec("community", "community", tr("Boundaries"), tr("Communities")),
        LayerSpec("street", "street", tr("Boundaries"), tr("Streets and towns")),
        LayerSpec("district", "district", tr("Boundaries"), tr("District")),
        LayerSpec("road", "road", tr("Base map"), tr("Roads and river")),
    ]


def make_layer(path: Path | str, table: str, name: str | None = None, subset: str = "") -> QgsVectorLayer:
    """A SpatiaLite layer of ``table`` in the store at ``path``."""
    uri = QgsDataSourceUri()
    uri.setDatabase(str(path))
    uri.setDataSource("", table, GEOMETRY_TABLES[table][0], subset, "id")
    return QgsVectorLayer(uri.uri(), name or table, "spatialite")


class StoreLayers:
    """Creates, styles and groups the layers of one store in a QgsProject."""

    def __init__(self, store):
        self.store = store
        self.layers: dict[str, QgsVectorLayer] = {}

    def load(self, project: QgsProject) -> dict[str, QgsVectorLayer]:
        """Add every layer to ``project`` in groups; return them by key.

        Raises StoreLayerError naming the table when QGIS cannot open a layer.
        """
        root = project.layerTreeRoot()
        groups: dict[str, QgsLayerTreeGroup] = {}
        for spec in layer_specs():
            subset = OPEN_INCIDENTS if spec.key == "incident" else ""
            if spec.key == "unit_grid":
                subset = '"valid_to" IS NULL'
            layer = make_layer(self.store.path, spec.table, spec.title, subset)
            if not layer.isValid():
                raise StoreLayerError(f"{self.store.path}: QGIS cannot open the table {spec.table} as a layer")
            self.apply_style(spec.key, layer)
            project.addMapLayer(layer, False)
            group = groups.get(spec.group)
            if group is None:
                group = groups[spec.group] = root.addGroup(spec.group)
            group.addLayer(layer)
            self.layers[spec.key] = layer
        return self.layers

    def apply_style(self, key: str, layer: QgsVectorLayer) -> None:
        conn = self.store.conn
        if key in ("district", "street", "community"):
            {"district": lambda: styles.outline(layer, "#37474f", 0.9),
             "street": lambda: styles.style_street(layer),
             "community": lambda: styles.style_community(layer)}[key]()
        elif key == "unit_grid":
            styles.style_unit_grid(layer)
        elif key == "community_grid":
            styles.style_community_grid(layer)
        elif key == "responsibility_grid":
            codes = [r[0] for r in conn.execute("SELECT code FROM responsibility_grid ORDER BY code")]
            names = {}
            for code, name in conn.execute(
                    "SELECT a.responsibility_grid_code, s.name FROM supervisor_assignment a "
                    "JOIN staff s ON s.code = a.staff_code ORDER BY s.code"):
                names[code] = f"{names[code]}、{name}" if code in names else name
            styles.style_responsibility_grid(layer, codes, names)
        elif key == "road":
            styles.style_roads(layer)
        elif key.startswith("component_"):
            geometry = key.split("_", 1)[1]
            classes = conn.execute(
                "SELECT code, major_code, name FROM component_class WHERE geometry = ? AND code IN "
                f"(SELECT DISTINCT class_code FROM {key}) ORDER BY code", (geometry,)).fetchall()
            styles.style_components(layer, [tuple(c) for c in classes], geometry)
        elif key == "incident":
            styles.style_incidents(layer)

    def save_default_styles(self) -> int:
        """Save each layer's style as the table's default in the file's layer_styles table.

        Plain QGIS then shows the same styling when it opens the file. Returns the
        number of styles written; raises StoreLayerError when QGIS could not write one.
        """
        written = 0
        for key, layer in self.layers.items():
            message = layer.saveStyleToDatabase(f"gridmap {key}", f"gridmap style v{STYLE_VERSION}", True, "")
            if message:
                raise StoreLayerError(f"{self.store.path}: could not save the style of {key}: {message}")
            written += 1
        return written


class StoreLayerError(GridmapError):
    """QGIS could not open or style a table of the store."""
