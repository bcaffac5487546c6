"""Every time the store writes is Beijing time, whatever zone the machine is set to (a review found
grid versions and the audit log in the machine's zone beside cases in Beijing time)."""

import datetime as dt
import os
import subprocess
import sys

from gridmap.domain.calendar import city_now
from gridmap.store import open_store

WRITE = """
import sys
from gridmap.store import open_store
from gridmap.store import grids, responsibility
with open_store(sys.argv[1]) as store:
    plan = grids.load_plan(store)
    unit, target = next((u, t) for u in sorted(plan.assignment) for t in sorted(plan.members)
                        if t != plan.assignment[u] and plan.check(u, t) is None)
    grids.assign_units(store, [unit], target, note="clock")
    code = store.conn.execute("SELECT code FROM component_point LIMIT 1").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET currency = '作废' WHERE code = ?", (code,))
print(unit)
"""


def test_store_times_are_beijing_time_on_a_machine_in_new_york(small_demo):
    env = {**os.environ, "TZ": "America/New_York"}
    done = subprocess.run([sys.executable, "-c", WRITE, str(small_demo)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-1500:]
    unit = done.stdout.strip()
    now = city_now()
    with open_store(small_demo) as store:
        stamps = {
            "audit": store.conn.execute("SELECT max(at) FROM audit_log").fetchone()[0],
            "grid version": store.conn.execute("SELECT max(valid_from) FROM unit_grid WHERE code = ?",
                                               (unit,)).fetchone()[0],
            "retired code": store.conn.execute("SELECT max(retired_at) FROM retired_code WHERE kind = 'component'"
                                               ).fetchone()[0],
        }
    for what, stamp in stamps.items():
        assert abs(dt.datetime.fromisoformat(stamp) - now) < dt.timedelta(minutes=5), (what, stamp, now)
