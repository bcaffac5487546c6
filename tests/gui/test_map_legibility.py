"""A map a supervisor can read: every responsibility grid named at full extent, grid names above unit
numbers, unit numbers unambiguous in view, components out of the way at city scale and spread out at
street scale, new cases flashed."""

from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest

from gridmap.gui import styles
from tests.gui.test_live_cases import report_from_a_device
from tests.gui.test_workspace import zoom_to


def rendered_labels(window, qtbot, layer):
    with qtbot.waitSignal(window.canvas.mapCanvasRefreshed, timeout=20000):
        window.canvas.refresh()
    results = window.canvas.labelingResults()
    return [p for p in results.labelsWithinRect(window.canvas.extent()) if p.layerID == layer.id()]


def test_every_responsibility_grid_is_named_at_full_extent(window, qtbot):
    window.resize(900, 560)  # a crowded view: labels collide
    window.zoom_full()
    window.canvas.zoomScale(styles.ALWAYS_NAMED_SCALE * 0.95)  # as crowded as a full demo's full extent
    layer = window.layer("responsibility_grid")
    labels = rendered_labels(window, qtbot, layer)
    assert len({p.featureId for p in labels}) == layer.featureCount()


def test_zoomed_in_the_grid_in_view_keeps_its_name_over_unit_numbers(window, qtbot):
    conn = window.store.conn
    x, y = conn.execute("SELECT X(Centroid(geom)), Y(Centroid(geom)) FROM unit_grid WHERE valid_to IS NULL "
                        "ORDER BY code LIMIT 1 OFFSET 40").fetchone()
    zoom_to(window, x, y, 250)  # about 1:2,000 in the test window
    assert window.canvas.scale() < styles.UNIT_GRID_LABEL_SCALE
    layer = window.layer("responsibility_grid")
    labels = rendered_labels(window, qtbot, layer)
    assert labels, "the responsibility grid in view has no name on the map"
    settings = {key: window.layer(key).labeling().settings().priority
                for key in ("responsibility_grid", "unit_grid", "street")}
    assert settings["responsibility_grid"] > settings["street"] > settings["unit_grid"]


def test_unit_grid_labels_do_not_repeat_in_one_view(window):
    layer = window.layer("unit_grid")
    window.zoom_full()
    expression = QgsExpression(layer.labeling().settings().fieldName)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    texts = []
    for feature in layer.getFeatures(QgsFeatureRequest().setFilterExpression('"valid_to" IS NULL')):
        context.setFeature(feature)
        texts.append(expression.evaluate(context))
    assert len(texts) == len(set(texts)) == layer.featureCount()  # unique in the whole district, so in any view


def test_components_leave_the_grids_readable_at_city_scale_and_spread_at_street_scale(window, qtbot):
    layer = window.layer("component_point")
    window.zoom_full()
    centre = window.canvas.extent().center()
    window.canvas.zoomScale(2 * styles.COMPONENT_SCALE)  # a city-scale view
    assert not window.is_layer_visible(layer)
    assert window.is_layer_visible(window.layer("responsibility_grid"))
    zoom_to(window, centre.x(), centre.y(), 150)
    assert window.canvas.scale() <= styles.ICON_SCALE
    assert window.is_layer_visible(layer)
    window.canvas.zoomScale(styles.SPREAD_SCALE / 2)  # close up, overlapping icons are spread out
    assert layer.renderer().type() == "pointDisplacement"


def test_a_new_case_is_flashed_on_the_map(window, monkeypatch):
    flashed = []
    monkeypatch.setattr(window.canvas, "flashFeatureIds", lambda layer, ids, *a: flashed.append((layer, ids)))
    code = report_from_a_device(window.store.path, key="flash-1")
    window.workspace.live.poll()
    row_id = window.store.conn.execute("SELECT id FROM incident WHERE code = ?", (code,)).fetchone()[0]
    assert flashed and flashed[0][0] is window.layer("incident") and flashed[0][1] == [row_id]


def test_icons_only_where_there_is_room_for_them(window):
    centre = window.canvas.extent().center()
    window.canvas.setCenter(centre)
    window.canvas.zoomScale(5000)
    assert window.scale_switch.mode == "city"  # dots at 1:5,000: 6 mm icons covered the whole view
    window.canvas.zoomScale(2000)
    assert window.scale_switch.mode == "street"


def test_beyond_city_scale_cases_are_a_density_and_the_fine_grids_step_aside(window, qtbot):
    """A city of several districts on one screen (issue 17): tens of thousands of case dots, unit grid
    outlines, small grids and local streets would be a texture that costs most of the render."""
    incidents, units = window.layer("incident"), window.layer("unit_grid")
    window.zoom_full()
    assert window.canvas.scale() < styles.CITY_SCALE  # one district's full extent keeps its detail
    assert incidents.renderer().type() == "categorizedSymbol" and window.is_layer_visible(units)
    window.canvas.zoomScale(2 * styles.CITY_SCALE)
    assert incidents.renderer().type() == "heatmapRenderer"
    assert not window.is_layer_visible(units) and not window.is_layer_visible(window.layer("community_grid"))
    assert not window.is_layer_visible(window.layer("community"))
    assert window.is_layer_visible(window.layer("street"))
    assert window.is_layer_visible(window.layer("responsibility_grid"))
    local = [r for r in window.layer("road").renderer().rootRule().children() if "local" in r.filterExpression()]
    assert local and not local[0].isScaleOK(2 * styles.CITY_SCALE) and local[0].isScaleOK(styles.CITY_SCALE / 2)
    window.canvas.zoomScale(styles.CITY_SCALE / 2)
    assert incidents.renderer().type() == "categorizedSymbol" and window.is_layer_visible(units)
