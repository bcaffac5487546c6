"""The grid editor's actions on scenarios (save, open, compare, export a plan) and on unit grid
boundaries (vertex moves, splits, merges), mixed into GridEditor (editor.py), whose draft, window,
panel, undo stack and message signal they use."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gridmap.domain.balance import balance
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Move
from gridmap.domain.topology import TopologyRefused
from gridmap.domain.workload import CASES_ONLY, Weights
from gridmap.gui.grid_editor.commands import BoundaryEdit, PaintStroke
from gridmap.gui.grid_editor.paint_tool import UnitGridFinder
from gridmap.gui.messages import translate
from gridmap.io.plan_export import export_plan
from gridmap.store import grids


def tr(text: str) -> str:
    return QCoreApplication.translate("GridEditor", text)  # the editor's context: one set of translations


class ScenarioActions:
    """Scenarios: the draft saved under a name, opened again, compared with the current plan, exported."""

    def save_scenario(self, name: str, replace: bool = False) -> None:
        """Save the draft's assignment; raises GridmapError while boundary edits are pending."""
        if self.boundary is not None and self.boundary.pending:
            raise GridmapError(tr("A scenario keeps moves between responsibility grids only: commit or undo "
                                  "the boundary edits first."))
        grids.save_scenario(self.window.store, name, self.plan, replace=replace)
        self.message.emit(tr("Saved scenario {0}.").format(name))

    def open_scenario(self, name: str) -> None:
        assignment = grids.load_scenario(self.window.store, name)
        self.discard()
        missing = grids.apply_scenario(self.plan, assignment)
        self.undo_stack.clear()
        self.draft.refresh_all()
        self.panel.show_rows(self.plan.rows(self.tolerance))
        text = tr("Opened scenario {0}: {1} unit grid(s) differ from the current plan.").format(
            name, len(self.plan.changes()))
        if missing:
            text += " " + tr("{0} of its unit grids no longer exist.").format(len(missing))
        self.message.emit(text)

    def rebase(self) -> tuple[list[str], list[tuple[str, str]]]:
        """Put the draft's moves on the current plan after another planner committed; return the units
        moved again and (unit, reason) of the moves left out. The draft stays uncommitted."""
        rebased, applied, dropped = grids.rebase_plan(self.window.store, self.plan)
        self.stop(force=True)
        self.start(rebased.district)
        grids.apply_scenario(self.plan, rebased.assignment)
        self.undo_stack.clear()
        self.draft.refresh_all()
        self.panel.show_rows(self.plan.rows(self.tolerance))
        text = tr("Rebased on the current plan: {0} move(s) apply again.").format(len(applied))
        if dropped:
            text += " " + tr("Left out: {0}.").format("; ".join(f"{u} ({translate(why)})" for u, why in dropped))
        self.message.emit(text)
        return applied, dropped

    def outdated_dialog(self, error: grids.PlanOutdatedError) -> None:
        """Another planner committed since the draft began: rebase it, keep it as a scenario, or wait."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Commit refused"), translate(str(error)),
                          QMessageBox.StandardButton.Cancel, self.window)
        box.setObjectName("plan_outdated")
        commits = "\n".join(f"{c['at']}  {c['user']}  {c['action']}" for c in error.commits)
        if commits:
            box.setDetailedText(commits)
        rebase = box.addButton(tr("Rebase my draft"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(tr("Save it as a scenario..."), QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is rebase:
            self.rebase()
        elif box.clickedButton() is keep:
            self.save_scenario_dialog()

    def save_scenario_dialog(self) -> None:
        if self.plan is None:
            return
        name, ok = QInputDialog.getText(self.window, tr("Save scenario"), tr("Name of the scenario:"))
        if ok and name.strip():
            try:
                self.save_scenario(name)
            except GridmapError as exc:
                QMessageBox.warning(self.window, tr("Save scenario"), translate(str(exc)))

    def open_scenario_dialog(self) -> None:
        if self.plan is None:
            return
        names = [s["name"] for s in grids.list_scenarios(self.window.store)]
        if not names:
            self.message.emit(tr("No scenario saved yet."))
            return
        name, ok = QInputDialog.getItem(self.window, tr("Open scenario"), tr("Scenario:"), names, 0, False)
        if ok:
            self.open_scenario(name)

    def differences(self, scenario: str | None = None) -> list[tuple[str, str, str]]:
        """(unit, current grid, draft or scenario grid) for each unit grid that differs."""
        if scenario is None:
            return self.plan.changes()
        proposed = grids.load_scenario(self.window.store, scenario)
        return sorted((u, self.plan.base.get(u, ""), g) for u, g in proposed.items() if self.plan.base.get(u) != g)

    def compare_dialog(self) -> None:
        """A table of the draft's differences from the current plan, and the moved units selected on the map."""
        if self.plan is None:
            return
        names = [tr("(the draft)")] + [s["name"] for s in grids.list_scenarios(self.window.store)]
        name, ok = QInputDialog.getItem(self.window, tr("Compare with the current plan"), tr("Compare:"), names, 0,
                                        False)
        if not ok:
            return
        rows = self.differences(None if name == names[0] else name)
        self.select_units([u for u, _, _ in rows])
        dialog = QDialog(self.window)
        dialog.setWindowTitle(tr("Differences: {0}").format(name))
        table = QTableWidget(len(rows), 3, dialog)
        table.setHorizontalHeaderLabels([tr("Unit grid"), tr("Current"), tr("Proposed")])
        for k, row in enumerate(rows):
            for column, value in enumerate(row):
                table.setItem(k, column, QTableWidgetItem(value))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(520, 420)
        dialog.show()
        self._compare_dialog = dialog

    def select_units(self, codes: list[str]) -> None:
        """Select current unit grids on the unit grid layer (the map of moved units)."""
        layer = self.window.layer("unit_grid")
        if layer is None:
            return
        wanted = set(codes)
        layer.selectByIds([f.id() for f in layer.getFeatures() if f["code"] in wanted])

    def export_dialog(self) -> None:
        if self.plan is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, tr("Export the plan to a folder"), str(Path.home()))
        if folder:
            try:
                gpkg, table = export_plan(self.plan, self.window.store.srid, folder)
            except GridmapError as exc:
                QMessageBox.warning(self.window, tr("Export failed"), translate(str(exc)))
                return
            self.message.emit(tr("Exported {0} and {1}.").format(gpkg.name, table.name))


#: the workloads the balance dialog offers: cases, components and area weighed alike (the default, as the
#: table shows it), or cases only
WORKLOADS = (("even", Weights()), ("cases", CASES_ONLY))


class BalanceDialog(QDialog):
    """Asks the tolerance (and what the workload weighs) for *Propose balanced plan...*."""

    def __init__(self, parent, tolerance: float):
        super().__init__(parent)
        self.setObjectName("balance_dialog")
        self.setWindowTitle(tr("Propose balanced plan"))
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setObjectName("balance_tolerance")
        self.tolerance.setRange(1, 50)
        self.tolerance.setSuffix(" %")
        self.tolerance.setValue(round(tolerance * 100))
        self.workload = QComboBox(self)
        self.workload.setObjectName("balance_workload")
        self.workload.addItem(tr("Cases, components and area alike"), "even")
        self.workload.addItem(tr("Cases of the last 90 days"), "cases")
        note = QLabel(tr("Unit grids move between neighbouring responsibility grids until every grid's workload "
                         "is within the tolerance of the mean. Grids stay connected, locked grids keep their units. "
                         "The proposal becomes the draft: adjust it by hand, then commit."), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Tolerance ±"), self.tolerance)
        form.addRow(tr("Workload"), self.workload)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def weights(self) -> Weights:
        return dict(WORKLOADS)[self.workload.currentData()]


class BalanceActions:
    """*Propose balanced plan...*: the domain's balance on the draft, applied as one undo step."""

    def propose_balance(self, tolerance: float, weights: Weights | None = None):
        """Balance the draft and put the proposal into it (one undo step); return the Proposal.

        Boundary edits waiting in the draft are kept; the proposal moves whole unit grids only."""
        if self.plan is None:
            return None
        proposal = balance(self.plan, tolerance, weights)
        moves = [Move(to, ((unit, was),)) for unit, was, to in
                 sorted((u, self.plan.assignment[u], g) for u, g in proposal.assignment.items()
                        if self.plan.assignment[u] != g)]
        for move in moves:
            self.plan.redo(move)  # the result keeps every rule; the steps on the way need not
        self.plan.weights = None if weights in (None, Weights()) else weights
        if moves:
            stroke = PaintStroke(self, moves)
            stroke.setText(tr("Propose balanced plan"))
            self.undo_stack.push(stroke)
        self.panel.tolerance.setValue(round(tolerance * 100))  # the table flags against the same band
        self.tolerance = tolerance
        self.draft.refresh_all()
        self.panel.show_rows(self.plan.rows(self.tolerance))
        self.changed.emit()
        summary = proposal.summary()
        text = tr("Proposed: {0} unit grid(s) moved, {1} of {2} grids within ±{3}%; compactness {4} → {5}. "
                  "Adjust by hand, then commit.").format(
            len(moves), summary["within_after"], summary["judged"], f"{tolerance * 100:g}",
            f"{summary['polsby_popper_before'] or 0:.2f}", f"{summary['polsby_popper_after'] or 0:.2f}")
        if not proposal.reached:
            text += " " + tr("Some grids stay outside: {0}").format("; ".join(translate(n) for n in proposal.notes))
        self.message.emit(text)
        return proposal

    def balance_dialog(self) -> None:
        if self.plan is None:
            return
        dialog = BalanceDialog(self.window, min(self.tolerance, 0.10))
        if dialog.exec():
            self.propose_balance(dialog.tolerance.value() / 100, dialog.weights())


class BoundaryActions:
    """Unit grid boundaries: vertex and edge moves, splits and merges, each checked and one undo step."""

    def _polygons_near(self, x: float, y: float, radius: float) -> dict:
        return self.boundary.near(x, y, radius) if self.boundary is not None else {}

    def edit_boundaries(self, build):
        """Build an edit on the draft, check it and push it as one undo step; on refusal show why and where.

        Returns the PendingEdit, or None when refused or when no edit session is open.
        """
        if self.plan is None or self.boundary is None:
            self.message.emit(tr("Open the grid editor (Grids > Edit responsibility grids) to edit unit grids."))
            return None
        try:
            edit = build(self.boundary)
        except TopologyRefused as exc:
            self.highlight.show(exc.edges)
            self.message.emit(tr("Refused: {0}").format(translate(str(exc))))
            return None
        except GridmapError as exc:
            self.message.emit(translate(str(exc)))
            return None
        self.highlight.clear()
        self.undo_stack.push(BoundaryEdit(self, edit))
        self.message.emit(tr("In the draft: {0} unit grid(s) reshaped, {1} new. Commit to write them.").format(
            len(edit.result.changed) + len(edit.result.retouched), len(edit.added_keys)))
        return edit

    def after_boundary_change(self, edit) -> None:
        """Redraw after a boundary edit was applied to or taken out of the draft."""
        self.finder = UnitGridFinder(self.plan.polygons)
        self.paint_tool.finder = self.finder
        self.choice.show(self.plan.polygons)
        self.edited.refresh()
        touched = {g for _, _, g in edit.result.added}
        touched |= {entry[0] for entry in edit.before.values() if entry is not None}
        self.after_change(touched)

    def choose_unit(self, code: str) -> None:
        """Add a unit grid to the choice (or take it out), e.g. to merge."""
        if self.plan is not None:
            self.choice.toggle(code, self.plan.polygons)
            self.message.emit(tr("{0} unit grid(s) chosen.").format(len(self.choice.codes)))

    def split_along(self, line):
        """Split the draft unit grid that the middle of ``line`` lies in."""
        if self.boundary is None:
            return self.edit_boundaries(None)
        middle = line.interpolate(0.5, normalized=True)
        code = self.boundary.at(middle.x, middle.y)
        if code is None:
            self.message.emit(tr("The middle of the line must lie inside the unit grid to split."))
            return None
        return self.edit_boundaries(lambda draft: draft.split_edit(code, line))

    def merge_selected(self):
        """Merge the unit grids chosen with the select tool."""
        codes = list(self.choice.codes)
        edit = self.edit_boundaries(lambda draft: draft.merge_edit(codes))
        if edit is not None:
            self.choice.clear()
        return edit
