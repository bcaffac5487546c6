"""The few SQL spellings that differ between the engines, in one place: store modules ask here for a
point, a coordinate or a point-in-polygon filter instead of writing SpatiaLite's or PostGIS's own.
Everything else in store/ is SQL both engines read alike (``?`` placeholders, ``"user"`` quoted).
"""

from __future__ import annotations


def is_postgis(store_or_conn) -> bool:
    """True for a PostGIS store or its connection (both carry ``engine``); sqlite3 objects do not."""
    return getattr(store_or_conn, "engine", "spatialite") == "postgis"


def epoch_seconds(store, column: str) -> str:
    """A timestamp column as seconds since 1970-01-01 (the naive time taken as it is), NULL when NULL: numpy
    reads a million numbers several times faster than the text or datetime objects of the times."""
    if is_postgis(store):
        return f"date_part('epoch', {column})"  # a double (extract() gives a numeric: 1.6x slower)
    import sqlite3  # noqa: PLC0415

    if sqlite3.sqlite_version_info >= (3, 38):
        return f"unixepoch({column})"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def point(store) -> str:
    """A point from three parameters (x, y, srid)."""
    return "ST_SetSRID(ST_MakePoint(?, ?), ?)" if is_postgis(store) else "MakePoint(?, ?, ?)"


def x_y(store, column: str = "geom") -> str:
    """The x and y of a point column, as two select expressions."""
    if is_postgis(store):
        return f"ST_X({column}), ST_Y({column})"
    return f"X({column}), Y({column})"


def centre_x_y(store, column: str = "geom") -> str:
    """The x and y of a point surely inside a geometry (its point on surface), as two select expressions."""
    if is_postgis(store):
        return f"ST_X(ST_PointOnSurface({column})), ST_Y(ST_PointOnSurface({column}))"
    return f"X(PointOnSurface({column})), Y(PointOnSurface({column}))"


def wkb(store, column: str = "geom") -> str:
    """A geometry column as WKB (a select expression)."""
    return f"ST_AsBinary({column})" if is_postgis(store) else f"AsBinary({column})"


def geom_from_wkb(store, srid: int | None = None) -> str:
    """A geometry from a WKB parameter, in ``srid`` (a number from our own code) or a second parameter."""
    srid_sql = str(int(srid)) if srid is not None else "?"
    return f"ST_GeomFromWKB(?, {srid_sql})" if is_postgis(store) else f"GeomFromWKB(?, {srid_sql})"


def blob_type(store) -> str:
    """The column type of raw bytes."""
    return "bytea" if is_postgis(store) else "BLOB"


def geom_from_column(store, expression: str, srid: int) -> str:
    """A geometry from a WKB column or expression of our own code, in ``srid``."""
    function = "ST_GeomFromWKB" if is_postgis(store) else "GeomFromWKB"
    return f"{function}({expression}, {int(srid)})"


def integrity_errors() -> tuple[type[Exception], ...]:
    """The exception types either engine raises when a constraint or a rule refuses a write."""
    import sqlite3  # noqa: PLC0415

    errors: list[type[Exception]] = [sqlite3.IntegrityError]
    try:
        import psycopg  # noqa: PLC0415
    except ImportError:  # PostGIS support not installed: SQLite's is the only one
        return tuple(errors)
    errors.append(psycopg.IntegrityError)
    return tuple(errors)


def bbox_meets(store, table: str, srid: int, alias: str = "") -> str:
    """A condition that a row's bounding box meets a box given as one WKB parameter, through the spatial
    index (the table's R*Tree on SpatiaLite, its GiST index on PostGIS)."""
    prefix = f"{alias}." if alias else ""
    if is_postgis(store):
        return f"{prefix}geom && ST_GeomFromWKB(?, {int(srid)})"
    return (f"{prefix}ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = '{table}' AND "
            "search_frame = GeomFromWKB(?))")


def contains_point(store, table: str, alias: str) -> tuple[str, int]:
    """A condition that ``alias``'s polygon contains a point given as (x, y, srid) parameters, using the
    table's spatial index; returns (SQL, how many times the three parameters are needed)."""
    if is_postgis(store):
        return f"ST_Contains({alias}.geom, ST_SetSRID(ST_MakePoint(?, ?), ?))", 1
    return (f"{alias}.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = '{table}' AND search_frame = "
            f"MakePoint(?, ?, ?)) AND Contains({alias}.geom, MakePoint(?, ?, ?))"), 2


def column_names(store, table: str) -> list[str]:
    """A table's column names in table order (``table`` is a name from our own code)."""
    if is_postgis(store):
        rows = store.conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                  "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))
        return [r[0] for r in rows]
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]


def lock_key(store, conn, text: str) -> None:
    """Serialise writers that use the same key until the transaction ends. SQLite's IMMEDIATE
    transactions already serialise every writer; PostgreSQL takes a transaction advisory lock."""
    if is_postgis(store):
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (text,))
