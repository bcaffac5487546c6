"""Responsible units and staff of the demo city."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from gridmap.demo.city import CITY_CODE, CITY_NAME
from gridmap.demo.hierarchy import DISTRICT_CODE, DISTRICT_NAME, Hierarchy
from gridmap.domain.codes import make_credit_code
from gridmap.paths import DATA_DIR

RESPONSIBLE_UNITS_CSV = DATA_DIR / "demo" / "responsible_units.csv"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍鹏辉建国红梅海峰宇浩然博文志刚晓东雪琳凯旭春燕巴特尔乌云其木格苏日娜额尔敦"  # noqa: E501


@dataclass
class ResponsibleUnit:
    key: str
    code: str
    name: str
    kind: str
    contact: str


@dataclass
class StaffMember:
    code: str
    name: str
    phone: str
    title: str


@dataclass
class People:
    units: list[ResponsibleUnit]
    staff: list[StaffMember]
    supervisors: list[tuple[str, str]]  # (staff code, responsibility grid code)
    roles: list[tuple[str, str, str]]  # (community grid code, role, staff code)


def read_units(rng: np.random.Generator, path=RESPONSIBLE_UNITS_CSV, *, city: bool = False) -> list[ResponsibleUnit]:
    """The demo's responsible units, each with a valid unified social credit code.

    The file holds Dongsheng's; with ``city`` they are the city's, serving every district of a city
    of several: the district's bureaux become the city's (东胜区住房和城乡建设局 → 鄂尔多斯市住房和城乡建设局,
    鄂尔多斯市公安局东胜区分局 → 鄂尔多斯市公安局), registered in the city (150600). The same random draws
    either way.
    """
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    units = []
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    region = CITY_CODE if city else DISTRICT_CODE
    for row in rows:
        serial = "".join(alphabet[int(k)] for k in rng.integers(0, 31, 8))
        code = make_credit_code(row["authority"][0], row["authority"][1], region, serial)
        contact = f"0477-{rng.integers(8_000_000, 8_999_999)}"
        name = _city_unit_name(row["name"]) if city else row["name"]
        units.append(ResponsibleUnit(row["key"], code, name, row["kind"], contact))
    return units


def _city_unit_name(name: str) -> str:
    """The city's counterpart of a Dongsheng unit's name."""
    for branch in ("东胜区分局", "东胜分公司"):
        name = name.removesuffix(branch)
    return CITY_NAME + name.removeprefix(DISTRICT_NAME) if name.startswith(DISTRICT_NAME) else name


def _name(rng: np.random.Generator) -> str:
    surname = _SURNAMES[rng.integers(len(_SURNAMES))]
    given = "".join(_GIVEN[k] for k in rng.integers(0, len(_GIVEN), rng.integers(1, 3)))
    return surname + given


def _phone(rng: np.random.Generator) -> str:
    return f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10)}{rng.integers(10_000_000, 99_999_999)}"


def build_people(hierarchy: Hierarchy, rng: np.random.Generator, first: int = 1) -> People:
    """Supervisors for every responsibility grid and rosters for the community grids of one district;
    staff codes are numbered from ``first`` (ST00001 for the first district of a city).

    One grid, many staff; one person, many duties: a community police officer, a
    party secretary and a law enforcement officer serve every small grid of their
    community; a supervisor may cover two neighbouring grids.
    """
    staff: list[StaffMember] = []

    def person(title: str) -> str:
        code = f"ST{len(staff) + first:05d}"
        staff.append(StaffMember(code, _name(rng), _phone(rng), title))
        return code

    supervisors: list[tuple[str, str]] = []
    grids = hierarchy.responsibility_grids
    previous: str | None = None
    for grid in grids:
        main = person("监督员")
        supervisors.append((main, grid.code))
        if rng.random() < 0.35:  # a second supervisor, often shared with the next grid
            supervisors.append((person("监督员"), grid.code))
        if previous is not None and rng.random() < 0.15:
            supervisors.append((previous, grid.code))
        previous = main

    roles: list[tuple[str, str, str]] = []
    community_officer = {c.code: person("城管执法队员") for c in hierarchy.communities}
    community_police = {c.code: person("社区民警") for c in hierarchy.communities}
    community_secretary = {c.code: person("网格党支部书记") for c in hierarchy.communities}
    for grid in hierarchy.small_grids:
        roles.append((grid.code, "grid_leader", person("网格长")))
        roles.append((grid.code, "grid_manager", person("专职网格员")))
        roles.append((grid.code, "police_officer", community_police[grid.community_code]))
        roles.append((grid.code, "party_secretary", community_secretary[grid.community_code]))
        roles.append((grid.code, "law_enforcement", community_officer[grid.community_code]))
        if rng.random() < 0.6:
            roles.append((grid.code, "property_manager", person("物业管理员")))
        if rng.random() < 0.7:
            roles.append((grid.code, "volunteer", person("网格志愿者")))
    return People([], staff, supervisors, roles)
