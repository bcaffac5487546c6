"""The register's place in the workspace: the Register menu, the component editor's tool bar, the register on a
date. The workspace calls ``attach`` once; the controllers themselves take the session."""

from __future__ import annotations

import datetime as dt

from qgis.PyQt.QtCore import QCoreApplication, QDate
from qgis.PyQt.QtWidgets import QAction, QDateEdit, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from gridmap.gui.register.editor import ComponentEditor
from gridmap.gui.register.on_date import show_register_on


def tr(text: str) -> str:
    return QCoreApplication.translate("RegisterDesk", text)


class RegisterDesk:
    """The register's controllers of one main window, wired to its menus and tool bars."""

    def __init__(self, window, sign_in, grid_editor):
        self.window = window
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
        window.addToolBarBreak()
        window.addToolBar(editor.toolbar)
        window.toolbar.addAction(editor.action_edit)
        editor.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        window.close_guards.append(editor.stop)
        # one edit session at a time: the grid editor and the component editor share Ctrl+Z
        editor.editing_changed.connect(lambda on: grid_editor.stop() if on else None)
        grid_editor.action_edit.toggled.connect(lambda on: editor.stop() if on else None)

    def apply_role(self, may) -> None:
        """Offer editing only to people who maintain the register (the store refuses the others anyway)."""
        self.editor.action_edit.setEnabled(may("maintain") or self.editor.editing)

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
