"""Find anything by code or by part of a name: components, grids, places, incidents."""

from __future__ import annotations

from dataclasses import dataclass

from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES


@dataclass(frozen=True)
class Hit:
    kind: str  # component, unit_grid, responsibility_grid, community_grid, community, street, incident
    table: str
    code: str
    label: str
    row_id: int


def _prefix_range(text: str) -> tuple[str, str]:
    # code >= text AND code < text + U+FFFF uses the code's unique index (LIKE would not).
    return text, text + "\uffff"


def search(store: Store, text: str, limit: int = 50) -> list[Hit]:
    """Return up to ``limit`` matches for ``text``: codes by prefix, names by substring.

    Exact code matches come first. Returns an empty list for blank text.
    """
    text = text.strip()
    if not text:
        return []
    conn = store.conn
    hits: list[Hit] = []
    low, high = _prefix_range(text)
    pattern = f"%{text}%"

    def add(kind: str, table: str, sql: str, params: tuple) -> None:
        room = limit - len(hits)
        if room > 0:
            for row_id, code, label in conn.execute(sql + " LIMIT ?", (*params, room)):
                hits.append(Hit(kind, table, code, label, row_id))

    if text.isdigit() or text[:6].isdigit():
        for table in COMPONENT_TABLES.values():
            add("component", table, f"SELECT t.id, t.code, c.name FROM {table} t JOIN component_class c "
                "ON c.code = t.class_code WHERE t.code >= ? AND t.code < ? ORDER BY t.code", (low, high))
        add("unit_grid", "unit_grid", "SELECT id, code, community_code FROM unit_grid WHERE code >= ? AND code < ? "
            "AND valid_to IS NULL ORDER BY code", (low, high))
        add("incident", "incident", "SELECT id, code, description FROM incident WHERE code >= ? AND code < ? "
            "ORDER BY code", (low, high))
        add("community_grid", "community_grid", "SELECT id, code, name FROM community_grid WHERE code >= ? "
            "AND code < ? ORDER BY level, code", (low, high))
    add("responsibility_grid", "responsibility_grid", "SELECT id, code, name FROM responsibility_grid "
        "WHERE code >= ? AND code < ? OR name LIKE ? ORDER BY code", (low, high, pattern))
    add("street", "street", "SELECT id, code, name FROM street WHERE name LIKE ? ORDER BY code", (pattern,))
    add("community", "community", "SELECT id, code, name FROM community WHERE name LIKE ? ORDER BY code", (pattern,))
    add("community_grid", "community_grid", "SELECT id, code, name FROM community_grid WHERE level = 3 AND "
        "name LIKE ? ORDER BY code", (pattern,))
    if not text.isdigit():
        for table in COMPONENT_TABLES.values():
            add("component", table, f"SELECT t.id, t.code, c.name FROM {table} t JOIN component_class c "
                "ON c.code = t.class_code WHERE t.class_code IN (SELECT code FROM component_class WHERE name LIKE ?) "
                "OR t.name LIKE ? ORDER BY t.code", (pattern, pattern))
    hits.sort(key=lambda h: h.code != text)  # stable: exact matches first
    return hits
