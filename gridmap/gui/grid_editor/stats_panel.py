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

#: the code is kept in a hidden column (the name says which grid; the tooltip shows the code), so the
#: workload columns fit the right-hand dock at 1366 px wide
COLUMNS = ("name", "units", "area", "components", "incidents", "deviation", "locked", "code")
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
        self.target_label.setWordWrap(True)
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setObjectName("grid_tolerance")
        self.tolerance.setRange(1, 100)
        self.tolerance.setSuffix(" %")
        self.tolerance.setValue(15)
        self.tolerance.valueChanged.connect(lambda v: self.tolerance_changed.emit(v / 100))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("grid_stats_table")
        headers = [(tr("Name"), tr("Name")), (tr("Units"), tr("Unit grids")), (tr("km²"), tr("Area km²")),
                   (tr("Comp."), tr("Components")), (tr("Cases"), tr("Incidents (90 days)")),
                   (tr("Dev."), tr("Deviation of the workload (cases, components and area alike) from the mean")),
                   (tr("Lock"), tr("Locked")),
                   (tr("Code"), tr("Code"))]
        for column, (short, full) in enumerate(headers):
            item = QTableWidgetItem(short)
            item.setToolTip(full)
            self.table.setHorizontalHeaderItem(column, item)
        self.table.setColumnHidden(COLUMNS.index("code"), True)
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
                                         ("commit", tr("Commit...")), ("balance", tr("Propose balanced plan...")))):
            button = QPushButton(text, self)
            button.setObjectName(f"grid_{key}_button")
            self.buttons[key] = button
            button.setToolTip(text)
            grid.addWidget(button, k // 3, k % 3)  # three a row: fits the dock at 1366 px
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
            values = (r.name or r.code, f"{r.units}", f"{r.area_m2 / 1e6:.2f}", f"{r.components:,}",
                      f"{r.incidents:,}", f"{r.deviation * 100:+.0f}%")
            for column, value in [*enumerate(values), (COLUMNS.index("code"), r.code)]:
                item = self.table.item(k, column)
                if item.text() != value:
                    item.setText(value)
                item.setBackground(QBrush(FLAG) if r.flagged else QBrush())
                if column == 0:
                    item.setToolTip(f"{r.name} ({r.code})")
                elif column > 0:
                    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
            lock = self.table.item(k, COLUMNS.index("locked"))
            lock.setCheckState(Qt.CheckState.Checked if r.locked else Qt.CheckState.Unchecked)
        self._updating = False

    def needed_width(self) -> int:
        """The width that shows every column and the buttons without scrolling."""
        self.table.resizeColumnsToContents()
        table = self.table.horizontalHeader().length() + self.table.verticalScrollBar().sizeHint().width() \
            + 2 * self.table.frameWidth()
        margins = self.layout().contentsMargins()
        return max(table, self.layout().minimumSize().width()) + margins.left() + margins.right()

    def cell(self, code: str, column: str) -> str:
        return self.table.item(self._rows[code], COLUMNS.index(column)).text()

    def is_flagged(self, code: str) -> bool:
        return self.table.item(self._rows[code], COLUMNS.index("code")).background().color() == FLAG

    def choose(self, code: str) -> None:
        self.table.selectRow(self._rows[code])

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            code = self.table.item(rows[0].row(), COLUMNS.index("code")).text()
            name = self.table.item(rows[0].row(), COLUMNS.index("name")).text()
            self.target_label.setText(tr("Target: {0}").format(f"{name} ({code})"))
            self.target_changed.emit(code)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._updating and item.column() == COLUMNS.index("locked"):
            code = self.table.item(item.row(), COLUMNS.index("code")).text()
            self.lock_toggled.emit(code, item.checkState() == Qt.CheckState.Checked)
