"""A layer with no rows (a zip's empty member, a filtered export read back) is checked as 0 rows,
not a traceback: found by choosing the empty layer of a two-layer zip in the import dialog."""

from gridmap.io.export import ExportOptions, export
from gridmap.io.importer import ImportOptions, import_file


def test_an_empty_shapefile_is_checked_as_no_rows(store, tmp_path):
    class_code = store.conn.execute("SELECT class_code FROM component_point LIMIT 1").fetchone()[0]
    export(store, tmp_path, ExportOptions(profile="legacy", where=f"class_code = '{class_code}'"))
    report = import_file(store, tmp_path / "component_line.shp", ImportOptions(), dry_run=True)
    assert report.rows == 0 and report.errors == [] and (report.inserted, report.updated) == (0, 0)
