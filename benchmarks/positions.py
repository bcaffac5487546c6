"""Supervisors' positions into the full demo (issue 15: 1,000 positions/s ingested with none lost).

Every supervisor with a device token sends a batch of its positions every second over HTTP to
``gridmap serve`` (one process, loopback, one keep-alive connection per device), GCJ-02 as phone SDKs give
them, for DURATION seconds at RATE positions/s in all; one batch in RETRY_EVERY is sent again, as a device
does when an answer is lost. Lost = a position acknowledged (accepted) that is not in the store;
duplicated = more rows than distinct positions sent.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import demo_copy
from benchmarks.intake import _free_port, _wait_for

RATE = 1000
DURATION = 60
DEVICES = 40
RETRY_EVERY = 10


def run(args, record) -> None:
    import pyproj

    from gridmap.domain.calendar import city_now
    from gridmap.domain.coords import wgs84_to_gcj02
    from gridmap.store import dialect, open_store
    from gridmap.store.cases import create_token

    rate = getattr(args, "rate", None) or RATE
    duration = getattr(args, "duration", None) or DURATION
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)
        with open_store(path) as store:
            staff = [r[0] for r in store.conn.execute(
                "SELECT DISTINCT staff_code FROM supervisor_assignment ORDER BY staff_code LIMIT ?", (DEVICES,))]
            tokens = [create_token(store, s) for s in staff]
            places = [tuple(r) for r in store.conn.execute(
                f"SELECT {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL ORDER BY code")]
            to_wgs84 = pyproj.Transformer.from_crs(store.srid, 4326, always_xy=True)
        lonlat = [wgs84_to_gcj02(*to_wgs84.transform(x, y)) for x, y in places]
        port = _free_port()
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen([sys.executable, "-m", "gridmap.cli", "serve", str(path), "--port", str(port)],
                                  stdout=log, stderr=log)
        devices = len(tokens)
        per_batch = max(1, round(rate / devices))
        sent, accepted, duplicates, statuses, latencies = [0], [0], [0], [], []
        lock = threading.Lock()
        try:
            _wait_for(port)
            base = city_now().replace(microsecond=0) - dt.timedelta(minutes=5)
            start = time.perf_counter()

            def device(n: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[n]}"}
                for second in range(duration):
                    wait = start + second + n / devices - time.perf_counter()
                    if wait > 0:
                        time.sleep(wait)
                    batch = []
                    for k in range(per_batch):
                        lon, lat = lonlat[(n * 37 + second * per_batch + k) % len(lonlat)]
                        moment = base + dt.timedelta(seconds=second, milliseconds=k * 1000 // per_batch)
                        batch.append({"x": float(lon), "y": float(lat), "crs": "gcj02",
                                      "at": moment.isoformat(timespec="milliseconds"), "accuracy_m": 6})
                    body = json.dumps({"positions": batch}).encode()
                    for attempt in range(2 if second % RETRY_EVERY == n % RETRY_EVERY else 1):
                        t0 = time.perf_counter()
                        conn.request("POST", "/positions", body, headers)
                        response = conn.getresponse()
                        answer = json.loads(response.read())
                        with lock:
                            latencies.append(time.perf_counter() - t0)
                            statuses.append(response.status)
                            if response.status == 200:
                                accepted[0] += answer["accepted"]
                                duplicates[0] += answer["duplicates"]
                            if attempt == 0:
                                sent[0] += len(batch)

            threads = [threading.Thread(target=device, args=(n,)) for n in range(devices)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            with open_store(path) as store:
                stored = store.conn.execute("SELECT count(*) FROM supervisor_position").fetchone()[0]
        finally:
            server.kill()
            server.wait()
            log.close()
        latencies.sort()
        record("positions", {
            "devices": devices, "positions_per_batch": per_batch, "seconds": duration,
            "positions_sent": sent[0], "positions_per_s": round(sent[0] / elapsed, 1),
            "accepted": accepted[0], "duplicates_answered": duplicates[0], "stored": stored,
            "lost": accepted[0] - stored if stored <= accepted[0] else 0,
            "duplicated": max(0, stored - sent[0]),
            "non_200": sum(s != 200 for s in statuses),
            "request_ms_p50": round(statistics.median(latencies) * 1000, 1),
            "request_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        })
