"""The register's place in the workspace: the Register menu, the component editor's tool bar, the register on a
date. The workspace calls ``attach`` once; the controllers themselves take the session."""

from __future__ import annotations

import datetime as dt

from qgis.PyQt.QtCore import QCoreApplication, QDate
from qgis.PyQt.QtWidgets import QAction, QDateEdit, QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout

from gridmap.domain.calendar import city_today
from gridmap.gui.register.census_dialog import CensusDialog
from gridmap.gui.register.editor import ComponentEditor
from gridmap.gui.register.inspection_dialog import InspectionDialog
from gridmap.gui.register.inspection_layers import show_inspection_age
from gridmap.gui.register.live_supervisors import LiveSupervisors
from gridmap.gui.register.on_date import show_register_on


def tr(text: str) -> str:
    return QCoreApplication.translate("RegisterDesk", text)


class RegisterDesk:
    """The register's controllers of one main window, wired to its menus and tool bars."""

    def __init__(self, window, sign_in, grid_editor, inspector=None, open_case=None):
        """``inspector``: the inspector panel whose component an inspection is of; ``open_case(code)`` shows a
        case opened from an inspection."""
        self.window = window
        self.sign_in = sign_in
        self.inspector = inspector
        self.open_case = open_case
        self.dialog: InspectionDialog | None = None
        session = window.session
        self.editor = ComponentEditor(session, window, may=lambda action: sign_in.may(action))
        editor = self.editor
        menu = self.menu = window.menuBar().addMenu(tr("&Register"))
        menu.addAction(editor.action_edit)
        for action in editor.editing_actions():
            menu.addAction(action)
        menu.addSeparator()
        self.action_on_date = QAction(tr("Show the register on a date..."), window)
        self.action_on_date.triggered.connect(self.on_date_dialog)
        menu.addAction(self.action_on_date)
        self.action_census = QAction(tr("Census merge..."), window)
        self.action_census.triggered.connect(self.census_dialog)
        menu.addAction(self.action_census)
        self.census: CensusDialog | None = None
        menu.addSeparator()
        self.action_inspect = QAction(tr("Record an inspection of the component in the inspector..."), window)
        self.action_inspect.triggered.connect(self.inspect_dialog)
        menu.addAction(self.action_inspect)
        self.action_age = QAction(tr("Show components by days since their last inspection"), window)
        self.action_age.triggered.connect(lambda: show_inspection_age(session, city_today()))
        menu.addAction(self.action_age)
        self.live = LiveSupervisors(session, window)
        self.action_live = QAction(tr("Show where the supervisors are (live)"), window, checkable=True)
        self.action_live.toggled.connect(lambda on: self.live.show() if on else self.live.hide())
        self.live.updated.connect(lambda count: window.statusBar().showMessage(
            tr("{0} supervisor(s) on the map today").format(count), 5000))
        session.store_opened.connect(lambda _store: self.action_live.setChecked(False))
        menu.addAction(self.action_live)
        window.addToolBarBreak()
        window.addToolBar(editor.toolbar)
        window.toolbar.addAction(editor.action_edit)
        editor.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        window.close_guards.append(editor.stop)
        # one edit session at a time: the grid editor and the component editor share Ctrl+Z
        editor.editing_changed.connect(lambda on: grid_editor.stop() if on else None)
        grid_editor.action_edit.toggled.connect(lambda on: editor.stop() if on else None)

    def apply_role(self, may) -> None:
        """Offer editing only to people who maintain the register, inspections to people who report (the
        store refuses the others anyway)."""
        self.editor.action_edit.setEnabled(may("maintain") or self.editor.editing)
        self.action_inspect.setEnabled(may("report"))
        self.action_census.setEnabled(may("maintain"))

    def census_dialog(self) -> CensusDialog | None:
        """The census merge for the open store (a component edit session in progress is left first)."""
        if self.window.store is None or not self.editor.stop():
            return None
        self.census = CensusDialog(self.window.session, self.window)
        self.census.show()
        return self.census

    def inspected_component(self) -> str | None:
        """The code of the component the inspector shows first, if any."""
        sections = self.inspector.sections if self.inspector is not None else []
        return next((s.code for s in sections if s.kind == "component"), None)

    def inspect_dialog(self) -> InspectionDialog | None:
        """Open the inspection form for the component in the inspector (the person signed in inspects)."""
        code = self.inspected_component()
        if self.window.store is None or code is None:
            QMessageBox.information(self.window, tr("Inspection"),
                                    tr("Click a component with the Identify tool first."))
            return None
        if not self.sign_in.code:
            QMessageBox.information(self.window, tr("Inspection"), tr("Sign in first: an inspection names its "
                                                                      "supervisor."))
            return None
        self.dialog = InspectionDialog(self.window.session, code, self.sign_in.code, self.window)
        self.dialog.recorded.connect(self._recorded)
        self.dialog.show()
        return self.dialog

    def _recorded(self, _number: int, case: str) -> None:
        self.window.statusBar().showMessage(tr("Inspection recorded.") if not case else
                                            tr("Inspection recorded; case {0} opened.").format(case), 8000)
        if case and self.open_case is not None:
            self.open_case(case)

    def on_date_dialog(self) -> None:
        """Ask for a date and show the register as it was at its end."""
        if self.window.store is None:
            return
        dialog = QDialog(self.window)
        dialog.setWindowTitle(tr("The register on a date"))
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(tr("Show the components in use at the end of:"), dialog))
        edit = QDateEdit(QDate.currentDate(), dialog)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        layout.addWidget(edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day = edit.date()
            show_register_on(self.window.session, dt.date(day.year(), day.month(), day.day()))
