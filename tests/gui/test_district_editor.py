"""The grid editor on a city of several districts (issue 17): it asks which district's plan to edit,
offering the district at the map's centre first, and edits and commits that district alone."""

import pytest
from qgis.core import QgsPointXY
from qgis.PyQt.QtWidgets import QInputDialog, QMessageBox

from gridmap.store import grids
from gridmap.store.queries import geometries
from tests.gui.conftest import workspace_on


@pytest.fixture
def window(qtbot, small_city):
    with workspace_on(qtbot, small_city) as win:
        yield win


def test_the_editor_asks_for_a_district_and_keeps_to_it(window, monkeypatch):
    rows, polygons = geometries(window.store, "district", ["code"])
    inside = polygons[[r[0] for r in rows].index("150603")].representative_point()
    window.canvas.setCenter(QgsPointXY(inside.x, inside.y))
    asked = []

    def choose(_parent, _title, _label, items, current, _editable):
        asked.append((items, current))
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    editor = window.workspace.grid_editor
    editor.start()
    items, current = asked[0]
    assert len(items) == 3 and items[current] == "康巴什区 (150603)"  # the district at the map's centre
    plan = editor.plan
    assert plan.district == "150603" and all(u.startswith("150603") for u in plan.assignment)
    assert editor.panel.table.rowCount() == len(plan.members)
    others = grids.load_plan(window.store, district="150602").assignment
    unit, target = next((u, plan.assignment[n]) for u in sorted(plan.assignment) for n in sorted(plan.neighbours[u])
                        if n in plan.assignment and plan.assignment[n] != plan.assignment[u]
                        and plan.check(u, plan.assignment[n]) is None)
    editor.target = target
    editor.paint(unit)
    assert editor.commit("one move") == 1
    assert grids.current_assignment(window.store)[unit] == target
    assert grids.load_plan(window.store, district="150602").assignment == others
    editor.stop(force=True)
    # a planner who cancels the question edits nothing
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *_args: ("", False)))
    editor.start()
    assert editor.plan is None and not editor.action_edit.isChecked()


def test_a_district_without_unit_grids_is_said_so_and_nothing_opens(window, monkeypatch):
    with window.store.transaction() as conn:
        conn.execute("INSERT INTO district (code, name) VALUES ('150699', '空区')")
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, _c, _e: (items[-1], True)))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _parent, _title, text: warned.append(text)))
    editor = window.workspace.grid_editor
    editor.start()
    assert warned and "150699" in warned[0]
    assert editor.plan is None and not editor.action_edit.isChecked()
