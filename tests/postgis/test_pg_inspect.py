"""What the inspector, search and the attribute table read gives the same answers on both engines (found
by benchmarks/desktop_engines.py: the unit grid details and the attribute table used SpatiaLite SQL)."""

import pytest

from gridmap.store import inspect, open_store, search
from gridmap.store.migrate import migrate


@pytest.fixture
def both(small_demo, pg_uri):
    migrate(small_demo, pg_uri)
    with open_store(small_demo) as lite, open_store(pg_uri) as pg:
        yield lite, pg


def test_details_agree(both):
    lite, pg = both
    unit = lite.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 5"
                             ).fetchone()[0]
    case = lite.conn.execute("SELECT code FROM incident ORDER BY code DESC LIMIT 1").fetchone()[0]
    component = lite.conn.execute("SELECT code FROM component_point ORDER BY code LIMIT 1").fetchone()[0]
    grid = lite.conn.execute("SELECT code FROM responsibility_grid ORDER BY code LIMIT 1").fetchone()[0]
    for read, code in ((inspect.unit_grid, unit), (inspect.incident, case), (inspect.component, component),
                       (inspect.responsibility_grid, grid)):
        on_file, on_pg = read(lite, code), read(pg, code)
        assert on_file is not None and on_pg.rows == on_file.rows and on_pg.counts == on_file.counts, read
    assert any(key == "community_grid" for key, _ in inspect.unit_grid(pg, unit).rows)  # the roster was found


def test_attribute_table_pages_agree(both):
    lite, pg = both
    assert inspect.table_columns(pg, "component_point") == inspect.table_columns(lite, "component_point")
    x0, y0, x1, y1 = lite.conn.execute("SELECT MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom), MbrMaxY(geom) FROM "
                                       "district").fetchone()
    box = (x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    ordered = {"where": "state = ?", "params": ["完好"], "order_by": "code", "descending": True}
    for kwargs in ({}, {"box": box}, ordered):
        ids = inspect.table_ids(lite, "component_point", **kwargs)
        assert ids and inspect.table_ids(pg, "component_point", **kwargs) == ids, kwargs
    assert inspect.table_ids(pg, "unit_grid", current_only=True) == inspect.table_ids(lite, "unit_grid",
                                                                                      current_only=True)
    page = inspect.table_ids(lite, "component_point")[:50]
    columns = ["code", "class_code", "name"]
    assert inspect.table_rows(pg, "component_point", columns, page) == inspect.table_rows(lite, "component_point",
                                                                                           columns, page)


def test_search_agrees(both):
    lite, pg = both
    code = lite.conn.execute("SELECT code FROM component_point ORDER BY code LIMIT 1").fetchone()[0]
    for text in (code[:10], "路灯", "责任网格"):
        assert [(g.kind, g.title, g.total) for g in search.search_groups(pg, text)] == \
            [(g.kind, g.title, g.total) for g in search.search_groups(lite, text)], text
