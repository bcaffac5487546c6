#!/usr/bin/env python3
"""Build dist/gridmap-qgis-plugin.zip: gridmap as a QGIS plugin, from the same code as the app (issue 18).

The zip holds one folder, ``gridmap_qgis/``, that QGIS's *Install from ZIP* unpacks into the profile's
python/plugins/: metadata.txt, the icon, a small ``__init__.py`` (classFactory; puts the folder on
sys.path), and beside it the ``gridmap`` package with the data/ and resources/ it reads (class tables,
calendars, translations, icons) — the same layout as the repository, so gridmap.paths finds them.

    python tools/build_qgis_plugin.py [--out dist/gridmap-qgis-plugin.zip]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "gridmap_qgis"
MIN_QGIS, MAX_QGIS = "3.22", "3.99"

INIT = '''"""gridmap as a QGIS plugin: the package beside this file, loaded into QGIS's Python."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def classFactory(iface):  # noqa: N802 - QGIS's name
    from gridmap.gui.qgis_plugin import GridmapPlugin

    return GridmapPlugin(iface)
'''


def metadata(version: str) -> str:
    return f"""[general]
name=gridmap
qgisMinimumVersion={MIN_QGIS}
qgisMaximumVersion={MAX_QGIS}
description=Grid-based city management (数字城管 / 网格化管理): responsibility grids, components, cases
about=The gridmap workspace inside QGIS desktop: grid editor with live workloads, inspector, search, case
 panel, responsibility units and routing, exchange with other bureaus, notice-board posters, on a gridmap
 store file (SpatiaLite) or a PostGIS database. Needs Python packages QGIS does not ship (shapely 2,
 pyogrio, openpyxl, pyqtgraph, segno, networkx; psycopg for PostGIS): see the README.
version={version}
author=gridmap
email=gridmap@example.org
repository=https://example.org/gridmap
tracker=https://example.org/gridmap/issues
homepage=https://example.org/gridmap
category=Plugins
icon=resources/icons/gridmap.svg
tags=city management,grid,digital city management,cases,assets
experimental=False
deprecated=False
"""


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    from gridmap import __version__  # noqa: PLC0415

    return __version__


def _files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".ts"):
            yield path


def build(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{FOLDER}/__init__.py", INIT)
        zf.writestr(f"{FOLDER}/metadata.txt", metadata(_version()))
        for top in ("gridmap", "data", "resources", "plugins"):
            for path in _files(ROOT / top):
                zf.write(path, f"{FOLDER}/{path.relative_to(ROOT)}")
        zf.write(ROOT / "README.md", f"{FOLDER}/README.md")
    partial.replace(out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "gridmap-qgis-plugin.zip")
    args = parser.parse_args(argv)
    path = build(args.out)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
