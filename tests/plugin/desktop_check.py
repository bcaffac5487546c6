"""Run by real QGIS desktop (``qgis --code``) in tests/plugin/test_qgis_desktop.py: checks that the gridmap
plugin loaded, its docks and tool bars exist, a store opens into the project, and that unloading leaves
nothing behind, twice (load, unload, reload, unload); writes the findings as JSON and quits QGIS."""

import json
import os
import traceback
from pathlib import Path

import qgis.utils
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar, QWidget

RESULT = Path(os.environ["GRIDMAP_PLUGIN_RESULT"])
STORE = os.environ["GRIDMAP_PLUGIN_STORE"]
NAME = "gridmap_qgis"


def flush():
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def ours(iface):
    """Every dock, tool bar, top menu and status bar widget of QGIS's window (not only gridmap's: what
    unloading leaves behind is whatever differs from QGIS without the plugin), and the project's layers."""
    main = iface.mainWindow()
    flush()

    def named(kind):
        return sorted(w.objectName() or w.windowTitle() for w in main.findChildren(kind) if w.parent() is main)

    return {
        "docks": named(QDockWidget),
        "toolbars": named(QToolBar),
        "menubar": sorted(a.text() for a in main.menuBar().actions()),
        "menus": sorted(m.objectName() for m in main.findChildren(QMenu) if m.objectName().startswith("gridmap")),
        "status_widgets": len(main.statusBar().findChildren(QWidget)),
        "layers": len(QgsProject.instance().mapLayers()),
    }


def check():
    iface = qgis.utils.iface
    found = {"loaded": NAME in qgis.utils.active_plugins, "errors": []}
    try:
        found["after_load"] = ours(iface)
        plugin = qgis.utils.plugins[NAME]
        plugin.host.open_store(Path(STORE))
        found["after_open"] = ours(iface)
        found["inspector_store"] = plugin.workspace.inspector is not None and plugin.host.store is not None
        found["unloaded"] = qgis.utils.unloadPlugin(NAME)
        found["after_unload"] = ours(iface)
        found["reloaded"] = qgis.utils.loadPlugin(NAME) and qgis.utils.startPlugin(NAME)
        found["after_reload"] = ours(iface)
        found["unloaded_again"] = qgis.utils.unloadPlugin(NAME)
        found["after_second_unload"] = ours(iface)
    except Exception:
        found["errors"].append(traceback.format_exc())
    RESULT.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    QgsProject.instance().clear()
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(0, iface.actionExit().trigger)


QTimer.singleShot(500, check)
