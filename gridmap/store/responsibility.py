"""Responsible units, routing rules, staff and the gaps report, in the store. Writes are transactional
and logged in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gridmap.domain.cells import formula_safe
from gridmap.domain.coverage import Problem
from gridmap.domain.errors import GridmapError
from gridmap.domain.responsibility import AREA_KINDS, UNIT_ROLES, RoutingError, RoutingTable, Rule, check_unit_code
from gridmap.store import audit
from gridmap.store.connection import Store
from gridmap.store.schema import COMMUNITY_GRID_ROLES, COMPONENT_TABLES

ROUTING_COLUMNS = ("class_code", "class_kind", "class_name", "area_kind", "area_code", "area_name", "unit_code",
                   "unit_name")
ROUTING_REQUIRED = ("class_code", "class_kind", "area_kind", "area_code", "unit_code")
#: a routing import may remove at most this share of the rules unless told to (--allow-removals)
MAX_SILENT_REMOVAL = 0.10


class UnitInUseError(GridmapError):
    """A responsible unit that is referenced cannot be deleted, only retired with a successor."""


# --- units ------------------------------------------------------------------------------


def create_unit(store: Store, code: str, name: str, kind: str, contact: str = "") -> None:
    """Add a responsible unit; raises CodeError for a malformed code, GridmapError for a duplicate or no name."""
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
                                 (successor, dt.date.today().isoformat(), code)).rowcount
                if n:
                    moved[f"{table}.{role}"] = n
        moved["routing_rule"] = conn.execute("UPDATE routing_rule SET unit_code = ? WHERE unit_code = ?",
                                             (successor, code)).rowcount
        moved["open_incidents"] = conn.execute(
            "UPDATE incident SET responsible_unit_code = ? WHERE responsible_unit_code = ? AND status NOT IN "
            "('closed', 'rejected')", (successor, code)).rowcount
        conn.execute("UPDATE responsible_unit SET retired_at = ?, successor_code = ? WHERE code = ?",
                     (dt.datetime.now().isoformat(timespec="seconds"), successor, code))
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


# --- components -------------------------------------------------------------------------------


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
    if role not in UNIT_ROLES:
        raise GridmapError(f"role must be one of {', '.join(UNIT_ROLES)}, not {role!r}")
    column = f"{role}_unit_code"
    today = dt.date.today().isoformat()
    with store.transaction() as conn:
        unit = conn.execute("SELECT retired_at FROM responsible_unit WHERE code = ?", (unit_code,)).fetchone()
        if unit is None:
            raise GridmapError(f"no responsible unit {unit_code}")
        if unit[0] is not None:
            raise GridmapError(f"unit {unit_code} is retired")
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


# --- routing ------------------------------------------------------------------------------------


def load_routing(store: Store) -> RoutingTable:
    rows = store.conn.execute("SELECT class_code, class_kind, area_kind, area_code, unit_code FROM routing_rule")
    return RoutingTable(Rule(*r) for r in rows)


def _classes(store: Store) -> dict[tuple[str, str], str]:
    """(class kind, code) → name; event and component legacy codes overlap, so the kind is part of the key."""
    out = {("event", r[0]): r[1] for r in store.conn.execute("SELECT code, name FROM event_class")}
    out |= {("component", r[0]): r[1] for r in store.conn.execute("SELECT code, name FROM component_class")}
    return out


def set_rule(store: Store, class_kind: str, class_code: str, area_kind: str, area_code: str, unit_code: str) -> None:
    """Add or replace one routing rule (a default when ``area_kind`` is 'default')."""
    rule = Rule(class_code, class_kind, area_kind, area_code if area_kind != "default" else "", unit_code)
    _check_rules(store, [rule])
    with store.transaction() as conn:
        old = conn.execute("SELECT unit_code FROM routing_rule WHERE class_kind = ? AND class_code = ? AND "
                           "area_kind = ? AND area_code = ?",
                           (rule.class_kind, rule.class_code, rule.area_kind, rule.area_code)).fetchone()
        conn.execute("INSERT INTO routing_rule (class_code, class_kind, area_kind, area_code, unit_code) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (class_kind, class_code, area_kind, area_code) DO UPDATE SET "
                     "unit_code = excluded.unit_code",
                     (rule.class_code, rule.class_kind, rule.area_kind, rule.area_code, rule.unit_code))
        audit.log(conn, "routing.set", table="routing_rule", row_code=class_code,
                  detail={**rule.__dict__, "before": {"unit_code": old[0] if old else None}})


def delete_rule(store: Store, class_kind: str, class_code: str, area_kind: str, area_code: str = "") -> None:
    with store.transaction() as conn:
        old = conn.execute("SELECT unit_code FROM routing_rule WHERE class_kind = ? AND class_code = ? AND "
                           "area_kind = ? AND area_code = ?", (class_kind, class_code, area_kind, area_code)).fetchone()
        n = conn.execute("DELETE FROM routing_rule WHERE class_kind = ? AND class_code = ? AND area_kind = ? "
                         "AND area_code = ?", (class_kind, class_code, area_kind, area_code)).rowcount
        if n != 1:
            raise RoutingError(f"no routing rule for {class_code} in {area_kind} {area_code}".strip())
        audit.log(conn, "routing.delete", table="routing_rule", row_code=class_code,
                  detail={"class_kind": class_kind, "area_kind": area_kind, "area_code": area_code,
                          "before": {"unit_code": old[0]}})


def _check_rules(store: Store, rules, where=lambda k: "") -> None:
    conn = store.conn
    classes = _classes(store)
    units = dict(conn.execute("SELECT code, retired_at FROM responsible_unit"))
    areas = {"responsibility_grid": {r[0] for r in conn.execute("SELECT code FROM responsibility_grid")},
             "community": {r[0] for r in conn.execute("SELECT code FROM community")}}
    for k, rule in enumerate(rules):
        place = where(k)
        if rule.class_kind not in ("event", "component"):
            raise RoutingError(f"{place}class_kind must be 'event' or 'component', not {rule.class_kind!r}")
        if (rule.class_kind, rule.class_code) not in classes:
            raise RoutingError(f"{place}unknown {rule.class_kind} class {rule.class_code!r}")
        if rule.area_kind not in AREA_KINDS:
            raise RoutingError(f"{place}area_kind must be one of {', '.join(AREA_KINDS)}, not {rule.area_kind!r}")
        if rule.area_kind != "default" and rule.area_code not in areas[rule.area_kind]:
            raise RoutingError(f"{place}unknown {rule.area_kind} {rule.area_code!r}")
        if rule.area_kind == "default" and rule.area_code:
            raise RoutingError(f"{place}a default rule has no area_code")
        if rule.unit_code not in units:
            raise RoutingError(f"{place}unknown responsible unit {rule.unit_code!r}")
        if units[rule.unit_code] is not None:
            raise RoutingError(f"{place}responsible unit {rule.unit_code} is retired")


def export_routing(store: Store, path: Path | str) -> int:
    """Write the routing table as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese); return rows."""
    conn = store.conn
    rows = conn.execute(
        "SELECT r.class_code, r.class_kind, coalesce(e.name, c.name), r.area_kind, r.area_code, "
        "coalesce(g.name, m.name, ''), r.unit_code, u.name FROM routing_rule r "
        "LEFT JOIN event_class e ON r.class_kind = 'event' AND e.code = r.class_code "
        "LEFT JOIN component_class c ON r.class_kind = 'component' AND c.code = r.class_code "
        "LEFT JOIN responsibility_grid g ON r.area_kind = 'responsibility_grid' AND g.code = r.area_code "
        "LEFT JOIN community m ON r.area_kind = 'community' AND m.code = r.area_code "
        "JOIN responsible_unit u ON u.code = r.unit_code "
        "ORDER BY r.class_kind DESC, r.class_code, CASE r.area_kind WHEN 'default' THEN 0 ELSE 1 END, r.area_code"
    ).fetchall()
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ROUTING_COLUMNS)
        writer.writerows([formula_safe(v) for v in row] for row in rows)  # unit names are not formulas
    tmp.replace(path)
    return len(rows)


@dataclass
class RoutingChanges:
    added: list[Rule] = field(default_factory=list)
    changed: list[tuple[Rule, str]] = field(default_factory=list)  # new rule, old unit
    removed: list[Rule] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def lines(self) -> list[str]:
        def area(r):
            return "default" if r.area_kind == "default" else f"{r.area_kind} {r.area_code}"
        return ([f"+ {r.class_code} [{area(r)}] -> {r.unit_code}" for r in self.added]
                + [f"~ {r.class_code} [{area(r)}] {old} -> {r.unit_code}" for r, old in self.changed]
                + [f"- {r.class_code} [{area(r)}] (was {r.unit_code})" for r in self.removed])


def read_routing_csv(path: Path | str) -> list[Rule]:
    """Rules from a routing CSV (names columns are ignored); raises RoutingError naming the row."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = set(ROUTING_REQUIRED) - set(reader.fieldnames or [])
            if missing:
                raise RoutingError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RoutingError(f"{path}: cannot read the routing table: {exc}") from exc
    rules, seen = [], {}
    for lineno, row in enumerate(rows, start=2):
        if None in row or any(row[c] is None for c in ROUTING_REQUIRED):
            got = sum(v is not None for k, v in row.items() if k is not None) + len(row.get(None) or [])
            raise RoutingError(f"{path}, row {lineno}: {got} value(s); "
                               f"a row has the {len(reader.fieldnames)} columns of the header "
                               f"({', '.join(reader.fieldnames)})")
        rule = Rule(row["class_code"].strip(), row["class_kind"].strip(), row["area_kind"].strip(),
                    (row["area_code"] or "").strip(), row["unit_code"].strip())
        key = (rule.class_kind, rule.class_code, rule.area_kind, rule.area_code)
        if key in seen:
            raise RoutingError(f"{path}, row {lineno}: the same class and area as row {seen[key]}")
        seen[key] = lineno
        rules.append(rule)
    return rules


def import_routing(store: Store, path: Path | str, dry_run: bool = False,
                   allow_removals: bool = False) -> RoutingChanges:
    """Make the routing table equal to the file; return what changes (nothing is written on a dry run).

    The whole file is checked first (classes, areas, units); any bad row raises
    RoutingError naming the file and row, and nothing is written. An import that would remove more
    than MAX_SILENT_REMOVAL of the current rules (a file with only its header removes them all) raises
    RoutingError unless ``allow_removals``; a dry run lists the removals either way. The audit entry
    keeps every added, changed (with the old unit) and removed rule, so the import can be undone.
    """
    rules = read_routing_csv(path)
    _check_rules(store, rules, where=lambda k: f"{path}, row {k + 2}: ")
    current = dict(load_routing(store).rules)
    wanted = {(r.class_kind, r.class_code, r.area_kind, r.area_code): r for r in rules}
    changes = RoutingChanges()
    for key, rule in wanted.items():
        if key not in current:
            changes.added.append(rule)
        elif current[key].unit_code != rule.unit_code:
            changes.changed.append((rule, current[key].unit_code))
    changes.removed = [r for key, r in current.items() if key not in wanted]
    if dry_run or not changes.count:
        return changes
    if not allow_removals and current and len(changes.removed) > MAX_SILENT_REMOVAL * len(current):
        raise RoutingError(
            f"{path} would remove {len(changes.removed)} of the {len(current)} routing rules "
            f"(more than {MAX_SILENT_REMOVAL:.0%}); nothing was written. Check the file; '--dry-run' lists "
            "the removals, and '--allow-removals' imports it as it is")
    with store.transaction() as conn:
        conn.execute("DELETE FROM routing_rule")
        conn.executemany("INSERT INTO routing_rule (class_code, class_kind, area_kind, area_code, unit_code) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [(r.class_code, r.class_kind, r.area_kind, r.area_code, r.unit_code) for r in rules])
        audit.log(conn, "routing.import", table="routing_rule", detail={
            "file": str(path), "added": [r.__dict__ for r in changes.added],
            "changed": [{**r.__dict__, "before": {"unit_code": old}} for r, old in changes.changed],
            "removed": [r.__dict__ for r in changes.removed]})
    return changes


def handler_by_grid(store: Store, class_kind: str, class_code: str) -> dict[str, str | None]:
    """Responsibility grid → the unit that handles the class there (ignoring community overrides)."""
    table = load_routing(store)
    return {g: table.unit_for(class_kind, class_code, None, g)
            for (g,) in store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code")}


# --- staff ------------------------------------------------------------------------------------------


def create_staff(store: Store, code: str, name: str, phone: str = "", title: str = "") -> None:
    if not code.strip() or not name.strip():
        raise GridmapError("a staff member needs a code and a name")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM staff WHERE code = ?", (code,)).fetchone():
            raise GridmapError(f"staff code {code} is taken")
        conn.execute("INSERT INTO staff (code, name, phone, title) VALUES (?, ?, ?, ?)", (code, name, phone, title))
        audit.log(conn, "staff.create", table="staff", row_code=code, detail={"name": name})


def set_supervisor(store: Store, staff_code: str, grid_code: str, assigned: bool = True) -> None:
    """Make ``staff_code`` a supervisor of a responsibility grid (or stop it)."""
    with store.transaction() as conn:
        for table, code in (("staff", staff_code), ("responsibility_grid", grid_code)):
            if not conn.execute(f"SELECT 1 FROM {table} WHERE code = ?", (code,)).fetchone():
                raise GridmapError(f"no {table.replace('_', ' ')} {code}")
        if assigned:
            conn.execute("INSERT OR IGNORE INTO supervisor_assignment VALUES (?, ?)", (staff_code, grid_code))
        else:
            conn.execute("DELETE FROM supervisor_assignment WHERE staff_code = ? AND responsibility_grid_code = ?",
                         (staff_code, grid_code))
        audit.log(conn, "staff.supervise" if assigned else "staff.unsupervise", table="supervisor_assignment",
                  row_code=grid_code, detail={"staff": staff_code})


def set_role(store: Store, community_grid_code: str, role: str, staff_code: str | None) -> None:
    """Give a community grid role to a person (None empties it). Seven roles at most, one person each."""
    if role not in COMMUNITY_GRID_ROLES:
        raise GridmapError(f"role must be one of {', '.join(COMMUNITY_GRID_ROLES)}, not {role!r}")
    with store.transaction() as conn:
        if not conn.execute("SELECT 1 FROM community_grid WHERE code = ?", (community_grid_code,)).fetchone():
            raise GridmapError(f"no community grid {community_grid_code}")
        conn.execute("DELETE FROM community_grid_role WHERE community_grid_code = ? AND role = ?",
                     (community_grid_code, role))
        if staff_code:
            if not conn.execute("SELECT 1 FROM staff WHERE code = ?", (staff_code,)).fetchone():
                raise GridmapError(f"no staff member {staff_code}")
            conn.execute("INSERT INTO community_grid_role VALUES (?, ?, ?)", (community_grid_code, role, staff_code))
        audit.log(conn, "staff.role", table="community_grid_role", row_code=community_grid_code,
                  detail={"role": role, "staff": staff_code})


# --- gaps ----------------------------------------------------------------------------------------------


def _centre(conn, table: str, where: str, params) -> tuple[float | None, float | None]:
    row = conn.execute(f"SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM {table} WHERE {where}",
                       params).fetchone()
    return (row[0], row[1]) if row else (None, None)


def check_responsibility(store: Store, staff_limit: int = 8) -> list[Problem]:
    """Everything missing for dispatch to work: each item names the row and where it is on the map."""
    conn = store.conn
    gaps: list[Problem] = []
    for table in COMPONENT_TABLES.values():
        for role in ("maintainer", "owner"):
            for code, x, y in conn.execute(
                    f"SELECT code, X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM {table} "
                    f"WHERE {role}_unit_code IS NULL ORDER BY code"):
                gaps.append(Problem(f"component.no_{role}", table, code, f"has no {role} unit", x, y))
        for code, unit, x, y in conn.execute(
                f"SELECT t.code, u.code, X(PointOnSurface(t.geom)), Y(PointOnSurface(t.geom)) FROM {table} t "
                "JOIN responsible_unit u ON u.code IN (t.maintainer_unit_code, t.owner_unit_code, "
                "t.competent_unit_code) WHERE u.retired_at IS NOT NULL ORDER BY t.code"):
            gaps.append(Problem("component.retired_unit", table, code, f"still names retired unit {unit}", x, y))
    table = load_routing(store)
    grid_rows = conn.execute("SELECT code, name, X(PointOnSurface(geom)), Y(PointOnSurface(geom)) "
                             "FROM responsibility_grid ORDER BY code").fetchall()
    classes = conn.execute("SELECT code, name, 'event' FROM event_class WHERE scheme = (SELECT value FROM "
                           "gridmap_setting WHERE key = 'class_scheme') UNION ALL SELECT code, name, 'component' "
                           "FROM component_class WHERE code IN (SELECT class_code FROM component_point UNION "
                           "SELECT class_code FROM component_line UNION SELECT class_code FROM component_polygon) "
                           "ORDER BY 3 DESC, 1").fetchall()
    if not classes:  # a store without a class_scheme setting: every event class counts
        classes = conn.execute("SELECT code, name, 'event' FROM event_class ORDER BY code").fetchall()
    for class_code, class_name, kind in classes:
        for grid, grid_name, x, y in grid_rows:
            if table.unit_for(kind, class_code, None, grid) is None:
                gaps.append(Problem("routing.missing", "routing_rule", class_code,
                                    f"{class_name}: no unit handles it in {grid_name} ({grid})", x, y))
    for grid, name, x, y in conn.execute(
            "SELECT g.code, g.name, X(PointOnSurface(g.geom)), Y(PointOnSurface(g.geom)) FROM responsibility_grid g "
            "WHERE NOT EXISTS (SELECT 1 FROM supervisor_assignment a WHERE a.responsibility_grid_code = g.code)"):
        gaps.append(Problem("grid.no_supervisor", "responsibility_grid", grid, f"{name} has no supervisor", x, y))
    for grid, name, x, y in conn.execute(
            "SELECT g.code, g.name, X(PointOnSurface(g.geom)), Y(PointOnSurface(g.geom)) FROM community_grid g "
            "WHERE g.level = 3 AND NOT EXISTS (SELECT 1 FROM community_grid_role r "
            "WHERE r.community_grid_code = g.code) ORDER BY g.code"):
        gaps.append(Problem("community_grid.empty_roster", "community_grid", grid, f"{name} has nobody on its roster",
                            x, y))
    for code, name, n in conn.execute(
            "SELECT s.code, s.name, count(DISTINCT x.grid) FROM staff s JOIN ("
            "SELECT staff_code AS code, responsibility_grid_code AS grid FROM supervisor_assignment UNION ALL "
            "SELECT staff_code, community_grid_code FROM community_grid_role) x ON x.code = s.code "
            "GROUP BY s.code HAVING count(DISTINCT x.grid) > ? ORDER BY 3 DESC", (staff_limit,)):
        x, y = _centre(conn, "responsibility_grid", "code IN (SELECT responsibility_grid_code FROM "
                       "supervisor_assignment WHERE staff_code = ?)", (code,))
        if x is None:
            x, y = _centre(conn, "community_grid", "code IN (SELECT community_grid_code FROM community_grid_role "
                           "WHERE staff_code = ?)", (code,))
        gaps.append(Problem("staff.overloaded", "staff", code, f"{name} covers {n} grids (limit {staff_limit})", x, y))
    return gaps


