"""Filter components by class (a major/minor tree with check boxes) and by state."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from gridmap.store import reference
from gridmap.store.schema import COMPONENT_STATES

COMPONENT_KEYS = ("component_point", "component_line", "component_polygon")


def tr(text: str) -> str:
    return QCoreApplication.translate("ComponentFilter", text)


def _quoted(values) -> str:
    # values come from the store's own class table and the schema's state list
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def subset_for(classes: set[str] | None, states: set[str] | None) -> str:
    """The layer filter for the chosen classes and states; '' when everything is chosen (None = all)."""
    parts = []
    if classes is not None:
        parts.append(f'"class_code" IN ({_quoted(sorted(classes))})' if classes else "0")
    if states is not None:
        parts.append(f'"state" IN ({_quoted(sorted(states))})' if states else "0")
    return " AND ".join(parts)


class ComponentFilter(QWidget):
    """Emits ``changed(subset)`` a moment after the user stops ticking boxes."""

    changed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("component_filter")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("component_class_tree")
        self.tree.setHeaderLabels([tr("Component classes")])
        self.states = {}
        state_box = QGroupBox(tr("State"), self)
        state_layout = QGridLayout(state_box)  # three a row: the left dock stays narrow on a laptop
        for k, state in enumerate(COMPONENT_STATES):
            box = QCheckBox(state, state_box)
            box.setChecked(True)
            box.toggled.connect(self._schedule)
            state_layout.addWidget(box, k // 3, k % 3)
            self.states[state] = box
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(state_box)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(lambda: self.changed.emit(self.subset()))
        self.tree.itemChanged.connect(self._schedule)

    def load_classes(self, store) -> None:
        """Fill the tree with the classes that have components in ``store``."""
        self.tree.blockSignals(True)
        self.tree.clear()
        rows = reference.classes_in_use(store)
        majors: dict[str, QTreeWidgetItem] = {}
        for code, major, major_name, name in rows:
            parent = majors.get(major)
            if parent is None:
                parent = majors[major] = QTreeWidgetItem(self.tree, [f"{major} {major_name}"])
                parent.setFlags(parent.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
                parent.setCheckState(0, Qt.CheckState.Checked)
            item = QTreeWidgetItem(parent, [f"{code} {name}"])
            item.setData(0, Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
        self.tree.blockSignals(False)

    def _schedule(self, *_args) -> None:
        self._timer.start()

    def chosen_classes(self) -> set[str] | None:
        """Checked minor class codes, or None when all are checked."""
        codes, total = set(), 0
        for k in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(k)
            for j in range(major.childCount()):
                total += 1
                child = major.child(j)
                if child.checkState(0) == Qt.CheckState.Checked:
                    codes.add(child.data(0, Qt.ItemDataRole.UserRole))
        return None if len(codes) == total else codes

    def chosen_states(self) -> set[str] | None:
        states = {s for s, box in self.states.items() if box.isChecked()}
        return None if len(states) == len(self.states) else states

    def subset(self) -> str:
        return subset_for(self.chosen_classes(), self.chosen_states())

    def set_class_checked(self, code: str, checked: bool) -> None:
        for k in range(self.tree.topLevelItemCount()):
            major = self.tree.topLevelItem(k)
            for j in range(major.childCount()):
                child = major.child(j)
                if child.data(0, Qt.ItemDataRole.UserRole) == code:
                    child.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
