"""Printed maps: the grids' notice-board posters (网格公示牌) as PDF, through QGIS's print layouts."""

from __future__ import annotations

import argparse
from pathlib import Path

from gridmap.cli.common import EXIT_OK
from gridmap.store.connection import store_location


def _cmd_poster(args: argparse.Namespace) -> int:
    import tempfile  # noqa: PLC0415

    from gridmap.app import start_qgis  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="gridmap-poster-") as settings:  # nothing left behind, nothing read
        app = start_qgis(["gridmap-poster"], settings_dir=Path(settings))
        try:
            from gridmap.gui.i18n import install_translator  # noqa: PLC0415
            from gridmap.gui.posters import make_posters  # noqa: PLC0415
            from gridmap.store import open_store  # noqa: PLC0415

            install_translator(app, args.lang)
            with open_store(args.db) as store:
                result = make_posters(store, args.outdir, args.grid or None, args.size)
        finally:
            app.exitQgis()
    print(f"wrote {result.pages} page(s) ({args.size}) to {result.path}")
    return EXIT_OK


ON_POSTGIS = {_cmd_poster}


def add_parsers(sub) -> None:
    poster = sub.add_parser(
        "poster", help="notice-board posters (网格公示牌): one PDF page per responsibility grid",
        description="Write OUTDIR/notice-boards.pdf: for each responsibility grid a page with the grid on the map "
                    "among its unit grids and roads, its supervisors and the people of its community grids with "
                    "their phones, area and counts, a QR code of the grid code, a north arrow, a scale bar and "
                    "the date. Chinese text uses the CJK fonts 'make setup' installs.")
    poster.add_argument("db", type=store_location, help="the store: a file or postgresql://…")
    poster.add_argument("outdir", type=Path)
    poster.add_argument("--grid", action="append", metavar="CODE",
                        help="only this responsibility grid (repeat for more; default: every grid)")
    poster.add_argument("--size", default="A4", choices=["A4", "A3"], help="paper size, portrait (default A4)")
    poster.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"],
                        help="language of the posters' headings (default zh_CN: they hang in the city)")
    poster.set_defaults(func=_cmd_poster)
