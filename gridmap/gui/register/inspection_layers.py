"""Components coloured by the days since their last inspection (巡查): query layers over the register and the
inspections (gridmap.store.sources.inspection_age_query), drawn with a rule per age band."""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsDataSourceUri,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from gridmap.store import sources
from gridmap.store.schema import COMPONENT_TABLES

_WKB = {"point": QgsWkbTypes.Point, "line": QgsWkbTypes.LineString, "polygon": QgsWkbTypes.Polygon}
#: (rule, colour) from the freshest to never
BANDS = (('"days" <= 7', "#2e7d32"), ('"days" > 7 AND "days" <= 30', "#9ccc65"),
         ('"days" > 30 AND "days" <= 90', "#ffa726"), ('"days" > 90', "#d32f2f"), ('"days" IS NULL', "#9e9e9e"))


def tr(text: str) -> str:
    return QCoreApplication.translate("InspectionLayers", text)


def band_labels() -> list[str]:
    return [tr("Inspected within 7 days"), tr("8 to 30 days ago"), tr("31 to 90 days ago"),
            tr("More than 90 days ago"), tr("Never inspected")]


def age_renderer(kind: str) -> QgsRuleBasedRenderer:
    """One rule per age band, the band's colour on the kind's default symbol."""
    root = QgsRuleBasedRenderer.Rule(None)
    geometry = {"point": QgsWkbTypes.PointGeometry, "line": QgsWkbTypes.LineGeometry,
                "polygon": QgsWkbTypes.PolygonGeometry}[kind]
    for (expression, colour), label in zip(BANDS, band_labels(), strict=True):
        symbol = QgsSymbol.defaultSymbol(geometry)
        symbol.setColor(QColor(colour))
        if kind == "point":
            symbol.setSize(2.2)
        elif kind == "line":
            symbol.setWidth(0.8)
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    return QgsRuleBasedRenderer(root)


def inspection_age_layer(session, kind: str, today: dt.date) -> QgsVectorLayer:
    source = session.store_layers.source
    uri = QgsDataSourceUri(source.connection)
    uri.setDataSource("", sources.inspection_age_query(session.store, COMPONENT_TABLES[kind], today), "geom", "", "id")
    uri.setWkbType(_WKB[kind])
    uri.setSrid(str(session.store.srid))
    names = {"point": tr("Point components by last inspection"), "line": tr("Line components by last inspection"),
             "polygon": tr("Polygon components by last inspection")}
    layer = QgsVectorLayer(uri.uri(False), names[kind], source.provider)
    if layer.isValid():
        layer.setRenderer(age_renderer(kind))
    return layer


def show_inspection_age(session, today: dt.date) -> list[QgsVectorLayer]:
    """Add the three layers in a group of their own (replacing an earlier one) above the map; return them."""
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    title = tr("Days since the last inspection")
    old = root.findGroup(title)
    if old is not None:
        for node in old.findLayers():
            project.removeMapLayer(node.layerId())
        root.removeChildNode(old)
    group = root.insertGroup(0, title)
    layers = []
    for kind in COMPONENT_TABLES:
        layer = inspection_age_layer(session, kind, today)
        if layer.isValid():
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            layers.append(layer)
    return layers
