"""QGIS's attribute form for components being edited: the register's own fields read-only, states and
units as drop-downs showing names, dates as date pickers (the value maps of gui.fields stay)."""

from __future__ import annotations

import datetime as dt

from qgis.core import QgsEditorWidgetSetup, QgsFieldConstraints
from qgis.PyQt.QtCore import QDate, QDateTime

from gridmap.domain.components import COMPONENT_STATES
from gridmap.domain.register import DATE_FIELDS, EDITABLE_FIELDS, FIXED_FIELDS, UNIT_FIELDS

#: the value QGIS's value map stores for "no value" (QgsValueMapFieldFormatter::NULL_VALUE)
VALUE_MAP_NULL = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"


def setup_edit_form(layer, unit_names: dict[str, str]) -> None:
    """Make ``layer``'s attribute form fit the register: fixed fields read-only, the state a drop-down,
    the units drop-downs of active units by name (or none), dates as date pickers."""
    fields = layer.fields()
    config = layer.editFormConfig()
    for index in range(fields.count()):
        name = fields.at(index).name()
        if name in FIXED_FIELDS or name not in EDITABLE_FIELDS:
            config.setReadOnly(index, True)
    layer.setEditFormConfig(config)
    index = fields.indexOf("state")
    if index >= 0:
        layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": [{s: s} for s in COMPONENT_STATES]}))
        layer.setFieldConstraint(index, QgsFieldConstraints.ConstraintNotNull)
    units = [{"": VALUE_MAP_NULL}] + [{f"{code} {name}": code} for code, name in sorted(unit_names.items())]
    for name in UNIT_FIELDS:
        index = fields.indexOf(name)
        if index >= 0:
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": units}))
    for name in DATE_FIELDS:
        index = fields.indexOf(name)
        if index >= 0:
            layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("DateTime", {
                "display_format": "yyyy-MM-dd", "field_format": "yyyy-MM-dd", "calendar_popup": True,
                "allow_null": True}))


def plain(value):
    """A value from a QGIS feature as the store takes it: None for NULL, ISO text for dates."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss")
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
