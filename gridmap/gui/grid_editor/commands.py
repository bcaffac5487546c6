"""Undo commands of the editor: one paint stroke = one command."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QUndoCommand


class PaintStroke(QUndoCommand):
    """The moves of one drag. Pushed after they were applied, so the first redo does nothing."""

    def __init__(self, editor, moves):
        count = sum(len(m.units) for m in moves)
        super().__init__(QCoreApplication.translate("GridEditor", "Paint {0} unit grid(s)").format(count))
        self.editor = editor
        self.moves = list(moves)
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        for move in self.moves:
            self.editor.plan.redo(move)
        self.editor.after_change(self._grids())

    def undo(self) -> None:
        for move in reversed(self.moves):
            self.editor.plan.undo(move)
        self.editor.after_change(self._grids())

    def _grids(self) -> set[str]:
        return {m.target for m in self.moves} | {prev for m in self.moves for _, prev in m.units}


class BoundaryEdit(QUndoCommand):
    """One unit grid boundary edit of the draft (vertex/edge move, split, merge): applied on push."""

    def __init__(self, editor, edit):
        texts = {"grid.vertex": QCoreApplication.translate("GridEditor", "Move vertex or edge"),
                 "grid.split": QCoreApplication.translate("GridEditor", "Split unit grid"),
                 "grid.merge": QCoreApplication.translate("GridEditor", "Merge unit grids")}
        super().__init__(texts.get(edit.action, edit.action))
        self.editor = editor
        self.edit = edit

    def redo(self) -> None:
        self.editor.boundary.apply(self.edit)
        self.editor.after_boundary_change(self.edit)

    def undo(self) -> None:
        self.editor.boundary.revert(self.edit)
        self.editor.after_boundary_change(self.edit)
