"""The evaluation dock: indicators for a period by grid, unit or supervisor, a monthly trend chart,
and export to CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import itertools

from qgis.PyQt.QtCore import QCoreApplication, QDate, QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QPainter, QPen
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.store.evaluation import columns_for, period_rows, trend, write_csv, write_xlsx


def tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationPanel", text)


def column_label(name: str) -> str:
    return {"key": tr("Code"), "name": tr("Name"), "registered": tr("Registered"), "due": tr("Due"),
            "closed": tr("Closed"), "closure_rate": tr("Closure rate"),
            "on_time_closure_rate": tr("On-time closure rate"), "on_time_handling_rate": tr("On-time handling rate"),
            "rework": tr("Rework"), "on_hold": tr("On hold"), "avg_handling_hours": tr("Avg. handling (working h)"),
            "reports": tr("Reports"), "valid_report_rate": tr("Valid-report rate"),
            "on_time_verify_rate": tr("On-time verify rate"), "on_time_check_rate": tr("On-time check rate")
            }.get(name, name)


class TrendChart(QWidget):
    """Bars: cases registered per month; line: on-time closure rate."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.series: list[dict] = []
        self.setMinimumHeight(140)

    def set_series(self, series: list[dict]) -> None:
        self.series = series
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(30, 10, -10, -22)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.series:
            painter.end()
            return
        most = max(1, *(s["registered"] for s in self.series))
        width = area.width() / len(self.series)
        line = []
        for k, point in enumerate(self.series):
            height = area.height() * point["registered"] / most
            bar = QRectF(area.left() + k * width + 2, area.bottom() - height, width - 4, height)
            painter.fillRect(bar, QColor("#90caf9"))
            if point["on_time_closure_rate"] is not None:
                line.append(QPointF(bar.center().x(), area.bottom() - area.height() * point["on_time_closure_rate"]))
            if k % max(1, len(self.series) // 6) == 0:
                painter.setPen(QColor("#455a64"))
                painter.drawText(QPointF(bar.left(), self.height() - 6), point["month"])
        painter.setPen(QPen(QColor("#c62828"), 2))
        for a, b in itertools.pairwise(line):
            painter.drawLine(a, b)
        painter.setPen(QColor("#455a64"))
        painter.drawText(QPointF(2, area.top() + 10), "100%")
        painter.end()


class EvaluationPanel(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("evaluation_panel")
        self.window = window
        today = QDate.currentDate()
        self.start = QDateEdit(today.addMonths(-1), self)
        self.end = QDateEdit(today, self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.by = QComboBox(self)
        for key, label in (("grid", tr("Responsibility grid")), ("unit", tr("Responsible unit")),
                           ("supervisor", tr("Supervisor"))):
            self.by.addItem(label, key)
        run = QPushButton(tr("Evaluate"), self)
        run.clicked.connect(self.run)
        csv_button = QPushButton(tr("CSV..."), self)
        csv_button.clicked.connect(lambda: self.export("csv"))
        xlsx_button = QPushButton(tr("Excel..."), self)
        xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        top = QHBoxLayout()
        for widget in (QLabel(tr("From"), self), self.start, QLabel(tr("to"), self), self.end, self.by, run,
                       csv_button, xlsx_button):
            top.addWidget(widget)
        self.table = QTableWidget(self)
        self.table.setObjectName("evaluation_table")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = TrendChart(self)
        self.message = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(tr("Registered per month (bars) and on-time closure rate (line)"), self))
        layout.addWidget(self.chart)
        layout.addWidget(self.message)
        self.rows: list[dict] = []

    def period(self) -> tuple[dt.date, dt.date]:
        return self.start.date().toPyDate(), self.end.date().toPyDate()

    def run(self) -> list[dict]:
        store = self.window.store
        if store is None:
            return []
        start, end = self.period()
        by = self.by.currentData()
        try:
            self.rows = period_rows(store, start, end, by)
        except GridmapError as exc:
            self.message.setText(str(exc))
            return []
        names = columns_for(by)
        self.table.clear()
        self.table.setColumnCount(len(names))
        self.table.setRowCount(len(self.rows))
        self.table.setHorizontalHeaderLabels([column_label(n) for n in names])
        for r, row in enumerate(self.rows):
            for c, name in enumerate(names):
                value = row.get(name)
                text = "" if value is None else f"{value:.1%}" if name.endswith("_rate") else str(value)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                                      if c > 1 else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.chart.set_series(trend(store, start.replace(day=1) - dt.timedelta(days=330), end))
        self.message.setText(tr("{0} row(s).").format(len(self.rows)))
        return self.rows

    def export(self, kind: str, path: str | None = None) -> str | None:
        if not self.rows:
            self.run()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the evaluation"), f"evaluation.{kind}",
                                                  "CSV (*.csv)" if kind == "csv" else "Excel (*.xlsx)")
        if not path:
            return None
        start, end = self.period()
        by = self.by.currentData()
        (write_csv if kind == "csv" else lambda r, b, p: write_xlsx(r, b, p, f"{start} .. {end}"))(self.rows, by, path)
        self.message.setText(tr("Wrote {0}.").format(path))
        return path
