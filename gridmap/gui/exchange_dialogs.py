"""Export and import wizards. Long work runs in a background thread with its own store connection,
a progress bar and Cancel; a cancelled export leaves nothing behind."""

from __future__ import annotations

import time
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, Qt, QThread, QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.i18n import interface_language
from gridmap.gui.layers import layer_specs
from gridmap.gui.messages import translate
from gridmap.io.export import ExportCancelled, ExportOptions, export, export_per_unit
from gridmap.io.importer import ImportOptions, import_file, load_mapping
from gridmap.io.sources import source_layers
from gridmap.store import open_store


def tr(text: str) -> str:
    return QCoreApplication.translate("Exchange", text)


#: the component field profiles, with their names in the interface language (looked up when shown)
PROFILES = (("legacy", lambda: tr("Legacy (OBJCODE, DEPTCODE1...)")), ("gbt47678", lambda: "GB/T 47678.5 (GLBJBSM...)"),
            ("native", lambda: tr("gridmap's own names")))


class Job(QThread):
    """Runs ``work(store, progress, cancelled)`` on its own connection to the store file."""

    progressed = pyqtSignal(float)
    done = pyqtSignal(object, str)  # result, error message ('' when it worked)

    def __init__(self, path: Path, work, parent=None):
        super().__init__(parent)
        self.path = path
        self.work = work
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            with open_store(self.path) as store:
                result = self.work(store, self.progressed.emit, lambda: self._cancel)
        except ExportCancelled as exc:
            self.done.emit(None, str(exc))
        except GridmapError as exc:
            self.done.emit(None, str(exc))
        else:
            self.done.emit(result, "")


class ExportDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(tr("Export for other bureaus"))
        self.layer = QComboBox(self)
        self.layer.addItem(tr("Components (points, lines, polygons)"), "components")
        for spec in layer_specs():  # the layers' names in the interface language, the table in the tooltip
            if not spec.table.startswith("component_"):
                self.layer.addItem(spec.title, spec.table)
                self.layer.setItemData(self.layer.count() - 1, spec.table, Qt.ItemDataRole.ToolTipRole)
        self.format = QComboBox(self)
        for key, label in (("shp", "ESRI Shapefile"), ("gpkg", "GeoPackage"), ("geojson", "GeoJSON"),
                           ("csv", tr("CSV with coordinates"))):
            self.format.addItem(label, key)
        self.crs = QComboBox(self)
        self.crs.addItem("", None)  # the format's default: named by _name_default_crs
        self.crs.addItem("CGCS2000 (EPSG:4490)", 4490)
        self.crs.addItem("WGS84 (EPSG:4326)", 4326)
        self.format.currentIndexChanged.connect(self._name_default_crs)
        self._name_default_crs()
        self.encoding = QComboBox(self)
        self.encoding.addItem(tr("GBK (older tools)"), "gbk")
        self.encoding.addItem("UTF-8", "utf-8")
        self.profile = QComboBox(self)
        for key, label in PROFILES:
            self.profile.addItem(label(), key)
        self.where = QLineEdit(self)
        self.where.setPlaceholderText("state = '破损' AND class_code LIKE '01%'")
        self.per_unit = QCheckBox(tr("One zip package per responsible unit"), self)
        self.folder = QLineEdit(str(Path.home() / "gridmap-export"), self)
        browse = QPushButton(tr("Browse..."), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        self.open_button = QPushButton(tr("Open folder"), self)
        self.open_button.setObjectName("export_open_folder")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self.open_folder)
        self._clock = QTimer(self)  # the export reports progress in steps: the time shows it is alive
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._started = 0.0
        self._reported = False
        self.start_button = QPushButton(tr("Export"), self)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        form = QFormLayout()
        form.addRow(tr("Layer"), self.layer)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Coordinate system"), self.crs)
        form.addRow(tr("Encoding"), self.encoding)
        form.addRow(tr("Field names"), self.profile)
        form.addRow(tr("Filter"), self.where)
        form.addRow(self.per_unit)
        form.addRow(tr("Folder"), row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.job: Job | None = None
        self.result = None
        self.target: Path | None = None

    def _name_default_crs(self) -> None:
        """The first CRS choice says what "no choice" writes: GeoJSON is WGS 84 lon/lat (RFC 7946), the
        other formats keep the store's CRS."""
        if self.format.currentData() == "geojson":
            text = tr("GeoJSON's own: WGS84 longitude/latitude (EPSG:4326)")
        else:
            srid = self.session.store.srid if self.session.store else ""
            text = tr("The store's own (EPSG:{0})").format(srid)
        self.crs.setItemText(0, text)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Export into"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExportOptions:
        return ExportOptions(layer=self.layer.currentData(), format=self.format.currentData(),
                             crs=self.crs.currentData(), encoding=self.encoding.currentData(),
                             profile=self.profile.currentData(), where=self.where.text().strip() or None,
                             language=interface_language())

    def confirm_overwrite(self, folder: Path) -> bool:
        """Ask before writing into a folder that already holds files (same names are replaced)."""
        existing = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        if not existing:
            return True
        shown = ", ".join(existing[:6]) + (" ..." if len(existing) > 6 else "")
        answer = QMessageBox.question(
            self, tr("Export for other bureaus"),
            tr("{0} already holds {1} file(s) ({2}). Files with the same names will be replaced. Export into it?")
            .format(folder, len(existing), shown),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def start(self) -> None:
        options, folder, per_unit = self.options(), Path(self.folder.text()), self.per_unit.isChecked()
        if not self.confirm_overwrite(folder):
            self.message.setText(tr("Not exported: choose another folder or confirm."))
            return
        self.target = folder

        def work(store, progress, cancelled):
            run = export_per_unit if per_unit else export
            return run(store, folder, options, progress, cancelled)

        self.job = Job(self.session.store.location, work, self)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._done)
        self.start_button.setEnabled(False)
        self.open_button.setVisible(False)
        self.progress.setRange(0, 0)  # busy until the first step is reported: the bar moves from the start
        self._reported = False
        self._started = time.monotonic()
        self._clock.start()
        self._tick()
        self.job.start()

    def _progressed(self, fraction: float) -> None:
        if not self._reported:
            self._reported = True
            self.progress.setRange(0, 100)
        self.progress.setValue(round(fraction * 100))

    def _tick(self) -> None:
        self.message.setText(tr("Exporting... {0:.0f} s").format(time.monotonic() - self._started))

    def cancel(self) -> None:
        if self.job is not None and self.job.isRunning():
            self.job.cancel()
        else:
            self.reject()

    def _done(self, result, error: str) -> None:
        self._clock.stop()
        self.progress.setRange(0, 100)
        self.start_button.setEnabled(True)
        self.result = result
        if error:
            self.message.setText(translate(error) if "cancelled" not in error else
                                 tr("Export cancelled; nothing was written."))
            self.progress.setValue(0)
            return
        self.progress.setValue(100)
        total = sum(result.counts.values())
        self.message.setText(tr("Exported {0:,} feature(s) into {1} file(s) in {2}").format(
            total, len(result.files), self.target))
        self.open_button.setVisible(True)

    def open_folder(self) -> bool:
        """Show the export's folder in the desktop's file manager."""
        return self.target is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.target)))


class ImportDialog(QDialog):
    """Check first (the report shows the detected encoding and every problem), then import."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(tr("Import from a bureau's file"))
        self.file = QLineEdit(self)
        browse = QPushButton(tr("Browse..."), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        self.source_layer = QComboBox(self)  # a zip's data files or a GeoPackage's layers, when there are several
        self.source_layer.setObjectName("import_source_layer")
        self.layer = QComboBox(self)
        self.layer.addItem(tr("Components"), "components")
        self.layer.addItem(tr("Unit grids"), "unit_grid")
        self.encoding = QComboBox(self)
        self.encoding.addItem(tr("From the .cpg, else detected"), None)
        self.encoding.addItem("GBK", "gbk")
        self.encoding.addItem("GB18030", "gb18030")
        self.encoding.addItem("UTF-8", "utf-8")
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(tr("EPSG:N, a PROJ string or WKT; wins over the file's .prj"))
        self.gcj02 = QCheckBox(tr("Coordinates are GCJ-02 (from a phone map): correct them"), self)
        self.x_field = QLineEdit(self)
        self.x_field.setPlaceholderText(tr("x, lon, 经度... recognised by name"))
        self.y_field = QLineEdit(self)
        self.y_field.setPlaceholderText(tr("y, lat, 纬度... recognised by name"))
        columns = QHBoxLayout()
        columns.addWidget(self.x_field)
        columns.addWidget(self.y_field)
        self.explode = QCheckBox(tr("Each part of a multi-part geometry its own component"), self)
        self.lossy_repair = QCheckBox(tr("Allow a repair that keeps only the largest part"), self)
        self.profile = QComboBox(self)
        self.profile.addItem(tr("Recognise from the field names"), None)
        for key, label in PROFILES:
            self.profile.addItem(label(), key)
        self.mapping = QLineEdit(self)
        self.mapping.setPlaceholderText(tr("Saved field mapping (JSON), optional"))
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.check_button = QPushButton(tr("Check"), self)
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton(tr("Import"), self)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        form = QFormLayout()
        self.form = form
        form.addRow(tr("File"), row)
        form.addRow(tr("Layer in the file"), self.source_layer)
        form.addRow(tr("Into"), self.layer)
        form.addRow(tr("Encoding"), self.encoding)
        form.addRow(tr("Coordinate system"), self.crs)
        form.addRow(self.gcj02)
        form.addRow(tr("CSV x / y columns"), columns)
        form.addRow(tr("Field names"), self.profile)
        form.addRow(tr("Mapping"), self.mapping)
        form.addRow(self.explode)
        form.addRow(self.lossy_repair)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        self.last = None
        self._layers_of = ""  # the file whose layers the chooser offers
        self._show_source_layers([])
        for widget in (self.file, self.crs, self.mapping, self.x_field, self.y_field):
            widget.textChanged.connect(lambda _t: self.import_button.setEnabled(False))
        for box in (self.explode, self.lossy_repair, self.gcj02):
            box.toggled.connect(lambda _on: self.import_button.setEnabled(False))
        for combo in (self.source_layer, self.layer, self.encoding, self.profile):
            combo.currentIndexChanged.connect(lambda _k: self.import_button.setEnabled(False))
        self.file.editingFinished.connect(self.read_source_layers)

    def _show_source_layers(self, names: list[str]) -> None:
        self.source_layer.clear()
        if len(names) > 1:  # none chosen: gridmap's own exports are read whole, other files are refused naming them
            self.source_layer.addItem(tr("All {0} if it is gridmap's own export, else choose one").format(len(names)),
                                      None)
        for name in names:
            self.source_layer.addItem(name, name)
        shown = len(names) > 1  # nothing to choose in a file with one layer
        self.source_layer.setVisible(shown)
        self.form.labelForField(self.source_layer).setVisible(shown)

    def read_source_layers(self) -> list[str]:
        """Offer the file's layers (a zip's data files, a GeoPackage's layers) when it has several; return them."""
        path = Path(self.file.text().strip())
        self._layers_of = self.file.text().strip()
        names = []
        if path.suffix.lower() in (".zip", ".gpkg") and path.is_file():
            try:
                names = source_layers(path)
            except GridmapError as exc:
                self.report.setPlainText(translate(str(exc)))
        self._show_source_layers(names)
        return names

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("File to import"), str(Path.home()),
                                              tr("Vector files (*.shp *.gpkg *.geojson *.json *.csv *.zip)"))
        if path:
            self.file.setText(path)
            self.read_source_layers()

    def options(self) -> ImportOptions:
        crs = self.crs.text().strip()
        return ImportOptions(layer=self.layer.currentData(), encoding=self.encoding.currentData(),
                             crs=int(crs) if crs.isdigit() else (crs or None), gcj02=self.gcj02.isChecked(),
                             profile=self.profile.currentData(),
                             mapping=load_mapping(self.mapping.text()) if self.mapping.text().strip() else None,
                             source_layer=self.source_layer.currentData(),
                             x=self.x_field.text().strip() or None, y=self.y_field.text().strip() or None,
                             explode=self.explode.isChecked(), lossy_repair=self.lossy_repair.isChecked())

    def run(self, dry_run: bool):
        """Check (dry run) or import; the import button opens only after a clean check."""
        if self.file.text().strip() != self._layers_of:  # a file given without leaving the field
            self.read_source_layers()
        try:
            report = import_file(self.session.store, self.file.text(), self.options(), dry_run=dry_run)
        except GridmapError as exc:
            self.report.setPlainText(translate(str(exc)))
            self.import_button.setEnabled(False)
            return None
        self.last = report
        self.report.setPlainText("\n".join(report_lines(report)))
        self.import_button.setEnabled(dry_run and not report.errors)
        if report.written:
            self.session.reload_layers(["component_point", "component_line", "component_polygon", "unit_grid",
                                       "responsibility_grid"])
        return report


def _row_message(text: str) -> str:
    """A row's problem in the interface language; the component's code before it stays as it is."""
    translated = translate(text)
    if translated == text and ": " in text:
        head, tail = text.split(": ", 1)
        return f"{head}: {translate(tail)}"
    return translated


def report_lines(report, limit: int = 200) -> list[str]:
    """An import report as the dialog shows it: the same lines as the command's, in the interface language."""
    def where(row):
        if row is None:
            return tr("file")
        if report.labels and 0 < row <= len(report.labels):
            return report.labels[row - 1]
        return tr("row {0}").format(row)

    profiles = {key: label() for key, label in PROFILES} | {"mapping": tr("the saved mapping")}
    out = [tr("{0}: {1} row(s), encoding {2}, coordinate system {3}, field names {4}").format(
        report.path, report.rows, report.encoding or "-", report.crs or "-",
        profiles.get(report.profile, report.profile or "-"))]
    out += [tr("  notice: {0}").format(_row_message(text)) for text in report.notices[:limit]]
    out += [tr("  {0}: repaired: {1}").format(where(row), _row_message(text)) for row, text in report.repaired[:limit]]
    out += [tr("  {0}: {1}").format(where(row), _row_message(text)) for row, text in report.errors[:limit]]
    left = sum(max(0, len(items) - limit) for items in (report.notices, report.repaired, report.errors))
    if left:
        out.append(tr("  ... {0} more line(s)").format(left))
    if report.errors and not report.written:
        out.append(tr("Nothing written: {0} error(s)").format(len(report.errors)))
    elif report.written:
        out.append(tr("Wrote {0} new, {1} updated, {2} unchanged").format(report.inserted, report.updated,
                                                                          report.unchanged))
    else:
        out.append(tr("Would write {0} new, {1} updated, {2} unchanged").format(report.inserted, report.updated,
                                                                                report.unchanged))
    return out
