"""The case panel: one case, its steps so far, and the next steps the workflow allows."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import ACTIONS, CLOSE_TYPES, allowed_actions
from gridmap.gui.inspector import show_photo, value_label
from gridmap.store import audit
from gridmap.store.cases import apply_step, steps
from gridmap.store.inspect import incident

PHOTO_WIDTH = 240  # fits the narrow Case dock without a horizontal scroll bar


def tr(text: str) -> str:
    return QCoreApplication.translate("CasePanel", text)


def action_label(action: str) -> str:
    return {"report": tr("Reported"), "register": tr("Register (立案)"), "reject": tr("Reject"),
            "dispatch": tr("Dispatch"), "handle": tr("Handling done"), "check": tr("Check passed"),
            "close": tr("Close"), "hold": tr("Hold"), "resume": tr("Resume"),
            "extend": tr("Extend deadline")}.get(action, action)


class CasePanel(QWidget):
    """Emits ``stepped(code, status)`` after a step was written."""

    stepped = pyqtSignal(str, str)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("case_panel")
        self.window = window
        self.code: str | None = None
        self.title = QLabel(tr("Choose a case in the notifications or on the map."), self)
        self.title.setWordWrap(True)
        self.photo = QLabel(self)  # the photo the supervisor sent with the report
        self.photo.setObjectName("case_photo")
        self.photo.setVisible(False)
        self.history = QTreeWidget(self)
        self.history.setHeaderLabels([tr("Step"), tr("When"), tr("Who"), tr("Note")])
        self.unit = QComboBox(self)  # long unit names must not widen the dock: they show in full in the list
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit.setMinimumContentsLength(12)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(tr("Reason (needed to dispatch elsewhere, to extend, to reject)"))
        self.close_type = QComboBox(self)
        for close_type in CLOSE_TYPES:
            self.close_type.addItem(value_label("close_type", close_type), close_type)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0.5, 200)
        self.hours.setValue(4)
        self.hours.setSuffix(tr(" working hours"))
        form = QFormLayout()
        form.addRow(tr("Dispatch to"), self.unit)
        form.addRow(tr("Reason"), self.reason)
        form.addRow(tr("Close type"), self.close_type)
        form.addRow(tr("Extension"), self.hours)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for k, action in enumerate([*ACTIONS, "rework"]):
            button = QPushButton(action_label(action) if action != "rework" else tr("Check failed: rework"), self)
            button.setObjectName(f"case_{action}")
            button.clicked.connect(lambda _checked=False, a=action: self.step(a))
            grid.addWidget(button, k // 2, k % 2)  # two columns: the panel fits the right-hand dock
            self.buttons[action] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.photo)
        layout.addWidget(self.history, 1)
        layout.addLayout(form)
        layout.addLayout(grid)
        self.show_case(None)

    def show_case(self, code: str | None) -> None:
        store = self.window.store
        self.code = code
        details = incident(store, code) if store is not None and code else None
        self.history.clear()
        self.photo.setVisible(False)
        if details is None:
            self.title.setText(tr("Choose a case in the notifications or on the map."))
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        fields = dict(details.rows)
        status = fields["status"]
        self.title.setText(f"{details.title} — {value_label('status', status)}\n{fields.get('deadline') or ''}\n"
                           f"{fields.get('description') or ''}".strip())
        show_photo(self.photo, details, width=PHOTO_WIDTH)
        for step in steps(store, code):
            QTreeWidgetItem(self.history, [action_label(step["action"]), (step["at"] or "").replace("T", " "),
                                           step["user"], step["note"] or ""])
        allowed = allowed_actions(status)
        for action, button in self.buttons.items():
            button.setEnabled((action if action != "rework" else "check") in allowed)
        self.unit.clear()
        suggested = store.conn.execute("SELECT responsible_unit_code FROM incident WHERE code = ?", (code,)
                                       ).fetchone()[0]
        for unit_code, name in store.conn.execute("SELECT code, name FROM responsible_unit WHERE retired_at IS "
                                                  "NULL ORDER BY name"):
            label = f"{name}{tr(' (suggested)') if unit_code == suggested else ''}"
            self.unit.addItem(label, unit_code)
        if suggested:
            self.unit.setCurrentIndex(self.unit.findData(suggested))

    def step(self, action: str) -> str | None:
        """Apply ``action`` (or 'rework', a failed check) to the shown case; return the new status."""
        if self.code is None:
            return None
        kwargs: dict = {"user": audit.current_user(), "reason": self.reason.text().strip() or None}
        if action == "dispatch":
            kwargs["unit"] = self.unit.currentData()
        elif action in ("check", "rework"):
            kwargs["passed"] = action == "check"
            action = "check"
        elif action == "close":
            kwargs["close_type"] = self.close_type.currentData()
        elif action == "extend":
            kwargs["hours"] = self.hours.value()
        try:
            status = apply_step(self.window.store, self.code, action, **kwargs)
        except GridmapError as exc:
            QMessageBox.warning(self, tr("Case"), str(exc))
            return None
        self.reason.clear()
        self.show_case(self.code)
        self.stepped.emit(self.code, status)
        return status
