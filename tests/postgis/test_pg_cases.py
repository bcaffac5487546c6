"""The case loop's concurrency and escalation rules on PostGIS, where many desks share one database
(issue 14): the same scenarios as tests/store/test_cases.py, on a database."""

import re

import pytest

from gridmap.store.migrate import migrate
from tests.store.test_cases import two_desks_on_one_case
from tests.store.test_escalation import a_chain, each_level_has_its_queue, refusals_write_nothing


@pytest.fixture
def pg_demo(small_demo_file, pg_uri):
    """The small demo copied into a database of its own."""
    migrate(small_demo_file, pg_uri)
    return pg_uri


def test_two_desks_on_one_case_the_second_is_told_and_nothing_is_overwritten(pg_demo):
    two_desks_on_one_case(pg_demo)


def test_a_case_climbs_the_chain_with_reasons_and_new_deadlines(pg_demo):
    a_chain(pg_demo)


def test_refused_escalations_write_nothing(pg_demo):
    refusals_write_nothing(pg_demo)


def test_each_level_has_its_queue(pg_demo):
    each_level_has_its_queue(pg_demo)


def test_a_step_that_races_another_inside_its_transaction_is_refused(pg_demo):
    """Without a version from the desk, the one read inside the step's own transaction guards it: desk B
    reads the case while desk A's extension is not yet committed, waits for A's row lock, and is refused
    when A commits (an extension leaves the status alone, so the status alone would not tell)."""
    import threading
    import time

    import psycopg

    from gridmap.store import open_store
    from gridmap.store.cases import ConcurrentStepError, apply_step, case_version, steps

    with open_store(pg_demo) as desk_b:
        code = desk_b.conn.execute("SELECT code FROM incident WHERE status = 'dispatched' ORDER BY code "
                                   "LIMIT 1").fetchone()[0]
        version = case_version(desk_b, code)
        with psycopg.connect(pg_demo) as desk_a, psycopg.connect(pg_demo, autocommit=True) as watcher:
            desk_a.execute("UPDATE incident SET deadline = deadline + interval '1 hour', "
                           "row_version = row_version + 1 WHERE code = %s", (code,))  # not committed yet
            outcome = []

            def extend():
                try:
                    outcome.append(apply_step(desk_b, code, "extend", user="派遣员乙", hours=8, reason="材料未到"))
                except ConcurrentStepError as exc:
                    outcome.append(exc)

            racer = threading.Thread(target=extend)
            racer.start()
            deadline = time.monotonic() + 20
            while not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND "
                                      "wait_event_type = 'Lock'").fetchone():
                assert time.monotonic() < deadline, "desk B never waited for desk A's lock"
                time.sleep(0.05)
            desk_a.commit()
            racer.join(20)
        assert len(outcome) == 1 and isinstance(outcome[0], ConcurrentStepError), outcome
        assert "since you opened it" in str(outcome[0])
        assert case_version(desk_b, code) == version + 1 and steps(desk_b, code) == []


def test_case_commands_answer_alike_on_a_file_and_a_database(small_demo, pg_demo):
    from gridmap.store import open_store
    from tests.cli.test_cli import gridmap
    from tests.store.test_cases import new_case

    outputs = []
    for location in (small_demo, pg_demo):
        with open_store(location) as store:
            code = new_case(store, key="cli-both", level="community")
        escalated = gridmap("case", "escalate", location, code, "--to", "district", "--reason", "重大突发事件",
                            "--user", "ST00001", "--expect-version", "0")
        assert escalated.returncode == 0, escalated.stderr
        stale = gridmap("case", "step", location, code, "register", "--user", "ST00002", "--expect-version", "0")
        assert stale.returncode == 2 and "was changed by someone else (escalate by ST00001" in stale.stderr
        assert gridmap("case", "limits", location, "--set", "street=6").returncode == 0
        shown = gridmap("case", "show", location, code)
        assert shown.returncode == 0 and "community → district" in shown.stdout, shown.stderr
        lines = escalated.stdout.splitlines()[1:] + [line for line in shown.stdout.splitlines() if "escalate" in line]
        # the times are now on each engine: the runs may straddle a minute
        outputs.append([re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", line) for line in lines])
    assert outputs[0] == outputs[1] and "TIME" in outputs[0][0]


def test_escalations_are_counted_alike_on_both_engines(small_demo, pg_demo):
    from tests.store.test_escalation import escalations_are_counted

    assert escalations_are_counted(small_demo) == escalations_are_counted(pg_demo)
