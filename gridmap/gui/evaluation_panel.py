"""The evaluation dock: indicators for a period by grid, unit or supervisor, computed in the background
(a QgsTask with progress, so the window never freezes), a monthly trend chart of the chosen period
that follows the selected row, and export to CSV and XLSX."""

from __future__ import annotations

import datetime as dt

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.errors import GridmapError
from gridmap.gui.messages import translate
from gridmap.gui.trend_chart import TrendChart
from gridmap.store.evaluation import columns_for, evaluate_file, group_trend, write_csv, write_xlsx


def tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationPanel", text)


def column_label(name: str) -> str:
    return {"key": tr("Code"), "name": tr("Name"), "registered": tr("Registered"), "due": tr("Due"),
            "closed": tr("Closed"), "closure_rate": tr("Closure rate"),
            "on_time_closure_rate": tr("On-time closure rate"), "on_time_handling_rate": tr("On-time handling rate"),
            "rework": tr("Rework"), "on_hold": tr("On hold"), "avg_handling_hours": tr("Avg. handling (working h)"),
            "escalated": tr("Escalated"),
            "reports": tr("Reports"), "valid_report_rate": tr("Valid-report rate"),
            "on_time_verify_rate": tr("On-time verify rate"), "on_time_check_rate": tr("On-time check rate"),
            "components": tr("Components"), "inspections": tr("Inspections"),
            "inspected_components": tr("Components inspected"), "inspection_coverage_rate": tr("Inspection coverage"),
            "unit_grids": tr("Unit grids"), "visited_unit_grids": tr("Unit grids visited"),
            "patrol_coverage_rate": tr("Patrol coverage"), "on_duty_hours": tr("On duty (h)"),
            }.get(name, name)


def column_definition(name: str) -> str:
    """How a column is counted (the header's tooltip), as domain/metrics.py computes it."""
    return {
        "registered": tr("Cases registered (立案) in the period."),
        "due": tr("应结案数: registered cases whose deadline falls in the period."),
        "closed": tr("结案数: cases due in the period and closed by its end."),
        "closure_rate": tr("结案率 = 结案数 / 应结案数."),
        "on_time_closure_rate": tr("按期结案率 = cases due, handled by the deadline and closed by the period's end "
                                   "/ 应结案数."),
        "on_time_handling_rate": tr("按期处置率 = cases due and handled by the deadline (closed or not) / 应结案数."),
        "rework": tr("Rework (返工) counted on the cases registered in the period."),
        "on_hold": tr("Cases registered in the period and now on hold (挂账)."),
        "avg_handling_hours": tr("Working hours from dispatch to handling, for cases handled in the period."),
        "escalated": tr("上报数: escalations of the area's cases to a higher level (上报, 越级上报) in the period; a "
                        "case passed up twice counts twice."),
        "valid_report_rate": tr("有效上报率 = reports registered / reports."),
        "on_time_verify_rate": tr("按时核实率: registered within 30 minutes of the report."),
        "on_time_check_rate": tr("按时核查率: checked on site within 30 minutes of the handling."),
        "components": tr("Components in use in the grid's unit grids (the register as it is now)."),
        "inspections": tr("Inspections of components recorded in the period."),
        "inspected_components": tr("Components inspected at least once in the period."),
        "inspection_coverage_rate": tr("巡查覆盖率 = components inspected / components (a supervisor: those of the "
                                       "grids assigned to them)."),
        "unit_grids": tr("Unit grids of the grid (a supervisor: of the grids assigned to them)."),
        "visited_unit_grids": tr("Unit grids with at least one position of a supervisor in the period."),
        "patrol_coverage_rate": tr("巡查网格覆盖率 = unit grids visited / unit grids."),
        "on_duty_hours": tr("在岗时长: hours between positions at most 10 minutes apart (a grid: counted where each "
                            "interval began)."),
    }.get(name, "")


class EvaluationPanel(QWidget):
    """Emits ``finished(rows)`` when an evaluation has been computed and shown.

    ``store_getter`` returns the open store; the evaluation reads its file through a connection of
    its own in a background task.
    """

    finished = pyqtSignal(list)

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self.setObjectName("evaluation_panel")
        self._store = store_getter
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
        self.run_button = QPushButton(tr("Evaluate"), self)
        self.run_button.clicked.connect(self.run)
        csv_button = QPushButton(tr("CSV..."), self)
        csv_button.clicked.connect(lambda: self.export("csv"))
        xlsx_button = QPushButton(tr("Excel..."), self)
        xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("evaluation_progress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        top = QHBoxLayout()
        for widget in (QLabel(tr("From"), self), self.start, QLabel(tr("to"), self), self.end, self.by,
                       self.run_button, csv_button, xlsx_button):
            top.addWidget(widget)
        top.addWidget(self.progress, 1)
        self.table = QTableWidget(self)
        self.table.setObjectName("evaluation_table")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.chart = TrendChart(self)
        # table and chart share the dock; the handle between them resizes the chart
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.message = QLabel(self)
        self.message.setObjectName("evaluation_message")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        self.rows: list[dict] = []
        self.evaluation = None
        self.task: QgsTask | None = None

    def period(self) -> tuple[dt.date, dt.date]:
        return self.start.date().toPyDate(), self.end.date().toPyDate()

    def run(self) -> QgsTask | None:
        """Start the evaluation of the chosen period in the background; return its task (None if not started)."""
        store = self._store()
        if store is None or self.task is not None:
            return None
        start, end = self.period()
        by = self.by.currentData()
        path = store.path

        def work(task):
            return evaluate_file(path, start, end, by, progress=task.setProgress)

        self.task = QgsTask.fromFunction(tr("Evaluating {0} .. {1}").format(start, end), work,
                                         on_finished=self._done)
        self.task.progressChanged.connect(lambda value: self.progress.setValue(round(value)))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.run_button.setEnabled(False)
        self.message.setText(tr("Evaluating..."))
        QgsApplication.taskManager().addTask(self.task)
        return self.task

    def _done(self, exception, evaluation=None) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.run_button.setEnabled(True)
        if exception is not None or evaluation is None:
            text = translate(str(exception)) if isinstance(exception, GridmapError) else str(exception or "")
            self.message.setText(tr("The evaluation failed: {0}").format(text))
            if exception is not None and not isinstance(exception, GridmapError):
                raise exception
            return
        self.show_evaluation(evaluation)

    def show_evaluation(self, evaluation) -> None:
        self.evaluation = evaluation
        self.rows = evaluation.rows
        names = columns_for(evaluation.by)
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(names))
        self.table.setRowCount(len(self.rows))
        self.table.setHorizontalHeaderLabels([column_label(n) for n in names])
        for column, name in enumerate(names):
            self.table.horizontalHeaderItem(column).setToolTip(column_definition(name))
        for r, row in enumerate(self.rows):
            for c, name in enumerate(names):
                value = row.get(name)
                text = "" if value is None else f"{value:.1%}" if name.endswith("_rate") else str(value)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                                      if c > 1 else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        # the table as wide as its columns, the chart takes the rest
        table_width = self.table.verticalHeader().width() + self.table.horizontalHeader().length() + 24
        total = max(self.splitter.width(), 2 * table_width)
        self.splitter.setSizes([table_width, max(total - table_width, 360)])
        self._row_chosen()
        self.message.setText(tr("{0} row(s), {1} .. {2}.").format(len(self.rows), evaluation.start, evaluation.end))
        self.finished.emit(self.rows)

    def _row_chosen(self) -> None:
        """The chart follows the selected row (its grid, unit or supervisor), else shows all of them."""
        if self.evaluation is None:
            return
        selected = self.table.selectionModel().selectedRows()
        row = self.rows[selected[0].row()] if selected else None
        if row is None or self.evaluation.by == "supervisor":
            title = tr("All, {0} .. {1}").format(self.evaluation.start, self.evaluation.end)
            self.chart.set_series(self.evaluation.months, title)
        else:
            title = f"{row.get('name') or row['key']}, {self.evaluation.start} .. {self.evaluation.end}"
            self.chart.set_series(group_trend(self.evaluation, row["key"]), title)

    def export(self, kind: str, path: str | None = None) -> str | None:
        if not self.rows:
            self.message.setText(tr("Evaluate a period first."))
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the evaluation"), f"evaluation.{kind}",
                                                  "CSV (*.csv)" if kind == "csv" else "Excel (*.xlsx)")
        if not path:
            return None
        evaluation = self.evaluation
        title = f"{evaluation.start} .. {evaluation.end}"
        (write_csv if kind == "csv" else lambda r, b, p: write_xlsx(r, b, p, title))(self.rows, evaluation.by, path)
        self.message.setText(tr("Wrote {0}.").format(path))
        return path
