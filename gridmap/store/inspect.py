"""What the inspector shows: a component, a unit grid, a responsibility grid, an incident,
with names next to codes. Read-only queries, parameterised."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely

from gridmap.domain.errors import GridmapError
from gridmap.store import dialect, inspections, register
from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES, GEOMETRY_TABLES

OPEN = ("reported", "registered", "dispatched", "handled", "checked", "on_hold")


@dataclass
class Details:
    """A titled list of (field key, value) rows plus related lists."""

    kind: str
    code: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    photo: str | None = None  # a component's photo: a path relative to the store's folder
    photo_data: bytes | None = None  # an incident's photo: the image sent with the report
    links: dict[str, object] = field(default_factory=dict)  # e.g. the unit grid's responsibility grid code
    history: list[dict] = field(default_factory=list)  # a component's changes (store.register.history)
    inspections: list[dict] = field(default_factory=list)  # a component's latest inspections (store.inspections)


def _unit_name(store: Store, code: str | None) -> str:
    if not code:
        return ""
    row = store.conn.execute("SELECT name FROM responsible_unit WHERE code = ?", (code,)).fetchone()
    return f"{row[0]} ({code})" if row else code


def _grid_context(store: Store, unit_grid_code: str | None) -> list[tuple[str, str]]:
    """Rows naming the unit grid's community, street and responsibility grid."""
    if not unit_grid_code:
        return [("unit_grid", "")]
    row = store.conn.execute(
        "SELECT g.responsibility_grid_code, r.name, c.name, s.name FROM unit_grid g "
        "LEFT JOIN responsibility_grid r ON r.code = g.responsibility_grid_code "
        "LEFT JOIN community c ON c.code = g.community_code LEFT JOIN street s ON s.code = c.street_code "
        "WHERE g.code = ? AND g.valid_to IS NULL", (unit_grid_code,)).fetchone()
    if row is None:
        return [("unit_grid", unit_grid_code)]
    return [("unit_grid", unit_grid_code), ("responsibility_grid", f"{row[1]} ({row[0]})"),
            ("community", row[2] or ""), ("street", row[3] or "")]


def incidents_of_component(store: Store, component_code: str, limit: int = 100) -> list[dict]:
    """Incidents recorded on a component, newest first."""
    rows = store.conn.execute(
        "SELECT i.code, i.status, i.reported_at, i.closed_at, i.close_type, c.name FROM incident i "
        "LEFT JOIN component_class c ON c.code = i.class_code WHERE i.component_code = ? "
        "ORDER BY i.reported_at DESC LIMIT ?", (component_code, limit))
    return [dict(zip(("code", "status", "reported_at", "closed_at", "close_type", "class_name"), r, strict=True))
            for r in rows]


def component(store: Store, code: str) -> Details | None:
    """Every standard field of a component with readable names, its grids, its incidents."""
    row, geometry = None, None
    for kind, table in COMPONENT_TABLES.items():
        row = store.conn.execute(
            f"SELECT t.*, c.name AS class_name, c.major_name FROM {table} t "
            "LEFT JOIN component_class c ON c.code = t.class_code WHERE t.code = ?", (code,)).fetchone()
        if row is not None:
            geometry = kind
            break
    if row is None:
        return None
    details = Details("component", code, f"{row['class_name']} {code}")
    details.rows = [
        ("code", code),
        ("class", f"{row['class_code']} {row['class_name']} ({row['major_name']})"),
        ("geometry", geometry),
        ("name", row["name"] or ""),
        ("competent_unit", _unit_name(store, row["competent_unit_code"])),
        ("owner_unit", _unit_name(store, row["owner_unit_code"])),
        ("maintainer_unit", _unit_name(store, row["maintainer_unit_code"])),
        *_grid_context(store, row["unit_grid_code"]),
        ("state", row["state"]),
        ("currency", row["currency"]),
        ("initial_date", row["initial_date"] or ""),
        ("change_date", row["change_date"] or ""),
        ("data_source", row["data_source"] or ""),
        ("photo", row["photo"] or ""),
        ("note", row["note"] or ""),
    ]
    if row["material"]:
        state = next(k for k, (key, _value) in enumerate(details.rows) if key == "state")
        details.rows.insert(state + 1, ("material", row["material"]))
    details.photo = row["photo"]
    details.incidents = incidents_of_component(store, code)
    details.history = register.history(store, code)
    details.inspections = inspections.inspections_of(store, code, 20)
    return details


def _component_counts(store: Store, where: str, params: tuple) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        sql = (f"SELECT c.major_code || ' ' || c.major_name, count(*) FROM {table} t "
               f"JOIN component_class c ON c.code = t.class_code WHERE {where} GROUP BY 1")
        for major, n in store.conn.execute(sql, params):
            counts[major] = counts.get(major, 0) + n
    return dict(sorted(counts.items()))


def _supervisors(store: Store, grid_code: str) -> str:
    rows = store.conn.execute(
        "SELECT s.name, s.phone FROM supervisor_assignment a JOIN staff s ON s.code = a.staff_code "
        "WHERE a.responsibility_grid_code = ? ORDER BY s.code", (grid_code,)).fetchall()
    return "、".join(f"{name} {phone or ''}".strip() for name, phone in rows)


def _open_incidents(store: Store, column: str, code: str) -> int:
    marks = ", ".join("?" * len(OPEN))
    return store.conn.execute(f"SELECT count(*) FROM incident WHERE {column} = ? AND status IN ({marks})",
                              (code, *OPEN)).fetchone()[0]


def unit_grid(store: Store, code: str) -> Details | None:
    """A current unit grid: area, grids above it, supervisors, roster, component counts, open incidents."""
    row = store.conn.execute(f"SELECT code, area_m2, valid_from, responsibility_grid_code, {dialect.wkb(store)} AS wkb "
                             "FROM unit_grid WHERE code = ? AND valid_to IS NULL", (code,)).fetchone()
    if row is None:
        return None
    details = Details("unit_grid", code, code)
    details.links["responsibility_grid"] = row["responsibility_grid_code"] or ""
    details.rows = [*_grid_context(store, code), ("area", f"{row['area_m2']:,.0f} m²"),
                    ("valid_from", row["valid_from"]),
                    ("supervisors", _supervisors(store, row["responsibility_grid_code"] or ""))]
    details.rows += _roster(store, row["wkb"])
    details.counts = _component_counts(store, "t.unit_grid_code = ?", (code,))
    details.rows.append(("open_incidents", str(_open_incidents(store, "unit_grid_code", code))))
    return details


def _roster(store: Store, wkb: bytes) -> list[tuple[str, str]]:
    """Staff of the small community grid holding the unit grid (by a point on its surface)."""
    point = shapely.from_wkb(bytes(wkb)).point_on_surface()
    inside, times = dialect.contains_point(store, "community_grid", "c")
    grid = store.conn.execute(f"SELECT c.code, c.name FROM community_grid c WHERE c.level = 3 AND {inside}",
                              (point.x, point.y, store.srid) * times).fetchone()
    if grid is None:
        return []
    staff = store.conn.execute(
        "SELECT r.role, s.name, s.phone FROM community_grid_role r JOIN staff s ON s.code = r.staff_code "
        "WHERE r.community_grid_code = ? ORDER BY r.role", (grid[0],)).fetchall()
    return [("community_grid", f"{grid[1]} ({grid[0]})")] + [(f"role:{role}", f"{name} {phone or ''}".strip())
                                                            for role, name, phone in staff]


def responsibility_grid(store: Store, code: str) -> Details | None:
    """A responsibility grid: name, unit grids, area, supervisors, component counts, open incidents."""
    row = store.conn.execute("SELECT code, name, locked FROM responsibility_grid WHERE code = ?", (code,)).fetchone()
    if row is None:
        return None
    grids, area = store.conn.execute(
        "SELECT count(*), coalesce(sum(area_m2), 0) FROM unit_grid WHERE responsibility_grid_code = ? "
        "AND valid_to IS NULL", (code,)).fetchone()
    details = Details("responsibility_grid", code, f"{row['name']} ({code})")
    details.rows = [("responsibility_grid", f"{row['name']} ({code})"), ("unit_grids", str(grids)),
                    ("area", f"{area / 1e6:,.2f} km²"), ("supervisors", _supervisors(store, code)),
                    ("locked", "yes" if row["locked"] else "no"),
                    ("open_incidents", str(_open_incidents(store, "responsibility_grid_code", code)))]
    details.counts = _component_counts(
        store, "t.unit_grid_code IN (SELECT code FROM unit_grid WHERE responsibility_grid_code = ? "
        "AND valid_to IS NULL)", (code,))
    return details


def incident(store: Store, code: str) -> Details | None:
    """An incident with its class, unit, reporter, level and step times; ``links`` holds its status,
    deadline, level and row version as read."""
    row = store.conn.execute(
        "SELECT i.*, coalesce(e.name, c.name) AS class_name, s.name AS reporter FROM incident i "
        "LEFT JOIN event_class e ON i.class_kind = 'event' AND e.code = i.class_code "
        "LEFT JOIN component_class c ON i.class_kind = 'component' AND c.code = i.class_code "
        "LEFT JOIN staff s ON s.code = i.reporter_staff_code WHERE i.code = ?", (code,)).fetchone()
    if row is None:
        return None
    details = Details("incident", code, f"{row['class_name']} {code}")
    details.rows = [
        ("code", code), ("class", f"{row['class_code']} {row['class_name']}"), ("status", row["status"]),
        ("level", row["level"]),
        ("description", row["description"] or ""), ("source", row["source"]),
        ("component", row["component_code"] or ""), ("reporter", row["reporter"] or ""),
        ("responsible_unit", _unit_name(store, row["responsible_unit_code"])),
        *[(step, row[step] or "") for step in ("reported_at", "registered_at", "dispatched_at", "deadline",
                                               "handled_at", "checked_at", "closed_at")],
        ("close_type", row["close_type"] or ""), ("rework_count", str(row["rework_count"])),
        ("unit_grid", row["unit_grid_code"] or ""), ("responsibility_grid", row["responsibility_grid_code"] or ""),
    ]
    # the row version as read with the case: a step passes it, so a step another desk took meanwhile is not
    # overwritten (store.cases.apply_step)
    details.links = {"responsible_unit": row["responsible_unit_code"] or "", "status": row["status"],
                     "deadline": row["deadline"] or "", "level": row["level"], "row_version": row["row_version"]}
    photo = store.conn.execute("SELECT content FROM incident_photo WHERE incident_code = ?", (code,)).fetchone()
    details.photo_data = photo[0] if photo else None
    return details


# --- who works at the desk, and whom a case can go to ----------------------------------------


def staff_list(store: Store) -> list[tuple[str, str, str]]:
    """(code, name, title) of every staff member, by code: the people who can sign in at a desk."""
    return [tuple(r) for r in store.conn.execute("SELECT code, name, coalesce(title, '') FROM staff ORDER BY code")]


def staff_member(store: Store, code: str) -> tuple[str, str, str] | None:
    """(code, name, title) of one staff member, or None when the store has no such person."""
    row = store.conn.execute("SELECT code, name, coalesce(title, '') FROM staff WHERE code = ?", (code,)).fetchone()
    return tuple(row) if row else None


def active_units(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the responsible units a case can be dispatched to, by name."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT code, name FROM responsible_unit WHERE retired_at IS NULL ORDER BY name")]


# --- places: streets/towns, communities, community grids --------------------------------------


def street(store: Store, code: str) -> Details | None:
    """A street or town: kind, communities, unit grids, area, component counts, open incidents."""
    row = store.conn.execute("SELECT code, name, kind FROM street WHERE code = ?", (code,)).fetchone()
    if row is None:
        return None
    communities = store.conn.execute("SELECT count(*) FROM community WHERE street_code = ?", (code,)).fetchone()[0]
    grids, area = store.conn.execute(
        "SELECT count(*), coalesce(sum(area_m2), 0) FROM unit_grid WHERE valid_to IS NULL AND community_code IN "
        "(SELECT code FROM community WHERE street_code = ?)", (code,)).fetchone()
    details = Details("street", code, f"{row['name']} ({code})")
    details.rows = [("street", f"{row['name']} ({code})"), ("street_kind", row["kind"] or ""),
                    ("communities", str(communities)), ("unit_grids", str(grids)),
                    ("area", f"{area / 1e6:,.2f} km²"),
                    ("open_incidents", str(_open_incidents(store, "street_code", code)))]
    details.counts = _component_counts(
        store, "t.unit_grid_code IN (SELECT code FROM unit_grid WHERE valid_to IS NULL AND community_code IN "
        "(SELECT code FROM community WHERE street_code = ?))", (code,))
    return details


def community(store: Store, code: str) -> Details | None:
    """A community or village: its street, unit grids, area, component counts, open incidents."""
    row = store.conn.execute(
        "SELECT c.code, c.name, s.name AS street_name, s.code AS street_code FROM community c "
        "LEFT JOIN street s ON s.code = c.street_code WHERE c.code = ?", (code,)).fetchone()
    if row is None:
        return None
    grids, area = store.conn.execute(
        "SELECT count(*), coalesce(sum(area_m2), 0) FROM unit_grid WHERE valid_to IS NULL AND community_code = ?",
        (code,)).fetchone()
    details = Details("community", code, f"{row['name']} ({code})")
    details.rows = [("community", f"{row['name']} ({code})"),
                    ("street", f"{row['street_name'] or ''} ({row['street_code'] or ''})"),
                    ("unit_grids", str(grids)), ("area", f"{area / 1e6:,.2f} km²"),
                    ("open_incidents", str(_open_incidents(store, "community_code", code)))]
    details.counts = _component_counts(
        store, "t.unit_grid_code IN (SELECT code FROM unit_grid WHERE valid_to IS NULL AND community_code = ?)",
        (code,))
    return details


def community_grid(store: Store, code: str) -> Details | None:
    """A community grid (street, community or small grid level) and its roster."""
    row = store.conn.execute("SELECT code, name, level, parent_code FROM community_grid WHERE code = ?",
                             (code,)).fetchone()
    if row is None:
        return None
    staff = store.conn.execute(
        "SELECT r.role, s.name, s.phone FROM community_grid_role r JOIN staff s ON s.code = r.staff_code "
        "WHERE r.community_grid_code = ? ORDER BY r.role", (code,)).fetchall()
    details = Details("community_grid", code, f"{row['name']} ({code})")
    details.rows = [("community_grid", f"{row['name']} ({code})"), ("level", str(row["level"])),
                    ("parent", row["parent_code"] or "")]
    details.rows += [(f"role:{role}", f"{name} {phone or ''}".strip()) for role, name, phone in staff]
    return details


# --- attribute table pages: a table read lazily, by the rows in view ---------------------------------


def table_columns(store: Store, table: str) -> list[str]:
    """The attribute columns of a geometry table (not the geometry), in table order."""
    if table not in GEOMETRY_TABLES:
        raise GridmapError(f"{table} is not a table of the store")
    return [c for c in dialect.column_names(store, table) if c != GEOMETRY_TABLES[table][0]]


def table_ids(store: Store, table: str, where: str = "1 = 1", params: tuple | list = (), *, order_by: str = "id",
              descending: bool = False, box: tuple[float, float, float, float] | None = None,
              current_only: bool = False) -> list[int]:
    """Ids of the rows of ``table`` matching ``where`` (a condition built by domain.filters from known
    columns, values in ``params``), in ``order_by`` order; ``box`` keeps rows whose bounding box meets
    it (through the R*Tree); ``current_only`` keeps current unit grid versions. Raises GridmapError for
    an unknown table or column."""
    columns = table_columns(store, table)
    if order_by not in columns:
        raise GridmapError(f"{table} has no column {order_by}")
    sql = f"SELECT id FROM {table} WHERE {where}"
    args = list(params)
    if current_only:
        sql += " AND valid_to IS NULL"
    if box is not None:
        sql += f" AND {dialect.bbox_meets(store, table, store.srid)}"
        args.append(shapely.to_wkb(shapely.box(*box)))
    sql += f' ORDER BY "{order_by}" {"DESC" if descending else "ASC"}, id'
    return [r[0] for r in store.conn.execute(sql, args)]


def table_rows(store: Store, table: str, columns: list[str], ids: list[int]) -> dict[int, tuple]:
    """{id: values of ``columns``} for the given row ids (one page of a table view)."""
    known = set(table_columns(store, table))
    if not set(columns) <= known or not ids:
        return {}
    names = ", ".join(f'"{c}"' for c in columns)
    rows = store.conn.execute(f"SELECT id, {names} FROM {table} WHERE id IN ({', '.join('?' * len(ids))})", ids)
    return {r[0]: tuple(r[1:]) for r in rows}


def code_names(store: Store) -> dict[str, dict[str, str]]:
    """Names for the codes a table shows: component and event classes, responsible units, grids, places."""
    conn = store.conn
    return {
        "component_class": dict(conn.execute("SELECT code, name FROM component_class")),
        "event_class": dict(conn.execute("SELECT code, name FROM event_class")),
        "unit": dict(conn.execute("SELECT code, name FROM responsible_unit")),
        "responsibility_grid": dict(conn.execute("SELECT code, name FROM responsibility_grid")),
        "community": dict(conn.execute("SELECT code, name FROM community")),
        "street": dict(conn.execute("SELECT code, name FROM street")),
        "staff": dict(conn.execute("SELECT code, name FROM staff")),
    }
