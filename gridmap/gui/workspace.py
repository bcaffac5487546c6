"""Assembles the workspace: the main window plus its docks and tools."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qgis.core import QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer
from qgis.PyQt.QtGui import QColor, QKeySequence
from qgis.PyQt.QtWidgets import QAction, QMessageBox

from gridmap.gui.attribute_table import SHOW_SELECTED, AttributeTable
from gridmap.gui.case_panel import CasePanel
from gridmap.gui.component_filter import ComponentFilter
from gridmap.gui.evaluation_panel import EvaluationPanel
from gridmap.gui.exchange_dialogs import ExportDialog, ImportDialog
from gridmap.gui.grid_editor.editor import GridEditor
from gridmap.gui.hotspots_panel import HotspotPanel
from gridmap.gui.incident_filter import IncidentFilter
from gridmap.gui.inspector import FeatureHighlight, IdentifyTool, InspectorPanel
from gridmap.gui.live_incidents import LiveIncidents, NotificationList
from gridmap.gui.main_window import MainWindow
from gridmap.gui.plugin_api import PluginsDialog, start_plugins
from gridmap.gui.posters import print_dialog
from gridmap.gui.presence_panel import PresencePanel
from gridmap.gui.register.desk import RegisterDesk
from gridmap.gui.responsibility_dock import ResponsibilityTabs
from gridmap.gui.search_box import SearchPanel, group_label, zoom_to_hit
from gridmap.gui.sign_in import SignIn, SignInButton
from gridmap.store import inspect, live, search


def tr(text: str) -> str:
    return QCoreApplication.translate("Workspace", text)


class Workspace:
    """The controllers of one main window, wired together. The window owns this object."""

    def __init__(self, window: MainWindow):
        self.window = window
        right = Qt.DockWidgetArea.RightDockWidgetArea
        left = Qt.DockWidgetArea.LeftDockWidgetArea

        self.search = SearchPanel(lambda: window.store)
        window.search_dock = window.add_dock("search_dock", tr("Search"), self.search, right)
        self.search.chosen.connect(self.go_to)
        self.search.select_all.connect(self.select_group)
        self.search.table_all.connect(self.table_of_group)

        self.inspector = InspectorPanel()
        window.inspector_dock = window.add_dock("inspector_dock", tr("Inspector"), self.inspector, right)

        self.identify_tool = IdentifyTool(window.canvas, window.session)
        window.action_identify = window.tool_action(tr("Identify"), self.identify_tool, "I")
        self.identify_tool.identified.connect(
            lambda sections: self.show_sections(sections, list(self.identify_tool.features)))
        self.highlight = FeatureHighlight(window.canvas)
        self.section_features: list[tuple] = []
        self.inspector.section_chosen.connect(self.highlight_section)
        self.inspector.case_chosen.connect(self.open_case)

        self.component_filter = ComponentFilter()
        window.component_filter_dock = window.add_dock("component_filter_dock", tr("Component filter"),
                                                       self.component_filter, left)
        self.component_filter.changed.connect(window.set_component_subset)

        self.incident_filter = IncidentFilter()
        window.incident_filter_dock = window.add_dock("incident_filter_dock", tr("Incident filter"),
                                                      self.incident_filter, left)
        self.incident_filter.changed.connect(window.set_incident_filter)
        window.tabifyDockWidget(window.layers_dock, window.component_filter_dock)
        window.tabifyDockWidget(window.component_filter_dock, window.incident_filter_dock)
        window.layers_dock.raise_()
        window.resizeDocks([window.search_dock, window.inspector_dock], [460, 460], Qt.Orientation.Horizontal)
        window.resizeDocks([window.search_dock, window.inspector_dock], [220, 600], Qt.Orientation.Vertical)
        window.resizeDocks([window.layers_dock], [300], Qt.Orientation.Horizontal)

        for dock in (window.search_dock, window.inspector_dock, window.component_filter_dock,
                     window.incident_filter_dock):
            window.view_menu.addAction(dock.toggleViewAction())

        self.action_find = QAction(tr("Find..."), window)
        self.action_find.setShortcut(QKeySequence.StandardKey.Find)
        self.action_find.triggered.connect(self.focus_search)
        window.toolbar.addAction(self.action_find)
        self.action_table = QAction(tr("Open attribute table"), window)
        self.action_table.setShortcut(QKeySequence("F6"))
        self.action_table.triggered.connect(self.open_attribute_table)
        window.layer_menu.addAction(self.action_table)
        window.toolbar.addAction(self.action_table)
        self.tables: list = []
        self.action_export = QAction(tr("Export for other bureaus..."), window)
        self.action_export.triggered.connect(lambda: ExportDialog(window.session, window).show())
        self.action_import = QAction(tr("Import from a file..."), window)
        self.action_import.triggered.connect(lambda: ImportDialog(window.session, window).show())
        window.file_menu.insertAction(window.action_quit, self.action_export)
        window.file_menu.insertAction(window.action_quit, self.action_import)
        self.action_posters = QAction(tr("Print notice boards..."), window)
        self.action_posters.triggered.connect(lambda: print_dialog(window.session, window))
        window.file_menu.insertAction(window.action_quit, self.action_posters)
        self.responsibility = ResponsibilityTabs(window.session)
        window.responsibility_dock = window.add_dock("responsibility_dock", tr("Responsibility"),
                                                     self.responsibility, right, scroll=True)
        window.tabifyDockWidget(window.inspector_dock, window.responsibility_dock)
        window.inspector_dock.raise_()
        window.view_menu.addAction(window.responsibility_dock.toggleViewAction())
        self.live = LiveIncidents(window.session, window)
        self.notifications = NotificationList()
        window.notifications_dock = window.add_dock("notifications_dock", tr("New cases"), self.notifications, left)
        window.tabifyDockWidget(window.incident_filter_dock, window.notifications_dock)
        self.presence = PresencePanel(window.session)
        window.presence_dock = window.add_dock("presence_dock", tr("Who and what changed"), self.presence, left)
        window.tabifyDockWidget(window.notifications_dock, window.presence_dock)
        window.view_menu.addAction(window.presence_dock.toggleViewAction())
        self.presence.unseen.connect(lambda count: window.presence_dock.setWindowTitle(
            tr("Who and what changed") + (f" ({count})" if count else "")))
        window.close_guards.append(lambda: self.presence.stop() or True)
        self.sign_in = SignIn(lambda: window.store, window)
        self.sign_in_button = SignInButton(self.sign_in, window)
        window.statusBar().addPermanentWidget(self.sign_in_button)
        self.action_sign_in = QAction(tr("Sign in..."), window)
        self.action_sign_in.triggered.connect(lambda: self.sign_in.ask(window))
        window.file_menu.insertAction(window.action_quit, self.action_sign_in)
        self.cases = CasePanel(lambda: window.store, self.sign_in)
        # not in a scroll area: status, deadline and actions stay in view, only the history scrolls
        window.case_dock = window.add_dock("case_dock", tr("Case"), self.cases, right)
        window.tabifyDockWidget(window.inspector_dock, window.case_dock)
        window.inspector_dock.raise_()
        for dock in (window.notifications_dock, window.case_dock):
            window.view_menu.addAction(dock.toggleViewAction())
        self.live.arrived.connect(self.notifications.add)
        self.live.arrived.connect(self.flash_new_cases)
        # the count in the tab title tells a supervisor looking at another tab that cases came in
        self.live.arrived.connect(lambda _cases: window.notifications_dock.setWindowTitle(
            tr("New cases ({0})").format(self.notifications.count)))
        self.live.changed.connect(self.refresh_overdue)
        self.overdue_timer = QTimer(window)  # deadlines pass with no write at all: look once a minute
        self.overdue_timer.setInterval(60_000)
        self.overdue_timer.timeout.connect(self.refresh_overdue)
        self.overdue_timer.start()
        self.live.changed.connect(lambda: self.cases.show_case(self.cases.code) if self.cases.code else None)
        self.notifications.chosen.connect(self.open_case)
        self.notifications.level_changed.connect(lambda _level: self.refresh_overdue())
        self.cases.stepped.connect(lambda _code, _status: self.live.poll())
        window.close_guards.append(lambda: self.live.stop() or True)
        self.evaluation = EvaluationPanel(lambda: window.store)
        window.evaluation_dock = window.add_dock("evaluation_dock", tr("Evaluation"), self.evaluation,
                                                 Qt.DockWidgetArea.BottomDockWidgetArea, scroll=True)
        window.evaluation_dock.hide()
        window.view_menu.addAction(window.evaluation_dock.toggleViewAction())
        self.hotspots = HotspotPanel(window.session)
        window.hotspots_dock = window.add_dock("hotspots_dock", tr("Hotspots"), self.hotspots, right)
        window.tabifyDockWidget(window.inspector_dock, window.hotspots_dock)
        window.hotspots_dock.hide()
        window.inspector_dock.raise_()
        window.view_menu.addAction(window.hotspots_dock.toggleViewAction())
        self.grid_editor = GridEditor(window)
        window.view_menu.addAction(self.grid_editor.dock.toggleViewAction())
        self.register = RegisterDesk(window, self.sign_in, self.grid_editor, self.inspector, self.open_case)
        window.store_opened.connect(self.on_store_opened)
        window.canvas.setMapTool(self.identify_tool)
        self.sign_in.changed.connect(self.apply_role)
        # gridmap's own plugins (docs/plugins.md): a Plugins menu for their actions, Help > Plugins to list them
        self.plugins_menu = window.menuBar().addMenu(tr("&Plugins"))
        help_menu = window.menuBar().addMenu(tr("&Help"))
        self.action_plugins = QAction(tr("Plugins..."), window)
        self.action_plugins.triggered.connect(lambda: PluginsDialog(window).exec())
        help_menu.addAction(self.action_plugins)
        self.plugins = start_plugins(window, self.plugins_menu)

    def apply_role(self) -> None:
        """Offer only what the signed-in person's role allows (docs/roles.md); the store refuses the rest
        anyway (the database on PostGIS, the app on a file)."""
        may = self.sign_in.may
        self.action_export.setEnabled(may("export"))
        self.action_import.setEnabled(may("maintain"))
        self.grid_editor.action_edit.setEnabled(may("plan") or self.grid_editor.action_edit.isChecked())
        self.responsibility.setEnabled(may("maintain"))
        self.register.apply_role(may)
        self.action_sign_in.setEnabled(not self.sign_in.fixed)

    def flash_new_cases(self, cases: list[dict]) -> None:
        """Flash newly reported cases on the map (a small dot among thousands is easy to miss)."""
        layer = self.window.layer("incident")
        if layer is not None and cases:
            self.window.canvas.flashFeatureIds(layer, [case["id"] for case in cases], QColor("#ff1744"),
                                               QColor(255, 23, 68, 0), 6, 400)

    def refresh_overdue(self) -> None:
        """The overdue cases and, with "my level" chosen, only that level's, and its queue."""
        if self.window.store is not None:
            now = dt.datetime.now().isoformat(timespec="seconds")
            level = self.notifications.my_level
            self.notifications.show_overdue(live.overdue(self.window.store, now, level=level))
            self.notifications.show_queue(live.level_queue(self.window.store, level) if level else [], now)

    def open_case(self, code: str) -> None:
        """Show a case in the case panel and find it on the map."""
        self.cases.show_case(code)
        self.window.case_dock.show()
        self.window.case_dock.raise_()
        # the case needs the column's height for its history: the search dock above gives way
        height = self.window.search_dock.height() + self.window.case_dock.height()
        if self.window.case_dock.height() < height * 3 // 4:
            self.window.resizeDocks([self.window.search_dock, self.window.case_dock],
                                    [height // 5, height - height // 5], Qt.Orientation.Vertical)
        row_id = live.case_id(self.window.store, code)
        if row_id is not None:
            from gridmap.store.search import Hit  # noqa: PLC0415

            zoom_to_hit(self.window.session, Hit("incident", "incident", code, "", row_id))

    def on_store_opened(self, store) -> None:
        self.sign_in.restore()
        self.live.start(store)
        self.refresh_overdue()
        self.component_filter.load_classes(store)
        self.responsibility.load()
        self.inspector.clear()
        self.highlight.clear()
        self.section_features = []
        self.search.clear()
        for dock in self.tables:
            dock.close()
        self.tables.clear()

    def focus_search(self) -> None:
        self.window.search_dock.show()
        self.window.search_dock.raise_()
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    def go_to(self, hit) -> None:
        """Zoom to a search hit, select it and show it in the inspector."""
        window = self.window
        zoom_to_hit(window.session, hit)
        details = {
            "component": lambda: inspect.component(window.store, hit.code),
            "unit_grid": lambda: inspect.unit_grid(window.store, hit.code),
            "responsibility_grid": lambda: inspect.responsibility_grid(window.store, hit.code),
            "incident": lambda: inspect.incident(window.store, hit.code),
            "street": lambda: inspect.street(window.store, hit.code),
            "community": lambda: inspect.community(window.store, hit.code),
            "community_grid": lambda: inspect.community_grid(window.store, hit.code),
        }.get(hit.kind)
        found = details() if details else None
        self.show_sections([found] if found else [],
                           [(window.layer(hit.table), window.geometry_of(hit.table, hit.row_id))])

    def select_group(self, group) -> int:
        """Select every row of a search group on the map and zoom to them; return how many."""
        window = self.window
        chosen = search.group_ids(window.store, group)
        for layer in window.selectable_layers():
            layer.removeSelection()
        extent = QgsRectangle()
        count = 0
        for table, ids in chosen.items():
            layer = window.layer(table)
            if layer is None:
                continue
            layer.selectByIds(ids)
            count += layer.selectedFeatureCount()
            extent.combineExtentWith(layer.boundingBoxOfSelected())
        if not extent.isEmpty():
            extent.scale(1.1)
            window.canvas.setExtent(extent)
            window.canvas.refresh()
        window.statusBar().showMessage(tr("Selected {0:,} on the map: {1}").format(count, group_label(group)), 10000)
        return count

    def table_of_group(self, group):
        """Select a search group's rows and open them in the attribute table of their layer."""
        self.select_group(group)
        tables = list(search.group_ids(self.window.store, group))
        layer = self.window.layer(tables[0]) if tables else None
        if layer is None:
            return None
        table = self.open_attribute_table(layer)
        if table is not None:
            table.mode.setCurrentIndex(table.mode.findData(SHOW_SELECTED))
        return table

    def show_sections(self, sections: list, features: list | None = None) -> None:
        """Show ``sections`` in the inspector; ``features`` are their (layer, geometry), the first highlighted."""
        if sections and sections[0].kind == "incident":
            self.cases.show_case(sections[0].code)
        base = Path(self.window.store.path).parent if self.window.store else None
        self.section_features = list(features or [])
        self.inspector.show_details(sections, base)
        self.highlight_section(0)
        self.window.inspector_dock.show()
        self.window.inspector_dock.raise_()  # it may be a tab behind the case panel

    def highlight_section(self, index: int) -> None:
        """Outline the feature of inspector section ``index`` on the map (nothing if it has none)."""
        if 0 <= index < len(self.section_features):
            self.highlight.show(*self.section_features[index])
        else:
            self.highlight.clear()

    def open_attribute_table(self, layer=None):
        """Open the attribute table of ``layer`` (default: the layer chosen in the layer tree) in a dock."""
        layer = layer or self.window.layer_tree.currentLayer()
        if layer is None:
            QMessageBox.information(self.window, tr("Attribute table"), tr("Choose a layer in the layer tree first."))
            return None
        # store tables are read lazily by the store's indexes; the open incidents' query layer and drafts
        # go through QGIS's own table
        key = next((k for k, known in (self.window.store_layers.layers.items() if self.window.store_layers else [])
                    if known is layer), None)
        lazy = key is not None and key != "incident" and self.window.store is not None
        table = AttributeTable(layer, self.window.canvas, store=self.window.store if lazy else None,
                               table=key if lazy else None)
        dock = self.window.add_dock(f"attribute_table_{layer.id()}", tr("Attributes: {0}").format(layer.name()),
                                    table, Qt.DockWidgetArea.BottomDockWidgetArea)
        dock.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tables.append(dock)
        dock.destroyed.connect(lambda _obj=None, d=dock: self.tables.remove(d) if d in self.tables else None)
        return table


RIGHT_DOCK_WIDTH = 380


def build_workspace() -> MainWindow:
    """Create the main window with every dock and tool attached."""
    window = MainWindow()
    window.workspace = Workspace(window)
    # the first-run layout (a saved one replaces it): the right-hand column wide enough for the case panel
    # and the inspector's photos without a horizontal scroll bar
    window.resizeDocks([window.inspector_dock], [RIGHT_DOCK_WIDTH], Qt.Orientation.Horizontal)
    window.first_tabs = [window.layers_dock, window.inspector_dock]
    return window
