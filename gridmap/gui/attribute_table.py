"""Attribute table of any layer: QGIS's dual view, filtered, linked to the map selection."""

from __future__ import annotations

from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsVectorLayerCache
from qgis.gui import QgsAttributeTableFilterModel, QgsDualView
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("AttributeTable", text)


class AttributeTable(QWidget):
    """A layer's features as a table. Selecting rows selects features on the map and back."""

    def __init__(self, layer, canvas, parent=None):
        super().__init__(parent)
        self.setObjectName("attribute_table")
        self.layer = layer
        self.cache = QgsVectorLayerCache(layer, 20000, self)
        self.view = QgsDualView(self)
        self.view.setObjectName("attribute_view")
        self.view.init(layer, canvas)
        self.view.setView(QgsDualView.AttributeTable)
        self.mode = QComboBox(self)
        self.mode.setObjectName("attribute_filter_mode")
        for text, mode in ((tr("Features visible on the map"), QgsAttributeTableFilterModel.ShowVisible),
                           (tr("All features"), QgsAttributeTableFilterModel.ShowAll),
                           (tr("Selected features"), QgsAttributeTableFilterModel.ShowSelected)):
            self.mode.addItem(text, mode)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.expression = QLineEdit(self)
        self.expression.setObjectName("attribute_filter_expression")
        self.expression.setPlaceholderText(tr("Filter expression, e.g. \"state\" = '破损'"))
        self.expression.returnPressed.connect(self.apply_expression)
        self.message = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.expression, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._mode_changed()

    def _mode_changed(self) -> None:
        self.view.setFilterMode(self.mode.currentData())

    def apply_expression(self) -> bool:
        """Show only the features matching the typed expression; an empty one shows all. False if invalid."""
        text = self.expression.text().strip()
        if not text:
            self._mode_changed()
            self.message.clear()
            return True
        expression = QgsExpression(text)
        if expression.hasParserError():
            self.message.setText(tr("Invalid expression: {0}").format(expression.parserErrorString()))
            return False
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(self.layer))
        self.view.filterFeatures(expression, context)
        self.message.setText(tr("{0} features match").format(self.view.filteredFeatureCount()))
        return True

    def row_count(self) -> int:
        return self.view.filteredFeatureCount()


