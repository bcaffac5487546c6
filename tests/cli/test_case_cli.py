"""gridmap case: show a case, take a step against the version read, escalate it (issue 14)."""

import json

import pytest

from gridmap.store import open_store
from tests.cli.test_cli import gridmap
from tests.store.test_cases import new_case


@pytest.fixture
def case(small_demo):
    """(store file, the code of a new case just reported)."""
    with open_store(small_demo) as store:
        return small_demo, new_case(store, key="cli")


def test_show_prints_status_level_version_and_history(case):
    db, code = case
    done = gridmap("case", "show", db, code)
    assert done.returncode == 0, done.stderr
    assert code in done.stdout and "status: reported" in done.stdout and "level: district" in done.stdout
    assert "version: 0" in done.stdout and "report" in done.stdout
    shown = json.loads(gridmap("case", "show", db, code, "--json", check=True).stdout)
    assert shown["status"] == "reported" and shown["row_version"] == 0 and shown["level"] == "district"
    assert [s["action"] for s in shown["steps"]] == ["report"]
    missing = gridmap("case", "show", db, "20990101000001")
    assert missing.returncode == 2 and "no case 20990101000001" in missing.stderr


def test_a_step_against_a_stale_version_is_refused_and_writes_nothing(case):
    db, code = case
    done = gridmap("case", "step", db, code, "register", "--user", "受理员", "--expect-version", "0")
    assert done.returncode == 0, done.stderr
    assert "registered" in done.stdout and "version 1" in done.stdout
    stale = gridmap("case", "step", db, code, "reject", "--user", "受理员乙", "--reason", "重复上报",
                    "--expect-version", "0")
    assert stale.returncode == 2 and "Traceback" not in stale.stderr
    assert f"case {code} was changed by someone else (register by 受理员" in stale.stderr
    assert "since you opened it; reload it" in stale.stderr
    shown = json.loads(gridmap("case", "show", db, code, "--json", check=True).stdout)
    assert shown["status"] == "registered" and shown["row_version"] == 1 and len(shown["steps"]) == 2
    # without --expect-version the step applies to the case as it is now
    assert gridmap("case", "step", db, code, "dispatch", "--user", "派遣员").returncode == 0
    refused = gridmap("case", "step", db, code, "extend", "--user", "派遣员", "--hours", "2")
    assert refused.returncode == 2 and "needs a reason" in refused.stderr


@pytest.fixture
def community_case(small_demo):
    with open_store(small_demo) as store:
        return small_demo, new_case(store, key="cli-community", level="community")


def test_escalate_prints_the_new_level_and_deadline(community_case):
    db, code = community_case
    done = gridmap("case", "escalate", db, code, "--to", "street", "--reason", "社区无执法权", "--user", "ST00001")
    assert done.returncode == 0, done.stderr
    assert f"case {code}: community → street" in done.stdout
    assert "level: street" in done.stdout and "deadline: " in done.stdout and "version: 1" in done.stdout
    shown = gridmap("case", "show", db, code, check=True).stdout
    assert "escalate" in shown and "community → street" in shown and "社区无执法权" in shown
    straight = gridmap("case", "escalate", db, code, "--to", "district", "--reason", "涉及多个部门",
                       "--expect-version", "1")
    assert straight.returncode == 0 and "street → district" in straight.stdout, straight.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--to", "community", "--reason", "x"), "cannot escalate from community to community: escalation goes up"),
    (("--to", "street", "--reason", " "), "an escalation needs a reason"),
    (("--to", "street", "--reason", "x", "--expect-version", "5"), "was changed by someone else"),
    (("--to", "province", "--reason", "x"), "invalid choice: 'province'"),
    (("--to", "street"), "the following arguments are required: --reason"),
])
def test_escalate_refusals_are_clear_and_write_nothing(community_case, args, message):
    db, code = community_case
    done = gridmap("case", "escalate", db, code, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
    shown = json.loads(gridmap("case", "show", db, code, "--json", check=True).stdout)
    assert shown["level"] == "community" and shown["row_version"] == 0


def test_level_limits_are_shown_and_set(small_demo):
    listed = gridmap("case", "limits", small_demo, check=True).stdout
    assert "street  8 working hours" in listed and "district  4 working hours" in listed
    done = gridmap("case", "limits", small_demo, "--set", "district=2", "--set", "street=6")
    assert done.returncode == 0, done.stderr
    assert "street  6 working hours" in done.stdout and "district  2 working hours" in done.stdout
    bad = gridmap("case", "limits", small_demo, "--set", "district=soon")
    assert bad.returncode == 2 and "LEVEL=HOURS" in bad.stderr


def test_evaluate_counts_escalations(community_case):
    db, code = community_case
    assert gridmap("case", "escalate", db, code, "--to", "street", "--reason", "社区无执法权").returncode == 0
    today = gridmap("case", "show", db, code, "--json", check=True)
    day = json.loads(today.stdout)["steps"][-1]["at"][:10]
    listed = gridmap("evaluate", db, "--from", day, "--to", day, check=True).stdout.splitlines()
    assert "escalated" in listed[1].split("  ")
    rows = json.loads(gridmap("evaluate", db, "--from", day, "--to", day, "--json", check=True).stdout)
    assert sum(r["escalated"] for r in rows) == 1
