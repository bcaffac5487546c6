"""The component editor: the register's components edited on the map in an edit session.

QGIS's own machinery does the editing: the three component layers are put in edit mode, new components
are captured with QgsMapToolDigitizeFeature (snapping as the project's snapping settings say), moves and
reshapes go into the layers' edit buffers as undo commands, attributes are changed in QGIS's attribute form,
a retirement is a deletion in the buffer. Nothing reaches the store until Save: then the buffers are read
and handed to gridmap.store.register.commit, which allocates the codes, keeps every previous version and
writes the audit log in one transaction; the buffers are then dropped and the layers re-read from the store.
A refused save keeps the buffers as they were, to correct and save again.
"""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsProject,
    QgsSnappingConfig,
    QgsTolerance,
)
from qgis.gui import (
    QgsAdvancedDigitizingDockWidget,
    QgsAttributeDialog,
    QgsGui,
    QgsMapToolCapture,
    QgsMapToolDigitizeFeature,
)
from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import QAction, QComboBox, QInputDialog, QMessageBox, QToolBar, QUndoGroup

from gridmap.domain.components import IN_USE
from gridmap.domain.errors import GridmapError
from gridmap.domain.register import EDITABLE_FIELDS
from gridmap.gui.messages import translate
from gridmap.gui.register.form import plain, setup_edit_form
from gridmap.gui.register.tools import MoveTool
from gridmap.store import inspect, register
from gridmap.store.schema import COMPONENT_TABLES

_CAPTURE = {"point": QgsMapToolCapture.CapturePoint, "line": QgsMapToolCapture.CaptureLine,
            "polygon": QgsMapToolCapture.CapturePolygon}


def tr(text: str) -> str:
    return QCoreApplication.translate("ComponentEditor", text)


#: what a new component's code field shows until the save allocates its code
NEW_CODE = "…"


def _snapping_types():
    """Vertex and segment snapping, in the spelling of this QGIS (Qgis.SnappingType from 3.26)."""
    from qgis.core import Qgis  # noqa: PLC0415

    if hasattr(Qgis, "SnappingType"):
        return Qgis.SnappingType.Vertex | Qgis.SnappingType.Segment
    return QgsSnappingConfig.VertexFlag | QgsSnappingConfig.SegmentFlag


class ComponentEditor(QObject):
    """Owns the edit session of the component layers of a Session. ``saved(codes)`` after a save with the
    new components' codes by (layer key, buffer id); ``message(text)`` for the status bar."""

    saved = pyqtSignal(dict)
    message = pyqtSignal(str)
    editing_changed = pyqtSignal(bool)

    def __init__(self, session, parent_widget, may=None):
        super().__init__(parent_widget)
        self.session = session
        self.parent_widget = parent_widget
        self.may = may or (lambda _action: True)
        self.editing = False
        #: open each new component's form after it is drawn (tests fill the form themselves)
        self.open_forms = True
        self.form: QgsAttributeDialog | None = None
        self.retire_reasons: dict[tuple[str, int], str] = {}
        self.undo_group = QUndoGroup(self)
        canvas = session.canvas
        # the attribute form's widgets (text, value map, date...): QGIS desktop registers them at start,
        # a standalone app must do it itself, once
        registry = QgsGui.editorWidgetRegistry()
        if "TextEdit" not in registry.factories():
            registry.initEditors(canvas)
        self._parent_widget = parent_widget
        self.cad = None
        self.add_tools = {}  # made at the first add (_capture_tools): the digitizing panel paints on the canvas
        self.move_tool = MoveTool(canvas, self.editing_layers)
        self.move_tool.geometry_edited.connect(self.change_geometry)
        self.move_tool.picked.connect(self.pick)
        self.move_tool.form_requested.connect(self.open_form)
        self.class_box = QComboBox(parent_widget)
        self.class_box.setObjectName("component_class_to_add")
        self.class_box.setToolTip(tr("The class of the components you add"))
        self.class_box.currentIndexChanged.connect(self._class_changed)
        self._build_actions(parent_widget)
        session.store_opened.connect(lambda _store: self.stop(force=True))

    # --- actions -----------------------------------------------------------------------

    def _build_actions(self, parent) -> None:
        self.action_edit = QAction(tr("Edit components"), parent, checkable=True)
        self.action_edit.toggled.connect(self._toggle)
        self.action_add = QAction(tr("Add component"), parent, checkable=True)
        self.action_add.setShortcut(QKeySequence("Ctrl+."))
        self.action_add.triggered.connect(self.use_add_tool)
        self.action_move = QAction(tr("Move or reshape component"), parent, checkable=True)
        self.action_move.setShortcut(QKeySequence("M"))
        self.action_move.triggered.connect(lambda: self.session.canvas.setMapTool(self.move_tool))
        self.move_tool.setAction(self.action_move)
        self.action_form = QAction(tr("Edit attributes of the selected component..."), parent)
        self.action_form.triggered.connect(self.open_selected_form)
        self.action_retire = QAction(tr("Retire selected components..."), parent)
        self.action_retire.triggered.connect(self.retire_selected_dialog)
        self.action_save = QAction(tr("Save component edits"), parent)
        self.action_save.setShortcut(QKeySequence("Ctrl+S"))
        self.action_save.triggered.connect(self.save_dialog)
        self.action_undo = self.undo_group.createUndoAction(parent, tr("Undo"))
        self.action_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.action_redo = self.undo_group.createRedoAction(parent, tr("Redo"))
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.toolbar = QToolBar(tr("Component editor"), parent)
        self.toolbar.setObjectName("component_editor_toolbar")
        self.toolbar.addWidget(self.class_box)
        for action in self.editing_actions():
            self.toolbar.addAction(action)
        self._set_editing_actions(False)

    def editing_actions(self) -> list:
        return [self.action_add, self.action_move, self.action_form, self.action_retire, self.action_undo,
                self.action_redo, self.action_save]

    def _set_editing_actions(self, on: bool) -> None:
        self.toolbar.setVisible(on)
        self.class_box.setEnabled(on)
        for action in (self.action_add, self.action_move, self.action_form, self.action_retire, self.action_save):
            action.setEnabled(on)

    def _toggle(self, on: bool) -> None:
        if on and not self.editing:
            if not self.start():
                self.action_edit.setChecked(False)
        elif not on and self.editing and not self.stop():
            self.action_edit.setChecked(True)

    # --- the session -----------------------------------------------------------------------

    def layers(self) -> dict[str, object]:
        """The component layers by kind (point, line, polygon)."""
        out = {}
        for kind, table in COMPONENT_TABLES.items():
            layer = self.session.layer(table)
            if layer is not None:
                out[kind] = layer
        return out

    def editing_layers(self) -> list:
        """The layers being edited, points first (the move tool takes the topmost component)."""
        return [layer for layer in self.layers().values() if layer.isEditable()] if self.editing else []

    def start(self) -> bool:
        """Put the component layers in edit mode; False (with a message) when the store is missing or the
        signed-in person may not maintain the register."""
        store = self.session.store
        if store is None:
            return False
        if not self.may("maintain"):
            self.message.emit(tr("Your role may not maintain the register."))
            return False
        names = inspect.code_names(store)["unit"]
        active = {code: name for code, name in names.items() if code in register.active_units(store)}
        for layer in self.layers().values():
            setup_edit_form(layer, active)
            if not layer.startEditing():
                for started in self.layers().values():
                    started.rollBack()
                self.message.emit(tr("QGIS cannot edit the component layers of this store."))
                return False
            self.undo_group.addStack(layer.undoStack())
        self._load_classes(store)
        self._configure_snapping()
        self.retire_reasons.clear()
        self.editing = True
        self._set_editing_actions(True)
        self.action_edit.blockSignals(True)
        self.action_edit.setChecked(True)
        self.action_edit.blockSignals(False)
        self.session.canvas.setMapTool(self.move_tool)
        self.editing_changed.emit(True)
        self.message.emit(tr("Editing components: add, move or reshape them, change their attributes, retire "
                             "them; nothing is written until you save."))
        return True

    def _load_classes(self, store) -> None:
        self.class_box.blockSignals(True)
        self.class_box.clear()
        for code, name, kind in register.classes(store):
            self.class_box.addItem(f"{code} {name}", (code, kind))
        self.class_box.blockSignals(False)

    def _configure_snapping(self) -> None:
        config = QgsSnappingConfig(QgsProject.instance())
        config.setEnabled(True)
        config.setMode(QgsSnappingConfig.AllLayers)
        config.setTypeFlag(_snapping_types())
        config.setTolerance(10)
        config.setUnits(QgsTolerance.Pixels)
        QgsProject.instance().setSnappingConfig(config)
        self.session.canvas.snappingUtils().setConfig(config)

    @property
    def dirty(self) -> bool:
        """True when an edit buffer holds changes not saved."""
        return any(layer.isModified() for layer in self.editing_layers())

    def stop(self, force: bool = False) -> bool:
        """Leave the edit session; unsaved changes are asked about (save, discard, stay) unless ``force``
        discards them. False when the user stays."""
        if not self.editing:
            return True
        if self.dirty and not force:
            choice = QMessageBox.question(
                self.parent_widget, tr("Component edits"), tr("Save the component edits before leaving?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if choice == QMessageBox.StandardButton.Cancel:
                return False
            if choice == QMessageBox.StandardButton.Save and not self.save_dialog():
                return False
        for layer in self.layers().values():
            self.undo_group.removeStack(layer.undoStack())
            if layer.isEditable():
                layer.rollBack()
        self._close_form()
        self.editing = False
        self.retire_reasons.clear()
        self._set_editing_actions(False)
        self.action_edit.blockSignals(True)
        self.action_edit.setChecked(False)
        self.action_edit.blockSignals(False)
        canvas = self.session.canvas
        if canvas.mapTool() in (self.move_tool, *self.add_tools.values()):
            canvas.unsetMapTool(canvas.mapTool())
        self.editing_changed.emit(False)
        return True

    # --- edits (into the buffers) ----------------------------------------------------------

    def chosen_class(self) -> tuple[str, str] | None:
        """(class code, kind) chosen for new components."""
        return self.class_box.currentData()

    def choose_class(self, code: str) -> None:
        index = next((k for k in range(self.class_box.count()) if self.class_box.itemData(k)[0] == code), -1)
        self.class_box.setCurrentIndex(index)

    def _class_changed(self) -> None:
        if self.session.canvas.mapTool() in self.add_tools.values():
            self.use_add_tool()

    def _capture_tools(self) -> dict:
        """The capture tools, made once, when first needed: they need an advanced digitizing panel, whose item
        paints on the canvas from then on. Inside QGIS desktop QGIS's own panel serves (a second one on its
        canvas crashed QGIS)."""
        if not self.add_tools:
            canvas = self.session.canvas
            self.cad = getattr(self._parent_widget, "cad_dock", None)
            if self.cad is None:
                self.cad = QgsAdvancedDigitizingDockWidget(canvas, self._parent_widget)
                self.cad.hide()
            for kind, mode in _CAPTURE.items():
                tool = QgsMapToolDigitizeFeature(canvas, self.cad, mode)
                tool.digitizingCompleted.connect(lambda feature, k=kind: self.add(k, feature.geometry()))
                self.add_tools[kind] = tool
        return self.add_tools

    def add_tool(self):
        """The capture tool for the kind of the chosen class, set on its layer."""
        chosen = self.chosen_class()
        if chosen is None:
            return None
        tool = self._capture_tools()[chosen[1]]
        tool.setLayer(self.layers()[chosen[1]])
        return tool

    def use_add_tool(self) -> None:
        tool = self.add_tool()
        if tool is not None:
            tool.setAction(self.action_add)
            self.session.canvas.setMapTool(tool)
            self.message.emit(tr("Click the new component's place (a line or polygon: click its vertices, "
                                 "right-click to finish)."))

    def add(self, kind: str, geometry) -> int | None:
        """Put a new component of the chosen class with ``geometry`` into its layer's buffer (one undo step)
        and open its form; return its buffer id."""
        chosen = self.chosen_class()
        if chosen is None or chosen[1] != kind:
            return None
        layer = self.layers()[kind]
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        # the store allocates the code at save; the placeholder satisfies the form's not-null rule meanwhile
        feature["code"] = NEW_CODE
        feature["class_code"] = chosen[0]
        feature["state"] = "完好"
        feature["currency"] = IN_USE
        layer.beginEditCommand(tr("Add component"))
        ok = layer.addFeature(feature)
        layer.endEditCommand()
        if not ok:
            return None
        self.undo_group.setActiveStack(layer.undoStack())
        if self.open_forms:
            self.open_form(layer, feature.id())
        return feature.id()

    def change_geometry(self, layer, fid: int, geometry) -> None:
        """A move or reshape from the move tool, one undo step."""
        layer.beginEditCommand(tr("Move component"))
        layer.changeGeometry(fid, geometry)
        layer.endEditCommand()
        self.undo_group.setActiveStack(layer.undoStack())
        layer.triggerRepaint()

    def pick(self, layer, fid: int) -> None:
        for other in self.layers().values():
            if other is not layer:
                other.removeSelection()
        layer.selectByIds([fid])

    def open_form(self, layer, fid: int) -> QgsAttributeDialog | None:
        """QGIS's attribute form of a component in the buffer; its OK writes into the buffer."""
        feature = layer.getFeature(fid)
        if not feature.isValid():
            return None
        self._close_form()
        self.form = QgsAttributeDialog(layer, feature, False, self.parent_widget, True)
        self.form.setObjectName("component_form")
        self.form.accepted.connect(lambda: self.undo_group.setActiveStack(layer.undoStack()))
        self.form.show()
        return self.form

    def _close_form(self) -> None:
        if self.form is not None:
            self.form.reject()
            self.form.deleteLater()
            self.form = None

    def selected(self) -> list[tuple[object, int]]:
        return [(layer, fid) for layer in self.editing_layers() for fid in layer.selectedFeatureIds()]

    def open_selected_form(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            self.message.emit(tr("Select one component first (click it with the move tool)."))
            return
        self.open_form(*chosen[0])

    def retire(self, layer, fids, reason: str) -> None:
        """Retire components: deleted from the buffer, written as void (作废) with ``reason`` at save."""
        key = layer_key(self.session, layer)
        layer.beginEditCommand(tr("Retire component"))
        for fid in fids:
            if fid >= 0:
                self.retire_reasons[(key, fid)] = reason
        layer.deleteFeatures(list(fids))
        layer.endEditCommand()
        self.undo_group.setActiveStack(layer.undoStack())

    def retire_selected_dialog(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.message.emit(tr("Select the components to retire first."))
            return
        reason, ok = QInputDialog.getText(self.parent_widget, tr("Retire components"),
                                          tr("Why are these {0} components retired (作废)?").format(len(chosen)))
        if not ok:
            return
        if not reason.strip():
            QMessageBox.warning(self.parent_widget, tr("Retire components"), tr("A retirement needs a reason."))
            return
        by_layer: dict = {}
        for layer, fid in chosen:
            by_layer.setdefault(layer, []).append(fid)
        for layer, fids in by_layer.items():
            self.retire(layer, fids, reason.strip())

    # --- saving (one store transaction) ------------------------------------------------------

    def pending_edits(self) -> list[register.Edit]:
        """The edit buffers as the register's edits: adds, moves and reshapes, attribute changes, retirements."""
        edits = []
        for kind, layer in self.layers().items():
            buffer = layer.editBuffer() if layer.isEditable() else None
            if buffer is None:
                continue
            key = COMPONENT_TABLES[kind]
            names = layer.fields().names()
            deleted = {fid for fid in buffer.deletedFeatureIds() if fid >= 0}
            geometries = {fid: g for fid, g in buffer.changedGeometries().items() if fid >= 0 and fid not in deleted}
            attributes = {fid: a for fid, a in buffer.changedAttributeValues().items()
                          if fid >= 0 and fid not in deleted}
            codes = _stored_codes(layer, deleted | set(geometries) | set(attributes))
            for fid, feature in buffer.addedFeatures().items():
                values = {name: plain(feature[name]) for name in EDITABLE_FIELDS if name in names}
                edits.append(register.Edit("add", class_code=plain(feature["class_code"]),
                                           geometry=bytes(feature.geometry().asWkb()),
                                           values={k: v for k, v in values.items() if v is not None}, key=(key, fid)))
            for fid in sorted(set(geometries) | set(attributes)):
                if fid in geometries:
                    edits.append(register.Edit("geometry", code=codes[fid], geometry=bytes(geometries[fid].asWkb())))
                values = {names[index]: plain(value) for index, value in attributes.get(fid, {}).items()
                          if names[index] in EDITABLE_FIELDS}
                if values:
                    edits.append(register.Edit("set", code=codes[fid], values=values))
            for fid in sorted(deleted):
                edits.append(register.Edit("retire", code=codes[fid], reason=self.retire_reasons.get((key, fid))))
        return edits

    def save(self, reason: str | None = None) -> dict:
        """Write the buffers to the store in one transaction (register.commit), then re-read the layers and
        go on editing. Returns the new codes by (layer key, buffer id). Raises GridmapError (nothing written,
        the buffers kept) when the store refuses."""
        edits = self.pending_edits()
        if not edits:
            return {}
        codes = register.commit(self.session.store, edits, reason=reason)
        touched = []
        for kind, layer in self.layers().items():
            if layer.isModified():
                touched.append(COMPONENT_TABLES[kind])
            layer.rollBack()
            layer.startEditing()
        self.retire_reasons.clear()
        layers = self.session.store_layers
        new_classes = {edit.class_code for edit in edits if edit.change == "add"}
        for key in touched:
            if layers is not None and new_classes - {c[0] for c in layers.classes_of(key)}:
                layers.component_classes.pop(key, None)  # a class new to the layer gets its symbol
                self.session.restyle(key)
        self.session.reload_layers(touched)
        self.saved.emit(codes)
        self.message.emit(tr("Saved: {0} changes of the register.").format(len(edits)))
        return codes

    def save_dialog(self) -> bool:
        """Save with a reason asked for (optional); a refusal is shown, the edits stay to be corrected."""
        if not self.pending_edits():
            self.message.emit(tr("Nothing to save."))
            return True
        reason, ok = QInputDialog.getText(self.parent_widget, tr("Save component edits"),
                                          tr("Why (kept with the previous versions; optional):"))
        if not ok:
            return False
        try:
            self.save(reason.strip() or None)
        except GridmapError as exc:
            QMessageBox.warning(self.parent_widget, tr("Save component edits"), translate(str(exc)))
            return False
        return True


def layer_key(session, layer) -> str | None:
    """The store table a session layer shows (e.g. 'component_point')."""
    layers = session.store_layers.layers if session.store_layers else {}
    return next((key for key, known in layers.items() if known is layer), None)


def _stored_codes(layer, fids) -> dict[int, str]:
    """The codes of features as the store has them (the provider, not the buffer)."""
    if not fids:
        return {}
    request = QgsFeatureRequest().setFilterFids(sorted(fids))
    request.setSubsetOfAttributes(["code"], layer.fields())
    request.setFlags(QgsFeatureRequest.NoGeometry)
    return {feature.id(): feature["code"] for feature in layer.dataProvider().getFeatures(request)}
