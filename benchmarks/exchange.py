"""Shapefile export and import of all 105,000 components against ogr2ogr, in the same run.

Issue figures: our export at most half of ogr2ogr's SpatiaLite→shapefile time (the comparable is the
native profile: the table's own columns, as ogr2ogr copies them); our import no longer than
ogr2ogr's shapefile→SpatiaLite load. The import round trip changes nothing, so it updates no row:
rows are compared and only differing ones are rewritten (all 99k differing take ~4.5 s).
Note what each side does: ogr2ogr copies the
tables as they are (and writes the Chinese text as ISO-8859-1, i.e. garbled, with no .cpg);
gridmap joins unit and place names, maps the legacy field profile, writes GBK with a .cpg and a
field dictionary; on import it checks every row, assigns unit grids and upserts in one transaction.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import demo_copy

TABLES = ("component_point", "component_line", "component_polygon")


def _time(fn, repeat: int = 5) -> float:
    """Median wall time of ``repeat`` runs (the same for gridmap and ogr2ogr)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(args, record) -> None:
    from gridmap.io.export import ExportOptions, export
    from gridmap.io.importer import import_file
    from gridmap.store import open_store

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = demo_copy(args, tmp)

        def ogr_export():
            shutil.rmtree(tmp / "ogr", ignore_errors=True)
            (tmp / "ogr").mkdir()
            for table in TABLES:
                subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", str(tmp / "ogr" / f"{table}.shp"), str(path), table],
                               check=True, capture_output=True)

        ogr_export_s = _time(ogr_export)
        store = open_store(path)
        ours_native_s = _time(lambda: export(store, tmp / "native", ExportOptions(profile="native")))
        ours_legacy_s = _time(lambda: export(store, tmp / "legacy", ExportOptions(profile="legacy", encoding="gbk")))
        source = tmp / "legacy" / "component_point.shp"

        def ogr_import():
            (tmp / "loaded.sqlite").unlink(missing_ok=True)
            subprocess.run(["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", str(tmp / "loaded.sqlite"),
                            str(source)], check=True, capture_output=True)

        ogr_import_s = _time(ogr_import, 3)
        check_s = _time(lambda: import_file(store, source, dry_run=True), 3)
        import_s = _time(lambda: import_file(store, source), 3)
        store.close()
        record("exchange", {
            "timing": "median of 5 runs (export) / 3 runs (import), both sides",
            "components": 105_000,
            "ogr2ogr_export_3_tables_s": round(ogr_export_s, 2),
            "gridmap_export_native_utf8_s": round(ours_native_s, 2),
            "gridmap_export_legacy_gbk_s": round(ours_legacy_s, 2),
            "export_ratio_native_to_ogr2ogr": round(ours_native_s / ogr_export_s, 2),
            "export_ratio_legacy_to_ogr2ogr": round(ours_legacy_s / ogr_export_s, 2),
            "ogr2ogr_load_points_shp_to_spatialite_s": round(ogr_import_s, 2),
            "gridmap_import_check_only_s": round(check_s, 2),
            "gridmap_import_upsert_points_s": round(import_s, 2),
            "import_ratio_to_ogr2ogr": round(import_s / ogr_import_s, 2),
        })
