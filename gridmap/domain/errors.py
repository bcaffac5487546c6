"""The project's own error types for data problems a user can act on.

Bugs are left to surface as ordinary exceptions; these carry a message that
names the file, table, row or value and what is wrong with it.
"""


class GridmapError(Exception):
    """Base class of every data problem gridmap reports to a user."""


class CodeError(GridmapError, ValueError):
    """A grid code, component ID or credit code that is malformed."""


class ClassTableError(GridmapError):
    """A class table file that cannot be read or is inconsistent."""


class CalendarError(GridmapError):
    """A working calendar file that cannot be read or is inconsistent."""
