"""The routing table in the store (which unit handles a class, by default and per area) and its CSV
exchange. A routing import that would change or remove more than MAX_SILENT_REMOVAL of the rules needs to
be told (a fill-down edit in a spreadsheet changes most rules in one drag)."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from pathlib import Path

from gridmap.domain.cells import formula_safe
from gridmap.domain.responsibility import AREA_KINDS, RoutingError, RoutingTable, Rule
from gridmap.store import audit, users
from gridmap.store.connection import Store

ROUTING_COLUMNS = ("class_code", "class_kind", "class_name", "area_kind", "area_code", "area_name", "unit_code",
                   "unit_name")
ROUTING_REQUIRED = ("class_code", "class_kind", "area_kind", "area_code", "unit_code")
#: a routing import may change or remove at most this share of the rules unless told to (--allow-removals)
MAX_SILENT_REMOVAL = 0.10
_BOM = b"\xef\xbb\xbf"



def load_routing(store: Store) -> RoutingTable:
    """The routing table as it is now."""
    rows = store.conn.execute("SELECT class_code, class_kind, area_kind, area_code, unit_code FROM routing_rule")
    return RoutingTable(Rule(*r) for r in rows)


#: how old a routing table the intake may route with: a change reaches new reports within this time
ROUTING_MAX_AGE_S = 2.0


def recent_routing(store: Store, max_age: float = ROUTING_MAX_AGE_S) -> RoutingTable:
    """The routing table read at most ``max_age`` seconds ago on this store connection (the intake
    routes hundreds of reports a second with the same ~200 rules; on PostGIS reading them was a
    quarter of each report's time). The dispatcher confirms the unit at dispatch either way."""
    now = time.monotonic()
    cached = getattr(store, "_recent_routing", None)
    if cached is None or now - cached[0] > max_age:
        cached = (now, load_routing(store))
        store._recent_routing = cached
    return cached[1]


def _classes(store: Store) -> dict[tuple[str, str], str]:
    """(class kind, code) → name; event and component legacy codes overlap, so the kind is part of the key."""
    out = {("event", r[0]): r[1] for r in store.conn.execute("SELECT code, name FROM event_class")}
    out |= {("component", r[0]): r[1] for r in store.conn.execute("SELECT code, name FROM component_class")}
    return out


def set_rule(store: Store, class_kind: str, class_code: str, area_kind: str, area_code: str, unit_code: str) -> None:
    """Add or replace one routing rule (a default when ``area_kind`` is 'default')."""
    users.require(store, "maintain")
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
    users.require(store, "maintain")
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


def _decode(data: bytes, encoding: str | None, path: Path) -> str:
    """The file's text by the rules of the component CSV import: ``encoding`` (a Python codec) wins; a
    byte-order mark means UTF-8; else the one of UTF-8 and GBK that decodes it (Excel on Chinese Windows
    saves GBK); when both decode and differ, refused asking for --encoding. Raises RoutingError."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError) as exc:
            raise RoutingError(f"{path}: not {encoding} text ({exc}): pass the right --encoding") from None
    if data.startswith(_BOM):
        try:
            return data[len(_BOM):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RoutingError(f"{path}: starts as UTF-8 but is not ({exc}): pass --encoding") from None
    readings = {}
    for codec in ("utf-8", "gbk"):
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise RoutingError(f"{path}: the text is neither UTF-8 nor GBK: pass --encoding")
    if len(readings) == 1 or readings["utf-8"] == readings["gbk"]:
        return next(iter(readings.values()))
    line = next(k for k, raw in enumerate(data.split(b"\n"), start=1) if not raw.isascii())
    raw = next(r for r in data.split(b"\n") if not r.isascii()).strip()
    raise RoutingError(f"{path}, line {line}: reads as UTF-8 ({raw.decode('utf-8')!r}) and as GBK "
                       f"({raw.decode('gbk')!r}): pass --encoding utf-8 or --encoding gbk")


def read_routing_csv(path: Path | str, encoding: str | None = None) -> list[Rule]:
    """Rules from a routing CSV (names columns are ignored), in ``encoding`` or as detected (UTF-8
    with or without a byte-order mark, or GBK); raises RoutingError naming the row."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), encoding, path)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = set(ROUTING_REQUIRED) - set(reader.fieldnames or [])
        if missing:
            raise RoutingError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = list(reader)
    except (OSError, csv.Error) as exc:
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
                   allow_removals: bool = False, encoding: str | None = None) -> RoutingChanges:
    """Make the routing table equal to the file; return what changes (nothing is written on a dry run).

    The whole file is checked first (classes, areas, units); any bad row raises
    RoutingError naming the file and row, and nothing is written. An import that would change or remove
    more than MAX_SILENT_REMOVAL of the current rules (a file with only its header removes them all; a
    fill-down edit changes most) raises RoutingError unless ``allow_removals``; a dry run lists them
    either way. ``encoding``: a Python codec, else detected (read_routing_csv). The audit entry
    keeps every added, changed (with the old unit) and removed rule, so the import can be undone.
    """
    rules = read_routing_csv(path, encoding)
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
    touched = len(changes.changed) + len(changes.removed)
    if not allow_removals and current and touched > MAX_SILENT_REMOVAL * len(current):
        raise RoutingError(
            f"{path} would {_what(changes)} of the {len(current)} routing rules (more than "
            f"{MAX_SILENT_REMOVAL:.0%}); nothing was written. Check the file; '--dry-run' lists them, and "
            "'--allow-removals' imports it as it is")
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


def _what(changes: RoutingChanges) -> str:
    parts = ([f"change {len(changes.changed)}"] if changes.changed else []) + (
        [f"remove {len(changes.removed)}"] if changes.removed else [])
    return " and ".join(parts)


def handler_by_grid(store: Store, class_kind: str, class_code: str) -> dict[str, str | None]:
    """Responsibility grid → the unit that handles the class there (ignoring community overrides)."""
    table = load_routing(store)
    return {g: table.unit_for(class_kind, class_code, None, g)
            for (g,) in store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code")}
