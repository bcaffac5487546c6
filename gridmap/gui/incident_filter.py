"""Which incidents the map shows: open ones by default, closed ones on request, within a period."""

from __future__ import annotations

import datetime as dt

from qgis.PyQt.QtCore import QCoreApplication, QDate, pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QComboBox, QDateEdit, QFormLayout, QWidget

PERIODS = ("all", "today", "7d", "30d", "year", "custom")


def tr(text: str) -> str:
    return QCoreApplication.translate("IncidentFilter", text)


def period_bounds(period: str, now: dt.datetime, start: dt.date | None = None,
                  end: dt.date | None = None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The [since, until) reporting window of a period choice ("custom" uses start and end, inclusive)."""
    today = dt.datetime.combine(now.date(), dt.time())
    if period == "today":
        return today, None
    if period == "7d":
        return today - dt.timedelta(days=6), None
    if period == "30d":
        return today - dt.timedelta(days=29), None
    if period == "year":
        return today.replace(month=1, day=1), None
    if period == "custom":
        since = dt.datetime.combine(start, dt.time()) if start else None
        until = dt.datetime.combine(end, dt.time()) + dt.timedelta(days=1) if end else None
        return since, until
    return None, None


class IncidentFilter(QWidget):
    """Emits ``changed(show_closed, since, until)``."""

    changed = pyqtSignal(bool, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("incident_filter")
        self.show_closed = QCheckBox(tr("Show closed and rejected cases"), self)
        self.show_closed.setObjectName("incident_show_closed")
        self.period = QComboBox(self)
        self.period.setObjectName("incident_period")
        for key, text in zip(PERIODS, (tr("Any time"), tr("Today"), tr("Last 7 days"), tr("Last 30 days"),
                                       tr("This year"), tr("Between dates")), strict=True):
            self.period.addItem(text, key)
        self.start = QDateEdit(QDate.currentDate().addDays(-7), self)
        self.end = QDateEdit(QDate.currentDate(), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._emit)
        layout = QFormLayout(self)
        layout.addRow(self.show_closed)
        layout.addRow(tr("Reported"), self.period)
        layout.addRow(tr("From"), self.start)
        layout.addRow(tr("To"), self.end)
        self.show_closed.toggled.connect(self._emit)
        self.period.currentIndexChanged.connect(self._emit)

    def bounds(self, now: dt.datetime | None = None):
        start = self.start.date().toPyDate() if hasattr(self.start.date(), "toPyDate") else None
        end = self.end.date().toPyDate() if hasattr(self.end.date(), "toPyDate") else None
        return period_bounds(self.period.currentData(), now or dt.datetime.now(), start, end)

    def _emit(self, *_args) -> None:
        custom = self.period.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        since, until = self.bounds()
        self.changed.emit(self.show_closed.isChecked(), since, until)
