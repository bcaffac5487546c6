"""Centre mode on PostGIS (issue 14): people are database roles, and the database itself refuses what a
role may not do — grants, row-level security by unit and street, the step rule — whichever program the
user connects with. Every cell of the role × action matrix (docs/roles.md) is tried here."""

import datetime as dt
import itertools

import psycopg
import pytest

from gridmap.domain.roles import ACTIONS, MATRIX, ROLES, allows
from gridmap.store import StoreError, open_store, users
from gridmap.store.errors import NotAllowedError
from gridmap.store.migrate import migrate
from tests.cli.test_cli import gridmap

_databases = itertools.count(1)
PASSWORD = "s3cret-pw"


def login_uri(cluster, database: str, login: str, password: str = PASSWORD) -> str:
    """A user's URI over TCP, where the server checks the password."""
    return f"postgresql://{login}:{password}@127.0.0.1:{cluster.port}/{database}"


@pytest.fixture(scope="module")
def centre(pg_cluster, small_demo_file, tmp_path_factory):
    """The small demo on PostGIS with one user of each role, one unit user and one street user."""
    database = f"sec{next(_databases)}"
    owner_uri = pg_cluster.create_database(database)
    migrate(small_demo_file, owner_uri)
    logins = {}
    with open_store(owner_uri) as store:
        staff = [r[0] for r in store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 12")]
        unit, count = store.conn.execute("SELECT responsible_unit_code, count(*) FROM incident WHERE "
                                         "responsible_unit_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
                                         ).fetchone()
        street = store.conn.execute("SELECT street_code FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                                    ).fetchone()[0]
        for role, code in zip(ROLES, staff, strict=False):
            user, generated = users.add_user(store, code, role, unit_code=unit if role == "unit" else None,
                                             password=PASSWORD)
            assert generated is None
            logins[role] = user.login
        street_user, _ = users.add_user(store, staff[len(ROLES)], "dispatcher", street_code=street, password=PASSWORD)
    return {"cluster": pg_cluster, "database": database, "owner": owner_uri, "logins": logins, "unit": unit,
            "unit_cases": count, "street": street, "street_login": street_user.login}


def as_user(centre, role):
    return login_uri(centre["cluster"], centre["database"], centre["logins"][role])


def case_of(centre, *, mine: bool) -> str:
    """An open case routed to the unit user's unit (mine) or to another unit."""
    with open_store(centre["owner"]) as store:
        op = "=" if mine else "<>"
        return store.conn.execute(f"SELECT code FROM incident WHERE responsible_unit_code {op} ? AND status NOT IN "
                                  "('closed', 'rejected') ORDER BY code LIMIT 1", (centre["unit"],)).fetchone()[0]


def attempt(store, action: str, case: str) -> None:
    """Do what ``action`` needs from the database, in a transaction that is always rolled back."""
    class Undo(Exception):
        pass

    now = dt.datetime(2026, 11, 27, 10).isoformat()
    try:
        with store.transaction() as conn:
            if action == "view":
                conn.execute("SELECT count(*) FROM incident").fetchone()
            elif action == "report":
                conn.execute("INSERT INTO incident (code, class_code, class_kind, source, status, reported_at) VALUES "
                             "('20261127999999', '0102', 'event', 'hotline', 'reported', ?)", (now,))
                conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\", status_after) VALUES "
                             "('20261127999999', 'report', ?, 'x', 'reported')", (now,))
            elif action in ("register", "dispatch", "handle", "check", "close", "escalate"):
                conn.execute("UPDATE incident SET row_version = row_version + 1 WHERE code = ?", (case,))
                conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\") VALUES (?, ?, ?, 'x')",
                             (case, action, now))
            elif action == "plan":
                conn.execute("UPDATE responsibility_grid SET locked = locked")
            elif action == "maintain":
                conn.execute("UPDATE responsible_unit SET name = name")
            elif action == "export":
                users.require(store, "export")  # reading is everyone's; the app refuses the export itself
            elif action == "admin":
                conn.execute("SELECT count(*) FROM device_token").fetchone()
            raise Undo
    except Undo:
        pass


@pytest.mark.parametrize(("role", "action"), [(r, a) for r in ROLES for a in ACTIONS])
def test_every_cell_of_the_role_matrix(centre, role, action):
    case = case_of(centre, mine=True)  # in the unit user's scope, so scope does not decide the cell
    with open_store(as_user(centre, role)) as store:
        if allows(role, action):
            attempt(store, action, case)
        else:
            with pytest.raises(NotAllowedError):
                attempt(store, action, case)


def test_the_matrix_is_documented_cell_by_cell():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text(encoding="utf-8")
    for role in ROLES:
        row = next(line for line in text.splitlines() if line.startswith(f"| {role} "))
        cells = [c.strip() for c in row.strip("|").split("|")][1:]
        assert cells == ["yes" if a in MATRIX[role] else "—" for a in ACTIONS], role


def test_a_unit_user_sees_and_acts_on_its_own_cases_only(centre):
    other = case_of(centre, mine=False)
    with open_store(as_user(centre, "unit")) as store:
        assert store.conn.execute("SELECT count(*) FROM incident").fetchone()[0] == centre["unit_cases"]
        assert store.conn.execute("SELECT count(*) FROM incident WHERE responsible_unit_code <> ?",
                                  (centre["unit"],)).fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM incident_step WHERE incident_code = ?", (other,)
                                  ).fetchone()[0] == 0
        with store.transaction() as conn:  # another unit's case: nothing to update
            assert conn.execute("UPDATE incident SET status = 'handled' WHERE code = ?", (other,)).rowcount == 0
        with pytest.raises(NotAllowedError), store.transaction() as conn:
            conn.execute("INSERT INTO incident_step (incident_code, action, at, \"user\") VALUES (?, 'handle', "
                         "'2026-11-27T10:00:00', 'x')", (other,))
        with pytest.raises(NotAllowedError), store.transaction() as conn:  # nor hand its own case to another
            conn.execute("UPDATE incident SET responsible_unit_code = ? WHERE code = ?",
                         (store.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? LIMIT 1",
                                             (centre["unit"],)).fetchone()[0], case_of(centre, mine=True)))
    with open_store(centre["owner"]) as owner:
        assert owner.conn.execute("SELECT status FROM incident WHERE code = ?", (other,)).fetchone()[0] != "handled"


def test_a_street_user_sees_its_street_only(centre):
    uri = login_uri(centre["cluster"], centre["database"], centre["street_login"])
    with open_store(uri) as store:
        streets = {r[0] for r in store.conn.execute("SELECT DISTINCT street_code FROM incident")}
    assert streets == {centre["street"]}


def test_a_viewer_reads_and_writes_nothing(centre):
    with open_store(as_user(centre, "viewer")) as store:
        assert store.conn.execute("SELECT count(*) FROM component_point").fetchone()[0] > 0
        for sql in ("UPDATE incident SET status = status", "DELETE FROM audit_log",
                    "UPDATE unit_grid SET code = code", "INSERT INTO app_user SELECT * FROM app_user LIMIT 0"):
            with pytest.raises(NotAllowedError), store.transaction() as conn:
                conn.execute(sql)


def test_a_disabled_user_cannot_connect_and_a_wrong_password_is_refused(centre):
    cluster, database = centre["cluster"], centre["database"]
    with open_store(centre["owner"]) as store:
        staff = store.conn.execute("SELECT code FROM staff ORDER BY code DESC LIMIT 1").fetchone()[0]
        user, generated = users.add_user(store, staff, "viewer")
    assert generated  # no --password: one is made and shown once
    with open_store(login_uri(cluster, database, user.login, generated)) as store:
        assert users.acting(store).login == user.login
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(login_uri(cluster, database, user.login, "wrong"))
    with open_store(centre["owner"]) as store:
        users.disable_user(store, user.login)
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(login_uri(cluster, database, user.login, generated))


def test_device_tokens_are_not_logins(centre):
    """The intake's device tokens live in a table only admins read; a token is no password."""
    from gridmap.store.cases import create_token

    with open_store(centre["owner"]) as store:
        token = create_token(store, store.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1"
                                                       ).fetchone()[0])
    with open_store(as_user(centre, "supervisor")) as store, pytest.raises(NotAllowedError):
        store.conn.execute("SELECT token_hash FROM device_token").fetchall()
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(login_uri(centre["cluster"], centre["database"], centre["logins"]["supervisor"], token))


COMMANDS = {  # the commands that change something, with the action that allows them
    "plan": lambda uri, c: ("grid", "lock", uri, c["grid"]),
    "maintain": lambda uri, c: ("unit", "add", uri, f"SEC-{c['role']}", "测试单位", "--kind", "company"),
    "export": lambda uri, c: ("export", uri, c["out"], "--layer", "responsibility_grid"),
    "admin": lambda uri, c: ("token", "create", uri, "--staff", c["staff"]),
    "escalate": lambda uri, c: ("case", "escalate", uri, c["case"], "--to", "district", "--reason", "需区级协调"),
    "view": lambda uri, c: ("evaluate", uri, "--json"),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_runs_the_commands_it_may_and_is_refused_the_others(centre, role, tmp_path):
    uri = as_user(centre, role)
    with open_store(centre["owner"]) as store, store.transaction() as conn:
        # an open case per role (the unit user's: of its unit), at the community level so it can go up
        mine = "=" if role == "unit" else "<>"
        case = conn.execute(f"SELECT code FROM incident WHERE responsible_unit_code {mine} ? AND status IN "
                            "('dispatched', 'on_hold', 'registered') ORDER BY code LIMIT 1 OFFSET ?",
                            (centre["unit"], 0 if role == "unit" else ROLES.index(role))).fetchone()[0]
        conn.execute("UPDATE incident SET level = 'community' WHERE code = ?", (case,))
        context = {"grid": conn.execute("SELECT code FROM responsibility_grid LIMIT 1").fetchone()[0],
                   "staff": conn.execute("SELECT code FROM staff LIMIT 1").fetchone()[0],
                   "out": tmp_path / "out", "role": role, "case": case}
    for action, command in COMMANDS.items():
        done = gridmap(*command(uri, context))
        if allows(role, action):
            assert done.returncode == 0, (role, action, done.stderr)
        else:
            assert done.returncode == 2 and "Traceback" not in done.stderr, (role, action, done.stderr)
            assert "may not" in done.stderr or "refused" in done.stderr, (role, action, done.stderr)
    if role == "planner":  # leave the grid as it was for the next role
        gridmap("grid", "lock", centre["owner"], context["grid"], "--unlock")


def test_user_add_prints_the_role_last_and_list_shows_it(centre):
    with open_store(centre["owner"]) as store:
        staff = store.conn.execute("SELECT code FROM staff ORDER BY code DESC LIMIT 1 OFFSET 1").fetchone()[0]
    done = gridmap("user", "add", centre["owner"], "--staff", staff, "--role", "planner")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    login = lines[-1]
    assert login == f"{centre['database']}_{staff}".lower() and lines[-4].startswith("password")
    with psycopg.connect(login_uri(centre["cluster"], centre["database"], login, lines[-3])) as conn:
        assert conn.execute("SELECT session_user").fetchone()[0] == login
    listed = gridmap("user", "list", centre["owner"])
    assert login in listed.stdout and "planner" in listed.stdout
    refused = gridmap("user", "add", as_user(centre, "planner"), "--staff", staff, "--role", "admin")
    assert refused.returncode == 2 and "may not" in refused.stderr


def test_a_planner_takes_plan_versions_but_changes_no_other_setting(centre):
    from gridmap.store import grids

    with open_store(as_user(centre, "planner")) as store:
        grid = store.conn.execute("SELECT code FROM responsibility_grid LIMIT 1").fetchone()[0]
        grids.set_locked(store, grid, False)  # takes the next plan version
        with store.transaction() as conn:  # the row-level policy leaves no other setting to update
            assert conn.execute("UPDATE gridmap_setting SET value = '4326' WHERE key = 'srid'").rowcount == 0
    with open_store(centre["owner"]) as owner:
        assert owner.setting("srid") == "4546"


def test_the_register_and_inspections_follow_the_roles(centre):
    """Issue 15: a data manager changes the register (its history rows are theirs), a supervisor records
    inspections and opens a case from one; the app refuses other roles, and the database refuses a role's
    direct writes it has no grant for."""
    import shapely

    from gridmap.domain.calendar import city_now
    from gridmap.store import register
    from gridmap.store.inspections import Inspection, record_inspection

    with open_store(centre["owner"]) as store:
        x, y = store.conn.execute("SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM unit_grid "
                                  "WHERE valid_to IS NULL ORDER BY code LIMIT 1").fetchone()
        component = store.conn.execute("SELECT code FROM component_point WHERE currency = '在用' ORDER BY code "
                                       "LIMIT 1").fetchone()[0]
        manager = users.find(store, centre["logins"]["data_manager"]).staff_code
        supervisor = users.find(store, centre["logins"]["supervisor"]).staff_code
    where = shapely.to_wkb(shapely.Point(x, y))
    with open_store(as_user(centre, "data_manager")) as store:
        code = register.add_component(store, "0101", where, reason="普查补录")
        register.set_fields(store, code, {"state": "破损"})
        assert {c["user"] for c in register.history(store, code)} == {manager}
        with pytest.raises(NotAllowedError):
            record_inspection(store, Inspection(component, city_now(), "完好"), staff_code=manager)
    with open_store(as_user(centre, "supervisor")) as store:
        with pytest.raises(NotAllowedError):
            register.add_component(store, "0101", where)
        with pytest.raises(NotAllowedError), store.transaction() as conn:  # the database, past the app
            conn.execute("UPDATE component_point SET state = '丢失' WHERE code = ?", (component,))
        number, case, created = record_inspection(store, Inspection(component, city_now(), "破损", "井盖破裂",
                                                                    open_case=True), staff_code="claimed")
        assert created and case
        assert store.conn.execute("SELECT staff_code FROM inspection WHERE id = ?", (number,)).fetchone()[0] == \
            supervisor
    with open_store(as_user(centre, "viewer")) as store, pytest.raises(NotAllowedError), \
            store.transaction() as conn:
        conn.execute("INSERT INTO inspection (component_code, at, staff_code, condition, recorded_at) VALUES "
                     "(?, '2026-11-27T10:00:00', ?, '完好', '2026-11-27T10:00:00')", (component, supervisor))
