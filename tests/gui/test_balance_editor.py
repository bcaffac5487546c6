"""*Propose balanced plan...* in the grid editor: the proposal becomes the draft, one undo step,
committed like any plan (the small demo: 3 grids far out of balance)."""

import pytest
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication

from gridmap.domain.plan import check_batch
from gridmap.store import grids
from gridmap.store.validate import validate_store


@pytest.fixture
def editor(window):
    ed = window.workspace.grid_editor
    ed.start()
    yield ed
    ed.stop(force=True)


def test_the_action_is_offered_while_editing_only(window):
    editor = window.workspace.grid_editor
    assert not editor.action_balance.isEnabled()
    editor.start()
    assert editor.action_balance.isEnabled() and editor.panel.buttons["balance"].isVisible()
    editor.stop(force=True)


def test_the_proposal_is_the_draft_and_one_undo_step(window, editor):
    base = dict(editor.plan.assignment)
    assert any(r.flagged for r in editor.plan.rows(0.10))
    proposal = editor.propose_balance(0.10)
    assert proposal.reached and editor.plan.changes() == proposal.moves
    assert not any(editor.panel.is_flagged(r.code) for r in editor.plan.rows(0.10))
    assert editor.panel.tolerance.value() == 10
    assert check_batch(base, editor.plan.assignment, editor.plan.polygons, editor.plan.locked) == []
    assert editor.undo_stack.count() == 1 and "moved" in editor.panel.message.text()
    editor.undo_stack.undo()
    assert editor.plan.assignment == base and not editor.dirty
    editor.undo_stack.redo()
    assert editor.plan.changes() == proposal.moves
    # adjust by hand: undo one of the proposal's moves through the paint rules, then commit
    moved = editor.commit("均衡方案")
    assert moved == len(proposal.moves)
    with window.store.transaction():
        pass
    assert grids.current_assignment(window.store) == proposal.assignment
    assert validate_store(window.store) == []


def test_the_dialog_asks_the_tolerance_and_the_workload(window, editor):
    def answer():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "balance_dialog"
        dialog.tolerance.setValue(12)
        assert dialog.workload.currentData() == "even"  # cases, components and area alike by default
        dialog.workload.setCurrentIndex(dialog.workload.findData("cases"))
        dialog.accept()

    QTimer.singleShot(0, answer)
    editor.panel.buttons["balance"].click()
    assert editor.tolerance == pytest.approx(0.12) and editor.panel.tolerance.value() == 12
    assert editor.plan.weights is not None and editor.plan.weights.components == 0  # cases alone, as asked
    assert editor.plan.dirty and not any(r.flagged for r in editor.plan.rows(0.12))
