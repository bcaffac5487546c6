"""Identify like QGIS: every feature under the click, long values wrapped, a case opened from its row,
the identified feature highlighted on the map."""

import datetime as dt

from qgis.PyQt.QtCore import Qt

from gridmap.store.cases import Report, create_token, intake
from tests.gui.test_workspace import click, zoom_to


def open_case_on_a_component(conn):
    """(case code, component code, x, y) of an open case lying within a metre of its point component."""
    return next(
        (r[0], r[1], r[2], r[3]) for r in conn.execute(
            "SELECT i.code, c.code, X(c.geom), Y(c.geom), Distance(i.geom, c.geom) AS d FROM incident i "
            "JOIN component_point c ON c.code = i.component_code "
            "WHERE i.status IN ('reported', 'registered', 'dispatched') ORDER BY d LIMIT 1"))


def test_a_click_offers_the_case_the_component_under_it_and_the_grids(window, qtbot):
    case, component, x, y = open_case_on_a_component(window.store.conn)
    zoom_to(window, x, y, 60)
    with qtbot.waitSignal(window.workspace.identify_tool.identified, timeout=5000):
        click(window, window.workspace.identify_tool, x, y)
    inspector = window.workspace.inspector
    offered = [(s.kind, s.code) for s in inspector.sections]
    assert ("incident", case) in offered and ("component", component) in offered
    assert [k for k, _ in offered][-2:] == ["unit_grid", "responsibility_grid"]
    assert inspector.tree.topLevelItemCount() == len(offered)


def test_the_identified_feature_is_highlighted_and_follows_the_chosen_section(window, qtbot):
    _case, _component, x, y = open_case_on_a_component(window.store.conn)
    zoom_to(window, x, y, 60)
    click(window, window.workspace.identify_tool, x, y)
    workspace = window.workspace
    first = workspace.highlight.item
    assert first is not None and first.isVisible() and first.scene() is window.canvas.scene()
    grid = [s.kind for s in workspace.inspector.sections].index("unit_grid")
    workspace.inspector.choose_section(grid)
    second = workspace.highlight.item
    assert second is not None and second is not first and first.scene() is None
    assert second.boundingRect().width() > first.boundingRect().width()  # a grid outlines more than a point


def test_a_case_row_in_the_inspector_opens_the_case(window, qtbot):
    conn = window.store.conn
    code, x, y = conn.execute(
        "SELECT c.code, X(c.geom), Y(c.geom) FROM component_point c WHERE EXISTS "
        "(SELECT 1 FROM incident i WHERE i.component_code = c.code) ORDER BY c.id LIMIT 1").fetchone()
    root = window.layer_tree.layerTreeModel().rootGroup()
    root.findLayer(window.layer("incident").id()).setItemVisibilityChecked(False)
    zoom_to(window, x, y, 30)
    click(window, window.workspace.identify_tool, x, y)
    inspector = window.workspace.inspector
    assert inspector.sections[0].code == code
    top = inspector.tree.topLevelItem(0)
    cases = top.child(top.childCount() - 1)
    row = cases.child(0)
    case_code = row.data(0, Qt.ItemDataRole.UserRole)[2]
    inspector.tree.scrollToItem(row)
    rect = inspector.tree.visualItemRect(row)
    qtbot.mouseClick(inspector.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(inspector.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.cases.code == case_code
    qtbot.waitUntil(lambda: not window.case_dock.visibleRegion().isEmpty())


def test_long_values_wrap_in_the_narrow_inspector(window, qtbot):
    store = window.store
    staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment LIMIT 1").fetchone()[0]
    create_token(store, staff)
    token = store.conn.execute("SELECT max(id) FROM device_token").fetchone()[0]
    x, y = store.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                              "WHERE valid_to IS NULL LIMIT 1 OFFSET 5").fetchone()
    text = "人行道上有大面积积水，" * 12 + "末尾"
    code, _ = intake(store, Report("0102", text, x, y, dt.datetime.now().replace(microsecond=0)),
                     token_id=token, staff_code=staff, idempotency_key="wrap")
    from gridmap.store.inspect import incident

    window.inspector_dock.raise_()
    window.workspace.show_sections([incident(store, code)])
    inspector = window.workspace.inspector
    item = inspector.row_item("description")
    tree = inspector.tree
    qtbot.waitUntil(lambda: tree.visualItemRect(item).height() > 0)
    line = tree.fontMetrics().height()
    assert tree.visualItemRect(item).height() >= 3 * line  # wrapped over several lines, not cut off
    assert not tree.horizontalScrollBar().isVisible()
