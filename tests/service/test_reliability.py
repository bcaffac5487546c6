"""The service killed with SIGKILL mid-load loses nothing it acknowledged and corrupts nothing; the
desktop's steps and the service's writes share the file without 'database is locked' reaching anyone."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest

from gridmap.service.simulate import post, sample_reports
from gridmap.store import open_store
from gridmap.store.cases import apply_step
from tests.service.conftest import free_port


def start_server(path, port, *extra):
    """'gridmap serve' in a process of its own group (so its worker processes can be stopped with it),
    answering; ``extra`` are more command-line arguments."""
    process = subprocess.Popen([sys.executable, "-m", "gridmap.cli", "serve", str(path), "--port", str(port), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the service did not start: " + process.stderr.read().decode())


def load(url, bodies, tokens, acknowledged, stop, workers=4):
    def worker(offset):
        k = offset
        while not stop.is_set():
            try:
                status, answer = post(url, bodies[k % len(bodies)], tokens[k % len(tokens)], uuid.uuid4().hex,
                                      timeout=5)
            except OSError:
                return  # the server is gone
            if status == 201:
                acknowledged.append(answer["code"])
            k += workers
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    return threads


def test_sigkill_mid_load_loses_nothing_acknowledged(small_demo):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bodies, tokens = sample_reports(small_demo, 300)
    before = sqlite3.connect(small_demo).execute("SELECT count(*) FROM incident").fetchone()[0]
    server = start_server(small_demo, port)
    acknowledged, stop = [], threading.Event()
    threads = load(url, bodies, tokens, acknowledged, stop)
    time.sleep(2.5)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) > 20
    conn = sqlite3.connect(small_demo)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in conn.execute("SELECT code FROM incident")}
    assert set(acknowledged) <= stored  # every 201 is in the file
    new = conn.execute("SELECT count(*), sum(unit_grid_code IS NULL OR reporter_staff_code IS NULL) FROM incident "
                       "WHERE id > (SELECT max(id) FROM incident) - ?", (len(stored) - before,)).fetchone()
    assert new[1] == 0  # no half-written case
    keys = conn.execute("SELECT count(*) FROM idempotency_key").fetchone()[0]
    assert keys == len(stored) - before  # each case with its key, nothing without
    conn.close()
    server = start_server(small_demo, port)  # restart and go on
    try:
        status, _answer = post(url, bodies[0], tokens[0], "after-restart")
        assert status == 201
    finally:
        server.kill()
        server.wait()


def test_desktop_steps_and_service_writes_share_the_file(small_demo):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bodies, tokens = sample_reports(small_demo, 200)
    server = start_server(small_demo, port)
    acknowledged, stop = [], threading.Event()
    try:
        threads = load(url, bodies, tokens, acknowledged, stop)
        codes = []
        with open_store(small_demo) as desktop:
            end = time.time() + 3
            while time.time() < end:  # the dispatcher registers cases as they pour in
                waiting = [r[0] for r in desktop.conn.execute("SELECT code FROM incident WHERE status = 'reported' "
                                                              "ORDER BY id LIMIT 5")]
                for code in waiting:
                    assert apply_step(desktop, code, "register", user="受理员") == "registered"
                    codes.append(code)
                time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        server.kill()
        server.wait()
    assert len(acknowledged) > 20 and len(codes) > 5
    error_log = server.stderr.read().decode()
    assert "locked" not in error_log and "Traceback" not in error_log, error_log[-2000:]




OPENER = """
import sys, time
from gridmap.store import open_store
end = time.time() + float(sys.argv[2])
while time.time() < end:  # what 'gridmap info', the desktop and a second service do all day
    with open_store(sys.argv[1]) as store:
        store.conn.execute("SELECT count(*) FROM incident").fetchone()
    time.sleep(0.02)
"""


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGKILL])
def test_every_acknowledged_report_survives_other_programs_opening_the_file(small_demo, stop_with):
    """8 devices post while two other programs open, read and close the store over and over; after
    the service is stopped (gracefully or killed), every report answered 201 is in the file."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bodies, tokens = sample_reports(small_demo, 300)
    server = start_server(small_demo, port)
    acknowledged, stop = [], threading.Event()
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(small_demo), "4"], stderr=subprocess.PIPE)
               for _ in range(2)]
    threads = load(url, bodies, tokens, acknowledged, stop, workers=8)
    for opener in openers:
        opener.wait(timeout=60)
    os.kill(server.pid, stop_with)
    server.wait(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    for opener in openers:
        assert opener.returncode == 0, opener.stderr.read().decode()[-2000:]
    assert len(acknowledged) > 50
    with open_store(small_demo) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in store.conn.execute("SELECT code FROM incident")}
    lost = set(acknowledged) - stored
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged reports are not in the file"
