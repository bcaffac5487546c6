"""Reading an export's layers into tables, in the CRS, encoding and field profile asked for: the
general path for any layer and format, and the fast path for point components into a shapefile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyproj
import shapely

from gridmap.io import shapefile
from gridmap.io.columns import fit_text, to_dates, typed
from gridmap.io.dictionary import DICTIONARY_HEADER
from gridmap.io.export_options import (
    ExportError,
    ExportOptions,
    FieldSpec,
    component_filter,
    describe,
    described,
    layers_of,
    load_profile,
    target_epsg,
)
from gridmap.io.files import FORMATS, FileFormatError, Table, gdal_encoding
from gridmap.io.fitting import DBF_MAX_BYTES, Fitted, fit_column
from gridmap.store import exports
from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES


def no_progress(_fraction: float) -> None:
    """A progress callback that reports nothing."""


#: name columns the fast path looks up from code columns instead of joining in SQL
_NAME_OF = {"class_name": ("class_code", "component_class"), "competent_unit_name": ("competent_unit_code",
            "responsible_unit"), "owner_unit_name": ("owner_unit_code", "responsible_unit"),
            "maintainer_unit_name": ("maintainer_unit_code", "responsible_unit"),
            "street_code": ("unit_grid_code", None), "street_name": ("unit_grid_code", "street"),
            "community_code": ("unit_grid_code", None), "community_name": ("unit_grid_code", "community")}


def fast_points(store: Store, options: ExportOptions, specs: list[FieldSpec], path: Path,
                log: list[Fitted], step: Callable[[float], None] = no_progress) -> int | None:
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
                dates = shapefile.date_field_joined(joined[spec.source])
                if dates is None:
                    return None  # a stored value that is no ISO date: the general path lists it
                fields[spec.name] = ("D", dates)
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
                 log: list[Fitted] | None = None, step: Callable[[float], None] = no_progress,
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
    layers = layers_of(options.layer)
    language = options.language
    for done, layer in enumerate(layers):
        step(done / len(layers))
        if layer in skip:
            dictionary += [[layer, spec.name, spec.source, spec.type, spec.width or "", "", described(spec, language)]
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
                                   described(spec, language)])
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

