"""How a GIS opens the store's tables as layers: the provider and connection of each engine, and the
SQL of the query layers the desktop draws. QGIS builds its data source from these; the store stays
free of QGIS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridmap.domain.workflow import CLOSED_STATUSES
from gridmap.store.dialect import is_postgis

#: libpq keywords QGIS's postgres provider understands in a data source
_PG_KEYWORDS = ("service", "host", "port", "dbname", "user", "password", "sslmode")


@dataclass(frozen=True)
class Source:
    """``provider`` is QGIS's provider key; ``connection`` a keyword string QgsDataSourceUri parses;
    ``schema`` the schema of the tables ('' for a file)."""

    provider: str
    connection: str
    schema: str


def _quoted(value) -> str:
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def source(store) -> Source:
    """The provider and connection that open ``store``'s tables as layers."""
    if not is_postgis(store):
        return Source("spatialite", f"dbname={_quoted(store.path)}", "")
    from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415

    parts = conninfo_to_dict(store.location)
    connection = " ".join(f"{key}={_quoted(parts[key])}" for key in _PG_KEYWORDS if parts.get(key) not in (None, ""))
    schema = store.conn.execute("SELECT current_schema()").fetchone()[0]
    return Source("postgres", connection, schema)


def incident_query(show_closed: bool = False, since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> str:
    """The SQL behind the incident layer: open cases (and closed ones on request) in a period.

    A query layer rather than a subset of the table: the provider then filters the few hundred open
    cases instead of joining the spatial index's hits of all 150,000 (130 ms → 5 ms at full extent on a
    file). Times are formatted here from datetimes, never taken from user text; the same SQL reads on
    both engines.
    """
    closed = ", ".join(f"'{s}'" for s in CLOSED_STATUSES)
    conditions = [] if show_closed else [f"status NOT IN ({closed})"]
    if since is not None:
        conditions.append(f"reported_at >= '{since:%Y-%m-%dT%H:%M:%S}'")
    if until is not None:
        conditions.append(f"reported_at < '{until:%Y-%m-%dT%H:%M:%S}'")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"(SELECT * FROM incident{where})"


def _moment(moment: dt.datetime | dt.date | str) -> dt.datetime:
    """A moment from a datetime, a date (its last millisecond: the register as the day ended) or ISO text."""
    if isinstance(moment, str):
        moment = dt.date.fromisoformat(moment) if len(moment) <= 10 else dt.datetime.fromisoformat(moment)
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(23, 59, 59, 999000))
    return moment


def register_on_query(table: str, moment: dt.datetime | dt.date | str) -> str:
    """The SQL behind a "register on a date" layer: the components of ``table`` in use at ``moment``.

    A current row counts unless a version it replaced ended after the moment (then that version, from the
    history table, counts instead); a row never changed in gridmap counts from its initial survey date.
    Ids of history rows are negated so the layer's ids stay unique. The moment is formatted here from a
    datetime, never taken from user text; the same SQL reads on both engines.
    """
    from gridmap.domain.register import VERSION_FIELDS  # noqa: PLC0415
    from gridmap.store.schema import HISTORY_TABLES  # noqa: PLC0415

    when = _moment(moment)
    at = f"'{when:%Y-%m-%dT%H:%M:%S}.{when.microsecond // 1000:03d}'"
    day = f"'{when:%Y-%m-%d}'"
    history = HISTORY_TABLES[table]
    c_columns = ", ".join(f"c.{k}" for k in VERSION_FIELDS)
    h_columns = ", ".join(f"h.{k}" for k in VERSION_FIELDS)
    return (f"(SELECT c.id, c.code, {c_columns}, c.geom FROM {table} c WHERE c.currency = '在用' "
            f"AND NOT EXISTS (SELECT 1 FROM {history} n WHERE n.code = c.code AND n.valid_to > {at}) "
            f"AND (c.initial_date IS NULL OR c.initial_date <= {day} "
            f"OR EXISTS (SELECT 1 FROM {history} e WHERE e.code = c.code)) "
            f"UNION ALL SELECT -h.id, h.code, {h_columns}, h.geom FROM {history} h WHERE h.valid_to > {at} "
            f"AND h.class_code IS NOT NULL AND h.currency = '在用' AND (h.valid_from <= {at} OR (h.valid_from IS NULL "
            f"AND (h.initial_date IS NULL OR h.initial_date <= {day}))))")


def case_query(since: dt.datetime, until: dt.datetime, classes: list[str] | None = None) -> str:
    """The SQL behind a heatmap of cases: every case reported in [since, until), of ``classes`` only when
    given (a code of either kind, or event:CODE / component:CODE). Times are formatted here from
    datetimes; a class must be a plain code (letters and digits), else GridmapError; the same SQL reads on
    both engines."""
    import re  # noqa: PLC0415

    from gridmap.domain.errors import GridmapError  # noqa: PLC0415

    conditions = [f"reported_at >= '{since:%Y-%m-%dT%H:%M:%S}'", f"reported_at < '{until:%Y-%m-%dT%H:%M:%S}'"]
    parts = []
    for text in classes or ():
        match = re.fullmatch(r"(?:(event|component):)?([0-9A-Za-z]+)", text.strip())
        if match is None:
            raise GridmapError(f"class {text!r}: give a class code, or event:CODE / component:CODE")
        kind, code = match.groups()
        parts.append(f"(class_kind = '{kind}' AND class_code = '{code}')" if kind else f"class_code = '{code}'")
    if parts:
        conditions.append(f"({' OR '.join(parts)})")
    return (f"(SELECT id, code, class_kind, class_code, status, reported_at, geom FROM incident "
            f"WHERE {' AND '.join(conditions)})")


def inspection_age_query(store, table: str, today: dt.date) -> str:
    """The SQL behind a "days since the last inspection" layer: the components of ``table`` in use, each with
    ``last_inspected`` and ``days`` (whole days from its last inspection to ``today``; NULL: never inspected).
    ``today`` is formatted here from a date, never taken from user text."""
    day = f"'{today:%Y-%m-%d}'"
    days = (f"(DATE {day} - CAST(i.last AS date))" if is_postgis(store)
            else f"CAST(julianday({day}) - julianday(substr(i.last, 1, 10)) AS INTEGER)")
    return (f"(SELECT c.id, c.code, c.class_code, c.name, c.unit_grid_code, i.last AS last_inspected, {days} AS days, "
            f"c.geom FROM {table} c LEFT JOIN (SELECT component_code, max(at) AS last FROM inspection "
            "GROUP BY component_code) i ON i.component_code = c.code WHERE c.currency = '在用')")
