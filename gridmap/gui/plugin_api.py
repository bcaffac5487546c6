"""What a gridmap plugin gets in the desktop (docs/plugins.md): its own settings, the session (the open store,
its layers, signals), and ways to add layers, docks and menu actions — never the main window itself. The
same API runs in the standalone app and inside QGIS desktop."""

from __future__ import annotations

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QSettings, Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gridmap import extensions

AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea, "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}


def tr(text: str) -> str:
    return QCoreApplication.translate("Plugins", text)


class DesktopApi:
    """One plugin's handle on the desktop. Layers it adds go under the store's layers (base maps)."""

    def __init__(self, window, extension: extensions.Extension, menu):
        self._window = window
        self.extension = extension
        self._menu = menu
        self.layers: list = []

    @property
    def session(self):
        """The open store, its layers by key, the canvas, and the signals store_opened / cases_changed."""
        return self._window.session

    def settings(self) -> QSettings:
        """This user's settings for the plugin (keys, URLs): never written into the store."""
        settings = QSettings()
        settings.beginGroup(f"plugins/{self.extension.name}")
        return settings

    def add_layer(self, layer) -> None:
        """Put a layer at the bottom of the layer tree, under the store's layers (a base map)."""
        project = QgsProject.instance()
        project.addMapLayer(layer, False)
        root = project.layerTreeRoot()
        root.insertLayer(len(root.children()), layer)
        self.layers.append(layer)

    def add_dock(self, name: str, title: str, widget, area: str = "right"):
        return self._window.add_dock(f"plugin_{self.extension.name}_{name}", title, widget, AREAS[area])

    def add_action(self, action) -> None:
        """An action in the Plugins menu."""
        self._menu.addAction(action)


def start_plugins(window, menu) -> list[DesktopApi]:
    """Run every enabled plugin's ``desktop`` hook with its own API; return the APIs (the plugins' handles)."""
    handles = []
    for extension in extensions.discover():
        hook = extension.hook("desktop")
        if hook is None:
            continue
        api = DesktopApi(window, extension, menu)
        try:
            hook(api)
        except Exception as exc:
            extension.hook_errors["desktop"] = f"{type(exc).__name__}: {exc}"
        handles.append(api)
    return handles


class PluginsDialog(QDialog):
    """Help > Plugins: every plugin found, where from, whether it runs (remembered; applies at the next start)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("plugins_dialog")
        self.setWindowTitle(tr("Plugins"))
        self.found = extensions.discover()
        self.table = QTableWidget(len(self.found), 4, self)
        self.table.setHorizontalHeaderLabels([tr("Plugin"), tr("Version"), tr("From"), tr("State")])
        self.boxes: dict[str, QCheckBox] = {}
        for row, extension in enumerate(self.found):
            box = QCheckBox(extension.title, self.table)
            box.setChecked(extension.name not in extensions.disabled_names() and not extension.error)
            box.setEnabled(not extension.error)
            box.setToolTip(extension.description)
            self.boxes[extension.name] = box
            self.table.setCellWidget(row, 0, box)
            self.table.setItem(row, 1, QTableWidgetItem(extension.version))
            self.table.setItem(row, 2, QTableWidgetItem(extension.origin))
            errors = extension.error or "; ".join(extension.hook_errors.values())
            self.table.setItem(row, 3, QTableWidgetItem(errors or (tr("running") if extension.enabled else tr("off"))))
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Plugins from the plugins/ folder and installed packages. Switching one on or "
                                   "off takes effect when gridmap starts again."), self))
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def accept(self) -> None:
        for name, box in self.boxes.items():
            if box.isEnabled():
                extensions.set_enabled(name, box.isChecked())
        super().accept()
