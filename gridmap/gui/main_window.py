"""The main window: map canvas, layer tree, docks and menus. It wires controllers;
the work is done in the modules it imports."""

from __future__ import annotations

import time
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsLayerTreeModel, QgsProject, QgsRectangle
from qgis.gui import (
    QgsLayerTreeMapCanvasBridge,
    QgsLayerTreeView,
    QgsMapCanvas,
    QgsMapToolPan,
    QgsMapToolZoom,
    QgsScaleWidget,
)
from qgis.PyQt.QtCore import QSettings, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeySequence
from qgis.PyQt.QtWidgets import (
    QAction,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabBar,
    QToolBar,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.coordinates import CoordinateLabel
from gridmap.gui.layers import StoreLayers
from gridmap.gui.messages import translate
from gridmap.gui.scale_switch import ScaleSwitch
from gridmap.gui.session import Session
from gridmap.store import open_store
from gridmap.store.connection import is_postgis

SETTINGS_LAST_DB = "workspace/last_db"
SETTINGS_EXTENT = "workspace/extent/{}"
SETTINGS_STATE = "window/state"
SETTINGS_GEOMETRY = "window/geometry"


class MainWindow(QMainWindow):
    """gridmap's workspace. Emits ``store_opened`` after a store's layers are on the map."""

    first_render_done = pyqtSignal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("gridmap_main_window")
        self.setWindowTitle(self.tr("gridmap"))
        self.scale_switch: ScaleSwitch | None = None
        self._open_started = 0.0
        #: callables asked before the window closes; any returning False keeps it open (unsaved work)
        self.close_guards: list = []
        self._closed = False
        self._awaiting_first_render = False
        #: the dock tabs in front on a first run; a layout restored from the settings keeps its own
        self.first_tabs: list[QDockWidget] = []
        self._layout_restored = False
        self._shown_once = False

        self.canvas = QgsMapCanvas(self)
        self.canvas.setObjectName("map_canvas")
        # A bare canvas starts with both off: a live layer refresh would re-render every layer (DESIGN.md).
        self.canvas.setCachingEnabled(True)
        self.canvas.setParallelRenderingEnabled(True)
        self.canvas.setCanvasColor(QColor("#f7f5f0"))
        self.canvas.enableAntiAliasing(True)
        self.canvas.mapCanvasRefreshed.connect(self._on_refreshed)
        self.setCentralWidget(self.canvas)
        #: what the panels work on: the store, its layers, the canvas and their signals
        self.session = Session(self.canvas, self)
        self.store_opened = self.session.store_opened
        self.session.legend_changed.connect(self.refresh_legend)

        project = QgsProject.instance()
        self.layer_tree = QgsLayerTreeView(self)
        self.layer_tree.setObjectName("layer_tree")
        model = QgsLayerTreeModel(project.layerTreeRoot(), self)
        model.setFlag(QgsLayerTreeModel.AllowNodeReorder)
        model.setFlag(QgsLayerTreeModel.AllowNodeChangeVisibility)
        model.setFlag(QgsLayerTreeModel.ShowLegendAsTree)
        self.layer_tree.setModel(model)
        self.bridge = QgsLayerTreeMapCanvasBridge(project.layerTreeRoot(), self.canvas, self)
        self.layers_dock = self.add_dock("layers_dock", self.tr("Layers"), self.layer_tree,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)

        self._build_tools()
        self._build_menus()
        self._build_status_bar()

    @property
    def store(self):
        return self.session.store

    @property
    def store_layers(self) -> StoreLayers | None:
        return self.session.store_layers

    # --- construction -------------------------------------------------------------

    def add_dock(self, name: str, title: str, widget, area, scroll: bool = False) -> QDockWidget:
        """Add a dock whose place is remembered (by its object name).

        With ``scroll`` the widget sits in a scroll area, so a wide panel does not
        force its minimum width on the window (and squeeze the map on a laptop).
        """
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if scroll:
            area_widget = QScrollArea(dock)
            area_widget.setWidgetResizable(True)
            area_widget.setWidget(widget)
            area_widget.setMinimumWidth(200)
            widget = area_widget
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        dock.dockLocationChanged.connect(lambda _area: QTimer.singleShot(0, self.unelide_tabs))
        return dock

    def unelide_tabs(self) -> None:
        """Dock tabs show their whole titles ("Lay…", "New ca…" were cut); a crowded bar scrolls instead.

        QMainWindow makes the tab bars of tabified docks itself, so they are found and set after layout
        changes.
        """
        for bar in self.findChildren(QTabBar):
            if bar.parent() is self:
                bar.setElideMode(Qt.TextElideMode.ElideNone)
                bar.setUsesScrollButtons(True)
                bar.setExpanding(False)

    def _build_tools(self) -> None:
        self.toolbar = QToolBar(self.tr("Map"), self)
        self.toolbar.setObjectName("map_toolbar")
        self.addToolBar(self.toolbar)
        self.pan_tool = QgsMapToolPan(self.canvas)
        self.zoom_in_tool = QgsMapToolZoom(self.canvas, False)
        self.zoom_out_tool = QgsMapToolZoom(self.canvas, True)
        self.action_pan = self.tool_action(self.tr("Pan"), self.pan_tool, "P")
        self.action_zoom_in = self.tool_action(self.tr("Zoom in"), self.zoom_in_tool, "+")
        self.action_zoom_out = self.tool_action(self.tr("Zoom out"), self.zoom_out_tool, "-")
        self.action_full = QAction(self.tr("Full extent"), self)
        self.action_full.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.action_full.triggered.connect(self.zoom_full)
        self.toolbar.addAction(self.action_full)
        self.canvas.setMapTool(self.pan_tool)

    def tool_action(self, text: str, tool, shortcut: str) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.canvas.setMapTool(tool))
        tool.setAction(action)
        self.toolbar.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.action_open = QAction(self.tr("&Open..."), self)
        self.action_open.setShortcut(QKeySequence.StandardKey.Open)
        self.action_open.triggered.connect(self.choose_store)
        file_menu.addAction(self.action_open)
        self.action_open_database = QAction(self.tr("Open &PostGIS database..."), self)
        self.action_open_database.triggered.connect(self.choose_database)
        file_menu.addAction(self.action_open_database)
        file_menu.addSeparator()
        self.action_quit = QAction(self.tr("&Quit"), self)
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_quit.triggered.connect(self.close)
        file_menu.addAction(self.action_quit)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.view_menu.addAction(self.layers_dock.toggleViewAction())
        self.view_menu.addAction(self.toolbar.toggleViewAction())
        self.layer_menu = self.menuBar().addMenu(self.tr("&Layer"))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coordinates = CoordinateLabel(self.canvas, self)
        self.coordinates.setObjectName("coordinates")
        bar.addPermanentWidget(self.coordinates)
        self.scale_widget = QgsScaleWidget(self)
        self.scale_widget.setObjectName("scale_widget")
        self.scale_widget.setMapCanvas(self.canvas)
        self.scale_widget.setShowCurrentScaleButton(False)
        self.scale_widget.scaleChanged.connect(self.canvas.zoomScale)
        self.canvas.scaleChanged.connect(self.scale_widget.setScale)
        bar.addPermanentWidget(QLabel(self.tr("Scale"), self))
        bar.addPermanentWidget(self.scale_widget)
        self.render_label = QLabel(self)
        self.render_label.setObjectName("render_label")
        bar.addPermanentWidget(self.render_label)

    # --- stores -------------------------------------------------------------------

    def choose_store(self) -> None:
        start = str(Path(self.store.path).parent) if self.store is not None and not is_postgis(
            self.store.location) else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a gridmap file"), start,
                                              self.tr("gridmap files (*.sqlite *.gridmap *.db);;All files (*)"))
        if path:
            self.open_store_or_warn(Path(path))

    def choose_database(self) -> None:
        """Ask for a PostGIS store's connection (URI or libpq service) and open it."""
        current = self.store.path if self.store is not None and is_postgis(self.store.location) else ""
        text, ok = QInputDialog.getText(
            self, self.tr("Open a PostGIS database"),
            self.tr("Connection (postgresql://user@host:port/database or service=NAME;\n"
                    "passwords come from ~/.pgpass or PGPASSWORD):"), text=current or "postgresql://")
        if ok and text.strip():
            self.open_store_or_warn(text.strip())

    def open_store_or_warn(self, path: Path | str) -> bool:
        """Open ``path`` (a file or a PostGIS URI); on a problem show the reason and keep the current store."""
        try:
            self.open_store(path)
        except GridmapError as exc:
            QMessageBox.warning(self, self.tr("Cannot open file"), translate(str(exc)))
            return False
        return True

    def open_store(self, path: Path | str) -> None:
        """Replace the workspace's store and layers with those of ``path`` (a file or a PostGIS URI).

        Raises StoreError (or another GridmapError) when the file cannot be used;
        the previous store stays open in that case.
        """
        store = open_store(path)
        self._save_extent()
        project = QgsProject.instance()
        project.clear()
        if self.store is not None:
            self.store.close()
        self.session.store = store
        self._open_started = time.perf_counter()
        self._awaiting_first_render = True
        crs = QgsCoordinateReferenceSystem(f"EPSG:{store.srid}")
        project.setCrs(crs)
        self.canvas.setDestinationCrs(crs)
        self.session.store_layers = StoreLayers(store)
        self.store_layers.load(project)
        if self.scale_switch is not None:
            self.scale_switch.detach()
        self.scale_switch = ScaleSwitch(self.canvas, self.store_layers)
        self._save_styles_once()
        self.setWindowTitle(f"{store.setting('name', store.label)} — gridmap")
        settings = QSettings()
        settings.setValue(SETTINGS_LAST_DB, _remembered(store))
        extent = settings.value(SETTINGS_EXTENT.format(_key(store)))
        if extent and len(extent) == 4:
            self.canvas.setExtent(QgsRectangle(*[float(v) for v in extent]))
        else:
            self.zoom_full()
        self.scale_switch.update()
        self.canvas.refresh()
        self.store_opened.emit(store)

    def _save_styles_once(self) -> None:
        """Write the default styles into the file (for plain QGIS) unless this version's are there."""
        if self.store_layers.styles_are_current():
            return
        try:
            self.store_layers.save_default_styles()
        except GridmapError as exc:  # a read-only file still opens; the user is told why
            self.statusBar().showMessage(translate(str(exc)), 10000)

    def zoom_full(self) -> None:
        if self.store_layers and "district" in self.store_layers.layers:
            extent = self.store_layers.layers["district"].extent()
            extent.scale(1.05)
            self.canvas.setExtent(extent)
            self.canvas.refresh()

    # the panels work on the session; these stay for the window's own wiring and older callers
    def layer(self, key: str):
        return self.session.layer(key)

    def is_layer_visible(self, layer) -> bool:
        return self.session.is_layer_visible(layer)

    def selectable_layers(self) -> list:
        return self.session.selectable_layers()

    def geometry_of(self, table: str, row_id: int):
        return self.session.geometry_of(table, row_id)

    def set_incident_filter(self, show_closed: bool, since, until) -> None:
        self.session.set_incident_filter(show_closed, since, until)

    def reload_layers(self, keys) -> None:
        self.session.reload_layers(keys)

    def set_component_subset(self, subset: str) -> None:
        self.session.set_component_subset(subset)

    def refresh_legend(self, layer=None) -> None:
        """Redraw the layer tree's legend of ``layer`` (the responsibility grids by default)."""
        layer = layer or self.layer("responsibility_grid")
        if layer is not None:
            self.layer_tree.layerTreeModel().refreshLayerLegend(
                QgsProject.instance().layerTreeRoot().findLayer(layer.id()))

    def _on_refreshed(self) -> None:
        if self._awaiting_first_render and self.store is not None:
            self._awaiting_first_render = False
            seconds = time.perf_counter() - self._open_started
            self.render_label.setText(self.tr("First render {0:.2f} s").format(seconds))
            self.first_render_done.emit(seconds)

    def _save_extent(self) -> None:
        if self.store is not None:
            e = self.canvas.extent()
            QSettings().setValue(SETTINGS_EXTENT.format(_key(self.store)),
                                 [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()])

    # --- window state -------------------------------------------------------------

    def restore_window_state(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        state = settings.value(SETTINGS_STATE)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self._layout_restored = bool(self.restoreState(state))
            QTimer.singleShot(0, self.unelide_tabs)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.unelide_tabs)
        if not self._shown_once:
            self._shown_once = True
            if not self._layout_restored:
                # tabified docks show the last one added until they are laid out; choose the useful ones
                for dock in self.first_tabs:
                    dock.raise_()

    def closeEvent(self, event) -> None:
        if self._closed:  # closed before (e.g. by a test and then by its fixture): nothing left to do
            super().closeEvent(event)
            return
        if not all(guard() for guard in self.close_guards):
            event.ignore()
            return
        self._closed = True
        self._save_extent()
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        settings.setValue(SETTINGS_STATE, self.saveState())
        self.canvas.stopRendering()
        self.canvas.waitWhileRendering()
        # a closed window lets go of the shared project: its bridge would keep feeding the canvas
        self.bridge.deleteLater()
        self.canvas.setLayers([])
        QgsProject.instance().clear()
        if self.store is not None:
            self.store.close()
            self.session.store = None
        super().closeEvent(event)


def _remembered(store) -> str:
    """What the settings remember to open a store again: a file's absolute path, or a PostGIS URI
    without its password (libpq finds that in ~/.pgpass or PGPASSWORD, never in gridmap's settings)."""
    return store.path if is_postgis(store.location) else str(Path(store.path).resolve())


def _key(store) -> str:
    """A settings key for a store (QSettings keys cannot hold slashes)."""
    return _remembered(store).replace("/", "|")
