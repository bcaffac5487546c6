"""The Open311 GeoReport v2 plugin (plugins/open311) over real HTTP on localhost, with the spec's field names:
services, a form-encoded request that becomes a case under the intake's rules, its state, and the errors in
the spec's shape."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import uvicorn

from gridmap import extensions
from gridmap.domain.coords import wgs84_to_gcj02
from gridmap.paths import PLUGINS_DIR
from gridmap.service.app import create_app
from gridmap.store import open_store
from gridmap.store.cases import create_token, supervisor_codes
from gridmap.store.reporters import reported_case_detail
from tests.service.conftest import a_token, free_port, running
from tests.service.test_intake import a_place


def call(url, method="GET", fields=None, headers=None, as_json=False):
    data = None
    headers = dict(headers or {})
    if fields is not None:
        if as_json:
            data, headers["Content-Type"] = json.dumps(fields).encode(), "application/json"
        else:
            data = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture
def open311(qapp, small_demo, monkeypatch):
    """The intake service with the shipped open311 plugin; yields (base URL, token, second token, store path)."""
    found = [e for e in extensions.discover([PLUGINS_DIR]) if e.name == "open311"]
    assert found and not found[0].error, found
    monkeypatch.setattr(extensions, "discover", lambda *a, **k: found)
    token = a_token(small_demo)
    with open_store(small_demo) as store:
        other = create_token(store, supervisor_codes(store)[1])
    port = free_port()
    with running(uvicorn.Config(create_app(small_demo), host="127.0.0.1", port=port, log_level="error")):
        yield f"http://127.0.0.1:{port}/open311/v2", token, other, small_demo


def is_error(answer, status):
    code, body = answer
    return code == status and isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


def test_services_are_the_event_classes_of_the_store_s_scheme(open311):
    url, *_ = open311
    status, services = call(f"{url}/services.json")
    assert status == 200
    garbage = next(s for s in services if s["service_code"] == "0102")
    assert garbage["service_name"] == "暴露垃圾" and garbage["group"] == "市容环境"
    assert garbage["metadata"] is False and garbage["type"] == "realtime" and "暴露垃圾" in garbage["keywords"]
    assert all(set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
               for s in services)


def test_a_form_encoded_request_becomes_a_case_its_reporter_can_read(open311):
    url, token, other, path = open311
    x, y, lon, lat, grid = a_place(path)
    status, answer = call(f"{url}/requests.json", "POST",
                          {"api_key": token, "service_code": "0102", "lat": f"{lat:.7f}", "long": f"{lon:.7f}",
                           "address_string": "人民路 12 号", "description": "暴露垃圾一堆",
                           "media_url": "http://example.invalid/photo.jpg"})
    assert status == 201, answer
    (created,) = answer
    assert set(created) == {"service_request_id", "service_notice", "account_id"} and created["account_id"] is None
    assert "media_url was not fetched" in created["service_notice"]
    case_id = created["service_request_id"]
    with open_store(path) as store:
        staff = supervisor_codes(store)[0]
        case = reported_case_detail(store, case_id, staff)
    assert case is not None and case["class_code"] == "0102" and case["unit_grid_code"] == grid
    assert abs(case["x"] - x) < 0.5 and abs(case["y"] - y) < 0.5  # in the store's CRS, where the WGS 84 point is
    assert "暴露垃圾一堆" in case["description"] and "人民路 12 号" in case["description"]

    status, answer = call(f"{url}/requests/{case_id}.json", headers={"Authorization": f"Bearer {token}"})
    assert status == 200, answer
    (state,) = answer
    assert state["service_request_id"] == case_id and state["status"] == "open"
    assert state["service_code"] == "0102" and state["service_name"] == "暴露垃圾"
    assert state["requested_datetime"].endswith("+08:00") and state["updated_datetime"]
    assert "expected_datetime" in state and "status_notes" in state and state["address"]
    assert abs(state["lat"] - lat) < 1e-5 and abs(state["long"] - lon) < 1e-5
    assert call(f"{url}/requests/{case_id}.json?api_key={token}")[0] == 200  # the spec's api_key works too
    # another device does not see it
    assert is_error(call(f"{url}/requests/{case_id}.json", headers={"Authorization": f"Bearer {other}"}), 404)


def test_gcj02_from_a_chinese_phone_is_corrected(open311):
    url, token, _, path = open311
    x, y, lon, lat, _ = a_place(path, offset=3)
    glon, glat = wgs84_to_gcj02(lon, lat)
    status, answer = call(f"{url}/requests.json", "POST",
                          {"service_code": "0102", "lat": float(glat), "long": float(glon), "crs": "gcj02"},
                          {"Authorization": f"Bearer {token}"}, as_json=True)
    assert status == 201, answer
    with open_store(path) as store:
        case = reported_case_detail(store, answer[0]["service_request_id"], supervisor_codes(store)[0])
    assert abs(case["x"] - x) < 0.5 and abs(case["y"] - y) < 0.5


def test_a_missing_or_bad_token_is_refused_in_the_spec_s_shape(open311):
    url, _, _, path = open311
    _, _, lon, lat, _ = a_place(path)
    fields = {"service_code": "0102", "lat": lat, "long": lon}
    assert is_error(call(f"{url}/requests.json", "POST", fields), 401)
    assert is_error(call(f"{url}/requests.json", "POST", {**fields, "api_key": "not-a-token"}), 401)
    assert is_error(call(f"{url}/requests.json", "POST", fields, {"Authorization": "Bearer nope"}), 401)
    assert is_error(call(f"{url}/requests/20260101000001.json"), 401)


def test_an_unknown_service_or_a_bad_place_is_refused_and_writes_nothing(open311):
    url, token, _, path = open311
    _, _, lon, lat, _ = a_place(path)
    with open_store(path) as store:
        before = store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]
    good = {"api_key": token, "service_code": "0102", "lat": lat, "long": lon}
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "service_code": "9999"}), 400)
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "lat": "north"}), 400)
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "lat": "95"}), 400)
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "lat": ""}), 400)
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "crs": "bj54"}), 400)
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "lat": 10.0, "long": 10.0}), 400)  # outside
    assert is_error(call(f"{url}/requests.json", "POST", {**good, "description": "x" * 1001}), 400)
    with open_store(path) as store:
        assert store.conn.execute("SELECT count(*) FROM incident").fetchone()[0] == before


def test_the_same_idempotency_key_gives_the_same_request_once(open311):
    url, token, _, path = open311
    _, _, lon, lat, _ = a_place(path, offset=1)
    fields = {"api_key": token, "service_code": "0102", "lat": lat, "long": lon, "description": "重复发送"}
    first = call(f"{url}/requests.json", "POST", fields, {"Idempotency-Key": "o311-a"})
    again = call(f"{url}/requests.json", "POST", fields, {"Idempotency-Key": "o311-a"})
    assert first[0] == 201 and again[0] == 200
    assert first[1][0]["service_request_id"] == again[1][0]["service_request_id"]
    assert is_error(call(f"{url}/requests.json", "POST", {**fields, "description": "另一件"},
                         {"Idempotency-Key": "o311-a"}), 409)  # the key of another request
    with open_store(path) as store:
        assert store.conn.execute("SELECT count(*) FROM incident WHERE description = '重复发送'").fetchone()[0] == 1
    # without a key every request is new: none is derived from the content
    third = call(f"{url}/requests.json", "POST", fields)
    assert third[0] == 201 and third[1][0]["service_request_id"] != first[1][0]["service_request_id"]


def test_the_plugin_is_found_among_the_shipped_ones(qapp):
    assert {"basemaps", "open311"} <= {e.name for e in extensions.discover([PLUGINS_DIR])}
