"""What exports read from the store: filtered components with their names joined, any layer's rows,
and the units that have components. io/export.py turns the results into files."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridmap.domain.filters import to_sql
from gridmap.store import dialect
from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES

_COMPONENT_SELECT = (
    "SELECT t.id, t.code, t.class_code, c.name AS class_name, t.name, t.competent_unit_code, "
    "cu.name AS competent_unit_name, t.owner_unit_code, ou.name AS owner_unit_name, t.maintainer_unit_code, "
    "mu.name AS maintainer_unit_name, t.unit_grid_code, substr(t.unit_grid_code, 1, 9) AS street_code, "
    "s.name AS street_name, substr(t.unit_grid_code, 1, 12) AS community_code, m.name AS community_name, "
    "t.state, t.currency, t.initial_date, t.change_date, t.data_source, t.photo, t.note, {geometry} "
    "FROM {table} t LEFT JOIN component_class c ON c.code = t.class_code "
    "LEFT JOIN responsible_unit cu ON cu.code = t.competent_unit_code "
    "LEFT JOIN responsible_unit ou ON ou.code = t.owner_unit_code "
    "LEFT JOIN responsible_unit mu ON mu.code = t.maintainer_unit_code "
    "LEFT JOIN street s ON s.code = substr(t.unit_grid_code, 1, 9) "
    "LEFT JOIN community m ON m.code = substr(t.unit_grid_code, 1, 12)"
)
#: the component columns a --where filter may name
COMPONENT_FILTER_COLUMNS = {
    "code", "class_code", "name", "competent_unit_code", "owner_unit_code", "maintainer_unit_code", "unit_grid_code",
    "state", "currency", "initial_date", "change_date", "data_source", "photo", "note", "class_name", "street_code",
    "community_code"}
UNIT_ROLES = ("competent", "owner", "maintainer")


@dataclass(frozen=True)
class ComponentFilter:
    """Which components an export takes (every field optional)."""

    classes: tuple[str, ...] = ()
    unit: str | None = None
    unit_role: str = "any"  # any | competent | owner | maintainer
    grid: str | None = None  # responsibility grid code
    community: str | None = None
    states: tuple[str, ...] = ()
    where: str | None = None  # the small filter language of domain/filters.py

    @property
    def needs_join(self) -> bool:
        """Whether the filter names joined columns (then the one-pass point reader cannot serve it)."""
        return bool(self.where or self.grid)


def _conditions(f: ComponentFilter, prefix: str = "t.") -> tuple[list[str], list]:
    where, params = ["1 = 1"], []
    if f.classes:
        where.append(f"{prefix}class_code IN ({', '.join('?' * len(f.classes))})")
        params += list(f.classes)
    if f.unit:
        roles = UNIT_ROLES if f.unit_role == "any" else (f.unit_role,)
        where.append("(" + " OR ".join(f"{prefix}{r}_unit_code = ?" for r in roles) + ")")
        params += [f.unit] * len(roles)
    if f.community:
        where.append(f"substr({prefix}unit_grid_code, 1, 12) = ?")
        params.append(f.community)
    if f.states:
        where.append(f"{prefix}state IN ({', '.join('?' * len(f.states))})")
        params += list(f.states)
    return where, params


def _by_column(store: Store, sql: str, params) -> dict[str, tuple]:
    """Run a query and return its result by column (plain tuples: sqlite3.Row costs 3x per row)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(sql, params).fetchall()
    names = [d[0] for d in cursor.description]
    if not rows:
        return dict.fromkeys(names, ())
    return dict(zip(names, zip(*rows, strict=True), strict=True))


def component_rows(store: Store, table: str, f: ComponentFilter) -> dict[str, tuple]:
    """The filtered components of ``table`` with class, unit, street and community names, by column,
    in code order; points as x/y columns, other geometries as WKB. Raises FilterError for a bad --where."""
    where, params = _conditions(f)
    if f.grid:
        where.append("t.unit_grid_code IN (SELECT code FROM unit_grid WHERE valid_to IS NULL AND "
                     "responsibility_grid_code = ?)")
        params.append(f.grid)
    # points as X/Y: building them with shapely.points is 5x faster than parsing WKB
    if table == "component_point":
        x, y = dialect.x_y(store, "t.geom").split(", ")
        geometry = f"{x} AS x, {y} AS y"
    else:
        geometry = f"{dialect.wkb(store, 't.geom')} AS wkb"
    sql = (f"SELECT * FROM ({_COMPONENT_SELECT.format(table=table, geometry=geometry)} "
           f"WHERE {' AND '.join(where)}) AS rows")
    if f.where:
        condition, extra = to_sql(f.where, COMPONENT_FILTER_COLUMNS)
        sql += f" WHERE {condition}"
        params += extra
    return _by_column(store, sql + " ORDER BY code", params)


def point_columns_joined(store: Store, columns: list[str], f: ComponentFilter
                         ) -> tuple[int, dict[str, str], tuple[np.ndarray, np.ndarray] | None]:
    """Point components in one pass: the count, each plain column's values joined by U+001F (NULL
    as empty) and the coordinates (x and y arrays, or None when a geometry is not a plain 2-D point),
    all in one order (id order on a file). ``f`` must not need the join (ComponentFilter.needs_join)."""
    where, params = _conditions(f, prefix="")
    condition = " AND ".join(where)
    if dialect.is_postgis(store):
        # one pass, every aggregate over the same rows in the same order, so the columns and the points stay
        # aligned (an ORDER BY in each of a dozen aggregates sorted a million rows a dozen times); the points
        # as their WKB in one bytea, read by numpy, not a million (x, y) rows
        concat = ", ".join(f"string_agg(coalesce({c}::text, ''), chr(31))" for c in columns)
        row = store.conn.execute(
            f"SELECT count(*), {concat}, string_agg(ST_AsBinary(ST_Force2D(geom), 'NDR'), ''::bytea), "
            f"bool_and(GeometryType(geom) = 'POINT') FROM component_point WHERE {condition}", params).fetchone()
        xy = _wkb_points(bytes(row[-2]), row[0]) if row[0] and row[-1] else None
        return row[0], dict(zip(columns, row[1:-2], strict=True)), xy
    concat = ", ".join(f"group_concat(coalesce({c}, ''), char(31))" for c in columns)
    # every column is joined in the same pass, so they stay row by row aligned whatever the order; without a
    # filter the table is read in rowid (= id) order straight, with one the rows are put in id order first
    # (a subquery: a co-routine that costs a third more, 1 s of a city's million points)
    source = "component_point" if len(where) == 1 else \
        f"(SELECT * FROM component_point WHERE {condition} ORDER BY id)"
    row = store.conn.execute(f"SELECT count(*), {concat}, group_concat(hex(geom), '') FROM {source}",
                             params).fetchone()
    return row[0], dict(zip(columns, row[1:-1], strict=True)), _point_blobs(row[-1] or "", row[0])


def _wkb_points(data: bytes, count: int):
    """x and y of little-endian 2D WKB points (21 bytes each: byte order, type 1, x, y) run together."""
    if len(data) != count * 21:
        return None
    points = np.frombuffer(data, dtype=np.uint8).reshape(count, 21)
    if not (np.all(points[:, 0] == 1) and np.all(points[:, 1:5].copy().view("<u4") == 1)):
        return None
    coordinates = np.ascontiguousarray(points[:, 5:21]).view("<f8")
    return coordinates[:, 0].copy(), coordinates[:, 1].copy()


def _point_blobs(hex_text: str, count: int):
    """x and y of SpatiaLite point blobs (60 bytes each: start 0x00, byte order, SRID, MBR, 0x7C,
    class 1, x, y, end 0xFE), concatenated as hex by SQLite: exact doubles in one pass.
    None when the blobs are not plain little-endian 2D points."""
    data = np.frombuffer(bytes.fromhex(hex_text), dtype=np.uint8)
    if data.size != count * 60 or count == 0:
        return None
    blobs = data.reshape(count, 60)
    plain = (np.all(blobs[:, 0] == 0x00) and np.all(blobs[:, 1] == 0x01) and np.all(blobs[:, 38] == 0x7C)
             and np.all(blobs[:, 59] == 0xFE) and np.all(blobs[:, 39:43].copy().view("<i4") == 1))
    if not plain:
        return None
    coordinates = np.ascontiguousarray(blobs[:, 43:59]).view("<f8")
    return coordinates[:, 0].copy(), coordinates[:, 1].copy()


def names_by_code(store: Store, table: str) -> dict[str, str]:
    """code → name of a reference table (component_class, responsible_unit, street, community)."""
    if table not in ("component_class", "responsible_unit", "street", "community"):
        raise ValueError(f"no names in {table}")
    return dict(store.conn.execute(f"SELECT code, name FROM {table}"))


_PG_TYPES = {"text": "TEXT", "bigint": "INTEGER", "integer": "INTEGER", "double precision": "REAL", "date": "DATE",
             "timestamp without time zone": "DATETIME", "bytea": "BLOB"}


def declared_columns(store: Store, table: str) -> dict[str, str]:
    """A table's columns (but its geometry) and their declared types as the schema spells them (TEXT,
    INTEGER, REAL, DATE, DATETIME, BLOB), in table order, on either engine."""
    if dialect.is_postgis(store):
        rows = store.conn.execute("SELECT column_name, data_type FROM information_schema.columns WHERE "
                                  "table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                                  (table,))
        return {name: _PG_TYPES.get(kind, kind.upper()) for name, kind in rows if name != "geom"}
    return {r[1]: (r[2] or "").upper() for r in store.conn.execute(f"PRAGMA table_info({table})")
            if r[1] != "geom"}


def layer_rows(store: Store, table: str, *, since=None, until=None, statuses=(), where: str | None = None
               ) -> tuple[list[str], dict[str, tuple]]:
    """Every row of a geometry table (current unit grids only; incidents within since/until and the
    statuses), by column with the geometry as WKB. Raises FilterError for a bad ``where``."""
    columns = list(declared_columns(store, table))
    conditions, params = ["1 = 1"], []
    if table == "unit_grid":
        conditions.append("valid_to IS NULL")
    if table == "incident":
        if since:
            conditions.append("reported_at >= ?")
            params.append(since.isoformat(timespec="seconds"))
        if until:
            conditions.append("reported_at < ?")
            params.append(until.isoformat(timespec="seconds"))
        if statuses:
            conditions.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += list(statuses)
    if where:
        condition, extra = to_sql(where, set(columns))
        conditions.append(condition)
        params += extra
    names = ", ".join(f'"{c}"' for c in columns)
    return columns, _by_column(store, f"SELECT {names}, {dialect.wkb(store)} AS wkb FROM {table} "
                                      f"WHERE {' AND '.join(conditions)} ORDER BY id", params)


def units_with_components(store: Store, unit_role: str = "any") -> list[tuple[str, str]]:
    """(code, name) of every responsible unit that some component names in ``unit_role`` (or any role)."""
    roles = UNIT_ROLES if unit_role == "any" else (unit_role,)
    union = " UNION ".join(f"SELECT {r}_unit_code FROM {t}" for t in COMPONENT_TABLES.values() for r in roles)
    return store.conn.execute(f"SELECT code, name FROM responsible_unit WHERE code IN ({union}) ORDER BY code"
                              ).fetchall()
