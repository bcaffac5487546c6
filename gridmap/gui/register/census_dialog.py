"""The census merge at the desk (部件普查更新): a survey file compared with the register (gridmap.io.census), its
groups shown with their components, each group ticked to accept or left to reject, then the accepted
groups written in one transaction and the component layers re-read."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.messages import translate
from gridmap.io.census import DEFAULT_TOLERANCE, GROUPS, apply, compare
from gridmap.io.checks import ImportOptions
from gridmap.store.schema import COMPONENT_TABLES


def tr(text: str) -> str:
    return QCoreApplication.translate("CensusDialog", text)


def group_label(group: str) -> str:
    return {"new": tr("New components"), "moved": tr("Moved beyond the tolerance"), "changed": tr("Changed fields"),
            "missing": tr("Not found by the survey (retired if accepted)")}[group]


class CensusDialog(QDialog):
    """Emits ``written(new codes by file row)`` after the accepted groups were written."""

    written = pyqtSignal(dict)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("census_dialog")
        self.setWindowTitle(tr("Census merge"))
        self.session = session
        self.census = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(tr("A survey of an area: shapefile, GeoPackage, GeoJSON or CSV"))
        browse = QPushButton(tr("Choose..."), self)
        browse.clicked.connect(self.choose_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow(tr("Survey file"), file_row)
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(tr("the file's own (or e.g. EPSG:4546)"))
        form.addRow(tr("Coordinate system"), self.crs)
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setRange(0.01, 1000)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        self.tolerance.setSuffix(" m")
        form.addRow(tr("Moved beyond"), self.tolerance)
        layout.addLayout(form)
        self.compare_button = QPushButton(tr("Compare with the register"), self)
        self.compare_button.clicked.connect(self.compare_dialog)
        layout.addWidget(self.compare_button)
        self.summary = QLabel(tr("Nothing is written until you accept groups and write them."), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.accept_boxes = {}
        boxes = QHBoxLayout()
        for group in GROUPS:
            box = QCheckBox(group_label(group), self)
            box.setEnabled(False)
            self.accept_boxes[group] = box
            boxes.addWidget(box)
        layout.addLayout(boxes)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([tr("Component"), tr("Class"), tr("What changes")])
        layout.addWidget(self.tree, 1)
        self.write_button = QPushButton(tr("Write the accepted groups"), self)
        self.write_button.setEnabled(False)
        self.write_button.clicked.connect(self.write_dialog)
        layout.addWidget(self.write_button)
        self.resize(760, 520)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Survey file"), str(Path.home()),
                                              tr("Survey files (*.shp *.gpkg *.geojson *.json *.csv *.zip)"))
        if path:
            self.path.setText(path)

    def compare_file(self, path: str, crs: str | None = None) -> None:
        """Compare ``path`` with the register and show the groups; raises GridmapError."""
        text = (crs or "").strip().upper().removeprefix("EPSG:")
        options = ImportOptions(crs=int(text) if text.isdigit() else (crs or None))
        self.census = compare(self.session.store, path, tolerance=self.tolerance.value(), options=options)
        counts = self.census.counts()
        self.tree.clear()
        for group in GROUPS:
            items = self.census.groups[group]
            top = QTreeWidgetItem(self.tree, [f"{group_label(group)} ({len(items)})", "", ""])
            top.setFirstColumnSpanned(True)
            for item in items[:500]:
                if item.distance is not None:
                    what = tr("moved {0} m").format(f"{item.distance:g}")
                else:
                    what = "; ".join(f"{k}: {v[0] or '—'} → {v[1] or '—'}" if isinstance(v, tuple) else f"{k}: {v}"
                                     for k, v in item.values.items())
                QTreeWidgetItem(top, [item.code or tr("(row {0})").format(item.row), item.class_code, what])
            box = self.accept_boxes[group]
            box.setEnabled(bool(items))
            box.setChecked(False)
        self.summary.setText(tr("{0} unit grids surveyed; {1} components as registered; {2} rows fit no group. "
                                "Tick the groups to accept.").format(len(self.census.unit_grids), self.census.unchanged,
                                                                     len(self.census.errors)))
        for row, text in self.census.errors[:200]:
            QTreeWidgetItem(self.tree, [tr("row {0}").format(row), "", text])
        self.write_button.setEnabled(any(counts.values()))

    def compare_dialog(self) -> None:
        try:
            self.compare_file(self.path.text().strip(), self.crs.text())
        except (GridmapError, OSError) as exc:
            QMessageBox.warning(self, tr("Census merge"), translate(str(exc)))

    def accepted(self) -> list[str]:
        return [g for g, box in self.accept_boxes.items() if box.isEnabled() and box.isChecked()]

    def write(self) -> dict:
        """Write the ticked groups in one transaction, re-read the component layers; return the new codes."""
        accepted = self.accepted()
        codes = apply(self.session.store, self.census, accepted)
        self.session.reload_layers(list(COMPONENT_TABLES.values()))
        self.write_button.setEnabled(False)
        for box in self.accept_boxes.values():
            box.setEnabled(False)
        self.summary.setText(tr("Written: {0}. Compare again to see what remains.").format(
            ", ".join(group_label(g) for g in accepted) or tr("nothing")))
        self.written.emit(codes)
        return codes

    def write_dialog(self) -> None:
        if not self.accepted():
            QMessageBox.information(self, tr("Census merge"), tr("Tick the groups to accept first."))
            return
        try:
            self.write()
        except GridmapError as exc:
            QMessageBox.warning(self, tr("Census merge"), translate(str(exc)))
        else:
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
