"""The inspector dock and the identify tool that feeds it.

Click a component (or an incident) to see every field with readable names, its
grids and its incidents; click anywhere else to see the unit grid and the
responsibility grid there, with supervisors, staff and counts.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsGeometry
from qgis.gui import QgsMapToolIdentify
from qgis.PyQt.QtCore import QCoreApplication, QPoint, Qt, pyqtSignal
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.store import inspect


def tr(text: str) -> str:
    return QCoreApplication.translate("Inspector", text)


def field_label(key: str) -> str:
    """A readable, translated label for a field key of store.inspect."""
    labels = {
        "code": tr("Code"), "class": tr("Class"), "geometry": tr("Geometry"), "name": tr("Name"),
        "competent_unit": tr("Competent unit"), "owner_unit": tr("Owner unit"),
        "maintainer_unit": tr("Maintainer unit"), "unit_grid": tr("Unit grid"),
        "responsibility_grid": tr("Responsibility grid"), "community": tr("Community"), "street": tr("Street / town"),
        "state": tr("State"), "currency": tr("Currency"), "initial_date": tr("Initial survey date"),
        "change_date": tr("Change date"), "data_source": tr("Data source"), "photo": tr("Photo"), "note": tr("Note"),
        "area": tr("Area"), "valid_from": tr("Valid from"), "supervisors": tr("Supervisors"),
        "community_grid": tr("Community grid"), "open_incidents": tr("Open incidents"), "unit_grids": tr("Unit grids"),
        "locked": tr("Locked"), "status": tr("Status"), "description": tr("Description"), "source": tr("Source"),
        "component": tr("Component"), "reporter": tr("Reporter"), "responsible_unit": tr("Responsible unit"),
        "reported_at": tr("Reported"), "registered_at": tr("Registered"), "dispatched_at": tr("Dispatched"),
        "deadline": tr("Deadline"), "handled_at": tr("Handled"), "checked_at": tr("Checked"),
        "closed_at": tr("Closed"), "close_type": tr("Close type"), "rework_count": tr("Rework count"),
        "role:grid_leader": tr("Grid leader"), "role:party_secretary": tr("Party secretary"),
        "role:grid_manager": tr("Grid manager"), "role:police_officer": tr("Police officer"),
        "role:property_manager": tr("Property manager"), "role:law_enforcement": tr("Law enforcement officer"),
        "role:volunteer": tr("Volunteer"),
    }
    return labels.get(key, key)


def value_label(key: str, value: str) -> str:
    """Translate stored keyword values (status, source, close type...); other values show as stored."""
    if key == "status":
        from gridmap.gui.styles import status_label  # noqa: PLC0415 - styles imports QGIS symbology

        return status_label(value)
    words = {
        "source": {"patrol": tr("Supervisor patrol"), "hotline": tr("Public hotline"), "video": tr("Video"),
                   "assigned": tr("Assigned by a higher level"), "self": tr("Handled on site")},
        "close_type": {"normal": tr("Normal"), "overdue": tr("Overdue"), "erroneous": tr("Erroneous"),
                       "special": tr("Special")},
        "geometry": {"point": tr("Point"), "line": tr("Line"), "polygon": tr("Polygon")},
        "locked": {"yes": tr("Yes"), "no": tr("No")},
    }
    return words.get(key, {}).get(value, value)


def show_photo(label: QLabel, details: inspect.Details, base_dir: Path | None = None, width: int = 320) -> bool:
    """Put the photo of ``details`` in ``label`` (a component's file or an incident's image), scaled down to
    ``width`` px; hide the label when there is none or it cannot be read. Return whether a photo is shown."""
    pixmap = QPixmap()
    if details.photo_data:
        pixmap.loadFromData(details.photo_data)
    elif details.photo and base_dir is not None:
        pixmap.load(str(base_dir / details.photo))
    shown = not pixmap.isNull()
    if shown:
        label.setPixmap(pixmap.scaledToWidth(min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation))
    label.setVisible(shown)
    return shown


class InspectorPanel(QWidget):
    """Shows one or more Details sections: fields, counts, photo, incidents."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("inspector")
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("Click a component or a grid on the map."), self)
        self.title.setObjectName("inspector_title")
        self.title.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("inspector_fields")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([tr("Field"), tr("Value")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.photo = QLabel(self)
        self.photo.setObjectName("inspector_photo")
        self.photo.setVisible(False)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.photo)
        self.sections: list[inspect.Details] = []

    def clear(self) -> None:
        self.sections = []
        self.tree.clear()
        self.photo.setVisible(False)
        self.title.setText(tr("Click a component or a grid on the map."))

    def show_details(self, sections: list[inspect.Details], base_dir: Path | None = None) -> None:
        self.sections = sections
        self.tree.clear()
        self.photo.setVisible(False)
        if not sections:
            self.title.setText(tr("Nothing here."))
            return
        self.title.setText(" / ".join(s.title for s in sections))
        photo_shown = False
        for details in sections:
            section = QTreeWidgetItem(self.tree, [details.title, ""])
            section.setFirstColumnSpanned(True)
            for key, stored in details.rows:
                shown = value_label(key, stored)
                row = QTreeWidgetItem(section, [field_label(key), shown])
                row.setToolTip(1, shown)
            if details.counts:
                counts = QTreeWidgetItem(section, [tr("Components by major class"), str(sum(details.counts.values()))])
                for major, n in details.counts.items():
                    QTreeWidgetItem(counts, [major, str(n)])
                counts.setExpanded(True)
            if details.kind == "component":
                cases = QTreeWidgetItem(section, [tr("Incidents on this component"), str(len(details.incidents))])
                for case in details.incidents:
                    when = (case["reported_at"] or "").replace("T", " ")[:16]
                    status = value_label("status", case["status"])
                    QTreeWidgetItem(cases, [when, f"{case['code']}  {case['class_name'] or ''}  {status}"])
                cases.setExpanded(True)
            section.setExpanded(True)
            photo_shown = photo_shown or show_photo(self.photo, details, base_dir)

    def value(self, key: str, section: int = 0) -> str | None:
        """The value shown for a field key (for tests and copy actions)."""
        if section >= len(self.sections):
            return None
        return dict(self.sections[section].rows).get(key)


class IdentifyTool(QgsMapToolIdentify):
    """Translates a click into what is there; the window's inspector shows it."""

    identified = pyqtSignal(list)

    def __init__(self, canvas, window):
        super().__init__(canvas)
        self._window = window

    def canvasReleaseEvent(self, event) -> None:
        point = event.pos()
        sections = self.details_at(point.x(), point.y())
        self.identified.emit(sections)

    def _nearest(self, results, x: int, y: int):
        """Of several features within the click radius, the one closest to the cursor."""
        point = QgsGeometry.fromPointXY(self.toMapCoordinates(QPoint(x, y)))
        return min(results, key=lambda r: r.mFeature.geometry().distance(point))

    def details_at(self, x: int, y: int) -> list[inspect.Details]:
        """Details of what lies under the pixel (x, y): an incident or a component first, else the grids."""
        window = self._window
        store = window.store
        if store is None:
            return []
        for key in ("incident", "component_point", "component_line", "component_polygon"):
            layer = window.layer(key)
            if layer is None or not window.is_layer_visible(layer):
                continue
            results = self.identify(x, y, [layer], QgsMapToolIdentify.TopDownAll)
            if results:
                code = self._nearest(results, x, y).mFeature["code"]
                details = inspect.incident(store, code) if key == "incident" else inspect.component(store, code)
                return [details] if details else []
        sections = []
        layer = window.layer("unit_grid")
        if layer is not None:
            results = self.identify(x, y, [layer], QgsMapToolIdentify.TopDownStopAtFirst)
            if results:
                grid = inspect.unit_grid(store, results[0].mFeature["code"])
                if grid is not None:
                    sections.append(grid)
                    code = grid.links.get("responsibility_grid")
                    resp = inspect.responsibility_grid(store, code) if code else None
                    if resp is not None:
                        sections.append(resp)
        return sections
