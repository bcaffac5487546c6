"""The attribute table: opens at once however many features (rows are read as they scroll into view),
Chinese column names, names next to codes, filters that name a wrong field, selection both ways."""

import time

from qgis.PyQt.QtCore import QPoint

from gridmap.gui.attribute_table import PAGE, SHOW_ALL


def test_the_table_opens_at_once_and_reads_only_the_rows_in_view(window, qtbot):
    layer = window.layer("component_point")
    window.zoom_full()
    start = time.perf_counter()
    table = window.workspace.open_attribute_table(layer)
    qtbot.waitUntil(lambda: table.view.isVisible())
    qtbot.wait(50)  # the view paints its first rows
    seconds = time.perf_counter() - start
    assert table.row_count() == layer.featureCount()
    assert seconds < 1.0
    assert 0 < table.model.fetched <= 2 * PAGE  # only the pages on screen were read
    table.view.scrollToBottom()
    qtbot.wait(50)
    assert table.model.fetched <= 4 * PAGE


def test_columns_in_the_interface_language_and_names_for_codes(window, qapp):
    from gridmap.gui.i18n import install_translator

    layer = window.layer("component_point")
    install_translator(qapp, "zh_CN")
    try:
        table = window.workspace.open_attribute_table(layer)
        model = table.model
        headers = [model.headerData(c, 1) for c in range(model.columnCount())]  # 1 = Qt.Horizontal
    finally:
        install_translator(qapp, "en")
    assert "部件类别" in headers or "类别" in headers
    assert "养护单位" in headers and "class_code" not in headers
    column = model.columns.index("class_code")
    code = model.raw(0, "class_code")
    name = window.store.conn.execute("SELECT name FROM component_class WHERE code = ?", (code,)).fetchone()[0]
    assert model.index(0, column).data() == f"{code} {name}"
    unit_column = model.columns.index("maintainer_unit_code")
    unit = model.raw(0, "maintainer_unit_code")
    unit_name = window.store.conn.execute("SELECT name FROM responsible_unit WHERE code = ?", (unit,)).fetchone()[0]
    assert unit_name in model.index(0, unit_column).data()
    # the layer itself carries the same aliases and value maps (QGIS's forms, plain QGIS)
    index = layer.fields().indexOf("maintainer_unit_code")
    assert layer.editorWidgetSetup(index).type() == "ValueMap"


def test_a_filter_with_a_wrong_field_name_says_so(window):
    table = window.workspace.open_attribute_table(window.layer("component_point"))
    table.mode.setCurrentIndex(table.mode.findData(SHOW_ALL))
    table.expression.setText("\"stat\" = '破损'")
    assert not table.apply_expression()
    assert "stat" in table.message.text() and "unknown field" in table.message.text()
    table.expression.setText("\"state\" = '破损'")
    start = time.perf_counter()
    assert table.apply_expression()
    assert time.perf_counter() - start < 0.5
    damaged = window.store.conn.execute("SELECT count(*) FROM component_point WHERE state = '破损'").fetchone()[0]
    assert table.row_count() == damaged and f"{damaged:,}" in table.message.text()


def test_selection_goes_both_ways_and_the_menu_is_translated(window, qtbot):
    layer = window.layer("component_point")
    table = window.workspace.open_attribute_table(layer)
    table.mode.setCurrentIndex(table.mode.findData(SHOW_ALL))
    table.view.selectRow(2)
    assert layer.selectedFeatureIds() == [table.model.id_at(2)]
    layer.selectByIds([table.model.id_at(5), table.model.id_at(6)])
    assert sorted(i.row() for i in table.view.selectionModel().selectedRows()) == [5, 6]
    rect = table.view.visualRect(table.model.index(5, 1))
    table.setAttribute(0x0 + 103, True)  # Qt.WA_DontShowOnScreen: build the menu, do not pop it up
    menu = table._context_menu(QPoint(rect.center()))
    assert [a.text() for a in menu.actions()][:2] == ["Zoom to feature", "Select on the map"]
