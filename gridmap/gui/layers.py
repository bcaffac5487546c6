"""The store's tables as QGIS layers, grouped and styled for the job."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qgis.core import QgsDataSourceUri, QgsLayerTreeGroup, QgsProject, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QCoreApplication

from gridmap.domain.errors import GridmapError
from gridmap.gui import styles
from gridmap.gui.fields import setup_fields
from gridmap.store import inspect, layer_styles, queries, reference, sources
from gridmap.store.responsibility import supervisor_names
from gridmap.store.schema import GEOMETRY_TABLES

STYLE_VERSION = "3"


def tr(text: str) -> str:
    return QCoreApplication.translate("StoreLayers", text)


class StoreLayerError(GridmapError):
    """QGIS could not open or style a table of the store."""


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


def _source(where) -> sources.Source:
    """The data source of a store, or of a store file given by its path."""
    if isinstance(where, sources.Source):
        return where
    if isinstance(where, (str, Path)):
        return sources.Source("spatialite", f"dbname='{where}'", "")
    return sources.source(where)


def make_layer(where, table: str, name: str | None = None, subset: str = "") -> QgsVectorLayer:
    """A layer of ``table`` in a store (an open store, its Source, or a store file's path)."""
    source = _source(where)
    uri = QgsDataSourceUri(source.connection)
    uri.setDataSource(source.schema, table, GEOMETRY_TABLES[table][0], subset, "id")
    return QgsVectorLayer(uri.uri(False), name or table, source.provider)


def make_incident_layer(where, name: str, **period) -> QgsVectorLayer:
    """The incident layer: a query layer of the open cases (see sources.incident_query)."""
    source = _source(where)
    uri = QgsDataSourceUri(source.connection)
    uri.setDataSource("", sources.incident_query(**period), "geom", "", "id")
    if source.provider == "postgres":  # a query layer's type and CRS, else QGIS scans the query to find them
        uri.setWkbType(QgsWkbTypes.Point)
    return QgsVectorLayer(uri.uri(False), name, source.provider)


class StoreLayers:
    """Creates, styles and groups the layers of one store in a QgsProject."""

    def __init__(self, store):
        self.store = store
        self.layers: dict[str, QgsVectorLayer] = {}
        self._names: dict | None = None
        self.component_classes: dict[str, list[tuple[str, str, str]]] = {}
        self.source = sources.source(store)

    def load(self, project: QgsProject) -> dict[str, QgsVectorLayer]:
        """Add every layer to ``project`` in groups; return them by key.

        Raises StoreLayerError naming the table when QGIS cannot open a layer.
        """
        root = project.layerTreeRoot()
        groups: dict[str, QgsLayerTreeGroup] = {}
        for spec in layer_specs():
            if spec.key == "incident":
                layer = make_incident_layer(self.source, spec.title)
            else:
                subset = '"valid_to" IS NULL' if spec.key == "unit_grid" else ""
                layer = make_layer(self.source, spec.table, spec.title, subset)
            if not layer.isValid():
                raise StoreLayerError(f"{self.store.path}: QGIS cannot open the table {spec.table} as a layer")
            self.apply_style(spec.key, layer, point_mode="city")
            project.addMapLayer(layer, False)
            group = groups.get(spec.group)
            if group is None:
                group = groups[spec.group] = root.addGroup(spec.group)
            group.addLayer(layer)
            self.layers[spec.key] = layer
        return self.layers

    def classes_of(self, key: str) -> list[tuple[str, str, str]]:
        """(code, major code, name) of the classes present in a component layer."""
        if key not in self.component_classes:
            self.component_classes[key] = [(code, major, name) for code, major, _major_name, name
                                           in reference.classes_in_use(self.store, key)]
        return self.component_classes[key]

    def apply_style(self, key: str, layer: QgsVectorLayer, point_mode: str = "portable") -> None:
        """Style ``layer`` as the store table ``key``; points use ``point_mode`` (see component_renderer)."""
        if key == "district":
            styles.outline(layer, "#37474f", 0.9)
        elif key == "street":
            styles.style_street(layer)
        elif key == "community":
            styles.style_community(layer)
        elif key == "unit_grid":
            styles.style_unit_grid(layer)
        elif key == "community_grid":
            styles.style_community_grid(layer)
        elif key == "responsibility_grid":
            codes = list(queries.names(self.store, "responsibility_grid"))
            styles.style_responsibility_grid(layer, codes, supervisor_names(self.store))
        elif key == "road":
            styles.style_roads(layer)
        elif key.startswith("component_"):
            renderer = styles.component_renderer(self.classes_of(key), key.split("_", 1)[1], point_mode)
            if key == "component_point" and point_mode == "close":
                renderer = styles.displaced(renderer)
            layer.setRenderer(renderer)
            layer.setScaleBasedVisibility(True)
            layer.setMinimumScale(styles.COMPONENT_SCALE)  # the most zoomed-out scale they are drawn at
            layer.setMaximumScale(0)
        elif key == "incident":
            styles.style_incidents(layer)
        if self._names is None:
            self._names = inspect.code_names(self.store)
            self._names["incident_class"] = {**self._names["component_class"], **self._names["event_class"]}
        names = dict(self._names)
        if key == "incident":  # an incident's class is an event or a component class
            names["component_class"] = self._names["incident_class"]
        setup_fields(layer, names)

    def save_default_styles(self) -> int:
        """Save each table's style as its default in the file's layer_styles table.

        Plain QGIS then shows the same styling when it opens the file. Styles are
        saved from plain table layers (not the app's query layer of open incidents),
        with the portable point renderer. Returns the number of styles written;
        raises StoreLayerError when QGIS could not write one.
        """
        written = 0
        specs = layer_specs()
        # QGIS 3.22 asks in a modal dialog before overwriting a style of the same name (on every
        # STYLE_VERSION bump, for every layer): remove the ones about to be written again first
        layer_styles.remove_styles(self.store, [s.table for s in specs], [s.table for s in specs])
        for spec in specs:
            layer = make_layer(self.source, spec.table, spec.table)
            self.apply_style(spec.key, layer, point_mode="portable")
            message = layer.saveStyleToDatabase(spec.table, f"gridmap style v{STYLE_VERSION}", True, "")
            if message:
                raise StoreLayerError(f"{self.store.path}: could not save the style of {spec.table}: {message}")
            written += 1
        return written

    def styles_are_current(self) -> bool:
        """True when the file's layer_styles already hold this version's default styles."""
        return layer_styles.default_styles_with(self.store, f"gridmap style v{STYLE_VERSION}") >= len(layer_specs())
