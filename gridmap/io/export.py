"""Exports for other bureaus: any layer, filtered, in the CRS, encoding and field profile asked for,
with a field dictionary; or one zip package per responsible unit.

Everything is written into a temporary folder beside the destination and moved into place only
when complete, so a failed or cancelled export leaves no half-written files.

What is asked for (options, field profiles, descriptions) is in export_options, reading the layers
into tables in export_tables; what other modules import is importable from here.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyproj

from gridmap import __version__
from gridmap.domain.calendar import city_now
from gridmap.domain.cells import formula_safe
from gridmap.io.dictionary import file_dictionary
from gridmap.io.export_options import (
    NATIVE_COMPONENT,
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportResult,
    check_options,
    layers_of,
    load_profile,
    target_epsg,
)
from gridmap.io.export_tables import build_tables, fast_points, no_progress
from gridmap.io.files import FORMATS, FileFormatError, Table, gdal_encoding, remove_quietly, write_table
from gridmap.io.fitting import Fitted, readme_lines
from gridmap.store import exports, users
from gridmap.store.connection import Store


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


def export(store: Store, out_dir: Path | str, options: ExportOptions,
           progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Export as ``options`` say into the folder ``out_dir``; return the files and counts.

    Raises ExportError (bad options), FileFormatError (the file system refused), or
    ExportCancelled; in each case nothing is left in ``out_dir``.
    """
    users.require(store, "export")
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
    layers = layers_of(options.layer)
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
            count = fast_points(store, options, load_profile(options.profile), folder / "component_point.shp",
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
    write_step = parts.part("write") if "write" in parts.weights else no_progress
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
                  step: Callable[[float], None] = no_progress, cancelled: Callable[[], bool] | None = None):
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
    users.require(store, "export")
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


__all__ = ["NATIVE_COMPONENT", "ExportCancelled", "ExportError", "ExportOptions", "FileFormatError", "export",
           "export_per_unit", "load_profile"]
