"""The intake API over real HTTP on localhost, against a real store file."""

import base64
import datetime as dt
import json
import urllib.error
import urllib.request

import pyproj
import pytest

from gridmap.domain.calendar import city_now
from gridmap.domain.coords import gcj02_to_bd09, wgs84_to_gcj02
from gridmap.store import open_store
from gridmap.store.responsibility import load_routing


def call(url, method="GET", body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def a_place(path, offset=0):
    """A point well inside a unit grid, in the store CRS and as WGS84 longitude/latitude."""
    with open_store(path) as store:
        x, y, grid = store.conn.execute(
            "SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)), code FROM unit_grid WHERE valid_to IS NULL "
            "ORDER BY code LIMIT 1 OFFSET ?", (offset,)).fetchone()
        lon, lat = pyproj.Transformer.from_crs(store.srid, 4326, always_xy=True).transform(x, y)
    return x, y, lon, lat, grid


#: an hour ago in Beijing: reports must be recent (at most 30 days old, 10 minutes ahead)
REPORTED = city_now() - dt.timedelta(hours=1)


def report(lon, lat, crs="wgs84", **extra):
    return {"class_code": "0102", "description": "暴露垃圾", "location": {"x": lon, "y": lat, "crs": crs},
            "reported_at": REPORTED.isoformat() + "+08:00", **extra}


def post(service, body, key="k1", token=None, raw=None):
    url, good, _ = service
    headers = {"Authorization": f"Bearer {token or good}"}
    if key:
        headers["Idempotency-Key"] = key
    return call(f"{url}/reports", "POST", body, headers, raw)


def announce_huge_body(url, token):
    """Announce a 5 MB body, send a little of it, read the answer: the server refuses without reading it."""
    import http.client
    from urllib.parse import urlparse

    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    conn.putrequest("POST", "/reports")
    for name, value in (("Content-Type", "application/json"), ("Authorization", f"Bearer {token}"),
                        ("Idempotency-Key", "huge"), ("Content-Length", str(5 * 1024 * 1024))):
        conn.putheader(name, value)
    conn.endheaders()
    conn.send(b'{"description": "' + b"x" * 1000)
    response = conn.getresponse()
    result = response.status, json.loads(response.read())
    conn.close()
    return result


def a_png(width, height):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def count(path):
    with open_store(path) as store:
        return store.conn.execute("SELECT count(*) FROM incident").fetchone()[0]


def test_a_report_becomes_a_routed_case_in_the_right_grid(service):
    url, token, path = service
    x, y, lon, lat, grid = a_place(path)
    status, answer = post(service, report(lon, lat))
    assert status == 201
    code = answer["code"]
    assert code.startswith(REPORTED.strftime("%Y%m%d"))
    with open_store(path) as store:
        row = store.conn.execute("SELECT * FROM incident WHERE code = ?", (code,)).fetchone()
        table = load_routing(store)
        assert row["unit_grid_code"] == grid and row["status"] == "reported"
        assert row["responsible_unit_code"] == table.unit_for("event", "0102", row["community_code"],
                                                              row["responsibility_grid_code"])
        assert row["reported_at"] == REPORTED.isoformat()
        assert store.conn.execute("SELECT X(geom), Y(geom) FROM incident WHERE code = ?", (code,)).fetchone()[:] \
            == pytest.approx((x, y), abs=0.01)
    status, state = call(f"{url}/incidents/{code}", headers={"Authorization": f"Bearer {token}"})
    assert status == 200 and state["status"] == "reported" and state["code"] == code


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_phone_coordinates_are_corrected_before_projecting(service, crs):
    _url, _token, path = service
    x, y, lon, lat, _grid = a_place(path, 5)
    glon, glat = wgs84_to_gcj02(lon, lat)
    if crs == "bd09":
        glon, glat = gcj02_to_bd09(glon, glat)
    status, answer = post(service, report(float(glon), float(glat), crs), key=f"k-{crs}")
    assert status == 201
    with open_store(path) as store:
        px, py = store.conn.execute("SELECT X(geom), Y(geom) FROM incident WHERE code = ?", (answer["code"],)
                                    ).fetchone()[:]
    assert abs(px - x) < 0.5 and abs(py - y) < 0.5  # uncorrected, it would be hundreds of metres off


def test_the_same_idempotency_key_returns_the_first_case(service):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    before = count(path)
    first = post(service, report(lon, lat), key="same")
    second = post(service, report(lon, lat), key="same")
    assert first[0] == 201 and second[0] == 200 and first[1] == second[1]
    assert count(path) == before + 1


def test_a_component_problem_goes_to_its_maintainer(service):
    _url, _token, path = service
    with open_store(path) as store:
        code, cls, maintainer, x, y = store.conn.execute(
            "SELECT code, class_code, maintainer_unit_code, X(geom), Y(geom) FROM component_point LIMIT 1").fetchone()
    status, answer = post(service, {"class_code": cls, "component_code": code, "location": {"x": x, "y": y,
                          "crs": "store"}, "reported_at": REPORTED.isoformat()}, key="comp")
    assert status == 201
    with open_store(path) as store:
        row = store.conn.execute("SELECT class_kind, responsible_unit_code FROM incident WHERE code = ?",
                                 (answer["code"],)).fetchone()
    assert tuple(row) == ("component", maintainer)


@pytest.mark.parametrize(("case", "status", "field"), [
    ("malformed", 400, "body"), ("unknown_class", 422, "class_code"), ("outside", 422, "location"),
    ("no_token", 401, "Authorization"), ("bad_token", 401, "Authorization"), ("huge_body", 413, "body"),
    ("huge_photo", 413, "photo_base64"), ("bad_photo", 422, "photo_base64"), ("not_an_image", 422, "photo_base64"),
    ("no_key", 422, "Idempotency-Key"),
    ("missing_field", 422, "location"), ("wrong_component_class", 422, "class_code"),
])
def test_bad_input_answers_4xx_and_writes_nothing(service, case, status, field):
    url, token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    before = count(path)
    body = report(lon, lat)
    kwargs = {}
    if case == "malformed":
        kwargs["raw"] = b'{"class_code": "0102", '
    elif case == "unknown_class":
        body["class_code"] = "9999"
    elif case == "outside":
        body["location"] = {"x": 116.4, "y": 39.9, "crs": "wgs84"}  # Beijing, far outside Dongsheng
    elif case == "no_token":
        result = call(f"{url}/reports", "POST", body, {"Idempotency-Key": "x"})
    elif case == "bad_token":
        kwargs["token"] = "not-a-token"
    elif case == "huge_body":
        result = announce_huge_body(url, token)
    elif case == "huge_photo":
        body["photo_base64"] = base64.b64encode(b"\xff" * (2560 * 1024)).decode()  # over 2 MB, under the body limit
    elif case == "bad_photo":
        body["photo_base64"] = "not base64!"
    elif case == "not_an_image":
        body["photo_base64"] = base64.b64encode(b"%PDF-1.4 not a photo").decode()
    elif case == "no_key":
        kwargs["key"] = None
    elif case == "missing_field":
        del body["location"]
    elif case == "wrong_component_class":
        with open_store(path) as store:
            body["component_code"] = store.conn.execute("SELECT code FROM component_point WHERE class_code <> '0102' "
                                                        "LIMIT 1").fetchone()[0]
    if case not in ("no_token", "huge_body"):
        result = post(service, body, **kwargs)
    assert result[0] == status, result
    assert result[1]["field"] == field and result[1]["error"]
    assert count(path) == before


def test_a_photo_is_kept_with_the_case(service):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    photo = a_png(32, 24)
    status, answer = post(service, report(lon, lat, photo_base64=base64.b64encode(photo).decode()), key="photo")
    assert status == 201
    with open_store(path) as store:
        assert tuple(store.conn.execute("SELECT content, mime FROM incident_photo WHERE incident_code = ?",
                                        (answer["code"],)).fetchone()) == (photo, "image/png")


def test_a_device_sees_only_its_own_cases(service):
    url, token, _path = service
    status, answer = call(f"{url}/incidents/20240101000001", headers={"Authorization": f"Bearer {token}"})
    assert status == 404 and answer["field"] == "code"


def test_openapi_describes_the_report(service):
    url, _token, _path = service
    status, spec = call(f"{url}/openapi.json")
    assert status == 200 and "/reports" in spec["paths"]
    schema = spec["components"]["schemas"]
    assert schema["Location"]["properties"]["crs"]["enum"] == ["wgs84", "gcj02", "bd09", "store"]
    assert {"class_code", "location", "reported_at"} <= set(schema["ReportIn"]["required"])


def test_reported_time_without_offset_is_beijing_time(service):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    body = report(lon, lat)
    utc = REPORTED - dt.timedelta(hours=8)
    body["reported_at"] = utc.isoformat() + "Z"  # UTC + 8 h = Beijing
    status, answer = post(service, body, key="utc")
    with open_store(path) as store:
        stored = store.conn.execute("SELECT reported_at FROM incident WHERE code = ?", (answer["code"],)).fetchone()
    assert status == 201 and stored[0] == REPORTED.isoformat()


def test_a_device_may_say_which_level_receives_its_report(service):
    """Anyang's grid managers report to their grid group or community room; without a level a report goes
    to the district centre, as every 数字城管 report did (issue 14)."""
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    levels = {}
    for key, extra in (("to-grid", {"level": "grid"}), ("plain", {})):
        status, answer = post(service, report(lon, lat, **extra), key=key)
        assert status == 201, answer
        levels[key] = answer["code"]
    with open_store(path) as store:
        assert {k: store.conn.execute("SELECT level FROM incident WHERE code = ?", (c,)).fetchone()[0]
                for k, c in levels.items()} == {"to-grid": "grid", "plain": "district"}
    status, answer = post(service, report(lon, lat, level="city"), key="bad-level")
    assert status == 422 and answer["field"] == "level"


def test_a_report_without_a_level_keeps_the_request_hash_it_had_before_levels():
    """A device retrying across the upgrade sends the same body with the same key: its hash must be the one
    stored before the level field existed, or the retry would be refused as another report."""
    from gridmap.service.app import ReportIn, request_hash

    body = {"class_code": "0102", "description": "暴露垃圾", "location": {"x": 109.98, "y": 39.81, "crs": "wgs84"},
            "reported_at": "2026-11-27T09:00:00+08:00"}
    assert request_hash(ReportIn(**body)) == "0802317ba8feed812f98db51c7244e4c93d54c738c5ed08c5d18034dbdedc99f"
    assert request_hash(ReportIn(**body, level="district")) != request_hash(ReportIn(**body, level="grid"))
