"""Inspections of components and supervisors' positions in the store (issue 15), on any engine: each scenario
takes a store location, so tests/postgis runs the same ones on a database."""

import datetime as dt

import pytest

from gridmap.domain.calendar import city_now
from gridmap.domain.patrol import on_duty_hours
from gridmap.store import dialect, open_store, positions, users
from gridmap.store.cases import IntakeError, case_state, steps
from gridmap.store.errors import NotAllowedError
from gridmap.store.inspections import (
    Inspection,
    coverage_by_grid,
    coverage_by_supervisor,
    inspections_of,
    record_inspection,
)

NOW = city_now().replace(microsecond=0)
TODAY = NOW.date()


def supervisor_and_component(store):
    """A supervisor, a component in use in one of their responsibility grids, and its grid."""
    row = store.conn.execute(
        "SELECT a.staff_code, c.code, g.responsibility_grid_code FROM supervisor_assignment a JOIN unit_grid g ON "
        "g.responsibility_grid_code = a.responsibility_grid_code AND g.valid_to IS NULL JOIN component_point c ON "
        "c.unit_grid_code = g.code AND c.currency = '在用' ORDER BY a.staff_code, c.code LIMIT 1").fetchone()
    return tuple(row)


def inspections_and_cases(location):
    """Recorded from the desk and from a device, a damaged component opening a case in the same step."""
    with open_store(location) as store:
        staff, component, grid = supervisor_and_component(store)
        first, case, created = record_inspection(store, Inspection(component, NOW - dt.timedelta(hours=2), "完好"),
                                                 staff_code=staff)
        assert created and case is None
        second, case, _ = record_inspection(
            store, Inspection(component, NOW - dt.timedelta(hours=1), "破损", "井盖裂缝", b"\x89PNG fake", "image/png",
                              open_case=True), staff_code=staff)
        state = case_state(store, case)
        assert state["status"] == "reported" and state["class_code"] == component[6:10]
        incident = store.conn.execute("SELECT component_code, class_kind, reporter_staff_code, description FROM "
                                      "incident WHERE code = ?", (case,)).fetchone()
        assert tuple(incident) == (component, "component", staff, "巡查发现部件破损：井盖裂缝")
        assert [s["action"] for s in steps(store, case)] == ["report"]
        assert store.conn.execute("SELECT mime FROM incident_photo WHERE incident_code = ?", (case,)).fetchone()[0] \
            == "image/png"
        listed = inspections_of(store, component)
        assert [(i["id"], i["condition"], i["incident_code"], i["has_photo"]) for i in listed] == \
            [(second, "破损", case, 1), (first, "完好", None, 0)]
        # a device: the same key and request answer the first; another request with the key is refused
        token_id = store.conn.execute("INSERT INTO device_token (staff_code, token_hash, created_at, expires_at) "
                                      "VALUES (?, 'h', ?, '2099-01-01T00:00:00') RETURNING id",
                                      (staff, NOW.isoformat())).fetchone()[0]
        sent = Inspection(component, NOW, "占用", "堆放杂物", request_hash="a")
        again = record_inspection(store, sent, staff_code=staff, token_id=token_id, idempotency_key="k")
        assert record_inspection(store, sent, staff_code=staff, token_id=token_id, idempotency_key="k") == \
            (again[0], None, False)
        with pytest.raises(IntakeError, match="used for another inspection"):
            record_inspection(store, Inspection(component, NOW, "丢失", request_hash="b"), staff_code=staff,
                              token_id=token_id, idempotency_key="k")
        count = store.conn.execute("SELECT count(*) FROM inspection").fetchone()[0]
        for bad, field in ((Inspection("1506029999000001", NOW, "完好"), "component_code"),
                           (Inspection(component, NOW, "很好"), "condition"),
                           (Inspection(component, NOW - dt.timedelta(days=40), "完好"), "reported_at"),
                           (Inspection(component, NOW, "完好", open_case=True), "open_case")):
            with pytest.raises(IntakeError) as refused:
                record_inspection(store, bad, staff_code=staff)
            assert refused.value.field == field
        assert store.conn.execute("SELECT count(*) FROM inspection").fetchone()[0] == count

        by_grid = coverage_by_grid(store, TODAY - dt.timedelta(days=1), TODAY)
        assert by_grid[grid]["inspected_components"] == 1 and by_grid[grid]["inspections"] == 3
        assert by_grid[grid]["inspection_coverage"] == pytest.approx(1 / by_grid[grid]["components"])
        by_staff = coverage_by_supervisor(store, TODAY - dt.timedelta(days=1), TODAY)
        assert by_staff[staff]["inspections"] == 3 and by_staff[staff]["inspected_components"] == 1
        assert 0 < by_staff[staff]["inspection_coverage"] <= 1
        assert coverage_by_grid(store, TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=8))[grid][
            "inspections"] == 0


def positions_and_patrol(location):
    """Batches of positions: retries add nothing, the grid is filled in, on-duty hours and coverage follow."""
    with open_store(location) as store:
        staff, _component, grid = supervisor_and_component(store)
        units = [(r[0], float(r[1]), float(r[2])) for r in store.conn.execute(
            f"SELECT code, {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL AND "
            "responsibility_grid_code = ? ORDER BY code LIMIT 3", (grid,))]
        start = NOW - dt.timedelta(hours=3)
        batch = [positions.Position(units[k % 3][1], units[k % 3][2], start + dt.timedelta(seconds=30 * k), 5.0)
                 for k in range(120)]  # an hour, every 30 s, through three unit grids
        assert positions.ingest(store, staff, batch[:80]) == (80, 0)
        assert positions.ingest(store, staff, batch) == (40, 80)  # the retried part is not added twice
        later = [positions.Position(units[0][1], units[0][2], start + dt.timedelta(hours=2), None),
                 positions.Position(-1e6, -1e6, start + dt.timedelta(hours=2, seconds=30), None)]
        assert positions.ingest(store, staff, later) == (2, 0)
        grids = [r[0] for r in store.conn.execute("SELECT unit_grid_code FROM supervisor_position WHERE staff_code "
                                                  "= ? ORDER BY at", (staff,))]
        assert grids[:3] == [u[0] for u in units] and grids[-1] is None  # outside: kept, without a grid
        with pytest.raises(IntakeError) as refused:
            positions.ingest(store, staff, [batch[0], positions.Position(1, 2, NOW + dt.timedelta(hours=1))])
        assert refused.value.field == "positions.1.at"
        with pytest.raises(IntakeError, match="at most"):
            positions.ingest(store, staff, batch * 5)

        latest = positions.latest(store, start)
        mine = next(p for p in latest if p["staff_code"] == staff)
        assert mine["at"].startswith((start + dt.timedelta(hours=2, seconds=30)).isoformat()[:19])
        assert len(positions.tracks(store, start)[staff]) == 122

        by_staff = positions.patrol_by_supervisor(store, TODAY - dt.timedelta(days=1), TODAY)
        # 119 intervals of 30 s count (59.5 min); the 1-hour silence does not, nor does the 30 s after it
        # (the later pair is 30 s apart and counts: 60 min in all)
        assert by_staff[staff]["on_duty_hours"] == pytest.approx(60 / 60, abs=0.01)
        assert by_staff[staff]["visited_unit_grids"] == 3
        assert by_staff[staff]["patrol_coverage"] == pytest.approx(3 / by_staff[staff]["unit_grids"])
        by_grid = positions.patrol_by_grid(store, TODAY - dt.timedelta(days=1), TODAY)
        assert by_grid[grid]["visited_unit_grids"] == 3 and by_grid[grid]["on_duty_hours"] > 0.9


def test_inspections_open_cases_and_count_in_the_coverage(small_demo):
    inspections_and_cases(small_demo)


def test_positions_are_kept_once_and_give_the_patrol_figures(small_demo):
    positions_and_patrol(small_demo)


def test_inspections_from_the_desk_need_the_report_action(small_demo):
    with open_store(small_demo) as store:
        staff, component, _grid = supervisor_and_component(store)
        viewer = store.conn.execute("SELECT code FROM staff WHERE code <> ? ORDER BY code LIMIT 1",
                                    (staff,)).fetchone()[0]
        users.add_user(store, viewer, "viewer")
        with pytest.raises(NotAllowedError, match="may not report"):
            record_inspection(store, Inspection(component, NOW, "完好"), staff_code=viewer)
        users.add_user(store, staff, "supervisor")
        assert record_inspection(store, Inspection(component, NOW, "完好"), staff_code=staff)[2]


def test_on_duty_hours_count_short_gaps_only():
    import numpy as np

    staff = np.array(["a", "a", "a", "a", "b", "b"], dtype=object)
    at = np.array(["2026-01-01T08:00", "2026-01-01T08:05", "2026-01-01T08:30", "2026-01-01T08:31",
                   "2026-01-01T08:31", "2026-01-01T08:41"], dtype="datetime64[ms]")
    hours = on_duty_hours(staff, at, staff)
    assert hours == {"a": pytest.approx(6 / 60), "b": pytest.approx(10 / 60)}
    assert on_duty_hours(staff[:1], at[:1], staff[:1]) == {}


def test_the_evaluation_gives_inspection_and_patrol_coverage(small_demo):
    from gridmap.store.evaluation import columns_for, period_rows

    with open_store(small_demo) as store:
        staff, component, grid = supervisor_and_component(store)
        record_inspection(store, Inspection(component, NOW - dt.timedelta(hours=1), "完好"), staff_code=staff)
        x, y = store.conn.execute(f"SELECT {dialect.centre_x_y(store)} FROM unit_grid WHERE valid_to IS NULL AND "
                                  "responsibility_grid_code = ? ORDER BY code LIMIT 1", (grid,)).fetchone()
        start = NOW - dt.timedelta(hours=2)
        positions.ingest(store, staff, [positions.Position(x, y, start + dt.timedelta(minutes=k)) for k in range(31)])
        first = (NOW - dt.timedelta(hours=3)).date()
        by_grid = {r["key"]: r for r in period_rows(store, first, TODAY, "grid")}
        assert {"inspection_coverage_rate", "patrol_coverage_rate", "on_duty_hours"} <= set(columns_for("grid"))
        row = by_grid[grid]
        assert row["inspected_components"] == 1 and row["inspection_coverage_rate"] == 1 / row["components"]
        assert row["visited_unit_grids"] == 1 and row["on_duty_hours"] == pytest.approx(0.5)
        mine = {r["key"]: r for r in period_rows(store, first, TODAY, "supervisor")}[staff]
        assert mine["inspections"] == 1 and mine["patrol_coverage_rate"] == 1 / mine["unit_grids"]
        assert mine["on_duty_hours"] == pytest.approx(0.5) and mine["name"]
