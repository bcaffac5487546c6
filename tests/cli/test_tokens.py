"""Device tokens and backups from the command line (issue 10): create with a lifetime, list without
ever showing a token, revoke by id or by staff member; a backup of a live store."""

import json
import sqlite3

from gridmap.store import open_store
from gridmap.store.cases import check_token
from tests.cli.test_cli import gridmap


def staff_of(path):
    conn = sqlite3.connect(path)
    staff = conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code LIMIT 2").fetchall()
    conn.close()
    return [s[0] for s in staff]


def test_create_list_and_revoke(small_demo):
    first, second = staff_of(small_demo)
    made = gridmap("token", "create", small_demo, "--staff", first, "--days", "30", check=True)
    token = made.stdout.strip().splitlines()[-1]
    assert "valid 30 days" in made.stdout
    other = gridmap("token", "create", small_demo, "--staff", second, check=True).stdout.strip().splitlines()[-1]
    listed = json.loads(gridmap("token", "list", small_demo, "--json", check=True).stdout)
    assert [t["staff_code"] for t in listed[:2]] == [second, first]
    assert all(t["state"] == "valid" for t in listed[:2])
    text = gridmap("token", "list", small_demo, check=True).stdout
    assert token not in text and other not in text and first in text
    with open_store(small_demo) as store:
        assert check_token(store, token) and check_token(store, other)
    by_id = gridmap("token", "revoke", small_demo, str(listed[1]["id"]))
    assert by_id.returncode == 0 and "revoked 1" in by_id.stdout
    by_staff = gridmap("token", "revoke", small_demo, "--staff", second)
    assert by_staff.returncode == 0 and "revoked 1" in by_staff.stdout
    with open_store(small_demo) as store:
        assert check_token(store, token) is None and check_token(store, other) is None
    states = {t["id"]: t["state"] for t in json.loads(gridmap("token", "list", small_demo, "--json").stdout)}
    assert states[listed[0]["id"]] == states[listed[1]["id"]] == "revoked"


def test_revoke_errors_are_clear(small_demo):
    missing = gridmap("token", "revoke", small_demo, "99999")
    assert missing.returncode == 2 and "no token 99999" in missing.stderr
    nobody = gridmap("token", "revoke", small_demo, "--staff", "NOBODY")
    assert nobody.returncode == 2 and "no staff member NOBODY" in nobody.stderr
    neither = gridmap("token", "revoke", small_demo)
    assert neither.returncode == 2 and "Traceback" not in neither.stderr
    short = gridmap("token", "create", small_demo, "--staff", staff_of(small_demo)[0], "--days", "0")
    assert short.returncode == 2 and "at least one day" in short.stderr


def test_backup_of_a_store_in_use(small_demo, tmp_path):
    with open_store(small_demo) as live:  # the desktop has it open
        with live.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO gridmap_setting VALUES ('marker', 'committed')")
        target = tmp_path / "copy.sqlite"
        done = gridmap("backup", small_demo, target)
        assert done.returncode == 0, done.stderr
        again = gridmap("backup", small_demo, target)
        assert again.returncode == 2 and "already exists" in again.stderr
    with open_store(target) as copy:
        assert copy.setting("marker") == "committed"
        assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (tmp_path / "copy.sqlite-wal").exists()


def test_a_where_past_the_limits_exits_2_with_a_message(small_demo, tmp_path):
    for where, message in [("(" * 2000 + "state = '破损'" + ")" * 2000, "levels"),
                           (" OR ".join(["state = '破损'"] * 3000), "characters"),
                           ("class_code = 1" + "0" * 40, "too large")]:
        done = gridmap("export", small_demo, tmp_path / "out", "--layer", "component_point", "--format", "csv",
                       "--where", where)
        assert done.returncode == 2, done.stderr[-500:]
        assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_odd_token_and_backup_arguments_are_clear_errors(small_demo, tmp_path):
    staff = staff_of(small_demo)[0]
    huge = gridmap("token", "create", small_demo, "--staff", staff, "--days", "3000000")
    assert huge.returncode == 2 and "at most 3650 days" in huge.stderr and "Traceback" not in huge.stderr
    nowhere = gridmap("backup", small_demo, tmp_path / "no" / "such" / "dir" / "x.sqlite")
    assert nowhere.returncode == 2 and "is not a folder" in nowhere.stderr and "Traceback" not in nowhere.stderr


def test_evaluate_dates_that_do_not_exist_are_clear_errors(small_demo):
    for args, message in ((["--from", "2026-02-30"], "is not a date"), (["--to", "9999-12-31"], "outside 2000-2099"),
                          (["--from", "abc"], "is not a date"), (["--from", "2026-03-01", "--to", "2026-02-01"],
                                                                 "is after")):
        done = gridmap("evaluate", small_demo, *args)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
