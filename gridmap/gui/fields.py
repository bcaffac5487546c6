"""Field aliases and value maps on the store's layers: QGIS's own forms, identify results and
attribute tables (and plain QGIS, through the saved default style) show column names in the
interface language and names next to codes."""

from __future__ import annotations

from qgis.core import Qgis, QgsEditorWidgetSetup, QgsField
from qgis.PyQt.QtCore import QMetaType, QVariant

from gridmap.gui.attribute_table import CODE_COLUMNS, column_label

MAX_VALUE_MAP = 2000  # codes per value map; larger lookups (staff) stay codes


def setup_fields(layer, names: dict[str, dict[str, str]]) -> None:
    """Give ``layer``'s fields aliases and, for code columns, a value map "code name" (codes as stored)."""
    fields = layer.fields()
    for index in range(fields.count()):
        column = fields.at(index).name()
        label = column_label(column)
        if label != column:
            layer.setFieldAlias(index, label)
        lookup = names.get(CODE_COLUMNS.get(column, ""), {})
        if lookup and len(lookup) <= MAX_VALUE_MAP:
            pairs = [{f"{code} {name}": code} for code, name in sorted(lookup.items())]
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": pairs}))


def text_field(name: str) -> QgsField:
    """A text field: QMetaType where QGIS takes it (3.38+, QGIS 4), QVariant on older QGIS 3."""
    if Qgis.versionInt() >= 33800:
        return QgsField(name, QMetaType.Type.QString)
    return QgsField(name, QVariant.String)  # noqa: QGS402 - QGIS 3.22 .. 3.36 accept only QVariant types
