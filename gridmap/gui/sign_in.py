"""Who is working at this desk: a sign-in from the store's staff list, remembered per machine.

Every case step is recorded under the signed-in person (a staff code), not the
operating-system login: several people share one desk and one login.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, QObject, QSettings, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QToolButton,
    QVBoxLayout,
)

from gridmap.store import audit, inspect, users

SETTINGS_STAFF = "gridmap/signed_in_staff"


def tr(text: str) -> str:
    return QCoreApplication.translate("SignIn", text)


def role_name(role: str) -> str:
    """A role in the interface language."""
    names = {"planner": tr("planner"), "acceptor": tr("acceptor"), "dispatcher": tr("dispatcher"),
             "unit": tr("responsible unit"), "supervisor": tr("supervisor"), "data_manager": tr("data manager"),
             "viewer": tr("viewer"), "admin": tr("administrator")}
    return names.get(role, role)


class SignIn(QObject):
    """The signed-in staff member. Emits ``changed()`` on sign-in and sign-out."""

    changed = pyqtSignal()

    def __init__(self, store_getter, parent=None):
        super().__init__(parent)
        self._store = store_getter
        self.code: str | None = None
        self.name: str = ""
        self.title: str = ""
        #: the person's user record (role, scope), when they are a user of the store
        self.user: users.User | None = None
        #: on PostGIS a user's database login decides who works here; nobody else can sign in on it
        self.fixed = False

    def restore(self) -> None:
        """Sign in again as the person remembered on this machine, if the open store knows them."""
        store = self._store()
        login = users.session_login(store) if store is not None else None
        user = users.find(store, login) if login else None
        self.fixed = user is not None
        code = user.staff_code if user is not None else QSettings().value(SETTINGS_STAFF, "", type=str)
        member = inspect.staff_member(store, code) if store is not None and code else None
        self._set(member)

    def sign_in(self, code: str) -> bool:
        """Sign in as staff member ``code`` and remember it on this machine; False if unknown."""
        store = self._store()
        member = inspect.staff_member(store, code) if store is not None else None
        if member is None or (self.fixed and code != self.code):
            return False
        QSettings().setValue(SETTINGS_STAFF, code)
        self._set(member)
        return True

    def sign_out(self) -> None:
        QSettings().remove(SETTINGS_STAFF)
        self._set(None)

    def _set(self, member) -> None:
        self.code, self.name, self.title = member if member else (None, "", "")
        store = self._store()
        self.user = users.find(store, self.code) if store is not None and self.code else None
        audit.set_desk_person(self.code)
        self.changed.emit()

    def may(self, action: str) -> bool:
        """True when the person here may take ``action`` (gridmap.domain.roles); people who are not users
        of the store are not limited (a file without users)."""
        return self.user is None or (self.user.active and users.allows(self.user.role, action))

    def label(self) -> str:
        if self.code is None:
            return tr("Not signed in")
        if self.user is not None:
            return tr("Signed in: {0} ({1}), {2}").format(self.name, self.code, role_name(self.user.role))
        return tr("Signed in: {0} ({1})").format(self.name, self.code)

    def ask(self, parent) -> bool:
        """Let the person at the desk choose themselves from the staff list; True if signed in."""
        store = self._store()
        if store is None or self.fixed:  # on PostGIS the database login is the person
            return False
        dialog = SignInDialog(inspect.staff_list(store), self.code, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
            return self.sign_in(dialog.chosen())
        return False


class SignInDialog(QDialog):
    """A searchable list of staff members (type part of a name or code)."""

    def __init__(self, staff, current: str | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Sign in"))
        self.setObjectName("sign_in_dialog")
        self.combo = QComboBox(self)
        self.combo.setObjectName("sign_in_staff")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, name, title in staff:
            self.combo.addItem(f"{name} ({code}) {title}".strip(), code)
        completer = self.combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        if current:
            self.combo.setCurrentIndex(self.combo.findData(current))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Who is working at this desk? Every case step is recorded under this name."),
                                self))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        """The staff code chosen: the entry typed or picked, or the only one containing the typed text."""
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index < 0 and text:
            matches = [k for k in range(self.combo.count()) if text in self.combo.itemText(k)]
            index = matches[0] if len(matches) == 1 else -1
        return self.combo.itemData(index) if index >= 0 else None


class SignInButton(QToolButton):
    """The status bar's sign-in: shows who is signed in; a click signs in as someone else."""

    def __init__(self, sign_in: SignIn, parent=None):
        super().__init__(parent)
        self.setObjectName("sign_in_button")
        self.setAutoRaise(True)
        self.sign_in = sign_in
        self.clicked.connect(lambda: sign_in.ask(self.window()))
        sign_in.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.setText(self.sign_in.label())
        self.setToolTip(tr("Click to sign in as another person"))
