"""Assembles the workspace: the main window plus its controllers."""

from __future__ import annotations

from gridmap.gui.main_window import MainWindow


def build_workspace() -> MainWindow:
    """Create the main window with every dock and tool attached."""
    window = MainWindow()
    return window
