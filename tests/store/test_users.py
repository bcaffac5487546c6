"""Users on a file (issue 14): the same matrix and scope as on PostGIS, applied by the app (advisory)."""

import pytest

from gridmap.domain.errors import GridmapError
from gridmap.store import grids, open_store, users
from gridmap.store.errors import NotAllowedError
from tests.cli.test_cli import gridmap


def staff(store, n):
    return store.conn.execute("SELECT code FROM staff ORDER BY code LIMIT 1 OFFSET ?", (n,)).fetchone()[0]


def test_users_are_added_listed_and_disabled(small_demo):
    with open_store(small_demo) as store:
        user, generated = users.add_user(store, staff(store, 0), "planner")
        assert generated is None and user.login == user.staff_code and user.active  # a file has no passwords
        with pytest.raises(GridmapError, match="exists"):
            users.add_user(store, staff(store, 0), "viewer")
        with pytest.raises(GridmapError, match="needs --unit"):
            users.add_user(store, staff(store, 1), "unit")
        with pytest.raises(GridmapError, match="role must be one of"):
            users.add_user(store, staff(store, 1), "mayor")
        assert [u.login for u in users.list_users(store)] == [user.login]
        assert not users.disable_user(store, user.login).active
        with pytest.raises(GridmapError, match="disabled already"):
            users.disable_user(store, user.login)
        detail = store.conn.execute("SELECT action FROM audit_log WHERE table_name = 'app_user' ORDER BY id").fetchall()
        assert [r[0] for r in detail] == ["user.add", "user.disable"]


def test_the_app_applies_the_matrix_to_the_signed_in_person(small_demo):
    with open_store(small_demo) as store:
        viewer = users.add_user(store, staff(store, 0), "viewer")[0]
        planner = users.add_user(store, staff(store, 1), "planner")[0]
        plan = grids.load_plan(store)
        unit, target = next((u, plan.assignment[n]) for u in sorted(plan.assignment) for n in plan.neighbours[u]
                            if plan.assignment[n] != plan.assignment[u] and plan.check(u, plan.assignment[n]) is None)
        plan.move([unit], target)
        with pytest.raises(NotAllowedError, match="may not change grid plans"):
            grids.commit_plan(store, plan, user=viewer.staff_code)
        assert grids.commit_plan(store, plan, user=planner.staff_code) == 1
        with pytest.raises(NotAllowedError, match="may not maintain"):
            users.require(store, "maintain", viewer.staff_code)
        users.disable_user(store, planner.login)
        with pytest.raises(NotAllowedError, match="disabled"):
            users.require(store, "plan", planner.staff_code)
        # someone who is not a user (a file used by one desk without users) is not limited
        assert users.require(store, "admin", "somebody") is None


def test_unit_and_street_scope(small_demo):
    with open_store(small_demo) as store:
        unit = store.conn.execute("SELECT code FROM responsible_unit LIMIT 1").fetchone()[0]
        handler = users.add_user(store, staff(store, 0), "unit", unit_code=unit)[0]
        users.require(store, "handle", handler.login, unit=unit)
        with pytest.raises(NotAllowedError, match="acts for unit"):
            users.require(store, "handle", handler.login, unit="ANOTHER")
        with pytest.raises(NotAllowedError, match="may not register"):
            users.require(store, "register", handler.login, unit=unit)


def test_user_commands_on_a_file(small_demo):
    with open_store(small_demo) as store:
        code = staff(store, 2)
    done = gridmap("user", "add", small_demo, "--staff", code, "--role", "dispatcher")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == code and "advisory" in done.stdout
    listed = gridmap("user", "list", small_demo, "--json")
    assert '"role": "dispatcher"' in listed.stdout
    assert gridmap("user", "disable", small_demo, code).returncode == 0
    again = gridmap("user", "disable", small_demo, code)
    assert again.returncode == 2 and "disabled already" in again.stderr


def test_case_steps_follow_the_role_and_scope_of_the_person(small_demo):
    from gridmap.store.cases import apply_step
    from gridmap.store.escalation import escalate

    with open_store(small_demo) as store:
        code = store.conn.execute("SELECT code FROM incident WHERE status = 'registered' ORDER BY code LIMIT 1"
                                  ).fetchone()[0]
        dispatched, unit = store.conn.execute("SELECT code, responsible_unit_code FROM incident WHERE status = "
                                              "'dispatched' ORDER BY code LIMIT 1").fetchone()
        handler = users.add_user(store, staff(store, 0), "unit", unit_code=unit)[0]
        dispatcher = users.add_user(store, staff(store, 1), "dispatcher")[0]
        with pytest.raises(NotAllowedError, match="may not dispatch"):
            apply_step(store, code, "dispatch", user=handler.staff_code, unit=unit)
        assert apply_step(store, code, "dispatch", user=dispatcher.staff_code, unit=unit) == "dispatched"
        other = users.add_user(store, staff(store, 2), "unit", unit_code=store.conn.execute(
            "SELECT code FROM responsible_unit WHERE code <> ? LIMIT 1", (unit,)).fetchone()[0])[0]
        with pytest.raises(NotAllowedError, match="acts for unit"):
            escalate(store, dispatched, "district", "跨部门", other.staff_code)
        steps = store.conn.execute("SELECT action, \"user\" FROM incident_step WHERE incident_code = ? ORDER BY id",
                                   (code,)).fetchall()
        assert [tuple(s) for s in steps][-1] == ("dispatch", dispatcher.staff_code)
