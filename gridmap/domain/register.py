"""The rules of the asset register (部件台账, issue 15): which fields of a component a data manager may
set, what values they take, and what a change did, field by field.

A component's code, class and unit grid are not set by hand: the code is allocated once (district +
class + the next serial never used) and never changes, so the class, part of the code, is chosen when
the component is added; the unit grid follows from where it lies. Retiring is the void state (作废),
never a deletion: the code stays retired.
"""

from __future__ import annotations

import datetime as dt

from gridmap.domain.components import COMPONENT_STATES
from gridmap.domain.errors import GridmapError

#: the fields a data manager sets in a form or with ``gridmap component set`` (table order)
EDITABLE_FIELDS = ("name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code", "state", "material",
                   "initial_date", "change_date", "data_source", "photo", "note")
UNIT_FIELDS = ("competent_unit_code", "owner_unit_code", "maintainer_unit_code")
DATE_FIELDS = ("initial_date", "change_date")
#: every value a version of a component holds (its history rows keep the same, with the geometry)
VERSION_FIELDS = ("class_code", "name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code",
                  "unit_grid_code", "state", "currency", "initial_date", "change_date", "data_source", "photo",
                  "note", "material")
#: fields set by the register itself, never by hand, and why
FIXED_FIELDS = {
    "code": "a component code never changes",
    "class_code": "the class is part of the code: retire the component and add one of the right class",
    "unit_grid_code": "the unit grid follows from where the component lies: move it instead",
    "currency": "retire the component instead (gridmap component retire): a void code stays void",
    "id": "the row id is the store's own",
}
MAX_TEXT = 1000
#: the change kinds of a geometry edit: a point is moved, a line or polygon reshaped
GEOMETRY_CHANGE = {"point": "move", "line": "reshape", "polygon": "reshape"}


class RegisterError(GridmapError):
    """A change of the register that cannot be made as asked; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_values(values: dict) -> dict:
    """The ``values`` of a form or a command, checked and normalised: blank text becomes None, dates
    are YYYY-MM-DD. Returns the checked dict; raises RegisterError naming the first bad field."""
    out = {}
    for key, given in values.items():
        if key in FIXED_FIELDS:
            raise RegisterError(f"{key} cannot be set: {FIXED_FIELDS[key]}", key)
        if key not in EDITABLE_FIELDS:
            raise RegisterError(f"unknown field {key!r}; the fields are {', '.join(EDITABLE_FIELDS)}", key)
        value = given.isoformat() if isinstance(given, dt.date) else given
        value = str(value).strip() if value is not None else None
        value = value or None
        if value is not None and len(value) > MAX_TEXT:
            raise RegisterError(f"{key}: at most {MAX_TEXT} characters", key)
        if key == "state":
            if value not in COMPONENT_STATES:
                raise RegisterError(f"state must be one of {'、'.join(COMPONENT_STATES)}, not {value!r}", key)
        elif key in DATE_FIELDS and value is not None:
            try:
                value = dt.date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                raise RegisterError(f"{key}: {value!r} is not a date (YYYY-MM-DD)", key) from None
        out[key] = value
    return out


def parse_assignments(texts: list[str]) -> dict:
    """``field=value`` words of the command line as a dict (an empty value clears the field).

    Raises RegisterError for a word without '='."""
    out = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise RegisterError(f"{text!r}: write FIELD=VALUE, e.g. name=人民路3号井盖", key.strip() or None)
        out[key.strip()] = value
    return out


def changed_fields(before: dict | None, after: dict) -> dict[str, tuple]:
    """field → (before, after) for every field of VERSION_FIELDS that differs (all of ``after``'s set
    fields when there was no component before)."""
    if before is None:
        return {k: (None, after.get(k)) for k in VERSION_FIELDS if after.get(k) is not None}
    return {k: (before.get(k), after.get(k)) for k in VERSION_FIELDS if before.get(k) != after.get(k)}


def require_reason(change: str, reason: str | None) -> str | None:
    """A retirement needs a reason; other changes may give one. Returns the reason stripped (or None)."""
    reason = reason.strip() if reason and reason.strip() else None
    if change == "retire" and reason is None:
        raise RegisterError("retiring a component needs a reason (--reason)", "reason")
    if reason is not None and len(reason) > MAX_TEXT:
        raise RegisterError(f"a reason has at most {MAX_TEXT} characters", "reason")
    return reason
