"""The layer_styles table QGIS keeps beside the layers (in the file, or in the PostGIS database): the
default style of each layer, which plain QGIS applies when it opens the store."""

from __future__ import annotations

from gridmap.store.connection import StoreBase
from gridmap.store.dialect import is_postgis


def _has_table(store: StoreBase) -> bool:
    """QGIS creates layer_styles when it first saves a style; until then there is none."""
    if is_postgis(store):
        return store.conn.execute("SELECT to_regclass('layer_styles') IS NOT NULL").fetchone()[0]
    return bool(store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'")
                .fetchone())


def default_styles_with(store: StoreBase, description: str) -> int:
    """How many default styles carry ``description`` (0 when QGIS has written none yet)."""
    if not _has_table(store):
        return 0
    return store.conn.execute("SELECT count(*) FROM layer_styles WHERE useAsDefault AND description = ?",
                              (description,)).fetchone()[0]


def remove_styles(store: StoreBase, tables: list[str], names: list[str]) -> int:
    """Remove the styles called ``names`` of ``tables`` (one transaction); return how many were removed.

    QGIS 3.22 asks in a modal dialog before it overwrites a style of the same name, so the styles
    the app is about to write again are removed first.
    """
    if not _has_table(store):
        return 0
    with store.transaction() as conn:
        marks_t, marks_n = ", ".join("?" * len(tables)), ", ".join("?" * len(names))
        return conn.execute(f"DELETE FROM layer_styles WHERE f_table_name IN ({marks_t}) AND styleName IN "
                            f"({marks_n})", (*tables, *names)).rowcount
