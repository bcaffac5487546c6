"""Opening a store file: SpatiaLite loaded, WAL, foreign keys, busy timeout, migrations.

Rule: nothing here (or anywhere in gridmap) opens the store file with Python's ``open()`` or copies it
with ``shutil``. On POSIX, closing *any* descriptor of a file drops every fcntl lock the process holds
on it, so a process that already has the store open would silently lose its SQLite locks; the next
program to close the file would then think it is the last user, checkpoint and delete the WAL under
the first one, and lose what that one commits afterwards. The header is checked through SQLite
itself, and copies go through SQLite's online backup (:func:`backup_store`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from gridmap.store import schema
from gridmap.store.errors import NotAStoreError, SchemaTooNewError, StoreBusyError, StoreError, StoreInUseError

BUSY_TIMEOUT_MS = 30_000
APPLICATION_ID = 0x47524D50  # "GRMP" in PRAGMA application_id marks a gridmap store


def _connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (see Store.transaction).
    # mode=rw: opening never creates a file that is not there.
    uri = f"{path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: cannot open the store file: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.enable_load_extension(True)
        conn.load_extension("mod_spatialite")
        conn.enable_load_extension(False)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise StoreError(
            f"cannot load SpatiaLite (mod_spatialite) for {path}: {exc}. "
            "Install the libsqlite3-mod-spatialite package (make setup does)."
        ) from exc
    # Loading mod_spatialite resets the busy handler; set it again (DESIGN.md, known traps).
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class StoreBase:
    """What the stores of both engines share: closing, use in a ``with`` block, the settings."""

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def srid(self) -> int:
        """The projected CRS (EPSG code) every geometry in this store uses."""
        return int(self.setting("srid"))

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A value of the gridmap_setting table, or ``default``."""
        row = self.conn.execute("SELECT value FROM gridmap_setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default


class Store(StoreBase):
    """An open gridmap store file (SpatiaLite; gridmap.store.postgis.connection.PgStore is the other engine).

    Use :meth:`transaction` for every write; reads may use :attr:`conn` directly.
    """

    engine = "spatialite"

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    @property
    def location(self) -> Path:
        """What open_store needs to open this store again (another thread or process)."""
        return self.path

    @property
    def label(self) -> str:
        """A short human name of the store: the file's name without its suffix."""
        return self.path.stem

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one IMMEDIATE transaction: all of it is written, or none.

        Raises StoreBusyError when another writer holds the lock past the busy timeout.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(f"{self.path} is being written by another program; try again") from exc
            raise
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def columns(self, source: str, numbers: list[str], texts: list[str]):
        """Whole columns of ``SELECT <numbers>, <texts> FROM <source>`` (constant SQL from our own code):
        an (n, len(numbers)) float array (NULL as NaN; integers exact, other numbers to the 15 digits SQLite
        writes) and an object array per text expression (NULL as ''), row by row aligned. Each column comes
        as one text, aggregated in one pass (so aligned) and parsed by numpy: a million rows fetched as
        Python tuples took twice as long."""
        import numpy as np  # noqa: PLC0415

        aggregates = [f"group_concat(coalesce({n}, 'nan'), ',')" for n in numbers]
        aggregates += [f"group_concat(coalesce({t}, ''), char(31))" for t in texts]
        row = self.conn.execute(f"SELECT count(*), {', '.join(aggregates)} FROM {source}").fetchone()
        count = row[0]
        values = np.empty((count, len(numbers)), dtype=np.float64)
        for k in range(len(numbers)):
            values[:, k] = np.fromstring(row[1 + k], sep=",") if count else []
        out = []
        for j in range(len(texts)):
            out.append(np.array(row[1 + len(numbers) + j].split("\x1f") if count else [], dtype=object))
            if len(out[-1]) != count:
                raise StoreError(f"{self.path}: a text value holds the separator U+001F")
        return values, out

    def finish_bulk_load(self) -> None:
        """After a bulk load: gather the query planner's statistics and the layers' (update_layer_statistics),
        and fold the WAL into the file."""
        self.conn.execute("ANALYZE")
        self.update_layer_statistics()
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def update_layer_statistics(self) -> None:
        """Each geometry table's row count and exact extent in SpatiaLite's geometry_columns_statistics.
        Without them QGIS's SpatiaLite provider has them computed the first time it opens a layer
        (UpdateLayerStatistics, with statistics of every field: 34 s for a ten-district city); this takes
        seconds (the R*Tree's extent would be faster, but its floats are rounded out by up to half a metre)."""
        tables = self.conn.execute("SELECT f_table_name, f_geometry_column FROM geometry_columns").fetchall()
        with self.transaction() as conn:
            for table, column in tables:
                count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                extent = conn.execute(f'SELECT min(MbrMinX("{column}")), min(MbrMinY("{column}")), '
                                      f'max(MbrMaxX("{column}")), max(MbrMaxY("{column}")) FROM "{table}"').fetchone()
                conn.execute("UPDATE geometry_columns_statistics SET last_verified = strftime('%Y-%m-%dT%H:%M:%fZ', "
                             "'now'), row_count = ?, extent_min_x = ?, extent_min_y = ?, extent_max_x = ?, "
                             "extent_max_y = ? WHERE f_table_name = ? AND f_geometry_column = ?",
                             (count, *extent, table, column))

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def _check_is_store(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotAStoreError(f"{path} is not a gridmap store: {exc}") from exc
    if app_id != APPLICATION_ID:
        raise NotAStoreError(
            f"{path} is an SQLite file but not a gridmap store (application_id {app_id:#x}); "
            "import its layers with 'gridmap import' instead"
        )


PG_PREFIXES = ("postgresql://", "postgres://")


def is_postgis(location: Path | str) -> bool:
    """True when ``location`` names a PostGIS database (postgresql://… or a libpq service, service=NAME)
    rather than a store file."""
    return isinstance(location, str) and (location.startswith(PG_PREFIXES) or location.startswith("service="))


def store_location(text: str) -> Path | str:
    """A store as the user names it: a PostGIS URI stays text (a Path would fold its '//'), else a Path."""
    return text if is_postgis(text) else Path(text)


def open_store(path: Path | str, *, migrate: bool = True):
    """Open an existing store, migrating it to the current schema: a SpatiaLite file, or a PostGIS
    database named by a ``postgresql://`` URI or ``service=NAME`` (see gridmap.store.postgis).

    Returns the Store. Raises StoreError when the file is missing, NotAStoreError
    when it is not a gridmap store (garbage, corrupted, another program's SQLite
    file), SchemaTooNewError when a newer gridmap wrote it.
    """
    if is_postgis(path):
        from gridmap.store.postgis.connection import open_pg_store  # noqa: PLC0415

        return open_pg_store(path, migrate=migrate)
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such store file")
    # The header is read by SQLite, never by open(): see the module docstring.
    conn = _connect(path)
    try:
        _check_is_store(conn, path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.CURRENT_VERSION:
            raise SchemaTooNewError(
                f"{path} has schema version {version}; this gridmap reads up to "
                f"{schema.CURRENT_VERSION}. Update gridmap."
            )
        if migrate and version < schema.CURRENT_VERSION:
            schema.migrate(conn, version)
        conn.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        conn.close()
        raise
    return Store(path, conn)


def ensure_not_in_use(path: Path | str) -> None:
    """Raise StoreInUseError when any program (the desktop, the intake service, QGIS) has ``path`` open.

    Asked of SQLite itself: an exclusive lock cannot be had while any other connection holds the file.
    Used before a file is replaced or deleted, which would lose what those programs commit afterwards.
    """
    path = Path(path)
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None)
    except sqlite3.OperationalError:
        return
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreInUseError(f"{path} is open in another program (the desktop, the intake service or QGIS); "
                                  "close it first") from exc
    except sqlite3.DatabaseError:
        pass  # not a database: nobody can have it open as one
    finally:
        conn.close()


def create_store(path: Path | str, srid: int, *, overwrite: bool = False):
    """Create a new, empty store in the projected CRS ``srid`` (an EPSG code in metres): a SpatiaLite
    file, or in an empty PostGIS database named by a ``postgresql://`` URI or ``service=NAME``.

    Returns the open Store. Raises StoreError when the file exists and
    ``overwrite`` is false, or when the CRS is unknown or not projected.
    """
    if is_postgis(path):
        from gridmap.store.postgis.connection import create_pg_store  # noqa: PLC0415

        return create_pg_store(path, srid, overwrite=overwrite)
    path = Path(path)
    if path.exists():
        if not overwrite:
            raise StoreError(f"{path} already exists")
        ensure_not_in_use(path)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, create=True)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(conn, 0, srid=srid)
    except BaseException:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
        raise
    return Store(path, conn)


def backup_store(store: Store, target: Path | str) -> Path:
    """Copy the open store, consistent and with everything committed so far, to ``target``.

    Uses SQLite's online backup, so the copy is whole even while other programs write, and the
    source's locks are never disturbed (a file copy with ``cp``/``shutil`` of a live WAL store can
    both miss committed data and drop this process's locks). Writes to ``target.partial`` and renames
    it, so a failed backup leaves no half file. Returns the target path. Raises StoreError when the
    target exists.
    """
    if getattr(store, "engine", "spatialite") != "spatialite":
        raise StoreError(f"{store.path} is a PostGIS database: back it up with pg_dump (or the centre's "
                         "PostgreSQL backups); 'gridmap backup' copies store files")
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose another name")
    if not target.parent.is_dir():
        raise StoreError(f"{target.parent} is not a folder; create it first")
    partial = target.with_name(target.name + ".partial")
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{partial}{suffix}")
    dest = sqlite3.connect(str(partial))
    try:
        store.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        dest.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(partial)
        raise
    dest.close()
    os.replace(partial, target)
    return target
