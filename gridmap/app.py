"""The one bootstrap: environment, QgsApplication, init, exec, exit.

Used by main.py (the desktop app) and tests/conftest.py, so both run QGIS the
same way: the OS's QGIS prefix, offscreen when there is no display, and in
tests an isolated settings directory so no user setting leaks in or out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORGANIZATION = "gridmap"
APPLICATION = "gridmap"


def qgis_prefix() -> str:
    """QGIS's install prefix: $QGIS_PREFIX_PATH, else /usr (Debian's packages)."""
    return os.environ.get("QGIS_PREFIX_PATH", "/usr")


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_qgis(argv: list[str] | None = None, *, gui: bool = True, settings_dir: Path | None = None):
    """Create and initialise the QgsApplication; return it.

    With no display and no QT_QPA_PLATFORM set, Qt runs offscreen. With
    ``settings_dir``, QSettings/QgsSettings live there instead of the user's home.
    """
    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    from qgis.core import QgsApplication  # noqa: PLC0415 - after the environment is set
    from qgis.PyQt.QtCore import QCoreApplication, QSettings  # noqa: PLC0415

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    if settings_dir is not None:
        settings_dir.mkdir(parents=True, exist_ok=True)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
        app = QgsApplication([a.encode() for a in (argv or ["gridmap"])], gui, str(settings_dir))
    else:
        app = QgsApplication([a.encode() for a in (argv or ["gridmap"])], gui)
    QgsApplication.setPrefixPath(qgis_prefix(), True)
    app.initQgis()
    return app


def versions() -> dict[str, str]:
    """Versions of QGIS, GDAL, GEOS, PROJ, Qt, PyQt and Python, for test headers and --version."""
    import shapely  # noqa: PLC0415
    from osgeo import gdal  # noqa: PLC0415
    from qgis.core import Qgis  # noqa: PLC0415
    from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR  # noqa: PLC0415

    try:
        from qgis.core import QgsProjUtils  # noqa: PLC0415

        proj = QgsProjUtils.projVersionMajor(), QgsProjUtils.projVersionMinor()
        proj_text = f"{proj[0]}.{proj[1]}"
    except ImportError:
        proj_text = "unknown"
    geos = Qgis.geosVersion() if hasattr(Qgis, "geosVersion") else "unknown"
    return {
        "QGIS": Qgis.QGIS_VERSION,
        "GDAL": gdal.__version__,
        "GEOS (QGIS)": str(geos),
        "GEOS (shapely)": shapely.geos_version_string,
        "PROJ": proj_text,
        "Qt": QT_VERSION_STR,
        "PyQt": PYQT_VERSION_STR,
        "Python": sys.version.split()[0],
    }


def run(argv: list[str] | None = None) -> int:
    """Start the desktop app; return its exit code."""
    from gridmap.gui.launcher import parse_args  # noqa: PLC0415

    args = parse_args(argv if argv is not None else sys.argv[1:])
    app = start_qgis([sys.argv[0]])
    try:
        from gridmap.gui.launcher import launch  # noqa: PLC0415

        return launch(app, args)
    finally:
        app.exitQgis()
