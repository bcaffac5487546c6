"""The gaps report and supervisors: what is missing for dispatch to work, each item a place on the map."""

from __future__ import annotations

from qgis.core import QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.messages import translate
from gridmap.store import queries
from gridmap.store import responsibility as resp


def tr(text: str) -> str:
    return QCoreApplication.translate("GapsPanel", text)


class GapsPanel(QWidget):
    changed = pyqtSignal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("gaps_panel")
        self.session = session
        self.limit = QSpinBox(self)
        self.limit.setRange(1, 200)
        self.limit.setValue(8)
        self.refresh_button = QPushButton(tr("Check"), self)
        self.refresh_button.setObjectName("gaps_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("gaps_list")
        self.list.itemActivated.connect(self.go_to)
        self.list.itemClicked.connect(self.go_to)
        self.supervisors = QTableWidget(0, 2, self)
        self.supervisors.setObjectName("supervisor_table")
        self.supervisors.setHorizontalHeaderLabels([tr("Responsibility grid"), tr("Supervisors")])
        self.supervisors.horizontalHeader().setStretchLastSection(True)
        add = QPushButton(tr("Add supervisor..."), self)
        add.clicked.connect(lambda: self.change_supervisor(True))
        remove = QPushButton(tr("Remove supervisor..."), self)
        remove.clicked.connect(lambda: self.change_supervisor(False))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Most grids per person"), self))
        top.addWidget(self.limit)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 2)
        layout.addWidget(QLabel(tr("Supervisors of the responsibility grids"), self))
        layout.addWidget(self.supervisors, 1)
        layout.addLayout(buttons)
        self.gaps = []

    def refresh(self) -> list:
        store = self.session.store
        if store is None:
            return []
        self.gaps = resp.check_responsibility(store, staff_limit=self.limit.value())
        self.list.clear()
        for gap in self.gaps:
            text = f"[{gap.kind}] {gap.table} {gap.code or ''}: {gap.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (gap.x, gap.y))
            self.list.addItem(item)
        self.summary.setText(tr("No gaps: dispatch can reach a unit for everything.") if not self.gaps
                             else tr("{0} gap(s). Click one to see it on the map.").format(len(self.gaps)))
        self._load_supervisors()
        return self.gaps

    def _load_supervisors(self) -> None:
        store = self.session.store
        names = resp.supervisor_names(store)
        grids = list(queries.names(store, "responsibility_grid").items())
        self.supervisors.setRowCount(len(grids))
        for k, (code, name) in enumerate(grids):
            item = QTableWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.supervisors.setItem(k, 0, item)
            self.supervisors.setItem(k, 1, QTableWidgetItem(names.get(code, "")))

    def go_to(self, item: QListWidgetItem) -> None:
        x, y = item.data(Qt.ItemDataRole.UserRole)
        if x is None:
            return
        canvas = self.session.canvas
        canvas.setExtent(QgsRectangle(x - 200, y - 120, x + 200, y + 120))
        canvas.refresh()

    def change_supervisor(self, add: bool) -> None:
        row = self.supervisors.currentRow()
        if row < 0:
            return
        grid = self.supervisors.item(row, 0).data(Qt.ItemDataRole.UserRole)
        store = self.session.store
        people = resp.supervisor_candidates(store) if add else resp.supervisors_of(store, grid)
        choices = [f"{name} ({code})" for code, name, _title in people]
        if not choices:
            return
        choice, ok = QInputDialog.getItem(self, tr("Supervisors"), tr("Person:"), choices, 0, False)
        if ok:
            try:
                resp.set_supervisor(self.session.store, choice.rsplit("(", 1)[1].rstrip(")"), grid, add)
            except GridmapError as exc:
                QMessageBox.warning(self, tr("Supervisors"), translate(str(exc)))
                return
            self._load_supervisors()
            self.changed.emit()
