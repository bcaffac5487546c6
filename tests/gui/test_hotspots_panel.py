"""The Hotspots dock on the small demo: the hot and cold unit grids on the map and in the table, the
heatmap of the period's cases, and the time slider stepping the map a week at a time."""

import datetime as dt
import sqlite3

from qgis.core import (
    QgsFeatureRequest,
    QgsHeatmapRenderer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QSize
from qgis.PyQt.QtGui import QColor

from gridmap.gui.hotspots_panel import steps_of


def open_panel(window):
    panel = window.workspace.hotspots
    window.hotspots_dock.show()
    panel.since.setDate(QDate(2026, 3, 1))
    panel.until.setDate(QDate(2026, 8, 31))
    return panel


def test_hot_and_cold_grids_on_the_map_and_in_the_table(window):
    panel = open_panel(window)
    assert panel.case_class.count() > 10 and panel.case_class.itemData(0) is None
    found = panel.run()
    layer = panel.grid_layer
    layer_id = layer.id()
    assert QgsProject.instance().mapLayer(layer.id()) is layer and layer.featureCount() == len(found.grids)
    hot = [f for f in layer.getFeatures() if f["class"] == "hot"]
    assert hot and all(f["gi_bin"] > 0 and f["p_value"] <= 0.05 for f in hot)
    assert panel.table.rowCount() == sum(h.kind != "not significant" for h in found.grids)
    assert panel.table.item(0, 0).text() == found.grids[0].code  # the hottest first
    assert "hot" in panel.summary.text()
    # the class filter: fewer cases, the same unit grids
    panel.case_class.setCurrentIndex(panel.case_class.findData("event:0102"))
    garbage = panel.run()
    assert 0 < garbage.cases < found.cases and len(garbage.grids) == len(found.grids)
    assert QgsProject.instance().mapLayer(layer_id) is None  # the last run's layers are gone
    panel.zoom_to(garbage.grids[0].code)
    centre = garbage.polygons[garbage.grids[0].code].centroid
    assert window.canvas.extent().contains(centre.x, centre.y)


def test_the_heatmap_steps_through_the_period(window, small_demo):
    panel = open_panel(window)
    panel.run()
    heat = panel.heat_layer
    heat_id = heat.id()
    assert isinstance(heat.renderer(), QgsHeatmapRenderer) and heat.temporalProperties().isActive()
    panel.animate.setChecked(True)
    panel.slider.setValue(3)
    start, end = panel.time_range()
    assert start == dt.datetime(2026, 3, 22) and end == dt.datetime(2026, 3, 29)
    shown = window.canvas.mapSettings()
    assert shown.isTemporal() and shown.temporalRange().begin().date() == QDate(2026, 3, 22)
    # what the heatmap draws in that week: the cases reported in it, by QGIS's own temporal filter
    where = heat.temporalProperties().createFilterString(QgsVectorLayerTemporalContext(), shown.temporalRange())
    drawn = sum(1 for _ in heat.getFeatures(QgsFeatureRequest().setFilterExpression(where)))
    conn = sqlite3.connect(small_demo)
    expected = conn.execute("SELECT count(*) FROM incident WHERE reported_at >= '2026-03-22' "
                            "AND reported_at < '2026-03-29'").fetchone()[0]
    conn.close()
    assert drawn == expected > 0
    assert "2026-03-22 – 2026-03-28" in panel.time_label.text()
    panel.step.setCurrentIndex(panel.step.findData("month"))
    assert len(panel.steps) == 6 and panel.time_range() == (dt.datetime(2026, 3, 1), dt.datetime(2026, 4, 1))
    panel.animate.setChecked(False)
    assert not window.canvas.mapSettings().isTemporal()
    panel.clear()
    assert QgsProject.instance().mapLayer(heat_id) is None


def test_the_hotspot_map_renders(window, tmp_path):
    """Render the hotspot grids and the heatmap over the unit grids to a PNG and look at its pixels."""
    panel = open_panel(window)
    found = panel.run()
    settings = QgsMapSettings()
    settings.setOutputSize(QSize(800, 500))
    settings.setDestinationCrs(panel.grid_layer.crs())
    settings.setLayers([panel.grid_layer, panel.heat_layer, window.layer("unit_grid")])
    settings.setExtent(panel.grid_layer.extent())
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(str(tmp_path / "hotspots.png"))
    reds = sum(1 for x in range(0, 800, 4) for y in range(0, 500, 4)
               if (c := image.pixelColor(x, y)).red() > 180 and c.green() < 140 and c.blue() < 140)
    assert found and reds > 50


def test_steps_cut_the_period_at_its_end():
    weeks = steps_of(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 20), "week")
    assert weeks[-1] == (dt.datetime(2026, 1, 15), dt.datetime(2026, 1, 20)) and len(weeks) == 3
    months = steps_of(dt.datetime(2025, 12, 10), dt.datetime(2026, 2, 5), "month")
    assert months == [(dt.datetime(2025, 12, 10), dt.datetime(2026, 1, 1)),
                      (dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)),
                      (dt.datetime(2026, 2, 1), dt.datetime(2026, 2, 5))]
