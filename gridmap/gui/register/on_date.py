"""The register as it was on a date: the three component layers as query layers over the current rows and
their previous versions (gridmap.store.sources.register_on_query), styled as the register is, in a group
of their own above the current layers."""

from __future__ import annotations

import datetime as dt

from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QCoreApplication

from gridmap.store import sources
from gridmap.store.schema import COMPONENT_TABLES

_WKB = {"point": QgsWkbTypes.Point, "line": QgsWkbTypes.LineString, "polygon": QgsWkbTypes.Polygon}


def tr(text: str) -> str:
    return QCoreApplication.translate("RegisterOnDate", text)


def register_on_layer(session, kind: str, day: dt.date) -> QgsVectorLayer:
    """A layer of the ``kind`` components in use at the end of ``day``."""
    source = session.store_layers.source
    uri = QgsDataSourceUri(source.connection)
    uri.setDataSource("", sources.register_on_query(COMPONENT_TABLES[kind], day), "geom", "", "id")
    uri.setWkbType(_WKB[kind])
    uri.setSrid(str(session.store.srid))
    names = {"point": tr("Point components on {0}"), "line": tr("Line components on {0}"),
             "polygon": tr("Polygon components on {0}")}
    return QgsVectorLayer(uri.uri(False), names[kind].format(day.isoformat()), source.provider)


def show_register_on(session, day: dt.date) -> list[QgsVectorLayer]:
    """Add the register on ``day`` to the map (a group replacing an earlier one of the same day); return
    its layers. The current component layers stay, unticked, so the two can be compared."""
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    title = tr("Register on {0}").format(day.isoformat())
    old = root.findGroup(title)
    if old is not None:
        for node in old.findLayers():
            project.removeMapLayer(node.layerId())
        root.removeChildNode(old)
    group = root.insertGroup(0, title)
    layers = []
    for kind, table in COMPONENT_TABLES.items():
        layer = register_on_layer(session, kind, day)
        if not layer.isValid():
            continue
        session.store_layers.apply_style(table, layer)
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        layers.append(layer)
    for table in COMPONENT_TABLES.values():
        current = session.layer(table)
        node = root.findLayer(current.id()) if current is not None else None
        if node is not None:
            node.setItemVisibilityChecked(False)
    return layers
