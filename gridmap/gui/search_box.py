"""The search box: type a code or part of a name, pick a match, the map zooms to it and selects it."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gridmap.store import search


def tr(text: str) -> str:
    return QCoreApplication.translate("SearchPanel", text)


def kind_label(kind: str) -> str:
    return {
        "component": tr("Component"), "unit_grid": tr("Unit grid"), "responsibility_grid": tr("Responsibility grid"),
        "community_grid": tr("Community grid"), "community": tr("Community"), "street": tr("Street / town"),
        "incident": tr("Incident"),
    }.get(kind, kind)


class SearchPanel(QWidget):
    """A line edit and its result list. Emits ``chosen`` with the Hit the user picked."""

    chosen = pyqtSignal(object)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("search_panel")
        self._window = window
        self.edit = QLineEdit(self)
        self.edit.setObjectName("search_edit")
        self.edit.setPlaceholderText(tr("Component ID, grid code, case code or name"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("search_results")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # search as the user pauses typing
        self._timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self._choose_first)
        self.results.itemActivated.connect(self._choose_item)
        self.results.itemClicked.connect(self._choose_item)
        self.hits: list[search.Hit] = []

    def run_search(self) -> list[search.Hit]:
        """Search the open store for the current text and list the matches."""
        self.results.clear()
        store = self._window.store
        self.hits = search.search(store, self.edit.text()) if store is not None else []
        for hit in self.hits:
            item = QListWidgetItem(f"{kind_label(hit.kind)}  {hit.code}  {hit.label or ''}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if not self.hits and self.edit.text().strip():
            self.results.addItem(tr("No match"))
        return self.hits

    def _choose_first(self) -> None:
        self._timer.stop()
        if self.run_search():
            self.chosen.emit(self.hits[0])

    def _choose_item(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if hit is not None:
            self.chosen.emit(hit)


def zoom_to_hit(window, hit: search.Hit) -> bool:
    """Zoom the map to ``hit`` and select it on its layer; return False if it has no geometry."""
    layer = window.layer(hit.table) if hit.table != "incident" else window.layer("incident")
    geometry = None
    if layer is not None:
        feature = next(layer.getFeatures(QgsFeatureRequest(hit.row_id)), None)
        if feature is not None and feature.hasGeometry():
            geometry = feature.geometry()
            for other in window.selectable_layers():
                if other is not layer:
                    other.removeSelection()
            layer.selectByIds([hit.row_id])
    if geometry is None:  # e.g. a closed incident the layer does not show: read the table itself
        geometry = window.geometry_of(hit.table, hit.row_id)
        if geometry is None:
            return False
    box = geometry.boundingBox()
    if box.width() < 150 and box.height() < 150:  # points and small features: a street-level view
        centre = box.center()
        box = QgsRectangle(centre.x() - 150, centre.y() - 100, centre.x() + 150, centre.y() + 100)
    else:
        box.scale(1.2)
    window.canvas.setExtent(box)
    window.canvas.refresh()
    return True
