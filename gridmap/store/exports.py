"""What exports read from the store: filtered components with their names joined, any layer's rows,
and the units that have components. io/export.py turns the results into files."""

from __future__ import annotations

from dataclasses import dataclass

from gridmap.domain.filters import to_sql
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
    where, params = ["1"], []
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
    geometry = "X(t.geom) AS x, Y(t.geom) AS y" if table == "component_point" else "AsBinary(t.geom) AS wkb"
    sql = f"SELECT * FROM ({_COMPONENT_SELECT.format(table=table, geometry=geometry)} WHERE {' AND '.join(where)})"
    if f.where:
        condition, extra = to_sql(f.where, COMPONENT_FILTER_COLUMNS)
        sql += f" WHERE {condition}"
        params += extra
    return _by_column(store, sql + " ORDER BY code", params)


def point_columns_joined(store: Store, columns: list[str], f: ComponentFilter) -> tuple[int, dict[str, str], str]:
    """Point components in one pass: the count, each plain column's values joined by U+001F (NULL
    as empty) and the geometries as concatenated hex SpatiaLite blobs, in id order. ``f`` must not
    need the join (ComponentFilter.needs_join)."""
    where, params = _conditions(f, prefix="")
    concat = ", ".join(f"group_concat(coalesce({c}, ''), char(31))" for c in columns)
    base = f"SELECT * FROM component_point WHERE {' AND '.join(where)} ORDER BY id"
    row = store.conn.execute(f"SELECT count(*), {concat}, group_concat(hex(geom), '') FROM ({base})",
                             params).fetchone()
    return row[0], dict(zip(columns, row[1:-1], strict=True)), row[-1] or ""


def names_by_code(store: Store, table: str) -> dict[str, str]:
    """code → name of a reference table (component_class, responsible_unit, street, community)."""
    if table not in ("component_class", "responsible_unit", "street", "community"):
        raise ValueError(f"no names in {table}")
    return dict(store.conn.execute(f"SELECT code, name FROM {table}"))


def declared_columns(store: Store, table: str) -> dict[str, str]:
    """A table's columns (but its geometry) and their declared types, upper-cased, in table order."""
    return {r[1]: (r[2] or "").upper() for r in store.conn.execute(f"PRAGMA table_info({table})")
            if r[1] != "geom"}


def layer_rows(store: Store, table: str, *, since=None, until=None, statuses=(), where: str | None = None
               ) -> tuple[list[str], dict[str, tuple]]:
    """Every row of a geometry table (current unit grids only; incidents within since/until and the
    statuses), by column with the geometry as WKB. Raises FilterError for a bad ``where``."""
    columns = list(declared_columns(store, table))
    conditions, params = ["1"], []
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
    return columns, _by_column(store, f"SELECT {names}, AsBinary(geom) AS wkb FROM {table} "
                                      f"WHERE {' AND '.join(conditions)} ORDER BY id", params)


def units_with_components(store: Store, unit_role: str = "any") -> list[tuple[str, str]]:
    """(code, name) of every responsible unit that some component names in ``unit_role`` (or any role)."""
    roles = UNIT_ROLES if unit_role == "any" else (unit_role,)
    union = " UNION ".join(f"SELECT {r}_unit_code FROM {t}" for t in COMPONENT_TABLES.values() for r in roles)
    return store.conn.execute(f"SELECT code, name FROM responsible_unit WHERE code IN ({union}) ORDER BY code"
                              ).fetchall()
