"""gridmap inside QGIS desktop (issue 18): the same workspace — inspector, search, case panel, responsibility,
grid editor, exchange, presence — as docks in QGIS's own window, on QGIS's canvas and project.

``QgisHost`` gives the workspace what the standalone main window gives it (docks, menus, tool bars, the
canvas, the session with the open store), backed by ``iface``, and remembers everything it adds so
``unload`` leaves QGIS as it found it. ``GridmapPlugin`` is what QGIS's plugin loader calls
(classFactory in the plugin zip's ``__init__.py``, written by tools/build_qgis_plugin.py).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QAction,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.layers import StoreLayers
from gridmap.gui.messages import translate
from gridmap.gui.scale_switch import ScaleSwitch
from gridmap.gui.session import Session
from gridmap.paths import RESOURCES_DIR
from gridmap.store import open_store
from gridmap.store.connection import is_postgis, store_location

#: what the plugin needs beyond what QGIS ships: (module, pip requirement, what it is for)
DEPENDENCIES = (
    ("shapely", "shapely>=2.1", "geometry (version 2)"),
    ("pyproj", "pyproj", "coordinate systems"),
    ("pyogrio", "pyogrio", "reading and writing exchange files"),
    ("openpyxl", "openpyxl", "evaluation spreadsheets"),
    ("PIL", "pillow", "case photos"),
    ("pyqtgraph", "pyqtgraph", "evaluation charts"),
    ("segno", "segno", "QR codes on the notice boards"),
)
#: needed only to open PostGIS stores
OPTIONAL = (("psycopg", "psycopg[binary]", "PostGIS stores"),)


def tr(text: str) -> str:
    return QCoreApplication.translate("QgisPlugin", text)


def missing_dependencies(modules=DEPENDENCIES) -> list[tuple[str, str, str]]:
    """The dependencies that cannot be imported here (shapely older than 2 counts as missing)."""
    missing = []
    for module, requirement, purpose in modules:
        try:
            imported = importlib.import_module(module)
        except ImportError:
            missing.append((module, requirement, purpose))
            continue
        if module == "shapely" and not str(getattr(imported, "__version__", "0")).startswith("2"):
            missing.append((module, requirement, purpose))
    return missing


class _MenuBar:
    """What the grid editor asks of a menu bar: menus added go under gridmap's own menu."""

    def __init__(self, menu: QMenu):
        self._menu = menu

    def addMenu(self, title: str) -> QMenu:
        return self._menu.addMenu(title)


class _StatusBar:
    """QGIS's status bar, remembering the widgets gridmap puts there."""

    def __init__(self, bar, added: list):
        self._bar = bar
        self._added = added

    def addPermanentWidget(self, widget, stretch: int = 0) -> None:
        self._bar.addPermanentWidget(widget, stretch)
        self._added.append(widget)

    def showMessage(self, text: str, timeout: int = 0) -> None:
        self._bar.showMessage(text, timeout)


class QgisHost(QWidget):
    """The main window's part the workspace uses, on QGIS's window. Everything added is undone by unload().

    A hidden widget, so the workspace can parent its widgets and dialogs to it as it does to its window.
    """

    first_render_done = pyqtSignal(float)

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.hide()
        self.iface = iface
        self.main = iface.mainWindow()
        self.canvas = iface.mapCanvas()
        self.session = Session(self.canvas, self)
        self.store_opened = self.session.store_opened
        self.session.legend_changed.connect(self.refresh_legend)
        self.close_guards: list = []
        self.first_tabs: list = []
        self.layer_tree = iface.layerTreeView()
        #: QGIS's advanced digitizing panel, for the register's capture tools
        self.cad_dock = iface.cadDockWidget()
        self.layers_dock = self.main.findChild(QDockWidget, "Layers")
        self._docks: list[QDockWidget] = []
        self._toolbars: list = []
        self._status: list = []
        self._layer_ids: list[str] = []
        self._groups: list = []
        self.scale_switch: ScaleSwitch | None = None
        self.menu = QMenu("gridmap", self.main)
        self.menu.setObjectName("gridmap_menu")
        self.main.menuBar().insertMenu(iface.firstRightStandardMenu().menuAction(), self.menu)
        self.file_menu = self.menu
        self.layer_menu = self.menu
        self.view_menu = self.menu.addMenu(tr("Panels"))
        self.menu.addSeparator()
        self.action_quit = self.menu.addSeparator()  # the workspace puts its file actions before this mark
        self.toolbar = self.addToolBar(tr("gridmap"))

    # --- what the workspace asks of a main window ------------------------------------------------

    @property
    def store(self):
        return self.session.store

    @property
    def store_layers(self):
        return self.session.store_layers

    def add_dock(self, name: str, title: str, widget, area, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self.main)
        dock.setObjectName(f"gridmap_{name}")
        if scroll:
            holder = QScrollArea(dock)
            holder.setWidgetResizable(True)
            holder.setWidget(widget)
            widget = holder
        dock.setWidget(widget)
        self.iface.addDockWidget(area, dock)
        self._docks.append(dock)
        return dock

    def tool_action(self, text: str, tool, shortcut: str) -> QAction:
        action = QAction(text, self.main)
        action.setCheckable(True)
        action.triggered.connect(lambda: self.canvas.setMapTool(tool))
        tool.setAction(action)
        self.toolbar.addAction(action)
        return action

    def menuBar(self) -> _MenuBar:
        return _MenuBar(self.menu)

    def addToolBar(self, title_or_toolbar):
        """A new tool bar (a title), or one made elsewhere, on QGIS's window; removed on unload."""
        toolbar = title_or_toolbar
        if not isinstance(toolbar, QToolBar):
            toolbar = QToolBar(title_or_toolbar, self.main)
        if not toolbar.objectName().startswith("gridmap_"):
            toolbar.setObjectName(f"gridmap_{toolbar.objectName() or toolbar.windowTitle()}")
        self.main.addToolBar(toolbar)
        self._toolbars.append(toolbar)
        return toolbar

    def addToolBarBreak(self) -> None:
        """QGIS arranges its own tool bars."""

    def statusBar(self) -> _StatusBar:
        return _StatusBar(self.main.statusBar(), self._status)

    def width(self) -> int:
        return self.main.width()

    def resizeDocks(self, docks, sizes, orientation) -> None:
        self.main.resizeDocks(docks, sizes, orientation)

    def tabifyDockWidget(self, first, second) -> None:
        if first is not None and second is not None:
            self.main.tabifyDockWidget(first, second)

    def layer(self, key: str):
        return self.session.layer(key)

    def selectable_layers(self) -> list:
        return self.session.selectable_layers()

    def is_layer_visible(self, layer) -> bool:
        return self.session.is_layer_visible(layer)

    def geometry_of(self, table: str, row_id: int):
        return self.session.geometry_of(table, row_id)

    def set_incident_filter(self, show_closed: bool, since, until) -> None:
        self.session.set_incident_filter(show_closed, since, until)

    def set_component_subset(self, subset: str) -> None:
        self.session.set_component_subset(subset)

    def reload_layers(self, keys) -> None:
        self.session.reload_layers(keys)

    def refresh_legend(self, layer=None) -> None:
        layer = layer or self.layer("responsibility_grid")
        node = QgsProject.instance().layerTreeRoot().findLayer(layer.id()) if layer is not None else None
        if node is not None:
            self.layer_tree.layerTreeModel().refreshLayerLegend(node)

    # --- stores ----------------------------------------------------------------------------------

    def open_store(self, location) -> None:
        """Put a store's layers into QGIS's current project (their own groups) and open the panels on it.

        Raises GridmapError when it cannot be used; the store open before stays then.
        """
        store = open_store(location)
        self._remove_layers()
        if self.store is not None:
            self.store.close()
        self.session.store = store
        project = QgsProject.instance()
        if not project.crs().isValid() or not project.mapLayers():
            project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{store.srid}"))
        before = {group.name() for group in project.layerTreeRoot().findGroups()}
        self.session.store_layers = StoreLayers(store)
        layers = self.store_layers.load(project)
        self._layer_ids = [layer.id() for layer in layers.values()]
        self.scale_switch = ScaleSwitch(self.canvas, self.store_layers)  # dots, icons, city-scale density
        self._groups = [g for g in project.layerTreeRoot().findGroups() if g.name() not in before]
        extent = layers["district"].extent()
        extent.scale(1.05)
        self.canvas.setExtent(self.canvas.mapSettings().layerExtentToOutputExtent(layers["district"], extent))
        self.scale_switch.update()
        self.canvas.refresh()
        self.store_opened.emit(store)

    def open_store_or_warn(self, location) -> bool:
        try:
            self.open_store(location)
        except GridmapError as exc:
            QMessageBox.warning(self.main, tr("Cannot open the store"), translate(str(exc)))
            return False
        return True

    def choose_store(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.main, tr("Open a gridmap file"), str(Path.home()),
                                              tr("gridmap files (*.sqlite *.gridmap *.db);;All files (*)"))
        if path:
            self.open_store_or_warn(Path(path))

    def choose_database(self) -> None:
        text, ok = QInputDialog.getText(self.main, tr("Open a PostGIS database"),
                                        tr("Connection (postgresql://user@host:port/database or service=NAME):"),
                                        text="postgresql://")
        if ok and text.strip():
            self.open_store_or_warn(store_location(text.strip()))

    def _remove_layers(self) -> None:
        if self.scale_switch is not None:
            self.scale_switch.detach()
            self.scale_switch = None
        project = QgsProject.instance()
        if self._layer_ids:
            project.removeMapLayers([i for i in self._layer_ids if project.mapLayer(i) is not None])
        root = project.layerTreeRoot()
        for group in self._groups:
            if not group.children():
                root.removeChildNode(group)
        self._layer_ids, self._groups = [], []
        self.session.store_layers = None

    # --- leaving ---------------------------------------------------------------------------------

    def unload(self) -> None:
        """Remove every dock, tool bar, menu, status widget and layer gridmap added, and close the store."""
        for guard in self.close_guards:
            guard()
        self.close_guards.clear()
        if self.canvas.mapTool() is not None and self.canvas.mapTool().action() is not None and \
                self.canvas.mapTool().action().parent() is self.main and self.iface.actionPan() is not None:
            self.iface.actionPan().trigger()
        for dock in self._docks:
            self.iface.removeDockWidget(dock)
            dock.deleteLater()
        for toolbar in self._toolbars:
            self.main.removeToolBar(toolbar)
            toolbar.deleteLater()
        for widget in self._status:
            self.main.statusBar().removeWidget(widget)
            widget.deleteLater()
        self.main.menuBar().removeAction(self.menu.menuAction())
        self.menu.deleteLater()
        self._docks, self._toolbars, self._status = [], [], []
        self._remove_layers()
        if self.store is not None:
            self.store.close()
            self.session.store = None


class GridmapPlugin:
    """The QGIS plugin: a gridmap menu and tool bar, the workspace's docks, a store opened into the project."""

    def __init__(self, iface):
        self.iface = iface
        self.host: QgisHost | None = None
        self.workspace = None
        self.translator: QTranslator | None = None
        self.fallback: QAction | None = None

    def initGui(self) -> None:
        self._install_translator()
        missing = missing_dependencies()
        if missing:  # say what is missing and how to add it, instead of a traceback at the first click
            text = tr("gridmap needs Python packages QGIS does not ship: {0}. Install them for QGIS's Python "
                      "(README: 'gridmap in QGIS desktop') and restart QGIS.").format(
                ", ".join(f"{req} ({purpose})" for _m, req, purpose in missing))
            self.iface.messageBar().pushCritical("gridmap", text)
            icon = QIcon(str(RESOURCES_DIR / "icons" / "gridmap.svg"))
            self.fallback = QAction(icon, "gridmap", self.iface.mainWindow())
            self.fallback.triggered.connect(lambda: QMessageBox.critical(self.iface.mainWindow(), "gridmap", text))
            self.iface.addPluginToMenu("gridmap", self.fallback)
            return
        from gridmap.gui.workspace import Workspace  # noqa: PLC0415 - needs the dependencies checked above

        self.host = QgisHost(self.iface)
        self.workspace = Workspace(self.host)
        # QGIS keeps its own current tool: the workspace's identify tool is one click away on gridmap's tool bar
        # (setting it while QGIS starts crashed QGIS 3.22 in the advanced digitizing item's paint)
        if self.iface.actionPan() is not None:
            self.iface.actionPan().trigger()
        icon = QIcon(str(RESOURCES_DIR / "icons" / "gridmap.svg"))
        open_file = QAction(icon, tr("Open gridmap store..."), self.host.main)
        open_file.setObjectName("gridmap_open_store")
        open_file.triggered.connect(self.host.choose_store)
        open_database = QAction(tr("Open gridmap PostGIS database..."), self.host.main)
        open_database.triggered.connect(self.host.choose_database)
        self.host.menu.insertAction(self.host.menu.actions()[0], open_file)
        self.host.menu.insertAction(self.host.menu.actions()[1], open_database)
        self.host.toolbar.insertAction(self.host.toolbar.actions()[0] if self.host.toolbar.actions() else None,
                                       open_file)
        for dock in self.host._docks:
            self.host.view_menu.addAction(dock.toggleViewAction())
        if self.workspace.inspector is not None:
            self.iface.mainWindow().findChild(QDockWidget, "gridmap_inspector_dock").raise_()

    def unload(self) -> None:
        if self.fallback is not None:
            self.iface.removePluginMenu("gridmap", self.fallback)
            self.fallback.deleteLater()
            self.fallback = None
        if self.host is not None:
            self.host.unload()
            self.host.deleteLater()
            self.host = None
            self.workspace = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

    def _install_translator(self) -> None:
        locale = str(QgsSettings().value("locale/userLocale", "") or QgsApplication.locale() or "en")
        if locale.startswith("en"):
            return
        translator = QTranslator()
        if translator.load(f"gridmap_{locale}", str(RESOURCES_DIR / "i18n")) or translator.load(
                f"gridmap_{locale[:2]}", str(RESOURCES_DIR / "i18n")):
            QCoreApplication.installTranslator(translator)
            self.translator = translator


def open_in_qgis(iface, location: str) -> bool:
    """Open a store in a running QGIS's gridmap plugin (for startup scripts: ``--code``)."""
    import qgis.utils  # noqa: PLC0415

    plugin = qgis.utils.plugins.get("gridmap_qgis")
    if plugin is None or plugin.host is None:
        return False
    return plugin.host.open_store_or_warn(store_location(location) if is_postgis(location) else Path(location))


__all__ = ["DEPENDENCIES", "GridmapPlugin", "QgisHost", "missing_dependencies", "open_in_qgis"]
