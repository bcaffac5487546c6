"""Inspections of components (部件巡查, issue 15): what a supervisor found at a component, from the desk or a
device (``POST /inspections``), and a case opened from it in the same transaction when the condition is not
完好. Devices follow the rules of reports: a token, an Idempotency-Key bound to the request, the accepted
time window. The coverage of a period per responsibility grid and supervisor is read here too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridmap.domain.calendar import city_now
from gridmap.domain.components import INSPECTION_CONDITIONS, INTACT, VOID
from gridmap.store import dialect, users
from gridmap.store.cases import IntakeError, Report, check_reported_at, open_case
from gridmap.store.schema import COMPONENT_TABLES

#: what a condition other than 完好 says in the description of the case it opens
_FOUND = {"破损": "部件破损", "丢失": "部件丢失", "占用": "部件被占用"}


@dataclass
class Inspection:
    """An inspection as recorded: ``at`` in local time, naive."""

    component_code: str
    at: dt.datetime
    condition: str
    note: str = ""
    photo: bytes | None = None
    photo_mime: str = "image/jpeg"
    #: open a case from it (only for a condition other than 完好)
    open_case: bool = False
    request_hash: str | None = None


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _component(store, conn, code: str):
    """(class, unit grid, x, y of its deciding point, currency) of a component, or None."""
    for table in COMPONENT_TABLES.values():
        row = conn.execute(f"SELECT class_code, unit_grid_code, {dialect.centre_x_y(store)}, currency FROM {table} "
                           "WHERE code = ?", (code,)).fetchone()
        if row is not None:
            return tuple(row)
    return None


def record_inspection(store, inspection: Inspection, *, staff_code: str, token_id: int | None = None,
                      idempotency_key: str | None = None, user: str | None = None,
                      now: dt.datetime | None = None) -> tuple[int, str | None, bool]:
    """Record an inspection by ``staff_code``; return (inspection id, the code of the case opened or None,
    created). From a device (``token_id``, ``idempotency_key``) the same key with the same request answers the
    first inspection (created False), with another request it is refused. From the desk the acting person needs
    the 'report' action (docs/roles.md). Raises IntakeError naming the bad field, NotAllowedError; nothing is
    written then."""
    if token_id is None:
        acting = users.require(store, "report", user or staff_code)
        staff_code = acting.staff_code if acting is not None else staff_code
    if inspection.condition not in INSPECTION_CONDITIONS:
        raise IntakeError(f"condition must be one of {'、'.join(INSPECTION_CONDITIONS)}", "condition")
    if inspection.open_case and inspection.condition == INTACT:
        raise IntakeError("a component found 完好 opens no case", "open_case")
    now = now or city_now()
    with store.transaction() as conn:
        if token_id is not None:
            dialect.lock_key(store, conn, f"inspection {token_id} {idempotency_key}")
            seen = conn.execute("SELECT id, incident_code, request_hash FROM inspection WHERE token_id = ? AND "
                                "idempotency_key = ?", (token_id, idempotency_key)).fetchone()
            if seen is not None:
                if seen[2] is not None and inspection.request_hash is not None and seen[2] != inspection.request_hash:
                    raise IntakeError(f"this Idempotency-Key was used for another inspection ({seen[0]}); use a "
                                      "new key for a new inspection", "Idempotency-Key")
                return seen[0], seen[1], False
        check_reported_at(inspection.at, now)
        found = _component(store, conn, inspection.component_code)
        if found is None:
            raise IntakeError(f"unknown component {inspection.component_code}", "component_code")
        class_code, grid, x, y, currency = found
        if currency == VOID:
            raise IntakeError(f"component {inspection.component_code} is void (作废): it is no longer in the "
                              "register", "component_code")
        row = conn.execute("SELECT responsibility_grid_code FROM unit_grid WHERE code = ? AND valid_to IS NULL",
                           (grid,)).fetchone()
        case = None
        if inspection.open_case:
            description = "：".join(p for p in (_FOUND[inspection.condition], inspection.note.strip()) if p)
            case = open_case(store, conn, Report(class_code, f"巡查发现{description}", float(x), float(y),
                                                 inspection.at, inspection.component_code, "patrol",
                                                 inspection.photo, inspection.photo_mime), staff_code)
            conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\", status_after, level) "
                         "VALUES (?, 'report', ?, ?, 'reported', 'district')", (case, _iso(now), staff_code))
        inspection_id = conn.execute(
            "INSERT INTO inspection (component_code, at, staff_code, condition, note, unit_grid_code, "
            "responsibility_grid_code, incident_code, token_id, idempotency_key, request_hash, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (inspection.component_code, _iso(inspection.at), staff_code, inspection.condition,
             inspection.note.strip() or None, grid, row[0] if row else None, case, token_id, idempotency_key,
             inspection.request_hash, _iso(now))).fetchone()[0]
        if inspection.photo:
            conn.execute("INSERT INTO inspection_photo (inspection_id, content, mime) VALUES (?, ?, ?)",
                         (inspection_id, inspection.photo, inspection.photo_mime))
        if token_id is not None:
            conn.execute("UPDATE device_token SET last_used_at = ? WHERE id = ?", (_iso(now), token_id))
    return inspection_id, case, True


def inspections_of(store, component_code: str, limit: int = 50) -> list[dict]:
    """A component's inspections, newest first: at, staff, staff name, condition, note, case, photo (bool)."""
    keys = ("id", "at", "staff_code", "staff_name", "condition", "note", "incident_code", "has_photo")
    rows = store.conn.execute(
        "SELECT i.id, i.at, i.staff_code, s.name, i.condition, i.note, i.incident_code, "
        "CASE WHEN p.inspection_id IS NULL THEN 0 ELSE 1 END FROM inspection i LEFT JOIN staff s ON "
        "s.code = i.staff_code LEFT JOIN inspection_photo p ON p.inspection_id = i.id WHERE i.component_code = ? "
        "ORDER BY i.at DESC, i.id DESC LIMIT ?", (component_code, limit))
    return [dict(zip(keys, tuple(r), strict=True)) for r in rows]


def inspection_photo(store, inspection_id: int) -> tuple[bytes, str] | None:
    row = store.conn.execute("SELECT content, mime FROM inspection_photo WHERE inspection_id = ?",
                             (inspection_id,)).fetchone()
    return (bytes(row[0]), row[1]) if row else None


def _bounds(start: dt.date, end: dt.date) -> tuple[str, str]:
    return f"{start:%Y-%m-%d}T00:00:00", f"{end + dt.timedelta(days=1):%Y-%m-%d}T00:00:00"


def _components_in_use_by_grid(store) -> dict[str, int]:
    """Components in use per responsibility grid (in its current unit grids): counted per unit grid from the
    (unit_grid_code, currency) index alone, then summed; joining every component row to its unit grid read a
    city's million rows (1.3 s)."""
    grid_of = dict(store.conn.execute("SELECT code, responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL"))
    out: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        for unit, count in store.conn.execute(
                f"SELECT unit_grid_code, count(*) FROM {table} WHERE currency <> ? GROUP BY unit_grid_code", (VOID,)):
            grid = grid_of.get(unit)
            if grid is not None:
                out[grid] = out.get(grid, 0) + count
    return out


def coverage_by_grid(store, start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per responsibility grid, for [start, end] (days included): components (in use now, in the grid's
    current unit grids), inspected_components (distinct, inspected in the period where the grid was then),
    inspections, inspection_coverage (inspected / components; None without components)."""
    since, until = _bounds(start, end)
    out: dict[str, dict] = {}
    for grid, count in _components_in_use_by_grid(store).items():
        out[grid] = {"components": count, "inspected_components": 0, "inspections": 0}
    for grid, inspected, count in store.conn.execute(
            "SELECT responsibility_grid_code, count(DISTINCT component_code), count(*) FROM inspection WHERE at >= ? "
            "AND at < ? GROUP BY responsibility_grid_code", (since, until)):
        row = out.setdefault(grid, {"components": 0, "inspected_components": 0, "inspections": 0})
        row["inspected_components"], row["inspections"] = inspected, count
    for row in out.values():
        row["inspection_coverage"] = row["inspected_components"] / row["components"] if row["components"] else None
    return out


def coverage_by_supervisor(store, start: dt.date, end: dt.date) -> dict[str, dict]:
    """Per supervisor (staff code), for [start, end]: inspections, inspected_components (distinct),
    components (in use now in the responsibility grids they are assigned to) and inspection_coverage (the
    share of those inspected by them in the period)."""
    since, until = _bounds(start, end)
    out: dict[str, dict] = {}
    for staff, count, inspected in store.conn.execute(
            "SELECT staff_code, count(*), count(DISTINCT component_code) FROM inspection WHERE at >= ? AND at < ? "
            "GROUP BY staff_code", (since, until)):
        out[staff] = {"inspections": count, "inspected_components": inspected, "components": 0,
                      "inspection_coverage": None}
    own: dict[str, int] = {}
    in_use = _components_in_use_by_grid(store)
    for staff, grid in store.conn.execute("SELECT staff_code, responsibility_grid_code FROM supervisor_assignment"):
        if grid in in_use:
            own[staff] = own.get(staff, 0) + in_use[grid]
    mine = dict(store.conn.execute(
        "SELECT i.staff_code, count(DISTINCT i.component_code) FROM inspection i JOIN supervisor_assignment a ON "
        "a.staff_code = i.staff_code AND a.responsibility_grid_code = i.responsibility_grid_code WHERE i.at >= ? "
        "AND i.at < ? GROUP BY i.staff_code", (since, until)).fetchall())
    for staff, components in own.items():
        row = out.setdefault(staff, {"inspections": 0, "inspected_components": 0, "inspection_coverage": None})
        row["components"] = components
        row["inspection_coverage"] = mine.get(staff, 0) / components if components else None
    return out
