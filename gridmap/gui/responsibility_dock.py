"""The Responsibility dock: units, routing, supervisors and the gaps report, in tabs."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QTabWidget

from gridmap.gui.gaps_panel import GapsPanel
from gridmap.gui.routing_panel import RoutingPanel
from gridmap.gui.units_panel import UnitsPanel


def tr(text: str) -> str:
    return QCoreApplication.translate("ResponsibilityDock", text)


class ResponsibilityTabs(QTabWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("responsibility_tabs")
        self.units = UnitsPanel(session)
        self.routing = RoutingPanel(session)
        self.gaps = GapsPanel(session)
        self.addTab(self.units, tr("Units"))
        self.addTab(self.routing, tr("Routing"))
        self.addTab(self.gaps, tr("Gaps and supervisors"))
        # a unit change shows in the routing names; any change can close or open a gap
        self.units.changed.connect(self.routing.load)
        for panel in (self.units, self.routing, self.gaps):
            panel.changed.connect(self.gaps.refresh)

    def load(self) -> None:
        self.units.load()
        self.routing.load()
        self.gaps.refresh()
