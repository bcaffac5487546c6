"""What an export is asked for: its options, the component field profiles, what each field holds (in
English or Chinese), and the checks that refuse options which can only match nothing."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from gridmap.domain.components import COMPONENT_STATES
from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import STATUSES
from gridmap.paths import DATA_DIR
from gridmap.store import exchange, exports
from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES, GEOMETRY_TABLES

PROFILES_CSV = DATA_DIR / "exchange" / "component_profiles.csv"
DESCRIPTIONS_CSV = DATA_DIR / "exchange" / "field_descriptions.csv"
LANGUAGES = ("en", "zh_CN")
#: the store's own component columns, with the ≤ 10-character names a shapefile needs
NATIVE_COMPONENT = [
    ("code", "code"), ("class_code", "class_code"), ("name", "name"), ("competent_unit_code", "comp_unit"),
    ("owner_unit_code", "owner_unit"), ("maintainer_unit_code", "maint_unit"), ("unit_grid_code", "unit_grid"),
    ("state", "state"), ("currency", "currency"), ("initial_date", "init_date"), ("change_date", "chg_date"),
    ("data_source", "data_src"), ("photo", "photo"), ("note", "note"),
]


class ExportError(GridmapError):
    """An export that cannot be done as asked."""


class ExportCancelled(ExportError):
    """The user cancelled; nothing was left behind."""


@dataclass
class ExportOptions:
    layer: str = "components"  # a store table, or 'components' for the three component tables
    format: str = "shp"
    crs: int | None = None  # EPSG code; None = the store's
    encoding: str = "utf-8"
    profile: str = "native"  # native | legacy | gbt47678 (component layers)
    where: str | None = None
    classes: list[str] = field(default_factory=list)
    unit: str | None = None
    unit_role: str = "any"  # any | competent | owner | maintainer
    grid: str | None = None  # responsibility grid code
    community: str | None = None
    states: list[str] = field(default_factory=list)
    since: dt.datetime | None = None  # incidents
    until: dt.datetime | None = None
    statuses: list[str] = field(default_factory=list)
    language: str = "en"  # en | zh_CN: the README's and fields.csv's language


@dataclass
class ExportResult:
    files: list[Path]
    counts: dict[str, int]


@dataclass(frozen=True)
class FieldSpec:
    name: str  # in the file
    source: str  # column of the query
    type: str  # str | date | int | float
    width: int | None
    description: str


def load_profile(profile: str) -> list[FieldSpec]:
    """Field specs of a component profile; raises ExportError for an unknown one."""
    if profile == "native":
        return [FieldSpec(short, source, "date" if source.endswith("_date") else "str", None, source)
                for source, short in NATIVE_COMPONENT]
    with PROFILES_CSV.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#")) if r["profile"] == profile]
    if not rows:
        raise ExportError(f"unknown profile {profile!r}: use native, legacy or gbt47678")
    return [FieldSpec(r["field"], r["source"], r["type"], int(r["width"]) if r["width"] else None, r["description"])
            for r in rows]


@functools.cache
def _descriptions() -> dict[str, dict[str, str]]:
    with DESCRIPTIONS_CSV.open(encoding="utf-8", newline="") as f:
        return {r["column"]: r for r in csv.DictReader(line for line in f if not line.startswith("#"))}


def describe(column: str, language: str, fallback: str | None = None) -> str:
    """What ``column`` holds, in ``language`` (en | zh_CN); ``fallback`` (else the column) when not listed."""
    row = _descriptions().get(column)
    return row[language] if row and row.get(language) else (fallback or column)


def described(spec: FieldSpec, language: str) -> str:
    """A profile field's description: the standard's own (Chinese) name in zh_CN, else what the column holds."""
    if language == "zh_CN" and spec.description != spec.source:
        return spec.description
    return describe(spec.source, language, spec.description)


def layers_of(option: str) -> list[str]:
    """The store tables an export's ``layer`` option names; raises ExportError for an unknown one."""
    if option == "components":
        return list(COMPONENT_TABLES.values())
    if option not in GEOMETRY_TABLES:
        raise ExportError(f"unknown layer {option!r}: use components or one of {', '.join(GEOMETRY_TABLES)}")
    return [option]


def target_epsg(store: Store, options: ExportOptions) -> int:
    """The CRS an export writes: --crs, else WGS 84 lon/lat for GeoJSON (RFC 7946), else the store's."""
    return options.crs or (4326 if options.format == "geojson" else store.srid)


def _unknown(option: str, given: list[str], valid, what: str, plural: str = "") -> str | None:
    wrong = [v for v in given if v not in valid]
    if not wrong:
        return None
    valid = sorted(valid)
    shown = ", ".join(valid[:40]) + (f" ... ({len(valid)} in all)" if len(valid) > 40 else "")
    return f"{option} {', '.join(map(repr, wrong))}: no such {what}; the {plural or what + 's'} are {shown}"


def check_options(store: Store, options: ExportOptions) -> None:
    """Refuse filters that can only match nothing because of a typo (an unknown status, class, state,
    unit, grid or community, --since after --until), naming the valid choices. Raises ExportError."""
    problems = [
        _unknown("--status", options.statuses, STATUSES, "incident status", "incident statuses"),
        _unknown("--state", options.states, COMPONENT_STATES, "component state"),
        _unknown("--class", options.classes, exports.names_by_code(store, "component_class"), "component class",
                 "component classes"),
        _unknown("--unit", [options.unit] if options.unit else [], exports.names_by_code(store, "responsible_unit"),
                 "responsible unit"),
        _unknown("--grid", [options.grid] if options.grid else [], exchange.responsibility_grid_codes(store),
                 "responsibility grid"),
        _unknown("--community", [options.community] if options.community else [],
                 exports.names_by_code(store, "community"), "community"),
    ]
    if options.since and options.until and options.since >= options.until:
        problems.append(f"--since {options.since.isoformat()} is not before --until {options.until.isoformat()}: "
                        "no incident can be in that period")
    if options.language not in LANGUAGES:
        problems.append(f"--lang {options.language!r}: use {' or '.join(LANGUAGES)}")
    problems = [p for p in problems if p]
    if problems:
        raise ExportError("; ".join(problems))


def component_filter(options: ExportOptions) -> exports.ComponentFilter:
    """The store's component filter for ``options``."""
    return exports.ComponentFilter(tuple(options.classes), options.unit, options.unit_role, options.grid,
                                   options.community, tuple(options.states), options.where)

