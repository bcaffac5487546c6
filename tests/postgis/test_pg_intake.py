"""The intake service on a PostGIS store (issue 13, item 5): the same API and rules as on the file;
every 201 stored exactly once, also when devices retry the same key at the same moment."""

import threading
import uuid

import pytest
import uvicorn

from gridmap.service.app import create_app
from gridmap.service.simulate import post, sample_reports
from gridmap.store import open_store
from gridmap.store.cases import apply_step, steps
from gridmap.store.migrate import migrate
from tests.cli.test_cli import gridmap
from tests.service.conftest import free_port, running


@pytest.fixture
def pg_service(small_demo_file, pg_uri):
    migrate(small_demo_file, pg_uri)
    port = free_port()
    with running(uvicorn.Config(create_app(pg_uri), host="127.0.0.1", port=port, log_level="error")):
        yield f"http://127.0.0.1:{port}", pg_uri


def count(uri):
    with open_store(uri) as store:
        return store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]


def test_reports_become_routed_cases_on_postgis(pg_service):
    url, uri = pg_service
    bodies, tokens = sample_reports(uri, 20)
    before = count(uri)
    codes = []
    for k, body in enumerate(bodies):
        status, answer = post(url, body, tokens[k % len(tokens)], f"key-{k}")
        assert status == 201, answer
        codes.append(answer["code"])
    assert post(url, bodies[0], tokens[0], "key-0") == (200, {"code": codes[0]})
    status, answer = post(url, {**bodies[0], "description": "另一件事"}, tokens[0], "key-0")
    assert status == 422 and answer["field"] == "Idempotency-Key"
    assert count(uri) == before + len(bodies)
    with open_store(uri) as store:
        row = store.conn.execute("SELECT unit_grid_code, responsible_unit_code, status, reported_at FROM incident "
                                 "WHERE code = ?", (codes[0],)).fetchone()
        assert row["unit_grid_code"] and row["responsible_unit_code"] and row["status"] == "reported"
        assert apply_step(store, codes[0], "register", user="受理员") == "registered"
        assert [s["action"] for s in steps(store, codes[0])] == ["report", "register"]
        assert steps(store, codes[0])[-1]["user"] == "受理员"  # not the database login


def test_the_same_key_at_the_same_moment_makes_one_case(pg_service):
    url, uri = pg_service
    bodies, tokens = sample_reports(uri, 1)
    before = count(uri)
    key = uuid.uuid4().hex
    results = []
    barrier = threading.Barrier(8)

    def send():
        barrier.wait()
        results.append(post(url, bodies[0], tokens[0], key))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r[0] for r in results) == [200] * 7 + [201]
    assert len({r[1]["code"] for r in results}) == 1
    assert count(uri) == before + 1


def test_tokens_on_postgis_from_the_command_line(small_demo_file, pg_uri):
    migrate(small_demo_file, pg_uri)
    with open_store(pg_uri) as store:
        staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code").fetchone()[0]
    made = gridmap("token", "create", pg_uri, "--staff", staff)
    assert made.returncode == 0, made.stderr
    listed = gridmap("token", "list", pg_uri, "--json")
    assert listed.returncode == 0 and staff in listed.stdout
    revoked = gridmap("token", "revoke", pg_uri, "--staff", staff)
    assert revoked.returncode == 0 and "revoked 1" in revoked.stdout


def test_inspections_and_positions_on_postgis(pg_service):
    """POST /inspections and POST /positions on a database: the same answers as on the file (issue 15)."""
    from tests.service import test_register_intake as on_file
    from tests.service.conftest import a_token

    url, uri = pg_service
    service = (url, a_token(uri), uri)
    on_file.test_an_inspection_is_recorded_once_and_can_open_a_case(service)
    on_file.test_positions_in_phone_coordinates_are_corrected_and_retries_add_nothing(service)
