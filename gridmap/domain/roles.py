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


#: what people do, by name; docs/roles.md gives the commands and desktop actions behind each
ACTIONS = {
    "view": "see the map, the register and the cases in one's scope; evaluation",
    "report": "open a case (a patrol report, a hotline call)",
    "register": "register or reject a reported case (受理)",
    "dispatch": "dispatch, hold, resume, extend the deadline (派遣)",
    "handle": "report a case handled (处置)",
    "check": "check a handled case on site (核查)",
    "close": "close a checked case (结案)",
    "escalate": "escalate a case to a higher level (上报, 越级上报)",
    "plan": "commit grid plans, lock grids, keep scenarios",
    "maintain": "maintain units, routing, staff, supervisors and components; import",
    "export": "export layers for other bureaus",
    "admin": "add and disable users, issue and revoke device tokens",
}

#: role → the actions it may take (every role may "view", within its scope)
MATRIX: dict[str, frozenset[str]] = {
    "planner": frozenset({"view", "plan", "export"}),
    "acceptor": frozenset({"view", "report", "register", "close", "escalate"}),
    "dispatcher": frozenset({"view", "dispatch", "escalate"}),
    "unit": frozenset({"view", "handle", "escalate"}),
    "supervisor": frozenset({"view", "report", "check"}),
    "data_manager": frozenset({"view", "maintain", "export"}),
    "viewer": frozenset({"view"}),
    "admin": frozenset(ACTIONS),
}

#: the workflow's step actions → the action of the matrix that allows them
STEP_ACTIONS = {
    "report": "report", "register": "register", "reject": "register", "dispatch": "dispatch", "hold": "dispatch",
    "resume": "dispatch", "extend": "dispatch", "handle": "handle", "check": "check", "close": "close",
    "escalate": "escalate",
}


def allows(role: str, action: str) -> bool:
    """True when ``role`` may take ``action`` (an action of ACTIONS or a workflow step)."""
    return STEP_ACTIONS.get(action, action) in MATRIX.get(role, frozenset())
