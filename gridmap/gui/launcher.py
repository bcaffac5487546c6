"""Command-line options of the desktop app and its start: translation, window, first file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qgis.PyQt.QtCore import QSettings, QSize, QTimer

from gridmap.cli import DEFAULT_DEMO
from gridmap.store.connection import is_postgis, store_location


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py", description="gridmap desktop: the map workspace for grid-based city management.")
    parser.add_argument("--db", type=store_location,
                        help="gridmap store to open: a file, or a PostGIS database as postgresql://user@host:port/db "
                             "or service=NAME (default: the last one opened, else the demo city "
                             f"at {DEFAULT_DEMO})")
    parser.add_argument("--lang", choices=["zh_CN", "en"],
                        help="interface language (default: the system locale)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="render the window after the first complete map render to PNG, then exit")
    parser.add_argument("--size", default="1920x1080", help="window size WIDTHxHEIGHT (default 1920x1080)")
    return parser.parse_args(argv)


def launch(app, args: argparse.Namespace) -> int:
    """Open the main window on the chosen file and run the event loop; return the exit code."""
    from gridmap.gui.i18n import install_translator  # noqa: PLC0415
    from gridmap.gui.main_window import SETTINGS_LAST_DB  # noqa: PLC0415
    from gridmap.gui.workspace import build_workspace  # noqa: PLC0415

    install_translator(app, args.lang)
    window = build_workspace()
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(QSize(width, height))
    if not args.screenshot:
        window.restore_window_state()
    path = args.db or store_location(str(QSettings().value(SETTINGS_LAST_DB, str(DEFAULT_DEMO))))
    if not is_postgis(path) and not path.exists():
        print(f"gridmap: {path} does not exist; build the demo with 'gridmap demo' or pass --db", file=sys.stderr)
        return 2
    window.show()
    if not window.open_store_or_warn(path):
        return 2
    if args.screenshot:
        def shoot(_seconds: float) -> None:
            # let the labels and the status bar paint once more before grabbing
            QTimer.singleShot(300, lambda: (window.grab().save(str(args.screenshot)), window.close()))
        window.first_render_done.connect(shoot)
    code = app.exec()
    shutdown(window)
    return code


def shutdown(window) -> None:
    """Stop rendering and delete the window while QGIS is still up (no late QPixmaps at exit)."""
    from qgis.core import QgsProject  # noqa: PLC0415
    from qgis.PyQt import sip  # noqa: PLC0415

    window.canvas.stopRendering()
    window.canvas.waitWhileRendering()
    QgsProject.instance().clear()
    if not sip.isdeleted(window):
        sip.delete(window)
