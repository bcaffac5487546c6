"""The search box: type a code or part of a name; matches come grouped by kind (components by class)
with their counts, best first. Pick a match and the map zooms to it; a group that lists only its first
rows offers to select all of them on the map."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from gridmap.store import search

ROLE = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("SearchPanel", text)


def kind_label(kind: str) -> str:
    return {
        "component": tr("Component"), "unit_grid": tr("Unit grid"), "responsibility_grid": tr("Responsibility grid"),
        "community_grid": tr("Community grid"), "community": tr("Community"), "street": tr("Street / town"),
        "incident": tr("Incident"),
    }.get(kind, kind)


def group_label(group: search.Group) -> str:
    """"Component · 0118 路灯 (11,972)": the kind, the class if any, the full count."""
    kind = kind_label(group.kind)
    if group.title:
        kind = f"{kind} · {group.title}"
    elif group.kind == "component" and group.rank == search.OTHER_NAME:
        kind = tr("{0} · other names").format(kind)
    return f"{kind} ({group.total:,})"


class SearchPanel(QWidget):
    """A line edit and its grouped results.

    Emits ``chosen(Hit)`` when the user picks a match, ``select_all(group)`` when they ask
    for every row of a group on the map and ``table_all(group)`` for them in a table.
    ``store_getter`` returns the open store.
    """

    chosen = pyqtSignal(object)
    select_all = pyqtSignal(object)
    table_all = pyqtSignal(object)

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.setObjectName("search_panel")
        self._store = store_getter
        self.edit = QLineEdit(self)
        self.edit.setObjectName("search_edit")
        self.edit.setPlaceholderText(tr("Component ID, grid code, case code or name"))
        self.edit.setClearButtonEnabled(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("search_summary")
        self.summary.setWordWrap(True)
        self.results = QTreeWidget(self)
        self.results.setObjectName("search_results")
        self.results.setHeaderHidden(True)
        self.results.setColumnCount(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.edit)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # search as the user pauses typing
        self._timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self._choose_first)
        self.results.itemActivated.connect(self._choose_item)
        self.results.itemClicked.connect(self._choose_item)
        self.groups: list[search.Group] = []
        self.hits: list[search.Hit] = []

    def run_search(self) -> list[search.Hit]:
        """Search the open store for the current text and list the groups; return the hits shown, best first."""
        self.results.clear()
        store = self._store()
        self.groups = search.search_groups(store, self.edit.text()) if store is not None else []
        self.hits = [hit for group in self.groups for hit in group.hits]
        bold = QFont(self.results.font())
        bold.setBold(True)
        for index, group in enumerate(self.groups):
            top = QTreeWidgetItem(self.results, [group_label(group)])
            top.setFont(0, bold)
            top.setData(0, ROLE, ("group", index))
            for hit in group.hits:
                item = QTreeWidgetItem(top, [f"{hit.code}  {hit.label or ''}"])
                item.setData(0, ROLE, ("hit", hit))
                item.setToolTip(0, item.text(0))
            if group.total > len(group.hits):
                more = QTreeWidgetItem(top, [tr("Showing {0} of {1:,} — select all {1:,} on the map").format(
                    len(group.hits), group.total)])
                more.setData(0, ROLE, ("all", index))
                more.setForeground(0, self.palette().link())
                table = QTreeWidgetItem(top, [tr("Open all {0:,} in the attribute table").format(group.total)])
                table.setData(0, ROLE, ("table", index))
                table.setForeground(0, self.palette().link())
            top.setExpanded(index == 0 or len(self.groups) <= 3)
        text = self.edit.text().strip()
        if not self.groups and text:
            self.summary.setText(tr("No match for “{0}”.").format(text))
        elif self.groups:
            total = sum(g.total for g in self.groups)
            self.summary.setText(tr("{0:,} matches in {1} groups; the best first.").format(total, len(self.groups)))
        else:
            self.summary.clear()
        return self.hits

    def clear(self) -> None:
        self.results.clear()
        self.summary.clear()
        self.groups, self.hits = [], []

    def item_of(self, group: int, row: int) -> QTreeWidgetItem:
        """The tree item of a group's row (the last row may be "select all")."""
        return self.results.topLevelItem(group).child(row)

    def _choose_first(self) -> None:
        self._timer.stop()
        if self.run_search():
            self.chosen.emit(self.hits[0])

    def _choose_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ROLE)
        if not data:
            return
        if data[0] == "hit":
            self.chosen.emit(data[1])
        elif data[0] == "all":
            self.select_all.emit(self.groups[data[1]])
        elif data[0] == "table":
            self.table_all.emit(self.groups[data[1]])


def zoom_to_hit(session, hit: search.Hit) -> bool:
    """Zoom the map to ``hit`` and select it on its layer; return False if it has no geometry."""
    layer = session.layer(hit.table) if hit.table != "incident" else session.layer("incident")
    geometry = None
    if layer is not None:
        feature = next(layer.getFeatures(QgsFeatureRequest(hit.row_id)), None)
        if feature is not None and feature.hasGeometry():
            geometry = feature.geometry()
            for other in session.selectable_layers():
                if other is not layer:
                    other.removeSelection()
            layer.selectByIds([hit.row_id])
    if geometry is None:  # e.g. a closed incident the layer does not show: read the table itself
        geometry = session.geometry_of(hit.table, hit.row_id)
        if geometry is None:
            return False
    box = geometry.boundingBox()
    if box.width() < 150 and box.height() < 150:  # points and small features: a street-level view
        centre = box.center()
        box = QgsRectangle(centre.x() - 150, centre.y() - 100, centre.x() + 150, centre.y() + 100)
    else:
        box.scale(1.2)
    session.canvas.setExtent(box)
    session.canvas.refresh()
    return True
