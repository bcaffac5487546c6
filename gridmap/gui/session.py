"""What the panels of the desktop work on: the open store, its layers by key, the map canvas, and
signals when the store or its cases change. Panels get this object, not the main window, so the same
panel runs in the standalone app and in QGIS desktop (plugins/), and a test builds one without a window.
"""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from gridmap.gui.layers import StoreLayers, make_incident_layer
from gridmap.store import queries
from gridmap.store.schema import GEOMETRY_TABLES

COMPONENT_KEYS = ("component_point", "component_line", "component_polygon")


class Session(QObject):
    """The open store of one workspace and its layers.

    ``store_opened(store)`` after a store's layers are on the map; ``cases_changed()`` when cases
    arrived or moved a step (live, or by this desk); ``legend_changed(layer)`` after a renderer change
    that the layer tree must show; ``layers_reloaded(keys)`` after layers were re-read from the store.
    """

    store_opened = pyqtSignal(object)
    cases_changed = pyqtSignal()
    legend_changed = pyqtSignal(object)
    layers_reloaded = pyqtSignal(list)

    def __init__(self, canvas, parent=None):
        super().__init__(parent)
        self.canvas = canvas
        self.store = None
        self.store_layers: StoreLayers | None = None

    def layer(self, key: str):
        """The map layer of a store table by key (e.g. 'component_point'), or None."""
        return self.store_layers.layers.get(key) if self.store_layers else None

    def selectable_layers(self) -> list:
        return list(self.store_layers.layers.values()) if self.store_layers else []

    def is_layer_visible(self, layer) -> bool:
        """True when the layer is ticked in the layer tree and drawn at the current scale."""
        node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
        return bool(node and node.isVisible() and layer.isInScaleRange(self.canvas.scale()))

    def geometry_of(self, table: str, row_id: int):
        """The geometry of a store row as a QgsGeometry (None if absent), read from the store."""
        if self.store is None or table not in GEOMETRY_TABLES:
            return None
        wkb = queries.geometry_wkb(self.store, table, row_id)
        if wkb is None:
            return None
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        return geometry

    def reload_layers(self, keys) -> None:
        """Re-read layers after the store changed under them (new grid versions, re-assigned components)."""
        keys = list(keys)
        for key in keys:
            layer = self.layer(key)
            if layer is not None:
                layer.dataProvider().reloadData()
                layer.triggerRepaint()
        self.layers_reloaded.emit(keys)

    def reload_incidents(self) -> None:
        """Re-read the incident layer alone: the canvas redraws it from its own cache, not the whole map."""
        layer = self.layer("incident")
        if layer is not None:
            layer.dataProvider().reloadData()
            layer.dataProvider().updateExtents()  # else the feature count stays cached (legend, table)
            layer.triggerRepaint()

    def restyle(self, key: str) -> None:
        """Apply the store's own style to a layer again (after a temporary colouring)."""
        layer = self.layer(key)
        if layer is not None and self.store_layers is not None:
            self.store_layers.apply_style(key, layer)
            layer.triggerRepaint()
            self.legend_changed.emit(layer)

    def set_component_subset(self, subset: str) -> None:
        """Filter the three component layers (an empty subset shows them all)."""
        for key in COMPONENT_KEYS:
            layer = self.layer(key)
            if layer is not None and layer.subsetString() != subset:
                layer.setSubsetString(subset)
                layer.triggerRepaint()

    def set_incident_filter(self, show_closed: bool, since, until) -> None:
        """Show open incidents (and closed ones if asked) reported in [since, until)."""
        layer = self.layer("incident")
        if layer is None or self.store is None:
            return
        fresh = make_incident_layer(self.store_layers.source, layer.name(), show_closed=show_closed, since=since,
                                    until=until)
        layer.setDataSource(fresh.source(), layer.name(), fresh.providerType())
        layer.triggerRepaint()
