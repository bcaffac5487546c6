"""The inspector dock and the identify tool that feeds it.

Like QGIS's identify: a click offers every feature under it — the cases and
components within the click radius, then the unit grid and the responsibility
grid there — each a section with every field under readable names. Choosing a
section highlights its feature on the map; a case row opens the case.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsGeometry
from qgis.gui import QgsHighlight, QgsMapToolIdentify
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.gui.photo import bounded_pixmap
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
        "street_kind": tr("Kind"), "communities": tr("Communities"), "level": tr("Level"), "parent": tr("Parent"),
        "material": tr("Material"), "class_code": tr("Class"), "unit_grid_code": tr("Unit grid"),
        "competent_unit_code": tr("Competent unit"), "owner_unit_code": tr("Owner unit"),
        "maintainer_unit_code": tr("Maintainer unit"),
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
        "street_kind": {"street": tr("Street"), "town": tr("Town")},
        # the levels of the chain a case is handled at (an incident's level; a community grid's is a number)
        "level": {"grid": tr("Grid group"), "community": tr("Community room"), "street": tr("Street station"),
                  "district": tr("District centre")},
    }
    return words.get(key, {}).get(value, value)


def change_label(change: str) -> str:
    """A change of the register (store.register) in the interface language."""
    return {"add": tr("Added"), "move": tr("Moved"), "reshape": tr("Reshaped"), "set": tr("Attributes changed"),
            "retire": tr("Retired"), "census": tr("Census")}.get(change, change)


def show_photo(label: QLabel, details: inspect.Details, base_dir: Path | None = None, width: int = 320) -> bool:
    """Put the photo of ``details`` in ``label`` (a component's file or an incident's image), scaled down to
    ``width`` px; hide the label when there is none or it cannot be read. Return whether a photo is shown."""
    pixmap = None
    if details.photo_data:
        pixmap = bounded_pixmap(details.photo_data, width)
    elif details.photo and base_dir is not None:
        pixmap = bounded_pixmap(base_dir / details.photo, width)
    shown = pixmap is not None
    if shown:
        label.setPixmap(pixmap)
    label.setVisible(shown)
    return shown


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped value at the column's current width.

    A tree view measures rows without knowing the column width, so a long value would
    stay one line and be cut off; this measures it at the width the header gives it.
    """

    def __init__(self, tree):
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        text = index.data()
        if index.column() != 1 or not text:
            return size
        width = max(40, self.tree.columnWidth(1) - 12)
        flags = int(Qt.TextFlag.TextWordWrap)
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), flags, str(text))
        return QSize(size.width(), max(size.height(), rect.height() + 6))


ROLE = Qt.ItemDataRole.UserRole
MAX_PER_LAYER = 10  # features offered per layer for one click (QGIS offers all; ten cover a crowded spot)


class InspectorPanel(QWidget):
    """Shows one or more Details sections: fields, counts, photo, incidents.

    Emits ``section_chosen(index)`` when the user moves to another section and
    ``case_chosen(code)`` when a case row is activated (double-click or Enter).
    """

    section_chosen = pyqtSignal(int)
    case_chosen = pyqtSignal(str)

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
        # long values wrap in the narrow dock instead of being cut off
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 120)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        header.sectionResized.connect(lambda *_args: self.tree.scheduleDelayedItemsLayout())
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(self._current_changed)
        self._section = -1
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
        if len(sections) > 2:
            self.title.setText(tr("{0} features here — choose one to highlight it").format(len(sections)))
        else:
            self.title.setText(" / ".join(s.title for s in sections))
        photo_shown = False
        self._section = 0
        for index, details in enumerate(sections):
            section = QTreeWidgetItem(self.tree, [details.title, ""])
            section.setFirstColumnSpanned(True)
            section.setData(0, ROLE, ("section", index, details.code if details.kind == "incident" else ""))
            if details.kind == "incident":
                section.setToolTip(0, tr("Double-click to open the case"))
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
                self._add_history(section, details.history)
                self._add_inspections(section, details.inspections)
                cases = QTreeWidgetItem(section, [tr("Incidents on this component"), str(len(details.incidents))])
                for case in details.incidents:
                    when = (case["reported_at"] or "").replace("T", " ")[:16]
                    status = value_label("status", case["status"])
                    item = QTreeWidgetItem(cases, [when, f"{case['code']}  {case['class_name'] or ''}  {status}"])
                    item.setData(0, ROLE, ("case", index, case["code"]))
                    item.setToolTip(1, tr("Double-click to open the case"))
                cases.setExpanded(True)
            # the first feature open, the others offered by their titles (a grid click shows both grids)
            section.setExpanded(index == 0 or len(sections) <= 2)
            photo_shown = photo_shown or show_photo(self.photo, details, base_dir)

    def _add_history(self, section, changes: list[dict]) -> None:
        """A component's changes, newest first: when, what, who and why, each with the fields it changed."""
        history = QTreeWidgetItem(section, [tr("History"), str(len(changes)) if changes
                                            else tr("as surveyed; no changes in gridmap")])
        history.setData(0, ROLE, ("history", None, ""))
        for change in reversed(changes):
            when = (change["at"] or "").replace("T", " ")[:16]
            who = change["user_name"] or change["user"] or ""
            text = " ".join(p for p in (change_label(change["change"]), who, change["reason"] or "") if p)
            item = QTreeWidgetItem(history, [when, text])
            item.setToolTip(1, text)
            if change["geometry_changed"]:
                QTreeWidgetItem(item, [tr("Location"), tr("changed")])
            for key, (before, after) in change["fields"].items():
                shown = f"{value_label(key, before or '') or '—'} → {value_label(key, after or '') or '—'}"
                QTreeWidgetItem(item, [field_label(key), shown]).setToolTip(1, shown)
        history.setExpanded(bool(changes))

    def _add_inspections(self, section, found: list[dict]) -> None:
        """A component's latest inspections: when, by whom, what was found, the case opened from it."""
        item = QTreeWidgetItem(section, [tr("Inspections"), str(len(found)) if found else tr("none")])
        for inspection in found:
            when = (inspection["at"] or "").replace("T", " ")[:16]
            parts = [inspection["condition"], inspection["staff_name"] or inspection["staff_code"],
                     inspection["note"] or ""]
            if inspection["incident_code"]:
                parts.append(tr("case {0}").format(inspection["incident_code"]))
            text = "  ".join(p for p in parts if p)
            child = QTreeWidgetItem(item, [when, text])
            child.setToolTip(1, text)
        item.setExpanded(bool(found))

    def _activated(self, item, _column) -> None:
        data = item.data(0, ROLE)
        if data and data[0] in ("case", "section") and data[2]:
            self.case_chosen.emit(data[2])

    def _current_changed(self, item, _previous) -> None:
        while item is not None and not (item.data(0, ROLE) and item.data(0, ROLE)[0] == "section"):
            item = item.parent()
        if item is not None and item.data(0, ROLE)[1] != self._section:
            self._section = item.data(0, ROLE)[1]
            self.section_chosen.emit(self._section)

    def choose_section(self, index: int) -> None:
        """Make section ``index`` current (as a click on its title does)."""
        self.tree.setCurrentItem(self.tree.topLevelItem(index))

    def row_item(self, key: str, section: int = 0):
        """The tree item showing field ``key`` of a section (for tests)."""
        top = self.tree.topLevelItem(section)
        label = field_label(key)
        return next((top.child(k) for k in range(top.childCount()) if top.child(k).text(0) == label), None)

    def value(self, key: str, section: int = 0) -> str | None:
        """The value shown for a field key (for tests and copy actions)."""
        if section >= len(self.sections):
            return None
        return dict(self.sections[section].rows).get(key)


class FeatureHighlight:
    """The identified (or found) feature outlined on the map, as QGIS's identify does."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.item: QgsHighlight | None = None

    def show(self, layer, geometry) -> None:
        self.clear()
        if layer is None or geometry is None or geometry.isEmpty():
            return
        self.item = QgsHighlight(self.canvas, geometry, layer)
        self.item.setColor(QColor("#ff1744"))
        self.item.setFillColor(QColor(255, 23, 68, 50))
        self.item.setWidth(3)
        self.item.show()

    def clear(self) -> None:
        if self.item is not None:
            self.canvas.scene().removeItem(self.item)
            self.item = None


class IdentifyTool(QgsMapToolIdentify):
    """Translates a click into what is there; the workspace's inspector shows it.

    ``features`` holds (layer, geometry) for each section of the last click, in order.
    """

    identified = pyqtSignal(list)

    def __init__(self, canvas, session):
        super().__init__(canvas)
        self._session = session
        self.features: list[tuple] = []

    def canvasReleaseEvent(self, event) -> None:
        point = event.pos()
        sections = self.details_at(point.x(), point.y())
        self.identified.emit(sections)

    def _by_distance(self, results, x: int, y: int):
        """Features within the click radius, the closest to the cursor first."""
        point = QgsGeometry.fromPointXY(self.toMapCoordinates(QPoint(x, y)))
        return sorted(results, key=lambda r: r.mFeature.geometry().distance(point))

    def details_at(self, x: int, y: int) -> list[inspect.Details]:
        """Details of everything under the pixel (x, y): cases, components, then the unit and responsibility grid."""
        session = self._session
        store = session.store
        self.features = []
        if store is None:
            return []
        sections = []

        def add(details, layer, feature) -> None:
            if details is not None:
                sections.append(details)
                self.features.append((layer, QgsGeometry(feature.geometry())))

        for key in ("incident", "component_point", "component_line", "component_polygon"):
            layer = session.layer(key)
            if layer is None or not session.is_layer_visible(layer):
                continue
            results = self.identify(x, y, [layer], QgsMapToolIdentify.TopDownAll)
            for result in self._by_distance(results, x, y)[:MAX_PER_LAYER]:
                code = result.mFeature["code"]
                add(inspect.incident(store, code) if key == "incident" else inspect.component(store, code),
                    layer, result.mFeature)
        layer = session.layer("unit_grid")
        if layer is not None:
            results = self.identify(x, y, [layer], QgsMapToolIdentify.TopDownStopAtFirst)
            if results:
                grid = inspect.unit_grid(store, results[0].mFeature["code"])
                add(grid, layer, results[0].mFeature)
                code = grid.links.get("responsibility_grid") if grid is not None else None
                resp_layer = session.layer("responsibility_grid")
                found = self.identify(x, y, [resp_layer], QgsMapToolIdentify.TopDownStopAtFirst) \
                    if resp_layer is not None and code else []
                resp = inspect.responsibility_grid(store, code) if code else None
                if resp is not None and found:
                    add(resp, resp_layer, found[0].mFeature)
                elif resp is not None:
                    sections.append(resp)
                    self.features.append((None, None))
        return sections
