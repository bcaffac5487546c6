"""Exports for other bureaus: any layer, filtered, in the CRS, encoding and field profile asked for,
with a field dictionary; or one zip package per responsible unit.

Everything is written into a temporary folder beside the destination and moved into place only
when complete, so a failed or cancelled export leaves no half-written files.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import shapely

from gridmap import __version__
from gridmap.domain.calendar import city_now
from gridmap.domain.cells import formula_safe
from gridmap.domain.components import COMPONENT_STATES
from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import STATUSES
from gridmap.io import shapefile
from gridmap.io.columns import fit_text, to_dates, typed
from gridmap.io.dictionary import DICTIONARY_HEADER, file_dictionary
from gridmap.io.files import FORMATS, FileFormatError, Table, gdal_encoding, remove_quietly, write_table
from gridmap.io.fitting import DBF_MAX_BYTES, Fitted, fit_column, readme_lines
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


def _described(spec: FieldSpec, language: str) -> str:
    """A profile field's description: the standard's own (Chinese) name in zh_CN, else what the column holds."""
    if language == "zh_CN" and spec.description != spec.source:
        return spec.description
    return describe(spec.source, language, spec.description)


class _Progress:
    """Progress of an export made of weighted parts, some on another thread: each part reports its own
    fraction and the weighted sum is passed on, never going back. ``None`` reports nothing."""

    def __init__(self, report: Callable[[float], None] | None, weights: dict[str, float], start: float = 0.0,
                 span: float = 1.0):
        self.report = report
        self.weights = weights
        self.start, self.span = start, span
        self.done = dict.fromkeys(weights, 0.0)
        self.last = -1.0
        self.lock = threading.Lock()

    def part(self, name: str) -> Callable[[float], None]:
        """The callback of part ``name``: call it with the fraction of that part done (0..1)."""
        def step(fraction: float) -> None:
            if self.report is None:
                return
            with self.lock:
                self.done[name] = max(self.done[name], min(1.0, fraction))
                total = round(self.start + self.span * sum(self.weights[k] * v for k, v in self.done.items()), 6)
                if total <= self.last + 1e-4:
                    return
                self.last = total
                self.report(total)  # under the lock: two threads' reports cannot pass each other
        return step


def _ignore(_fraction: float) -> None:
    """A progress callback that reports nothing."""


def _layers(option: str) -> list[str]:
    if option == "components":
        return list(COMPONENT_TABLES.values())
    if option not in GEOMETRY_TABLES:
        raise ExportError(f"unknown layer {option!r}: use components or one of {', '.join(GEOMETRY_TABLES)}")
    return [option]


#: name columns the fast path looks up from code columns instead of joining in SQL
_NAME_OF = {"class_name": ("class_code", "component_class"), "competent_unit_name": ("competent_unit_code",
            "responsible_unit"), "owner_unit_name": ("owner_unit_code", "responsible_unit"),
            "maintainer_unit_name": ("maintainer_unit_code", "responsible_unit"),
            "street_code": ("unit_grid_code", None), "street_name": ("unit_grid_code", "street"),
            "community_code": ("unit_grid_code", None), "community_name": ("unit_grid_code", "community")}


def _fast_points(store: Store, options: ExportOptions, specs: list[FieldSpec], path: Path,
                 log: list[Fitted], step: Callable[[float], None] = _ignore) -> int | None:
    """Point components straight from SQLite into a shapefile: one pass over the plain table with
    group_concat per column (names are looked up in numpy, ~30 units, not joined per row), then the
    numpy writer. Returns the count, or None when a filter needs the joined query or a value holds
    the separator (the caller then takes the general path). ``step`` hears the fraction done: the
    read, each column encoded, the coordinates transformed, the file written."""
    selection = component_filter(options)
    if selection.needs_join:
        return None
    sources = list(dict.fromkeys(_NAME_OF.get(spec.source, (spec.source,))[0] for spec in specs))
    count, joined, xy = exports.point_columns_joined(store, sources, selection)
    if count == 0:
        return None
    step(0.35)
    if any(text.count("\x1f") != count - 1 for text in joined.values()):
        return None
    codec = "gbk" if gdal_encoding(options.encoding) == "CP936" else "utf-8"
    fields = {}
    try:
        for spec in specs:
            if spec.source in _NAME_OF:
                fields[spec.name] = ("C", _looked_up(store, spec.source, joined, codec))
            elif spec.type == "date":
                if not _ISO_DATES.fullmatch(joined[spec.source]):
                    return None  # a stored value that is no ISO date: the general path lists it
                fields[spec.name] = ("D", shapefile.date_field_joined(joined[spec.source]))
            else:
                try:
                    fields[spec.name] = ("C", shapefile.text_field_joined(joined[spec.source], codec))
                except (UnicodeEncodeError, FileFormatError):  # a value that does not fit: fit this column
                    values = joined[spec.source].split("\x1f")
                    codes = joined["code"].split("\x1f") if "code" in joined else None
                    fitted = fit_column(values, codec, DBF_MAX_BYTES, "component_point", spec.name, codes, log)
                    fields[spec.name] = ("C", shapefile.text_field(fitted, codec))
            step(0.35 + 0.35 * len(fields) / len(specs))
    except (UnicodeEncodeError, FileFormatError):
        return None  # a looked-up name that does not fit: the general path fits and lists it
    if xy is None:
        return None
    xs, ys = xy
    epsg = target_epsg(store, options)
    crs = pyproj.CRS.from_epsg(epsg)
    if epsg != store.srid:
        xs, ys = pyproj.Transformer.from_crs(store.srid, crs, always_xy=True).transform(xs, ys)
    step(0.8)
    shapefile.write_points(path, fields, np.asarray(xs), np.asarray(ys), crs, options.encoding)
    step(1.0)
    return count


_ISO_DATES = re.compile(r"(?:(?:\d{4}-\d{2}-\d{2}[^\x1f]*)?(?:\x1f|$))*")


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


def _looked_up(store: Store, column: str, joined: dict[str, str], codec: str) -> np.ndarray:
    """A derived column (a name, or the street/community part of the grid code) for every row."""
    source, table = _NAME_OF[column]
    codes = np.array(joined[source].encode("ascii").split(b"\x1f"))
    if column in ("street_code", "street_name"):
        codes = codes.astype("S9")
    elif column in ("community_code", "community_name"):
        codes = codes.astype("S12")
    if table is None:
        return codes
    unique, inverse = np.unique(codes, return_inverse=True)
    names = exports.names_by_code(store, table)
    encoded = [names.get(c.decode("ascii"), "").encode(codec) for c in unique]
    width = max(1, *map(len, encoded))
    return np.array(encoded, dtype=f"S{width}")[inverse]


def _geometries(columns: dict[str, tuple]) -> np.ndarray:
    if "x" in columns:
        return shapely.points(np.array(columns["x"], dtype=float), np.array(columns["y"], dtype=float))
    return np.asarray(shapely.from_wkb(list(columns["wkb"])), dtype=object) if columns["wkb"] else np.array(
        [], dtype=object)


def _short_names(names: list[str]) -> dict[str, str]:
    """Unique field names of at most 10 characters (the DBF limit)."""
    out, used = {}, set()
    for name in names:
        short = name[:10]
        k = 1
        while short in used:
            suffix = str(k)
            short = name[:10 - len(suffix)] + suffix
            k += 1
        used.add(short)
        out[name] = short
    return out


def build_tables(store: Store, options: ExportOptions, skip: tuple[str, ...] = (),
                 log: list[Fitted] | None = None, step: Callable[[float], None] = _ignore,
                 ) -> tuple[dict[str, Table], list[list[str]]]:
    """The layers to write (name → Table) and the field dictionary rows as planned (the files'
    own dictionary is read back after writing), without writing anything. Values changed to fit
    the format are appended to ``log``; ``step`` hears the fraction of layers read."""
    if options.format not in FORMATS:
        raise ExportError(f"unknown format {options.format!r}: use {', '.join(FORMATS)}")
    gdal_encoding(options.encoding)
    log = [] if log is None else log
    epsg = target_epsg(store, options)
    target = pyproj.CRS.from_epsg(epsg)
    transformer = None
    if epsg != store.srid:
        transformer = pyproj.Transformer.from_crs(store.srid, target, always_xy=True)
    tables: dict[str, Table] = {}
    dictionary = [DICTIONARY_HEADER]
    layers = _layers(options.layer)
    language = options.language
    for done, layer in enumerate(layers):
        step(done / len(layers))
        if layer in skip:
            dictionary += [[layer, spec.name, spec.source, spec.type, spec.width or "", "", _described(spec, language)]
                           for spec in load_profile(options.profile)]
            continue
        if layer in COMPONENT_TABLES.values():
            specs = load_profile(options.profile)
            result = exports.component_rows(store, layer, component_filter(options))
            codes = result["code"]
            columns = {}
            for spec in specs:
                values = result[spec.source]
                columns[spec.name] = (to_dates(values, layer, spec.name, codes, log) if spec.type == "date"
                                      else np.array(values, dtype=object))
                dictionary.append([layer, spec.name, spec.source, spec.type, spec.width or "", "",
                                   _described(spec, language)])
        else:
            names, result = exports.layer_rows(store, layer, since=options.since, until=options.until,
                                               statuses=options.statuses, where=options.where)
            declared = exports.declared_columns(store, layer)
            codes = result.get("code") or result.get("id")
            short = _short_names(names) if options.format == "shp" else {n: n for n in names}
            columns = {short[n]: typed(result[n], declared.get(n, ""), options.format, layer, short[n], codes, log)
                       for n in names}
            dictionary += [[layer, short[n], n, "", "", "", describe(n, language)] for n in names]
        fit_text(columns, options.format, options.encoding, layer, codes, log)
        geoms = _geometries(result)
        if transformer is not None and len(geoms):
            geoms = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        tables[layer] = Table(columns, np.asarray(geoms, dtype=object), target)
    step(1.0)
    return tables, dictionary


def export(store: Store, out_dir: Path | str, options: ExportOptions,
           progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Export as ``options`` say into the folder ``out_dir``; return the files and counts.

    Raises ExportError (bad options), FileFormatError (the file system refused), or
    ExportCancelled; in each case nothing is left in ``out_dir``.
    """
    out_dir = Path(out_dir)
    check_options(store, options)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".gridmap-export-", dir=out_dir))
    try:
        files, counts = _write_all(store, tmp, options, progress, cancelled)
        return ExportResult(_publish(files, out_dir), counts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _publish(files: list[Path], out_dir: Path) -> list[Path]:
    """Move finished files from the staging folder into ``out_dir``; a rename, so readers never see half a file."""
    moved = []
    for path in files:
        final = out_dir / path.name
        path.replace(final)
        moved.append(final)
    return moved


def _check(cancelled) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled("export cancelled; nothing was written")


def _write_all(store, folder: Path, options: ExportOptions, progress, cancelled,
               unit_name: str | None = None) -> tuple[list[Path], dict]:
    """Write every file of one export into ``folder``; ``progress`` hears the fraction done as the
    layers are read and written (the point writer's steps, the other layers one by one)."""
    _check(cancelled)
    ext = FORMATS[options.format][1]
    files: list[Path] = []
    counts = {}
    layers = _layers(options.layer)
    tables: dict[str, Table] = {}
    log: list[Fitted] = []
    fast = options.format == "shp" and "component_point" in layers
    # points and the other layers at once (two threads), then the dictionary and README; or read all, then write
    parts = _Progress(progress, {"points": 0.55, "others": 0.35, "files": 0.1} if fast else
                      {"read": 0.3, "write": 0.6, "files": 0.1})
    if fast:
        # points on this thread (numpy writer), the other layers on the second core (GDAL), each
        # with its own connection; both sides spend their time in C with the GIL released
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(_write_others, store.location, folder, options, ext, parts.part("others"), cancelled)
            point_log: list[Fitted] = []
            count = _fast_points(store, options, load_profile(options.profile), folder / "component_point.shp",
                                 point_log, parts.part("points"))
            other_files, other_counts, dictionary, other_log = future.result()
        if count is not None:
            counts["component_point"] = count
            stem = folder / "component_point"
            files += [p for p in (stem.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")) if p.exists()]
            files += other_files
            counts.update(other_counts)
            log += point_log + other_log
        else:
            remove_quietly(folder / f"{layer}{s}" for layer in layers for s in (ext, ".shx", ".dbf", ".prj", ".cpg"))
            # the general path starts over: its reading and writing share what the fast path had left
            start = max(parts.last, 0.0)
            parts = _Progress(progress, {"read": 0.3, "write": 0.6, "files": 0.1}, start, 1.0 - start)
            tables, dictionary = build_tables(store, options, log=log, step=parts.part("read"))
    else:
        tables, dictionary = build_tables(store, options, log=log, step=parts.part("read"))
    _check(cancelled)
    write_step = parts.part("write") if "write" in parts.weights else _ignore
    for k, (layer, table) in enumerate(tables.items()):
        _check(cancelled)
        if options.format == "gpkg":
            path = folder / f"{options.layer}{ext}"
            write_table(path, "gpkg", table, layer=layer, append=path.exists())
            if path not in files:
                files.append(path)
        else:
            path = folder / f"{layer}{ext}"
            write_table(path, options.format, table, layer=layer, encoding=options.encoding)
            stem = path.with_suffix("")
            files += [p for p in (stem.with_suffix(s) for s in (ext, ".shx", ".dbf", ".prj", ".cpg")) if p.exists()]
        counts[layer] = len(table)
        write_step((k + 1) / len(tables))
    _check(cancelled)
    counts = {layer: counts[layer] for layer in layers if layer in counts}
    fields = folder / "fields.csv"
    with fields.open("w", encoding="utf-8-sig", newline="") as f:
        described = file_dictionary(folder, options.format, options.encoding, options.layer, counts, dictionary, tables)
        csv.writer(f).writerows([formula_safe(v) for v in row] for row in described)
    files.append(fields)
    parts.part("files")(0.5)
    readme = folder / "README.txt"
    readme.write_text(_readme(store, options, counts, unit_name, log), encoding="utf-8")
    files.append(readme)
    parts.part("files")(1.0)
    return files, counts


def _write_others(path: Path, folder: Path, options: ExportOptions, ext: str,
                  step: Callable[[float], None] = _ignore, cancelled: Callable[[], bool] | None = None):
    """Line and polygon components as shapefiles, on a connection of this thread's own; ``step``
    hears the fraction done (reading, then each layer written)."""
    from gridmap.store import open_store  # noqa: PLC0415 - the store package imports this module's peers

    log: list[Fitted] = []
    with open_store(path) as store:
        tables, dictionary = build_tables(store, options, skip=("component_point",), log=log,
                                          step=lambda f: step(0.5 * f))
        files, counts = [], {}
        for k, (layer, table) in enumerate(tables.items()):
            _check(cancelled)
            target = folder / f"{layer}{ext}"
            write_table(target, "shp", table, layer=layer, encoding=options.encoding)
            stem = target.with_suffix("")
            files += [p for p in (stem.with_suffix(s) for s in (ext, ".shx", ".dbf", ".prj", ".cpg")) if p.exists()]
            counts[layer] = len(table)
            step(0.5 + 0.5 * (k + 1) / len(tables))
    return files, counts, dictionary, log


#: the README's lines in each language an export is written in
_README = {
    "en": {
        "title": "gridmap {version} export — {name}", "exported": "Exported: {now} (Beijing time)",
        "for": "For: {unit}", "layers": "Layers and features: {counts}", "format": "Format: {format}",
        "crs": "Coordinate reference system: EPSG:{epsg} {crs}",
        "cpg": "Text encoding: {encoding} (named in each .cpg)",
        "encoding": "Text encoding: {encoding}", "profile": "Field profile: {profile} (see fields.csv for every field)",
        "filter": "Filter: {where}",
    },
    "zh_CN": {
        "title": "gridmap {version} 导出 — {name}", "exported": "导出时间：{now}（北京时间）",
        "for": "交付单位：{unit}", "layers": "图层及要素数：{counts}", "format": "格式：{format}",
        "crs": "坐标参考系：EPSG:{epsg} {crs}", "cpg": "文字编码：{encoding}（各 .cpg 文件中注明）",
        "encoding": "文字编码：{encoding}", "profile": "字段方案：{profile}（每个字段见 fields.csv）",
        "filter": "筛选条件：{where}",
    },
}
_PROFILE_NAMES = {"zh_CN": {"native": "gridmap 原名", "legacy": "旧版（OBJCODE 等）", "gbt47678": "GB/T 47678.5"}}


def _readme(store: Store, options: ExportOptions, counts: dict, unit_name: str | None = None,
            log: list[Fitted] | None = None) -> str:
    """The README.txt of an export, in ``options.language``."""
    text = _README[options.language]
    crs = pyproj.CRS.from_epsg(target_epsg(store, options))
    encoding = gdal_encoding(options.encoding) if options.format in ("shp", "csv") else "UTF-8"
    separator = "，" if options.language == "zh_CN" else ", "
    profile = _PROFILE_NAMES.get(options.language, {}).get(options.profile, options.profile)
    lines = [
        text["title"].format(version=__version__, name=store.setting("name", store.label)),
        text["exported"].format(now=f"{city_now():%Y-%m-%d %H:%M}"),
        text["for"].format(unit=unit_name) if unit_name else None,
        text["layers"].format(counts=separator.join(f"{k} {v:,}" for k, v in counts.items())),
        text["format"].format(format=FORMATS[options.format][0]),
        text["crs"].format(epsg=crs.to_epsg(), crs=crs.name),
        text["cpg"].format(encoding=encoding) if options.format == "shp" else
        text["encoding"].format(encoding="GBK" if encoding == "CP936" else "UTF-8"),
        text["profile"].format(profile=profile),
        text["filter"].format(where=options.where) if options.where else None,
        *readme_lines(log or [], options.language),
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def export_per_unit(store: Store, out_dir: Path | str, options: ExportOptions,
                    progress: Callable[[float], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """One zip per responsible unit with that unit's components (in any role, or ``options.unit_role``),
    a field dictionary and a README; only ``options.unit``'s when given. Units without components get
    no package. Raises ExportError for an unknown unit or one without components."""
    out_dir = Path(out_dir)
    check_options(store, options)
    units = exports.units_with_components(store, options.unit_role)
    if options.unit:  # --unit: that unit's package alone
        units = [u for u in units if u[0] == options.unit]
        if not units:
            known = exports.names_by_code(store, "responsible_unit")
            raise ExportError(f"no responsible unit {options.unit}" if options.unit not in known else
                              f"unit {options.unit} has no components (as {options.unit_role}): no package to write")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".gridmap-export-", dir=out_dir))
    try:
        zips, counts = [], {}
        for k, (code, name) in enumerate(units):
            _check(cancelled)
            unit_options = ExportOptions(**{**options.__dict__, "unit": code, "layer": "components"})
            folder = tmp / code
            folder.mkdir()
            within = _Progress(progress, {"unit": 1.0}, k / len(units), 1.0 / len(units)).part("unit")
            files, layer_counts = _write_all(store, folder, unit_options, within, cancelled, f"{name} ({code})")
            archive = tmp / f"{code}_{_safe(name)}.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in files:
                    zf.write(path, path.name)
            zips.append(archive)
            counts[code] = sum(layer_counts.values())
            if progress:
                progress((k + 1) / len(units))
        return ExportResult(_publish(zips, out_dir), counts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "unit"


__all__ = ["ExportCancelled", "ExportError", "ExportOptions", "FileFormatError", "export", "export_per_unit"]
