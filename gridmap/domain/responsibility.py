"""Who answers for what: responsible unit codes, routing of classes to units, dispatch.

Routing precedence, most specific first: a community override, then a
responsibility grid override, then the class-wide default. A component problem
goes to the component's maintainer, else its owner, else its competent unit,
and only when it has none of them to the routing of its class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gridmap.domain.codes import check_credit_code
from gridmap.domain.errors import CodeError, GridmapError

AREA_KINDS = ("community", "responsibility_grid", "default")  # precedence order
UNIT_ROLES = ("competent", "owner", "maintainer")
UNIT_KINDS = ("department", "company", "public_institution", "sub_district_office", "community_office", "other")
_LOCAL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,31}")


class RoutingError(GridmapError):
    """A routing rule or a routing file that cannot be used."""


def check_unit_code(code: str) -> str:
    """Return ``code`` if it is a valid responsible unit code; raise CodeError otherwise.

    An 18-character code must be a valid unified social credit code (check
    character included); anything else must be a local code of 2-32 letters,
    digits, '_', '.' or '-'.
    """
    if not isinstance(code, str) or not code:
        raise CodeError("a responsible unit needs a code")
    if len(code) == 18:
        return check_credit_code(code)
    if not _LOCAL_CODE.fullmatch(code):
        raise CodeError(f"unit code {code!r}: use an 18-character credit code or a local code of 2-32 "
                        "letters, digits, '_', '.' or '-'")
    return code


@dataclass(frozen=True)
class Rule:
    class_code: str
    class_kind: str  # event | component
    area_kind: str  # default | responsibility_grid | community
    area_code: str  # '' for default
    unit_code: str


class RoutingTable:
    """Routing rules indexed for resolution."""

    def __init__(self, rules):
        self.rules: dict[tuple[str, str, str], Rule] = {}
        for rule in rules:
            if rule.area_kind not in AREA_KINDS:
                raise RoutingError(f"unknown area kind {rule.area_kind!r} for class {rule.class_code}")
            if (rule.area_kind == "default") != (rule.area_code == ""):
                raise RoutingError(f"class {rule.class_code}: a default rule has no area code, an override needs one")
            self.rules[(rule.class_kind, rule.class_code, rule.area_kind, rule.area_code)] = rule

    def resolve(self, class_kind: str, class_code: str, community_code: str | None = None,
                responsibility_grid_code: str | None = None) -> Rule | None:
        """The rule that decides who handles the class in that area, or None when nothing routes it.

        Event and component classes are told apart by ``class_kind``: their legacy codes overlap
        (event 0101 私搭乱建, component 0101 上水井盖).
        """
        for kind, code in (("community", community_code), ("responsibility_grid", responsibility_grid_code),
                           ("default", "")):
            if kind != "default" and not code:
                continue
            rule = self.rules.get((class_kind, class_code, kind, code or ""))
            if rule is not None:
                return rule
        return None

    def unit_for(self, class_kind: str, class_code: str, community_code: str | None = None,
                 responsibility_grid_code: str | None = None) -> str | None:
        rule = self.resolve(class_kind, class_code, community_code, responsibility_grid_code)
        return rule.unit_code if rule else None


def dispatch_unit(table: RoutingTable, class_kind: str, class_code: str, *, community_code: str | None = None,
                  responsibility_grid_code: str | None = None, component_units: tuple | None = None) -> str | None:
    """The unit a case goes to.

    ``component_units`` = (maintainer, owner, competent) of the component for a
    component problem; the first one set wins, else the routing of the class.
    """
    if component_units:
        for unit in component_units:
            if unit:
                return unit
    return table.unit_for(class_kind, class_code, community_code, responsibility_grid_code)
