"""The gaps report: everything missing for dispatch to work, each item a place on the map."""

from __future__ import annotations

from gridmap.domain.coverage import Problem
from gridmap.store import dialect
from gridmap.store.connection import Store
from gridmap.store.responsibility.routing import load_routing
from gridmap.store.schema import COMPONENT_TABLES


def _centre(store, conn, table: str, where: str, params) -> tuple[float | None, float | None]:
    centre = dialect.centre_x_y(store)
    row = conn.execute(f"SELECT {centre} FROM {table} WHERE {where}",
                       params).fetchone()
    return (row[0], row[1]) if row else (None, None)


def check_responsibility(store: Store, staff_limit: int = 8) -> list[Problem]:
    """Everything missing for dispatch to work: each item names the row and where it is on the map."""
    conn = store.conn
    centre, centre_t, centre_g = (dialect.centre_x_y(store, c) for c in ("geom", "t.geom", "g.geom"))
    gaps: list[Problem] = []
    for table in COMPONENT_TABLES.values():
        for role in ("maintainer", "owner"):
            for code, x, y in conn.execute(
                    f"SELECT code, {centre} FROM {table} "
                    f"WHERE {role}_unit_code IS NULL ORDER BY code"):
                gaps.append(Problem(f"component.no_{role}", table, code, f"has no {role} unit", x, y))
        for code, unit, x, y in conn.execute(
                f"SELECT t.code, u.code, {centre_t} FROM {table} t "
                "JOIN responsible_unit u ON u.code IN (t.maintainer_unit_code, t.owner_unit_code, "
                "t.competent_unit_code) WHERE u.retired_at IS NOT NULL ORDER BY t.code"):
            gaps.append(Problem("component.retired_unit", table, code, f"still names retired unit {unit}", x, y))
    table = load_routing(store)
    grid_rows = conn.execute(f"SELECT code, name, {centre} "
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
            f"SELECT g.code, g.name, {centre_g} FROM responsibility_grid g "
            "WHERE NOT EXISTS (SELECT 1 FROM supervisor_assignment a WHERE a.responsibility_grid_code = g.code)"):
        gaps.append(Problem("grid.no_supervisor", "responsibility_grid", grid, f"{name} has no supervisor", x, y))
    for grid, name, x, y in conn.execute(
            f"SELECT g.code, g.name, {centre_g} FROM community_grid g "
            "WHERE g.level = 3 AND NOT EXISTS (SELECT 1 FROM community_grid_role r "
            "WHERE r.community_grid_code = g.code) ORDER BY g.code"):
        gaps.append(Problem("community_grid.empty_roster", "community_grid", grid, f"{name} has nobody on its roster",
                            x, y))
    for code, name, n in conn.execute(
            "SELECT s.code, s.name, count(DISTINCT x.grid) FROM staff s JOIN ("
            "SELECT staff_code AS code, responsibility_grid_code AS grid FROM supervisor_assignment UNION ALL "
            "SELECT staff_code, community_grid_code FROM community_grid_role) x ON x.code = s.code "
            "GROUP BY s.code, s.name HAVING count(DISTINCT x.grid) > ? ORDER BY 3 DESC", (staff_limit,)):
        x, y = _centre(store, conn, "responsibility_grid", "code IN (SELECT responsibility_grid_code FROM "
                       "supervisor_assignment WHERE staff_code = ?)", (code,))
        if x is None:
            x, y = _centre(store, conn, "community_grid", "code IN (SELECT community_grid_code FROM "
                           "community_grid_role WHERE staff_code = ?)", (code,))
        gaps.append(Problem("staff.overloaded", "staff", code, f"{name} covers {n} grids (limit {staff_limit})", x, y))
    return gaps
