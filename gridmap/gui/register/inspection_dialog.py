"""Recording an inspection of a component at the desk (巡查): what was found, a note, a photo, and a case opened
on the component in the same step when it is not 完好 (gridmap.store.inspections.record_inspection)."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from gridmap.domain.calendar import city_now
from gridmap.domain.components import INSPECTION_CONDITIONS, INTACT
from gridmap.domain.errors import GridmapError
from gridmap.gui.messages import translate
from gridmap.service.photos import PhotoError, check_photo
from gridmap.store.inspections import Inspection, record_inspection

MAX_PHOTO_BYTES = 2 * 1024 * 1024


def tr(text: str) -> str:
    return QCoreApplication.translate("InspectionDialog", text)


class InspectionDialog(QDialog):
    """Emits ``recorded(inspection id, case code or '')`` after the store took the inspection."""

    recorded = pyqtSignal(int, str)

    def __init__(self, session, component_code: str, staff_code: str, parent=None):
        super().__init__(parent)
        self.setObjectName("inspection_dialog")
        self.session = session
        self.component_code = component_code
        self.staff_code = staff_code
        self.photo: tuple[bytes, str] | None = None
        self.setWindowTitle(tr("Inspection of {0}").format(component_code))
        form = QFormLayout(self)
        self.condition = QComboBox(self)
        for condition in INSPECTION_CONDITIONS:
            self.condition.addItem(condition, condition)
        form.addRow(tr("Found"), self.condition)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(tr("What you saw (optional)"))
        self.note.setFixedHeight(70)
        form.addRow(tr("Note"), self.note)
        photo_row = QWidget(self)
        row = QHBoxLayout(photo_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.photo_label = QLabel(tr("No photo"), photo_row)
        choose = QPushButton(tr("Choose..."), photo_row)
        choose.clicked.connect(self.choose_photo)
        row.addWidget(self.photo_label, 1)
        row.addWidget(choose)
        form.addRow(tr("Photo"), photo_row)
        self.open_case = QCheckBox(tr("Open a case on this component"), self)
        form.addRow("", self.open_case)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.condition.currentIndexChanged.connect(self._condition_changed)
        self._condition_changed()

    def _condition_changed(self) -> None:
        intact = self.condition.currentData() == INTACT
        self.open_case.setEnabled(not intact)
        self.open_case.setChecked(not intact)

    def choose_photo(self, path: str | None = None) -> bool:
        """Take a JPEG or PNG (at most 2 MB) from a file; False, with the reason shown, when it is not one."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, tr("Photo of the component"), str(Path.home()),
                                                  tr("Photos (*.jpg *.jpeg *.png)"))
            if not path:
                return False
        data = Path(path).read_bytes() if Path(path).stat().st_size <= MAX_PHOTO_BYTES else None
        try:
            if data is None:
                raise PhotoError(tr("the photo is larger than 2 MB"))
            mime = check_photo(data)
        except PhotoError as exc:
            self.photo_label.setText(tr("Not taken: {0}").format(exc))
            self.photo = None
            return False
        self.photo = (data, mime)
        self.photo_label.setText(Path(path).name)
        return True

    def record(self) -> tuple[int, str | None]:
        """Write the inspection; return (its id, the case opened or None). Raises GridmapError."""
        photo, mime = self.photo if self.photo else (None, "image/jpeg")
        inspection = Inspection(self.component_code, city_now(), self.condition.currentData(),
                                self.note.toPlainText(), photo, mime,
                                self.open_case.isEnabled() and self.open_case.isChecked())
        number, case, _created = record_inspection(self.session.store, inspection, staff_code=self.staff_code)
        self.recorded.emit(number, case or "")
        return number, case

    def accept(self) -> None:
        try:
            self.record()
        except GridmapError as exc:
            QMessageBox.warning(self, tr("Inspection"), translate(str(exc)))
            return
        super().accept()
