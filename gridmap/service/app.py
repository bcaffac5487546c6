"""The intake API: supervisors' devices POST reports, which become cases in one transaction.

Bad input answers 4xx with {"error": ..., "field": ...} and writes nothing: malformed JSON (400),
a missing or wrong token (401), an unknown case (404), an oversized body or photo (413), an unknown
class or a place outside the managed area (422). The same Idempotency-Key from the same device
returns the first case, never a duplicate.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import threading
from pathlib import Path
from typing import Literal

import pyproj
from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gridmap import __version__
from gridmap.domain.coords import to_wgs84
from gridmap.store import open_store
from gridmap.store.cases import IntakeError, Report, check_token, intake

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_PHOTO_BYTES = 2 * 1024 * 1024
LOCAL_TIME = dt.timezone(dt.timedelta(hours=8))  # case times are Beijing time, as the centre keeps them


class Location(BaseModel):
    x: float = Field(description="longitude for wgs84/gcj02/bd09, easting in metres for store")
    y: float = Field(description="latitude for wgs84/gcj02/bd09, northing in metres for store")
    crs: Literal["wgs84", "gcj02", "bd09", "store"] = Field(
        description="wgs84: GPS; gcj02: AMap/Tencent SDKs; bd09: Baidu SDK; store: the file's projected CRS")


class ReportIn(BaseModel):
    class_code: str = Field(description="event class, or the component's class for a component problem",
                            examples=["0102"])
    description: str = Field(default="", max_length=1000)
    location: Location
    reported_at: dt.datetime = Field(description="ISO 8601; without an offset it is Beijing time")
    component_code: str | None = Field(default=None, description="the component's ID for a component problem")
    photo_base64: str | None = Field(default=None, description=f"JPEG or PNG, at most {MAX_PHOTO_BYTES} bytes")
    source: Literal["patrol", "hotline", "video", "assigned", "self"] = "patrol"


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


def image_type(data: bytes) -> str | None:
    """The MIME type of a JPEG or PNG image from its signature, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message, "field": field})


def create_app(db_path: Path | str) -> FastAPI:
    """The API over the store at ``db_path`` (each worker thread opens its own connection)."""
    db_path = Path(db_path)
    local = threading.local()
    with open_store(db_path) as probe:  # fail at start, not at the first request, on a bad file
        srid = probe.srid
    to_store = pyproj.Transformer.from_crs(4326, srid, always_xy=True)
    app = FastAPI(title="gridmap intake", version=__version__,
                  description="Reports from supervisors' handheld devices become cases (数字城管 案件).")

    def store():
        if getattr(local, "store", None) is None:
            local.store = open_store(db_path)
        return local.store

    def device(authorization: str | None):
        if not authorization or not authorization.startswith("Bearer "):
            return None
        return check_token(store(), authorization.removeprefix("Bearer ").strip())

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return _error(413, f"the body is {length} bytes; at most {MAX_BODY_BYTES} are accepted", "body")
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return _error(400, f"malformed JSON: {first.get('ctx', {}).get('error', first.get('msg'))}", "body")
        field = ".".join(str(p) for p in first.get("loc", ())[1:]) or "body"
        return _error(422, f"{field}: {first.get('msg', 'invalid')}", field)

    @app.post("/reports", status_code=201, response_model=Created,
              responses={200: {"model": Created, "description": "the same Idempotency-Key again: the first case"},
                         400: {"model": Error}, 401: {"model": Error}, 413: {"model": Error}, 422: {"model": Error}})
    def post_report(report: ReportIn, authorization: str | None = Header(default=None),
                    idempotency_key: str | None = Header(default=None, max_length=128)):
        """Report a problem; answers the case code."""
        who = device(authorization)
        if who is None:
            return _error(401, "missing or unknown device token (Authorization: Bearer ...)", "Authorization")
        if not idempotency_key:
            return _error(422, "an Idempotency-Key header is required", "Idempotency-Key")
        photo, photo_mime = None, None
        if report.photo_base64:
            if len(report.photo_base64) > MAX_PHOTO_BYTES * 4 // 3 + 4:
                return _error(413, f"the photo is larger than {MAX_PHOTO_BYTES} bytes", "photo_base64")
            try:
                photo = base64.b64decode(report.photo_base64, validate=True)
            except (binascii.Error, ValueError):
                return _error(422, "photo_base64 is not base64", "photo_base64")
            photo_mime = image_type(photo)
            if photo_mime is None:
                return _error(422, "photo_base64 is not a JPEG or PNG image", "photo_base64")
        location = report.location
        if location.crs == "store":
            x, y = location.x, location.y
        else:
            if not (-180 <= location.x <= 180 and -90 <= location.y <= 90):
                return _error(422, "longitude/latitude out of range", "location")
            lon, lat = to_wgs84(location.x, location.y, location.crs)
            x, y = to_store.transform(float(lon), float(lat))
        moment = report.reported_at
        if moment.tzinfo is not None:
            moment = moment.astimezone(LOCAL_TIME).replace(tzinfo=None)
        try:
            code, created = intake(store(), Report(report.class_code, report.description, x, y,
                                                   moment.replace(microsecond=0), report.component_code,
                                                   report.source, photo, photo_mime or "image/jpeg"),
                                   token_id=who[0], staff_code=who[1], idempotency_key=idempotency_key)
        except IntakeError as exc:
            return _error(422, str(exc), exc.field)
        return JSONResponse(status_code=201 if created else 200, content={"code": code})

    @app.get("/incidents/{code}", response_model=IncidentState, responses={401: {"model": Error},
                                                                           404: {"model": Error}})
    def get_incident(code: str, authorization: str | None = Header(default=None)):
        """The state of a case the device reported."""
        who = device(authorization)
        if who is None:
            return _error(401, "missing or unknown device token (Authorization: Bearer ...)", "Authorization")
        row = store().conn.execute(
            "SELECT code, status, class_code, reported_at, registered_at, dispatched_at, deadline, handled_at, "
            "checked_at, closed_at, close_type, responsible_unit_code FROM incident WHERE code = ? AND "
            "reporter_staff_code = ?", (code, who[1])).fetchone()
        if row is None:
            return _error(404, f"no case {code} reported by this device", "code")
        keys = list(IncidentState.model_fields)
        return dict(zip(keys, tuple(row), strict=True))

    return app


def serve(db_path: Path | str, host: str = "127.0.0.1", port: int = 8750) -> None:
    """Run the API until interrupted."""
    import uvicorn  # noqa: PLC0415

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")
