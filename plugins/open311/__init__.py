"""Open311 GeoReport v2 on the intake service (a plugin, docs/plugins.md), so existing Open311 clients can
report to gridmap:

- ``GET  /open311/v2/services.json`` — the event classes of the store's class scheme as services;
- ``POST /open311/v2/requests.json`` — a service request (form-encoded, as the spec says, or JSON with the
  spec's field names) becomes a case through the same ``gridmap.store.cases.intake`` as ``POST /reports``;
- ``GET  /open311/v2/requests/{id}.json`` — a request the device itself reported.

The intake's rules hold: the device token (``Authorization: Bearer`` or the spec's ``api_key``), the
``Idempotency-Key`` header (the same key and the same request answer the first case; a request without one is
always new: no key is derived from its content), the body limits of the service, the description's limits, the
managed area, GCJ-02/BD-09 correction (the extra field ``crs``). ``media_url`` is not fetched. Errors answer in
the spec's shape ``[{"code": 400, "description": "..."}]``.
"""

# no "from __future__ import annotations": FastAPI must see the route parameters' types (imported in service())
import datetime as dt
import hashlib
import json
import math
import re
import uuid
from urllib.parse import parse_qsl

PLUGIN = {"name": "open311", "title": "Open311 GeoReport v2", "version": "1.0",
          "description": "Open311 GeoReport v2 on the intake service: services (the event classes), service "
                         "requests become cases under the intake's rules (token, Idempotency-Key, GCJ-02, limits)."}

PREFIX = "/open311/v2"
MAX_DESCRIPTION = 1000  # gridmap's limit for a report's text (the spec allows 4000)
MAX_ADDRESS = 250
MAX_KEY = 128
#: the coordinate systems the extra field ``crs`` may name: lat/long from Chinese phone map SDKs are GCJ-02
#: (AMap, Tencent) or BD-09 (Baidu), as for POST /reports
SYSTEMS = ("wgs84", "gcj02", "bd09")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BEIJING = dt.timezone(dt.timedelta(hours=8))


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def _answer(status: int, content):
    from fastapi.responses import JSONResponse  # noqa: PLC0415

    return JSONResponse(status_code=status, content=content)


def _error(status: int, description: str):
    return _answer(status, [{"code": status, "description": description}])


def _w3c(moment) -> str | None:
    """A stored case time (naive Beijing time, text or datetime) as the spec's W3C datetime with its offset."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(BEIJING) if moment.tzinfo else moment.replace(tzinfo=BEIJING)
        return moment.replace(microsecond=0).isoformat()
    return str(moment)


def parse_fields(body: bytes, content_type: str) -> dict[str, str]:
    """The request's fields from a form-encoded or JSON body (the first of a repeated form field)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Open311Error(400, "the body is not UTF-8") from None
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise Open311Error(400, f"malformed JSON: {exc}") from None
        if not isinstance(data, dict):
            raise Open311Error(400, "the JSON body must be an object of the spec's fields")
        return {str(k): ("" if v is None else str(v) if not isinstance(v, (dict, list)) else json.dumps(v))
                for k, v in data.items()}
    if kind in ("application/x-www-form-urlencoded", ""):
        fields: dict[str, str] = {}
        for name, value in parse_qsl(text, keep_blank_values=True):
            fields.setdefault(name, value)
        return fields
    raise Open311Error(415 if kind != "multipart/form-data" else 400,
                       f"send the fields form-encoded (application/x-www-form-urlencoded) or as JSON, not {kind} "
                       "(media is not uploaded: give a media_url)")


def _coordinate(fields: dict, name: str, limit: float) -> float:
    text = fields.get(name, "").strip()
    if not text:
        raise Open311Error(400, "lat and long are required: gridmap places a case by its point (address_string "
                                "alone is not geocoded)")
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number: {text[:40]!r}") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise Open311Error(400, f"{name} is out of range (-{limit:g}..{limit:g})")
    return value


def _text(fields: dict, name: str, limit: int) -> str:
    value = fields.get(name, "")
    if len(value) > limit:
        raise Open311Error(400, f"{name} is longer than {limit} characters")
    if _CONTROL.search(value):
        raise Open311Error(400, f"{name} contains a control character (such as NUL); send plain text")
    return value


def _token_header(authorization: str, api_key: str) -> str:
    """The Authorization header the intake checks: the one sent, else ``Bearer <api_key>``."""
    if authorization:
        return authorization
    return f"Bearer {api_key.strip()}" if api_key.strip() else ""


def service(router, context):
    import pyproj  # noqa: PLC0415
    from fastapi import Request  # noqa: PLC0415
    from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

    from gridmap.domain.calendar import city_now  # noqa: PLC0415
    from gridmap.domain.coords import to_wgs84  # noqa: PLC0415
    from gridmap.domain.workflow import CLOSED_STATUSES  # noqa: PLC0415
    from gridmap.store.cases import IntakeError, Report, intake  # noqa: PLC0415
    from gridmap.store.reporters import reportable_event_classes, reported_case_detail  # noqa: PLC0415

    to_wgs84_of_store = pyproj.Transformer.from_crs(context.srid, 4326, always_xy=True)
    unauthorised = (401, "missing, unknown, revoked or expired device token: send it as api_key or as "
                         "Authorization: Bearer <token> (gridmap token create)")

    def services():
        return [{"service_code": c["code"], "service_name": c["name"],
                 "description": f"{c['major_name']} / {c['name']}: time limit {c['time_limit_hours']:g} h",
                 "metadata": False, "type": "realtime", "keywords": ",".join((c["name"], c["major_name"], c["code"])),
                 "group": c["major_name"]} for c in reportable_event_classes(context.store())]

    def create(fields: dict, authorization: str, idempotency_key: str | None):
        who = context.authenticate(_token_header(authorization, fields.get("api_key", "")))
        if who is None:
            raise Open311Error(*unauthorised)
        if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_KEY:
            raise Open311Error(400, f"the Idempotency-Key header must have 1 to {MAX_KEY} characters")
        code = fields.get("service_code", "").strip()
        if not code:
            raise Open311Error(400, "service_code is required (GET services.json lists them)")
        classes = {c["code"] for c in reportable_event_classes(context.store())}
        if code not in classes:
            raise Open311Error(400, f"unknown service_code {code[:40]!r} (GET services.json lists them)")
        lat = _coordinate(fields, "lat", 90)
        lon = _coordinate(fields, "long", 180)
        system = (fields.get("crs") or "wgs84").strip().lower()
        if system not in SYSTEMS:
            raise Open311Error(400, f"crs must be one of {', '.join(SYSTEMS)} (the system of lat/long; "
                                    "wgs84 when not given)")
        description = _text(fields, "description", MAX_DESCRIPTION).strip()
        address = _text(fields, "address_string", MAX_ADDRESS).strip()
        media = fields.get("media_url", "").strip()
        wlon, wlat = to_wgs84(lon, lat, system)
        x, y = context.to_store.transform(float(wlon), float(wlat))
        sent = {k: fields.get(k, "") for k in ("service_code", "lat", "long", "crs", "address_string", "description",
                                               "media_url")}
        digest = hashlib.sha256(("open311 " + json.dumps(sent, sort_keys=True)).encode("utf-8")).hexdigest()
        text = "\n".join(part for part in (description, f"地址: {address}" if address else "") if part)
        try:
            case, created = intake(context.store(),
                                   Report(code, text, float(x), float(y), city_now(), request_hash=digest),
                                   token_id=who[0], staff_code=who[1],
                                   idempotency_key=idempotency_key or f"open311-{uuid.uuid4().hex}")
        except IntakeError as exc:
            raise Open311Error(409 if exc.field == "Idempotency-Key" else 400, str(exc)) from None
        notice = f"received as case {case}"
        if media:
            notice += "; media_url was not fetched (send the photo with the case app)"
        return (201 if created else 200), [{"service_request_id": case, "service_notice": notice,
                                            "account_id": None}]

    def status_of(request_id: str, authorization: str, api_key: str):
        who = context.authenticate(_token_header(authorization, api_key))
        if who is None:
            raise Open311Error(*unauthorised)
        case = reported_case_detail(context.store(), request_id, who[1])
        if case is None:
            raise Open311Error(404, f"no service request {request_id[:40]} reported by this device")
        lon, lat = to_wgs84_of_store.transform(case["x"], case["y"])
        notes = case["status"] + (f" ({case['close_type']})" if case["close_type"] else "")
        place = " ".join(p for p in (case["street_name"], case["community_name"],
                                     f"单元网格 {case['unit_grid_code']}" if case["unit_grid_code"] else None) if p)
        updated = case["updated_at"] or case["closed_at"] or case["reported_at"]
        return [{"service_request_id": case["code"],
                 "status": "closed" if case["status"] in CLOSED_STATUSES else "open",
                 "status_notes": notes, "service_name": case["class_name"], "service_code": case["class_code"],
                 "description": case["description"], "requested_datetime": _w3c(case["reported_at"]),
                 "updated_datetime": _w3c(updated), "expected_datetime": _w3c(case["deadline"]),
                 "address": place or None, "lat": round(lat, 7), "long": round(lon, 7)}]

    @router.get(f"{PREFIX}/services.json", tags=["open311"])
    def get_services():
        """Open311 GeoReport v2: the event classes of the store's class scheme as services."""
        return services()

    @router.post(f"{PREFIX}/requests.json", tags=["open311"])
    async def post_request(request: Request):
        """Open311 GeoReport v2: a service request becomes a case (form-encoded or JSON; token as api_key or
        Authorization: Bearer; optional Idempotency-Key header; optional crs = wgs84|gcj02|bd09)."""
        try:
            fields = parse_fields(await request.body(), request.headers.get("content-type", ""))
            if "api_key" not in fields and "api_key" in request.query_params:
                fields["api_key"] = request.query_params["api_key"]
            status, content = await run_in_threadpool(create, fields, request.headers.get("authorization", ""),
                                                      request.headers.get("idempotency-key"))
        except Open311Error as exc:
            return _error(exc.status, exc.description)
        return _answer(status, content)

    @router.get(PREFIX + "/requests/{request_id}.json", tags=["open311"])
    def get_request(request_id: str, request: Request):
        """Open311 GeoReport v2: a service request this device reported."""
        try:
            return status_of(request_id, request.headers.get("authorization", ""),
                             request.query_params.get("api_key", ""))
        except Open311Error as exc:
            return _error(exc.status, exc.description)
