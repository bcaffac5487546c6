"""The grid editor driven like a planner: synthetic mouse events on a real canvas, real store."""

import pytest
import shapely
from qgis.core import QgsPointXY, QgsProject, QgsRectangle
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from gridmap.store import grids
from gridmap.store.validate import validate_store


def pixel(window, x, y) -> QPoint:
    p = window.canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(p.x()), round(p.y()))


def event(window, kind, x, y, button=Qt.MouseButton.LeftButton):
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    return QgsMapMouseEvent(window.canvas, kind, pixel(window, x, y), button, buttons)


def drag(window, tool, points):
    """Press at the first point, move through the others, release at the last (one stroke)."""
    window.canvas.setMapTool(tool)
    tool.canvasPressEvent(event(window, QEvent.Type.MouseButtonPress, *points[0]))
    for x, y in points[1:]:
        tool.canvasMoveEvent(event(window, QEvent.Type.MouseMove, x, y))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, *points[-1]))


def inside(polygon):
    p = polygon.representative_point()
    return p.x, p.y


@pytest.fixture
def editor(window):
    ed = window.workspace.grid_editor
    ed.start()
    yield ed
    ed.stop(force=True)


def two_movable(plan, source, target):
    """Two units of ``source`` that can be painted into ``target`` one after the other."""
    for first in sorted(plan.members[source]):
        if plan.check(first, target) is None and plan.neighbours[first] & plan.members[target]:
            move = plan.move([first], target)
            second = next((u for u in sorted(plan.neighbours[first] & plan.members[source])
                           if plan.check(u, target) is None), None)
            plan.undo(move)
            if second:
                return first, second
    raise AssertionError("no two movable units")


def zoom_on(window, polygons):
    box = shapely.union_all(polygons).bounds
    window.canvas.setExtent(QgsRectangle(*box))
    window.canvas.setExtent(window.canvas.extent().buffered(50))


def test_one_drag_paints_several_units_as_one_undo_step(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, second = two_movable(plan, source, target)
    zoom_on(window, [plan.polygons[first], plan.polygons[second]])
    editor.panel.choose(target)
    units_before = int(editor.panel.cell(target, "units"))
    drag(window, editor.paint_tool, [inside(plan.polygons[first]), inside(plan.polygons[second])])
    assert plan.assignment[first] == target and plan.assignment[second] == target
    assert editor.undo_stack.count() == 1
    assert int(editor.panel.cell(target, "units")) == units_before + 2
    draft = {f["code"]: f.geometry().area() for f in editor.draft.layer.getFeatures()}
    assert draft[target] == pytest.approx(plan.dissolve(target).area)
    editor.action_undo.trigger()
    assert plan.assignment[first] == source and plan.assignment[second] == source
    assert int(editor.panel.cell(target, "units")) == units_before
    editor.action_redo.trigger()
    assert plan.assignment[second] == target


def test_a_stroke_onto_a_unit_not_touching_the_target_is_refused_with_a_reason(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    far = next(u for u in sorted(plan.members[source]) if not plan.neighbours[u] & plan.members[target])
    zoom_on(window, [plan.polygons[far]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[far])])
    assert plan.assignment[far] == source
    assert editor.undo_stack.count() == 0
    assert "does not touch" in editor.panel.message.text()


def test_locked_grids_refuse_the_brush(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.set_locked(source, True)
    zoom_on(window, [plan.polygons[first]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[first])])
    assert plan.assignment[first] == source and "locked" in editor.panel.message.text()
    assert source in grids.load_plan(window.store).locked


def test_workload_outside_the_tolerance_is_flagged(editor):
    rows = editor.plan.rows(0.01)
    editor.panel.tolerance.setValue(1)
    flagged = [r.code for r in rows if r.flagged]
    assert flagged and all(editor.panel.is_flagged(code) for code in flagged)
    editor.panel.tolerance.setValue(100)
    assert not any(editor.panel.is_flagged(r.code) for r in rows)


def test_commit_from_the_editor_writes_history_and_refreshes_the_map(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.panel.choose(target)
    assert editor.paint(first)
    editor._stroke_finished()
    assert editor.commit("test") == 1
    assert [v.responsibility_grid_code for v in grids.history(window.store, first)] == [source, target]
    assert editor.undo_stack.count() == 0 and not plan.dirty
    layer = window.layer("unit_grid")
    assert [f["responsibility_grid_code"] for f in layer.getFeatures(f"\"code\" = '{first}'")] == [target]


def test_save_open_and_compare_a_scenario(window, editor):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.panel.choose(target)
    editor.paint(first)
    editor._stroke_finished()
    editor.save_scenario("北片调整")
    editor.discard()
    assert not plan.dirty
    editor.open_scenario("北片调整")
    assert plan.changes() == [(first, source, target)]
    assert editor.differences("北片调整") == [(first, source, target)]
    editor.select_units([first])
    assert [f["code"] for f in window.layer("unit_grid").selectedFeatures()] == [first]


def test_leaving_the_editor_restores_the_layers(window, editor):
    root = QgsProject.instance().layerTreeRoot()
    assert not root.findLayer(window.layer("component_point").id()).isVisible()
    editor.stop(force=True)
    assert root.findLayer(window.layer("component_point").id()).isVisible()
    assert root.findLayer(window.layer("responsibility_grid").id()).isVisible()
    assert editor.draft is None


def stored(store):
    """What a boundary edit would change in the store: current unit grids and audit entries."""
    units = {r[0] for r in store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL")}
    return units, store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def shared_vertex(store, offset=30):
    """An interior vertex shared by three or more unit grids, and those grids."""
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET ?",
                              (offset,)).fetchone()[0]
    polygon = grids.unit_grid_polygons(store, [code])[code]
    vertex = next(v for v in polygon.exterior.coords[:-1] if len(grids.polygons_near(store, v[0], v[1], 0.01)) >= 3)
    return vertex, set(grids.polygons_near(store, vertex[0], vertex[1], 0.01))


def test_topology_tools_are_disabled_and_change_nothing_outside_the_editor(window):
    editor = window.workspace.grid_editor
    store = window.store
    for action in (editor.action_vertex, editor.action_split, editor.action_select, editor.action_merge):
        assert not action.isEnabled(), action.text()
    vertex, _sharing = shared_vertex(store)
    window.canvas.setExtent(QgsRectangle(vertex[0] - 60, vertex[1] - 60, vertex[0] + 60, vertex[1] + 60))
    before = stored(store)
    drag(window, editor.vertex_tool, [vertex, (vertex[0] + 3, vertex[1] + 2), (vertex[0] + 5, vertex[1] + 4)])
    assert stored(store) == before
    editor.start()
    assert editor.action_vertex.isEnabled() and editor.action_merge.isEnabled()
    editor.stop(force=True)
    assert not editor.action_vertex.isEnabled()


def test_a_vertex_drag_edits_the_draft_step_by_step_and_is_written_only_on_commit(window, editor):
    store = window.store
    vertex, sharing = shared_vertex(store)
    originals = {c: editor.plan.polygons[c] for c in sharing}
    window.canvas.setExtent(QgsRectangle(vertex[0] - 60, vertex[1] - 60, vertex[0] + 60, vertex[1] + 60))
    before = stored(store)
    drag(window, editor.vertex_tool, [vertex, (vertex[0] + 3, vertex[1] + 2), (vertex[0] + 5, vertex[1] + 4)])
    assert stored(store) == before  # nothing written yet
    assert editor.undo_stack.count() == 1
    assert all(not editor.plan.polygons[c].equals(originals[c]) for c in sharing)
    assert editor.edited.layer.featureCount() >= len(sharing)  # the preview
    editor.undo_stack.undo()
    assert all(editor.plan.polygons[c].equals(originals[c]) for c in sharing)
    assert editor.edited.layer.featureCount() == 0
    editor.undo_stack.redo()
    assert all(not editor.plan.polygons[c].equals(originals[c]) for c in sharing)
    editor.commit("move a corner")
    units, _ = stored(store)
    assert not (sharing & units)  # reshaped grids got new codes
    assert validate_store(store) == []
    assert editor.plan is not None and not editor.plan.dirty  # still editing, on the new plan


def test_split_in_the_draft_paint_a_piece_and_commit_both(window, editor):
    store = window.store
    code = store.conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1 OFFSET 12"
                              ).fetchone()[0]
    polygon = grids.unit_grid_polygons(store, [code])[code]
    zoom_on(window, [polygon])
    minx, miny, maxx, maxy = polygon.bounds
    mid = (minx + maxx) / 2
    before = stored(store)
    tool = editor.split_tool
    window.canvas.setMapTool(tool)
    for y in (miny - 8, maxy + 8):
        tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, mid, y))
    tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, mid, maxy + 8, Qt.MouseButton.RightButton))
    assert stored(store) == before
    pieces = [k for k in editor.plan.assignment if k.startswith("new-")]
    assert len(pieces) == 2 and code not in editor.plan.assignment
    grid = editor.plan.assignment[pieces[0]]
    assert editor.plan.totals[grid].units == len(editor.plan.members[grid])
    editor.undo_stack.undo()
    assert code in editor.plan.assignment and not any(k.startswith("new-") for k in editor.plan.assignment)
    editor.undo_stack.redo()
    # a piece may go to another responsibility grid in the same draft
    moves = [(p, editor.plan.assignment[n]) for p in editor.plan.assignment if p.startswith("new-")
             for n in sorted(editor.plan.neighbours[p]) if editor.plan.assignment[n] != grid
             and editor.plan.check(p, editor.plan.assignment[n]) is None]
    assert moves, "no piece can change grid"
    piece, target = moves[0]
    editor.set_target(target)
    x, y = inside(editor.plan.polygons[piece])
    drag(window, editor.paint_tool, [(x, y)])
    assert editor.plan.assignment[piece] == target
    editor.commit("split one")
    units, _ = stored(store)
    assert code not in units and len(units) == len(before[0]) + 1
    assert validate_store(store) == []
    moved = store.conn.execute("SELECT count(*) FROM unit_grid WHERE valid_to IS NULL AND community_code = ? "
                               "AND responsibility_grid_code = ?", (code[:12], target)).fetchone()[0]
    assert moved >= 1


def test_merge_two_chosen_unit_grids_in_the_draft(window, editor):
    store = window.store
    plan = editor.plan
    first = sorted(plan.assignment)[40]
    second = next(n for n in sorted(plan.neighbours[first]) if n[:12] == first[:12])
    zoom_on(window, [plan.polygons[first], plan.polygons[second]])
    for code in (first, second):
        x, y = inside(plan.polygons[code])
        window.canvas.setMapTool(editor.select_tool)
        editor.select_tool.canvasReleaseEvent(event(window, QEvent.Type.MouseButtonRelease, x, y))
    assert editor.choice.codes == [first, second]
    before = stored(store)
    editor.action_merge.trigger()
    assert stored(store) == before
    assert first not in plan.assignment and second not in plan.assignment
    editor.undo_stack.undo()
    assert first in plan.assignment and second in plan.assignment
    editor.undo_stack.redo()
    editor.commit("merge two")
    units, _ = stored(store)
    assert first not in units and second not in units
    assert validate_store(store) == []


def test_dragging_a_vertex_off_the_district_is_refused_and_highlighted(window, editor):
    store = window.store
    district = shapely.from_wkb(store.conn.execute("SELECT AsBinary(geom) FROM district").fetchone()[0])
    corner = list(shapely.get_parts(district)[0].exterior.coords)[4]
    window.canvas.setExtent(QgsRectangle(corner[0] - 60, corner[1] - 60, corner[0] + 60, corner[1] + 60))
    before = stored(store)
    drag(window, editor.vertex_tool, [corner, (corner[0] + 15, corner[1] + 30), (corner[0] + 30, corner[1] + 40)])
    assert stored(store) == before
    assert editor.undo_stack.count() == 0
    assert "Refused" in window.statusBar().currentMessage()
    assert editor.highlight.band.numberOfVertices() > 0


def fully_visible(widget) -> bool:
    return widget.visibleRegion().boundingRect().size() == widget.size()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_editor_shows_every_column_and_button_at(window, qtbot, size):
    window.resize(*size)
    editor = window.workspace.grid_editor
    editor.start()
    qtbot.waitUntil(lambda: editor.dock.isVisible() and not editor.panel.table.visibleRegion().isEmpty())
    table = editor.panel.table
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0, "workload columns scroll out of view"
    assert editor.dock.widget().width() >= editor.panel.minimumSizeHint().width()
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        if not table.isColumnHidden(column):
            assert header.sectionViewportPosition(column) + header.sectionSize(column) <= table.viewport().width()
    for key, button in editor.panel.buttons.items():
        assert fully_visible(button), key
    map_width = window.canvas.width()
    assert map_width >= size[0] * 0.35  # the map keeps a good part of a laptop's screen


def test_refusals_are_precise_translated_and_show_the_unit(window, editor, qapp):
    from gridmap.gui.i18n import install_translator

    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    far = next(u for u in sorted(plan.members[source]) if not plan.neighbours[u] & plan.members[target])
    zoom_on(window, [plan.polygons[far]])
    editor.panel.choose(target)
    install_translator(qapp, "zh_CN")
    try:
        drag(window, editor.paint_tool, [inside(plan.polygons[far])])
        text = editor.panel.message.text()
    finally:
        install_translator(qapp, "en")
    assert "不相邻" in text and "split" not in text and "would" not in text
    assert editor.highlight.band.numberOfVertices() >= 4  # the refused unit outlined
    drag(window, editor.paint_tool, [inside(plan.polygons[far])])
    assert "does not touch" in editor.panel.message.text() and "split" not in editor.panel.message.text()


def test_ctrl_y_and_ctrl_shift_z_both_redo(window, editor, qtbot):
    from qgis.PyQt.QtGui import QKeySequence

    shortcuts = {s.toString() for s in editor.action_redo.shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= shortcuts
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _second = two_movable(plan, source, target)
    zoom_on(window, [plan.polygons[first]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[first])])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for keys in ("Ctrl+Y", "Ctrl+Shift+Z"):
        qtbot.keySequence(window.canvas, QKeySequence("Ctrl+Z"))
        assert plan.assignment[first] == source
        qtbot.keySequence(window.canvas, QKeySequence(keys))
        assert plan.assignment[first] == target, keys


def answer_next_dialog(qtbot, button_text=None, text=None):
    """Answer the next modal dialog: click the button labelled ``button_text`` or enter ``text`` and accept."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QInputDialog

    def act():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        if isinstance(dialog, QInputDialog):
            dialog.setTextValue(text)
            dialog.accept()
        else:
            next(b for b in dialog.buttons() if b.text() == button_text).click()
    QTimer.singleShot(0, act)


def test_leaving_with_changes_offers_to_save_them_as_a_scenario(window, editor, qtbot):
    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    zoom_on(window, [plan.polygons[first]])
    editor.panel.choose(target)
    drag(window, editor.paint_tool, [inside(plan.polygons[first])])
    answer_next_dialog(qtbot, "Cancel")
    assert not editor.stop() and editor.plan is not None
    answer_next_dialog(qtbot, "Save as scenario...")
    answer_next_dialog(qtbot, text="早班方案")  # queued: runs when the name dialog is up
    assert editor.stop()
    assert editor.plan is None
    saved = grids.load_scenario(window.store, "早班方案")
    assert saved[first] == target


def test_every_editing_tool_is_on_screen_while_editing_in_english_at_1366(window, qtbot):
    window.resize(1366, 768)
    editor = window.workspace.grid_editor
    assert not editor.toolbar.isVisible()
    editor.start()
    qtbot.waitUntil(editor.toolbar.isVisible)
    for action in editor.toolbar.actions():
        button = editor.toolbar.widgetForAction(action)
        if button is not None:
            assert button.isVisible() and fully_visible(button), action.text()
    editor.stop(force=True)
    assert not editor.toolbar.isVisible()


def test_a_draft_with_only_a_boundary_edit_counts_as_changed(window, editor, qtbot):
    vertex, _sharing = shared_vertex(window.store)
    window.canvas.setExtent(QgsRectangle(vertex[0] - 60, vertex[1] - 60, vertex[0] + 60, vertex[1] + 60))
    drag(window, editor.vertex_tool, [vertex, (vertex[0] + 4, vertex[1] + 3)])
    assert editor.undo_stack.count() == 1 and editor.dirty
    answer_next_dialog(qtbot, "Cancel")
    assert not editor.stop() and editor.plan is not None  # leaving asks: the edit is not lost silently
    before = stored(window.store)
    answer_next_dialog(qtbot, text="corner")
    editor.commit_dialog()
    assert stored(window.store) != before
    assert validate_store(window.store) == []


def test_a_commit_after_another_planner_is_refused_and_the_draft_rebased(window, editor, monkeypatch):
    """Two planners (issue 14): the editor's draft began before another desk committed elsewhere."""
    from gridmap.store import open_store

    plan = editor.plan
    source, target = sorted(plan.members)[:2]
    first, _ = two_movable(plan, source, target)
    editor.panel.choose(target)
    assert editor.paint(first)
    editor._stroke_finished()
    with open_store(window.store.location) as other:  # the other planner locks a grid: a new plan version
        grids.set_locked(other, sorted(plan.members)[-1], True)
    with pytest.raises(grids.PlanOutdatedError) as refused:
        editor.commit("mine")
    assert grids.history(window.store, first)[-1].responsibility_grid_code == source  # nothing written
    shown = []

    def choose_rebase(box):
        shown.append((box.text(), box.detailedText()))
        next(b for b in box.buttons() if b.text() == "Rebase my draft").click()

    monkeypatch.setattr("gridmap.gui.grid_editor.editor_actions.QMessageBox.exec", choose_rebase)
    editor.outdated_dialog(refused.value)
    assert "since this draft began" in shown[0][0] and "grid.lock" in shown[0][1]
    assert editor.plan.assignment[first] == target and editor.plan.dirty
    assert editor.commit("mine, rebased") == 1
    assert grids.history(window.store, first)[-1].responsibility_grid_code == target
