"""The asset register (部件台账, issue 15): add, move or reshape, set and retire components, each change in
one transaction that allocates the code, writes the previous version to the history and the audit log.

A row of ``component_<kind>_history`` is a version that was replaced: its values and geometry, the time it
held (``valid_from`` – ``valid_to``) and the change that replaced it at ``valid_to`` (``change``, ``user``,
``reason``). A component added here has a first history row without values: before ``valid_to`` it did not
exist. The desktop's edit buffer and the command line both come here (``commit``), so a code, its history
and its audit entry are written together or not at all, on both engines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import shapely

from gridmap.domain.assignment import EDGE_TOLERANCE_M, GridLocator, representative_points
from gridmap.domain.calendar import city_now
from gridmap.domain.codes import component_id
from gridmap.domain.components import IN_USE, VOID
from gridmap.domain.register import (
    GEOMETRY_CHANGE,
    UNIT_FIELDS,
    VERSION_FIELDS,
    RegisterError,
    changed_fields,
    check_values,
    require_reason,
)
from gridmap.store import audit, dialect, sources, users
from gridmap.store.queries import district_codes
from gridmap.store.schema import COMPONENT_TABLES, HISTORY_TABLES

__all__ = ["Edit", "RegisterError", "active_units", "add_component", "classes", "commit", "component_row",
           "components_on", "history", "move_component", "retire_component", "set_fields"]

#: shapely geometry type of each kind of component
_SHAPES = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
_KIND_OF_TABLE = {table: kind for kind, table in COMPONENT_TABLES.items()}
_COLUMNS = ", ".join(VERSION_FIELDS)


@dataclass
class Edit:
    """One change of the register. ``change``: add (``class_code``, ``geometry``, ``values``), geometry
    (``code``, ``geometry``), set (``code``, ``values``) or retire (``code``, ``reason``). Geometries are
    WKB in the store's CRS. ``key`` is the caller's name for an added component (the desktop passes the
    edit buffer's feature id) under which ``commit`` returns its code."""

    change: str
    code: str | None = None
    class_code: str | None = None
    geometry: bytes | None = None
    values: dict = field(default_factory=dict)
    reason: str | None = None
    key: object = None
    #: what the history calls the change when it is not the edit's own kind (a census merge: 'census')
    recorded_as: str | None = None


def _stamp(now: dt.datetime) -> str:
    return now.isoformat(timespec="milliseconds")


def component_row(store_or_conn, code: str) -> tuple[str, dict, bytes] | None:
    """(kind, values of VERSION_FIELDS plus ``code`` and ``id``, WKB) of component ``code``, or None."""
    conn = getattr(store_or_conn, "conn", store_or_conn)
    for kind, table in COMPONENT_TABLES.items():
        row = conn.execute(f"SELECT id, code, {_COLUMNS}, {dialect.wkb(conn)} FROM {table} WHERE code = ?",
                           (code,)).fetchone()
        if row is not None:
            values = dict(zip(("id", "code", *VERSION_FIELDS), tuple(row)[:-1], strict=True))
            return kind, values, bytes(row[-1]) if row[-1] is not None else None
    return None


def _district(conn, unit_grid_code: str) -> str:
    """The district a new component's code is made with: the one its unit grid lies in (through its
    community and street), so a city of several districts codes each component under its own."""
    row = conn.execute("SELECT s.district_code FROM unit_grid g JOIN community c ON c.code = g.community_code "
                       "JOIN street s ON s.code = c.street_code WHERE g.code = ? AND g.valid_to IS NULL",
                       (unit_grid_code,)).fetchone()
    if row is not None:
        return row[0]
    only = district_codes(conn)  # a store whose streets are missing: its one district, if it names one
    if len(only) != 1:
        raise RegisterError(f"unit grid {unit_grid_code} belongs to no district (community → street → district), "
                            "so a component code cannot be made")
    return only[0]


def _next_code(store, conn, district: str, class_code: str) -> str:
    """The next serial never used for ``district`` + ``class_code``: above every current, void and deleted
    component's code of that prefix (codes are never reused)."""
    prefix = district + class_code
    length = len(prefix) + 6
    low, high = prefix + "000000", prefix + "999999"
    dialect.lock_key(store, conn, f"component serial {prefix}")  # two desks adding the same class on PostGIS
    last = 0
    queries = [(f"SELECT code FROM {table} WHERE code >= ? AND code <= ? AND length(code) = ? "
                "ORDER BY code DESC LIMIT 1", (low, high, length)) for table in COMPONENT_TABLES.values()]
    queries.append(("SELECT code FROM retired_code WHERE kind = 'component' AND code >= ? AND code <= ? AND "
                    "length(code) = ? ORDER BY code DESC LIMIT 1", (low, high, length)))
    for sql, params in queries:
        row = conn.execute(sql, params).fetchone()
        if row is not None:
            last = max(last, int(row[0][len(prefix):]))
    if last >= 999_999:
        raise RegisterError(f"no serial is left for class {class_code} in district {district}", "class_code")
    return component_id(district, class_code, last + 1)


def _geometry(store, kind: str, wkb: bytes):
    """The shapely geometry of ``wkb``, checked for a component of ``kind``; raises RegisterError."""
    try:
        geom = shapely.from_wkb(wkb)
    except (shapely.errors.GEOSException, TypeError, ValueError) as exc:
        raise RegisterError(f"the geometry cannot be read: {exc}", "geometry") from exc
    if geom.geom_type == f"Multi{_SHAPES[kind]}" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if geom.geom_type != _SHAPES[kind]:
        raise RegisterError(f"a {kind} component needs a {_SHAPES[kind]}, not a {geom.geom_type}", "geometry")
    if kind == "polygon" and not geom.is_empty and not geom.is_valid:
        raise RegisterError(f"the polygon is not valid ({shapely.is_valid_reason(geom)})", "geometry")
    if geom.is_empty or (kind == "line" and geom.length <= 0) or (kind == "polygon" and geom.area <= 0):
        raise RegisterError(f"the {kind} is empty", "geometry")
    return shapely.force_2d(geom)


def _unit_grid(store, conn, geom) -> str:
    """The current unit grid a component lies in (its deciding point, the rule of domain.assignment);
    raises RegisterError when it lies outside every one."""
    point = representative_points([geom])[0]
    box = shapely.box(point.x - EDGE_TOLERANCE_M, point.y - EDGE_TOLERANCE_M, point.x + EDGE_TOLERANCE_M,
                      point.y + EDGE_TOLERANCE_M)
    rows = conn.execute(f"SELECT code, {dialect.wkb(store)} FROM unit_grid WHERE valid_to IS NULL AND "
                        f"{dialect.bbox_meets(store, 'unit_grid', store.srid)} ORDER BY id",
                        (shapely.to_wkb(box),)).fetchall()
    located = GridLocator(shapely.from_wkb([r[1] for r in rows]), [r[0] for r in rows]).locate([geom])[0] \
        if rows else None
    if located is None:
        raise RegisterError(f"the location ({point.x:.1f}, {point.y:.1f}) is outside every unit grid", "geometry")
    return located


def _check_units(conn, values: dict) -> None:
    for key in UNIT_FIELDS:
        code = values.get(key)
        if code is not None and not conn.execute(
                "SELECT 1 FROM responsible_unit WHERE code = ? AND retired_at IS NULL", (code,)).fetchone():
            raise RegisterError(f"{key}: no active responsible unit {code}", key)


def _keep_version(conn, table: str, code: str, change: str, user: str, reason: str | None, at: str) -> None:
    """Copy the current row of ``code`` into the history as the version ``change`` replaces at ``at``."""
    history = HISTORY_TABLES[table]
    started = conn.execute(f"SELECT max(valid_to) FROM {history} WHERE code = ?", (code,)).fetchone()[0]
    conn.execute(f"INSERT INTO {history} (code, {_COLUMNS}, valid_from, valid_to, change, \"user\", reason, geom) "
                 f"SELECT code, {_COLUMNS}, ?, ?, ?, ?, ?, geom FROM {table} WHERE code = ?",
                 (started, at, change, user, reason, code))


def _current(conn, code: str) -> tuple[str, str, dict, bytes]:
    found = component_row(conn, code)
    if found is None:
        raise RegisterError(f"no component {code}", "code")
    kind, values, wkb = found
    return kind, COMPONENT_TABLES[kind], values, wkb


def _add(store, conn, edit: Edit, user: str, at: str, today: str) -> str:
    class_code = (edit.class_code or "").strip()
    row = conn.execute("SELECT geometry, name FROM component_class WHERE code = ?", (class_code,)).fetchone()
    if row is None:
        raise RegisterError(f"no component class {class_code!r}", "class_code")
    kind = row[0]
    if edit.geometry is None:
        raise RegisterError("a new component needs a location", "geometry")
    geom = _geometry(store, kind, edit.geometry)
    values = check_values(edit.values)
    _check_units(conn, values)
    values.setdefault("state", None)
    values["state"] = values["state"] or "完好"
    values["initial_date"] = values.get("initial_date") or today
    values["class_code"], values["currency"] = class_code, IN_USE
    values["unit_grid_code"] = _unit_grid(store, conn, geom)
    code = _next_code(store, conn, _district(conn, values["unit_grid_code"]), class_code)
    table = COMPONENT_TABLES[kind]
    names = [k for k in VERSION_FIELDS if k in values]
    conn.execute(f"INSERT INTO {table} (code, {', '.join(names)}, geom) VALUES (?, {', '.join('?' * len(names))}, "
                 f"{dialect.geom_from_wkb(store, store.srid)})",
                 (code, *(values[k] for k in names), shapely.to_wkb(geom)))
    conn.execute(f"INSERT INTO {HISTORY_TABLES[table]} (code, valid_to, change, \"user\", reason) VALUES "
                 "(?, ?, ?, ?, ?)", (code, at, edit.recorded_as or "add", user, edit.reason))
    audit.log(conn, "component.add", table=table, row_code=code, user=user,
              detail={"class": class_code, "unit_grid": values["unit_grid_code"], "reason": edit.reason,
                      "values": {k: values[k] for k in names}})
    return code


def _change_geometry(store, conn, edit: Edit, user: str, at: str, today: str) -> None:
    kind, table, before, _wkb = _current(conn, edit.code)
    if before["currency"] == VOID:
        raise RegisterError(f"component {edit.code} is retired (作废); it can no longer change", "code")
    geom = _geometry(store, kind, edit.geometry)
    grid = _unit_grid(store, conn, geom)
    change = GEOMETRY_CHANGE[kind]
    _keep_version(conn, table, edit.code, edit.recorded_as or change, user, edit.reason, at)
    conn.execute(f"UPDATE {table} SET geom = {dialect.geom_from_wkb(store, store.srid)}, unit_grid_code = ?, "
                 "change_date = ? WHERE code = ?", (shapely.to_wkb(geom), grid, today, edit.code))
    audit.log(conn, f"component.{change}", table=table, row_code=edit.code, user=user,
              detail={"reason": edit.reason, "unit_grid": [before["unit_grid_code"], grid]})


def _set(store, conn, edit: Edit, user: str, at: str, today: str) -> None:
    _kind, table, before, _wkb = _current(conn, edit.code)
    if before["currency"] == VOID:
        raise RegisterError(f"component {edit.code} is retired (作废); it can no longer change", "code")
    values = check_values(edit.values)
    _check_units(conn, values)
    if "change_date" not in values:
        values["change_date"] = today
    changed = {k: v for k, v in values.items() if before.get(k) != v}
    if set(changed) <= {"change_date"}:
        return  # nothing the user set differs: no new version
    _keep_version(conn, table, edit.code, edit.recorded_as or "set", user, edit.reason, at)
    conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in changed)} WHERE code = ?",
                 (*changed.values(), edit.code))
    audit.log(conn, "component.set", table=table, row_code=edit.code, user=user,
              detail={"reason": edit.reason, "before": {k: before.get(k) for k in changed}, "after": changed})


def _retire(store, conn, edit: Edit, user: str, at: str, today: str) -> None:
    _kind, table, before, _wkb = _current(conn, edit.code)
    if before["currency"] == VOID:
        raise RegisterError(f"component {edit.code} is retired already", "code")
    reason = require_reason("retire", edit.reason)
    _keep_version(conn, table, edit.code, edit.recorded_as or "retire", user, reason, at)
    conn.execute(f"UPDATE {table} SET currency = ?, change_date = ? WHERE code = ?", (VOID, today, edit.code))
    conn.execute("UPDATE retired_code SET reason = ? WHERE kind = 'component' AND code = ?", (reason, edit.code))
    audit.log(conn, "component.retire", table=table, row_code=edit.code, user=user, detail={"reason": reason})


_APPLY = {"add": _add, "geometry": _change_geometry, "set": _set, "retire": _retire}


def commit(store, edits: list[Edit], *, user: str | None = None, reason: str | None = None,
           now: dt.datetime | None = None) -> dict:
    """Write ``edits`` in one transaction, in order: every code allocated, every previous version kept,
    every audit entry, or nothing. ``reason`` is the reason of edits that give none. Returns
    {edit.key (or its index): new code} for the adds.

    Raises NotAllowedError when the acting person may not maintain the register, RegisterError (naming
    the component and field) for an edit that cannot be made; nothing is written then.
    """
    acting = users.require(store, "maintain", user)
    for edit in edits:
        if edit.change not in _APPLY:
            raise RegisterError(f"unknown change {edit.change!r}")
        edit.reason = require_reason(edit.change, edit.reason or reason)
        if edit.change != "add" and not edit.code:
            raise RegisterError(f"a {edit.change} names the component's code", "code")
    now = now or city_now("milliseconds")
    at, today = _stamp(now), now.date().isoformat()
    codes = {}
    with store.transaction() as conn:
        person = acting.staff_code if acting is not None else audit.person(conn, user)
        for index, edit in enumerate(edits):
            try:
                code = _APPLY[edit.change](store, conn, edit, person, at, today)
            except RegisterError as exc:
                if edit.code:
                    raise RegisterError(f"{edit.code}: {exc}", exc.field) from exc
                raise
            if edit.change == "add":
                codes[edit.key if edit.key is not None else index] = code
    return codes


def add_component(store, class_code: str, geometry: bytes, *, values: dict | None = None, user: str | None = None,
                  reason: str | None = None, now: dt.datetime | None = None) -> str:
    """Register a new component of ``class_code`` at ``geometry`` (WKB in the store's CRS); return its code
    (district + class + the next serial never used). Its unit grid follows from the location, its
    initial date is today unless given, its state 完好 unless given. Raises RegisterError."""
    return commit(store, [Edit("add", class_code=class_code, geometry=geometry, values=dict(values or {}))],
                  user=user, reason=reason, now=now)[0]


def move_component(store, code: str, geometry: bytes, *, user: str | None = None, reason: str | None = None,
                   now: dt.datetime | None = None) -> None:
    """Move a point component, or reshape a line or polygon, to ``geometry``; its unit grid follows."""
    commit(store, [Edit("geometry", code=code, geometry=geometry)], user=user, reason=reason, now=now)


def set_fields(store, code: str, values: dict, *, user: str | None = None, reason: str | None = None,
               now: dt.datetime | None = None) -> None:
    """Set fields of EDITABLE_FIELDS (blank clears one). Raises RegisterError for a fixed or unknown field,
    a bad value or an unknown or retired unit."""
    commit(store, [Edit("set", code=code, values=dict(values))], user=user, reason=reason, now=now)


def retire_component(store, code: str, reason: str, *, user: str | None = None,
                     now: dt.datetime | None = None) -> None:
    """Retire a component (作废): it stays in the register, void, and its code is never used again."""
    commit(store, [Edit("retire", code=code, reason=reason)], user=user, now=now)


def history(store, code: str) -> list[dict]:
    """The changes of component ``code``, oldest first: at, change (add, move, reshape, set, retire,
    census), user, user_name, reason, fields {field: [before, after]}, geometry_changed. Empty when it
    never changed in gridmap; raises RegisterError when there is no such component."""
    found = component_row(store, code)
    if found is None:
        raise RegisterError(f"no component {code}", "code")
    kind, current, current_wkb = found
    history_table = HISTORY_TABLES[COMPONENT_TABLES[kind]]
    rows = store.conn.execute(
        f"SELECT h.{', h.'.join(VERSION_FIELDS)}, h.valid_from, h.valid_to, h.change, h.\"user\", s.name, h.reason, "
        f"{dialect.wkb(store, 'h.geom')} FROM {history_table} h LEFT JOIN staff s ON s.code = h.\"user\" "
        "WHERE h.code = ? ORDER BY h.valid_to, h.id", (code,)).fetchall()
    versions = []
    for row in rows:
        values = dict(zip(VERSION_FIELDS, tuple(row)[:len(VERSION_FIELDS)], strict=True))
        _valid_from, valid_to, change, user, name, reason, wkb = tuple(row)[len(VERSION_FIELDS):]
        existed = values["class_code"] is not None
        versions.append((values if existed else None, bytes(wkb) if wkb is not None else None,
                         {"at": str(valid_to), "change": change, "user": user, "user_name": name, "reason": reason}))
    out = []
    for index, (before, before_wkb, change) in enumerate(versions):
        if index + 1 < len(versions):
            after, after_wkb = versions[index + 1][0], versions[index + 1][1]
        else:
            after, after_wkb = current, current_wkb
        fields = changed_fields(before, after or {})
        moved = before_wkb is not None and after_wkb is not None and \
            not shapely.equals_exact(shapely.from_wkb(before_wkb), shapely.from_wkb(after_wkb), 1e-9)
        out.append({**change, "fields": {k: list(v) for k, v in fields.items()}, "geometry_changed": bool(moved)})
    return out


def components_on(store, kind: str, moment: dt.datetime | str) -> list[tuple[str, str, bytes]]:
    """The register of ``kind`` as it was at ``moment``: (code, class_code, WKB) of the components in use
    then, in code order (the SQL of the desktop's "register on a date" layers, sources.register_on_query)."""
    sql = sources.register_on_query(COMPONENT_TABLES[kind], moment)
    rows = store.conn.execute(f"SELECT code, class_code, {dialect.wkb(store)} FROM {sql} AS register ORDER BY code")
    return [(r[0], r[1], bytes(r[2])) for r in rows]


def components_in(store, unit_grids) -> dict[str, tuple[str, dict, bytes]]:
    """The components in use in these unit grids: code → (kind, values of VERSION_FIELDS, WKB)."""
    grids = sorted(set(unit_grids))
    out: dict[str, tuple[str, dict, bytes]] = {}
    for start in range(0, len(grids), 500):
        chunk = grids[start:start + 500]
        for kind, table in COMPONENT_TABLES.items():
            rows = store.conn.execute(
                f"SELECT code, {_COLUMNS}, {dialect.wkb(store)} FROM {table} WHERE currency <> ? AND unit_grid_code "
                f"IN ({', '.join('?' * len(chunk))})", (VOID, *chunk))
            for row in rows:
                values = dict(zip(VERSION_FIELDS, tuple(row)[1:-1], strict=True))
                out[row[0]] = (kind, values, bytes(row[-1]))
    return out


def classes(store) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the component classes a new component may have: those of the store's class
    scheme (gridmap_setting class_scheme; every class when it names none), by code."""
    scheme = store.setting("class_scheme")
    sql = "SELECT code, name, geometry FROM component_class"
    rows = store.conn.execute(sql + (" WHERE scheme = ?" if scheme else "") + " ORDER BY code",
                              (scheme,) if scheme else ())
    return [tuple(r) for r in rows]


def active_units(store) -> set[str]:
    """Codes of the responsible units not retired: the ones a component may name."""
    return {r[0] for r in store.conn.execute("SELECT code FROM responsible_unit WHERE retired_at IS NULL")}


def kind_of_table(table: str) -> str:
    """point, line or polygon for a component table's name."""
    return _KIND_OF_TABLE[table]
