"""Attribute table of a layer, linked to the map selection.

Store tables (99,000 point components and more) are read lazily: the rows
matching the filter are a list of ids (one indexed query, tens of
milliseconds), and a row's values are read only when it scrolls into view, a
page at a time. QGIS's own table (QgsDualView over QgsVectorLayerCache) loads
every feature through the provider first, which took 10 s here, so it serves
only layers that are not store tables (the open incidents' query layer, the
editor's drafts). Columns carry Chinese (or English) names, codes show their
names, and a filter names the field it does not know.
"""

from __future__ import annotations

import time

from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsRectangle
from qgis.gui import QgsAttributeTableFilterModel, QgsDualView
from qgis.PyQt.QtCore import QAbstractTableModel, QCoreApplication, QItemSelection, QItemSelectionModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QGuiApplication
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.filters import FilterError, to_sql
from gridmap.gui.messages import translate
from gridmap.store import inspect

PAGE = 200  # rows read at once when they scroll into view
KEEP_PAGES = 64  # pages kept in memory

#: which names a code column shows next to its codes
CODE_COLUMNS = {
    "class_code": "component_class", "competent_unit_code": "unit", "owner_unit_code": "unit",
    "maintainer_unit_code": "unit", "responsible_unit_code": "unit", "unit_code": "unit",
    "successor_code": "unit", "responsibility_grid_code": "responsibility_grid", "community_code": "community",
    "street_code": "street", "reporter_staff_code": "staff",
}

SHOW_VISIBLE, SHOW_ALL, SHOW_SELECTED = range(3)


def tr(text: str) -> str:
    return QCoreApplication.translate("AttributeTable", text)


def column_label(column: str) -> str:
    """The column's name in the interface language (the table's own name in the tooltip)."""
    return {
        "id": tr("ID"), "code": tr("Code"), "class_code": tr("Class"), "name": tr("Name"),
        "competent_unit_code": tr("Competent unit"), "owner_unit_code": tr("Owner unit"),
        "maintainer_unit_code": tr("Maintainer unit"), "unit_grid_code": tr("Unit grid"), "state": tr("State"),
        "currency": tr("Currency"), "initial_date": tr("Initial survey date"), "change_date": tr("Change date"),
        "data_source": tr("Data source"), "photo": tr("Photo"), "note": tr("Note"),
        "community_code": tr("Community"), "responsibility_grid_code": tr("Responsibility grid"),
        "area_m2": tr("Area (m²)"), "valid_from": tr("Valid from"), "valid_to": tr("Valid to"),
        "street_code": tr("Street / town"), "district_code": tr("District"), "kind": tr("Kind"),
        "level": tr("Level"), "parent_code": tr("Parent"), "locked": tr("Locked"),
        "responsible_unit_code": tr("Responsible unit"), "status": tr("Status"), "description": tr("Description"),
    }.get(column, column)


class StoreTableModel(QAbstractTableModel):
    """Rows of a store table by id, values read a page at a time as they are shown."""

    def __init__(self, store, table: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.table = table
        self.columns = [c for c in inspect.table_columns(store, table) if c != "id"]
        self.names = inspect.code_names(store)
        if table == "incident":  # an incident's class is an event or a component class: event codes win
            self.names["component_class"] = {**self.names["component_class"], **self.names["event_class"]}
        self.ids: list[int] = []
        self.rows: dict[int, int] = {}
        self._pages: dict[int, dict[int, tuple]] = {}
        self.fetched = 0  # rows read so far (lazy loading is tested on it)

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids = ids
        self.rows = {fid: row for row, fid in enumerate(ids)}
        self._pages.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return column_label(self.columns[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section]
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def _values(self, row: int) -> tuple | None:
        page = row // PAGE
        if page not in self._pages:
            if len(self._pages) >= KEEP_PAGES:
                self._pages.pop(next(iter(self._pages)))
            ids = self.ids[page * PAGE:(page + 1) * PAGE]
            self._pages[page] = inspect.table_rows(self.store, self.table, self.columns, ids)
            self.fetched += len(ids)
        return self._pages[page].get(self.ids[row])

    def raw(self, row: int, column: str):
        values = self._values(row)
        return values[self.columns.index(column)] if values else None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = self._values(index.row())
        if values is None:
            return None
        value = values[index.column()]
        if value is None:
            return ""
        lookup = CODE_COLUMNS.get(self.columns[index.column()])
        name = self.names.get(lookup, {}).get(value) if lookup else None
        if not name:
            return str(value)
        # a class reads by its code ("0118 路灯"); a unit, grid or place by its name
        return f"{value} {name}" if lookup == "component_class" else f"{name} ({value})"

    def id_at(self, row: int) -> int:
        return self.ids[row]


class AttributeTable(QWidget):
    """A layer's features as a table. Selecting rows selects features on the map and back.

    With ``store`` and ``table`` the store's table is read lazily (see the module); else QGIS's table.
    """

    def __init__(self, layer, canvas, parent=None, *, store=None, table: str | None = None):
        super().__init__(parent)
        self.setObjectName("attribute_table")
        self.layer = layer
        self.canvas = canvas
        self.store = store
        self.table = table
        self.mode = QComboBox(self)
        self.mode.setObjectName("attribute_filter_mode")
        self.expression = QLineEdit(self)
        self.expression.setObjectName("attribute_filter_expression")
        self.expression.setPlaceholderText(tr("Filter expression, e.g. \"state\" = '破损'"))
        self.expression.returnPressed.connect(self.apply_expression)
        self.message = QLabel(self)
        self.message.setObjectName("attribute_message")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.expression, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.lazy = store is not None and table is not None
        self._syncing = False
        self._sized = False
        self._where: tuple[str, list] = ("1 = 1", [])
        if self.lazy:
            self._build_store_view(layout)
        else:
            self._build_qgis_view(layout)
        layout.addWidget(self.message)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()

    # --- the two views --------------------------------------------------------------------

    def _modes(self):
        return ((tr("Features visible on the map"), SHOW_VISIBLE), (tr("All features"), SHOW_ALL),
                (tr("Selected features"), SHOW_SELECTED))

    def _build_store_view(self, layout) -> None:
        for text, mode in self._modes():
            self.mode.addItem(text, mode)
        self.model = StoreTableModel(self.store, self.table, self)
        self.view = QTableView(self)
        self.view.setObjectName("attribute_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().sortIndicatorChanged.connect(lambda *_args: self.refresh())
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._rows_selected)
        self.layer.selectionChanged.connect(self._map_selection_changed)
        self.canvas.extentsChanged.connect(self._extent_changed)
        layout.addWidget(self.view, 1)

    def _build_qgis_view(self, layout) -> None:
        qgis_modes = {SHOW_VISIBLE: QgsAttributeTableFilterModel.ShowVisible,
                      SHOW_ALL: QgsAttributeTableFilterModel.ShowAll,
                      SHOW_SELECTED: QgsAttributeTableFilterModel.ShowSelected}
        for text, mode in self._modes():
            self.mode.addItem(text, qgis_modes[mode])
        self.view = QgsDualView(self)
        self.view.setObjectName("attribute_view")
        self.view.init(self.layer, self.canvas)
        self.view.setView(QgsDualView.AttributeTable)
        layout.addWidget(self.view, 1)

    # --- filtering ------------------------------------------------------------------------

    def _mode_changed(self) -> None:
        if self.lazy:
            self.refresh()
        else:
            self.view.setFilterMode(self.mode.currentData())

    def _extent_changed(self) -> None:
        if self.mode.currentData() == SHOW_VISIBLE and self.isVisible():
            self.refresh()

    def refresh(self) -> int:
        """Re-read the ids for the mode, the filter and the sort column; return the row count."""
        start = time.perf_counter()
        mode = self.mode.currentData()
        where, params = self._where
        header = self.view.horizontalHeader()
        column = header.sortIndicatorSection()
        order = self.model.columns[column] if 0 <= column < len(self.model.columns) else "id"
        box = None
        if mode == SHOW_VISIBLE:
            extent = self.canvas.extent()
            box = (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
        ids = inspect.table_ids(self.store, self.table, where, params, order_by=order,
                                descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder, box=box,
                                current_only=self.table == "unit_grid")
        if mode == SHOW_SELECTED:
            selected = set(self.layer.selectedFeatureIds())
            ids = [fid for fid in ids if fid in selected]
        self.model.set_ids(ids)
        if not self._sized and ids:
            self._size_columns()
            self._sized = True
        self._map_selection_changed()
        self.seconds = time.perf_counter() - start
        return len(ids)

    def _size_columns(self, sample: int = 40) -> None:
        """Columns as wide as their header and the first rows (Qt's own sizing reads 1,000 rows)."""
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader().fontMetrics()
        rows = min(sample, self.model.rowCount())
        for column in range(self.model.columnCount()):
            texts = [self.model.index(row, column).data() or "" for row in range(rows)]
            width = max([header.horizontalAdvance(column_label(self.model.columns[column])) + 24]
                        + [metrics.horizontalAdvance(t) + 12 for t in texts])
            self.view.setColumnWidth(column, min(width, 260))

    def apply_expression(self) -> bool:
        """Show only the features matching the typed filter; an empty one shows all. False if invalid.

        An unknown field name is reported (it used to give 0 rows without a word).
        """
        text = self.expression.text().strip()
        if not self.lazy:
            return self._apply_qgis_expression(text)
        try:
            self._where = to_sql(text, set(self.model.columns) | {"id"})
        except FilterError as exc:
            self.message.setText(tr("Invalid filter: {0}").format(translate(str(exc))))
            return False
        count = self.refresh()
        self.message.setText(tr("{0:,} features match").format(count) if text else "")
        return True

    def _apply_qgis_expression(self, text: str) -> bool:
        if not text:
            self._mode_changed()
            self.message.clear()
            return True
        expression = QgsExpression(text)
        if expression.hasParserError():
            self.message.setText(tr("Invalid expression: {0}").format(expression.parserErrorString()))
            return False
        unknown = [name for name in expression.referencedColumns() if self.layer.fields().lookupField(name) < 0]
        if unknown:
            self.message.setText(tr("Invalid filter: unknown field {0}").format(", ".join(sorted(unknown))))
            return False
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(self.layer))
        self.view.filterFeatures(expression, context)
        self.message.setText(tr("{0:,} features match").format(self.view.filteredFeatureCount()))
        return True

    def row_count(self) -> int:
        return self.model.rowCount() if self.lazy else self.view.filteredFeatureCount()

    # --- selection, both ways -------------------------------------------------------------

    def _rows_selected(self, *_args) -> None:
        if self._syncing:
            return
        rows = {index.row() for index in self.view.selectionModel().selectedRows()}
        self._syncing = True
        try:
            self.layer.selectByIds([self.model.id_at(r) for r in sorted(rows)])
        finally:
            self._syncing = False

    def _map_selection_changed(self, *_args) -> None:
        if self._syncing or not self.lazy:
            return
        rows = sorted(self.model.rows[fid] for fid in self.layer.selectedFeatureIds() if fid in self.model.rows)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        start = previous = None
        for row in [*rows, None]:  # contiguous runs become one range each
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None:
                selection.select(self.model.index(start, 0), self.model.index(previous, last))
            start = previous = row
        self._syncing = True
        try:
            self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._syncing = False

    # --- context menu ---------------------------------------------------------------------

    def _context_menu(self, pos) -> QMenu:
        index = self.view.indexAt(pos)
        menu = QMenu(self)
        if index.isValid():
            fid = self.model.id_at(index.row())
            menu.addAction(tr("Zoom to feature"), lambda: self.zoom_to([fid]))
            menu.addAction(tr("Select on the map"), lambda: self.layer.selectByIds([fid]))
            menu.addAction(tr("Copy value"), lambda: QGuiApplication.clipboard().setText(str(index.data() or "")))
        menu.addAction(tr("Zoom to selected features"), lambda: self.zoom_to(self.layer.selectedFeatureIds()))
        if not self.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen):
            menu.popup(self.view.viewport().mapToGlobal(pos))
        return menu

    def zoom_to(self, ids) -> None:
        extent = QgsRectangle()
        for feature in self.layer.getFeatures(list(ids)):
            extent.combineExtentWith(feature.geometry().boundingBox())
        if not extent.isEmpty():
            extent.scale(1.5)
            self.canvas.setExtent(extent)
            self.canvas.refresh()
