"""The live statistics dock: one row per responsibility grid, workload deviation flagged."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("code", "name", "units", "area", "components", "incidents", "deviation", "locked")
FLAG = QColor("#ffcdd2")


def tr(text: str) -> str:
    return QCoreApplication.translate("GridStatsPanel", text)


class GridStatsPanel(QWidget):
    """Emits target_changed(code) when a row is chosen and lock_toggled(code, locked)."""

    target_changed = pyqtSignal(str)
    lock_toggled = pyqtSignal(str, bool)
    tolerance_changed = pyqtSignal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("grid_stats_panel")
        self.target_label = QLabel(tr("Target: choose a row"), self)
        self.target_label.setObjectName("grid_target_label")
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setObjectName("grid_tolerance")
        self.tolerance.setRange(1, 100)
        self.tolerance.setSuffix(" %")
        self.tolerance.setValue(15)
        self.tolerance.valueChanged.connect(lambda v: self.tolerance_changed.emit(v / 100))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("grid_stats_table")
        self.table.setHorizontalHeaderLabels([tr("Code"), tr("Name"), tr("Unit grids"), tr("Area km²"),
                                              tr("Components"), tr("Incidents (90 days)"), tr("Deviation"),
                                              tr("Locked")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemChanged.connect(self._item_changed)
        self.message = QLabel(self)
        self.message.setObjectName("grid_message")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for k, (key, text) in enumerate((("undo", tr("Undo")), ("redo", tr("Redo")), ("save", tr("Save scenario...")),
                                         ("open", tr("Open scenario...")), ("compare", tr("Compare...")),
                                         ("discard", tr("Discard draft")), ("export", tr("Export plan...")),
                                         ("commit", tr("Commit...")))):
            button = QPushButton(text, self)
            button.setObjectName(f"grid_{key}_button")
            self.buttons[key] = button
            grid.addWidget(button, k // 4, k % 4)
        top = QHBoxLayout()
        top.addWidget(self.target_label, 1)
        top.addWidget(QLabel(tr("Tolerance ±"), self))
        top.addWidget(self.tolerance)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        self._rows: dict[str, int] = {}
        self._updating = False

    def show_rows(self, rows) -> None:
        """Fill or update the table from Plan.rows(); cheap when the grids are the same."""
        self._updating = True
        if set(self._rows) != {r.code for r in rows}:
            self.table.setRowCount(len(rows))
            self._rows = {r.code: k for k, r in enumerate(rows)}
            checkable = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            for k in range(len(rows)):
                for column in range(len(COLUMNS)):
                    self.table.setItem(k, column, QTableWidgetItem())
                self.table.item(k, COLUMNS.index("locked")).setFlags(checkable)
        for r in rows:
            k = self._rows[r.code]
            values = (r.code, r.name, f"{r.units}", f"{r.area_m2 / 1e6:.2f}", f"{r.components:,}", f"{r.incidents:,}",
                      f"{r.deviation * 100:+.1f} %")
            for column, value in enumerate(values):
                item = self.table.item(k, column)
                if item.text() != value:
                    item.setText(value)
                item.setBackground(QBrush(FLAG) if r.flagged else QBrush())
            lock = self.table.item(k, COLUMNS.index("locked"))
            lock.setCheckState(Qt.CheckState.Checked if r.locked else Qt.CheckState.Unchecked)
        self._updating = False

    def cell(self, code: str, column: str) -> str:
        return self.table.item(self._rows[code], COLUMNS.index(column)).text()

    def is_flagged(self, code: str) -> bool:
        return self.table.item(self._rows[code], 0).background().color() == FLAG

    def choose(self, code: str) -> None:
        self.table.selectRow(self._rows[code])

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            code = self.table.item(rows[0].row(), 0).text()
            self.target_label.setText(tr("Target: {0}").format(f"{self.table.item(rows[0].row(), 1).text()} ({code})"))
            self.target_changed.emit(code)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._updating and item.column() == COLUMNS.index("locked"):
            code = self.table.item(item.row(), 0).text()
            self.lock_toggled.emit(code, item.checkState() == Qt.CheckState.Checked)
