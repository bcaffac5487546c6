"""The layer_styles table QGIS keeps in the file: the default style of each layer, which plain QGIS
applies when it opens the store."""

from __future__ import annotations

import sqlite3

from gridmap.store.connection import Store


def default_styles_with(store: Store, description: str) -> int:
    """How many default styles carry ``description`` (0 when QGIS has written none yet)."""
    try:
        return store.conn.execute("SELECT count(*) FROM layer_styles WHERE useAsDefault AND description = ?",
                                  (description,)).fetchone()[0]
    except sqlite3.OperationalError:  # no layer_styles table yet
        return 0


def remove_styles(store: Store, tables: list[str], names: list[str]) -> int:
    """Remove the styles called ``names`` of ``tables`` (one transaction); return how many were removed.

    QGIS 3.22 asks in a modal dialog before it overwrites a style of the same name, so the styles
    the app is about to write again are removed first.
    """
    try:
        with store.transaction() as conn:
            marks_t, marks_n = ", ".join("?" * len(tables)), ", ".join("?" * len(names))
            return conn.execute(f"DELETE FROM layer_styles WHERE f_table_name IN ({marks_t}) AND styleName IN "
                                f"({marks_n})", (*tables, *names)).rowcount
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0
        raise
