import hashlib
import itertools
import sqlite3

import numpy as np
import pytest
import shapely

from gridmap.demo.build import build_demo
from gridmap.domain.classes import load_shipped
from gridmap.store import StoreError, open_store
from gridmap.store.queries import geometries, layer_counts
from gridmap.store.validate import summarize, validate_store
from tests.conftest import DEMO_END, DEMO_SEED


def table_digest(path, table):
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_small_demo_is_valid(small_demo_file):
    with open_store(small_demo_file) as store:
        assert validate_store(store) == []
        counts = layer_counts(store)
    assert counts["component_point"] + counts["component_line"] + counts["component_polygon"] == 5250
    assert counts["incident"] == 7500
    assert counts["responsibility_grid"] >= 2 and counts["unit_grid"] > 100


def test_same_seed_same_city(small_demo_file, tmp_path):
    again = tmp_path / "again.sqlite"
    build_demo(again, seed=DEMO_SEED, scale=0.05, end=DEMO_END)
    for table in ("unit_grid", "component_point", "component_line", "incident", "staff", "responsible_unit"):
        assert table_digest(again, table) == table_digest(small_demo_file, table), table


def test_another_seed_another_city(small_demo_file, tmp_path):
    other = tmp_path / "other.sqlite"
    build_demo(other, seed=DEMO_SEED + 1, scale=0.05, end=DEMO_END)
    assert table_digest(other, "unit_grid") != table_digest(small_demo_file, "unit_grid")


def test_build_refuses_to_overwrite_and_bad_scale(small_demo_file, tmp_path):
    with pytest.raises(StoreError, match="already exists"):
        build_demo(small_demo_file, scale=0.05)
    with pytest.raises(ValueError, match="scale"):
        build_demo(tmp_path / "x.sqlite", scale=0)


def test_component_ids_follow_district_and_class(small_demo_file):
    with open_store(small_demo_file) as store:
        for table in ("component_point", "component_line", "component_polygon"):
            bad = store.conn.execute(
                f"SELECT count(*) FROM {table} WHERE length(code) <> 16 OR substr(code, 1, 6) <> '150602' "
                "OR substr(code, 7, 4) <> class_code").fetchone()[0]
            assert bad == 0


def test_incident_steps_are_in_order_and_closures_mixed(small_demo_file):
    steps = ["reported_at", "registered_at", "dispatched_at", "handled_at", "checked_at", "closed_at"]
    with open_store(small_demo_file) as store:
        conn = store.conn
        for earlier, later in itertools.pairwise(steps):
            out_of_order = conn.execute(f"SELECT count(*) FROM incident WHERE {later} < {earlier}").fetchone()[0]
            assert out_of_order == 0, (earlier, later)
        closed = conn.execute("SELECT count(*) FROM incident WHERE status = 'closed'").fetchone()[0]
        missing = conn.execute("SELECT count(*) FROM incident WHERE status = 'closed' AND (registered_at IS NULL OR "
                               "dispatched_at IS NULL OR handled_at IS NULL OR checked_at IS NULL OR "
                               "closed_at IS NULL OR deadline IS NULL)").fetchone()[0]
        assert closed > 0.85 * 7500 and missing == 0
        types = dict(conn.execute("SELECT close_type, count(*) FROM incident WHERE status = 'closed' GROUP BY 1"))
        assert types["normal"] > types["overdue"] > 0
        late = conn.execute("SELECT count(*) FROM incident WHERE close_type = 'overdue' AND handled_at <= deadline")
        assert late.fetchone()[0] == 0
        assert conn.execute("SELECT max(reported_at) FROM incident").fetchone()[0] < DEMO_END.isoformat()


def test_incident_snapshots_match_where_they_are(small_demo_file):
    with open_store(small_demo_file) as store:
        rows, points = geometries(store, "incident", ["unit_grid_code", "community_code", "street_code"])
        grid_rows, grids = geometries(store, "unit_grid", ["code"])
        by_code = {r[0]: g for r, g in zip(grid_rows, grids, strict=True)}
        inside = shapely.intersects(np.array([by_code[r[0]] for r in rows]), points)
        assert inside.all()
        assert all(r[0].startswith(r[1]) and r[1].startswith(r[2]) for r in rows)


def test_validation_finds_what_was_broken_on_purpose(small_demo):
    store = open_store(small_demo)
    with store.transaction() as conn:
        # a component moved 5 km away, one put in the wrong grid, a unit grid deleted (a gap)
        codes = [r[0] for r in conn.execute("SELECT code FROM component_point ORDER BY id LIMIT 2")]
        conn.execute("UPDATE component_point SET geom = ShiftCoords(geom, 5000, 0) WHERE code = ?", (codes[0],))
        conn.execute("UPDATE component_point SET unit_grid_code = '150602001001999' WHERE code = ?", (codes[1],))
        victim = conn.execute("SELECT code FROM unit_grid ORDER BY code LIMIT 1 OFFSET 5").fetchone()[0]
        conn.execute("DELETE FROM unit_grid WHERE code = ?", (victim,))
        conn.execute("UPDATE component_line SET class_code = '0408' WHERE class_code = '0211'")
    store.close()
    with open_store(small_demo) as store:
        problems = validate_store(store)
    found = summarize(problems)
    assert found["component.outside"] >= 1
    assert found["component.wrong_grid"] >= 1
    assert found["coverage.gap"] == 1
    assert found["code.component"] >= 1
    assert found["responsibility_grid.stale"] == 1
    gap = next(p for p in problems if p.kind == "coverage.gap")
    assert gap.x is not None and "m²" in gap.message


def test_the_store_holds_both_class_schemes(small_demo_file):
    with open_store(small_demo_file) as store:
        schemes = dict(store.conn.execute("SELECT scheme, count(*) FROM component_class GROUP BY scheme"))
    assert schemes == {"legacy": len(load_shipped("legacy", "component")),
                       "gbt47678": len(load_shipped("gbt47678", "component"))}


def test_numbers_are_stored_as_numbers(small_demo_file):
    # numpy integers bound by sqlite3 become 8-byte BLOBs; every numeric column must hold real numbers
    with open_store(small_demo_file) as store:
        conn = store.conn
        assert {r[0] for r in conn.execute("SELECT DISTINCT typeof(rework_count) FROM incident")} == {"integer"}
        assert {r[0] for r in conn.execute("SELECT DISTINCT typeof(area_m2) FROM unit_grid")} == {"real"}
