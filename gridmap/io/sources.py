"""Where the data of a file someone sent is: a zip's members (in folders, with upper-case or GBK
names), a shapefile named ``.SHP``, a GeoJSON with a byte-order mark; and which of several data
files or layers to read."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from gridmap.io.files import FileFormatError

DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".csv")
SHAPEFILE_SUFFIXES = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")
_BOM = b"\xef\xbb\xbf"
# Only the members a reader needs are extracted: data files, shapefile sidecars and the README.txt
# that marks gridmap's own package. A zip whose needed members unpack to more than MAX_UNZIPPED_BYTES,
# or (beyond RATIO_FLOOR_BYTES) to more than MAX_UNZIP_RATIO times the zip's size, is refused before
# anything is written (a "zip bomb"); the sizes come from the zip's directory and are counted again
# while extracting, since a directory can lie.
MAX_UNZIPPED_BYTES = 2 * 1024 ** 3
MAX_UNZIP_RATIO = 200
RATIO_FLOOR_BYTES = 50 * 1024 ** 2
_PACKAGE_FILES = ("readme.txt",)
_CHUNK = 1024 * 1024


@contextlib.contextmanager
def staged(path: Path) -> Iterator[list[Path]]:
    """The data files of ``path`` in a form GDAL and our readers take: a zip extracted into a
    temporary folder (folders kept, suffixes lower-cased), an upper-case shapefile copied with
    lower-case suffixes, a GeoJSON copied without its byte-order mark; else ``path`` itself.
    Yields the data files; temporary copies are removed afterwards."""
    suffix = path.suffix.lower()
    if suffix not in (".zip", *DATA_SUFFIXES):
        yield [path]
        return
    needs_copy = suffix == ".zip" or (suffix == ".shp" and _mixed_case(path)) or (
        suffix in (".geojson", ".json") and _starts_with_bom(path))
    if not needs_copy:
        yield [path]
        return
    with tempfile.TemporaryDirectory(prefix="gridmap-import-") as tmp:
        folder = Path(tmp)
        if suffix == ".zip":
            _extract(path, folder)
        elif suffix == ".shp":
            for sibling in path.parent.iterdir():
                if sibling.stem == path.stem and sibling.suffix.lower() in SHAPEFILE_SUFFIXES:
                    shutil.copyfile(sibling, folder / (path.stem + sibling.suffix.lower()))
        else:
            (folder / path.name).write_bytes(path.read_bytes()[3:])
        for p in folder.rglob("*"):
            if p.suffix.lower() in (".geojson", ".json") and _starts_with_bom(p):
                p.write_bytes(p.read_bytes()[3:])
        yield sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES)


def _mixed_case(shp: Path) -> bool:
    """Whether the shapefile or one of its sidecars has an upper-case suffix (``A.shp`` beside ``A.DBF``):
    our readers look for lower-case names."""
    return any(p.stem == shp.stem and p.suffix.lower() in SHAPEFILE_SUFFIXES and p.suffix != p.suffix.lower()
               for p in shp.parent.iterdir())


def _starts_with_bom(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(3) == _BOM


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name: zips made on Chinese Windows store GBK names without the UTF-8 flag, which
    Python then reads as code page 437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for codec in ("utf-8", "gbk"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _needed(name: PurePosixPath) -> bool:
    return name.suffix.lower() in (*DATA_SUFFIXES, *SHAPEFILE_SUFFIXES) or name.name.lower() in _PACKAGE_FILES


def unzip_limit(zip_bytes: int) -> int:
    """The most bytes the needed members of a zip of ``zip_bytes`` may unpack to."""
    return min(MAX_UNZIPPED_BYTES, max(RATIO_FLOOR_BYTES, MAX_UNZIP_RATIO * zip_bytes))


def _too_big(path: Path, total: int, limit: int) -> FileFormatError:
    return FileFormatError(
        f"{path}: its data files unpack to {total:,} bytes, more than the {limit:,} allowed for a zip of "
        f"{path.stat().st_size:,} bytes (at most {MAX_UNZIP_RATIO}x the zip, never over {MAX_UNZIPPED_BYTES:,}); "
        "nothing was imported: unzip it yourself and import the data file")


def _extract(path: Path, folder: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = []
            for info in zf.infolist():
                if info.is_dir():
                    continue
                parts = [p for p in PurePosixPath(_member_name(info).replace("\\", "/")).parts
                         if p not in ("", ".", "..", "/")]
                if not parts or parts[0].startswith("__MACOSX"):
                    continue
                name = PurePosixPath(*parts)
                if _needed(name):
                    members.append((info, name))
            limit = unzip_limit(path.stat().st_size)
            declared = sum(info.file_size for info, _ in members)
            if declared > limit:
                raise _too_big(path, declared, limit)
            written = 0
            for info, name in members:
                target = folder.joinpath(*name.parent.parts, name.stem + name.suffix.lower())
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > limit:
                            raise _too_big(path, written, limit)
                        dst.write(chunk)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileFormatError(f"{path}: cannot read the zip: {exc}") from exc


def is_gridmap_package(files: list[Path]) -> bool:
    """Whether ``files`` are a gridmap per-unit package (component_point/line/polygon shapefiles
    beside a gridmap README.txt and fields.csv)."""
    if not files:
        return False
    folder = files[0].parent
    readme = folder / "README.txt"
    shapes = [p for p in files if p.suffix == ".shp"]
    return (readme.exists() and readme.read_text(encoding="utf-8", errors="replace").startswith("gridmap ")
            and bool(shapes) and all(p.stem.startswith("component_") for p in shapes))


def choose(files: list[Path], original: Path, layer: str | None) -> list[tuple[Path, str | None]]:
    """The data files (and the layer inside each) to read. A gridmap package without ``layer``:
    all its component shapefiles. Several data files: ``layer`` picks one by name (with or without
    its folder and suffix); without it the error lists them. Raises FileFormatError."""
    if original.suffix.lower() != ".zip":
        return [(files[0], layer)]
    package = is_gridmap_package(files)
    data = [p for p in files if not (package and p.name == "fields.csv")]
    if not data:
        raise FileFormatError(f"{original}: the zip holds no shapefile, GeoPackage, GeoJSON or CSV")
    names = [_relative(p) for p in data]
    if layer is None:
        if package:
            return [(p, None) for p in data if p.suffix == ".shp"]
        if len(data) == 1:
            return [(data[0], None)]
        raise FileFormatError(f"{original}: holds {len(data)} data files ({', '.join(names)}): choose one with "
                              "--source-layer")
    wanted = layer.lower()
    matches = [(p, name) for p, name in zip(data, names, strict=True)
               if wanted in (name.lower(), p.name.lower(), p.stem.lower(),
                             str(PurePosixPath(name).with_suffix("")).lower())]
    exact = [m for m in matches if m[1].lower() == wanted]
    if len(matches) > 1 and len(exact) != 1:
        raise FileFormatError(f"{original}: --source-layer {layer!r} matches {len(matches)} data files "
                              f"({', '.join(name for _, name in matches)}): give the full name")
    if matches:
        return [((exact or matches)[0][0], None)]
    if len(data) == 1 and data[0].suffix == ".gpkg":
        return [(data[0], layer)]
    raise FileFormatError(f"{original}: no data file {layer!r}; it holds {', '.join(names)}")


def _relative(path: Path) -> str:
    """``path`` relative to the folder the zip was extracted into."""
    for parent in path.parents:
        if parent.name.startswith("gridmap-import-"):
            return path.relative_to(parent).as_posix()
    return path.name


def source_layers(path: Path) -> list[str]:
    """The names ``--source-layer`` accepts for ``path`` (for a chooser): a zip's data files (folder
    and name), a GeoPackage's layers; a single name when there is nothing to choose. Raises
    FileFormatError for a file that cannot be opened."""
    import pyogrio  # noqa: PLC0415 - only needed here

    path = Path(path)
    if not path.exists():
        raise FileFormatError(f"{path}: no such file")
    with staged(path) as files:
        if path.suffix.lower() == ".zip":
            return [_relative(p) for p in files if not (is_gridmap_package(files) and p.name == "fields.csv")]
        if path.suffix.lower() == ".gpkg":
            try:
                return [str(name) for name, _ in pyogrio.list_layers(str(files[0]))]
            except (pyogrio.errors.DataSourceError, OSError) as exc:
                raise FileFormatError(f"{path}: cannot read it: {exc}") from exc
        return [path.stem]
