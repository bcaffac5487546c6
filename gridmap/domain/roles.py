"""People's roles in a centre (issue 14) and the levels of the Anyang-style chain a case climbs.

A role says what a person may do; the store enforces it (PostGIS: database roles, grants and
row-level security; a file: the app, advisory). The matrix of role × action is in docs/roles.md.
"""

from __future__ import annotations

#: the roles a person signs in with
ROLES = ("planner", "acceptor", "dispatcher", "unit", "supervisor", "data_manager", "viewer", "admin")

#: the four levels of the chain, lowest first: grid group → community room → street station → district centre
LEVELS = ("grid", "community", "street", "district")


def level_above(level: str) -> str | None:
    """The next level up (None at the district centre)."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None
