"""Staff, supervisors of responsibility grids and the community grids' rosters, in the store."""

from __future__ import annotations

from gridmap.domain.errors import GridmapError
from gridmap.store import audit, users
from gridmap.store.connection import Store
from gridmap.store.schema import COMMUNITY_GRID_ROLES


def create_staff(store: Store, code: str, name: str, phone: str = "", title: str = "") -> None:
    users.require(store, "maintain")
    if not code.strip() or not name.strip():
        raise GridmapError("a staff member needs a code and a name")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM staff WHERE code = ?", (code,)).fetchone():
            raise GridmapError(f"staff code {code} is taken")
        conn.execute("INSERT INTO staff (code, name, phone, title) VALUES (?, ?, ?, ?)", (code, name, phone, title))
        audit.log(conn, "staff.create", table="staff", row_code=code, detail={"name": name})


def set_supervisor(store: Store, staff_code: str, grid_code: str, assigned: bool = True) -> None:
    """Make ``staff_code`` a supervisor of a responsibility grid (or stop it)."""
    users.require(store, "maintain")
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
    users.require(store, "maintain")
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


def supervisor_names(store: Store) -> dict[str, str]:
    """Responsibility grid code → its supervisors' names, joined with 、."""
    names: dict[str, str] = {}
    for code, name in store.conn.execute(
            "SELECT a.responsibility_grid_code, s.name FROM supervisor_assignment a "
            "JOIN staff s ON s.code = a.staff_code ORDER BY s.code"):
        names[code] = f"{names[code]}、{name}" if code in names else name
    return names


def supervisor_candidates(store: Store) -> list[tuple[str, str, str]]:
    """(code, name, title) of people who are or could be supervisors (title 监督员), by code."""
    rows = store.conn.execute("SELECT code, name, title FROM staff WHERE title = '监督员' OR code IN "
                              "(SELECT staff_code FROM supervisor_assignment) ORDER BY code")
    return [tuple(r) for r in rows]


def supervisors_of(store: Store, grid_code: str) -> list[tuple[str, str, str]]:
    """(code, name, title) of the supervisors of one responsibility grid, by code."""
    rows = store.conn.execute("SELECT s.code, s.name, s.title FROM staff s JOIN supervisor_assignment a "
                              "ON a.staff_code = s.code WHERE a.responsibility_grid_code = ? ORDER BY s.code",
                              (grid_code,))
    return [tuple(r) for r in rows]
