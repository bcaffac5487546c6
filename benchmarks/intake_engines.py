"""The intake on both engines in one run (issue 13, item 7): the full demo as a file and, migrated,
on PostGIS in a throwaway cluster; `gridmap serve --workers 4` on each, as many reports as the
load generator can send for DURATION seconds from CLIENTS keep-alive connections (loopback only,
bounded), then a graceful stop. Figures: achieved reports/s, p50/p99 latency, lost (a 201 not in
the store) and duplicated (more cases than 201s). The machine has 2 cores for the load generator,
four workers and, on PostGIS, the database server together: the figures are what that gives.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.common import demo_copy

DURATION = 20
CLIENTS = 32
WORKERS = 4


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(location, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gridmap.cli", "serve", str(location), "--port", str(port),
                                "--workers", str(WORKERS)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/openapi.json")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the intake service did not start: " + process.stderr.read().decode()[-1000:])


def _load(port: int, bodies, tokens) -> tuple[list[str], list[int], list[float], float]:
    codes, statuses, latencies = [], [], []
    lock = threading.Lock()
    end = time.perf_counter() + DURATION

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = offset
        from gridmap.domain.calendar import city_now

        while time.perf_counter() < end:
            body = json.dumps({**bodies[k % len(bodies)], "reported_at": city_now().isoformat()}).encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/reports", body, {"Content-Type": "application/json",
                                                        "Authorization": f"Bearer {tokens[k % len(tokens)]}",
                                                        "Idempotency-Key": uuid.uuid4().hex})
                response = conn.getresponse()
                raw = response.read()
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)
                statuses.append(response.status)
                if response.status == 201:
                    codes.append(json.loads(raw)["code"])
            k += CLIENTS

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes, statuses, latencies, time.perf_counter() - started


def _measure(location, label: str) -> dict:
    from gridmap.service.simulate import sample_reports
    from gridmap.store import open_store

    bodies, tokens = sample_reports(location, 2000)
    with open_store(location) as store:
        before = store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]
    port = _free_port()
    server = _serve(location, port)
    try:
        codes, statuses, latencies, elapsed = _load(port, bodies, tokens)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    with open_store(location) as store:
        stored = {r[0] for r in store.conn.execute("SELECT code FROM incident")}
        after = len(stored)
    latencies.sort()
    return {
        f"{label}_reports_per_s": round(len(statuses) / elapsed, 1),
        f"{label}_created_201": statuses.count(201),
        f"{label}_other_status": len(statuses) - statuses.count(201),
        f"{label}_latency_ms_p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        f"{label}_latency_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        f"{label}_lost": len(set(codes) - stored),
        f"{label}_duplicated": (after - before) - len(set(codes)),
    }


def run(args, record) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from gridmap.store.migrate import migrate
    from tests.pgcluster import Cluster

    with tempfile.TemporaryDirectory() as tmp_name:
        path = demo_copy(args, Path(tmp_name))
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="gridmap-pg-"))).start()
        try:
            uri = cluster.create_database("bench")
            started = time.perf_counter()
            migrate(path, uri)
            migrate_s = time.perf_counter() - started
            figures = {"duration_s": DURATION, "clients": CLIENTS, "workers": WORKERS,
                       "migrate_full_demo_to_postgis_s": round(migrate_s, 1)}
            figures |= _measure(path, "file")
            figures |= _measure(uri, "postgis")
        finally:
            cluster.stop()
    record("intake_engines", figures)
