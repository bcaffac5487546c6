"""What file imports read from the store and the one short transaction that writes an import.

An import reads everything it compares against here (outside any write transaction: in WAL mode
reads never block the intake service), decides every insert and update in memory, and only then
calls ``write_component_changes`` or ``write_unit_grid_versions``, whose transaction holds
nothing but the inserts, updates and the audit row.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field

import shapely

from gridmap.domain.assignment import GridLocator
from gridmap.domain.calendar import city_now
from gridmap.store import audit, bulk, dialect, users
from gridmap.store.connection import Store
from gridmap.store.errors import StoreError
from gridmap.store.grid_versions import next_plan_version
from gridmap.store.schema import COMPONENT_TABLES, INCIDENT_STATUSES

BULK_ROWS = 5000  # above this many rows for a table, rebuild its R*Tree after the write instead of row by row
#: the component columns an import compares and writes (besides code and geometry)
COMPONENT_VALUE_COLUMNS = ("class_code", "name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code",
                           "state", "currency", "initial_date", "change_date", "data_source", "photo", "note",
                           "unit_grid_code")
RETIRED_CURRENCY = "作废"
OPEN_STATUSES = tuple(s for s in INCIDENT_STATUSES if s not in ("closed", "rejected"))


def component_classes(store: Store) -> dict[str, str]:
    """Component class code → the geometry its components have (point, line, polygon)."""
    return dict(store.conn.execute("SELECT code, geometry FROM component_class"))


def unit_codes(store: Store) -> set[str]:
    """Codes of every responsible unit (retired ones too)."""
    return {r[0] for r in store.conn.execute("SELECT code FROM responsible_unit")}


def component_kinds(store: Store) -> dict[str, str]:
    """Component ID → the kind of table it is in (point, line, polygon)."""
    out: dict[str, str] = {}
    for kind, table in COMPONENT_TABLES.items():
        out.update((r[0], kind) for r in store.conn.execute(f"SELECT code FROM {table}"))
    return out


def _recorded_retired(store: Store, kind: str) -> set[str]:
    """Codes the retired_code table (schema v5) records as retired; empty in older stores."""
    if not dialect.is_postgis(store) and not store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'retired_code'").fetchone():
        return set()
    return {r[0] for r in store.conn.execute("SELECT code FROM retired_code WHERE kind = ?", (kind,))}


def retired_component_codes(store: Store) -> dict[str, str]:
    """IDs that can never be current again → why: components whose currency (现势性) is 作废, and
    IDs of deleted components (schema v5 records them)."""
    out = dict.fromkeys(_recorded_retired(store, "component"), "its component was deleted")
    for table in COMPONENT_TABLES.values():
        out.update((r[0], "it is void (作废)") for r in store.conn.execute(
            f"SELECT code FROM {table} WHERE currency = ?", (RETIRED_CURRENCY,)))
    return out


def stored_components(store: Store, kind: str, codes) -> tuple[dict[str, tuple], dict[str, object]]:
    """The stored values (COMPONENT_VALUE_COLUMNS order) and geometries of the components of ``kind``
    with these IDs, for comparing with a file. Returns (code → values, code → shapely geometry)."""
    table = COMPONENT_TABLES[kind]
    wanted = set(codes)
    rows = store.conn.execute(f"SELECT code, {', '.join(COMPONENT_VALUE_COLUMNS)}, {dialect.wkb(store)} FROM {table}"
                              ).fetchall()
    rows = [r for r in rows if r[0] in wanted]
    geoms = shapely.from_wkb([r[-1] for r in rows]) if rows else []
    return {r[0]: tuple(r[1:-1]) for r in rows}, dict(zip((r[0] for r in rows), geoms, strict=True))


@dataclass
class ComponentChanges:
    """What an import writes into one component table, decided before the transaction."""

    kind: str
    insert_rows: list[tuple] = field(default_factory=list)  # code, *COMPONENT_VALUE_COLUMNS, wkb
    update_rows: list[tuple] = field(default_factory=list)  # code, *COMPONENT_VALUE_COLUMNS, wkb
    changed: list[int] = field(default_factory=list)  # per update row: bit k set = column k changed
    moved: list[bool] = field(default_factory=list)  # per update row: the geometry changed


def _stage(conn: sqlite3.Connection, changes: list[ComponentChanges]) -> None:
    """The rows to write, in TEMP tables: they live in the connection's own temporary database, so
    filling them takes no lock on the store (the intake service keeps writing meanwhile)."""
    # the store's own types, so PostgreSQL takes the values into its DATE columns as they are
    columns = ", ".join(f"{c} {'DATE' if c.endswith('_date') else 'TEXT'}" for c in COMPONENT_VALUE_COLUMNS)
    conn.execute("DROP TABLE IF EXISTS import_new")
    conn.execute("DROP TABLE IF EXISTS import_update")
    blob = dialect.blob_type(conn)
    conn.execute(f"CREATE TEMP TABLE import_new (kind TEXT, code TEXT, {columns}, wkb {blob})")
    conn.execute(f"CREATE TEMP TABLE import_update (kind TEXT, code TEXT PRIMARY KEY, {columns}, wkb {blob}, "
                 "changed INTEGER, moved INTEGER)")
    marks = ", ".join("?" * (len(COMPONENT_VALUE_COLUMNS) + 3))
    for change in changes:
        conn.executemany(f"INSERT INTO import_new VALUES ({marks})",
                         ((change.kind, *row) for row in change.insert_rows))
        conn.executemany(f"INSERT INTO import_update VALUES ({marks}, ?, ?)",
                         ((change.kind, *row, bits, int(moved))
                          for row, bits, moved in zip(change.update_rows, change.changed, change.moved, strict=True)))


def write_component_changes(store: Store, changes: list[ComponentChanges], audit_detail: dict) -> None:
    """The write phase of a component import: the rows are staged in TEMP tables first (no lock on
    the store), then one IMMEDIATE transaction holds only set-based inserts, updates of the columns
    that changed, geometries that moved, and the audit row. Raises StoreBusyError when another
    writer holds the store past the busy timeout, StoreError when an ID was added or retired
    meanwhile (nothing is written then)."""
    users.require(store, "maintain")
    conn = store.conn
    srid = int(store.srid)
    names = ", ".join(COMPONENT_VALUE_COLUMNS)
    _stage(conn, changes)
    try:
        with store.transaction() as conn:
            for change in changes:
                table = COMPONENT_TABLES[change.kind]
                big = len(change.insert_rows) + sum(change.moved) > BULK_ROWS
                with bulk.spatial_indexes_off(conn, [table]) if big else contextlib.nullcontext():
                    if change.insert_rows:
                        conn.execute(f"INSERT INTO {table} (code, {names}, geom) SELECT code, {names}, "
                                     f"{dialect.geom_from_column(conn, 'wkb', srid)} FROM import_new WHERE kind = ?",
                                     (change.kind,))
                    if not change.update_rows:
                        continue
                    # one statement per set of changed columns: a row is rewritten once, and only the
                    # indexes and triggers of the columns that changed are touched
                    for bits in sorted(set(change.changed)):
                        sets = ", ".join(f"{c} = i.{c}" for k, c in enumerate(COMPONENT_VALUE_COLUMNS)
                                         if bits & (1 << k))
                        conn.execute(f"UPDATE {table} SET {sets} FROM import_update i WHERE {table}.code = "
                                     "i.code AND i.kind = ? AND i.changed = ?", (change.kind, bits))
                    if any(change.moved):
                        geom = dialect.geom_from_column(conn, "i.wkb", srid)
                        conn.execute(f"UPDATE {table} SET geom = {geom} FROM import_update i "
                                     f"WHERE {table}.code = i.code AND i.kind = ? AND i.moved = 1", (change.kind,))
            audit.log(conn, "import.components", detail=audit_detail)
    except dialect.integrity_errors() as exc:  # another program added or retired one of these IDs meanwhile
        raise StoreError(f"{store.path}: {exc}; the store changed while the import was being checked and "
                         "nothing was written: run the import again") from exc
    finally:
        conn.execute("DROP TABLE IF EXISTS import_new")
        conn.execute("DROP TABLE IF EXISTS import_update")


# ---- unit grids


def unit_grid_versions(store: Store) -> tuple[dict[str, tuple], set[str]]:
    """Current unit grids (code → (responsibility grid code, geometry)) and the codes that only
    exist as retired history (never to be current again)."""
    rows = store.conn.execute(f"SELECT code, responsibility_grid_code, {dialect.wkb(store)} FROM unit_grid "
                              "WHERE valid_to IS NULL").fetchall()
    geoms = shapely.from_wkb([r[2] for r in rows]) if rows else []
    current = {r[0]: (r[1], g) for r, g in zip(rows, geoms, strict=True)}
    retired = {r[0] for r in store.conn.execute("SELECT DISTINCT code FROM unit_grid WHERE valid_to IS NOT NULL")}
    return current, (retired | _recorded_retired(store, "unit_grid")) - set(current)


def responsibility_grid_codes(store: Store) -> set[str]:
    """Codes of every responsibility grid."""
    return {r[0] for r in store.conn.execute("SELECT code FROM responsibility_grid")}


def locked_responsibility_grids(store: Store) -> set[str]:
    """Codes of the locked responsibility grids (they neither gain nor lose unit grids)."""
    return {r[0] for r in store.conn.execute("SELECT code FROM responsibility_grid WHERE locked <> 0")}


def _unit_grid_snapshot(conn: sqlite3.Connection) -> tuple:
    """What a unit grid import planned against: if it differs inside the transaction, someone
    changed the grids meanwhile."""
    return tuple(conn.execute("SELECT count(*), max(valid_from), max(valid_to), count(valid_to) FROM unit_grid"
                              ).fetchone())


def write_unit_grid_versions(store: Store, incoming: dict[str, tuple], current: dict[str, tuple],
                             audit_detail: dict) -> None:
    """The write phase of a unit grid import. For each code in ``incoming`` (code → (polygon,
    responsibility grid code)) its current version is closed and the new one inserted; components
    and open incidents of those grids are located again and the responsibility grids they touch
    dissolved again. ``current`` is unit_grid_versions' first result. Everything is computed
    before the transaction (point-in-polygon, unions); the transaction holds the writes alone.
    Raises StoreError when the unit grids changed between planning and writing (nothing is written)."""
    users.require(store, "plan")
    codes = list(incoming)
    polygons = [g for g, _ in incoming.values()]
    locator = GridLocator(polygons, codes)
    marks = ", ".join("?" * len(codes))
    moves = []  # (table, unit grid code or None, id)
    for table in [*COMPONENT_TABLES.values(), "incident"]:
        extra, params = ("", []) if table != "incident" else (
            f" AND status IN ({', '.join('?' * len(OPEN_STATUSES))})", list(OPEN_STATUSES))
        rows = store.conn.execute(f"SELECT id, {dialect.wkb(store)} FROM {table} WHERE unit_grid_code IN "
                                  f"({marks}){extra}",
                                  [*codes, *params]).fetchall()
        if rows:
            located = locator.locate(shapely.from_wkb([r[1] for r in rows]))
            moves += [(table, code, r[0]) for code, r in zip(located, rows, strict=True)]
    after = {c: (resp, g) for c, (resp, g) in current.items()}
    after.update({c: (resp, g) for c, (g, resp) in incoming.items()})
    touched = {resp for _, resp in incoming.values()} | {current[c][0] for c in codes if c in current}
    dissolved = {}
    for grid in sorted(g for g in touched if g):
        members = [g for resp, g in after.values() if resp == grid]
        polygon = shapely.coverage_union_all(members) if members else None
        dissolved[grid] = bulk.to_wkb("responsibility_grid", [polygon])[0] if polygon is not None else None
    wkb = {c: shapely.to_wkb(g) for c, (g, _) in incoming.items()}
    snapshot = _unit_grid_snapshot(store.conn)
    stamp = city_now("milliseconds").isoformat(timespec="milliseconds")
    srid = int(store.srid)
    with store.transaction() as conn:
        if _unit_grid_snapshot(conn) != snapshot:
            raise StoreError(f"{store.path}: the unit grids changed while the import was being checked; "
                             "nothing was written: run the import again")
        for code, (geom, resp) in incoming.items():
            conn.execute("UPDATE unit_grid SET valid_to = ? WHERE code = ? AND valid_to IS NULL", (stamp, code))
            conn.execute(f"INSERT INTO unit_grid (code, community_code, responsibility_grid_code, area_m2, "
                         f"valid_from, geom) VALUES (?, ?, ?, ?, ?, {dialect.geom_from_wkb(conn, srid)})",
                         (code, code[:12], resp, round(geom.area, 1), stamp, wkb[code]))
        for table in [*COMPONENT_TABLES.values(), "incident"]:
            conn.executemany(f"UPDATE {table} SET unit_grid_code = ? WHERE id = ?",
                             [(code, row_id) for t, code, row_id in moves if t == table])
        conn.executemany(f"UPDATE responsibility_grid SET geom = {dialect.geom_from_wkb(conn)} WHERE code = ?",
                         [(value, srid, grid) for grid, value in dissolved.items()])
        next_plan_version(conn)
        audit.log(conn, "import.unit_grids", detail=audit_detail)


__all__ = ["BULK_ROWS", "COMPONENT_VALUE_COLUMNS", "ComponentChanges", "write_component_changes",
           "write_unit_grid_versions"]
