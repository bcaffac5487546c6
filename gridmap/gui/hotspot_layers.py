"""The layers of the hotspot map: the unit grids classed by Gi* (a memory layer), and a heatmap of the
period's cases (a query layer with QGIS's heatmap renderer and temporal properties on reported_at)."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsDataSourceUri,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsHeatmapRenderer,
    QgsRendererCategory,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from gridmap.domain.hotspots import COLD, HOT
from gridmap.store import sources

#: Gi_Bin as ArcGIS draws it: hot 99/95/90% in reds, cold in blues; not significant is not drawn
BIN_COLOURS = {3: "#d7191c", 2: "#f07c4a", 1: "#fdc086", -1: "#abd9e9", -2: "#74add1", -3: "#2c7bb6"}
HEAT_RADIUS_M = 250


def tr(text: str) -> str:
    return QCoreApplication.translate("HotspotPanel", text)


def gi_bin(hotspot) -> int:
    """-3..3: the confidence of a hot (+) or cold (-) unit grid, 0 when not significant."""
    level = {99: 3, 95: 2, 90: 1}.get(hotspot.confidence, 0)
    return level if hotspot.kind == HOT else -level if hotspot.kind == COLD else 0


def hotspot_layer(found, crs_authid: str, name: str) -> QgsVectorLayer:
    """A memory layer of every unit grid of ``found`` (store.hotspots.HotspotMap) with its cases, Gi*
    z-score, p-value, class and bin, styled by bin."""
    # fields in the URI: no QVariant/QMetaType type constants, the same on QGIS 3.22 and 4
    layer = QgsVectorLayer(f"Polygon?crs={crs_authid}&field=code:string(15)&field=cases:integer"
                           "&field=gi_z:double&field=p_value:double&field=class:string(20)&field=gi_bin:integer",
                           name, "memory")
    provider = layer.dataProvider()
    features = []
    for h in found.grids:
        feature = QgsFeature(layer.fields())
        geometry = QgsGeometry()
        geometry.fromWkb(found.polygons[h.code].wkb)
        feature.setGeometry(geometry)
        feature.setAttributes([h.code, h.cases, round(h.z, 4), h.p, h.kind, gi_bin(h)])
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    labels = {3: tr("Hot, 99%"), 2: tr("Hot, 95%"), 1: tr("Hot, 90%"), -1: tr("Cold, 90%"), -2: tr("Cold, 95%"),
              -3: tr("Cold, 99%")}
    categories = []
    for value in (3, 2, 1, -1, -2, -3):
        symbol = QgsFillSymbol.createSimple({"color": BIN_COLOURS[value], "outline_color": "#ffffff",
                                             "outline_width": "0.1"})
        symbol.setOpacity(0.75)
        categories.append(QgsRendererCategory(value, symbol, labels[value]))
    layer.setRenderer(QgsCategorizedSymbolRenderer("gi_bin", categories))
    return layer


def _map_units():
    return Qgis.RenderUnit.MapUnits if hasattr(Qgis, "RenderUnit") else QgsUnitTypes.RenderMapUnits


def _instant_mode():
    modes = getattr(Qgis, "VectorTemporalMode", None)
    return modes.FeatureDateTimeInstantFromField if modes is not None else \
        QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField


def heatmap_layer(source, since, until, classes, name: str) -> QgsVectorLayer:
    """The period's cases (of ``classes``) as a heatmap, temporal on reported_at, so the map's time
    range shows the cases of a week or a month. ``source`` is the store's sources.Source."""
    uri = QgsDataSourceUri(source.connection)
    uri.setDataSource("", sources.case_query(since, until, classes), "geom", "", "id")
    if source.provider == "postgres":
        uri.setWkbType(QgsWkbTypes.Point)
    layer = QgsVectorLayer(uri.uri(False), name, source.provider)
    renderer = QgsHeatmapRenderer()
    renderer.setRadius(HEAT_RADIUS_M)
    renderer.setRadiusUnit(_map_units())
    ramp = QgsGradientColorRamp(QColor(255, 255, 178, 0), QColor("#bd0026"), False,
                                [QgsGradientStop(0.25, QColor(254, 204, 92, 150)),
                                 QgsGradientStop(0.6, QColor(253, 141, 60, 210))])
    renderer.setColorRamp(ramp)
    layer.setRenderer(renderer)
    temporal = layer.temporalProperties()
    temporal.setMode(_instant_mode())
    temporal.setStartField("reported_at")
    temporal.setIsActive(True)
    return layer
