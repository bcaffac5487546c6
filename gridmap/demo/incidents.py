"""Three years of case history for the demo city.

Classes follow a realistic mix (exposed garbage, illegal parking and unlicensed
vendors lead; snow and ice only in winter, flooded roads in the rainy summer),
places cluster around hot spots (markets, schools, stations), and every case has
its step times: report, register, dispatch, handling feedback, on-site check,
close. Handling time is counted in working hours against the class's time limit
on the working calendar, so some cases close on time and some overdue.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.domain.calendar import WorkingCalendar, to_minutes
from gridmap.domain.classes import ClassTable
from gridmap.domain.workflow import SOURCES
from gridmap.paths import DATA_DIR

EVENT_MIX_CSV = DATA_DIR / "demo" / "event_mix.csv"
FULL_INCIDENTS = 150_000
HISTORY_DAYS = 3 * 365 + 1
_EPOCH = np.datetime64("2000-01-01T00:00", "m")
# Relative chance of a problem per component, by class (manhole covers and lamps fail most).
_FAILURE = {"01": 2.5, "0118": 2.0, "0305": 2.0, "0402": 0.25, "0403": 0.5}
_SEASON_MONTHS = {
    "winter": {11, 12, 1, 2, 3}, "summer": {6, 7, 8, 9}, "summer_rain": {7, 8},
    "spring": {3, 4, 5}, "autumn": {10, 11},
}
# Reports by hour of day: supervisors patrol 8:00-18:00, the hotline runs into the evening.
_HOURS = np.array([0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 3, 8, 10, 10, 8, 4, 4, 8, 9, 9, 7, 4, 2.5, 2, 1.5, 1, 0.5])


@dataclass
class IncidentHistory:
    columns: dict[str, np.ndarray]  # column name -> values (None for NULL)
    points: np.ndarray  # shapely points


def read_event_mix(path=EVENT_MIX_CSV) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _iso(minutes: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Minutes since 2000 → 'YYYY-MM-DDTHH:MM:SS' text, None where not valid."""
    text = np.datetime_as_string(_EPOCH + minutes.astype("timedelta64[m]"), unit="s").astype(object)
    text[~valid] = None
    return text


def _lognormal(rng, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(rng.normal(0.0, sigma, n))


def build_history(
    *,
    n: int,
    end: dt.datetime,
    rng: np.random.Generator,
    district: shapely.Geometry,
    blocks: list[shapely.Polygon],
    components: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    event_classes: ClassTable,
    component_classes: ClassTable,
    unit_codes: dict[str, str],
    calendar: WorkingCalendar,
    serials: dict[int, int] | None = None,
) -> IncidentHistory:
    """Generate ``n`` cases reported in the three years before ``end``.

    ``components`` maps geometry kind to (codes, class codes, representative
    points, maintainer unit codes). ``unit_codes`` maps the event mix's unit keys
    to responsible unit codes. Snapshot grid codes are filled in by the caller.
    ``serials`` (day → the last case serial of that day) holds what the districts built before
    used: this district's cases of a day are numbered after them, and it is updated.
    """
    start_day = np.datetime64(end.date(), "D") - HISTORY_DAYS + 1
    days = start_day + np.arange(HISTORY_DAYS)
    months = (days.astype("datetime64[M]").astype(int) % 12) + 1
    weekday = (days.astype(int) + 3) % 7
    base = np.linspace(0.8, 1.2, HISTORY_DAYS) * np.where(weekday >= 5, 0.75, 1.0)
    season_p = {"none": base / base.sum()}
    for season, month_set in _SEASON_MONTHS.items():
        w = base * np.where(np.isin(months, list(month_set)), 4.0, 0.08)
        season_p[season] = w / w.sum()

    n_component = round(n * 0.28)
    n_event = n - n_component

    # --- event cases -----------------------------------------------------------------
    mix = read_event_mix()
    weights = np.array([float(m["weight"]) for m in mix])
    pick = rng.choice(len(mix), n_event, p=weights / weights.sum())
    event_class = np.array([m["code"] for m in mix], dtype=object)[pick]
    event_unit = np.array([unit_codes[m["unit"]] for m in mix], dtype=object)[pick]
    event_day = np.empty(n_event, dtype=int)
    for season, p_day in season_p.items():
        sel = np.array([mix[k]["season"] == season for k in pick])
        event_day[sel] = rng.choice(HISTORY_DAYS, int(sel.sum()), p=p_day)
    event_xy = _event_places(n_event, rng, district, blocks)

    # --- component cases ---------------------------------------------------------------
    all_codes = np.concatenate([c[0] for c in components.values()])
    all_classes = np.concatenate([c[1] for c in components.values()])
    all_points = np.concatenate([c[2] for c in components.values()])
    all_maint = np.concatenate([c[3] for c in components.values()])
    rate = np.array([_FAILURE.get(c, _FAILURE.get(c[:2], 1.0)) for c in all_classes])
    chosen = rng.choice(len(all_codes), n_component, p=rate / rate.sum())
    comp_xy = shapely.get_coordinates(all_points[chosen]) + rng.normal(0, 1.0, (n_component, 2))
    outside = ~shapely.contains_xy(district, comp_xy[:, 0], comp_xy[:, 1])
    comp_xy[outside] = shapely.get_coordinates(all_points[chosen][outside])
    comp_day = rng.choice(HISTORY_DAYS, n_component, p=season_p["none"])

    kind = np.concatenate([np.full(n_event, "event", dtype=object), np.full(n_component, "component", dtype=object)])
    class_code = np.concatenate([event_class, all_classes[chosen].astype(object)])
    component_code = np.concatenate([np.full(n_event, None, dtype=object), all_codes[chosen].astype(object)])
    unit = np.concatenate([event_unit, all_maint[chosen].astype(object)])
    xy = np.concatenate([event_xy, comp_xy])
    day = np.concatenate([event_day, comp_day])
    hour = rng.choice(24, n, p=_HOURS / _HOURS.sum())
    reported = ((days[day] - _EPOCH.astype("datetime64[D]")).astype(int) * 1440
                + hour * 60 + rng.integers(0, 60, n)).astype(np.int64)

    # The last day runs up to ``end``: reports drawn later than that move into the hours before it.
    now = to_minutes(end)
    late = reported >= now
    reported[late] = now - rng.integers(1, 12 * 60, int(late.sum()))
    order = np.argsort(reported, kind="stable")
    kind, class_code, component_code, unit, xy, reported = (
        kind[order], class_code[order], component_code[order], unit[order], xy[order], reported[order])

    # --- the steps --------------------------------------------------------------------
    # event and component legacy codes overlap (0101 is both): look up by kind
    tables = {"event": event_classes, "component": component_classes}
    limit = np.array([tables[k][c].time_limit_hours for k, c in zip(kind, class_code, strict=True)])
    rejected = rng.random(n) < 0.04
    registered = reported + np.ceil(_lognormal(rng, 12, 0.6, n)).astype(np.int64)
    dispatched = registered + np.ceil(_lognormal(rng, 8, 0.6, n)).astype(np.int64)
    dispatched_ord = calendar.to_ordinal(dispatched)
    deadline = calendar.from_ordinal(dispatched_ord + np.round(limit * 60).astype(np.int64))
    unit_names = np.unique(unit.astype(str))
    speed = dict(zip(unit_names, rng.uniform(0.3, 0.75, len(unit_names)), strict=True))
    factor = np.array([speed[u] for u in unit.astype(str)])
    work = np.maximum(limit * 60 * factor * np.exp(rng.normal(0, 0.8, n)), 5).astype(np.int64)
    rework = rng.random(n) < 0.03
    work = work + np.where(rework, work // 2 + 30, 0)
    handled = calendar.from_ordinal(dispatched_ord + work)
    handled = np.maximum(handled, dispatched + 5)
    checked = handled + np.ceil(_lognormal(rng, 25, 0.7, n)).astype(np.int64)
    closed = checked + np.ceil(_lognormal(rng, 10, 0.5, n)).astype(np.int64)
    rejected_at = reported + np.ceil(_lognormal(rng, 15, 0.6, n)).astype(np.int64)
    on_hold = (~rejected) & (rng.random(n) < 0.001)

    has_reg = ~rejected & (registered <= now)
    has_disp = has_reg & (dispatched <= now)
    has_hand = has_disp & (handled <= now) & ~on_hold
    has_check = has_hand & (checked <= now)
    has_close = has_check & (closed <= now)
    status = np.full(n, "reported", dtype=object)
    status[has_reg] = "registered"
    status[has_disp] = "dispatched"
    status[has_disp & on_hold] = "on_hold"
    status[has_hand] = "handled"
    status[has_check] = "checked"
    status[has_close] = "closed"
    is_rejected = rejected & (rejected_at <= now)
    status[is_rejected] = "rejected"
    close_type = np.full(n, None, dtype=object)
    close_type[has_close] = np.where(handled[has_close] > deadline[has_close], "overdue", "normal")
    odd = has_close & (rng.random(n) < 0.015)
    close_type[odd] = np.where(rng.random(int(odd.sum())) < 0.65, "erroneous", "special")

    source = rng.choice(list(SOURCES), n, p=[0.78, 0.14, 0.05, 0.02, 0.01]).astype(object)  # in SOURCES order
    description = np.array([tables[k][c].name for k, c in zip(kind, class_code, strict=True)], dtype=object)
    codes = _case_codes(reported, serials if serials is not None else {})
    columns = {
        "code": codes,
        "class_code": class_code,
        "class_kind": kind,
        "component_code": component_code,
        "description": description,
        "source": source,
        "status": status,
        "close_type": close_type,
        "reported_at": _iso(reported, np.ones(n, dtype=bool)),
        "registered_at": _iso(registered, has_reg),
        "dispatched_at": _iso(dispatched, has_disp),
        "handled_at": _iso(handled, has_hand),
        "checked_at": _iso(checked, has_check),
        "closed_at": _iso(np.where(rejected, rejected_at, closed), has_close | is_rejected),
        "deadline": _iso(deadline, has_disp),
        "rework_count": (rework & has_hand).astype(int).tolist(),  # plain ints: sqlite3 stores numpy ints as BLOBs
        "responsible_unit_code": np.where(has_disp, unit, None),
    }
    return IncidentHistory(columns, shapely.points(xy))


def _case_codes(reported: np.ndarray, serials: dict[int, int]) -> np.ndarray:
    """Case codes YYYYMMDD + 6-digit number within the day, in report order, after ``serials`` (day → the
    last serial used), which is updated."""
    day = reported // 1440
    first = np.ones(len(day), dtype=bool)
    first[1:] = day[1:] != day[:-1]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(day)), 0))
    serial = np.arange(len(day)) - starts + 1
    if serials:
        serial = serial + np.array([serials.get(d, 0) for d in day.tolist()], dtype=serial.dtype)
    last = np.append(first[1:], True)  # the last case of each day
    serials.update(zip(day[last].tolist(), serial[last].tolist(), strict=True))
    dates = np.datetime_as_string(_EPOCH.astype("datetime64[D]") + day.astype("timedelta64[D]"), unit="D")
    return np.array([f"{d.replace('-', '')}{s:06d}" for d, s in zip(dates, serial, strict=True)], dtype=object)


def _event_places(n: int, rng, district, blocks) -> np.ndarray:
    """Event places: 60% around hot spots (markets, schools, stations), the rest anywhere."""
    block_arr = np.asarray(blocks, dtype=object)
    area = shapely.area(block_arr)
    centroids = shapely.get_coordinates(shapely.centroid(block_arr))
    mid = centroids.mean(axis=0)
    # hot spots favour the centre of the city
    closeness = np.exp(-np.linalg.norm(centroids - mid, axis=1) / 2500.0)
    n_spots = max(3, min(30, len(blocks) // 80))
    spots = centroids[rng.choice(len(blocks), n_spots, replace=False, p=closeness / closeness.sum())]
    spot_weight = rng.lognormal(0, 0.6, n_spots)
    spot_sigma = rng.uniform(100, 320, n_spots)
    out = np.empty((n, 2))
    todo = np.arange(n)
    while todo.size:
        m = todo.size
        hot = rng.random(m) < 0.6
        xy = np.empty((m, 2))
        s = rng.choice(n_spots, int(hot.sum()), p=spot_weight / spot_weight.sum())
        xy[hot] = spots[s] + rng.normal(0, 1, (len(s), 2)) * spot_sigma[s][:, None]
        b = rng.choice(len(blocks), int((~hot).sum()), p=area / area.sum())
        bounds = shapely.bounds(block_arr[b])
        xy[~hot] = bounds[:, :2] + rng.random((len(b), 2)) * (bounds[:, 2:] - bounds[:, :2])
        ok = shapely.contains_xy(district, xy[:, 0], xy[:, 1])
        out[todo[ok]] = xy[ok]
        todo = todo[~ok]
    return out
