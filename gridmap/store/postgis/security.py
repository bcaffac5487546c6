"""Roles, grants and row-level security of a PostGIS store (issue 14): the database itself refuses what
a user's role may not do, whatever program the user connects with.

- Each role of gridmap.domain.roles is a group role ``<database>_grp_<role>`` (database roles are shared by
  every database of a server; the name keeps stores apart), all members of ``<database>_grp_user``, which
  reads the store (not the device tokens) and writes the audit log.
- Grants follow the matrix: case roles write cases and steps, planners the grid tables, data managers
  the register, admins everything and may create logins.
- Row-level security on incident (and its steps and photos): a user with a unit sees and changes only
  the cases routed to that unit, a user with a street only that street's cases.
- A trigger refuses a case step the user's role may not take (a unit user cannot register or close).
The owner of the store (who created it) runs ``ensure`` once, on the first ``gridmap user add``.
"""

from __future__ import annotations

from gridmap.domain.roles import MATRIX, ROLES, STEP_ACTIONS
from gridmap.store.errors import NotAllowedError

#: tables that only admins read: device token hashes and the idempotency keys of the intake
_SECRET = ("device_token", "idempotency_key")
_CASE = ("incident", "incident_step", "incident_photo")
_GRID = ("unit_grid", "responsibility_grid", "community_grid", "plan_scenario", "plan_scenario_assignment",
         "retired_code")
_REGISTER = ("responsible_unit", "routing_rule", "staff", "supervisor_assignment", "community_grid_role",
             "component_point", "component_line", "component_polygon", "component_class", "event_class",
             "retired_code", "component_point_history", "component_line_history", "component_polygon_history")
#: what a role that reports writes besides cases: inspections of components (with their photos) and the day's
#: case serial of a case it opens from one (issue 15)
_REPORT = ("inspection", "inspection_photo", "case_serial")
#: trigger functions that keep bookkeeping tables no user writes directly: they run as the owner
_DEFINER_FUNCTIONS = ("gridmap_case_serial", "gridmap_retire_component")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def group(conn, role: str) -> str:
    database = conn.execute("SELECT current_database()").fetchone()[0]
    return f"{database}_grp_{role}"[:63]


def _is_owner(conn) -> bool:
    return bool(conn.execute(
        "SELECT tableowner = session_user OR (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = "
        "session_user) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'gridmap_setting'"
    ).fetchone()[0])


def _role_exists(conn, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (name,)).fetchone())


def _step_pairs() -> str:
    pairs = [(role, step) for role in ROLES for step, action in STEP_ACTIONS.items() if action in MATRIX[role]]
    return ", ".join(f"({_literal(r)}, {_literal(s)})" for r, s in pairs)


def ensure(conn) -> None:
    """Create or refresh the group roles, grants, scope functions, policies and the step rule (idempotent).

    Run by the store's owner inside a transaction; raises NotAllowedError for anyone else.
    """
    if not _is_owner(conn):
        raise NotAllowedError("only the store's owner can set up its roles (run the first 'gridmap user add' "
                              "as the database owner)")
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    s = _quote(schema)
    base = group(conn, "user")
    for name in (base, *(group(conn, r) for r in ROLES)):
        if not _role_exists(conn, name):
            conn.execute(f"CREATE ROLE {_quote(name)} NOLOGIN")
    tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    b = _quote(base)
    conn.execute(f"GRANT USAGE ON SCHEMA {s} TO {b}")
    for table in tables:
        if table not in _SECRET:
            conn.execute(f"GRANT SELECT ON {s}.{_quote(table)} TO {b}")
    conn.execute(f"GRANT INSERT ON {s}.audit_log TO {b}")
    conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {b}")
    for role in ROLES:
        g = _quote(group(conn, role))
        conn.execute(f"GRANT {b} TO {g}")
        actions = MATRIX[role]
        if actions & set(STEP_ACTIONS.values()):
            conn.execute(f"GRANT INSERT, UPDATE ON {s}.incident TO {g}")
            conn.execute(f"GRANT INSERT ON {s}.incident_step, {s}.incident_photo TO {g}")
        if "report" in actions:
            conn.execute(f"GRANT INSERT, UPDATE ON {', '.join(f'{s}.{t}' for t in _REPORT)} TO {g}")
        if "plan" in actions:
            conn.execute(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(f'{s}.{t}' for t in _GRID)} TO {g}")
        if "maintain" in actions:
            conn.execute(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(f'{s}.{t}' for t in _REGISTER)} TO {g}")
        if "admin" in actions:
            conn.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA {s} TO {g}")
    # planners take the next plan version (gridmap.store.grid_versions): the row must be there to update
    conn.execute("INSERT INTO gridmap_setting (key, value) VALUES ('plan_version', '0') ON CONFLICT (key) DO NOTHING")
    conn.execute(f"REVOKE UPDATE ON {s}.gridmap_setting FROM {b}")
    conn.execute(f"GRANT UPDATE (value) ON {s}.gridmap_setting TO {_quote(group(conn, 'planner'))}")
    conn.execute(f"ALTER TABLE {s}.gridmap_setting ENABLE ROW LEVEL SECURITY")
    for name, rule in (("gridmap_read", f"FOR SELECT TO {b} USING (true)"),
                       ("gridmap_plan_version", f"FOR UPDATE TO {b} USING (key = 'plan_version')"),
                       ("gridmap_admin", f"FOR ALL TO {_quote(group(conn, 'admin'))} USING (true) WITH CHECK (true)")):
        conn.execute(f"DROP POLICY IF EXISTS {name} ON {s}.gridmap_setting")
        conn.execute(f"CREATE POLICY {name} ON {s}.gridmap_setting {rule}")
    for function in _DEFINER_FUNCTIONS:
        conn.execute(f"ALTER FUNCTION {s}.{function}() SECURITY DEFINER SET search_path = {s}, public")
    # the acting user's scope, read once per statement ((SELECT f()) is an init plan, not a call per row)
    for column in ("unit_code", "street_code"):
        conn.execute(f"""CREATE OR REPLACE FUNCTION {s}.gridmap_my_{column}() RETURNS text LANGUAGE sql STABLE
            SECURITY DEFINER SET search_path = {s}, public AS $$
            SELECT {column} FROM app_user WHERE login = session_user AND disabled_at IS NULL $$""")
    conn.execute(f"""CREATE OR REPLACE FUNCTION {s}.gridmap_step_allowed() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = {s}, public AS $$
        DECLARE my_role text;
        BEGIN
          SELECT role INTO my_role FROM app_user WHERE login = session_user AND disabled_at IS NULL;
          IF my_role IS NULL AND EXISTS (SELECT 1 FROM app_user WHERE login = session_user) THEN
            RAISE EXCEPTION 'user % is disabled', session_user USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF my_role IS NOT NULL AND (my_role, NEW.action) NOT IN (VALUES {_step_pairs()}) THEN
            RAISE EXCEPTION 'a % may not % cases', my_role, NEW.action USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END $$""")
    conn.execute(f"DROP TRIGGER IF EXISTS incident_step_allowed ON {s}.incident_step")
    conn.execute(f"CREATE TRIGGER incident_step_allowed BEFORE INSERT ON {s}.incident_step FOR EACH ROW "
                 f"EXECUTE FUNCTION {s}.gridmap_step_allowed()")
    scope = ("((SELECT gridmap_my_unit_code()) IS NULL OR responsible_unit_code = (SELECT gridmap_my_unit_code())) "
             "AND ((SELECT gridmap_my_street_code()) IS NULL OR street_code = (SELECT gridmap_my_street_code()))")
    conn.execute(f"ALTER TABLE {s}.incident ENABLE ROW LEVEL SECURITY")
    conn.execute(f"DROP POLICY IF EXISTS gridmap_scope ON {s}.incident")
    conn.execute(f"CREATE POLICY gridmap_scope ON {s}.incident USING ({scope}) WITH CHECK ({scope})")
    for table in ("incident_step", "incident_photo"):
        conn.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        conn.execute(f"DROP POLICY IF EXISTS gridmap_scope ON {s}.{table}")
        conn.execute(f"CREATE POLICY gridmap_scope ON {s}.{table} USING (EXISTS (SELECT 1 FROM {s}.incident i "
                     f"WHERE i.code = incident_code))")


def create_login(store, conn, login: str, role: str, password: str) -> None:
    """Create the database role of a new user, member of its role's group (inside the caller's transaction)."""
    if _is_owner(conn):
        ensure(conn)
    elif not _role_exists(conn, group(conn, role)):
        raise NotAllowedError("the store's roles are not set up yet: the database owner runs the first "
                              "'gridmap user add'")
    if _role_exists(conn, login):
        raise NotAllowedError(f"a database role {login} exists already on this server; choose another --login")
    conn.execute(f"CREATE ROLE {_quote(login)} LOGIN PASSWORD {_literal(password)}")
    conn.execute(f"GRANT {_quote(group(conn, role))} TO {_quote(login)}")
    if role == "admin":  # an admin adds users: it creates logins and hands out every group
        conn.execute(f"ALTER ROLE {_quote(login)} CREATEROLE")
        for other in ("user", *ROLES):
            conn.execute(f"GRANT {_quote(group(conn, other))} TO {_quote(login)} WITH ADMIN OPTION")


def disable_login(conn, login: str) -> None:
    """The user's login can no longer connect (its open sessions end at their next reconnect)."""
    conn.execute(f"ALTER ROLE {_quote(login)} NOLOGIN")
