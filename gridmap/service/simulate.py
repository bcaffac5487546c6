"""Realistic reports sent to the intake service, as the demo's supervisors would send them.

Classes and places are drawn from the case history (so hot spots stay hot); positions go out in
WGS84 or GCJ-02 as phones would send them. Loopback or the project's own hosts only.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import numpy as np
import pyproj
import shapely

from gridmap.domain.calendar import city_now
from gridmap.domain.coords import wgs84_to_gcj02
from gridmap.store import open_store
from gridmap.store.cases import create_token, sample_event_cases, supervisor_codes
from gridmap.store.queries import geometries


@dataclass
class Tally:
    sent: int = 0
    created: int = 0
    replayed: int = 0
    failed: int = 0
    codes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def sample_reports(db, count: int, seed: int = 1) -> tuple[list[dict], list[str]]:
    """``count`` report bodies like the history's, and device tokens for the supervisors."""
    rng = np.random.default_rng(seed)
    with open_store(db) as store:
        rows = sample_event_cases(store, 2000)
        tokens = [create_token(store, s) for s in supervisor_codes(store, 20)]
        to_wgs = pyproj.Transformer.from_crs(store.srid, 4326, always_xy=True)
        district = shapely.union_all(geometries(store, "district", ["code"])[1])
    shapely.prepare(district)
    bodies = []
    for k in range(count):
        cls, text, x, y = rows[rng.integers(len(rows))]
        dx, dy = rng.normal(0, 15, 2)
        if shapely.contains_xy(district, x + dx, y + dy):  # a phone's position wanders a little, inside the city
            x, y = x + dx, y + dy
        lon, lat = to_wgs.transform(x, y)
        crs = "gcj02" if rng.random() < 0.6 else "wgs84"
        if crs == "gcj02":
            lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
        bodies.append({"class_code": cls, "description": f"{text}（巡查上报 {k + 1}）",
                       "location": {"x": lon, "y": lat, "crs": crs},
                       "reported_at": city_now().isoformat()})
    return bodies, tokens


def post(url: str, body: dict, token: str, key: str, timeout: float = 10.0) -> tuple[int, dict]:
    request = urllib.request.Request(f"{url.rstrip('/')}/reports", data=json.dumps(body).encode("utf-8"),
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "Authorization": f"Bearer {token}",
                                                             "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def run(url: str, db, rate: float, duration: float | None, workers: int = 4, seed: int = 1) -> Tally:
    """Send reports at ``rate`` per second for ``duration`` seconds (None: until interrupted)."""
    total = int(rate * duration) if duration else 10_000_000
    bodies, tokens = sample_reports(db, min(total, 50_000), seed)
    tally = Tally()
    start = time.perf_counter()
    stop = threading.Event()

    def worker(offset: int) -> None:
        k = offset
        while not stop.is_set() and k < total:
            due = start + k / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            body = {**bodies[k % len(bodies)], "reported_at": city_now().isoformat()}  # sent now, reported now
            status, answer = post(url, body, tokens[k % len(tokens)], uuid.uuid4().hex)
            with tally.lock:
                tally.sent += 1
                if status == 201:
                    tally.created += 1
                    tally.codes.append(answer["code"])
                elif status == 200:
                    tally.replayed += 1
                else:
                    tally.failed += 1
            k += workers

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        stop.set()
    return tally
