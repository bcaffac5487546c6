"""Schema versions (PRAGMA user_version) and the migrations between them.

Table names are the public contract: QGIS users and other bureaus see them as
layer names. docs/data-model.md documents every table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pyproj

from gridmap.domain.components import COMPONENT_CURRENCY, COMPONENT_STATES, INSPECTION_CONDITIONS, REGISTER_CHANGES
from gridmap.domain.roles import LEVELS, ROLES
from gridmap.domain.workflow import CLOSE_TYPES, SOURCES, STATUSES
from gridmap.store.errors import StoreError

CURRENT_VERSION = 10

#: geometry table -> (column, geometry type). Every one has an R*Tree index.
GEOMETRY_TABLES: dict[str, tuple[str, str]] = {
    "district": ("geom", "MULTIPOLYGON"),
    "street": ("geom", "MULTIPOLYGON"),
    "community": ("geom", "MULTIPOLYGON"),
    "responsibility_grid": ("geom", "MULTIPOLYGON"),
    "unit_grid": ("geom", "POLYGON"),
    "community_grid": ("geom", "MULTIPOLYGON"),
    "road": ("geom", "LINESTRING"),
    "component_point": ("geom", "POINT"),
    "component_line": ("geom", "LINESTRING"),
    "component_polygon": ("geom", "POLYGON"),
    "incident": ("geom", "POINT"),
}
#: geometry tables added by version 9 (issue 15): the register's previous versions, supervisors' positions
V9_GEOMETRY_TABLES: dict[str, tuple[str, str]] = {
    "component_point_history": ("geom", "POINT"),
    "component_line_history": ("geom", "LINESTRING"),
    "component_polygon_history": ("geom", "POLYGON"),
    "supervisor_position": ("geom", "POINT"),
}
#: every geometry table, whichever version added it
ALL_GEOMETRY_TABLES: dict[str, tuple[str, str]] = {**GEOMETRY_TABLES, **V9_GEOMETRY_TABLES}

COMPONENT_TABLES = {"point": "component_point", "line": "component_line", "polygon": "component_polygon"}
#: each component table's previous versions (version 9)
HISTORY_TABLES = {table: f"{table}_history" for table in COMPONENT_TABLES.values()}
# the words of the domain, owned there (one owner per constant)
INCIDENT_STATUSES = STATUSES
INCIDENT_SOURCES = SOURCES
COMMUNITY_GRID_ROLES = (
    "grid_leader", "party_secretary", "grid_manager", "police_officer",
    "property_manager", "law_enforcement", "volunteer",
)


def _in(values: tuple[str, ...]) -> str:
    # Constant CHECK lists built from our own tuples, never from user input.
    return "(" + ", ".join("'" + v + "'" for v in values) + ")"


_COMPONENT_COLUMNS = f"""
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) IN (16, 17)),
    class_code TEXT NOT NULL REFERENCES component_class(code),
    name TEXT,
    competent_unit_code TEXT REFERENCES responsible_unit(code),
    owner_unit_code TEXT REFERENCES responsible_unit(code),
    maintainer_unit_code TEXT REFERENCES responsible_unit(code),
    unit_grid_code TEXT,
    state TEXT NOT NULL DEFAULT '完好' CHECK (state IN {_in(COMPONENT_STATES)}),
    currency TEXT NOT NULL DEFAULT '在用' CHECK (currency IN {_in(COMPONENT_CURRENCY)}),
    initial_date DATE,
    change_date DATE,
    data_source TEXT,
    photo TEXT,
    note TEXT
"""

_V1_TABLES = f"""
CREATE TABLE gridmap_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE district (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
    name TEXT NOT NULL
);
CREATE TABLE street (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 9),
    district_code TEXT NOT NULL REFERENCES district(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'street' CHECK (kind IN ('street', 'town')),
    CHECK (substr(code, 1, 6) = district_code)
);
CREATE TABLE community (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 12),
    street_code TEXT NOT NULL REFERENCES street(code),
    name TEXT NOT NULL,
    CHECK (substr(code, 1, 9) = street_code)
);
CREATE TABLE responsibility_grid (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    note TEXT
);
CREATE TABLE unit_grid (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CHECK (length(code) = 15),
    community_code TEXT NOT NULL REFERENCES community(code),
    responsibility_grid_code TEXT REFERENCES responsibility_grid(code),
    area_m2 REAL NOT NULL CHECK (area_m2 > 0),
    valid_from DATETIME NOT NULL,
    valid_to DATETIME,
    CHECK (substr(code, 1, 12) = community_code),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX unit_grid_current_code ON unit_grid(code) WHERE valid_to IS NULL;
CREATE INDEX unit_grid_code_history ON unit_grid(code, valid_from);
CREATE INDEX unit_grid_responsibility ON unit_grid(responsibility_grid_code) WHERE valid_to IS NULL;
CREATE TABLE community_grid (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    level INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    parent_code TEXT REFERENCES community_grid(code),
    name TEXT NOT NULL,
    CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE TABLE road (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('arterial', 'local', 'river', 'rail')),
    name TEXT
);
CREATE TABLE component_class (
    code TEXT PRIMARY KEY,
    scheme TEXT NOT NULL CHECK (scheme IN ('legacy', 'gbt47678')),
    major_code TEXT NOT NULL,
    major_name TEXT NOT NULL,
    name TEXT NOT NULL,
    geometry TEXT NOT NULL CHECK (geometry IN ('point', 'line', 'polygon')),
    time_limit_hours REAL NOT NULL CHECK (time_limit_hours > 0),
    source TEXT
);
CREATE TABLE event_class (
    code TEXT PRIMARY KEY,
    scheme TEXT NOT NULL CHECK (scheme IN ('legacy', 'gbt47678')),
    major_code TEXT NOT NULL,
    major_name TEXT NOT NULL,
    name TEXT NOT NULL,
    time_limit_hours REAL NOT NULL CHECK (time_limit_hours > 0),
    source TEXT
);
CREATE TABLE responsible_unit (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    contact TEXT,
    retired_at DATETIME,
    successor_code TEXT REFERENCES responsible_unit(code)
);
CREATE TABLE component_point ({_COMPONENT_COLUMNS});
CREATE TABLE component_line ({_COMPONENT_COLUMNS});
CREATE TABLE component_polygon ({_COMPONENT_COLUMNS});
CREATE INDEX component_point_class ON component_point(class_code);
CREATE INDEX component_point_grid ON component_point(unit_grid_code);
CREATE INDEX component_line_class ON component_line(class_code);
CREATE INDEX component_line_grid ON component_line(unit_grid_code);
CREATE INDEX component_polygon_class ON component_polygon(class_code);
CREATE INDEX component_polygon_grid ON component_polygon(unit_grid_code);
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    title TEXT
);
CREATE TABLE supervisor_assignment (
    staff_code TEXT NOT NULL REFERENCES staff(code),
    responsibility_grid_code TEXT NOT NULL REFERENCES responsibility_grid(code),
    PRIMARY KEY (staff_code, responsibility_grid_code)
);
CREATE INDEX supervisor_assignment_grid ON supervisor_assignment(responsibility_grid_code);
CREATE TABLE community_grid_role (
    community_grid_code TEXT NOT NULL REFERENCES community_grid(code),
    role TEXT NOT NULL CHECK (role IN {_in(COMMUNITY_GRID_ROLES)}),
    staff_code TEXT NOT NULL REFERENCES staff(code),
    PRIMARY KEY (community_grid_code, role)
);
CREATE INDEX community_grid_role_staff ON community_grid_role(staff_code);
CREATE TABLE incident (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    class_code TEXT NOT NULL,
    class_kind TEXT NOT NULL CHECK (class_kind IN ('event', 'component')),
    component_code TEXT,
    description TEXT,
    source TEXT NOT NULL CHECK (source IN {_in(INCIDENT_SOURCES)}),
    status TEXT NOT NULL CHECK (status IN {_in(INCIDENT_STATUSES)}),
    close_type TEXT CHECK (close_type IS NULL OR close_type IN {_in(CLOSE_TYPES)}),
    reported_at DATETIME NOT NULL,
    registered_at DATETIME,
    dispatched_at DATETIME,
    handled_at DATETIME,
    checked_at DATETIME,
    closed_at DATETIME,
    deadline DATETIME,
    rework_count INTEGER NOT NULL DEFAULT 0,
    responsible_unit_code TEXT REFERENCES responsible_unit(code),
    reporter_staff_code TEXT REFERENCES staff(code),
    street_code TEXT,
    community_code TEXT,
    unit_grid_code TEXT,
    responsibility_grid_code TEXT,
    CHECK ((class_kind = 'component') = (component_code IS NOT NULL))
);
CREATE INDEX incident_reported_at ON incident(reported_at);
CREATE INDEX incident_status ON incident(status);
CREATE INDEX incident_open ON incident(reported_at) WHERE status NOT IN ('closed', 'rejected');
CREATE INDEX incident_unit_grid ON incident(unit_grid_code);
CREATE INDEX incident_responsibility_grid ON incident(responsibility_grid_code);
CREATE INDEX incident_component ON incident(component_code);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT,
    row_code TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
"""


def _check_srid(srid: int) -> None:
    try:
        crs = pyproj.CRS.from_epsg(srid)
    except pyproj.exceptions.CRSError as exc:
        raise StoreError(f"EPSG:{srid} is not a known coordinate reference system") from exc
    if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
        raise StoreError(
            f"EPSG:{srid} ({crs.name}) is not a projected CRS in metres; a store needs one "
            "(for example EPSG:4546, CGCS2000 / 3-degree Gauss-Kruger CM 111E)"
        )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated DDL inside the migration's transaction (executescript() would COMMIT first)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection, srid: int | None) -> None:
    if srid is None:
        raise StoreError("a new store needs a CRS")
    _check_srid(srid)
    # 'NONE' plus the few SRIDs we use is ~100x faster than the full EPSG table.
    conn.execute("SELECT InitSpatialMetadata(0, 'NONE')")
    for code in sorted({srid, 4326, 4490}):
        conn.execute("SELECT InsertEpsgSrid(?)", (code,))
    if not conn.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = ?", (srid,)).fetchone():
        raise StoreError(f"SpatiaLite does not know EPSG:{srid}")
    _run_script(conn, _V1_TABLES)
    for table, (column, geometry_type) in GEOMETRY_TABLES.items():
        ok = conn.execute(
            "SELECT AddGeometryColumn(?, ?, ?, ?, 'XY')", (table, column, srid, geometry_type)
        ).fetchone()[0]
        if not ok:
            raise StoreError(f"SpatiaLite could not add the geometry column of {table}")
        conn.execute("SELECT CreateSpatialIndex(?, ?)", (table, column))
    conn.execute("INSERT INTO gridmap_setting(key, value) VALUES ('srid', ?)", (str(srid),))


_V2_TABLES = """
CREATE TABLE plan_scenario (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    user TEXT NOT NULL,
    note TEXT
);
CREATE TABLE plan_scenario_assignment (
    scenario_id INTEGER NOT NULL REFERENCES plan_scenario(id) ON DELETE CASCADE,
    unit_grid_code TEXT NOT NULL,
    responsibility_grid_code TEXT NOT NULL REFERENCES responsibility_grid(code),
    PRIMARY KEY (scenario_id, unit_grid_code)
);
"""


def _v2(conn: sqlite3.Connection, _srid: int | None) -> None:
    """Named draft plans of the responsibility grid editor."""
    _run_script(conn, _V2_TABLES)


_V3_TABLES = """
CREATE TABLE routing_rule (
    id INTEGER PRIMARY KEY,
    class_code TEXT NOT NULL,
    class_kind TEXT NOT NULL CHECK (class_kind IN ('event', 'component')),
    area_kind TEXT NOT NULL CHECK (area_kind IN ('default', 'responsibility_grid', 'community')),
    area_code TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL REFERENCES responsible_unit(code),
    CHECK ((area_kind = 'default') = (area_code = '')),
    UNIQUE (class_kind, class_code, area_kind, area_code)
);
CREATE INDEX routing_rule_unit ON routing_rule(unit_code);
"""


def _v3(conn: sqlite3.Connection, _srid: int | None) -> None:
    """The routing table: which unit handles a class, by default and per area."""
    _run_script(conn, _V3_TABLES)


_V4_TABLES = """
CREATE TABLE device_token (
    id INTEGER PRIMARY KEY,
    staff_code TEXT NOT NULL REFERENCES staff(code),
    token_hash TEXT NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE TABLE idempotency_key (
    token_id INTEGER NOT NULL REFERENCES device_token(id),
    key TEXT NOT NULL,
    incident_code TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE TABLE incident_step (
    id INTEGER PRIMARY KEY,
    incident_code TEXT NOT NULL,
    action TEXT NOT NULL,
    at DATETIME NOT NULL,
    user TEXT NOT NULL,
    status_before TEXT,
    status_after TEXT,
    note TEXT
);
CREATE INDEX incident_step_code ON incident_step(incident_code);
CREATE TABLE incident_photo (
    incident_code TEXT PRIMARY KEY,
    content BLOB NOT NULL,
    mime TEXT NOT NULL
);
"""


def _v4(conn: sqlite3.Connection, _srid: int | None) -> None:
    """The intake service (device tokens, idempotency keys, photos) and the case step log."""
    _run_script(conn, _V4_TABLES)


def _no_reuse_triggers() -> str:
    """Triggers that keep a retired code retired (issue 10: codes are never reused)."""
    parts = ["""
CREATE TRIGGER unit_grid_code_not_retired BEFORE INSERT ON unit_grid
WHEN NEW.valid_to IS NULL AND EXISTS (SELECT 1 FROM retired_code WHERE kind = 'unit_grid' AND code = NEW.code)
BEGIN SELECT RAISE(ABORT, 'unit grid code is retired and can never be current again'); END;
CREATE TRIGGER unit_grid_code_not_reopened BEFORE UPDATE OF valid_to ON unit_grid
WHEN NEW.valid_to IS NULL AND EXISTS (SELECT 1 FROM retired_code WHERE kind = 'unit_grid' AND code = NEW.code)
BEGIN SELECT RAISE(ABORT, 'unit grid code is retired and can never be current again'); END;
CREATE TRIGGER incident_serial_follows AFTER INSERT ON incident
WHEN length(NEW.code) >= 14 AND substr(NEW.code, 1, 8) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
BEGIN INSERT INTO case_serial (day, last) VALUES (substr(NEW.code, 1, 8), CAST(substr(NEW.code, 9) AS INTEGER))
    ON CONFLICT (day) DO UPDATE SET last = max(last, excluded.last); END;
CREATE TRIGGER incident_never_deleted BEFORE DELETE ON incident
BEGIN SELECT RAISE(ABORT, 'cases are never deleted: close them (erroneous or special)'); END;
CREATE TRIGGER incident_code_fixed BEFORE UPDATE OF code ON incident WHEN NEW.code IS NOT OLD.code
BEGIN SELECT RAISE(ABORT, 'a case code never changes'); END;
"""]
    for table in ("component_point", "component_line", "component_polygon"):
        parts.append(f"""
CREATE TRIGGER {table}_code_not_retired BEFORE INSERT ON {table}
WHEN EXISTS (SELECT 1 FROM retired_code WHERE kind = 'component' AND code = NEW.code)
BEGIN SELECT RAISE(ABORT, 'component code is retired and can never be used again'); END;
CREATE TRIGGER {table}_void_stays_void BEFORE UPDATE OF currency ON {table}
WHEN OLD.currency = '作废' AND NEW.currency IS NOT '作废'
BEGIN SELECT RAISE(ABORT, 'a void (作废) component stays void; register a new component instead'); END;
CREATE TRIGGER {table}_code_fixed BEFORE UPDATE OF code ON {table} WHEN NEW.code IS NOT OLD.code
BEGIN SELECT RAISE(ABORT, 'a component code never changes'); END;
CREATE TRIGGER {table}_retire_on_void AFTER UPDATE OF currency ON {table} WHEN NEW.currency = '作废'
BEGIN INSERT OR IGNORE INTO retired_code (kind, code, retired_at) VALUES ('component', NEW.code,
    strftime('%Y-%m-%dT%H:%M:%S', 'now', '+8 hours')); END;
CREATE TRIGGER {table}_retire_on_delete AFTER DELETE ON {table}
BEGIN INSERT OR IGNORE INTO retired_code (kind, code, retired_at) VALUES ('component', OLD.code,
    strftime('%Y-%m-%dT%H:%M:%S', 'now', '+8 hours')); END;
""")
    return "".join(parts)


_V5_TABLES = """
ALTER TABLE device_token ADD COLUMN expires_at DATETIME;
ALTER TABLE device_token ADD COLUMN last_used_at DATETIME;
UPDATE device_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%S', created_at, '+180 days');
ALTER TABLE idempotency_key ADD COLUMN request_hash TEXT;
CREATE INDEX idempotency_key_created ON idempotency_key(created_at);
CREATE TABLE case_serial (
    day TEXT PRIMARY KEY CHECK (length(day) = 8),
    last INTEGER NOT NULL CHECK (last >= 0)
);
INSERT INTO case_serial (day, last)
    SELECT substr(code, 1, 8), max(CAST(substr(code, 9) AS INTEGER)) FROM incident
    WHERE length(code) >= 14 AND substr(code, 1, 8) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
    GROUP BY substr(code, 1, 8);
CREATE TABLE retired_code (
    kind TEXT NOT NULL CHECK (kind IN ('unit_grid', 'component')),
    code TEXT NOT NULL,
    retired_at DATETIME NOT NULL,
    reason TEXT,
    PRIMARY KEY (kind, code)
);
INSERT INTO retired_code (kind, code, retired_at)
    SELECT 'unit_grid', code, max(valid_to) FROM unit_grid GROUP BY code HAVING count(valid_to) = count(*);
INSERT OR IGNORE INTO retired_code (kind, code, retired_at)
    SELECT 'component', code, coalesce(change_date, '1970-01-01') FROM component_point WHERE currency = '作废'
    UNION ALL SELECT 'component', code, coalesce(change_date, '1970-01-01') FROM component_line WHERE currency = '作废'
    UNION ALL SELECT 'component', code, coalesce(change_date, '1970-01-01') FROM component_polygon
    WHERE currency = '作废';
"""


def drop_timestamp_triggers(conn: sqlite3.Connection, tables=None) -> None:
    """Drop SpatiaLite's per-row timestamp triggers (tmi_/tmu_/tmd_<table>_<column>).

    Each rewrites geometry_columns_time once per inserted, updated or deleted row, whatever column
    changed: it made a 99,000-row import's write 3.5x slower (0.70 s → 0.20 s without), holding the
    write lock the intake service waits on. Neither QGIS nor gridmap reads that timestamp.
    SpatiaLite recreates the triggers with every CreateSpatialIndex, so bulk loads call this again.
    """
    for table in tables if tables is not None else ALL_GEOMETRY_TABLES:
        column = ALL_GEOMETRY_TABLES[table][0]
        for prefix in ("tmi", "tmu", "tmd"):
            conn.execute(f'DROP TRIGGER IF EXISTS "{prefix}_{table}_{column}"')


def _v5(conn: sqlite3.Connection, _srid: int | None) -> None:
    """Nothing acknowledged is lost, no code is reused: token expiry and last use, idempotency keys bound
    to the request, a case serial per day that cannot overflow, retired codes kept retired; and no
    per-row timestamp triggers holding the write lock (drop_timestamp_triggers)."""
    _run_script(conn, _V5_TABLES + _no_reuse_triggers())
    drop_timestamp_triggers(conn)


def _v6(_conn: sqlite3.Connection, _srid: int | None) -> None:
    """Live case announcements. On PostGIS, triggers NOTIFY the desktops of new and changed cases
    (gridmap.store.postgis.schema); a file has one desk, which keeps looking for new cases itself."""


#: version 7 (issue 14, centre mode): the people who sign in and their roles, a row version on each case
#: so two desks cannot overwrite each other's step, and the level of the chain a case is handled at
_V7_TABLES = f"""
CREATE TABLE app_user (
    login TEXT PRIMARY KEY,
    staff_code TEXT NOT NULL REFERENCES staff(code),
    role TEXT NOT NULL CHECK (role IN {_in(ROLES)}),
    unit_code TEXT REFERENCES responsible_unit(code),
    street_code TEXT,
    created_at DATETIME NOT NULL,
    disabled_at DATETIME
);
CREATE INDEX app_user_staff ON app_user(staff_code);
ALTER TABLE incident ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN level TEXT NOT NULL DEFAULT 'district' CHECK (level IN {_in(LEVELS)});
ALTER TABLE incident_step ADD COLUMN level TEXT;
CREATE INDEX incident_level ON incident(level) WHERE level <> 'district';
"""


def _v7(conn: sqlite3.Connection, _srid: int | None) -> None:
    """Centre mode: people and roles, case row versions, case levels."""
    _run_script(conn, _V7_TABLES)


def _v8(_conn: sqlite3.Connection, _srid: int | None) -> None:
    """Live presence. On PostGIS, a trigger announces each audit entry (grid commits, unit changes) to
    the desks (gridmap.store.postgis.schema); a file's one desk reads its audit log itself."""


def _history_table(table: str) -> str:
    return f"""
CREATE TABLE {table}_history (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    class_code TEXT,
    name TEXT,
    competent_unit_code TEXT,
    owner_unit_code TEXT,
    maintainer_unit_code TEXT,
    unit_grid_code TEXT,
    state TEXT,
    currency TEXT,
    initial_date DATE,
    change_date DATE,
    data_source TEXT,
    photo TEXT,
    note TEXT,
    material TEXT,
    valid_from DATETIME,
    valid_to DATETIME NOT NULL,
    change TEXT NOT NULL CHECK (change IN {_in(REGISTER_CHANGES)}),
    user TEXT NOT NULL,
    reason TEXT,
    CHECK (valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX {table}_history_code ON {table}_history(code, valid_to);
CREATE INDEX {table}_history_valid_to ON {table}_history(valid_to);
"""


#: version 9 (issue 15, the asset register): the previous versions of every component changed in gridmap,
#: a class-specific material, inspections of components (with a photo), supervisors' positions
_V9_TABLES = "".join(f"ALTER TABLE {table} ADD COLUMN material TEXT;\n" for table in COMPONENT_TABLES.values()) + \
    "".join(_history_table(table) for table in COMPONENT_TABLES.values()) + f"""
CREATE TABLE inspection (
    id INTEGER PRIMARY KEY,
    component_code TEXT NOT NULL,
    at DATETIME NOT NULL,
    staff_code TEXT NOT NULL REFERENCES staff(code),
    condition TEXT NOT NULL CHECK (condition IN {_in(INSPECTION_CONDITIONS)}),
    note TEXT,
    unit_grid_code TEXT,
    responsibility_grid_code TEXT,
    incident_code TEXT,
    token_id INTEGER REFERENCES device_token(id),
    idempotency_key TEXT,
    request_hash TEXT,
    recorded_at DATETIME NOT NULL
);
CREATE INDEX inspection_component ON inspection(component_code, at);
CREATE INDEX inspection_at ON inspection(at);
CREATE UNIQUE INDEX inspection_idempotency ON inspection(token_id, idempotency_key) WHERE token_id IS NOT NULL;
CREATE TABLE inspection_photo (
    inspection_id INTEGER PRIMARY KEY REFERENCES inspection(id),
    content BLOB NOT NULL,
    mime TEXT NOT NULL
);
CREATE TABLE supervisor_position (
    id INTEGER PRIMARY KEY,
    staff_code TEXT NOT NULL REFERENCES staff(code),
    at DATETIME NOT NULL,
    received_at DATETIME NOT NULL,
    accuracy_m REAL,
    unit_grid_code TEXT,
    UNIQUE (staff_code, at)
);
CREATE INDEX supervisor_position_at ON supervisor_position(at);
"""


def _v9(conn: sqlite3.Connection, _srid: int | None) -> None:
    """The asset register (issue 15): component history, material, inspections, supervisors' positions."""
    _run_script(conn, _V9_TABLES)
    srid = int(conn.execute("SELECT value FROM gridmap_setting WHERE key = 'srid'").fetchone()[0])
    for table, (column, geometry_type) in V9_GEOMETRY_TABLES.items():
        ok = conn.execute(
            "SELECT AddGeometryColumn(?, ?, ?, ?, 'XY')", (table, column, srid, geometry_type)
        ).fetchone()[0]
        if not ok:
            raise StoreError(f"SpatiaLite could not add the geometry column of {table}")
        conn.execute("SELECT CreateSpatialIndex(?, ?)", (table, column))
    drop_timestamp_triggers(conn, list(V9_GEOMETRY_TABLES))


#: a component's own name with its class: the search walks the distinct names (gridmap.store.search); its
#: unit grid with its currency: the evaluation counts the components in use per grid from the index alone;
#: its class with its code: a class's first 50 by code are read from the index, not sorted out of 100,000
_V10_INDEXES = "".join(f"CREATE INDEX {table}_name ON {table}(name, class_code);\n"
                       f"DROP INDEX {table}_grid;\n"
                       f"CREATE INDEX {table}_grid ON {table}(unit_grid_code, currency);\n"
                       f"DROP INDEX {table}_class;\n"
                       f"CREATE INDEX {table}_class ON {table}(class_code, code);\n"
                       for table in COMPONENT_TABLES.values())


def _v10(conn: sqlite3.Connection, _srid: int | None) -> None:
    """City scale (issue 17): indexes that spare reading a million component rows, for a search by name and
    for the evaluation's components per grid."""
    _run_script(conn, _V10_INDEXES)


MIGRATIONS: dict[int, Callable[..., None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7, 8: _v8,
                                              9: _v9, 10: _v10}


def migrate(conn: sqlite3.Connection, from_version: int, *, srid: int | None = None) -> None:
    """Bring the schema from ``from_version`` to CURRENT_VERSION, one transaction per step."""
    for version in range(from_version + 1, CURRENT_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn, srid)
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
