"""The case loop's figures on the full demo: intake holds 200 reports/s on loopback for 60 s with no
lost or duplicated case; a report is on the map within 1 s; three years are evaluated within 2 s.

The load generator is bounded (rate x duration requests, loopback only) and keeps one HTTP connection
per worker. Lost = a 201 whose code is not in the file; duplicated = more cases than 201s.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.common import demo_copy

RATE = 200
DURATION = 60
WORKERS = 12


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/openapi.json")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the intake service did not start")


def run(args, record) -> None:
    from gridmap.service.simulate import sample_reports
    from gridmap.store import open_store
    from gridmap.store.evaluation import period_rows

    rate = getattr(args, "rate", None) or RATE
    duration = getattr(args, "duration", None) or DURATION
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)
        port = _free_port()
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen([sys.executable, "-m", "gridmap.cli", "serve", str(path), "--port", str(port)],
                                  stdout=log, stderr=log)
        try:
            _wait_for(port)
            total = int(rate * duration)
            bodies, tokens = sample_reports(path, min(total, 5000))
            # first, with the window as a user has it: open on the file before reports arrive
            visible = _report_to_visible(path, port, bodies, tokens)
            with open_store(path) as store:
                before = store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]
            codes, statuses, latencies = [], [], []
            lock = threading.Lock()
            start = time.perf_counter()

            def worker(offset: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for k in range(offset, total, WORKERS):
                    wait = start + k / rate - time.perf_counter()
                    if wait > 0:
                        time.sleep(wait)
                    body = json.dumps(bodies[k % len(bodies)]).encode()
                    t0 = time.perf_counter()
                    conn.request("POST", "/reports", body, {"Content-Type": "application/json",
                                                            "Authorization": f"Bearer {tokens[k % len(tokens)]}",
                                                            "Idempotency-Key": uuid.uuid4().hex})
                    response = conn.getresponse()
                    raw = response.read()
                    answer = json.loads(raw) if raw.startswith(b"{") else {"error": raw[:200].decode()}
                    with lock:
                        latencies.append(time.perf_counter() - t0)
                        statuses.append(response.status)
                        if response.status == 201:
                            codes.append(answer["code"])

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
            with open_store(path) as store:
                stored = {r[0] for r in store.conn.execute("SELECT code FROM incident")}
                after = store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]
            with open_store(path) as store:
                end = dt.date.fromisoformat(store.setting("demo_end", dt.date.today().isoformat())[:10])
                t0 = time.perf_counter()
                rows = period_rows(store, end - dt.timedelta(days=3 * 365), end, "grid")
                evaluation_s = time.perf_counter() - t0
        finally:
            server.kill()
            server.wait()
            log.close()
            errors = [line for line in (tmp / "server.log").read_text().splitlines() if "Error" in line]
            if errors:
                print("server errors:", *errors[:5], sep="\n  ")
        latencies.sort()
        record("intake", {
            "requested_rate_per_s": rate, "duration_s": duration, "requests": total,
            "achieved_rate_per_s": round(len(statuses) / elapsed, 1),
            "created_201": statuses.count(201), "other_status": len(statuses) - statuses.count(201),
            "lost": len(set(codes) - stored), "duplicated": (after - before) - len(set(codes)),
            "latency_ms_median": round(statistics.median(latencies) * 1000, 1),
            "latency_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "report_to_visible_s_median": round(statistics.median(visible), 3),
            "report_to_visible_s_all": [round(v, 3) for v in visible],
            "evaluation_3_years_all_grids_s": round(evaluation_s, 2), "evaluation_rows": len(rows),
        })


def _report_to_visible(path: Path, port: int, bodies, tokens) -> list[float]:
    """Post a report, time until an offscreen window has drawn it (the live poll plus the redraw)."""
    from gridmap.app import start_qgis

    app = start_qgis(["bench"], settings_dir=path.parent / "settings")
    from gridmap.gui.workspace import build_workspace

    window = build_workspace()
    window.resize(1920, 1080)
    window.show()
    rendered = []
    window.first_render_done.connect(rendered.append)
    window.open_store(path)
    deadline = time.perf_counter() + 30
    while not rendered and time.perf_counter() < deadline:  # measure on a settled window
        app.processEvents()
        time.sleep(0.01)
    times = []
    for k in range(5):
        arrived = threading.Event()
        done = []
        window.workspace.live.arrived.connect(lambda _cases, flag=arrived: flag.set())
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/reports", json.dumps(bodies[k]).encode(),
                     {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[0]}",
                      "Idempotency-Key": uuid.uuid4().hex})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 201:
            raise RuntimeError(f"the report was refused: {response.status} {answer[:200]!r}")
        while not arrived.is_set() and time.perf_counter() - t0 < 5:
            app.processEvents()
            time.sleep(0.005)
        window.canvas.mapCanvasRefreshed.connect(lambda seen=done: seen.append(time.perf_counter()))
        while not done and time.perf_counter() - t0 < 5:
            app.processEvents()
            time.sleep(0.005)
        times.append((done[0] if done else time.perf_counter()) - t0)
        window.workspace.live.arrived.disconnect()
        window.canvas.mapCanvasRefreshed.disconnect()
    from gridmap.gui.launcher import shutdown

    window.workspace.live.stop()
    shutdown(window)
    return times
