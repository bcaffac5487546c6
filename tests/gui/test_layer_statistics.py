"""A store's first opening in QGIS (issue 17): the demo leaves each geometry table's row count and extent
in SpatiaLite's statistics, so QGIS's SpatiaLite provider does not compute them itself (with statistics of
every field: 34 s of a ten-district city's first opening)."""

import sqlite3

from gridmap.gui.layers import make_layer
from gridmap.store.schema import GEOMETRY_TABLES


def statistics(path):
    conn = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT f_table_name, row_count, extent_min_x, extent_max_y, last_verified FROM "
            "geometry_columns_statistics")}
    finally:
        conn.close()


def test_the_demo_leaves_layer_statistics_that_qgis_keeps(qapp, small_demo):
    before = statistics(small_demo)
    conn = sqlite3.connect(small_demo)
    for table in GEOMETRY_TABLES:
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert before[table][0] == count, table
        assert before[table][3] is not None, table
    conn.close()
    for table in ("component_point", "incident", "unit_grid", "road"):
        layer = make_layer(small_demo, table)
        assert layer.isValid() and layer.featureCount() == before[table][0]
        extent = layer.extent()
        assert abs(extent.xMinimum() - before[table][1]) < 1e-6 and abs(extent.yMaximum() - before[table][2]) < 1e-6
    assert statistics(small_demo) == before  # QGIS read them, it did not compute them again
