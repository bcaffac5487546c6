"""Inspections and positions from devices over real HTTP (issue 15): the rules of reports, GCJ-02/BD-09
corrected, batches bounded, retries adding nothing."""

import datetime as dt

import pytest

from gridmap.domain.calendar import city_now
from gridmap.domain.coords import gcj02_to_bd09, wgs84_to_gcj02
from gridmap.store import dialect, open_store
from tests.service.test_intake import a_png, call

NOW = city_now().replace(microsecond=0)


def a_place(path, offset=0):
    """A point well inside a unit grid, in the store CRS and as WGS84 longitude/latitude (either engine)."""
    import pyproj

    with open_store(path) as store:
        x, y, grid = store.conn.execute(f"SELECT {dialect.centre_x_y(store)}, code FROM unit_grid WHERE valid_to IS "
                                        "NULL ORDER BY code LIMIT 1 OFFSET ?", (offset,)).fetchone()
        lon, lat = pyproj.Transformer.from_crs(store.srid, 4326, always_xy=True).transform(x, y)
    return x, y, lon, lat, grid


def a_component(path):
    with open_store(path) as store:
        return store.conn.execute("SELECT code FROM component_point WHERE currency = '在用' ORDER BY code "
                                  "LIMIT 1").fetchone()[0]


def post(service, path, body, key="k1", token=None):
    url, good, _ = service
    headers = {"Authorization": f"Bearer {token or good}"}
    if key:
        headers["Idempotency-Key"] = key
    return call(f"{url}{path}", "POST", body, headers)


def test_an_inspection_is_recorded_once_and_can_open_a_case(service):
    import base64

    _url, _token, path = service
    component = a_component(path)
    body = {"component_code": component, "condition": "破损", "note": "井盖破裂", "open_case": True,
            "inspected_at": (NOW - dt.timedelta(minutes=5)).isoformat() + "+08:00",
            "photo_base64": base64.b64encode(a_png(40, 30)).decode()}
    status, answer = post(service, "/inspections", body)
    assert status == 201 and answer["case"] and answer["id"]
    assert post(service, "/inspections", body) == (200, answer)  # a retry: the first inspection
    status, refused = post(service, "/inspections", {**body, "note": "另一次"})
    assert status == 422 and refused["field"] == "Idempotency-Key"
    with open_store(path) as store:
        row = store.conn.execute("SELECT condition, incident_code, at FROM inspection WHERE id = ?",
                                 (answer["id"],)).fetchone()
        assert tuple(row)[:2] == ("破损", answer["case"])
        assert str(row[2]) == (NOW - dt.timedelta(minutes=5)).isoformat()  # Beijing time as sent
        assert store.conn.execute("SELECT mime FROM inspection_photo WHERE inspection_id = ?",
                                  (answer["id"],)).fetchone()[0] == "image/png"
        assert store.conn.execute("SELECT component_code FROM incident WHERE code = ?",
                                  (answer["case"],)).fetchone()[0] == component
    intact = {"component_code": component, "condition": "完好", "inspected_at": NOW.isoformat()}
    status, answer = post(service, "/inspections", intact, key="k2")
    assert status == 201 and answer["case"] is None
    for bad, field, code in (({**intact, "component_code": "1506029999000001"}, "component_code", 422),
                             ({**intact, "condition": "很好"}, "condition", 422),
                             ({**intact, "open_case": True}, "open_case", 422),
                             ({**intact, "note": "a\x00b"}, "note", 422),
                             ({**intact, "inspected_at": (NOW - dt.timedelta(days=40)).isoformat()}, "inspected_at",
                              422)):
        status, refused = post(service, "/inspections", bad, key=f"bad-{field}")
        assert (status, refused["field"]) == (code, field), refused
    assert post(service, "/inspections", intact, key=None)[0] == 422
    assert post(service, "/inspections", intact, key="k3", token="nonsense")[0] == 401


def test_positions_in_phone_coordinates_are_corrected_and_retries_add_nothing(service):
    url, token, path = service
    x, y, lon, lat, grid = a_place(path, offset=3)
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    start = NOW - dt.timedelta(minutes=30)
    batch = [{"x": float(glon), "y": float(glat), "crs": "gcj02",
              "at": (start + dt.timedelta(seconds=10 * k)).isoformat(), "accuracy_m": 8} for k in range(100)]
    batch.append({"x": float(blon), "y": float(blat), "crs": "bd09",
                  "at": (start + dt.timedelta(seconds=1001)).isoformat()})
    headers = {"Authorization": f"Bearer {token}"}
    assert call(f"{url}/positions", "POST", {"positions": batch}, headers) == (200, {"accepted": 101, "duplicates": 0})
    assert call(f"{url}/positions", "POST", {"positions": batch}, headers) == (200, {"accepted": 0, "duplicates": 101})
    with open_store(path) as store:
        rows = store.conn.execute(f"SELECT {dialect.x_y(store)}, unit_grid_code FROM supervisor_position").fetchall()
    assert len(rows) == 101
    assert all(abs(r[0] - x) < 1 and abs(r[1] - y) < 1 and r[2] == grid for r in rows)  # not 500 m off
    status, refused = call(f"{url}/positions", "POST", {"positions": batch * 5}, headers)
    assert status == 422 and refused["field"].startswith("positions")
    late = [{**batch[0], "at": (NOW + dt.timedelta(hours=2)).isoformat()}]
    status, refused = call(f"{url}/positions", "POST", {"positions": [batch[1], *late]}, headers)
    assert (status, refused["field"]) == (422, "positions.1.at")
    status, refused = call(f"{url}/positions", "POST", {"positions": [{**batch[0], "x": 500}]}, headers)
    assert (status, refused["field"]) == (422, "positions.0")
    assert call(f"{url}/positions", "POST", {"positions": batch[:1]}, {"Authorization": "Bearer x"})[0] == 401


def test_openapi_lists_inspections_and_positions(service):
    url, _token, _path = service
    status, spec = call(f"{url}/openapi.json")
    assert status == 200 and {"/inspections", "/positions", "/reports"} <= set(spec["paths"])
    schema = spec["components"]["schemas"]
    assert schema["InspectionIn"]["properties"]["condition"]["enum"] == ["完好", "破损", "丢失", "占用"]
    assert schema["PositionIn"]["properties"]["crs"]["enum"] == ["wgs84", "gcj02", "bd09", "store"]
    assert schema["PositionsIn"]["properties"]["positions"]["maxItems"] == 500


@pytest.mark.parametrize("count", [500])
def test_a_full_batch_is_taken(service, count):
    url, token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    start = NOW - dt.timedelta(hours=1)
    batch = [{"x": lon, "y": lat, "crs": "wgs84", "at": (start + dt.timedelta(seconds=k)).isoformat()}
             for k in range(count)]
    assert call(f"{url}/positions", "POST", {"positions": batch}, {"Authorization": f"Bearer {token}"}) == \
        (200, {"accepted": count, "duplicates": 0})
