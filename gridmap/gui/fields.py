"""Field aliases and value maps on the store's layers: QGIS's own forms, identify results and
attribute tables (and plain QGIS, through the saved default style) show column names in the
interface language and names next to codes."""

from __future__ import annotations

from qgis.core import QgsEditorWidgetSetup

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
