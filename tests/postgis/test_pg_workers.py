"""The intake in several worker processes (issue 13, item 5): every 201 stored exactly once on both
engines, also when a worker is killed mid-load."""

import os
import signal
import subprocess
import threading
import time
import uuid

import pytest

from gridmap.service.simulate import post, sample_reports
from gridmap.store import open_store
from gridmap.store.migrate import migrate
from tests.service.conftest import free_port
from tests.service.test_reliability import start_server


def workers_of(process):
    done = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False)
    pids = [int(p) for p in done.stdout.split()]
    return [p for p in pids if b"resource_tracker" not in open(f"/proc/{p}/cmdline", "rb").read()]


@pytest.mark.parametrize("engine", ["file", "postgis"])
def test_every_201_once_with_four_workers_and_one_killed(small_demo, pg_uri, engine):
    location = small_demo
    if engine == "postgis":
        migrate(small_demo, pg_uri)
        location = pg_uri
    port = free_port()
    bodies, tokens = sample_reports(location, 200)
    with open_store(location) as store:
        before = store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]
    server = start_server(location, port, "--workers", "4")
    acknowledged, stop = [], threading.Event()

    def device(offset):
        k = offset
        while not stop.is_set():
            try:
                status, answer = post(f"http://127.0.0.1:{port}", bodies[k % len(bodies)], tokens[k % len(tokens)],
                                      uuid.uuid4().hex, timeout=10)
            except OSError:
                time.sleep(0.05)
                continue
            if status == 201:
                acknowledged.append(answer["code"])
            k += 8

    threads = [threading.Thread(target=device, args=(i,), daemon=True) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(2.0)
    victims = workers_of(server)
    assert len(victims) == 4, victims
    os.kill(victims[0], signal.SIGKILL)  # one worker dies mid-load; the others go on
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    with open_store(location) as store:
        stored = [r[0] for r in store.conn.execute("SELECT code FROM incident")]
    assert len(acknowledged) > 50
    assert set(acknowledged) <= set(stored), "an acknowledged report is missing"
    assert len(stored) == len(set(stored)) and len(stored) - before >= len(set(acknowledged))
