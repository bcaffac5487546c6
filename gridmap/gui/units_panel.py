"""Responsible units: the list, create/edit/retire/delete, and setting them on components."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.domain.responsibility import UNIT_KINDS, check_unit_code
from gridmap.gui.messages import translate
from gridmap.store import queries, reference
from gridmap.store import responsibility as resp


def tr(text: str) -> str:
    return QCoreApplication.translate("UnitsPanel", text)


def role_labels() -> dict[str, str]:
    return {"maintainer": tr("Maintainer unit"), "owner": tr("Owner unit"), "competent": tr("Competent unit")}


class UnitDialog(QDialog):
    """Create or edit a unit; the code is checked as the user types."""

    def __init__(self, parent=None, unit: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Responsible unit"))
        self.code = QLineEdit(unit["code"] if unit else "", self)
        self.code.setReadOnly(unit is not None)
        self.name = QLineEdit(unit["name"] if unit else "", self)
        self.kind = QComboBox(self)
        self.kind.addItems(UNIT_KINDS)
        if unit:
            self.kind.setCurrentText(unit["kind"])
        self.contact = QLineEdit((unit or {}).get("contact") or "", self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #c62828")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Code (credit code or local code)"), self.code)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Contact"), self.contact)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.code.textChanged.connect(self._check)
        self.name.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        message = ""
        try:
            check_unit_code(self.code.text().strip())
        except GridmapError as exc:
            message = translate(str(exc))
        if not message and not self.name.text().strip():
            message = tr("A unit needs a name.")
        self.problem.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not message)


class UnitsPanel(QWidget):
    """Emits ``changed`` after any unit or assignment change."""

    changed = pyqtSignal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("units_panel")
        self.session = session
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("units_table")
        self.table.setHorizontalHeaderLabels([tr("Name"), tr("Code"), tr("Kind"), tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("new", tr("New..."), self.new_unit), ("edit", tr("Edit..."), self.edit_unit),
                                ("retire", tr("Retire / merge..."), self.retire_unit),
                                ("delete", tr("Delete"), self.delete_unit)):
            button = QPushButton(text, self)
            button.setObjectName(f"unit_{key}_button")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button

        assign = QGroupBox(tr("Set on components"), self)
        self.role = QComboBox(assign)
        for role, label in role_labels().items():
            self.role.addItem(label, role)
        self.unit = QComboBox(assign)
        self.unit.setObjectName("assign_unit")
        self.by_selection = QRadioButton(tr("Components selected on the map"), assign)
        self.by_class = QRadioButton(tr("All components of a class"), assign)
        self.by_class.setChecked(True)
        self.component_class = QComboBox(assign)
        self.area = QComboBox(assign)
        self.apply = QPushButton(tr("Apply"), assign)
        self.apply.setObjectName("assign_apply")
        self.apply.clicked.connect(self.apply_assignment)
        self.result = QLabel(assign)
        form = QFormLayout(assign)
        form.addRow(tr("Role"), self.role)
        form.addRow(tr("Unit"), self.unit)
        form.addRow(self.by_selection)
        form.addRow(self.by_class, self.component_class)
        form.addRow(tr("Within"), self.area)
        form.addRow(self.apply, self.result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(assign)

    def load(self) -> None:
        store = self.session.store
        if store is None:
            return
        units = resp.list_units(store, include_retired=True)
        self.units = {u["code"]: u for u in units}
        self.table.setRowCount(len(units))
        for k, unit in enumerate(units):
            status = tr("retired → {0}").format(unit["successor_code"]) if unit["retired_at"] else tr("active")
            for column, value in enumerate((unit["name"], unit["code"], unit["kind"], status)):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, unit["code"])
                self.table.setItem(k, column, item)
        self.unit.clear()
        for unit in units:
            if not unit["retired_at"]:
                self.unit.addItem(f"{unit['name']} ({unit['code']})", unit["code"])
        self.component_class.clear()
        for code, _major, _major_name, name in reference.classes_in_use(store):
            self.component_class.addItem(f"{code} {name}", code)
        self.area.clear()
        self.area.addItem(tr("the whole district"), None)
        for code, name in queries.names(store, "responsibility_grid").items():
            self.area.addItem(f"{name} ({code})", ("responsibility_grid", code))
        for code, name in queries.names(store, "community").items():
            self.area.addItem(f"{name} ({code})", ("community", code))

    def current_code(self) -> str | None:
        row = self.table.currentRow()
        return self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) if row >= 0 else None

    def _run(self, action) -> bool:
        try:
            action()
        except GridmapError as exc:
            QMessageBox.warning(self, tr("Responsible units"), translate(str(exc)))
            return False
        self.load()
        self.changed.emit()
        return True

    def new_unit(self) -> None:
        dialog = UnitDialog(self)
        if dialog.exec():
            self._run(lambda: resp.create_unit(self.session.store, dialog.code.text().strip(), dialog.name.text(),
                                               dialog.kind.currentText(), dialog.contact.text()))

    def edit_unit(self) -> None:
        code = self.current_code()
        if code is None:
            return
        dialog = UnitDialog(self, self.units[code])
        if dialog.exec():
            self._run(lambda: resp.update_unit(self.session.store, code, name=dialog.name.text(),
                                               kind=dialog.kind.currentText(), contact=dialog.contact.text()))

    def retire_unit(self) -> None:
        code = self.current_code()
        if code is None:
            return
        choices = [f"{u['name']} ({c})" for c, u in self.units.items() if c != code and not u["retired_at"]]
        choice, ok = QInputDialog.getItem(self, tr("Retire or merge"), tr("Its components, routing and open cases "
                                                                            "pass to:"), choices, 0, False)
        if ok:
            successor = choice.rsplit("(", 1)[1].rstrip(")")
            self._run(lambda: resp.retire_unit(self.session.store, code, successor))

    def delete_unit(self) -> None:
        code = self.current_code()
        if code is not None:
            self._run(lambda: resp.delete_unit(self.session.store, code))

    def apply_assignment(self) -> int:
        """Set the chosen role's unit on the chosen components; return how many changed."""
        session = self.session
        scope = resp.ComponentScope()
        if self.by_selection.isChecked():
            for key in ("component_point", "component_line", "component_polygon"):
                layer = session.layer(key)
                if layer is not None and layer.selectedFeatureCount():
                    scope.ids[key] = list(layer.selectedFeatureIds())
            if not scope.ids:
                self.result.setText(tr("Select components on the map first."))
                return 0
        else:
            scope.class_code = self.component_class.currentData()
            area = self.area.currentData()
            if area:
                scope.area_kind, scope.area_code = area
        try:
            count = resp.assign_component_units(session.store, self.role.currentData(), self.unit.currentData(), scope)
        except GridmapError as exc:
            self.result.setText(translate(str(exc)))
            return 0
        self.result.setText(tr("{0} component(s) changed.").format(count))
        session.reload_layers(["component_point", "component_line", "component_polygon"])
        self.changed.emit()
        return count
