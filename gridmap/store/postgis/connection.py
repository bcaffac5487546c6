"""A PostGIS store: a psycopg connection behind the same small surface store code uses on SQLite.

Store code writes its SQL with ``?`` placeholders and reads rows by index or by column name; this
module translates the placeholders for psycopg and returns rows that behave like sqlite3.Row. Times
come back as ISO 8601 text, as the SpatiaLite file keeps them, so the domain code sees one format.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator

from gridmap.store.connection import StoreBase
from gridmap.store.errors import NotAllowedError, NotAStoreError, SchemaTooNewError, StoreBusyError, StoreError

APPLICATION = "gridmap"
LOCK_TIMEOUT_S = 30


class Row(tuple):
    """A result row read by position or by column name, like sqlite3.Row."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self.names.index(key))
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _text(value):
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())
    row_type = type("Row", (Row,), {"names": names})

    def make(values):
        return row_type(_text(v) for v in values)

    return make


# ? outside quoted strings and identifiers; % must be doubled for psycopg when there are parameters
_TOKENS = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%)")


def translate(sql: str) -> str:
    """SQLite-style ``?`` placeholders to psycopg's ``%s``; every literal ``%`` doubled (psycopg reads
    placeholders inside quoted text too); a ``?`` inside quoted text stays a question mark."""
    def swap(match):
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")
    return _TOKENS.sub(swap, sql)


class Cursor:
    """The part of sqlite3.Cursor store code uses: fetchone, fetchall, iteration, rowcount."""

    def __init__(self, cursor):
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int) -> list:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


def _plain_row_factory(cursor):
    def make(values):
        return tuple(_text(v) for v in values)
    return make


class PlainCursor:
    """sqlite3's ``conn.cursor()`` with ``row_factory = None``: plain tuples, for bulk reads by column."""

    def __init__(self, raw):
        self._cursor = raw.cursor(row_factory=_plain_row_factory)
        self.row_factory = None  # accepted and ignored: rows are plain tuples already

    def execute(self, sql: str, params=()) -> PlainCursor:
        if params:
            self._cursor.execute(translate(sql), tuple(params))
        else:
            self._cursor.execute(sql)
        return self

    @property
    def description(self):
        return [(c.name,) for c in self._cursor.description or ()]

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []


@contextlib.contextmanager
def _refusals():
    """The database refusing a user's role (grants, row-level security, the step rules) is a NotAllowedError
    with the server's reason, not a driver traceback."""
    import psycopg  # noqa: PLC0415

    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        reason = (exc.diag.message_primary or str(exc)).strip()
        raise NotAllowedError(f"the database refused: {reason}") from exc


class Connection:
    """The part of sqlite3.Connection store code uses, over psycopg in autocommit mode (transactions
    are begun and ended by PgStore.transaction, as on SQLite)."""

    engine = "postgis"

    def __init__(self, raw):
        self.raw = raw

    def cursor(self) -> PlainCursor:
        return PlainCursor(self.raw)

    def execute(self, sql: str, params=()) -> Cursor:
        cursor = self.raw.cursor(row_factory=_row_factory)
        with _refusals():
            if params:
                cursor.execute(translate(sql), tuple(params))
            else:
                cursor.execute(sql)
        return Cursor(cursor)

    def executemany(self, sql: str, rows) -> Cursor:
        cursor = self.raw.cursor(row_factory=_row_factory)
        with _refusals():
            cursor.executemany(translate(sql), [tuple(r) for r in rows])
        return Cursor(cursor)

    def close(self) -> None:
        self.raw.close()


class PgStore(StoreBase):
    """An open gridmap store on PostGIS. Same surface as the SpatiaLite Store: ``transaction()``
    for every write, ``conn`` for reads, ``setting``, ``srid``, ``schema_version``."""

    def columns(self, source: str, numbers: list[str], texts: list[str]):
        """Whole columns of ``SELECT <numbers>, <texts> FROM <source>`` (constant SQL from our own code):
        an (n, len(numbers)) float array (NULL as NaN) and an object array per text expression (NULL as
        ''), row by row aligned. Each column comes as one value, aggregated in one pass (so aligned): the
        doubles as their 8 bytes, the texts joined by U+001F; fetching a million rows as Python tuples, or
        a COPY read message by message, took seconds."""
        import numpy as np  # noqa: PLC0415

        aggregates = [f"string_agg(float8send(coalesce(({n})::float8, 'NaN'::float8)), ''::bytea)" for n in numbers]
        aggregates += [f"string_agg(coalesce(({t})::text, ''), chr(31))" for t in texts]
        row = self.conn.execute(f"SELECT count(*), {', '.join(aggregates)} FROM {source}").fetchone()
        count = row[0]
        values = np.empty((count, len(numbers)), dtype=np.float64)
        for k in range(len(numbers)):
            values[:, k] = np.frombuffer(bytes(row[1 + k] or b""), dtype=">f8")
        out = []
        for j in range(len(texts)):
            joined = row[1 + len(numbers) + j] or ""
            out.append(np.array(joined.split("\x1f") if count else [], dtype=object))
            if len(out[-1]) != count:
                raise StoreError(f"{self.location}: a text value holds the separator U+001F")
        return values, out

    engine = "postgis"

    def __init__(self, uri: str, conn: Connection):
        self.uri = uri
        self.path = _display(uri)  # what messages name: the URI without a password
        self.conn = conn

    @property
    def location(self) -> str:
        """What open_store needs to open this store again (another thread or process)."""
        return self.uri

    @property
    def label(self) -> str:
        """A short human name of the store: the database's name."""
        return self.conn.execute("SELECT current_database()").fetchone()[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Run the block in one transaction: all of it is written, or none.

        Raises StoreBusyError when a lock is not granted within LOCK_TIMEOUT_S.
        """
        import psycopg  # noqa: PLC0415

        self.conn.execute("BEGIN")
        try:
            yield self.conn
        except psycopg.errors.LockNotAvailable as exc:
            self.conn.execute("ROLLBACK")
            raise StoreBusyError(f"{self.path} is being written by someone else; try again") from exc
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def finish_bulk_load(self) -> None:
        """After a bulk load: gather the query planner's statistics."""
        self.conn.execute("ANALYZE")

    @property
    def schema_version(self) -> int:
        return int(self.setting("schema_version", "0"))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name")]


def _display(uri: str) -> str:
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1@", uri)


def _connect(uri: str) -> Connection:
    import psycopg  # noqa: PLC0415

    try:
        raw = psycopg.connect(uri, autocommit=True, application_name=APPLICATION, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise StoreError(f"{_display(uri)}: cannot connect: {str(exc).strip()}") from exc
    raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
    return Connection(raw)


def _is_store(conn: Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                             "AND table_name = 'gridmap_setting'").fetchone()) and bool(
        conn.execute("SELECT 1 FROM gridmap_setting WHERE key = 'application' AND value = ?",
                     (APPLICATION,)).fetchone())


def open_pg_store(uri: str, *, migrate: bool = True) -> PgStore:
    """Open the gridmap store in the database at ``uri``, migrating it to the current schema.

    Raises StoreError when the server cannot be reached, NotAStoreError when the database holds no
    gridmap store, SchemaTooNewError when a newer gridmap wrote it.
    """
    from gridmap.store.postgis import schema  # noqa: PLC0415

    conn = _connect(uri)
    try:
        if not _is_store(conn):
            raise NotAStoreError(f"{_display(uri)} holds no gridmap store; create one with 'gridmap demo --db "
                                 "URI' or create_store")
        store = PgStore(uri, conn)
        version = store.schema_version
        if version > schema.CURRENT_VERSION:
            raise SchemaTooNewError(f"{store.path} has schema version {version}; this gridmap reads up to "
                                    f"{schema.CURRENT_VERSION}. Update gridmap.")
        if migrate and version < schema.CURRENT_VERSION:
            schema.migrate(store, version)
    except BaseException:
        conn.close()
        raise
    return store


def create_pg_store(uri: str, srid: int, *, overwrite: bool = False) -> PgStore:
    """Create a gridmap store in the (empty) database at ``uri`` in the projected CRS ``srid``.

    Raises StoreError when the database already holds a store and ``overwrite`` is false, when it
    holds other tables, or when the CRS is unknown or not projected.
    """
    from gridmap.store.postgis import schema  # noqa: PLC0415

    conn = _connect(uri)
    try:
        store = PgStore(uri, conn)
        if _is_store(conn):
            if not overwrite:
                raise StoreError(f"{store.path} already holds a gridmap store")
            schema.drop_all(store)
        elif conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                          "AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' LIMIT 1").fetchone():
            raise StoreError(f"{store.path} holds other tables; create the store in an empty database")
        schema.create(store, srid)
    except BaseException:
        conn.close()
        raise
    return store
