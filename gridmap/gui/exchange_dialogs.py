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
from gridmap.gui.layers import layer_specs
from gridmap.gui.messages import translate
from gridmap.io.export import ExportCancelled, ExportOptions, export, export_per_unit
from gridmap.io.importer import ImportOptions, import_file, load_mapping
from gridmap.store import open_store


def tr(text: str) -> str:
    return QCoreApplication.translate("Exchange", text)


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
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
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
        self.crs.addItem(tr("The file's own (EPSG:{0})").format(window.store.srid if window.store else ""), None)
        self.crs.addItem("CGCS2000 (EPSG:4490)", 4490)
        self.crs.addItem("WGS84 (EPSG:4326)", 4326)
        self.encoding = QComboBox(self)
        self.encoding.addItem(tr("GBK (older tools)"), "gbk")
        self.encoding.addItem("UTF-8", "utf-8")
        self.profile = QComboBox(self)
        for key, label in (("legacy", tr("Legacy (OBJCODE, DEPTCODE1...)")), ("gbt47678", "GB/T 47678.5 (GLBJBSM...)"),
                           ("native", tr("gridmap's own names"))):
            self.profile.addItem(label, key)
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

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Export into"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExportOptions:
        return ExportOptions(layer=self.layer.currentData(), format=self.format.currentData(),
                             crs=self.crs.currentData(), encoding=self.encoding.currentData(),
                             profile=self.profile.currentData(), where=self.where.text().strip() or None)

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

        self.job = Job(self.window.store.path, work, self)
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

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(tr("Import from a bureau's file"))
        self.file = QLineEdit(self)
        browse = QPushButton(tr("Browse..."), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        self.layer = QComboBox(self)
        self.layer.addItem(tr("Components"), "components")
        self.layer.addItem(tr("Unit grids"), "unit_grid")
        self.encoding = QComboBox(self)
        self.encoding.addItem(tr("From the .cpg, else detected"), None)
        self.encoding.addItem("GBK", "gbk")
        self.encoding.addItem("UTF-8", "utf-8")
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(tr("EPSG code, only when the file has no .prj"))
        self.gcj02 = QCheckBox(tr("Coordinates are GCJ-02 (from a phone map): correct them"), self)
        self.profile = QComboBox(self)
        self.profile.addItem(tr("Recognise from the field names"), None)
        for key in ("legacy", "gbt47678", "native"):
            self.profile.addItem(key, key)
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
        form.addRow(tr("File"), row)
        form.addRow(tr("Into"), self.layer)
        form.addRow(tr("Encoding"), self.encoding)
        form.addRow(tr("Coordinate system"), self.crs)
        form.addRow(self.gcj02)
        form.addRow(tr("Field names"), self.profile)
        form.addRow(tr("Mapping"), self.mapping)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        self.last = None
        for widget in (self.file, self.crs, self.mapping):
            widget.textChanged.connect(lambda _t: self.import_button.setEnabled(False))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("File to import"), str(Path.home()),
                                              tr("Vector files (*.shp *.gpkg *.geojson *.json *.csv)"))
        if path:
            self.file.setText(path)

    def options(self) -> ImportOptions:
        crs = self.crs.text().strip().upper().removeprefix("EPSG:")
        return ImportOptions(layer=self.layer.currentData(), encoding=self.encoding.currentData(),
                             crs=int(crs) if crs.isdigit() else None, gcj02=self.gcj02.isChecked(),
                             profile=self.profile.currentData(),
                             mapping=load_mapping(self.mapping.text()) if self.mapping.text().strip() else None)

    def run(self, dry_run: bool):
        """Check (dry run) or import; the import button opens only after a clean check."""
        try:
            report = import_file(self.window.store, self.file.text(), self.options(), dry_run=dry_run)
        except GridmapError as exc:
            self.report.setPlainText(translate(str(exc)))
            self.import_button.setEnabled(False)
            return None
        self.last = report
        self.report.setPlainText("\n".join(report.lines()))
        self.import_button.setEnabled(dry_run and not report.errors)
        if report.written:
            self.window.reload_layers(["component_point", "component_line", "component_polygon", "unit_grid",
                                       "responsibility_grid"])
        return report
