"""The case panel: one case, its status, level and deadline, the next steps the workflow allows (and
escalation to a higher level), its history with the chain of levels.

The rules (which step needs a reason, which is final) are the domain's; the panel
asks for confirmation where the domain says a step is final, records the signed-in
person, and shows refusals in the interface language. Status, deadline and actions
stay at the top; only the history scrolls.
"""

from __future__ import annotations

import datetime as dt

from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridmap.domain.calendar import WorkingCalendar
from gridmap.domain.errors import GridmapError
from gridmap.domain.escalation import ESCALATABLE_STATUSES, check_escalation, escalation_targets
from gridmap.domain.workflow import (
    AWAITING_HANDLING,
    CLOSE_TYPES,
    CONFIRM_REQUIRED,
    allowed_actions,
    is_overdue,
    require_reason,
)
from gridmap.gui.inspector import show_photo, value_label
from gridmap.gui.messages import translate
from gridmap.store.cases import ConcurrentStepError, apply_step, steps
from gridmap.store.escalation import escalate
from gridmap.store.inspect import active_units, incident

PHOTO_WIDTH = 240  # fits the narrow Case dock without a horizontal scroll bar
OVERDUE = "#c62828"
#: the buttons in the order a case walks them; the steps that end or send back a case come last
BUTTONS = ("register", "dispatch", "handle", "check", "close", "hold", "resume", "extend", "escalate", "rework",
           "reject")


def tr(text: str) -> str:
    return QCoreApplication.translate("CasePanel", text)


def action_label(action: str) -> str:
    """The name of a step, as a button and in the history (``rework`` is a failed check)."""
    return {"report": tr("Reported"), "register": tr("Register (立案)"), "reject": tr("Reject (不予立案)"),
            "dispatch": tr("Dispatch"), "handle": tr("Handling done"), "check": tr("Check passed"),
            "rework": tr("Check failed: rework"), "close": tr("Close"), "hold": tr("Hold"),
            "resume": tr("Resume"), "extend": tr("Extend deadline"), "escalate": tr("Escalate (上报)")
            }.get(action, action)


def history_label(step: dict) -> str:
    """A recorded step as the history names it; an escalation with the levels it went from and to."""
    if step["action"] == "escalate":
        before = value_label("level", step["level_before"]) if step["level_before"] else "?"
        return tr("Escalated: {0} → {1}").format(before, value_label("level", step["level"] or ""))
    return action_label(step["kind"])


def deadline_text(deadline: str | None, status: str, now: dt.datetime, calendar: WorkingCalendar) -> tuple[str, bool]:
    """("deadline as local time, working hours left or overdue", overdue?) for the panel's header."""
    if not deadline:
        return "", False
    moment = dt.datetime.fromisoformat(deadline)
    when = moment.strftime("%Y-%m-%d %H:%M")
    if status not in (*AWAITING_HANDLING, "on_hold"):
        return tr("Deadline {0}").format(when), False
    if is_overdue(status, moment, now):
        hours = calendar.working_hours_between(moment, now)
        return tr("Deadline {0} — overdue by {1:.1f} working hours").format(when, hours), True
    hours = calendar.working_hours_between(now, moment)
    return tr("Deadline {0} — {1:.1f} working hours left").format(when, hours), False


class CasePanel(QWidget):
    """Emits ``stepped(code, status)`` after a step was written.

    ``store_getter`` returns the open store; ``sign_in`` knows who works at the desk.
    """

    stepped = pyqtSignal(str, str)

    def __init__(self, store_getter, sign_in, parent=None, calendar: WorkingCalendar | None = None):
        super().__init__(parent)
        self.setObjectName("case_panel")
        self._store = store_getter
        self.sign_in = sign_in
        self.calendar = calendar or WorkingCalendar.shipped()
        self.now = lambda: dt.datetime.now().replace(microsecond=0)
        self.code: str | None = None
        self.status: str | None = None
        self.level: str | None = None
        self.version: int | None = None  # the case's row version as shown: a step is refused if it moved on
        self.suggested = ""
        self.title = QLabel(tr("Choose a case in the notifications or on the map."), self)
        self.title.setObjectName("case_title")
        self.title.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("case_status")
        bold = QFont(self.status_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.status_label.setFont(bold)
        self.level_label = QLabel(self)  # where in the chain the case is handled now
        self.level_label.setObjectName("case_level")
        self.deadline = QLabel(self)
        self.deadline.setObjectName("case_deadline")
        self.deadline.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("case_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {OVERDUE};")
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.photo = QLabel(self)  # the photo the supervisor sent with the report
        self.photo.setObjectName("case_photo")
        self.photo.setVisible(False)
        self.history = QTreeWidget(self)
        self.history.setObjectName("case_history")
        self.history.setHeaderLabels([tr("Step"), tr("When"), tr("Who"), tr("Note")])
        self.history.setRootIsDecorated(False)
        self.history.setWordWrap(True)
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.unit = QComboBox(self)  # long unit names must not widen the dock: they show in full in the list
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit.setMinimumContentsLength(12)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("case_reason")
        self.reason.setPlaceholderText(tr("Reason (needed to reject, extend, rework, escalate or dispatch "
                                          "elsewhere)"))
        self.close_type = QComboBox(self)
        for close_type in CLOSE_TYPES:
            self.close_type.addItem(value_label("close_type", close_type), close_type)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0.5, 200)
        self.hours.setValue(4)
        self.hours.setSuffix(tr(" working hours"))
        form = QFormLayout()
        form.addRow(tr("Dispatch to"), self.unit)
        form.addRow(tr("Reason"), self.reason)
        form.addRow(tr("Close type"), self.close_type)
        form.addRow(tr("Extension"), self.hours)
        self.escalate_to = QComboBox(self)  # only the levels the rules allow: up one, or the district
        self.escalate_to.setObjectName("case_escalate_to")
        self.escalate_to_label = QLabel(tr("Escalate to"), self)
        form.addRow(self.escalate_to_label, self.escalate_to)
        self.buttons: dict[str, QPushButton] = {}
        grid = self.button_grid = QGridLayout()
        for k, action in enumerate(BUTTONS):
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"case_{action}")
            button.clicked.connect(lambda _checked=False, a=action: self.step(a))
            if action in ("reject", "rework"):
                button.setStyleSheet(f"color: {OVERDUE};")
            grid.addWidget(button, k // 2, k % 2)  # two columns: the panel fits the right-hand dock
            self.buttons[action] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status_label)
        layout.addWidget(self.level_label)
        layout.addWidget(self.deadline)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.description)
        layout.addWidget(self.photo)
        self.show_case(None)

    def show_case(self, code: str | None) -> None:
        store = self._store()
        self.code = code
        details = incident(store, code) if store is not None and code else None
        self.history.clear()
        self.photo.setVisible(False)
        self.error.clear()
        if details is None:
            self.title.setText(tr("Choose a case in the notifications or on the map."))
            self.status_label.clear()
            self.level_label.clear()
            self.deadline.clear()
            self.description.clear()
            self.status = self.version = self.level = None
            for button in self.buttons.values():
                button.setVisible(False)
            self._show_escalation(())
            return
        fields = dict(details.rows)
        status = self.status = details.links["status"]
        self.version = details.links["row_version"]
        level = self.level = details.links["level"]
        self.level_label.setText(tr("Level: {0}").format(value_label("level", level)))
        self.title.setText(details.title)
        self.status_label.setText(value_label("status", status))
        text, overdue = deadline_text(details.links["deadline"], status, self.now(), self.calendar)
        self.deadline.setText(text)
        self.deadline.setStyleSheet(f"color: {OVERDUE}; font-weight: bold;" if overdue else "")
        self.description.setText(fields.get("description") or "")
        show_photo(self.photo, details, width=PHOTO_WIDTH)
        recorded = steps(store, code)
        for step in recorded:
            who = f"{step['user_name']} ({step['user']})" if step["user_name"] else step["user"]
            QTreeWidgetItem(self.history, [history_label(step), (step["at"] or "").replace("T", " "),
                                           who, step["note"] or ""])
        if not recorded:  # cases older than the step log: their step times, without who or why
            for column, action in (("reported_at", "report"), ("registered_at", "register"),
                                   ("dispatched_at", "dispatch"), ("handled_at", "handle"), ("checked_at", "check"),
                                   ("closed_at", "reject" if status == "rejected" else "close")):
                if fields.get(column):
                    item = QTreeWidgetItem(self.history, [action_label(action), fields[column].replace("T", " "),
                                                          fields.get("reporter", "") if action == "report" else "",
                                                          tr("(from the case's step times)")])
                    item.setForeground(3, self.palette().placeholderText())
        allowed = allowed_actions(status)
        targets = escalation_targets(level) if status in ESCALATABLE_STATUSES and self._may("escalate") else ()
        if targets:
            allowed.append("escalate")
        self._show_escalation(targets)
        shown = [a for a in BUTTONS if (a if a != "rework" else "check") in allowed]
        for action, button in self.buttons.items():
            self.button_grid.removeWidget(button)
            button.setVisible(action in shown)
        for k, action in enumerate(shown):  # the allowed steps side by side, without gaps
            self.button_grid.addWidget(self.buttons[action], k // 2, k % 2)
        self.unit.clear()
        suggested = self.suggested = details.links["responsible_unit"]
        for unit_code, name in active_units(store):
            label = f"{name}{tr(' (suggested)') if unit_code == suggested else ''}"
            self.unit.addItem(label, unit_code)
        if suggested:
            self.unit.setCurrentIndex(self.unit.findData(suggested))

    def _may(self, action: str) -> bool:
        """Whether the signed-in person's role allows ``action`` (anyone, on a store without users)."""
        may = getattr(self.sign_in, "may", None)
        return may is None or may(action)

    def _show_escalation(self, targets: tuple[str, ...]) -> None:
        """Offer the levels the case can be escalated to (none: the choice is hidden)."""
        chosen = self.escalate_to.currentData()
        self.escalate_to.clear()
        for level in targets:
            self.escalate_to.addItem(value_label("level", level), level)
        if chosen in targets:
            self.escalate_to.setCurrentIndex(self.escalate_to.findData(chosen))
        self.escalate_to.setVisible(bool(targets))
        self.escalate_to_label.setVisible(bool(targets))

    def reload_after_refusal(self) -> None:
        """Someone else took a step first: show the case as it is now, and say what they did."""
        self.show_case(self.code)
        recorded = steps(self._store(), self.code)
        if recorded:
            last = recorded[-1]
            who = f"{last['user_name']} ({last['user']})" if last["user_name"] else last["user"]
            self.error.setText(tr("Case {0} was changed by someone else since you opened it ({1}, {2}); it has "
                                  "been reloaded, please decide again.").format(self.code, history_label(last), who))
        else:
            self.error.setText(tr("Case {0} was changed by someone else meanwhile; it has been reloaded, "
                                  "please decide again.").format(self.code))

    def confirm(self, action: str) -> bool:
        """Ask before a step that ends a case for good."""
        text = {"reject": tr("Reject case {0}? It will not be registered and is closed."),
                "close": tr("Close case {0}? A closed case cannot be reopened.")}[action].format(self.code)
        answer = QMessageBox.question(self, action_label(action), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def step(self, action: str) -> str | None:
        """Apply ``action`` (or 'rework', a failed check; 'escalate': to the level chosen) to the shown case;
        return the new status.

        Refusals (a missing reason, a step the status does not allow, no one signed in) show in
        the panel and return None.
        """
        store = self._store()
        if self.code is None or store is None:
            return None
        if self.sign_in.code is None and not self.sign_in.ask(self.window()):
            self.error.setText(tr("Sign in first: every step records who took it."))
            return None
        kwargs: dict = {"user": self.sign_in.code, "reason": self.reason.text().strip() or None,
                        "expected_version": self.version}
        if action == "dispatch":
            kwargs["unit"] = self.unit.currentData()
        elif action in ("check", "rework"):
            kwargs["passed"] = action == "check"
            action = "check"
        elif action == "close":
            kwargs["close_type"] = self.close_type.currentData()
        elif action == "extend":
            kwargs["hours"] = self.hours.value()
        try:
            if action == "escalate":
                # the domain's rule before the store's (which checks it again); the levels offered are allowed
                check_escalation(self.status, self.level, self.escalate_to.currentData(), kwargs["reason"])
                status = escalate(store, self.code, self.escalate_to.currentData(), kwargs["reason"],
                                  kwargs["user"], expected_version=self.version)["status"]
                return self._stepped(status)
            # the domain's rule, checked before asking for confirmation; apply_step checks it again
            require_reason(action, kwargs["reason"], passed=kwargs.get("passed"),
                           elsewhere=action == "dispatch" and bool(self.suggested)
                           and kwargs["unit"] != self.suggested)
            if action in CONFIRM_REQUIRED and not self.confirm(action):
                return None
            status = apply_step(store, self.code, action, **kwargs)
        except GridmapError as exc:
            now = incident(store, self.code)
            if isinstance(exc, ConcurrentStepError) or (now is not None and now.links["status"] != self.status):
                self.reload_after_refusal()
                return None
            self.error.setText(translate(str(exc)))
            return None
        return self._stepped(status)

    def _stepped(self, status: str) -> str:
        self.reason.clear()
        self.show_case(self.code)
        self.stepped.emit(self.code, status)
        return status
