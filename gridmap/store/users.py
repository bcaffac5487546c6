"""The people who sign in, their roles and scope (issue 14), on both engines.

On PostGIS each user is a database role (its login), member of the store's group role for its role;
grants and row-level security make the database refuse what the role may not do
(gridmap.store.postgis.security). On a file there are no logins: a person signs in from the staff
list at the desk, and the app applies the same matrix (``require``) — advisory, since anyone who can
open the file can write it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from gridmap.domain.calendar import city_now
from gridmap.domain.errors import GridmapError
from gridmap.domain.roles import MATRIX, ROLES, STEP_ACTIONS, allows

__all__ = ["User", "acting", "add_user", "allows", "default_login", "disable_user", "find", "list_users",
           "require", "roles_matrix", "session_login"]
from gridmap.store import audit
from gridmap.store.dialect import is_postgis
from gridmap.store.errors import NotAllowedError


@dataclass(frozen=True)
class User:
    login: str
    staff_code: str
    name: str
    role: str
    unit_code: str | None
    street_code: str | None
    created_at: str
    disabled_at: str | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


_FIELDS = ("login", "staff_code", "name", "role", "unit_code", "street_code", "created_at", "disabled_at")
_SELECT = ("SELECT u.login, u.staff_code, s.name, u.role, u.unit_code, u.street_code, u.created_at, u.disabled_at "
           "FROM app_user u JOIN staff s ON s.code = u.staff_code")


def _user(row) -> User:
    return User(*[str(v) if v is not None and k in ("created_at", "disabled_at") else v
                  for k, v in zip(_FIELDS, tuple(row), strict=True)])


def list_users(store) -> list[User]:
    """Every user, by login (disabled ones too)."""
    return [_user(r) for r in store.conn.execute(_SELECT + " ORDER BY u.login")]


def find(store, who: str | None) -> User | None:
    """The user signed in as ``who`` (a login or a staff code), or None."""
    if not who:
        return None
    row = store.conn.execute(_SELECT + " WHERE u.login = ? OR u.staff_code = ? ORDER BY u.disabled_at IS NULL DESC, "
                             "u.login LIMIT 1", (who, who)).fetchone()
    return _user(row) if row else None


def session_login(store) -> str | None:
    """The database login of a PostGIS store's connection (None for a file)."""
    if not is_postgis(store):
        return None
    return store.conn.execute("SELECT session_user").fetchone()[0]


def acting(store, claimed: str | None = None) -> User | None:
    """Who is acting: on PostGIS the connection's login when it is a user (whatever is claimed), on a
    file the person the desk signed in (``claimed``), if they are a user."""
    login = session_login(store)
    user = find(store, login) if login else None
    return user if user is not None else find(store, claimed or audit.desk_person())


def require(store, action: str, claimed: str | None = None, *, unit: str | None = None,
            street: str | None = None) -> User | None:
    """Refuse ``action`` (NotAllowedError) when the acting user's role or scope does not allow it.

    ``unit``/``street``: the case's unit and street, for the scope of unit and street users. People
    who are not users (a file without users, the store's owner, the intake service) are not limited.
    Returns the acting user, if any.
    """
    user = acting(store, claimed)
    if user is None:
        return None
    if not user.active:
        raise NotAllowedError(f"{user.login} is disabled")
    if not allows(user.role, action):
        raise NotAllowedError(f"{user.login} ({user.role}) may not {_described(action)}")
    if user.unit_code and unit is not None and unit != user.unit_code:
        raise NotAllowedError(f"{user.login} acts for unit {user.unit_code} only; this case is routed to {unit}")
    if user.street_code and street is not None and street != user.street_code:
        raise NotAllowedError(f"{user.login} acts for street {user.street_code} only; this case is in {street}")
    return user


def _described(action: str) -> str:
    return f"{action} cases" if action in STEP_ACTIONS else {"plan": "change grid plans",
                                                             "maintain": "maintain the register",
                                                             "export": "export layers",
                                                             "admin": "manage users and tokens"}.get(action, action)


def default_login(store, staff_code: str) -> str:
    """A user's login: the staff code on a file; on PostGIS ``<database>_<staff>`` in lower case (database
    roles are shared by every database of a server, so the database's name keeps them apart)."""
    if not is_postgis(store):
        return staff_code
    database = store.conn.execute("SELECT current_database()").fetchone()[0]
    return re.sub(r"[^a-z0-9_]", "_", f"{database}_{staff_code}".lower())[:63]


def add_user(store, staff_code: str, role: str, *, unit_code: str | None = None, street_code: str | None = None,
             login: str | None = None, password: str | None = None, by: str | None = None) -> tuple[User, str | None]:
    """Add a user; return it and, on PostGIS when no ``password`` was given, the generated password.

    Raises GridmapError for an unknown role, staff member, unit or street, a unit user without a unit,
    or a login that exists; on PostGIS NotAllowedError when the connection may not create roles.
    """
    require(store, "admin", by)
    if role not in ROLES:
        raise GridmapError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "unit" and not unit_code:
        raise GridmapError("a unit user needs --unit: the responsible unit it acts for")
    login = login or default_login(store, staff_code)
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}", login):
        raise GridmapError(f"login {login!r}: letters, digits, '_', '.', '-' only, at most 63")
    generated = None
    if is_postgis(store) and password is None:
        password = generated = secrets.token_urlsafe(12)
    with store.transaction() as conn:
        if not conn.execute("SELECT 1 FROM staff WHERE code = ?", (staff_code,)).fetchone():
            raise GridmapError(f"no staff member {staff_code}")
        if unit_code and not conn.execute("SELECT 1 FROM responsible_unit WHERE code = ? AND retired_at IS NULL",
                                          (unit_code,)).fetchone():
            raise GridmapError(f"no active responsible unit {unit_code}")
        if street_code and not conn.execute("SELECT 1 FROM street WHERE code = ?", (street_code,)).fetchone():
            raise GridmapError(f"no street {street_code}")
        if conn.execute("SELECT 1 FROM app_user WHERE login = ?", (login,)).fetchone():
            raise GridmapError(f"login {login} exists")
        conn.execute("INSERT INTO app_user (login, staff_code, role, unit_code, street_code, created_at) VALUES "
                     "(?, ?, ?, ?, ?, ?)", (login, staff_code, role, unit_code, street_code,
                                            city_now().isoformat(timespec="seconds")))
        if is_postgis(store):
            from gridmap.store.postgis import security  # noqa: PLC0415

            security.create_login(store, conn, login, role, password)
        audit.log(conn, "user.add", table="app_user", row_code=login, user=by,
                  detail={"staff": staff_code, "role": role, "unit": unit_code, "street": street_code})
    return find(store, login), generated


def disable_user(store, login: str, *, by: str | None = None) -> User:
    """Disable a user: on PostGIS its login can no longer connect. Users are never deleted (the audit log
    and case steps name them)."""
    require(store, "admin", by)
    with store.transaction() as conn:
        if conn.execute("UPDATE app_user SET disabled_at = ? WHERE login = ? AND disabled_at IS NULL",
                        (city_now().isoformat(timespec="seconds"), login)).rowcount != 1:
            if conn.execute("SELECT 1 FROM app_user WHERE login = ?", (login,)).fetchone():
                raise GridmapError(f"{login} is disabled already")
            raise GridmapError(f"no user {login}")
        if is_postgis(store):
            from gridmap.store.postgis import security  # noqa: PLC0415

            security.disable_login(conn, login)
        audit.log(conn, "user.disable", table="app_user", row_code=login, user=by)
    return find(store, login)


def roles_matrix() -> dict[str, list[str]]:
    """role → its actions, as documented in docs/roles.md."""
    return {role: sorted(MATRIX[role]) for role in ROLES}
