"""The evaluation's trend chart, drawn with pyqtgraph (PyQt5 and PyQt6 alike): cases registered per
month as bars on a count axis, the on-time closure rate as a line on a percentage axis, each value
written on the chart and shown as a tooltip under the mouse."""

from __future__ import annotations

import pyqtgraph as pg
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

# pyqtgraph's exit clean-up builds a QGraphicsScene after QGIS has destroyed the application: Qt
# then aborts the process ("Must construct a QGuiApplication before a QPixmap", exit 134) at every
# exit of the app and of the tests. QGIS tears its objects down itself.
pg.setConfigOption("exitCleanup", False)

BAR = "#90caf9"
LINE = "#c62828"


def tr(text: str) -> str:
    return QCoreApplication.translate("TrendChart", text)


class TrendChart(pg.PlotWidget):
    """Bars: cases registered per month (left axis); line: on-time closure rate (right axis, %)."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setObjectName("trend_chart")
        self.setMinimumHeight(220)
        self.series: list[dict] = []
        self.tooltips: list[str] = []
        self.labels: list[pg.TextItem] = []
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(y=True, alpha=0.2)
        plot.setLabel("left", tr("Registered cases"))
        plot.setLabel("bottom", tr("Month"))
        plot.showAxis("right")
        plot.setLabel("right", tr("On-time closure rate (%)"))
        self.rate_box = pg.ViewBox()
        plot.scene().addItem(self.rate_box)
        plot.getAxis("right").linkToView(self.rate_box)
        self.rate_box.setXLink(plot)
        self.rate_box.setYRange(0, 100, padding=0.05)
        self.rate_box.setMouseEnabled(x=False, y=False)
        plot.vb.setMouseEnabled(x=False, y=False)
        plot.vb.sigResized.connect(self._sync_boxes)
        self.title = ""
        # items are made once and given new data: removing items from a pyqtgraph scene under QGIS's
        # PyQt raises "unable to convert a QVariant back to a Python object" in itemChange
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=QColor(BAR), pen=pg.mkPen(None))
        plot.addItem(self.bars)
        self.hover = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(0, 0, 0, 0), pen=pg.mkPen(None), hoverable=True,
                                        tip=lambda x, y, data: data)
        plot.addItem(self.hover)
        self.line = pg.PlotDataItem([], [], pen=pg.mkPen(LINE, width=2), symbol="o", symbolSize=7, symbolBrush=LINE,
                                    symbolPen=None)
        self.rate_box.addItem(self.line)
        self._count_labels: list[pg.TextItem] = []
        self._rate_labels: list[pg.TextItem] = []

    def _sync_boxes(self) -> None:
        self.rate_box.setGeometry(self.getPlotItem().vb.sceneBoundingRect())
        self.rate_box.linkedViewChanged(self.getPlotItem().vb, self.rate_box.XAxis)

    def _label(self, pool: list, k: int, colour: str, anchor, box) -> pg.TextItem:
        while len(pool) <= k:
            item = pg.TextItem("", color=colour, anchor=anchor)
            box.addItem(item)
            pool.append(item)
        pool[k].setVisible(True)
        return pool[k]

    def set_series(self, series: list[dict], title: str = "") -> None:
        """Draw ``series`` (dicts with month, registered, on_time_closure_rate) under ``title``."""
        self.series = series
        self.title = title
        plot = self.getPlotItem()
        plot.setTitle(title)
        xs = list(range(len(series)))
        counts = [s["registered"] for s in series]
        self.bars.setOpts(x=xs, height=counts, width=0.6)
        self.tooltips = []
        for point in series:
            rate = point["on_time_closure_rate"]
            rate_text = "—" if rate is None else f"{rate:.1%}"
            self.tooltips.append(tr("{0}: {1:,} registered, on-time closure {2}").format(
                point["month"], point["registered"], rate_text))
        self.hover.setData(x=xs, y=counts, data=self.tooltips)
        for item in self._count_labels + self._rate_labels:
            item.setVisible(False)
        self.labels = []
        for k, (x, count) in enumerate(zip(xs, counts, strict=True)):
            label = self._label(self._count_labels, k, "#37474f", (0.5, 1.0), plot)
            label.setText(f"{count:,}")
            label.setPos(x, count)
            self.labels.append(label)
        rates = [(x, s["on_time_closure_rate"] * 100) for x, s in zip(xs, series, strict=True)
                 if s["on_time_closure_rate"] is not None]
        self.line.setData([x for x, _ in rates], [y for _, y in rates])
        for k, (x, y) in enumerate(rates):
            label = self._label(self._rate_labels, k, LINE, (0.5, 1.3), self.rate_box)
            label.setText(f"{y:.0f}%")
            label.setPos(x, y)
            self.labels.append(label)
        years = {s["month"][:4] for s in series}
        if len(years) == 1:  # one year: "01".."12" under "Month (2026)"
            ticks = [(x, series[x]["month"][5:]) for x in xs]
            plot.setLabel("bottom", tr("Month ({0})").format(next(iter(years))))
        else:
            ticks = [(x, series[x]["month"]) for x in xs]
            plot.setLabel("bottom", tr("Month"))
        width = max(self.width(), 200)
        step = max(1, round(len(ticks) * (70 if len(years) > 1 else 28) / width))
        plot.getAxis("bottom").setTicks([ticks[::step]])
        # values are written on the chart while there is room for them; the tooltips always have them
        roomy = len(series) * 48 <= width
        for label in self.labels:
            label.setVisible(roomy)
        plot.setXRange(-0.6, max(len(series), 1) - 0.4, padding=0)
        plot.setYRange(0, (max(counts) if counts else 0) * 1.15 or 1, padding=0)
        self.rate_box.setYRange(0, 110, padding=0)
        self._sync_boxes()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "series", None):  # PlotWidget resizes itself while it is being made
            self.set_series(self.series, self.title)

    def month_labels(self) -> list[str]:
        return [s["month"] for s in self.series]

    def mouse_tooltip(self, index: int) -> str:
        """The tooltip shown over month ``index``."""
        return self.tooltips[index]
