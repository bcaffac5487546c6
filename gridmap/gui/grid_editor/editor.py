"""The grid editor controller: a draft plan of responsibility grids painted on the map, and boundary
edits of unit grids. The tools translate mouse events; this object applies the rules, keeps the
undo stack, redraws only what changed, and writes to the store. Its scenario and boundary edit
actions are in editor_actions."""

from __future__ import annotations

import time

import shapely
from qgis.core import QgsProject
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import (
    QAction,
    QInputDialog,
    QMessageBox,
    QUndoStack,
)

from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import DEFAULT_TOLERANCE, MoveRefused
from gridmap.gui.grid_editor.boundary_draft import BoundaryDraft
from gridmap.gui.grid_editor.commands import PaintStroke
from gridmap.gui.grid_editor.draft_layer import DraftLayer, EditedUnitsLayer
from gridmap.gui.grid_editor.editor_actions import BalanceActions, BoundaryActions, ScenarioActions
from gridmap.gui.grid_editor.paint_tool import PaintTool, UnitGridFinder
from gridmap.gui.grid_editor.stats_panel import GridStatsPanel
from gridmap.gui.grid_editor.topology_tools import (
    ProblemHighlight,
    SplitTool,
    UnitChoice,
    UnitSelectTool,
    VertexEdgeTool,
)
from gridmap.gui.messages import translate
from gridmap.store import grids
from gridmap.store.queries import geometries
from gridmap.store.responsibility import supervisor_names


def tr(text: str) -> str:
    return QCoreApplication.translate("GridEditor", text)


class GridEditor(ScenarioActions, BalanceActions, BoundaryActions, QObject):
    """Owned by the main window; active while the planner edits responsibility grids."""

    message = pyqtSignal(str)
    step_done = pyqtSignal(float)  # seconds the last paint step took (move, dissolve, totals, redraw)
    changed = pyqtSignal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.plan = None
        self.draft: DraftLayer | None = None
        self.boundary: BoundaryDraft | None = None
        self.edited: EditedUnitsLayer | None = None
        self.finder: UnitGridFinder | None = None
        self.target: str | None = None
        self.tolerance = DEFAULT_TOLERANCE
        self.undo_stack = QUndoStack(self)
        self._stroke: list = []
        self.panel = GridStatsPanel()
        # no scroll area: the table shrinks and scrolls itself, the buttons stay in view (a scroll area
        # sized the panel to the table's preferred height and pushed the buttons below the dock)
        self.dock = window.add_dock("grid_editor_dock", tr("Responsibility grids"), self.panel,
                                    Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.inspector_dock, self.dock)
        self.dock.hide()
        self.highlight = ProblemHighlight(window.canvas)
        self.paint_tool = PaintTool(window.canvas, UnitGridFinder({}))
        self.vertex_tool = VertexEdgeTool(window.canvas, self._polygons_near)
        self.split_tool = SplitTool(window.canvas)
        self.select_tool = UnitSelectTool(window.canvas, lambda: self.finder)
        self.choice = UnitChoice(window.canvas)
        self._build_actions()
        self._connect()

    # --- wiring -------------------------------------------------------------------

    def _build_actions(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu(tr("&Grids"))
        # the editing tools get a row of their own, shown while editing: on the map tool bar's row
        # they ran past the window's edge ("Merge" behind ») in English at 1920 px
        w.addToolBarBreak()
        self.toolbar = w.addToolBar(tr("Grid editor"))
        self.toolbar.setObjectName("grid_editor_toolbar")
        self.action_edit = QAction(tr("Edit responsibility grids"), w, checkable=True)
        self.action_edit.toggled.connect(self._toggle)
        self.action_paint = w.tool_action(tr("Paint unit grids"), self.paint_tool, "B")
        self.action_vertex = w.tool_action(tr("Move vertex or edge"), self.vertex_tool, "V")
        self.action_split = w.tool_action(tr("Split unit grid"), self.split_tool, "S")
        self.action_select = w.tool_action(tr("Select unit grids"), self.select_tool, "G")
        for action in (self.action_paint, self.action_vertex, self.action_split, self.action_select):
            w.toolbar.removeAction(action)
        self.action_merge = QAction(tr("Merge selected unit grids"), w)
        self.action_merge.triggered.connect(self.merge_selected)
        self.action_balance = QAction(tr("Propose balanced plan..."), w)
        self.action_balance.triggered.connect(self.balance_dialog)
        self.action_undo = self.undo_stack.createUndoAction(w, tr("Undo"))
        self.action_undo.setShortcut("Ctrl+Z")
        self.action_redo = self.undo_stack.createRedoAction(w, tr("Redo"))
        # both conventions: Ctrl+Shift+Z (GNOME, macOS) and Ctrl+Y (Windows, WPS, most Chinese desktops)
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.action_edit, self.action_paint, self.action_undo, self.action_redo,
                       self.action_balance, None, self.action_vertex, self.action_split, self.action_select,
                       self.action_merge):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
                # the edit action is on the map tool bar; the proposal is a button of the statistics dock
                if action not in (self.action_edit, self.action_balance):
                    self.toolbar.addAction(action)
        w.toolbar.addSeparator()
        w.toolbar.addAction(self.action_edit)
        self._set_editing_actions(False)

    def _editing_actions(self) -> list:
        return [self.action_paint, self.action_undo, self.action_redo, self.action_vertex, self.action_split,
                self.action_select, self.action_merge, self.action_balance]

    def _set_editing_actions(self, on: bool) -> None:
        """The editing tools work on the draft only: outside an edit session they are disabled."""
        self.toolbar.setVisible(on)
        for action in self._editing_actions():
            action.setEnabled(on)
        if on:
            self.action_undo.setEnabled(self.undo_stack.canUndo())
            self.action_redo.setEnabled(self.undo_stack.canRedo())

    def _connect(self) -> None:
        self.paint_tool.stroke_started.connect(self._stroke_started)
        self.paint_tool.unit_entered.connect(self.paint)
        self.paint_tool.stroke_finished.connect(self._stroke_finished)
        self.vertex_tool.edit_requested.connect(lambda moves: self.edit_boundaries(
            lambda draft: draft.vertex_edit(moves)))
        self.select_tool.unit_clicked.connect(self.choose_unit)
        self.split_tool.line_drawn.connect(self.split_along)
        self.panel.target_changed.connect(self.set_target)
        self.panel.lock_toggled.connect(self.set_locked)
        self.panel.tolerance_changed.connect(self._tolerance_changed)
        buttons = self.panel.buttons
        buttons["undo"].clicked.connect(self.undo_stack.undo)
        buttons["redo"].clicked.connect(self.undo_stack.redo)
        buttons["save"].clicked.connect(self.save_scenario_dialog)
        buttons["open"].clicked.connect(self.open_scenario_dialog)
        buttons["compare"].clicked.connect(self.compare_dialog)
        buttons["discard"].clicked.connect(self.discard)
        buttons["export"].clicked.connect(self.export_dialog)
        buttons["commit"].clicked.connect(self.commit_dialog)
        buttons["balance"].clicked.connect(self.balance_dialog)
        self.message.connect(self.panel.message.setText)
        self.message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
        self.window.store_opened.connect(lambda _store: self.stop(force=True))
        self.window.close_guards.append(self.stop)

    # --- editing responsibility grids ---------------------------------------------

    def _toggle(self, on: bool) -> None:
        if on and self.plan is None:
            self.start()
        elif not on and self.plan is not None and not self.stop():
            self.action_edit.setChecked(True)

    def start(self, district: str | None = None) -> None:
        """Load the current plan and show it as an editable draft. In a city of several districts the
        planner edits one district's plan: ``district``, or the one asked for (the district at the map's
        centre offered first)."""
        store = self.window.store
        if store is None:
            return
        if district is None:
            district = self.choose_district()
            if district == "":
                self.action_edit.setChecked(False)
                return
        try:
            plan = grids.load_plan(store, district=district)
        except GridmapError as exc:  # e.g. a district with no current unit grids
            QMessageBox.warning(self.window, tr("Edit responsibility grids"), translate(str(exc)))
            self.action_edit.setChecked(False)
            return
        self.plan = plan
        self.finder = UnitGridFinder(self.plan.polygons)
        self.paint_tool.finder = self.finder
        self.draft = DraftLayer(self.plan, store.srid, supervisor_names(store))
        rows, polygons = geometries(store, "community", ["code"])
        self.boundary = BoundaryDraft(self.plan, {r[0]: p for r, p in zip(rows, polygons, strict=True)})
        self.edited = EditedUnitsLayer(self.boundary, store.srid)
        project = QgsProject.instance()
        project.addMapLayer(self.draft.layer, False)
        project.addMapLayer(self.edited.layer, False)
        resp = self.window.layer("responsibility_grid")
        group = project.layerTreeRoot().findLayer(resp.id()).parent()
        group.insertLayer(0, self.draft.layer)
        group.insertLayer(0, self.edited.layer)
        project.layerTreeRoot().findLayer(resp.id()).setItemVisibilityChecked(False)
        # a planner looks at units and grids: components and incidents step aside while editing
        self._hidden = []
        for key in ("incident", "component_point", "component_line", "component_polygon"):
            node = project.layerTreeRoot().findLayer(self.window.layer(key).id())
            if node is not None and node.isVisible():
                node.setItemVisibilityChecked(False)
                self._hidden.append(key)
        self.undo_stack.clear()
        self.panel.show_rows(self.plan.rows(self.tolerance))
        self.dock.show()
        self.dock.raise_()
        # wide enough for every workload column and button, as long as the map keeps most of the window
        width = min(self.panel.needed_width() + 8, max(self.window.width() * 40 // 100, 380))
        self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
        self._set_editing_actions(True)
        self.action_edit.setChecked(True)
        self.window.canvas.setMapTool(self.paint_tool)
        self.message.emit(tr("Choose a target grid in the table, then click or drag across unit grids."))

    def choose_district(self) -> str | None:
        """The district to edit: None when the store has one, "" when the planner cancels."""
        found = grids.districts(self.window.store)
        if len(found) < 2:
            return None
        rows, polygons = geometries(self.window.store, "district", ["code"])
        centre = self.window.canvas.extent().center()
        here = shapely.Point(centre.x(), centre.y())
        inside = [r[0] for r, p in zip(rows, polygons, strict=True) if p is not None and p.contains(here)]
        labels = [f"{name} ({code})" for code, name in found]
        first = next((k for k, (code, _) in enumerate(found) if code in inside), 0)
        label, ok = QInputDialog.getItem(self.window, tr("Edit responsibility grids"),
                                         tr("This store holds {0} districts. Edit the plan of:").format(len(found)),
                                         labels, first, False)
        return found[labels.index(label)][0] if ok else ""

    def stop(self, force: bool = False) -> bool:
        """Leave plan editing; with a draft not committed, ask first (unless ``force``). False if the user stays."""
        if self.plan is None:
            return True
        if self.dirty and not force and not self._may_leave():
            return False
        for owner in (self.draft, self.edited):
            if owner is not None and not sip.isdeleted(owner.layer) \
                    and QgsProject.instance().mapLayer(owner.layer.id()):
                QgsProject.instance().removeMapLayer(owner.layer.id())
        for key in ["responsibility_grid", *getattr(self, "_hidden", [])]:
            layer = self.window.layer(key)
            alive = layer is not None and not sip.isdeleted(layer)
            node = QgsProject.instance().layerTreeRoot().findLayer(layer.id()) if alive else None
            if node is not None:
                node.setItemVisibilityChecked(True)
        self._hidden = []
        self.plan = self.draft = self.boundary = self.edited = None
        self.target = None
        self.undo_stack.clear()
        self.dock.hide()
        self.highlight.clear()
        self.choice.clear()
        self._set_editing_actions(False)
        self.action_edit.blockSignals(True)
        self.action_edit.setChecked(False)
        self.action_edit.blockSignals(False)
        tool = self.window.canvas.mapTool()
        if tool in (self.paint_tool, self.vertex_tool, self.split_tool, self.select_tool):
            self.window.canvas.unsetMapTool(tool)
        return True

    def _may_leave(self) -> bool:
        """Ask what becomes of a draft with changes: save it as a scenario, discard it, or stay."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Leave the grid editor"),
                          tr("The draft has changes that are not committed."), QMessageBox.StandardButton.NoButton,
                          self.window)
        box.setObjectName("leave_grid_editor")
        pending = self.boundary is not None and bool(self.boundary.pending)
        save = box.addButton(tr("Save as scenario..."), QMessageBox.ButtonRole.AcceptRole)
        save.setEnabled(not pending)  # a scenario keeps moves between grids only
        if pending:
            box.setInformativeText(tr("Boundary edits cannot be kept in a scenario: commit them or they are lost."))
        discard = box.addButton(tr("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is discard:
            return True
        if clicked is save:
            name, ok = QInputDialog.getText(self.window, tr("Save scenario"), tr("Name of the scenario:"))
            if not ok or not name.strip():
                return False
            try:
                self.save_scenario(name)
            except GridmapError as exc:
                QMessageBox.warning(self.window, tr("Save scenario"), translate(str(exc)))
                return False
            return True
        return False

    def set_target(self, code: str) -> None:
        self.target = code

    def set_locked(self, code: str, locked: bool) -> None:
        if self.plan is None:
            return
        try:
            grids.set_locked(self.window.store, code, locked)
        except GridmapError as exc:
            self.message.emit(translate(str(exc)))
            return
        self.plan.set_locked(code, locked)
        self.panel.show_rows(self.plan.rows(self.tolerance))

    def _tolerance_changed(self, value: float) -> None:
        self.tolerance = value
        if self.plan is not None:
            self.panel.show_rows(self.plan.rows(self.tolerance))

    def _stroke_started(self) -> None:
        self._stroke = []

    def paint(self, unit: str) -> bool:
        """Move ``unit`` into the target grid; True if it moved. Refusals go to the message line."""
        if self.plan is None:
            return False
        if self.target is None:
            self.message.emit(tr("Choose a target grid in the table first."))
            return False
        start = time.perf_counter()
        try:
            move = self.plan.move([unit], self.target)
        except MoveRefused as exc:
            # the unit that was refused, in red on the map, and why in the interface language
            self.highlight.show(self.plan.polygons[unit].boundary if unit in self.plan.polygons else None)
            self.message.emit(tr("Refused: {0}").format(translate(str(exc))))
            return False
        if not move.units:
            return False
        self.highlight.clear()
        self._stroke.append(move)
        self.after_change({self.target} | {prev for _, prev in move.units})
        self.step_done.emit(time.perf_counter() - start)
        return True

    def _stroke_finished(self) -> None:
        if self._stroke:
            self.undo_stack.push(PaintStroke(self, self._stroke))
            self._stroke = []

    def after_change(self, grids_touched) -> None:
        """Redraw the grids a change touched and update the totals."""
        if self.draft is not None:
            self.draft.refresh(grids_touched)
        self.panel.show_rows(self.plan.rows(self.tolerance))
        self.changed.emit()

    def discard(self) -> None:
        if self.plan is None:
            return
        if self.boundary is not None and self.boundary.pending:
            district = self.plan.district
            self.stop(force=True)
            self.start(district)
            self.message.emit(tr("Draft discarded."))
            return
        for unit, grid in self.plan.base.items():
            self.plan._set(unit, grid)
        self.undo_stack.clear()
        self.draft.refresh_all()
        self.panel.show_rows(self.plan.rows(self.tolerance))
        self.message.emit(tr("Draft discarded."))

    def commit(self, note: str) -> int:
        """Write the draft as a new version: boundary edits first, in order, then the moves.

        Returns the number of unit grids moved between responsibility grids.
        """
        store = self.window.store
        if self.boundary is None or not self.boundary.pending:
            count = grids.commit_plan(store, self.plan, note)
            self.undo_stack.clear()
            self.window.reload_layers(["unit_grid", "responsibility_grid"])
            self.message.emit(tr("Committed: {0} unit grid(s) moved.").format(count))
            return count
        edits = len(self.boundary.pending)
        try:
            rename = self.boundary.write(store)
        finally:
            self.window.reload_layers(["unit_grid", "responsibility_grid", "component_point", "component_line",
                                       "component_polygon", "incident"])
        district = self.plan.district
        fresh = grids.load_plan(store, district=district)
        grids.apply_scenario(fresh, {rename.get(k, k): g for k, g in self.plan.assignment.items()})
        count = grids.commit_plan(store, fresh, note)
        self.window.reload_layers(["unit_grid", "responsibility_grid"])
        self.stop(force=True)
        self.start(district)
        self.message.emit(tr("Committed: {0} boundary edit(s), {1} unit grid(s) moved.").format(edits, count))
        return count

    @property
    def dirty(self) -> bool:
        """Whether the draft differs from the store: moves between grids or boundary edits."""
        return self.plan is not None and (self.plan.dirty or bool(self.boundary and self.boundary.pending))

    def commit_dialog(self) -> None:
        if not self.dirty:
            self.message.emit(tr("Nothing to commit."))
            return
        edits = len(self.boundary.pending) if self.boundary else 0
        question = tr("{0} unit grid(s) change. Why (for the audit log)?").format(len(self.plan.changes()))
        if edits:
            question = tr("{0} boundary edit(s) and {1} unit grid move(s). Why (for the audit log)?").format(
                edits, len([c for c in self.plan.changes() if c[1]]))
        note, ok = QInputDialog.getText(self.window, tr("Commit the plan"), question)
        if ok:
            try:
                self.commit(note)
            except grids.PlanOutdatedError as exc:
                self.outdated_dialog(exc)
            except GridmapError as exc:
                QMessageBox.warning(self.window, tr("Commit refused"), translate(str(exc)))
