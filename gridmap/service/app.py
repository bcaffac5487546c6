"""The intake API: supervisors' devices POST reports, which become cases in one transaction.

Every error answers {"error": ..., "field": ...} and writes nothing: malformed JSON or a body that is
not UTF-8 (400), a missing, unknown, revoked or expired token (401, checked before the body is read),
an unknown case (404), a body slower than BODY_TIMEOUT_S (408), a body over MAX_BODY_BYTES, chunked
or not, or a photo over MAX_PHOTO_BYTES (413), an unknown class, a place outside the managed area, a
photo that is not a whole JPEG/PNG of at most 40 megapixels, a reported_at outside the accepted
window, or an Idempotency-Key reused for another report (422). The same Idempotency-Key from the same
device with the same report returns the first case (200), never a duplicate.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Literal

import pyproj
from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from gridmap import __version__
from gridmap.domain.calendar import CITY_TZ
from gridmap.domain.components import INSPECTION_CONDITIONS
from gridmap.domain.coords import to_wgs84
from gridmap.domain.roles import LEVELS
from gridmap.domain.workflow import SOURCES
from gridmap.service.photos import MAX_PHOTO_PIXELS, PhotoError, check_photo
from gridmap.store import open_store
from gridmap.store.cases import (
    REPORT_MAX_AGE,
    REPORT_MAX_AHEAD,
    IntakeError,
    Report,
    check_token,
    intake,
    reported_case,
)
from gridmap.store.connection import store_location
from gridmap.store.inspections import Inspection, record_inspection
from gridmap.store.positions import MAX_BATCH as MAX_POSITIONS
from gridmap.store.positions import Position, ingest

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_PHOTO_BYTES = 2 * 1024 * 1024
#: the whole body must arrive within this many seconds (a client sending 1 byte/s is cut off)
BODY_TIMEOUT_S = 20.0
AUTHORIZATION = "Bearer TOKEN: a device token from 'gridmap token create' (checked before the body is read)"
LOCAL_TIME = CITY_TZ  # case times are Beijing time, as the centre keeps them
#: the paths only a device with a valid token may use (and /incidents/{code})
DEVICE_PATHS = ("/reports", "/inspections", "/positions")


class Location(BaseModel):
    x: float = Field(description="longitude for wgs84/gcj02/bd09, easting in metres for store")
    y: float = Field(description="latitude for wgs84/gcj02/bd09, northing in metres for store")
    crs: Literal["wgs84", "gcj02", "bd09", "store"] = Field(
        description="wgs84: GPS; gcj02: AMap/Tencent SDKs; bd09: Baidu SDK; store: the file's projected CRS")


class ReportIn(BaseModel):
    class_code: str = Field(description="event class, or the component's class for a component problem",
                            examples=["0102"])
    description: str = Field(default="", max_length=1000,
                             description="free text; control characters other than tab and line breaks are refused")
    location: Location
    reported_at: dt.datetime = Field(
        description=f"ISO 8601; without an offset it is Beijing time. At most {REPORT_MAX_AGE.days} days ago and "
                    f"{int(REPORT_MAX_AHEAD.total_seconds() // 60)} minutes ahead of the centre's clock")
    component_code: str | None = Field(default=None, description="the component's ID for a component problem")
    photo_base64: str | None = Field(default=None, description=f"JPEG or PNG, at most {MAX_PHOTO_BYTES} bytes and "
                                                               f"{MAX_PHOTO_PIXELS // 1_000_000} megapixels")
    source: Literal[SOURCES] = "patrol"
    level: Literal[LEVELS] | None = Field(
        default=None, description="the level of the chain that receives the report: a grid manager's device may "
                                  "report to its grid group, community room or street station; without it the "
                                  "district centre receives it")


    @field_validator("description")
    @classmethod
    def _printable(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("contains a control character (such as NUL); send plain text")
        return value


def request_hash(report: ReportIn) -> str:
    """SHA-256 of the report as the device sent it. A report without a level hashes as it did before the
    field existed: a retry across the upgrade still finds its first case."""
    text = report.model_dump_json(exclude={"level"} if report.level is None else None)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class InspectionIn(BaseModel):
    component_code: str = Field(description="the inspected component's ID", examples=["1506020101000001"])
    condition: Literal[INSPECTION_CONDITIONS] = Field(description="what the supervisor found")
    note: str = Field(default="", max_length=1000,
                      description="free text; control characters other than tab and line breaks are refused")
    inspected_at: dt.datetime = Field(
        description=f"ISO 8601; without an offset it is Beijing time. At most {REPORT_MAX_AGE.days} days ago and "
                    f"{int(REPORT_MAX_AHEAD.total_seconds() // 60)} minutes ahead of the centre's clock")
    photo_base64: str | None = Field(default=None, description=f"JPEG or PNG, at most {MAX_PHOTO_BYTES} bytes")
    open_case: bool = Field(default=False, description="open a case on the component in the same step (only for a "
                                                       "condition other than 完好)")

    @field_validator("note")
    @classmethod
    def _printable(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("contains a control character (such as NUL); send plain text")
        return value


class InspectionCreated(BaseModel):
    id: int
    case: str | None = Field(description="the code of the case opened from it, if one was")


class PositionIn(BaseModel):
    x: float = Field(description="longitude for wgs84/gcj02/bd09, easting in metres for store")
    y: float = Field(description="latitude for wgs84/gcj02/bd09, northing in metres for store")
    crs: Literal["wgs84", "gcj02", "bd09", "store"]
    at: dt.datetime = Field(description="when the device was there; ISO 8601, without an offset Beijing time")
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000, description="the fix's accuracy in metres")


class PositionsIn(BaseModel):
    positions: list[PositionIn] = Field(max_length=MAX_POSITIONS,
                                        description=f"one device's positions, at most {MAX_POSITIONS} per request")


class PositionsAccepted(BaseModel):
    accepted: int = Field(description="positions added")
    duplicates: int = Field(description="positions already there (a batch sent again adds nothing)")


class Created(BaseModel):
    code: str


class IncidentState(BaseModel):
    code: str
    status: str
    class_code: str
    reported_at: str
    registered_at: str | None
    dispatched_at: str | None
    deadline: str | None
    handled_at: str | None
    checked_at: str | None
    closed_at: str | None
    close_type: str | None
    responsible_unit: str | None


class Error(BaseModel):
    error: str
    field: str | None = None


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message, "field": field})


class _RequestGuard:
    """ASGI middleware: the device token is checked before the body is read; the body is then read
    in full, bounded in size (chunked or not) and in time, and handed on."""

    def __init__(self, app, authenticate, body_timeout: float):
        self.app = app
        self.authenticate = authenticate
        self.body_timeout = body_timeout

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        headers = {k.lower(): v for k, v in scope["headers"]}
        if path in DEVICE_PATHS or path.startswith("/incidents/"):
            who = await run_in_threadpool(self.authenticate, headers.get(b"authorization", b"").decode("latin-1"))
            if who is None:
                await _error(401, "missing, unknown, revoked or expired device token (Authorization: Bearer ...)",
                             "Authorization")(scope, receive, send)
                return
            scope.setdefault("state", {})["device"] = who
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _error(400, "Content-Length is not a number", "body")(scope, receive, send)
                return
            if int(declared) > MAX_BODY_BYTES:
                await _error(413, f"the body is {int(declared)} bytes; at most {MAX_BODY_BYTES} are accepted",
                             "body")(scope, receive, send)
                return
        body = bytearray()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                await _error(408, f"the body did not arrive within {self.body_timeout:g} s", "body")(
                    scope, receive, send)
                return
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > MAX_BODY_BYTES:
                await _error(413, f"the body is over {MAX_BODY_BYTES} bytes; at most {MAX_BODY_BYTES} are accepted",
                             "body")(scope, receive, send)
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _photo(text: str | None):
    """(bytes, mime) of a base64 photo, (None, None) without one, or the error response."""
    if not text:
        return None, None
    if len(text) > MAX_PHOTO_BYTES * 4 // 3 + 4:
        return _error(413, f"the photo is larger than {MAX_PHOTO_BYTES} bytes", "photo_base64"), None
    try:
        # line-wrapped base64 (Android's Base64.DEFAULT) is still base64
        photo = base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        return _error(422, "photo_base64 is not base64", "photo_base64"), None
    if len(photo) > MAX_PHOTO_BYTES:
        return _error(413, f"the photo is larger than {MAX_PHOTO_BYTES} bytes", "photo_base64"), None
    try:
        return photo, check_photo(photo)
    except PhotoError as exc:
        return _error(422, f"photo_base64: {exc}", "photo_base64"), None


def _local(moment: dt.datetime) -> dt.datetime | None:
    """A device's time as the centre keeps it (Beijing, naive), or None when it cannot be."""
    try:
        if moment.tzinfo is not None:
            moment = moment.astimezone(LOCAL_TIME).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None
    return moment


class ServiceContext:
    """What a plugin's routes use from the intake: ``store()`` (this worker thread's connection),
    ``authenticate(authorization_header)`` → (token id, staff code) or None, ``to_store`` (a pyproj
    Transformer from WGS 84 to the store's CRS) and ``srid``."""

    def __init__(self, *, store, authenticate, to_store, srid: int):
        self.store = store
        self.authenticate = authenticate
        self.to_store = to_store
        self.srid = srid


def create_app(db_path: Path | str, *, body_timeout: float = BODY_TIMEOUT_S) -> FastAPI:
    """The API over the store at ``db_path``, a file or a PostGIS URI (each worker thread opens its own
    connection)."""
    db_path = store_location(str(db_path))
    local = threading.local()
    with open_store(db_path) as probe:  # fail at start, not at the first request, on a bad file
        srid = probe.srid
    to_store = pyproj.Transformer.from_crs(4326, srid, always_xy=True)
    app = FastAPI(title="gridmap intake", version=__version__, redirect_slashes=False,
                  description="Reports from supervisors' handheld devices become cases (数字城管 案件).")

    def store():
        if getattr(local, "store", None) is None:
            local.store = open_store(db_path)
        return local.store

    def authenticate(authorization: str):
        if not authorization.startswith("Bearer "):
            return None
        return check_token(store(), authorization.removeprefix("Bearer ").strip())

    app.add_middleware(_RequestGuard, authenticate=authenticate, body_timeout=body_timeout)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        # FastAPI's own errors (a body that is not UTF-8 or nests too deeply, an unknown path) in our shape
        field = "body" if exc.status_code == 400 else None
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 400:
            message = f"the body is not JSON in UTF-8 that can be read ({message})"
        return _error(exc.status_code, message, field)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return _error(400, f"malformed JSON: {first.get('ctx', {}).get('error', first.get('msg'))}", "body")
        loc = first.get("loc", ())
        field = ".".join(str(p) for p in loc[1:]) or "body"
        if loc and loc[0] == "header":  # headers by the name the API documents (Idempotency-Key)
            field = "-".join(part.capitalize() for part in field.replace("_", "-").split("-"))
        return _error(422, f"{field}: {first.get('msg', 'invalid')}", field)

    def to_store_xy(x: float, y: float, crs: str):
        """The store's x, y of a device's location, or None when longitude/latitude are out of range."""
        if crs == "store":
            return x, y
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            return None
        lon, lat = to_wgs84(x, y, crs)
        return to_store.transform(float(lon), float(lat))

    @app.post("/reports", status_code=201, response_model=Created,
              responses={200: {"model": Created, "description": "the same Idempotency-Key again: the first case"},
                         400: {"model": Error}, 401: {"model": Error}, 413: {"model": Error}, 422: {"model": Error}})
    def post_report(report: ReportIn, request: Request,
                    idempotency_key: str | None = Header(default=None, max_length=128),
                    authorization: str | None = Header(default=None, description=AUTHORIZATION)):
        """Report a problem; answers the case code."""
        del authorization  # checked by _RequestGuard before the body was read
        who = request.state.device
        if not idempotency_key:
            return _error(422, "an Idempotency-Key header is required", "Idempotency-Key")
        photo, photo_mime = _photo(report.photo_base64)
        if isinstance(photo, JSONResponse):
            return photo
        location = report.location
        xy = to_store_xy(location.x, location.y, location.crs)
        if xy is None:
            return _error(422, "longitude/latitude out of range", "location")
        x, y = xy
        moment = _local(report.reported_at)
        if moment is None:
            return _error(422, "reported_at is outside the accepted window", "reported_at")
        try:
            code, created = intake(store(), Report(report.class_code, report.description, x, y,
                                                   moment.replace(microsecond=0), report.component_code,
                                                   report.source, photo, photo_mime or "image/jpeg",
                                                   request_hash(report), report.level or "district"),
                                   token_id=who[0], staff_code=who[1], idempotency_key=idempotency_key)
        except IntakeError as exc:
            return _error(422, str(exc), exc.field)
        return JSONResponse(status_code=201 if created else 200, content={"code": code})

    @app.post("/inspections", status_code=201, response_model=InspectionCreated,
              responses={200: {"model": InspectionCreated,
                               "description": "the same Idempotency-Key again: the first inspection"},
                         400: {"model": Error}, 401: {"model": Error}, 413: {"model": Error}, 422: {"model": Error}})
    def post_inspection(inspection: InspectionIn, request: Request,
                        idempotency_key: str | None = Header(default=None, max_length=128),
                        authorization: str | None = Header(default=None, description=AUTHORIZATION)):
        """Record an inspection of a component (巡查); with open_case a condition other than 完好 opens a case on
        it in the same step. Answers the inspection's id and the case's code."""
        del authorization  # checked by _RequestGuard before the body was read
        who = request.state.device
        if not idempotency_key:
            return _error(422, "an Idempotency-Key header is required", "Idempotency-Key")
        photo, mime = _photo(inspection.photo_base64)
        if isinstance(photo, JSONResponse):
            return photo
        moment = _local(inspection.inspected_at)
        if moment is None:
            return _error(422, "inspected_at is outside the accepted window", "inspected_at")
        digest = hashlib.sha256(inspection.model_dump_json().encode("utf-8")).hexdigest()
        try:
            number, case, created = record_inspection(
                store(), Inspection(inspection.component_code, moment.replace(microsecond=0), inspection.condition,
                                    inspection.note, photo, mime or "image/jpeg", inspection.open_case, digest),
                staff_code=who[1], token_id=who[0], idempotency_key=idempotency_key)
        except IntakeError as exc:
            field = "inspected_at" if exc.field == "reported_at" else exc.field
            return _error(422, str(exc).replace("reported_at", "inspected_at"), field)
        return JSONResponse(status_code=201 if created else 200, content={"id": number, "case": case})

    @app.post("/positions", status_code=200, response_model=PositionsAccepted,
              responses={400: {"model": Error}, 401: {"model": Error}, 413: {"model": Error}, 422: {"model": Error}})
    def post_positions(batch: PositionsIn, request: Request,
                       authorization: str | None = Header(default=None, description=AUTHORIZATION)):
        """Positions of the device's supervisor, in time order or not; GCJ-02 and BD-09 are corrected as for
        reports. A position already received (same supervisor, same moment) is not added again, so a batch
        whose answer was lost can be sent again."""
        del authorization  # checked by _RequestGuard before the body was read
        who = request.state.device
        positions = []
        for index, given in enumerate(batch.positions):
            xy = to_store_xy(given.x, given.y, given.crs)
            if xy is None:
                return _error(422, "longitude/latitude out of range", f"positions.{index}")
            moment = _local(given.at)
            if moment is None:
                return _error(422, "at is outside the accepted window", f"positions.{index}.at")
            positions.append(Position(float(xy[0]), float(xy[1]), moment, given.accuracy_m))
        try:
            added, duplicates = ingest(store(), who[1], positions, token_id=who[0])
        except IntakeError as exc:
            return _error(422, str(exc), exc.field)
        return {"accepted": added, "duplicates": duplicates}

    @app.get("/incidents/{code}", response_model=IncidentState, responses={401: {"model": Error},
                                                                           404: {"model": Error}})
    def get_incident(code: str, request: Request,
                     authorization: str | None = Header(default=None, description=AUTHORIZATION)):
        """The state of a case the device reported."""
        del authorization  # checked by _RequestGuard
        who = request.state.device
        state = reported_case(store(), code, who[1])
        if state is None:
            return _error(404, f"no case {code} reported by this device", "code")
        return {"responsible_unit": state.pop("responsible_unit_code"), **state}

    # gridmap's plugins add their routes (docs/plugins.md): with the store, authentication and the CRS at hand
    from fastapi import APIRouter  # noqa: PLC0415

    from gridmap import extensions  # noqa: PLC0415

    router = APIRouter()
    extensions.run_hook(extensions.discover(), "service", router,
                        ServiceContext(store=store, authenticate=authenticate, to_store=to_store, srid=srid))
    app.include_router(router)
    return app


#: request headers (the first line to the blank line) must arrive within this many seconds of the
#: connection, or of the previous answer on a kept-alive connection; an idle connection is closed then
HEADER_TIMEOUT_S = 10.0
#: the environment variable through which worker processes learn the store (``gridmap serve --workers``)
STORE_VARIABLE = "GRIDMAP_STORE"


def _protocol_base():
    from uvicorn.protocols.http.h11_impl import H11Protocol  # noqa: PLC0415

    return H11Protocol


class HeaderTimeoutProtocol(_protocol_base()):
    """uvicorn's h11 protocol with a deadline for request headers (uvicorn has none: a client sending
    one header line a second held a connection for minutes). Module-level so worker processes can
    be given it."""

    timeout = HEADER_TIMEOUT_S

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._header_timer = self.loop.call_later(self.timeout, self._headers_too_slow)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle and self._header_timer is not None:  # a request's headers are in
            self._header_timer.cancel()
            self._header_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(self.timeout, self._headers_too_slow)

    def connection_lost(self, exc) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if not busy and not self.transport.is_closing():
            self.transport.close()


def server_config(db_path: Path | str, host: str = "127.0.0.1", port: int = 8750, *,
                  header_timeout: float = HEADER_TIMEOUT_S, body_timeout: float = BODY_TIMEOUT_S):
    """The uvicorn configuration the service runs with in one process: the API, and deadlines for
    headers and bodies."""
    import uvicorn  # noqa: PLC0415

    protocol = HeaderTimeoutProtocol
    if header_timeout != HEADER_TIMEOUT_S:
        protocol = type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"timeout": header_timeout})
    return uvicorn.Config(create_app(db_path, body_timeout=body_timeout), host=host, port=port,
                          log_level="warning", http=protocol, timeout_keep_alive=5)


def app_from_environment() -> FastAPI:
    """The API over the store named in GRIDMAP_STORE: what each worker process of
    ``gridmap serve --workers N`` runs."""
    location = os.environ.get(STORE_VARIABLE)
    if not location:
        raise RuntimeError(f"{STORE_VARIABLE} names no store")
    return create_app(location)


def serve(db_path: Path | str, host: str = "127.0.0.1", port: int = 8750, workers: int = 1) -> None:
    """Run the API until interrupted, in ``workers`` processes (each with a connection per thread: on
    PostGIS a pool of connections in all; on a file they take turns at the write lock)."""
    import uvicorn  # noqa: PLC0415

    if workers <= 1:
        uvicorn.Server(server_config(db_path, host, port)).run()
        return
    with open_store(store_location(str(db_path))):  # fail here, once, on a bad store
        pass
    os.environ[STORE_VARIABLE] = str(db_path)
    uvicorn.run("gridmap.service.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning", http=HeaderTimeoutProtocol, timeout_keep_alive=5)
