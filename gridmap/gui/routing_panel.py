"""The routing matrix (classes × areas, defaults and overrides told apart) and its map view."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QFont
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui import styles
from gridmap.gui.messages import translate
from gridmap.store import queries, reference
from gridmap.store import responsibility as resp

OVERRIDE = QColor("#fff3c4")


def tr(text: str) -> str:
    return QCoreApplication.translate("RoutingPanel", text)


class RoutingPanel(QWidget):
    """Rows are classes, the first column is the class-wide default, then one column per area."""

    changed = pyqtSignal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("routing_panel")
        self.session = session
        self.kind = QComboBox(self)
        self.kind.addItem(tr("Event classes"), "event")
        self.kind.addItem(tr("Component classes"), "component")
        self.areas = QComboBox(self)
        self.areas.addItem(tr("by responsibility grid"), "responsibility_grid")
        self.areas.addItem(tr("by community"), "community")
        self.table = QTableWidget(self)
        self.table.setObjectName("routing_matrix")
        self.table.cellDoubleClicked.connect(self.edit_cell)
        self.show_on_map = QPushButton(tr("Colour grids by the unit for the chosen class"), self)
        self.show_on_map.clicked.connect(self.colour_by_class)
        self.by_supervisor = QPushButton(tr("Colour grids by supervisor"), self)
        self.by_supervisor.clicked.connect(self.colour_by_supervisor)
        self.reset = QPushButton(tr("Normal colours"), self)
        self.reset.clicked.connect(self.reset_colours)
        self.legend = QLabel(tr("Grey: the class-wide default applies. Yellow, bold: an override for that area. "
                                "Double-click a cell to change it."), self)
        self.legend.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.areas)
        buttons = QHBoxLayout()
        for button in (self.show_on_map, self.by_supervisor, self.reset):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self.load)
        self.areas.currentIndexChanged.connect(self.load)
        self.rows: list[tuple[str, str]] = []
        self.columns: list[tuple[str, str]] = []

    def load(self) -> None:
        store = self.session.store
        if store is None:
            return
        kind, area_kind = self.kind.currentData(), self.areas.currentData()
        self.units = queries.names(store, "responsible_unit")
        self.rows = reference.classes_of_scheme(store, kind, store.setting("class_scheme", "legacy"))
        names = queries.names(store, "responsibility_grid" if area_kind == "responsibility_grid" else "community")
        self.columns = [("default", "")] + [(area_kind, code) for code in names]
        table = resp.load_routing(store)
        self.table.clear()
        self.table.setRowCount(len(self.rows))
        self.table.setColumnCount(len(self.columns))
        self.table.setHorizontalHeaderLabels([tr("Default")] + [names[c] for _, c in self.columns[1:]])
        self.table.setVerticalHeaderLabels([f"{c} {n}" for c, n in self.rows])
        bold = QFont()
        bold.setBold(True)
        for r, (code, _name) in enumerate(self.rows):
            default = table.rules.get((kind, code, "default", ""))
            for c, (a_kind, a_code) in enumerate(self.columns):
                rule = table.rules.get((kind, code, a_kind, a_code))
                shown = rule or (default if a_kind != "default" else None)
                item = QTableWidgetItem(self.units.get(shown.unit_code, shown.unit_code) if shown else "—")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if rule is not None and a_kind != "default":
                    item.setBackground(QBrush(OVERRIDE))
                    item.setFont(bold)
                elif a_kind != "default":
                    item.setForeground(QBrush(QColor("#9e9e9e")))
                self.table.setItem(r, c, item)

    def is_override(self, row: int, column: int) -> bool:
        return self.table.item(row, column).background().color() == OVERRIDE

    def edit_cell(self, row: int, column: int) -> None:
        code = self.rows[row][0]
        area_kind = self.columns[column][0]
        choices = [f"{n} ({c})" for c, n in sorted(self.units.items(), key=lambda x: x[1])]
        if area_kind != "default":
            choices.insert(0, tr("(use the default)"))
        choice, ok = QInputDialog.getItem(self, tr("Who handles {0}?").format(f"{code} {self.rows[row][1]}"),
                                          tr("Unit:"), choices, 0, False)
        if ok:
            unit = None if choice == tr("(use the default)") else choice.rsplit("(", 1)[1].rstrip(")")
            self.set_cell(row, column, unit)

    def set_cell(self, row: int, column: int, unit: str | None) -> bool:
        """Set (or, with None, remove) the rule behind a cell; False with a message when refused."""
        kind = self.kind.currentData()
        code = self.rows[row][0]
        area_kind, area_code = self.columns[column]
        store = self.session.store
        try:
            if unit is None:
                resp.delete_rule(store, kind, code, area_kind, area_code)
            else:
                resp.set_rule(store, kind, code, area_kind, area_code, unit)
        except GridmapError as exc:
            QMessageBox.warning(self, tr("Routing"), translate(str(exc)))
            return False
        self.load()
        self.changed.emit()
        return True

    def colour_by_class(self) -> dict[str, str]:
        """Colour responsibility grids by the unit that handles the class of the current row."""
        row = max(self.table.currentRow(), 0)
        if not self.rows:
            return {}
        code = self.rows[row][0]
        handlers = resp.handler_by_grid(self.session.store, self.kind.currentData(), code)
        labels = {g: self.units.get(u, tr("nobody")) if u else tr("nobody") for g, u in handlers.items()}
        self._colour(labels, tr("Who handles {0}").format(f"{code} {self.rows[row][1]}"))
        return labels

    def colour_by_supervisor(self) -> dict[str, str]:
        names = resp.supervisor_names(self.session.store)
        codes = list(queries.names(self.session.store, "responsibility_grid"))
        labels = {c: names.get(c, tr("no supervisor")) for c in codes}
        self._colour(labels, tr("Supervisors"))
        return labels

    def _colour(self, labels: dict[str, str], title: str) -> None:
        layer = self.session.layer("responsibility_grid")
        if layer is not None:
            styles.colour_by_label(layer, labels)
            layer.setName(title)
            layer.triggerRepaint()
            self.session.legend_changed.emit(layer)

    def reset_colours(self) -> None:
        layer = self.session.layer("responsibility_grid")
        if layer is not None and self.session.store_layers is not None:
            self.session.store_layers.apply_style("responsibility_grid", layer)
            layer.setName(QCoreApplication.translate("StoreLayers", "Responsibility grids"))
            layer.triggerRepaint()
            self.session.legend_changed.emit(layer)
