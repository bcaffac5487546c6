"""A file with an older version's default styles is upgraded without any dialog (QGIS 3.22 asks in a
modal dialog before overwriting a style of the same name, which would hang a user at every open)."""

from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QMessageBox

from gridmap.gui import layers as layers_mod
from gridmap.gui.layers import StoreLayers, make_layer
from gridmap.store import layer_styles, open_store


def test_older_styles_are_replaced_without_asking(qapp, small_demo):
    dialogs = []

    def refuse_dialogs():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                dialogs.append(widget.text())
                widget.reject()

    watcher = QTimer()
    watcher.timeout.connect(refuse_dialogs)
    watcher.start(100)
    with open_store(small_demo) as store:
        for table in ("unit_grid", "component_point"):  # what an older gridmap left in the file
            layer = make_layer(small_demo, table)
            assert layer.saveStyleToDatabase(table, "gridmap style v0", True, "") == ""
        store_layers = StoreLayers(store)
        assert not store_layers.styles_are_current()
        written = store_layers.save_default_styles()
        assert written == len(layers_mod.layer_specs())
        assert store_layers.styles_are_current()
        assert layer_styles.default_styles_with(store, "gridmap style v0") == 0
    watcher.stop()
    assert dialogs == []
