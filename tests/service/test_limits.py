"""The intake's limits over real HTTP (issue 10): tokens before bodies, request-bound idempotency keys,
bounded bodies (chunked too) and body time, decoded photos, the reported_at window, one error shape."""

import base64
import datetime as dt
import http.client
import io
import json
import select
import socket
import struct
import time
import zlib
from urllib.parse import urlparse

import pytest
import uvicorn
from PIL import Image

from gridmap.domain.calendar import city_now
from gridmap.service.app import MAX_BODY_BYTES, create_app
from gridmap.store import open_store
from gridmap.store.cases import create_token, revoke_tokens
from tests.service.conftest import a_token, free_port, running
from tests.service.test_intake import a_place, a_png, call, count, post, report


@pytest.fixture
def quick_service(small_demo):
    """The service with a 1.5 s body timeout, so a slow client is cut off quickly in a test."""
    port = free_port()
    with running(uvicorn.Config(create_app(small_demo, body_timeout=1.5), host="127.0.0.1", port=port,
                                log_level="error")):
        yield f"http://127.0.0.1:{port}", a_token(small_demo), small_demo


def raw_request(url, head: bytes, body_parts=(), pause=0.0, timeout=20):
    """Send a request by hand (headers, then body parts with a pause between); return (status, json)."""
    parts = urlparse(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head)
        for part in body_parts:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered already
            try:
                sock.sendall(part)
            except OSError:
                break  # the server answered and closed early: that is the point
            time.sleep(pause)
        data = b""
        while b"\r\n\r\n" not in data or len(data) < _content_end(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    header, _, body = data.partition(b"\r\n\r\n")
    return int(header.split()[1]), json.loads(body or b"null")


def _content_end(data):
    header, _, _ = data.partition(b"\r\n\r\n")
    for line in header.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(header) + 4 + int(line.split(b":")[1])
    return len(data) + 1


def head(method, path, token, extra=b""):
    return (f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nIdempotency-Key: raw\r\n").encode() + extra + b"\r\n"


# --- tokens ---------------------------------------------------------------------------------------


def test_the_token_is_checked_before_the_body_is_read(quick_service):
    url, _token, path = quick_service
    before = count(path)
    # a bad token announcing a 3 MB body that never comes: refused at once, not after the body timeout
    started = time.perf_counter()
    status, answer = raw_request(url, head("POST", "/reports", "not-a-token", b"Content-Length: 3000000\r\n"))
    assert status == 401 and answer["field"] == "Authorization"
    assert time.perf_counter() - started < 1.5
    # malformed JSON with a bad token: the token is the first thing wrong
    status, answer = call(f"{url}/reports", "POST", headers={"Authorization": "Bearer nope", "Idempotency-Key": "m"},
                          raw=b'{"class_code": ')
    assert status == 401 and answer["field"] == "Authorization"
    assert count(path) == before


def test_revoked_and_expired_tokens_are_refused(service):
    url, token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    assert post(service, report(lon, lat), key="before")[0] == 201
    with open_store(path) as store:
        staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code").fetchone()[0]
        old = create_token(store, staff, days=1, now=city_now() - dt.timedelta(days=2))
        assert revoke_tokens(store, staff_code=staff) == 2  # the fixture's and the old one
    assert post(service, report(lon, lat), key="after")[0] == 401
    status, answer = post(service, report(lon, lat), key="expired", token=old)
    assert status == 401 and "expired" in answer["error"]
    status, _ = call(f"{url}/incidents/20240101000001", headers={"Authorization": f"Bearer {token}"})
    assert status == 401


# --- idempotency ----------------------------------------------------------------------------------


def test_the_same_key_with_another_report_is_refused(service):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    first = post(service, report(lon, lat), key="K")
    again = post(service, report(lon, lat), key="K")
    before = count(path)
    other = post(service, report(lon, lat, description="另一处 暴露垃圾"), key="K")
    assert first[0] == 201 and again == (200, first[1])
    assert other[0] == 422 and other[1]["field"] == "Idempotency-Key" and first[1]["code"] in other[1]["error"]
    assert count(path) == before


def _token_and_place(store):
    """A supervisor, a new token of theirs and a point well inside a unit grid, for intake() calls."""
    staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1").fetchone()[0]
    create_token(store, staff)
    token_id = store.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
    x, y = store.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                              "WHERE valid_to IS NULL LIMIT 1").fetchone()
    return staff, token_id, x, y


def test_an_idempotency_key_is_forgotten_after_31_days(small_demo):
    from gridmap.store.cases import Report, intake

    with open_store(small_demo) as store:
        staff, token_id, x, y = _token_and_place(store)
        day0 = dt.datetime(2026, 1, 5, 10, 0)
        first, created = intake(store, Report("0102", "a", x, y, day0), token_id=token_id, staff_code=staff,
                                idempotency_key="old", now=day0)
        assert created
        later = day0 + dt.timedelta(days=32)
        second, created = intake(store, Report("0102", "b", x, y, later), token_id=token_id, staff_code=staff,
                                 idempotency_key="old", now=later)
        assert created and second != first
        assert store.conn.execute("SELECT count(*) FROM idempotency_key WHERE created_at < ?",
                                  (later - dt.timedelta(days=31),)).fetchone()[0] == 0


# --- bodies -----------------------------------------------------------------------------------------


def test_a_chunked_body_over_the_limit_is_refused(quick_service):
    url, token, path = quick_service
    before = count(path)
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    chunk = b" " * (256 * 1024)

    def body():
        for _ in range(4 * MAX_BODY_BYTES // len(chunk)):  # 16 MB, no Content-Length
            yield chunk

    try:
        conn.request("POST", "/reports", body=body(), encode_chunked=True,
                     headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "chunked",
                              "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        response = conn.getresponse()
        status, answer = response.status, json.loads(response.read())
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("the server closed the connection without answering 413")
    finally:
        conn.close()
    assert status == 413 and answer["field"] == "body"
    assert count(path) == before


def test_a_slow_body_is_cut_off(quick_service):
    url, token, path = quick_service
    before = count(path)
    started = time.perf_counter()
    status, answer = raw_request(url, head("POST", "/reports", token, b"Content-Length: 200\r\n"),
                                 [b"{"] * 200, pause=0.5)
    assert status == 408 and answer["field"] == "body"
    assert time.perf_counter() - started < 10
    assert count(path) == before


# --- photos -----------------------------------------------------------------------------------------


def a_jpeg(width=64, height=48):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 30)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def png_bomb(side=8000):
    """A small PNG whose header promises side² pixels of zeros (64 MP by default, ~70 KB on disk)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("case", "status"), [
    ("jpeg", 201), ("png", 201), ("jpeg_signature_then_garbage", 422), ("cut_jpeg", 422), ("png_bomb", 422),
])
def test_photos_are_decoded_before_they_are_stored(service, case, status):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    photo = {"jpeg": a_jpeg, "png": lambda: a_png(40, 30),
             "jpeg_signature_then_garbage": lambda: b"\xff\xd8\xff\xe0" + b"not an image at all" * 50,
             "cut_jpeg": lambda: a_jpeg(640, 480)[:2000], "png_bomb": png_bomb}[case]()
    assert len(photo) < 400_000
    before = count(path)
    result = post(service, report(lon, lat, photo_base64=base64.b64encode(photo).decode()), key=case)
    assert result[0] == status, result
    if status == 201:
        with open_store(path) as store:
            mime = store.conn.execute("SELECT mime FROM incident_photo WHERE incident_code = ?",
                                      (result[1]["code"],)).fetchone()[0]
        assert mime == ("image/jpeg" if case == "jpeg" else "image/png")
    else:
        assert result[1]["field"] == "photo_base64"
        assert count(path) == before


# --- reported_at and the error shape ------------------------------------------------------------------


@pytest.mark.parametrize("moment", [
    "0001-01-01T00:00:00", "0001-01-01T00:30:00+08:00", "0001-01-01T00:00:00-23:59", "9999-12-31T23:59:59",
    "9999-12-31T23:59:59+08:00", "31 days ago", "20 minutes ahead",
])
def test_reported_at_outside_the_window_is_refused(service, moment):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    now = city_now()
    if moment == "31 days ago":
        moment = (now - dt.timedelta(days=31)).isoformat()
    elif moment == "20 minutes ahead":
        moment = (now + dt.timedelta(minutes=20)).isoformat() + "+08:00"
    before = count(path)
    status, answer = post(service, {**report(lon, lat), "reported_at": moment}, key=f"t-{moment}")
    assert status == 422, answer
    assert answer["field"] == "reported_at"
    assert count(path) == before


def test_a_report_from_a_device_a_little_ahead_is_accepted(service):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    moment = (city_now() + dt.timedelta(minutes=5)).isoformat() + "+08:00"
    assert post(service, {**report(lon, lat), "reported_at": moment}, key="ahead")[0] == 201


@pytest.mark.parametrize("raw", [
    b'{"class_code": "0102", "description": "\xff\xfe bad utf-8"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"class_code": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
], ids=["invalid-utf8", "deep-array", "deep-object"])
def test_unreadable_bodies_answer_in_the_documented_shape(service, raw):
    _url, _token, path = service
    before = count(path)
    status, answer = post(service, None, key="raw", raw=raw)
    assert status in (400, 422) and set(answer) == {"error", "field"} and answer["error"]
    assert count(path) == before


def test_an_unknown_path_answers_in_the_documented_shape(service):
    url, _token, _path = service
    status, answer = call(f"{url}/nowhere")
    assert status == 404 and set(answer) == {"error", "field"}


# --- what a review of real devices found ------------------------------------------------------------


def an_mpo():
    """A JPEG carrying a second image (Android Ultra HDR, Samsung, iPhone gain maps: Pillow says MPO)."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), (1, 2, 3)), Image.new("RGB", (32, 24), (4, 5, 6))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


@pytest.mark.parametrize(("case", "status"), [
    ("mpo", 201), ("wrapped_base64", 201), ("jpeg_then_zip", 422), ("png_then_bytes", 422),
])
def test_real_phone_photos_and_smuggled_bytes(service, case, status):
    _url, _token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    photo = {"mpo": an_mpo, "wrapped_base64": a_jpeg,
             "jpeg_then_zip": lambda: a_jpeg() + b"PK\x03\x04" + b"\x00" * 5000,
             "png_then_bytes": lambda: a_png(20, 20) + b"more bytes after IEND"}[case]()
    encoded = base64.b64encode(photo).decode()
    if case == "wrapped_base64":
        encoded = "\n".join(encoded[k:k + 76] for k in range(0, len(encoded), 76))
    before = count(path)
    result = post(service, report(lon, lat, photo_base64=encoded), key=case)
    assert result[0] == status, result
    assert count(path) == before + (1 if status == 201 else 0)
    if status == 422:
        assert result[1]["field"] == "photo_base64"


def test_a_void_component_takes_no_reports(service):
    _url, _token, path = service
    with open_store(path) as store:
        code, cls, x, y = store.conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point "
                                             "LIMIT 1").fetchone()
        with store.transaction() as conn:
            conn.execute("UPDATE component_point SET currency = '作废' WHERE code = ?", (code,))
    status, answer = post(service, {"class_code": cls, "component_code": code, "reported_at": report(0, 0)[
        "reported_at"], "location": {"x": x, "y": y, "crs": "store"}}, key="void")
    assert status == 422 and answer["field"] == "component_code" and "void" in answer["error"]


def test_a_component_of_a_retired_maintainer_goes_to_its_successor(service):
    from gridmap.store.responsibility import retire_unit

    _url, _token, path = service
    with open_store(path) as store:
        code, cls, old, x, y = store.conn.execute(
            "SELECT code, class_code, maintainer_unit_code, X(geom), Y(geom) FROM component_point "
            "WHERE maintainer_unit_code IS NOT NULL LIMIT 1").fetchone()
        successor = store.conn.execute("SELECT code FROM responsible_unit WHERE code <> ? AND retired_at IS NULL "
                                       "LIMIT 1", (old,)).fetchone()[0]
        retire_unit(store, old, successor)
        with store.transaction() as conn:  # an import wrote the retired unit back (another program, say)
            conn.execute("UPDATE component_point SET maintainer_unit_code = ? WHERE code = ?", (old, code))
    status, answer = post(service, {"class_code": cls, "component_code": code, "reported_at": report(0, 0)[
        "reported_at"], "location": {"x": x, "y": y, "crs": "store"}}, key="retired")
    assert status == 201, answer
    with open_store(path) as store:
        unit = store.conn.execute("SELECT responsible_unit_code FROM incident WHERE code = ?",
                                  (answer["code"],)).fetchone()[0]
    assert unit == successor


def test_control_characters_slashes_and_header_names(service):
    url, token, path = service
    _x, _y, lon, lat, _grid = a_place(path)
    status, answer = post(service, report(lon, lat, description="井盖\x00破损"), key="nul")
    assert status == 422 and answer["field"] == "description"
    status, answer = call(f"{url}/reports/", "POST", report(lon, lat),
                          {"Authorization": f"Bearer {token}", "Idempotency-Key": "slash"})
    assert status in (404, 405) and set(answer) == {"error", "field"}
    status, answer = post(service, report(lon, lat), key="k" * 200)
    assert status == 422 and answer["field"] == "Idempotency-Key"


@pytest.fixture
def header_service(small_demo):
    """The service as 'gridmap serve' runs it, with a 1.5 s deadline for request headers."""
    from gridmap.service.app import server_config

    port = free_port()
    with running(server_config(small_demo, port=port, header_timeout=1.5)):
        yield port


def _closed_within(sock, seconds) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_slow_headers_and_idle_connections_are_closed(header_service):
    port = header_service
    idle = socket.create_connection(("127.0.0.1", port))
    slow = socket.create_connection(("127.0.0.1", port))
    started = time.perf_counter()
    slow.sendall(b"POST /reports HTTP/1.1\r\n")
    for line in (b"Host: x\r\n", b"Content-Type: application/json\r\n"):
        time.sleep(0.5)
        slow.sendall(line)
    assert _closed_within(idle, 5) and _closed_within(slow, 5)
    assert time.perf_counter() - started < 5
    idle.close()
    slow.close()
    # an ordinary request still goes through
    status, _ = call(f"http://127.0.0.1:{port}/openapi.json")
    assert status == 200


def test_an_expired_key_not_yet_purged_is_replaced(small_demo):
    """Expired keys are purged once a minute per connection; one still in the table must not turn a
    new report with the same key into an error."""
    from gridmap.store.cases import Report, intake

    with open_store(small_demo) as store:
        staff, token_id, x, y = _token_and_place(store)
        day0 = dt.datetime(2026, 1, 5, 10, 0)
        first, _ = intake(store, Report("0102", "a", x, y, day0), token_id=token_id, staff_code=staff,
                          idempotency_key="again", now=day0)
        later = day0 + dt.timedelta(days=40)
        store._keys_purged = later  # as if this connection had just purged: the expired row is still there
        second, created = intake(store, Report("0102", "b", x, y, later), token_id=token_id, staff_code=staff,
                                 idempotency_key="again", now=later)
        assert created and second != first
        assert store.conn.execute("SELECT incident_code FROM idempotency_key WHERE key = 'again'").fetchone()[0] \
            == second
