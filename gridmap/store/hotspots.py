"""What a hotspot map reads from the store: cases per unit grid in a period, the current unit grids'
polygons, and the classes cases were reported in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gridmap.domain.errors import GridmapError
from gridmap.domain.hotspots import DEFAULT_ALPHA, Hotspot, hotspots, queen_neighbours
from gridmap.store.connection import Store
from gridmap.store.queries import geometries

_CLASS = re.compile(r"(?:(event|component):)?(\w+)")


@dataclass
class HotspotMap:
    """The result for a period: one Hotspot per current unit grid, their polygons (for a map), and the
    cases left out because their unit grid is no longer current."""

    since: dt.datetime
    until: dt.datetime
    classes: list[str]
    grids: list[Hotspot]
    polygons: dict
    cases: int
    not_current: int


def _class_condition(classes: list[str]) -> tuple[str, list]:
    """SQL and parameters for ``classes``: a code (of either kind) or ``event:CODE``/``component:CODE``."""
    parts, params = [], []
    for text in classes:
        match = _CLASS.fullmatch(text.strip())
        if match is None:
            raise GridmapError(f"class {text!r}: give a class code, or event:CODE / component:CODE")
        kind, code = match.groups()
        if kind:
            parts.append("(class_kind = ? AND class_code = ?)")
            params += [kind, code]
        else:
            parts.append("class_code = ?")
            params.append(code)
    return " OR ".join(parts), params


def case_counts(store: Store, since: dt.datetime, until: dt.datetime,
                classes: list[str] | None = None) -> dict[str, int]:
    """Cases reported in [since, until) per unit grid code they were reported in (of ``classes`` only, when
    given). Raises GridmapError on a malformed class."""
    sql = "SELECT unit_grid_code, count(*) FROM incident WHERE reported_at >= ? AND reported_at < ?"
    params: list = [since.isoformat(timespec="seconds"), until.isoformat(timespec="seconds")]
    if classes:
        condition, more = _class_condition(classes)
        sql += f" AND ({condition})"
        params += more
    return {code: n for code, n in store.conn.execute(sql + " GROUP BY unit_grid_code", params) if code}


def hotspot_map(store: Store, since: dt.datetime, until: dt.datetime, classes: list[str] | None = None,
                alpha: float = DEFAULT_ALPHA) -> HotspotMap:
    """Gi* per current unit grid for the cases of the period (domain/hotspots.py); raises GridmapError on
    an empty period (until ≤ since) or a malformed class, HotspotError on too few unit grids."""
    if until <= since:
        raise GridmapError(f"the period from {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} is empty")
    rows, polygons = geometries(store, "unit_grid", ["code"], "valid_to IS NULL")
    codes = [r[0] for r in rows]
    counts = case_counts(store, since, until, classes)
    current = {code: counts.get(code, 0) for code in codes}
    found = hotspots(current, queen_neighbours(codes, polygons), alpha)
    return HotspotMap(since, until, list(classes or []), found, dict(zip(codes, polygons, strict=True)),
                      sum(counts.values()), sum(n for c, n in counts.items() if c not in current))


def case_classes(store: Store) -> list[tuple[str, str, str]]:
    """(kind, code, name) of the classes cases were reported in, by kind and code."""
    rows = store.conn.execute(
        "SELECT DISTINCT i.class_kind, i.class_code, coalesce(e.name, c.name, '') FROM incident i "
        "LEFT JOIN event_class e ON i.class_kind = 'event' AND e.code = i.class_code "
        "LEFT JOIN component_class c ON i.class_kind = 'component' AND c.code = i.class_code "
        "ORDER BY 1 DESC, 2").fetchall()
    return [tuple(r) for r in rows]
