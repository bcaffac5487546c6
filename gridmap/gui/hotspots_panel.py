"""The Hotspots dock: choose a period and a class, see the significantly hot and cold unit grids (Gi*) on
the map and in a table, a heatmap of the cases, and a time slider that steps the map through the
period a week or a month at a time (QGIS's temporal range on the map canvas)."""

from __future__ import annotations

import datetime as dt

from qgis.core import QgsDateTimeRange, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.calendar import city_now
from gridmap.domain.errors import GridmapError
from gridmap.domain.hotspots import COLD, HOT
from gridmap.gui.hotspot_layers import heatmap_layer, hotspot_layer
from gridmap.gui.messages import translate
from gridmap.store.hotspots import case_classes, hotspot_map


def tr(text: str) -> str:
    return QCoreApplication.translate("HotspotPanel", text)


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def steps_of(since: dt.datetime, until: dt.datetime, step: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """The period cut into weeks (from its first day) or calendar months, the last one cut at ``until``."""
    out, start = [], since
    while start < until:
        if step == "month":
            end = dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            end = start + dt.timedelta(days=7)
        out.append((start, min(end, until)))
        start = end
    return out


class HotspotPanel(QWidget):
    """Takes the Session; ``shown(found)`` after a hotspot map is on the map."""

    shown = pyqtSignal(object)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("hotspot_panel")
        self.session = session
        self.found = None
        self.grid_layer = None
        self.heat_layer = None
        self.steps: list[tuple[dt.datetime, dt.datetime]] = []
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-90), self)
        self.until = QDateEdit(today, self)
        for edit, name in ((self.since, "hotspot_from"), (self.until, "hotspot_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.case_class = QComboBox(self)
        self.case_class.setObjectName("hotspot_class")
        self.run_button = QPushButton(tr("Show hotspots"), self)
        self.run_button.setObjectName("hotspot_run")
        self.run_button.clicked.connect(self.run)
        self.heatmap = QCheckBox(tr("Heatmap of the cases"), self)
        self.heatmap.setObjectName("hotspot_heatmap")
        self.heatmap.setChecked(True)
        self.heatmap.toggled.connect(self._heatmap_toggled)
        self.animate = QCheckBox(tr("Step through time"), self)
        self.animate.setObjectName("hotspot_animate")
        self.animate.toggled.connect(self._time_changed)
        self.step = QComboBox(self)
        self.step.setObjectName("hotspot_step")
        self.step.addItem(tr("a week"), "week")
        self.step.addItem(tr("a month"), "month")
        self.step.currentIndexChanged.connect(self._steps_changed)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("hotspot_time")
        self.slider.valueChanged.connect(self._time_changed)
        self.time_label = QLabel(self)
        self.time_label.setObjectName("hotspot_time_label")
        self.summary = QLabel(self)
        self.summary.setObjectName("hotspot_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("hotspot_table")
        self.table.setHorizontalHeaderLabels([tr("Unit grid"), tr("Cases"), tr("Gi* z"), tr("p"), tr("Class")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.zoom_to(self.table.item(row, 0).text()))

        form = QFormLayout()
        period = QHBoxLayout()
        period.addWidget(self.since)
        period.addWidget(QLabel("–", self))
        period.addWidget(self.until)
        form.addRow(tr("Period"), period)
        form.addRow(tr("Class"), self.case_class)
        time_row = QHBoxLayout()
        time_row.addWidget(self.animate)
        time_row.addWidget(self.step)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.run_button)
        layout.addWidget(self.heatmap)
        layout.addLayout(time_row)
        layout.addWidget(self.slider)
        layout.addWidget(self.time_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._set_time_enabled(False)
        session.store_opened.connect(self.on_store_opened)

    # --- the store ----------------------------------------------------------------------------

    def on_store_opened(self, store) -> None:
        """New store: forget the layers of the last one, list the classes its cases were reported in."""
        self.clear()
        self.case_class.clear()
        self.case_class.addItem(tr("All classes"), None)
        kinds = {"event": tr("Event"), "component": tr("Component")}
        for kind, code, name in case_classes(store):
            self.case_class.addItem(f"{kinds.get(kind, kind)} {code} {name}", f"{kind}:{code}")
        end = city_now().date()
        self.until.setDate(QDate(end.year, end.month, end.day))
        self.since.setDate(QDate(end.year, end.month, end.day).addDays(-90))

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        """[first day, the day after the last) of the chosen period."""
        since = dt.datetime.combine(_to_date(self.since.date()), dt.time())
        until = dt.datetime.combine(_to_date(self.until.date()) + dt.timedelta(days=1), dt.time())
        return since, until

    def classes(self) -> list[str]:
        value = self.case_class.currentData()
        return [value] if value else []

    # --- the map ------------------------------------------------------------------------------

    def run(self):
        """Compute the hotspots of the chosen period and class and show them; return the HotspotMap (None if
        refused: the reason goes to the summary line)."""
        store = self.session.store
        if store is None:
            return None
        since, until = self.period()
        try:
            found = hotspot_map(store, since, until, self.classes())
        except GridmapError as exc:
            self.summary.setText(translate(str(exc)))
            return None
        self.clear()
        self.found = found
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        self.grid_layer = hotspot_layer(found, f"EPSG:{store.srid}", tr("Hotspots (Gi*)"))
        self.heat_layer = heatmap_layer(self.session.store_layers.source, since, until, self.classes(),
                                        tr("Heatmap of cases"))
        for layer in (self.heat_layer, self.grid_layer):  # the grids above the heat
            project.addMapLayer(layer, False)
            root.insertLayer(0, layer)
        self._heatmap_toggled(self.heatmap.isChecked())
        self._fill_table(found)
        self._steps_changed()
        self._set_time_enabled(True)
        self.shown.emit(found)
        return found

    def _fill_table(self, found) -> None:
        significant = [h for h in found.grids if h.kind in (HOT, COLD)]
        labels = {HOT: tr("hot"), COLD: tr("cold")}
        self.table.setRowCount(len(significant))
        for row, h in enumerate(significant):
            values = (h.code, f"{h.cases}", f"{h.z:+.2f}", f"{h.p:.2g}", f"{labels[h.kind]} {h.confidence}%")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
                self.table.setItem(row, column, item)
        hot = sum(h.kind == HOT for h in found.grids)
        cold = sum(h.kind == COLD for h in found.grids)
        self.summary.setText(tr("{0} case(s) in {1} unit grids: {2} hot, {3} cold (Getis-Ord Gi*, p ≤ 0.05). "
                                "Double-click a row to go there.").format(f"{found.cases:,}", len(found.grids),
                                                                          hot, cold))

    def zoom_to(self, code: str) -> None:
        if self.found is None or code not in self.found.polygons:
            return
        x0, y0, x1, y1 = self.found.polygons[code].buffer(300).bounds
        self.session.canvas.setExtent(QgsRectangle(x0, y0, x1, y1))
        self.session.canvas.refresh()

    def clear(self) -> None:
        """Take the hotspot and heatmap layers off the map and end any time stepping."""
        for layer in (self.grid_layer, self.heat_layer):
            if layer is not None and QgsProject.instance().mapLayer(layer.id()) is not None:
                QgsProject.instance().removeMapLayer(layer.id())
        self.grid_layer = self.heat_layer = self.found = None
        self.table.setRowCount(0)
        self.animate.setChecked(False)
        self._set_time_enabled(False)
        self.session.canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # no limits: not temporal

    def _heatmap_toggled(self, on: bool) -> None:
        if self.heat_layer is not None:
            node = QgsProject.instance().layerTreeRoot().findLayer(self.heat_layer.id())
            if node is not None:
                node.setItemVisibilityChecked(on)

    # --- time ---------------------------------------------------------------------------------

    def _set_time_enabled(self, on: bool) -> None:
        for widget in (self.animate, self.step, self.slider):
            widget.setEnabled(on)
        if not on:
            self.time_label.setText(tr("Show hotspots first, then step the heatmap through the period."))

    def _steps_changed(self, *_args) -> None:
        self.steps = steps_of(*self.period(), self.step.currentData())
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(self.steps) - 1, 0))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self._time_changed()

    def time_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The part of the period the map shows now, or None when it shows the whole period."""
        if not self.animate.isChecked() or not self.steps:
            return None
        return self.steps[min(self.slider.value(), len(self.steps) - 1)]

    def _time_changed(self, *_args) -> None:
        """Set the map canvas's temporal range: the heatmap layer (temporal on reported_at) then draws only
        the cases of that week or month; the hotspot grids stay those of the whole period."""
        shown = self.time_range()
        canvas = self.session.canvas
        if shown is None:
            canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # no limits: not temporal
            if self.found is not None:
                self.time_label.setText(tr("The whole period."))
            return
        start, end = (QDateTime(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute)) for t in shown)
        canvas.setTemporalRange(QgsDateTimeRange(start, end, True, False))
        last = shown[1] - dt.timedelta(seconds=1)
        self.time_label.setText(tr("Cases reported {0} – {1} ({2} of {3})").format(
            f"{shown[0]:%Y-%m-%d}", f"{last:%Y-%m-%d}", self.slider.value() + 1, len(self.steps)))
