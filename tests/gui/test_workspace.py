"""The map workspace driven as a supervisor uses it: real canvas, real layers, synthetic mouse events."""

import sqlite3

import pytest
from qgis.core import (
    QgsExpression,
    QgsPointXY,
    QgsRectangle,
    QgsSvgMarkerSymbolLayer,
    QgsVectorLayer,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, QSettings, Qt

from gridmap.gui import styles
from gridmap.gui.layers import STYLE_VERSION, layer_specs
from gridmap.gui.main_window import SETTINGS_LAST_DB
from gridmap.gui.styles import STREET_SCALE
from gridmap.gui.workspace import build_workspace


def click(window, tool, x, y):
    """Press and release the left button at map coordinates (x, y) with ``tool`` active."""
    window.canvas.setMapTool(tool)
    pixel = window.canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    point = QPoint(round(pixel.x()), round(pixel.y()))
    tool.canvasPressEvent(QgsMapMouseEvent(window.canvas, QEvent.Type.MouseButtonPress, point,
                                           Qt.MouseButton.LeftButton))
    tool.canvasReleaseEvent(QgsMapMouseEvent(window.canvas, QEvent.Type.MouseButtonRelease, point,
                                             Qt.MouseButton.LeftButton))


def zoom_to(window, x, y, half=120):
    window.canvas.setExtent(QgsRectangle(x - half, y - half, x + half, y + half))
    window.canvas.refresh()


def test_clicking_a_component_shows_it_in_the_inspector(window, qtbot):
    conn = window.store.conn
    code, x, y = conn.execute("SELECT code, X(geom), Y(geom) FROM component_point WHERE class_code = '0118' "
                              "ORDER BY id LIMIT 1 OFFSET 10").fetchone()
    zoom_to(window, x, y, 40)
    with qtbot.waitSignal(window.workspace.identify_tool.identified, timeout=5000) as blocker:
        click(window, window.workspace.identify_tool, x, y)
    inspector = window.workspace.inspector
    assert blocker.args[0][0].code == code
    assert inspector.value("code") == code
    assert inspector.value("class").startswith("0118 路灯")
    maintainer = conn.execute("SELECT u.name FROM component_point c JOIN responsible_unit u "
                              "ON u.code = c.maintainer_unit_code WHERE c.code = ?", (code,)).fetchone()[0]
    assert inspector.value("maintainer_unit").startswith(maintainer)
    grid = conn.execute("SELECT unit_grid_code FROM component_point WHERE code = ?", (code,)).fetchone()[0]
    assert inspector.value("unit_grid") == grid
    assert "责任网格" in inspector.value("responsibility_grid")
    expected = conn.execute("SELECT count(*) FROM incident WHERE component_code = ?", (code,)).fetchone()[0]
    assert len(inspector.sections[0].incidents) == expected
    assert [s.kind for s in inspector.sections][-2:] == ["unit_grid", "responsibility_grid"]  # offered too


def test_clicking_a_grid_shows_unit_and_responsibility_grid(window, qtbot):
    # hide what could sit on top so the click lands on the grids
    root = window.layer_tree.layerTreeModel().rootGroup()
    for key in ("incident", "component_point", "component_line", "component_polygon"):
        root.findLayer(window.layer(key).id()).setItemVisibilityChecked(False)
    conn = window.store.conn
    code, x, y, resp = conn.execute(
        "SELECT code, X(PointOnSurface(geom)), Y(PointOnSurface(geom)), responsibility_grid_code FROM unit_grid "
        "WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 3").fetchone()
    zoom_to(window, x, y, 300)
    click(window, window.workspace.identify_tool, x, y)
    inspector = window.workspace.inspector
    kinds = [s.kind for s in inspector.sections]
    assert kinds == ["unit_grid", "responsibility_grid"]
    assert inspector.value("unit_grid") == code
    assert inspector.sections[1].code == resp
    assert inspector.value("supervisors")
    components = conn.execute("SELECT count(*) FROM component_point WHERE unit_grid_code = ?", (code,)).fetchone()[0]
    assert sum(inspector.sections[0].counts.values()) >= components


def test_search_finds_zooms_and_selects(window):
    conn = window.store.conn
    row_id, code, x, y = conn.execute("SELECT id, code, X(geom), Y(geom) FROM component_point "
                                      "ORDER BY id DESC LIMIT 1").fetchone()
    panel = window.workspace.search
    panel.edit.setText(code)
    hits = panel.run_search()
    assert hits[0].code == code and panel.results.topLevelItemCount() >= 1
    panel._choose_item(panel.item_of(0, 0))  # what a click on the result does
    assert window.canvas.extent().contains(QgsPointXY(x, y))
    assert window.canvas.scale() <= STREET_SCALE
    assert window.layer("component_point").selectedFeatureIds() == [row_id]
    assert window.workspace.inspector.value("code") == code


def test_search_by_grid_code_and_by_name(window):
    panel = window.workspace.search
    grid = window.store.conn.execute("SELECT code FROM unit_grid ORDER BY code LIMIT 1").fetchone()[0]
    panel.edit.setText(grid)
    hits = panel.run_search()
    assert hits[0].kind == "unit_grid" and hits[0].code == grid
    panel.edit.setText("责任网格")
    assert {h.kind for h in panel.run_search()} == {"responsibility_grid"}
    panel.edit.setText("no such thing")
    assert panel.run_search() == [] and "no such thing" in panel.summary.text()


def test_point_components_switch_from_dots_to_icons_at_street_scale(window):
    layer = window.layer("component_point")
    window.zoom_full()
    assert window.scale_switch.mode == "city"
    categories = layer.renderer().categories()  # keep the copies alive while their symbols are used
    symbol = categories[0].symbol()
    assert symbol.symbolLayerCount() == 1 and not isinstance(symbol.symbolLayer(0), QgsSvgMarkerSymbolLayer)
    window.canvas.zoomScale((styles.SPREAD_SCALE + styles.ICON_SCALE) / 2)
    assert window.scale_switch.mode == "street"
    categories = layer.renderer().categories()  # icons, not spread: spreading them costs 6x the render
    assert isinstance(categories[0].symbol().symbolLayer(0), QgsSvgMarkerSymbolLayer)
    window.canvas.zoomScale(styles.SPREAD_SCALE / 2)
    assert window.scale_switch.mode == "close"
    assert layer.renderer().type() == "pointDisplacement"  # close up, overlapping icons are spread out
    categories = layer.renderer().embeddedRenderer().categories()
    assert isinstance(categories[0].symbol().symbolLayer(0), QgsSvgMarkerSymbolLayer)


def test_component_filter_by_class_and_state(window):
    layer = window.layer("component_point")
    conn = window.store.conn
    total = layer.featureCount()
    lamps = conn.execute("SELECT count(*) FROM component_point WHERE class_code = '0118'").fetchone()[0]
    panel = window.workspace.component_filter
    panel.set_class_checked("0118", False)
    window.set_component_subset(panel.subset())
    assert layer.featureCount() == total - lamps
    panel.set_class_checked("0118", True)
    for state, box in panel.states.items():
        box.setChecked(state == "破损")
    window.set_component_subset(panel.subset())
    damaged = conn.execute("SELECT count(*) FROM component_point WHERE state = '破损'").fetchone()[0]
    assert layer.featureCount() == damaged
    for box in panel.states.values():
        box.setChecked(True)
    assert panel.subset() == ""


def test_closed_incidents_are_hidden_until_asked_for(window):
    layer = window.layer("incident")
    conn = window.store.conn
    open_count = conn.execute("SELECT count(*) FROM incident WHERE status NOT IN ('closed', 'rejected')").fetchone()[0]
    assert layer.featureCount() == open_count
    panel = window.workspace.incident_filter
    panel.show_closed.setChecked(True)
    assert layer.featureCount() == conn.execute("SELECT count(*) FROM incident").fetchone()[0]
    panel.period.setCurrentIndex(panel.period.findData("custom"))
    panel.start.setDate(panel.start.date().fromString("2026-11-01", "yyyy-MM-dd"))
    panel.end.setDate(panel.end.date().fromString("2026-11-15", "yyyy-MM-dd"))
    in_period = conn.execute("SELECT count(*) FROM incident WHERE reported_at >= '2026-11-01' "
                             "AND reported_at < '2026-11-16'").fetchone()[0]
    assert layer.featureCount() == in_period > 0


def test_attribute_table_filters_and_follows_the_selection(window):
    layer = window.layer("component_point")
    table = window.workspace.open_attribute_table(layer)
    table.mode.setCurrentIndex(table.mode.findData(table.mode.itemData(1)))  # all features
    table.expression.setText("\"state\" = '破损'")
    assert table.apply_expression()
    damaged = window.store.conn.execute("SELECT count(*) FROM component_point WHERE state = '破损'").fetchone()[0]
    assert table.row_count() == damaged
    table.expression.setText("\"state\" = ")
    assert not table.apply_expression()
    ids = [f.id() for f, _ in zip(layer.getFeatures(), range(3), strict=False)]
    layer.selectByIds(ids)
    table.expression.clear()
    table.apply_expression()
    table.mode.setCurrentIndex(2)  # selected features
    assert table.row_count() == 3


def test_styles_are_saved_for_plain_qgis(window):
    rows = window.store.conn.execute(
        "SELECT f_table_name FROM layer_styles WHERE useAsDefault AND description = ?",
        (f"gridmap style v{STYLE_VERSION}",)).fetchall()
    assert sorted(r[0] for r in rows) == sorted(s.table for s in layer_specs())
    # plain QGIS: a layer opened on the table picks the default style from the file
    uri = f"dbname='{window.store.path}' table=\"component_point\" (geom)"
    plain = QgsVectorLayer(uri, "component_point", "spatialite")
    assert plain.isValid()
    assert plain.renderer().type() == "categorizedSymbol"
    assert len(plain.renderer().categories()) == len(window.store_layers.classes_of("component_point"))


def test_label_and_renderer_expressions_parse(window):
    for spec in layer_specs():
        layer = window.layer(spec.key)
        labeling = layer.labeling()
        if labeling is None:
            continue
        settings = [labeling.settings()] if hasattr(labeling, "settings") and labeling.type() == "simple" else [
            rule.settings() for rule in labeling.rootRule().descendants() if rule.settings()]
        for item in settings:
            expression = QgsExpression(item.fieldName)
            assert not expression.hasParserError(), (spec.key, expression.parserErrorString())


def test_the_last_file_and_extent_are_remembered(window, qtbot):
    path = window.store.path
    extent = QgsRectangle(window.canvas.extent())
    extent.scale(0.3)
    window.canvas.setExtent(extent)
    expected = window.canvas.extent()
    window.close()
    assert QSettings().value(SETTINGS_LAST_DB) == str(path.resolve())
    again = build_workspace()
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    again.open_store(path)
    got = again.canvas.extent()
    assert got.center().distance(expected.center()) < 1.0
    # the canvas may have another shape: QGIS keeps the centre and fits the saved area in
    assert got.width() == pytest.approx(expected.width(), rel=0.01) or \
        got.height() == pytest.approx(expected.height(), rel=0.01)
    assert got.width() >= expected.width() * 0.99 and got.height() >= expected.height() * 0.99
    again.close()


def test_a_broken_file_is_refused_and_the_current_store_stays(window, tmp_path, monkeypatch):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"not a database at all")
    shown = []
    monkeypatch.setattr("gridmap.gui.main_window.QMessageBox.warning", lambda *args: shown.append(args[2]))
    before = window.store.path
    assert not window.open_store_or_warn(bad)
    assert window.store.path == before and window.layer("district").isValid()
    assert str(bad) in shown[0]


def test_translation_is_complete_and_compiled(qapp, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from qgis.PyQt.QtCore import QCoreApplication

    from gridmap.gui.i18n import I18N_DIR, install_translator

    root = Path(__file__).resolve().parents[2]
    check = subprocess.run([sys.executable, str(root / "tools" / "update_translations.py"), "--check"],
                           check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        assert QCoreApplication.translate("StoreLayers", "Incidents") == "案件"
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    finally:
        install_translator(qapp, "en")
    # the committed .qm is what lrelease makes of the committed .ts
    fresh = tmp_path / "fresh.qm"
    subprocess.run(["lrelease", "-silent", str(I18N_DIR / "gridmap_zh_CN.ts"), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == (I18N_DIR / "gridmap_zh_CN.qm").read_bytes()


def test_sqlite_of_the_store_is_unchanged_by_viewing(window):
    # viewing writes only the styles: no data table changes
    conn = sqlite3.connect(window.store.path)
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
    conn.close()
