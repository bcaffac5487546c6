"""Our own CSV export of values with leading or trailing spaces (" =1+1", "井盖 ") imports back as
0 updated: values arrive stripped, and one that differs from the stored value only by those spaces is
unchanged (review of issue 11, item 10)."""

from gridmap.io.export import ExportOptions, export
from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import count, sample_points

VALUES = [" =1+1", "井盖 ", "  two sides  ", "\t=tab"]


def test_our_own_unchanged_csv_export_imports_as_unchanged(store, tmp_path):
    codes = [r[0] for r in sample_points(store, len(VALUES))]
    with store.transaction() as conn:
        conn.executemany("UPDATE component_point SET name = ? WHERE code = ?", list(zip(VALUES, codes, strict=True)))
    export(store, tmp_path, ExportOptions(layer="component_point", format="csv", profile="native"))
    audit = count(store, "audit_log")
    report = import_file(store, tmp_path / "component_point.csv", ImportOptions(profile="native"))
    assert report.errors == [] and report.updated == 0 and report.inserted == 0
    assert report.unchanged == count(store, "component_point")
    names = dict(store.conn.execute(f"SELECT code, name FROM component_point WHERE code IN "
                                    f"({', '.join('?' * len(codes))})", codes))
    assert [names[c] for c in codes] == VALUES and count(store, "audit_log") <= audit + 1
