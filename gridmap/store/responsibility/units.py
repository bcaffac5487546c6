"""Responsible units (责任单位) in the store: create, update, retire with a successor, delete when unused, and
which unit is competent, owner or maintainer of which components. Writes are transactional and keep their
before-image in the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

from gridmap.domain.calendar import city_now, city_today
from gridmap.domain.errors import GridmapError
from gridmap.domain.responsibility import UNIT_ROLES, check_unit_code
from gridmap.store import audit, users
from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES


class UnitInUseError(GridmapError):
    """A responsible unit that is referenced cannot be deleted, only retired with a successor."""



def create_unit(store: Store, code: str, name: str, kind: str, contact: str = "") -> None:
    """Add a responsible unit; raises CodeError for a malformed code, GridmapError for a duplicate or no name."""
    users.require(store, "maintain")
    check_unit_code(code)
    if not name.strip():
        raise GridmapError("a responsible unit needs a name")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM responsible_unit WHERE code = ?", (code,)).fetchone():
            raise GridmapError(f"a responsible unit with code {code} already exists")
        conn.execute("INSERT INTO responsible_unit (code, name, kind, contact) VALUES (?, ?, ?, ?)",
                     (code, name.strip(), kind, contact))
        audit.log(conn, "unit.create", table="responsible_unit", row_code=code, detail={"name": name})


def update_unit(store: Store, code: str, *, name: str | None = None, kind: str | None = None,
                contact: str | None = None) -> None:
    users.require(store, "maintain")
    with store.transaction() as conn:
        row = conn.execute("SELECT name, kind, contact FROM responsible_unit WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise GridmapError(f"no responsible unit {code}")
        new = (name if name is not None else row[0], kind if kind is not None else row[1],
               contact if contact is not None else row[2])
        if not new[0].strip():
            raise GridmapError("a responsible unit needs a name")
        conn.execute("UPDATE responsible_unit SET name = ?, kind = ?, contact = ? WHERE code = ?", (*new, code))
        audit.log(conn, "unit.update", table="responsible_unit", row_code=code,
                  detail={"before": list(row), "after": list(new)})


def usage(store: Store, code: str) -> dict[str, int]:
    """Where a unit is referenced: component roles, routing rules, incidents, successors."""
    conn = store.conn
    out: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        for role in UNIT_ROLES:
            n = conn.execute(f"SELECT count(*) FROM {table} WHERE {role}_unit_code = ?", (code,)).fetchone()[0]
            if n:
                out[f"{table}.{role}"] = n
    for label, sql in (("routing_rule", "SELECT count(*) FROM routing_rule WHERE unit_code = ?"),
                       ("incident", "SELECT count(*) FROM incident WHERE responsible_unit_code = ?"),
                       ("successor_of", "SELECT count(*) FROM responsible_unit WHERE successor_code = ?")):
        n = conn.execute(sql, (code,)).fetchone()[0]
        if n:
            out[label] = n
    return out


def delete_unit(store: Store, code: str) -> None:
    """Delete an unused unit; raises UnitInUseError naming where it is used."""
    users.require(store, "maintain")
    used = usage(store, code)
    if used:
        where = ", ".join(f"{k} ({v})" for k, v in used.items())
        raise UnitInUseError(f"unit {code} is in use ({where}); retire it with a successor instead")
    with store.transaction() as conn:
        before = conn.execute("SELECT * FROM responsible_unit WHERE code = ?", (code,)).fetchone()
        if before is None or conn.execute("DELETE FROM responsible_unit WHERE code = ?", (code,)).rowcount != 1:
            raise GridmapError(f"no responsible unit {code}")
        audit.log(conn, "unit.delete", table="responsible_unit", row_code=code, detail={"before": dict(before)})


def retire_unit(store: Store, code: str, successor: str) -> dict[str, int]:
    """Retire ``code``: its components, routing rules and open cases pass to ``successor``.

    Closed cases keep the unit they were handled by. This is also how two units
    are merged. Returns what moved; raises GridmapError for unknown or retired units.
    """
    users.require(store, "maintain")
    if code == successor:
        raise GridmapError("a unit cannot succeed itself")
    with store.transaction() as conn:
        rows = dict(conn.execute("SELECT code, retired_at FROM responsible_unit WHERE code IN (?, ?)",
                                 (code, successor)))
        if code not in rows or successor not in rows:
            raise GridmapError(f"unknown responsible unit {code if code not in rows else successor}")
        if rows[successor] is not None:
            raise GridmapError(f"the successor {successor} is itself retired")
        moved: dict[str, int] = {}
        # the before-image: which rows pointed at the retired unit, so the move can be undone
        before = {f"{table}.{role}": [r[0] for r in conn.execute(
                      f"SELECT code FROM {table} WHERE {role}_unit_code = ?", (code,))]
                  for table in COMPONENT_TABLES.values() for role in UNIT_ROLES}
        before["routing_rule"] = [list(r) for r in conn.execute(
            "SELECT class_kind, class_code, area_kind, area_code FROM routing_rule WHERE unit_code = ?", (code,))]
        before["open_incidents"] = [r[0] for r in conn.execute(
            "SELECT code FROM incident WHERE responsible_unit_code = ? AND status NOT IN ('closed', 'rejected')",
            (code,))]
        for table in COMPONENT_TABLES.values():
            for role in UNIT_ROLES:
                n = conn.execute(f"UPDATE {table} SET {role}_unit_code = ?, change_date = ? WHERE {role}_unit_code = ?",
                                 (successor, city_today().isoformat(), code)).rowcount
                if n:
                    moved[f"{table}.{role}"] = n
        moved["routing_rule"] = conn.execute("UPDATE routing_rule SET unit_code = ? WHERE unit_code = ?",
                                             (successor, code)).rowcount
        moved["open_incidents"] = conn.execute(
            "UPDATE incident SET responsible_unit_code = ? WHERE responsible_unit_code = ? AND status NOT IN "
            "('closed', 'rejected')", (successor, code)).rowcount
        conn.execute("UPDATE responsible_unit SET retired_at = ?, successor_code = ? WHERE code = ?",
                     (city_now().isoformat(timespec="seconds"), successor, code))
        audit.log(conn, "unit.retire", table="responsible_unit", row_code=code,
                  detail={"successor": successor, "moved": moved,
                          "before": {k: v for k, v in before.items() if v}})
    return moved


def list_units(store: Store, include_retired: bool = False) -> list[dict]:
    sql = "SELECT code, name, kind, contact, retired_at, successor_code FROM responsible_unit"
    if not include_retired:
        sql += " WHERE retired_at IS NULL"
    rows = store.conn.execute(sql + " ORDER BY name")
    return [dict(zip(("code", "name", "kind", "contact", "retired_at", "successor_code"), r, strict=True))
            for r in rows]




@dataclass
class ComponentScope:
    """Which components an assignment applies to: chosen ids, or a class within an optional area."""

    ids: dict[str, list[int]] = field(default_factory=dict)  # table -> ids (a map selection)
    class_code: str | None = None
    area_kind: str | None = None  # responsibility_grid | community
    area_code: str | None = None


def assign_component_units(store: Store, role: str, unit_code: str, scope: ComponentScope) -> int:
    """Set the competent / owner / maintainer unit of the components in ``scope``; return how many.

    Every change is logged. Raises GridmapError for an unknown role, unit or area.
    """
    users.require(store, "maintain")
    if role not in UNIT_ROLES:
        raise GridmapError(f"role must be one of {', '.join(UNIT_ROLES)}, not {role!r}")
    column = f"{role}_unit_code"
    today = city_today().isoformat()
    with store.transaction() as conn:
        unit = conn.execute("SELECT retired_at FROM responsible_unit WHERE code = ?", (unit_code,)).fetchone()
        if unit is None:
            raise GridmapError(f"no responsible unit {unit_code}")
        if unit[0] is not None:
            raise GridmapError(f"unit {unit_code} is retired")
        # a typo in the class or the area would match nothing and report "0 components": say so instead
        if scope.class_code is not None and conn.execute(
                "SELECT 1 FROM component_class WHERE code = ?", (scope.class_code,)).fetchone() is None:
            raise GridmapError(f"no component class {scope.class_code}")
        area_sql = {"responsibility_grid": "SELECT 1 FROM responsibility_grid WHERE code = ?",
                    "community": "SELECT 1 FROM community WHERE code = ?"}.get(scope.area_kind or "")
        if area_sql and conn.execute(area_sql, (scope.area_code,)).fetchone() is None:
            raise GridmapError(f"no {scope.area_kind.replace('_', ' ')} {scope.area_code}")
        total = 0
        before: dict[str, dict[str, list[str]]] = {}  # table -> old unit ('' for none) -> component codes

        def remember(table: str, where: str, params) -> None:
            for code, old in conn.execute(f"SELECT code, {column} FROM {table} WHERE {where}", tuple(params)):
                if old != unit_code:
                    before.setdefault(table, {}).setdefault(old or "", []).append(code)

        for table in COMPONENT_TABLES.values():
            if scope.ids:
                ids = scope.ids.get(table, [])
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    remember(table, f"id IN ({', '.join('?' * len(chunk))})", chunk)
                    total += conn.execute(
                        f"UPDATE {table} SET {column} = ?, change_date = ? WHERE id IN ({', '.join('?' * len(chunk))})",
                        (unit_code, today, *chunk)).rowcount
                continue
            if scope.class_code is None:
                raise GridmapError("choose components: a selection or a class")
            where, params = "class_code = ?", [scope.class_code]
            if scope.area_kind == "responsibility_grid":
                where += (" AND unit_grid_code IN (SELECT code FROM unit_grid WHERE valid_to IS NULL AND "
                          "responsibility_grid_code = ?)")
                params.append(scope.area_code)
            elif scope.area_kind == "community":
                where += " AND substr(unit_grid_code, 1, 12) = ?"
                params.append(scope.area_code)
            elif scope.area_kind is not None:
                raise GridmapError(f"unknown area kind {scope.area_kind!r}")
            remember(table, where, params)
            total += conn.execute(f"UPDATE {table} SET {column} = ?, change_date = ? WHERE {where}",
                                  (unit_code, today, *params)).rowcount
        audit.log(conn, "component.assign_unit", table="component", detail={
            "role": role, "unit": unit_code, "count": total, "class": scope.class_code,
            "area": [scope.area_kind, scope.area_code] if scope.area_kind else None,
            "selection": {t: len(v) for t, v in scope.ids.items()} or None, "before": before})
    return total
