"""Errors of the store a user can act on."""

from gridmap.domain.errors import GridmapError


class StoreError(GridmapError):
    """The store file cannot be used as asked."""


class NotAStoreError(StoreError):
    """The file is not a gridmap store (not SQLite, corrupted, or another program's file)."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer gridmap than this one."""


class StoreBusyError(StoreError):
    """Another program holds the file's write lock for longer than the wait allows."""


class StoreInUseError(StoreError):
    """The file is open in another program, so it cannot be replaced or deleted now."""


class NotAllowedError(GridmapError):
    """The signed-in person's role or scope does not allow the action (on PostGIS: the database refused it)."""
